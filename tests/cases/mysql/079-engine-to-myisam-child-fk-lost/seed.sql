INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books VALUES (10, 1, 'First'), (11, NULL, 'Anonymous');
