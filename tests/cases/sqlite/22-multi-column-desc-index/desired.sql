CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name TEXT
);
CREATE INDEX ix_users_name_email ON users (name DESC, email);
