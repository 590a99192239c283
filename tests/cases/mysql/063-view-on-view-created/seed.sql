INSERT INTO sales (id, region, amount) VALUES (1, 'EU', 150.00), (2, 'US', 50.00), (3, 'EU', 300.00);
