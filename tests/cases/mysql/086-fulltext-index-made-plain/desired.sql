CREATE TABLE posts (id INT PRIMARY KEY, body TEXT, KEY ix_body (body(20)));
