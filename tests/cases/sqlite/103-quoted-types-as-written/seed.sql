INSERT INTO k (id, x, y, w, z) VALUES (1, 'a', 2, x'00', 'z');
