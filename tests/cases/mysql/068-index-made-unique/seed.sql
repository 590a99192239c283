INSERT INTO users (id, login) VALUES (1, 'ann'), (2, 'bob');
