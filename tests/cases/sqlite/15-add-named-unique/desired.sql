CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name TEXT,
    CONSTRAINT uq_users_email UNIQUE (email)
);
