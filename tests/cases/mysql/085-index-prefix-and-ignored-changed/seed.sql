INSERT INTO t VALUES (1, 'a title', 3), (2, 'another', NULL);
