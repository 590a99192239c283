CREATE TABLE shipments (
    id integer PRIMARY KEY,
    tracking_no bigint
);

CREATE SEQUENCE shipments_tracking_no_seq;
