INSERT INTO order_lines VALUES (1, 2, 9.99), (2, 1, 0.50), (3, 10, 1234.00);
