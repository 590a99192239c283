CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name TEXT,
    legacy TEXT
);
CREATE INDEX ix_users_legacy ON users (legacy);
