INSERT INTO places (id, name, pos) VALUES (1, 'here', ST_GeomFromText('POINT(1 2)')), (2, 'there', ST_GeomFromText('POINT(-3.5 4.25)'));
