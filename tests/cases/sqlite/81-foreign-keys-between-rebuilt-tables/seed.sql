INSERT INTO a VALUES (1, 'x', 'y');
INSERT INTO b VALUES (1, 'y', 'x');
