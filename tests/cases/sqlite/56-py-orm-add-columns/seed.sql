INSERT INTO py_orm (name, attr) VALUES ('a', '{}'), ('b', '[1]');
