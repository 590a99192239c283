CREATE TABLE prices (
    id INT NOT NULL PRIMARY KEY,
    amount DECIMAL(10,2) NOT NULL,
    CONSTRAINT prices_amount_range CHECK (amount >= 0 AND amount < 100000)
);
