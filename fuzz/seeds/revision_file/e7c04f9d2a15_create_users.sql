-- revision: e7c04f9d2a15
-- revises: d2e95a6b18f4
-- message: create users
-- created: 2026-11-22 18:15:00+00:00

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_users_email UNIQUE (email)
);

-- migrate:downgrade
DROP TABLE users;
