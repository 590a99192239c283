INSERT INTO acct (id, owner, balance) VALUES (1, 'ann', 10.50), (2, 'bob', 0.00);
