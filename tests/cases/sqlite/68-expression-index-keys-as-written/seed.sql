INSERT INTO users VALUES (1, 'a@x.org', 'Ada', 'Lovelace', 36), (2, 'b@x.org', 'Bob', NULL, NULL);
