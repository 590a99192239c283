INSERT INTO users (email, name) VALUES ('a@x.org', 'Ada'), ('b@x.org', NULL), ('c@x.org', 'Cy');
INSERT INTO departments VALUES (1, 'ops'), (2, 'dev');
INSERT INTO employees VALUES (1, 1, 'ada'), (2, 2, 'bob'), (3, NULL, 'cy');
