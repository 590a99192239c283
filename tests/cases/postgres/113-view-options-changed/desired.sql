CREATE TABLE t (a int, b text);
CREATE VIEW v_invoker WITH (security_invoker = true) AS SELECT a FROM t;
CREATE VIEW v_checked AS SELECT a, b FROM t WHERE a > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW v_barrier AS SELECT a FROM t;
CREATE MATERIALIZED VIEW m WITH (fillfactor = 70) AS SELECT a FROM t;
