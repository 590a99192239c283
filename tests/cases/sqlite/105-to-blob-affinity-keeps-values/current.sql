CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    a TEXT,
    b INTEGER,
    c REAL
);
