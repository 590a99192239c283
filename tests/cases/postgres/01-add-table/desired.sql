CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    customer_id integer NOT NULL,
    issued_on date NOT NULL DEFAULT CURRENT_DATE,
    total numeric(12,2) NOT NULL
);
