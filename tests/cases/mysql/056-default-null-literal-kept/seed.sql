INSERT INTO people (id, nick, born) VALUES (1, 'ann', '1990-01-02'), (2, NULL, NULL);
