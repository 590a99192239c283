CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    last_name text,
    first_name text,
    score integer,
    deleted_at timestamptz,
    profile jsonb NOT NULL DEFAULT '{}',
    signed_up_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_name_idx ON users (last_name, first_name);
