INSERT INTO parts (id, name) VALUES (1, 'bolt'), (4294967295, 'nut');
