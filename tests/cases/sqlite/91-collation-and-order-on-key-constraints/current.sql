CREATE TABLE account (
    code TEXT NOT NULL,
    email TEXT,
    b INTEGER,
    PRIMARY KEY (code),
    UNIQUE (email),
    UNIQUE (b)
);
CREATE TABLE label (
    name TEXT COLLATE NOCASE,
    tag TEXT COLLATE NOCASE,
    UNIQUE (name),
    UNIQUE (tag COLLATE NOCASE)
);
