INSERT INTO tickets (code) VALUES ('a'), ('b');
