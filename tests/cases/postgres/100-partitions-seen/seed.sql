INSERT INTO sensors VALUES (1, 'roof «north»'), (2, 'cellar ''B''');
INSERT INTO measurements VALUES (1, '2024-06-01 12:00+00', 21.5), (2, '2025-01-02 00:00+00', NULL);
