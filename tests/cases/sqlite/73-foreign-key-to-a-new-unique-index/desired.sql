-- The child's rebuild checks its new foreign key (PRAGMA foreign_key_check), which
-- needs the parent's unique index to exist already.
CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE UNIQUE INDEX ux_parent_code ON parent (code);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_code TEXT REFERENCES parent (code));
