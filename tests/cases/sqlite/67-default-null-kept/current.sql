CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT,
    nickname TEXT DEFAULT NULL,
    email TEXT
);
