INSERT INTO regions VALUES ('NO', 'North'), ('SO', 'South');
INSERT INTO stores VALUES (1, 'NO'), (2, 'SO');
