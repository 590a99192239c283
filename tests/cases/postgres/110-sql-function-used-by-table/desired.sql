-- SQL-language functions called by tables: they must exist before the columns, checks
-- and indexes calling them are made (and one reading a table, which nothing calls).
CREATE FUNCTION slugify(input text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(input)) $$;

CREATE FUNCTION "Default Label"() RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'untitled' $$;

CREATE TABLE items (
    id integer PRIMARY KEY,
    name text NOT NULL,
    slug text GENERATED ALWAYS AS (slugify(name)) STORED,
    CONSTRAINT items_name_trimmed CHECK (name = slugify(name) OR name <> '')
);
CREATE INDEX items_slug_lower_idx ON items (slugify(name));

CREATE TABLE labels (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT "Default Label"()
);

CREATE FUNCTION item_count() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$;
