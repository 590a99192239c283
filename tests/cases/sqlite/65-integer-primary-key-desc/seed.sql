INSERT INTO events (id, name) VALUES (1, 'one');
INSERT INTO events (id, name) VALUES (2, 'two');
INSERT INTO pairs (a, b, name) VALUES ('x', 1, 'one');
INSERT INTO pairs (a, b, name) VALUES ('x', 2, '');
