INSERT INTO a VALUES (1, 'x'), (5, 'y');
INSERT INTO b VALUES (1, 'x'), (7, NULL);
INSERT INTO c VALUES (3, 'z');
