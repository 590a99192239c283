INSERT INTO p VALUES (1, 'x');
INSERT INTO t (id, name, a, b, c, d, e, f, p_id, code) VALUES (1, 'Ada', 1, 2, 'c', 3, '2020-01-01', NULL, 1, 'k');
INSERT INTO t (name, p_id) VALUES ('Bob', NULL);
