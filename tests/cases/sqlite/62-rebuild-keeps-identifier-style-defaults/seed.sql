INSERT INTO t (id, z) VALUES (1, 'x');
