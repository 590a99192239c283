CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);
CREATE VIEW named_users AS SELECT id, email FROM users WHERE name IS NOT NULL;
CREATE VIEW named_emails AS SELECT email FROM named_users;
