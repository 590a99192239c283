INSERT INTO logs (shard, line) VALUES (1, 'x'), (2, 'y');
