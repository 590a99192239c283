CREATE TABLE posts (id INT PRIMARY KEY, body TEXT, FULLTEXT KEY ix_body (body));
