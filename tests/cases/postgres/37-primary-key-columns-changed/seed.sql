INSERT INTO memberships VALUES (1, 10, 'owner''s deputy'), (2, 10, 'rédacteur');
