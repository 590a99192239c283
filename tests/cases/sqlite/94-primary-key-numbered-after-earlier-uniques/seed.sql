INSERT INTO item (a, b, c, d) VALUES ('x', 'k1', 'c', 'd');
