INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two');
INSERT INTO events (id, name) VALUES (1, 'one'), (2, 'two');
INSERT INTO kept (id, name) VALUES (1, 'one');
