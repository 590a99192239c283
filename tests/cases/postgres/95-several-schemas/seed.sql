INSERT INTO customers VALUES (1, 'o''brien@example.com'), (2, 'jürgen@example.de');
