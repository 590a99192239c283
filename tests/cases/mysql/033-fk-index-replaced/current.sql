CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, email VARCHAR(120) NOT NULL);
CREATE TABLE orders (
    id INT NOT NULL PRIMARY KEY,
    customer_id INT NOT NULL,
    total DECIMAL(10,2) NOT NULL DEFAULT 0.00,
    KEY orders_customer (customer_id),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
);
