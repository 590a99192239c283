INSERT INTO accounts VALUES (1, 'postgres', 'o''hara@example.ie'), (2, 'someone else', 'zoë@example.fr');
