CREATE TABLE products (id INTEGER PRIMARY KEY, price NUMERIC NOT NULL, CONSTRAINT ck_price_positive CHECK (price > 0));
