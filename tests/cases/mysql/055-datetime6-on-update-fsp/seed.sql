INSERT INTO events (id, kind, at) VALUES (1, 'start', '2024-01-02 03:04:05.123456'), (2, 'stop', '2024-05-06 07:08:09.000001');
