-- A table the desired schema gives columns, a check and an index calling a new
-- SQL-language function.
CREATE TABLE items (
    id integer PRIMARY KEY,
    name text NOT NULL
);
