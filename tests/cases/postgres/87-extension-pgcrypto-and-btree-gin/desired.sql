CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now(),
    api_salt text DEFAULT encode(gen_random_bytes(16), 'hex')
);

CREATE INDEX customers_id_email_gin ON customers USING gin (id, email);
