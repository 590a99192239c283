CREATE TABLE t (a int, b int, c text);
CREATE INDEX ix_hash ON t (a);
CREATE INDEX ix_fill ON t (b);
CREATE INDEX ix_include ON t (a);
CREATE INDEX ix_nulls ON t (b);
CREATE INDEX ix_ops ON t (c);
