CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE batch_numbers INCREMENT BY 1 MINVALUE 1 CACHE 1 NO CYCLE;
