CREATE TABLE store (id INTEGER PRIMARY KEY);
CREATE TABLE address (id INTEGER PRIMARY KEY);
CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    store_id INTEGER NOT NULL,
    address_id INTEGER NOT NULL,
    email TEXT,
    code TEXT,
    UNIQUE (email),
    UNIQUE (code),
    FOREIGN KEY (store_id) REFERENCES store (id),
    FOREIGN KEY (address_id) REFERENCES address (id)
);
