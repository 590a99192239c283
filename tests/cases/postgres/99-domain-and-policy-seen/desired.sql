CREATE DOMAIN email_address AS text CHECK (VALUE ~ '@');

CREATE TABLE accounts (
    id integer PRIMARY KEY,
    owner text NOT NULL DEFAULT current_user,
    email email_address NOT NULL,
    verified boolean NOT NULL DEFAULT false
);

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;

CREATE POLICY accounts_owner ON accounts USING (owner = current_user);
