INSERT INTO stock (id, size, qty) VALUES (1, 'XL', 3), (2, 'Größe 42', 7);
