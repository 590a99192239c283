CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now(),
    public_id uuid NOT NULL DEFAULT gen_random_uuid(),
    preferences json,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    nicknames text[] NOT NULL DEFAULT '{}',
    scores integer[],
    trial_length interval DEFAULT '14 days',
    avatar bytea,
    balance numeric NOT NULL DEFAULT 0,
    ratio double precision,
    last_seen timestamp(3) with time zone,
    birthday date,
    wake_up time without time zone,
    ip inet
);
