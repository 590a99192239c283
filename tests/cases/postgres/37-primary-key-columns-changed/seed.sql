INSERT INTO memberships VALUES (1, 10, 'owner'), (2, 10, 'rédacteur');
