CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customers_email_idx ON customers (lower(email));

CREATE VIEW recent_customers AS
    SELECT id, email FROM customers WHERE created_at > now() - interval '7 days';
