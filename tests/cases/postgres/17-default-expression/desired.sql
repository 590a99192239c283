CREATE TABLE events (
    id integer PRIMARY KEY,
    title text NOT NULL,
    starts_at timestamptz DEFAULT now(),
    expires_at timestamptz DEFAULT (now() + '30 days'::interval),
    kind text
);
