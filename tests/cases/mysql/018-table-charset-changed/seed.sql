INSERT INTO notes VALUES (1, 'café', 'abc');
