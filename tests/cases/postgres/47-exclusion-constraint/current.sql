CREATE TABLE room_bookings (
    id integer PRIMARY KEY,
    room text NOT NULL,
    during tstzrange NOT NULL
);
