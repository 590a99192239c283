INSERT INTO tickets VALUES (1, 7, 'printer''s on fire'), (2, NULL, 'ça ne marche pas');
