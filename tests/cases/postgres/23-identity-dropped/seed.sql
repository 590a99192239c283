INSERT INTO notes (id, body) VALUES (1, 'first'), (2, 'zweite ''Notiz'''), (3, '三');
