CREATE TABLE t (id INT PRIMARY KEY, title VARCHAR(200), a INT, KEY ix_title (title(50)), KEY ix_a (a) IGNORED);
