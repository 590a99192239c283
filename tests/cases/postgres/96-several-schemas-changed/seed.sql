INSERT INTO customers VALUES (1, 'o''brien@example.com'), (2, 'jürgen@example.de');
INSERT INTO billing.customers VALUES (1, 'FR-12 345'), (3, NULL);
INSERT INTO billing.invoices VALUES (10, 1, 99.90), (11, 2, 0);
