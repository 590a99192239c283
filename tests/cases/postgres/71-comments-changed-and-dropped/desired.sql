CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE customers IS 'People who buy things — «clients»';
COMMENT ON COLUMN customers.email IS 'login, case-insensitive: it''s lower-cased';
