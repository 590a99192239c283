INSERT INTO t VALUES (1, 'x'), (-1, 'y');
