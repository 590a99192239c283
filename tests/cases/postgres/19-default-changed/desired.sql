CREATE TABLE events (
    id integer PRIMARY KEY,
    title text NOT NULL,
    starts_at timestamptz,
    expires_at timestamptz,
    kind text DEFAULT 'private'
);
