CREATE TABLE order_lines (
    id INT NOT NULL PRIMARY KEY,
    qty INT NOT NULL,
    unit_price DECIMAL(8,2) NOT NULL,
    line_total DECIMAL(12,2) AS (qty * unit_price) STORED,
    KEY order_lines_total (line_total)
);
