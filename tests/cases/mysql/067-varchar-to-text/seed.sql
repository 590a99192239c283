INSERT INTO posts (id, summary, body) VALUES (1, 'short', 'a body'), (2, 'Größe', NULL);
