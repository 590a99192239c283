INSERT INTO t VALUES (1, 'café', 'naïve'), (2, NULL, NULL);
