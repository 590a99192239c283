CREATE TABLE reservations (
    id integer PRIMARY KEY,
    during daterange NOT NULL
);

CREATE INDEX reservations_during_idx ON reservations USING gist (during);
