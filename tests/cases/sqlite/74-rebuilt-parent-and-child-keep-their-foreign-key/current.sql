CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL, note TEXT);
CREATE UNIQUE INDEX ux_parent_code ON parent (code);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_code TEXT REFERENCES parent (code), qty INTEGER);
