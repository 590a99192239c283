CREATE TABLE orders (
    id bigint PRIMARY KEY,
    reference varchar(20) NOT NULL,
    note varchar,
    amount numeric(10,2) NOT NULL
);
