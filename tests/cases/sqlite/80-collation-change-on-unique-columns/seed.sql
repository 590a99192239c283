INSERT INTO tag (id, name, slug, note) VALUES (1, 'a', 'a', 'x'), (2, 'B', 'b', 'X'), (3, NULL, NULL, NULL);
