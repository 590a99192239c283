INSERT INTO ratings (id, stars, votes, note) VALUES (1, 4, 10, 'good'), (2, 1, 0, NULL);
