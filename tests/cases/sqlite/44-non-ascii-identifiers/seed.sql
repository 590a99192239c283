INSERT INTO café VALUES (1, 'zoë');
