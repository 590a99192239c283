INSERT INTO customers (id, email, name) VALUES
    (1, 'ann@example.com', 'Ann O''Neil'),
    (2, 'bjorn@example.se', NULL),
    (3, 'zoe@example.fr', 'Zoë «Z» 東京');
