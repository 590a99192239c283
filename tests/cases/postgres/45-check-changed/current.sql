CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount numeric(10,2) NOT NULL,
    discount numeric(10,2) NOT NULL DEFAULT 0,
    CONSTRAINT prices_discount_check CHECK (discount <= amount)
);
