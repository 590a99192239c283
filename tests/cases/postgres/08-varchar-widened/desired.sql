CREATE TABLE orders (
    id integer PRIMARY KEY,
    reference varchar(40) NOT NULL,
    note varchar,
    amount numeric(10,2) NOT NULL
);
