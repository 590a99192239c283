CREATE TABLE sales (id INT NOT NULL PRIMARY KEY, region CHAR(2) NOT NULL, amount DECIMAL(10,2) NOT NULL);
CREATE VIEW big_sales AS SELECT id, region, amount FROM sales WHERE amount > 100;
CREATE VIEW big_sales_by_region AS SELECT region, COUNT(*) AS n, SUM(amount) AS total FROM big_sales GROUP BY region;
