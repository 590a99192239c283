INSERT INTO kv VALUES ('a', '1');
