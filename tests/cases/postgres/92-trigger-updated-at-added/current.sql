CREATE TABLE documents (
    id integer PRIMARY KEY,
    title text NOT NULL,
    body text,
    revision integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);
