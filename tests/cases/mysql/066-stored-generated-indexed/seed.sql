INSERT INTO order_lines (id, qty, unit_price) VALUES (1, 3, 2.50), (2, 10, 0.99);
