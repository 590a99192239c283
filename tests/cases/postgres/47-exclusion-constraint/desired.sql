CREATE TABLE room_bookings (
    id integer PRIMARY KEY,
    room text NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT room_bookings_no_overlap EXCLUDE USING gist (during WITH &&)
);
