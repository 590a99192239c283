CREATE TABLE k (
    id "INTEGER" PRIMARY KEY,
    x "a""b",
    y [weird type](1, 2),
    w `back tick`,
    z TEXT NOT NULL DEFAULT ''
);
CREATE TABLE n (id INTEGER PRIMARY KEY, q "quoted""type"(3));
