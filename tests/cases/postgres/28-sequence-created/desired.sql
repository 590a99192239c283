CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE invoice_numbers AS bigint START WITH 10000 INCREMENT BY 1 CACHE 20;
