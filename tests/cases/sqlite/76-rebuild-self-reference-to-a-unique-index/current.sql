CREATE TABLE node (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    label TEXT DEFAULT 'x',
    parent_code TEXT REFERENCES node (code)
);
CREATE UNIQUE INDEX node_code ON node (code);
CREATE INDEX node_label ON node (label);
