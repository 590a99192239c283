-- Both tables are rebuilt; the parent's unique index is re-created right after the
-- parent, before the child's rebuild checks the foreign key that references it.
CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX ux_parent_code ON parent (code);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_code TEXT REFERENCES parent (code), qty INTEGER NOT NULL DEFAULT 0);
