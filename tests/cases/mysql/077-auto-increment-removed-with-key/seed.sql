INSERT INTO readings (sensor, taken) VALUES (1, '2024-01-01 00:00:00'), (2, '2024-01-01 00:00:00'), (1, '2024-01-02 00:00:00');
