INSERT INTO items VALUES (1, ' Red Chair '), (2, 'Blue Table');
