CREATE SCHEMA billing;

CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE billing.invoices (
    id bigint PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES public.customers (id),
    total numeric(12,2) NOT NULL DEFAULT 0,
    paid_at timestamptz
);

CREATE TABLE billing.customers (
    id integer PRIMARY KEY,
    vat_number varchar(32)
);
