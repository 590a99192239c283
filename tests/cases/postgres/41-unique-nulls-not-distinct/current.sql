CREATE TABLE accounts (
    id integer PRIMARY KEY,
    username text NOT NULL,
    email text,
    tax_id text
);
