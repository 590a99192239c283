INSERT INTO memberships VALUES (1, 10, 'owner''s deputy'), (1, 11, DEFAULT), (2, 10, 'rédacteur');
