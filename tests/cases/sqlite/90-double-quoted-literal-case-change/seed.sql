INSERT INTO ticket (id, s) VALUES (1, NULL);
