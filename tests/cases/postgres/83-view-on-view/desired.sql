CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric(10,2) NOT NULL,
    sold_at date NOT NULL
);

CREATE VIEW sales_by_region AS
    SELECT region, sum(amount) AS total, count(*) AS n
    FROM sales
    GROUP BY region;

CREATE VIEW top_regions AS
    SELECT region, total FROM sales_by_region WHERE total > 100 ORDER BY total DESC;
