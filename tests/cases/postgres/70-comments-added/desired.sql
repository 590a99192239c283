CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE customers IS 'People who buy things; see the ''CRM'' wiki';
COMMENT ON COLUMN customers.email IS 'Adresse électronique — unique per customer';
COMMENT ON COLUMN customers.name IS '氏名 (full name)';
