CREATE TABLE tag (
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE,
    slug TEXT,
    note TEXT
);
CREATE UNIQUE INDEX ux_tag_slug ON tag (slug);
