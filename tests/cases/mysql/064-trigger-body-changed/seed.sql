INSERT INTO readings (id, celsius) VALUES (1, 21.50), (2, -4.25);
