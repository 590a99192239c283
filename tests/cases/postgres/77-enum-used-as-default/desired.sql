CREATE TYPE ticket_status AS ENUM ('open', 'closed');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    title text NOT NULL,
    status ticket_status NOT NULL DEFAULT 'open'
);
