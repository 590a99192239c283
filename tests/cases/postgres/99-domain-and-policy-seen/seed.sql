INSERT INTO accounts VALUES (1, 'postgres', 'ann@example.com'), (2, 'someone else', 'zoë@example.fr');
