INSERT INTO a_parent (id, code) VALUES (1, 'a');
INSERT INTO b_child (id, parent_code) VALUES (10, 'a');
