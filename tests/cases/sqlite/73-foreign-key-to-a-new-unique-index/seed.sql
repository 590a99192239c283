INSERT INTO parent (id, code) VALUES (1, 'a');
INSERT INTO parent (id, code) VALUES (2, 'b');
INSERT INTO child (id, parent_code) VALUES (10, 'a');
INSERT INTO child (id, parent_code) VALUES (11, NULL);
