INSERT INTO users (id, email, last_name, first_name, score, deleted_at, profile) VALUES
    (1, 'Ann@Example.com', 'O''Neil', 'Ann', 10, NULL, '{"theme": "dark"}'),
    (2, 'bob@example.com', NULL, 'Bob', NULL, '2024-02-02 02:02+00', '{}'),
    (3, 'zoë@example.fr', 'Dupré', 'Zoë', 7, NULL, '{"tags": ["ü", "東京"]}');
