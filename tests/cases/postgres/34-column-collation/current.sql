CREATE TABLE products (
    sku text COLLATE "C" PRIMARY KEY,
    title text NOT NULL
);
