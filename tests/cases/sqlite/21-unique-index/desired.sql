CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL,
    name TEXT
);
CREATE UNIQUE INDEX ux_users_email ON users (email);
