INSERT INTO memberships VALUES (1, 1, 'admin'), (1, 2, NULL), (2, 1, 'member');
