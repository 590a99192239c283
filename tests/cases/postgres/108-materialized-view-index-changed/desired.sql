CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric(10,2) NOT NULL,
    sold_at date NOT NULL
);

CREATE MATERIALIZED VIEW monthly_sales AS
    SELECT date_trunc('month', sold_at) AS month, region, sum(amount) AS total
    FROM sales
    GROUP BY 1, 2;

CREATE UNIQUE INDEX monthly_sales_month_idx ON monthly_sales (month, region);
CREATE INDEX monthly_sales_total_idx ON monthly_sales (total DESC) INCLUDE (region)
    WHERE total > 0;
