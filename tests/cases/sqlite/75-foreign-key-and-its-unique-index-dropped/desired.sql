-- The downgrade rebuilds b_child with its foreign key again, and its
-- PRAGMA foreign_key_check needs the parent's unique index back first.
CREATE TABLE a_parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE TABLE b_child (id INTEGER PRIMARY KEY, parent_code TEXT);
