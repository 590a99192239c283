CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL,
    code text NOT NULL,
    UNIQUE (code)
);

CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer,
    author_code text,
    title text NOT NULL
);
