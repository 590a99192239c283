CREATE TABLE t (a int, b text);
CREATE VIEW v_invoker AS SELECT a FROM t;
CREATE VIEW v_checked AS SELECT a, b FROM t WHERE a > 0;
CREATE VIEW v_barrier WITH (security_barrier = true) AS SELECT a FROM t;
CREATE MATERIALIZED VIEW m AS SELECT a FROM t;
