INSERT INTO t (id, state) VALUES (1, 'old'), (2, NULL);
