INSERT INTO orders (id, reference, note, amount) VALUES
    (1, 'A-001', 'leave at the door', 10.50),
    (2, 'B-002', NULL, 0.00),
    (2147483647, 'C-«3»', 'größer ''quoted''', 99999999.99);
