CREATE TABLE items (
    id INT PRIMARY KEY,
    name TEXT
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY DESC,
    name TEXT
);
CREATE TABLE kept (
    id INTEGER PRIMARY KEY,
    name TEXT
);
