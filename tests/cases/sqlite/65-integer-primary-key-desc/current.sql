CREATE TABLE events (
    id INTEGER PRIMARY KEY DESC,
    name TEXT
);
CREATE TABLE pairs (
    a TEXT,
    b INT,
    name TEXT,
    PRIMARY KEY (a, b DESC)
);
