INSERT INTO py_orm (name, attr) VALUES
    ('alpha', '{"k": 1}'),
    ('', '{"nested": {"a": [1, 2, null]}, "quote": "it''s"}'),
    ('中文名', '{"emoji": "✓"}');
INSERT INTO py_orm (name, attr, ct, ut) VALUES ('no dates', '[]', NULL, NULL);
