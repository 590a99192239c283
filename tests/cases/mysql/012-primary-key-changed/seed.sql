INSERT INTO pairs VALUES (1, 1, 1), (2, 1, NULL);
