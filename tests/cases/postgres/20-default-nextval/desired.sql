CREATE SEQUENCE ticket_numbers START WITH 1000;

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    number integer DEFAULT nextval('ticket_numbers'),
    subject text NOT NULL
);
