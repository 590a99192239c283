INSERT INTO readings VALUES (1, 'kitchen', '21'), (2, 'cellar ''B''', NULL), (3, 'garage «north»', '-4');
