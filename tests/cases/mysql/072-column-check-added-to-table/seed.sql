INSERT INTO scores (id, player) VALUES (1, 'ann'), (2, 'bob');
