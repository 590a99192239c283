CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name TEXT
);
CREATE VIEW named_users AS SELECT id, email, name FROM users WHERE name IS NOT NULL;
