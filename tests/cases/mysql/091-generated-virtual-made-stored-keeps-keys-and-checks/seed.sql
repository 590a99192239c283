INSERT INTO t (id, a, c) VALUES (1, 10, 5), (2, 20, 6), (3, NULL, 7);
