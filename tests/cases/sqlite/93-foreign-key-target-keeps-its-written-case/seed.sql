INSERT INTO p (id, code) VALUES (1, 'a');
INSERT INTO c (x, y) VALUES (1, 'a');
