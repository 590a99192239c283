INSERT INTO t VALUES (1, 'café', 'crème'), (2, NULL, NULL);
