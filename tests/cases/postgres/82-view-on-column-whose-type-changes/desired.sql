CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric(14,2) NOT NULL,
    sold_at date NOT NULL
);

CREATE VIEW big_sales AS
    SELECT id, region, amount FROM sales WHERE amount >= 100;
