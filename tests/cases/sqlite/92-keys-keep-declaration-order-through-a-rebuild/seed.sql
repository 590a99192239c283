INSERT INTO store (id) VALUES (1);
INSERT INTO address (id) VALUES (1);
INSERT INTO customer (id, store_id, address_id, email, code) VALUES (1, 1, 1, 'a@x.org', 'c1');
