CREATE TABLE a_parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE UNIQUE INDEX ux_a_parent_code ON a_parent (code);
CREATE TABLE b_child (id INTEGER PRIMARY KEY, parent_code TEXT REFERENCES a_parent (code));
