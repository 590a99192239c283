CREATE TABLE ticket (
    id INTEGER PRIMARY KEY,
    s TEXT DEFAULT "Active" CHECK (s IN ("Active", "Closed"))
);
