CREATE TABLE measure (
    id INTEGER PRIMARY KEY,
    qty INT,
    note TEXT
);
