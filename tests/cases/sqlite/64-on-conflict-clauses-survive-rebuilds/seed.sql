INSERT INTO items (id, code, a, b, note) VALUES (1, 'a1', 'x', 'y', 'first');
INSERT INTO items (id, code, a, b, note) VALUES (2, 'b2', 'x', 'z', '');
INSERT INTO pairs (x, y, label) VALUES ('p', 'q', 'one');
INSERT INTO pairs (x, y, label) VALUES ('p', 'r', '');
