INSERT INTO contacts (id, mail, phone) VALUES (1, NULL, '555-0100'), (2, NULL, NULL);
