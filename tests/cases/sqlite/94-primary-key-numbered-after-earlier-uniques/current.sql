CREATE TABLE item (
    a TEXT UNIQUE,
    b TEXT PRIMARY KEY,
    c TEXT,
    d TEXT,
    UNIQUE (d)
);
