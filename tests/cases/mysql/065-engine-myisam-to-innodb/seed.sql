INSERT INTO logs (id, line) VALUES (1, 'started'), (2, 'stopped');
