CREATE TABLE events (
    id INTEGER PRIMARY KEY DESC,
    name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE pairs (
    a TEXT,
    b INT,
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (a, b DESC)
);
