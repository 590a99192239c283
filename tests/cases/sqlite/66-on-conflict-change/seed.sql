INSERT INTO t (id, code, name) VALUES (1, 'a', 'one');
INSERT INTO t (id, code, name) VALUES (2, 'b', 'two');
INSERT INTO u (a, b) VALUES ('x', 'y');
INSERT INTO u (a, b) VALUES ('x', 'z');
