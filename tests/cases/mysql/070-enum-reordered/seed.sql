INSERT INTO shirts (id, size) VALUES (1, 'small'), (2, 'large'), (3, 'medium');
