CREATE TABLE prices (
    id integer PRIMARY KEY,
    amount numeric(10,2) NOT NULL,
    discount numeric(10,2) NOT NULL DEFAULT 0
);

ALTER TABLE prices ADD CONSTRAINT prices_amount_cap CHECK (amount < 1000) NOT VALID;
