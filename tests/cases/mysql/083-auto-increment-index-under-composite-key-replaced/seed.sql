INSERT INTO logs (shard, line) VALUES (1, 'x'), (2, 'y');
INSERT INTO other (id) VALUES (1);
