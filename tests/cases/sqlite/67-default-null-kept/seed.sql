INSERT INTO users (id, name, nickname, email) VALUES (1, 'ada', NULL, 'ada@x.org'), (2, NULL, 'b', NULL);
