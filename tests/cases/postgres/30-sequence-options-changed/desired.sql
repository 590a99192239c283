CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE batch_numbers INCREMENT BY 5 MINVALUE 0 MAXVALUE 100000 CACHE 10 CYCLE;
