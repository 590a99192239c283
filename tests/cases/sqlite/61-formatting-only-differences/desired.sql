CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    v TEXT CHECK (v <> 'a')
);
CREATE INDEX ix ON t (v) WHERE v <> 'q';
create view "v" as select id, v from t;
CREATE TRIGGER tr AFTER INSERT ON t
BEGIN
    SELECT 1;
END;
