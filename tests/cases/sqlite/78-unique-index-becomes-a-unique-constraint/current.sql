CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT
);
CREATE UNIQUE INDEX ux_users_email ON users (email);
