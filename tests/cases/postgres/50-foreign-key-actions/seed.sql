INSERT INTO authors VALUES (1, 'Ursula K. Le Guin', 'ULG'), (2, 'Gabriel García Márquez', 'GGM');
INSERT INTO books VALUES (1, 1, 'ULG', 'The Dispossessed'), (2, 2, 'GGM', 'Cien años de soledad'), (3, NULL, NULL, 'Anonymous ''zine''');
