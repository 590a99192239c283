INSERT INTO events (id, title, starts_at, expires_at, kind) VALUES
    (1, 'Launch «día»', '2024-05-01 10:00+02', NULL, 'public'),
    (2, 'Retro ''24''', NULL, '2024-06-01 00:00+00', NULL);
