CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT,
    CONSTRAINT uq_users_email UNIQUE (email)
);
