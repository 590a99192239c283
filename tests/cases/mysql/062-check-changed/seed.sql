INSERT INTO prices (id, amount) VALUES (1, 0.00), (2, 99.95);
