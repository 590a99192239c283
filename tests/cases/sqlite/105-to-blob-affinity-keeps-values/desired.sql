CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    a BLOB,
    b,
    c BLOB
);
