INSERT INTO customers VALUES (1, 'ann@example.com'), (2, 'jürgen@example.de');
