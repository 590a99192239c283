INSERT INTO sales VALUES
    (1, 'Île-de-France', 120.00, '2024-01-03'),
    (2, 'Bayern', 80.50, '2024-01-04'),
    (3, 'Bayern', 19.99, '2024-02-01'),
    (4, 'Côte d''Azur', 5.00, '2024-03-01');
