CREATE TABLE products (
    sku text COLLATE "C" PRIMARY KEY,
    title text COLLATE "POSIX" NOT NULL
);
