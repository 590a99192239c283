INSERT INTO readings VALUES (1, 'kitchen', '21'), (2, 'cellar', NULL), (3, 'garage «north»', '-4');
