CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    first TEXT,
    last TEXT,
    age INT
);
CREATE INDEX ix_users_age ON users ((age + 1));
