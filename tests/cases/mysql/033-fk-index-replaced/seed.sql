INSERT INTO customers VALUES (1, 'a@x.org'); INSERT INTO orders VALUES (1, 1, 5.00);
