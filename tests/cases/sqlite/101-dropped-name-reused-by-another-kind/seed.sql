INSERT INTO a (id, x) VALUES (1, 10);
INSERT INTO a_x (id, y) VALUES (1, 20);
