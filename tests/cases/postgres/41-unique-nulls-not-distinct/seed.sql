INSERT INTO accounts VALUES
    (1, 'ann', 'ann@example.com', NULL),
    (2, 'bob', NULL, NULL),
    (3, 'çelik', 'celik@example.tr', 'TR-1''2');
