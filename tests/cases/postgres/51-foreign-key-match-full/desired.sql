CREATE TABLE authors (
    id integer PRIMARY KEY,
    name text NOT NULL,
    code text NOT NULL,
    UNIQUE (id, code)
);

CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer,
    author_code text,
    title text NOT NULL,
    CONSTRAINT books_author_fkey FOREIGN KEY (author_id, author_code)
        REFERENCES authors (id, code) MATCH FULL ON DELETE CASCADE
);
