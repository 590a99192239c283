CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);
CREATE TABLE t (
    id integer constraint [pk_t] primary key autoincrement,
    name text collate nocase not null on conflict ignore,
    a INT DEFAULT ((1)),
    b INT DEFAULT (1 + 1) CHECK ((b > 0)),
    c TEXT default "abc",
    d INT DEFAULT + 5,
    e TEXT DEFAULT current_timestamp,
    f TEXT DEFAULT NULL,
    g INT AS ((a * 2)) STORED,
    p_id INT REFERENCES p(id) on delete cascade deferrable initially deferred,
    code TEXT UNIQUE ON CONFLICT replace,
    constraint "t ck" check (length(name) < 50)
);
CREATE INDEX t_lower ON t (lower(name) COLLATE rtrim DESC, (a + b)) WHERE f IS NULL;
CREATE VIEW t_v AS SELECT id, name FROM t;
CREATE TRIGGER t_tr AFTER UPDATE ON t BEGIN SELECT 1; END;
