INSERT INTO py_orm (id, name, attr, ct, ut) VALUES (1, 'one', '{"a": 1}', '2024-01-01 00:00:00', '2024-01-01 00:00:00');
