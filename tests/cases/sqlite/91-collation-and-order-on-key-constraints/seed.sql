INSERT INTO account (code, email, b) VALUES ('a', 'a@x.org', 1), ('B', 'b@x.org', 2);
INSERT INTO label (name, tag) VALUES ('x', 'y');
