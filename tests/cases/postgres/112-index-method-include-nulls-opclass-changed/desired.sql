CREATE TABLE t (a int, b int, c text);
CREATE INDEX ix_hash ON t USING hash (a);
CREATE INDEX ix_fill ON t (b) WITH (fillfactor = 70);
CREATE INDEX ix_include ON t (a) INCLUDE (b);
CREATE INDEX ix_nulls ON t (b NULLS FIRST);
CREATE INDEX ix_ops ON t (c text_pattern_ops);
