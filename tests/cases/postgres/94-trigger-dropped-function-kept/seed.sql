INSERT INTO documents (id, title, body) VALUES (1, 'Read me', NULL), (2, 'Lisez-moi «v2»', 'l''été');
