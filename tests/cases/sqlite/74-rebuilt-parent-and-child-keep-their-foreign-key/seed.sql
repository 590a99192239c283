INSERT INTO parent (id, code, note) VALUES (1, 'a', 'x');
INSERT INTO parent (id, code, note) VALUES (2, 'b', 'y');
INSERT INTO child (id, parent_code, qty) VALUES (10, 'a', 3);
INSERT INTO child (id, parent_code, qty) VALUES (11, 'b', 4);
