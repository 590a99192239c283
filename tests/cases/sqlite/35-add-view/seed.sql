INSERT INTO users (email, name) VALUES ('a@x.org', 'Ada'), ('b@x.org', NULL), ('c@x.org', 'Cy');
