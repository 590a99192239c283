INSERT INTO node (id, code, label, parent_code) VALUES
    (1, 'root', 'Root', NULL),
    (2, 'a', 'A', 'root'),
    (3, 'b', NULL, 'a');
