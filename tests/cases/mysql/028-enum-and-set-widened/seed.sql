INSERT INTO flags VALUES (1, 'b', 'x,y');
