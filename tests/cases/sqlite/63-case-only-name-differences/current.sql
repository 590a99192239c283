CREATE TABLE Users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES Users (id));
CREATE INDEX ix_posts_author ON posts (author);
