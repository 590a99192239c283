CREATE TABLE orders (
    id integer PRIMARY KEY,
    reference varchar(20) NOT NULL,
    note varchar,
    amount numeric(14,4) NOT NULL
);
