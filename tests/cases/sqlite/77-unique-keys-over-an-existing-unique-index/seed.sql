INSERT INTO users (id, email, name) VALUES (1, 'a@x.org', 'Ada'), (2, 'b@x.org', NULL), (3, 'c@x.org', 'Ada');
