INSERT INTO customers (id, email, name) VALUES
    (1, 'ann@example.com', 'Ann O''Neil'),
    (2, 'bjorn@example.se', NULL),
    (3, 'zoe@example.fr', 'Zoë «Z» 東京');
INSERT INTO departments VALUES (1, 'R&D', NULL);
INSERT INTO staff VALUES (1, 'Zoë', 1);
UPDATE departments SET head_id = 1;
