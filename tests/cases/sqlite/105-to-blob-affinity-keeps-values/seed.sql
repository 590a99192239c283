INSERT INTO t (id, a, b, c) VALUES (1, '007', 7, 1.5), (2, x'01', 'x', '2.50'), (3, NULL, 3.0, 4);
