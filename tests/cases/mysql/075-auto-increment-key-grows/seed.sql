INSERT INTO events (shard, note) VALUES (1, 'a'), (2, 'b'), (1, NULL);
