INSERT INTO t VALUES (1, 2, 'x'), (3, NULL, 'y');
