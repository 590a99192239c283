INSERT INTO measure (id, qty, note) VALUES (1, 5, 'a'), (2, NULL, NULL), (3, '7', 8);
