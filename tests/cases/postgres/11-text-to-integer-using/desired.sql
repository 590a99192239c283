CREATE TABLE readings (
    id integer PRIMARY KEY,
    sensor text NOT NULL,
    value integer
);
