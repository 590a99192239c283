CREATE TABLE reservations (
    id integer PRIMARY KEY,
    during daterange NOT NULL
);
