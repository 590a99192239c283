-- revision: 0001
-- revises:
-- message: users

-- migrate:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);

-- migrate:downgrade
DROP TABLE users;
