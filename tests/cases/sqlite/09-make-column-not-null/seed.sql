INSERT INTO users (email, name) VALUES ('a@x.org', 'Ada'), ('c@x.org', 'Cy');
