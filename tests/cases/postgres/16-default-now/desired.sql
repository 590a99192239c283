CREATE TABLE events (
    id integer PRIMARY KEY,
    title text NOT NULL,
    starts_at timestamptz DEFAULT now(),
    expires_at timestamptz,
    kind text
);
