INSERT INTO t VALUES (1, 'café'), (2, NULL);
