CREATE SEQUENCE ticket_numbers START WITH 1000;

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    number integer,
    subject text NOT NULL
);
