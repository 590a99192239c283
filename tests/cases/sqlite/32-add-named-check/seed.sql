INSERT INTO products VALUES (1, 10), (2, 2.5);
