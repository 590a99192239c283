INSERT INTO customers (id, email, name, score, updated) VALUES (1, 'a@x.org', 'Ann', 1.50, '2024-01-02 03:04:05'), (2, 'b@x.org', 'Bob', 2.25, '2024-02-03 04:05:06');
