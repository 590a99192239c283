CREATE TABLE accounts (
    id integer PRIMARY KEY,
    username text NOT NULL,
    email text,
    tax_id text,
    CONSTRAINT accounts_email_uq UNIQUE NULLS NOT DISTINCT (email)
);
