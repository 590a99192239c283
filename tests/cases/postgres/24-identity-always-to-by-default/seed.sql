INSERT INTO notes (body) VALUES ('first'), ('zweite ''Notiz'''), ('三');
