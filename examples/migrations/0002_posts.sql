-- revision: 0002
-- revises: 0001
-- message: posts

-- migrate:upgrade
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), body TEXT);
CREATE INDEX ix_posts_user_id ON posts (user_id);

-- migrate:downgrade
DROP INDEX ix_posts_user_id;
DROP TABLE posts;
