INSERT INTO prices VALUES (1, 10.00, 0), (2, 25.50, 5.50), (3, 0.99, DEFAULT);
-- An old row the new rule would reject: NOT VALID keeps it.
INSERT INTO prices VALUES (4, 5000.00, 0);
