INSERT INTO departments VALUES (1, 'ops'), (2, 'dev');
INSERT INTO employees VALUES (1, 1, 'ada'), (2, 2, 'bob'), (3, NULL, 'cy');
