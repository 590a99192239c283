INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books (id, author_id, title) VALUES (10, 1, 'One'), (11, 2, 'Two'), (12, NULL, 'Anon');
