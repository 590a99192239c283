//! Rename hints (`-- migrate:renamed-from OLD`) through the binary on every engine: the
//! generated revision renames (rows kept), its downgrade renames back, the engine's
//! catalog then equals a fresh load of the schema, and the stale hint changes nothing.

use crate::my_oracle::{self, Shown};
use crate::oracle::{assert_same, Catalog};
use crate::pg_oracle::{self, Dump};
use crate::project::TestProject;
use crate::servers::{self, Database, MyDatabase, PgDatabase};

/// Autogenerates a revision and returns its text from `-- migrate:upgrade` on.
#[track_caller]
fn generated(p: &TestProject, message: &str) -> String {
    let run = p.run(&["revision", "--autogenerate", "-m", message]).ok();
    let text = std::fs::read_to_string(run.stdout.trim()).expect("revision file");
    let at = text.find("-- migrate:upgrade").expect("an upgrade section");
    text[at..].to_string()
}

/// After the upgrade the hints are stale: nothing to do, and `check` agrees.
#[track_caller]
fn nothing_left(p: &TestProject) {
    p.run(&["check"]).ok();
    let run = p.run(&["revision", "--autogenerate", "-m", "again"]).ok();
    assert!(run.stderr.contains("No changes detected"), "{run:?}");
}

/// `text` without its rename hints: the schema a fresh load gives, for the oracle.
fn without_hints(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("-- migrate:renamed-from") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const SQLITE_BEFORE: &str = "\
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0));
CREATE INDEX ix_people_name ON people (name);
CREATE TABLE pets (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES people (id));
CREATE VIEW named AS SELECT name FROM people;
";

const SQLITE_AFTER: &str = "\
CREATE TABLE persons ( -- migrate:renamed-from people
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL CHECK (length(full_name) > 0) -- migrate:renamed-from name
);
CREATE INDEX ix_people_name ON persons (full_name);
CREATE TABLE pets (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES persons (id));
CREATE VIEW named AS SELECT full_name FROM persons;
";

#[test]
fn sqlite_renames_keep_rows_indexes_and_keys_and_the_downgrade_renames_back() {
    let p = TestProject::new();
    p.write("schema.sql", SQLITE_BEFORE);
    generated(&p, "init");
    p.run(&["upgrade", "head"]).ok();
    p.db()
        .execute_batch("INSERT INTO people VALUES (1, 'ann'); INSERT INTO pets VALUES (7, 1);")
        .expect("rows");

    p.write("schema.sql", SQLITE_AFTER);
    assert_eq!(
        generated(&p, "rename"),
        "-- migrate:upgrade\n\
         DROP VIEW \"named\";\n\n\
         ALTER TABLE \"people\" RENAME TO \"persons\";\n\n\
         ALTER TABLE \"persons\" RENAME COLUMN \"name\" TO \"full_name\";\n\n\
         CREATE VIEW named AS SELECT full_name FROM persons;\n\n\
         -- migrate:downgrade\n\
         DROP VIEW \"named\";\n\n\
         ALTER TABLE \"persons\" RENAME COLUMN \"full_name\" TO \"name\";\n\n\
         ALTER TABLE \"persons\" RENAME TO \"people\";\n\n\
         CREATE VIEW named AS SELECT name FROM people;\n"
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(
        p.strings("SELECT id || ' ' || full_name FROM persons"),
        ["1 ann"]
    );
    assert_eq!(
        p.strings("SELECT name FROM pragma_index_list('persons') WHERE origin = 'c'"),
        ["ix_people_name"]
    );
    assert_eq!(
        p.strings("SELECT \"table\" || '.' || \"to\" FROM pragma_foreign_key_list('pets')"),
        ["persons.id"]
    );
    let fresh = Catalog::of_sql(&without_hints(SQLITE_AFTER));
    assert_same(
        &Catalog::read(&p.db()).folded(),
        &fresh.folded(),
        "upgraded",
    );
    nothing_left(&p);

    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(p.strings("SELECT id || ' ' || name FROM people"), ["1 ann"]);
    assert_eq!(p.count("SELECT owner FROM pets WHERE id = 7"), 1);
    let fresh = Catalog::of_sql(SQLITE_BEFORE);
    assert_same(
        &Catalog::read(&p.db()).folded(),
        &fresh.folded(),
        "downgraded",
    );
}

#[test]
fn a_hint_whose_old_name_the_database_lacks_is_an_error_naming_file_and_line() {
    let p = TestProject::new();
    p.write("schema.sql", SQLITE_BEFORE);
    generated(&p, "init");
    p.run(&["upgrade", "head"]).ok();
    p.write(
        "schema.sql",
        "CREATE TABLE people (\n  id INTEGER PRIMARY KEY,\n  label TEXT -- migrate:renamed-from title\n);\n",
    );
    p.run(&["check"]).fails(
        1,
        "schema.sql:3: column people.label is renamed from title, but table people in the \
         database has no column of either name",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE humans (id INTEGER PRIMARY KEY); -- migrate:renamed-from persons\n",
    );
    p.run(&["revision", "--autogenerate", "-m", "x"]).fails(
        1,
        "schema.sql:1: table humans is renamed from persons, but the database has no table \
         of either name",
    );
    assert_eq!(
        std::fs::read_dir(p.path("migrations"))
            .expect("dir")
            .count(),
        1,
        "no revision written"
    );
}

#[test]
fn a_drop_plus_add_suggests_the_hint() {
    let p = TestProject::new();
    p.write("schema.sql", SQLITE_BEFORE);
    generated(&p, "init");
    p.run(&["upgrade", "head"]).ok();
    p.write(
        "schema.sql",
        &SQLITE_BEFORE.replace("owner INTEGER", "keeper INTEGER"),
    );
    let text = generated(&p, "swap");
    assert!(
        text.contains(
            "-- NOTE: a rename shows as a drop plus an add (the dropped data is lost); if you \
         meant a rename, end the new column's definition (or the new table's CREATE TABLE \
         line) in schema.sql with `-- migrate:renamed-from OLD` and generate again\n"
        ),
        "{text}"
    );
}

const PG_BEFORE: &str = "\
CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL UNIQUE CHECK (length(name) > 0), age integer);
CREATE INDEX ON people (age);
CREATE TABLE pets (id integer PRIMARY KEY, owner integer REFERENCES people (id));
";

const PG_AFTER: &str = "\
CREATE TABLE persons ( -- migrate:renamed-from people
    id serial PRIMARY KEY,
    full_name text NOT NULL UNIQUE CHECK (length(full_name) > 0), -- migrate:renamed-from name
    years bigint -- migrate:renamed-from age
);
CREATE INDEX ON persons (years);
CREATE TABLE animals (id integer PRIMARY KEY, owner integer REFERENCES persons (id)); -- migrate:renamed-from pets
";

#[test]
fn postgres_renames_follow_the_names_postgres_derives_and_the_downgrade_renames_back() {
    // PostgreSQL keeps a constraint's, an index's and a sequence's name through a rename
    // of its table or column, while a fresh load derives them from the new names.
    let Some(db) = PgDatabase::create("renames") else {
        return;
    };
    let p = TestProject::on_url(&db.url());
    p.write("schema.sql", PG_BEFORE);
    generated(&p, "init");
    p.run(&["upgrade", "head"]).ok();
    let mut client = db.client();
    client
        .batch_execute(
            "INSERT INTO people (name, age) VALUES ('ann', 3); INSERT INTO pets VALUES (7, 1);",
        )
        .expect("rows");

    p.write("schema.sql", PG_AFTER);
    assert_eq!(
        generated(&p, "rename"),
        "-- migrate:upgrade\n\
         ALTER TABLE \"public\".\"people\" RENAME TO \"persons\";\n\
         ALTER SEQUENCE \"public\".\"people_id_seq\" RENAME TO \"persons_id_seq\";\n\n\
         ALTER TABLE \"public\".\"pets\" RENAME TO \"animals\";\n\n\
         ALTER TABLE \"public\".\"persons\" RENAME COLUMN \"name\" TO \"full_name\";\n\
         ALTER TABLE \"public\".\"persons\" RENAME COLUMN \"age\" TO \"years\";\n\n\
         ALTER TABLE \"public\".\"animals\" RENAME CONSTRAINT \"pets_pkey\" TO \"animals_pkey\";\n\
         ALTER TABLE \"public\".\"animals\" RENAME CONSTRAINT \"pets_owner_fkey\" TO \"animals_owner_fkey\";\n\n\
         ALTER TABLE \"public\".\"persons\" RENAME CONSTRAINT \"people_pkey\" TO \"persons_pkey\";\n\
         ALTER TABLE \"public\".\"persons\" RENAME CONSTRAINT \"people_name_check\" TO \"persons_full_name_check\";\n\
         ALTER TABLE \"public\".\"persons\" RENAME CONSTRAINT \"people_name_key\" TO \"persons_full_name_key\";\n\n\
         ALTER INDEX \"public\".\"people_age_idx\" RENAME TO \"persons_years_idx\";\n\n\
         ALTER TABLE \"public\".\"persons\" ALTER COLUMN \"years\" TYPE bigint;\n\n\
         -- migrate:downgrade\n\
         -- WARNING: changes the type of public.persons.years from bigint to integer: values may not convert\n\
         ALTER TABLE \"public\".\"persons\" ALTER COLUMN \"years\" TYPE integer;\n\n\
         ALTER INDEX \"public\".\"persons_years_idx\" RENAME TO \"people_age_idx\";\n\n\
         ALTER TABLE \"public\".\"persons\" RENAME CONSTRAINT \"persons_full_name_key\" TO \"people_name_key\";\n\
         ALTER TABLE \"public\".\"persons\" RENAME CONSTRAINT \"persons_full_name_check\" TO \"people_name_check\";\n\
         ALTER TABLE \"public\".\"persons\" RENAME CONSTRAINT \"persons_pkey\" TO \"people_pkey\";\n\n\
         ALTER TABLE \"public\".\"animals\" RENAME CONSTRAINT \"animals_owner_fkey\" TO \"pets_owner_fkey\";\n\
         ALTER TABLE \"public\".\"animals\" RENAME CONSTRAINT \"animals_pkey\" TO \"pets_pkey\";\n\n\
         ALTER TABLE \"public\".\"persons\" RENAME COLUMN \"years\" TO \"age\";\n\
         ALTER TABLE \"public\".\"persons\" RENAME COLUMN \"full_name\" TO \"name\";\n\n\
         ALTER TABLE \"public\".\"animals\" RENAME TO \"pets\";\n\n\
         ALTER TABLE \"public\".\"persons\" RENAME TO \"people\";\n\
         ALTER SEQUENCE \"public\".\"persons_id_seq\" RENAME TO \"people_id_seq\";\n"
    );
    p.run(&["upgrade", "head"]).ok();
    let row = client
        .query_one("SELECT id, full_name, years FROM persons", &[])
        .expect("renamed row");
    assert_eq!(
        (
            row.get::<_, i32>(0),
            row.get::<_, String>(1),
            row.get::<_, i64>(2)
        ),
        (1, "ann".to_string(), 3)
    );
    let row = client
        .query_one("SELECT id, owner FROM animals", &[])
        .expect("renamed table's row");
    assert_eq!((row.get::<_, i32>(0), row.get::<_, i32>(1)), (7, 1));
    let fresh = pg_oracle::dump_of_sql("renames after", &without_hints(PG_AFTER)).expect("server");
    assert_eq!(pg_oracle::difference(&Dump::read(&db.url()), &fresh), None);
    nothing_left(&p);

    p.run(&["downgrade", "-1"]).ok();
    let row = client
        .query_one("SELECT id, name, age FROM people", &[])
        .expect("row back");
    assert_eq!(
        (
            row.get::<_, i32>(0),
            row.get::<_, String>(1),
            row.get::<_, i32>(2)
        ),
        (1, "ann".to_string(), 3)
    );
    let fresh = pg_oracle::dump_of_sql("renames before", PG_BEFORE).expect("server");
    assert_eq!(pg_oracle::difference(&Dump::read(&db.url()), &fresh), None);
}

const MY_BEFORE: &str = "\
CREATE TABLE people (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL DEFAULT 'x' COMMENT 'the name', age int, UNIQUE KEY (name), KEY (age), CHECK (age > 0));
CREATE TABLE pets (id int PRIMARY KEY, owner int, FOREIGN KEY (owner) REFERENCES people (id));
";

const MY_AFTER: &str = "\
CREATE TABLE persons ( -- migrate:renamed-from people
    id int AUTO_INCREMENT PRIMARY KEY,
    full_name varchar(50) NOT NULL DEFAULT 'x' COMMENT 'the name', -- migrate:renamed-from name
    years int, -- migrate:renamed-from age
    UNIQUE KEY (full_name), KEY (years), CHECK (years > 0));
CREATE TABLE animals (id int PRIMARY KEY, owner int, FOREIGN KEY (owner) REFERENCES persons (id)); -- migrate:renamed-from pets
";

#[test]
fn mysql_renames_use_rename_column_and_rename_index_and_the_downgrade_renames_back() {
    // `pets` has a foreign key whose name the server generated (`pets_ibfk_1`): the
    // server renames it with its table, and a fresh load names it `animals_ibfk_1`.
    let Some(db) = MyDatabase::create("renames") else {
        return;
    };
    let p = TestProject::on_url(&db.url());
    p.write("schema.sql", MY_BEFORE);
    generated(&p, "init");
    p.run(&["upgrade", "head"]).ok();
    my_oracle::load(
        &db,
        "INSERT INTO people (name, age) VALUES ('ann', 3); INSERT INTO pets VALUES (7, 1);",
    )
    .expect("rows");

    p.write("schema.sql", MY_AFTER);
    assert_eq!(
        generated(&p, "rename"),
        "-- migrate:upgrade\n\
         RENAME TABLE `people` TO `persons`;\n\n\
         RENAME TABLE `pets` TO `animals`;\n\n\
         ALTER TABLE `persons` RENAME COLUMN `name` TO `full_name`;\n\
         ALTER TABLE `persons` RENAME COLUMN `age` TO `years`;\n\n\
         ALTER TABLE `persons` RENAME INDEX `name` TO `full_name`;\n\n\
         ALTER TABLE `persons` RENAME INDEX `age` TO `years`;\n\n\
         -- migrate:downgrade\n\
         ALTER TABLE `persons` RENAME INDEX `years` TO `age`;\n\n\
         ALTER TABLE `persons` RENAME INDEX `full_name` TO `name`;\n\n\
         ALTER TABLE `persons` RENAME COLUMN `years` TO `age`;\n\
         ALTER TABLE `persons` RENAME COLUMN `full_name` TO `name`;\n\n\
         RENAME TABLE `animals` TO `pets`;\n\n\
         RENAME TABLE `persons` TO `people`;\n"
    );
    p.run(&["upgrade", "head"]).ok();
    let rows = my_oracle::Rows::read(&db);
    assert_eq!(
        rows.0["persons"],
        (
            vec![
                "id".to_string(),
                "full_name".to_string(),
                "years".to_string()
            ],
            vec![vec![
                "'1'".to_string(),
                "'ann'".to_string(),
                "'3'".to_string()
            ]]
        )
    );
    let fresh = my_oracle::shown_of_sql("renames after", &without_hints(MY_AFTER))
        .expect("server")
        .expect("loads");
    assert_eq!(Shown::read(&db).difference(&fresh), None);
    nothing_left(&p);

    p.run(&["downgrade", "-1"]).ok();
    let rows = my_oracle::Rows::read(&db);
    assert_eq!(
        rows.0["people"].1,
        vec![vec![
            "'1'".to_string(),
            "'ann'".to_string(),
            "'3'".to_string()
        ]]
    );
    let fresh = my_oracle::shown_of_sql("renames before", MY_BEFORE)
        .expect("server")
        .expect("loads");
    assert_eq!(Shown::read(&db).difference(&fresh), None);
}

#[test]
fn sqlite_a_renamed_table_that_is_also_rebuilt_keeps_its_rows_both_ways() {
    let before = "\
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INT);
CREATE INDEX ix_people_name ON people (name) WHERE name <> '';
CREATE TRIGGER stamp AFTER INSERT ON people BEGIN SELECT 1; END;
";
    let after = "\
CREATE TABLE persons ( -- migrate:renamed-from people
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL UNIQUE, -- migrate:renamed-from name
    age INT NOT NULL DEFAULT 0
);
CREATE INDEX ix_people_name ON persons (full_name) WHERE full_name <> '';
CREATE TRIGGER stamp AFTER INSERT ON persons BEGIN SELECT 1; END;
";
    let p = TestProject::new();
    p.write("schema.sql", before);
    generated(&p, "init");
    p.run(&["upgrade", "head"]).ok();
    p.db()
        .execute_batch("INSERT INTO people VALUES (1, 'ann', 3), (2, 'bob', 4);")
        .expect("rows");
    p.write("schema.sql", after);
    let text = generated(&p, "rename and rebuild");
    assert!(
        text.starts_with(
            "-- migrate:upgrade\nDROP TRIGGER \"stamp\";\n\n\
             ALTER TABLE \"people\" RENAME TO \"persons\";\n\n\
             ALTER TABLE \"persons\" RENAME COLUMN \"name\" TO \"full_name\";\n\n"
        ),
        "{text}"
    );
    p.run(&["upgrade", "head"]).ok();
    assert_eq!(
        p.strings("SELECT full_name || ' ' || age FROM persons ORDER BY id"),
        ["ann 3", "bob 4"]
    );
    let fresh = Catalog::of_sql(&without_hints(after));
    assert_same(
        &Catalog::read(&p.db()).folded(),
        &fresh.folded(),
        "upgraded",
    );
    nothing_left(&p);
    p.run(&["downgrade", "-1"]).ok();
    assert_eq!(
        p.strings("SELECT name || ' ' || age FROM people ORDER BY id"),
        ["ann 3", "bob 4"]
    );
    let fresh = Catalog::of_sql(before);
    assert_same(
        &Catalog::read(&p.db()).folded(),
        &fresh.folded(),
        "downgraded",
    );
}

/// A chain or a swap of renames: `before` loaded and `seed` inserted, then `after` (with
/// its hints) generated and upgraded to, then downgraded from. `upgraded` and
/// `downgraded` list (table, column, values by id) the rows must show in each state.
struct Renaming {
    before: &'static str,
    seed: &'static str,
    after: &'static str,
    upgraded: &'static [(&'static str, &'static str, &'static [&'static str])],
    downgraded: &'static [(&'static str, &'static str, &'static [&'static str])],
}

/// An engine as a scenario sees it: the values of a column by id, running SQL, and the
/// catalog compared with a fresh load of some SQL (the engine's own report).
type Engine<'a> = (
    &'a dyn Fn(&str, &str) -> Vec<String>,
    &'a dyn Fn(&str),
    &'a dyn Fn(&str, &str),
);

impl Renaming {
    fn exercise(&self, p: &TestProject, (values, execute, assert_fresh): Engine<'_>) {
        p.write("schema.sql", self.before);
        generated(p, "init");
        p.run(&["upgrade", "head"]).ok();
        execute(self.seed);
        p.write("schema.sql", self.after);
        let text = generated(p, "rename");
        p.run(&["upgrade", "head"]).ok();
        for (table, column, want) in self.upgraded {
            assert_eq!(values(table, column), *want, "{table}.{column}: {text}");
        }
        assert_fresh(&without_hints(self.after), "upgraded");
        nothing_left(p);
        p.run(&["downgrade", "-1"]).ok();
        for (table, column, want) in self.downgraded {
            assert_eq!(values(table, column), *want, "{table}.{column}: {text}");
        }
        assert_fresh(self.before, "downgraded");
    }
}

/// `b` renamed from `a` while `c` is renamed from `b`: `b` must move to `c` first.
const COLUMN_CHAIN: Renaming = Renaming {
    before: "CREATE TABLE t (id int PRIMARY KEY, a varchar(20), b varchar(20));\n",
    seed: "INSERT INTO t VALUES (1, 'from a', 'from b'), (2, NULL, 'only b')",
    after: "\
CREATE TABLE t (
    id int PRIMARY KEY,
    b varchar(20), -- migrate:renamed-from a
    c varchar(20) -- migrate:renamed-from b
);
",
    upgraded: &[
        ("t", "b", &["from a", "-"]),
        ("t", "c", &["from b", "only b"]),
    ],
    downgraded: &[
        ("t", "a", &["from a", "-"]),
        ("t", "b", &["from b", "only b"]),
    ],
};

/// `a` and `b` swap names (and with them types): one goes aside first.
const COLUMN_SWAP: Renaming = Renaming {
    before: "CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(20));\n",
    seed: "INSERT INTO t VALUES (1, 11, 'from b'), (2, 22, 'two')",
    after: "\
CREATE TABLE t (
    id int PRIMARY KEY,
    b int, -- migrate:renamed-from a
    a varchar(20) -- migrate:renamed-from b
);
",
    upgraded: &[("t", "b", &["11", "22"]), ("t", "a", &["from b", "two"])],
    downgraded: &[("t", "a", &["11", "22"]), ("t", "b", &["from b", "two"])],
};

/// Tables `p` and `q` swap names; `s` becomes `u` while `u` becomes `z`.
const TABLE_CHAIN_AND_SWAP: Renaming = Renaming {
    before: "\
CREATE TABLE p (id int PRIMARY KEY, v varchar(20));
CREATE TABLE q (id int PRIMARY KEY, w int);
CREATE TABLE s (id int PRIMARY KEY, x varchar(20));
CREATE TABLE u (id int PRIMARY KEY, y int);
",
    seed: "INSERT INTO p VALUES (1, 'p'); INSERT INTO q VALUES (1, 2); \
           INSERT INTO s VALUES (1, 's'); INSERT INTO u VALUES (1, 3)",
    after: "\
CREATE TABLE q (id int PRIMARY KEY, v varchar(20)); -- migrate:renamed-from p
CREATE TABLE p (id int PRIMARY KEY, w int); -- migrate:renamed-from q
CREATE TABLE u (id int PRIMARY KEY, x varchar(20)); -- migrate:renamed-from s
CREATE TABLE z (id int PRIMARY KEY, y int); -- migrate:renamed-from u
",
    upgraded: &[
        ("q", "v", &["p"]),
        ("p", "w", &["2"]),
        ("u", "x", &["s"]),
        ("z", "y", &["3"]),
    ],
    downgraded: &[
        ("p", "v", &["p"]),
        ("q", "w", &["2"]),
        ("s", "x", &["s"]),
        ("u", "y", &["3"]),
    ],
};

fn sqlite_exercise(renaming: &Renaming) {
    let p = TestProject::new();
    let values = |table: &str, column: &str| {
        p.strings(&format!(
            "SELECT coalesce(CAST(\"{column}\" AS TEXT), '-') FROM \"{table}\" ORDER BY id"
        ))
    };
    let execute = |sql: &str| p.db().execute_batch(sql).expect("seed");
    let assert_fresh = |sql: &str, label: &str| {
        assert_same(
            &Catalog::read(&p.db()).folded(),
            &Catalog::of_sql(sql).folded(),
            label,
        )
    };
    renaming.exercise(&p, (&values, &execute, &assert_fresh));
}

/// `renaming` on a server database; `select` reads a column by id as text (`{c}` the
/// column, `{t}` the table); `fresh` compares the catalog with a fresh load of some SQL.
fn server_exercise<E: servers::Engine>(
    db: Option<Database<E>>,
    renaming: &Renaming,
    select: &str,
    fresh: fn(&Database<E>, &str, &str),
) {
    let Some(db) = db else {
        return;
    };
    let p = TestProject::on_url(&db.url());
    let values = |table: &str, column: &str| {
        db.strings(&select.replace("{c}", column).replace("{t}", table))
    };
    let execute = |sql: &str| db.execute(sql);
    let assert_fresh = |sql: &str, label: &str| fresh(&db, sql, label);
    renaming.exercise(&p, (&values, &execute, &assert_fresh));
}

/// The catalog of `db` against a fresh load of `sql`, by pg_dump.
fn pg_fresh(db: &PgDatabase, sql: &str, label: &str) {
    let fresh = pg_oracle::dump_of_sql(label, sql).expect("server");
    let actual = Dump::read(&db.url());
    assert_eq!(pg_oracle::difference(&actual, &fresh), None, "{label}");
}

/// The catalog of `db` against a fresh load of `sql`, by SHOW CREATE TABLE.
fn my_fresh(db: &MyDatabase, sql: &str, label: &str) {
    let fresh = my_oracle::shown_of_sql(label, sql)
        .expect("server")
        .expect("loads");
    assert_eq!(Shown::read(db).difference(&fresh), None, "{label}");
}

const PG_SELECT: &str = "SELECT coalesce(\"{c}\"::text, '-') FROM \"{t}\" ORDER BY id";
const MY_SELECT: &str = "SELECT coalesce(CAST(`{c}` AS CHAR), '-') FROM `{t}` ORDER BY id";

fn postgres_exercise(renaming: &Renaming) {
    server_exercise(PgDatabase::create("renames"), renaming, PG_SELECT, pg_fresh);
}

fn mysql_exercise(renaming: &Renaming) {
    server_exercise(MyDatabase::create("renames"), renaming, MY_SELECT, my_fresh);
}

#[test]
fn sqlite_a_chain_of_column_renames_renames_the_last_first() {
    sqlite_exercise(&COLUMN_CHAIN);
}

#[test]
fn sqlite_a_swap_of_columns_goes_through_a_temporary_name() {
    sqlite_exercise(&COLUMN_SWAP);
}

#[test]
fn sqlite_tables_chain_and_swap() {
    sqlite_exercise(&TABLE_CHAIN_AND_SWAP);
}

#[test]
fn postgres_a_chain_of_column_renames_renames_the_last_first() {
    postgres_exercise(&COLUMN_CHAIN);
}

#[test]
fn postgres_a_swap_of_columns_goes_through_a_temporary_name() {
    postgres_exercise(&COLUMN_SWAP);
}

#[test]
fn postgres_tables_chain_and_swap() {
    postgres_exercise(&TABLE_CHAIN_AND_SWAP);
}

#[test]
fn mysql_a_chain_of_column_renames_renames_the_last_first() {
    mysql_exercise(&COLUMN_CHAIN);
}

#[test]
fn mysql_a_swap_of_columns_goes_through_a_temporary_name() {
    mysql_exercise(&COLUMN_SWAP);
}

#[test]
fn mysql_tables_chain_and_swap() {
    mysql_exercise(&TABLE_CHAIN_AND_SWAP);
}
