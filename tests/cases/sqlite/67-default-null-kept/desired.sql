CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT default null,
    nickname TEXT,
    email TEXT DEFAULT (NULL),
    phone TEXT DEFAULT NULL
);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT DEFAULT NULL, at TEXT DEFAULT ((NULL)));
