INSERT INTO employees VALUES (1, 'Ada', NULL), (2, 'Grace O''Hopper', 1), (3, 'Edsger «E.W.»', 2);
