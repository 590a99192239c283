INSERT INTO items (id, sku, label, qty, seen) VALUES (1, 'A-1', 'apple', 3, '2024-01-01 10:00:00'), (2, 'B-2', 'pear', 0, NULL);
