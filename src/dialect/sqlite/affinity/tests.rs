//! Affinity judged by SQLite itself: values copied between columns of two declared types
//! must come out exactly as they went in wherever `affinity` says the types agree.

use super::*;
use rusqlite::Connection;

/// The examples table of <https://www.sqlite.org/datatype3.html#affinity_name_examples>.
#[test]
fn the_documented_examples() {
    let examples: &[(&[&str], Affinity)] = &[
        (
            &[
                "INT",
                "INTEGER",
                "TINYINT",
                "SMALLINT",
                "MEDIUMINT",
                "BIGINT",
                "UNSIGNED BIG INT",
                "INT2",
                "INT8",
            ],
            Affinity::Integer,
        ),
        (
            &[
                "CHARACTER(20)",
                "VARCHAR(255)",
                "VARYING CHARACTER(255)",
                "NCHAR(55)",
                "NATIVE CHARACTER(70)",
                "NVARCHAR(100)",
                "TEXT",
                "CLOB",
            ],
            Affinity::Text,
        ),
        (&["BLOB", ""], Affinity::Blob),
        (
            &["REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT"],
            Affinity::Real,
        ),
        (
            &["NUMERIC", "DECIMAL(10,5)", "BOOLEAN", "DATE", "DATETIME"],
            Affinity::Numeric,
        ),
        // Rule order: INT wins over CHAR and over FLOA ("FLOATING POINT" holds "INT").
        (&["CHARINT", "FLOATING POINT", "int"], Affinity::Integer),
        (&["STRING", "ANY"], Affinity::Numeric),
    ];
    for (types, expected) in examples {
        for t in *types {
            assert_eq!(affinity(t), *expected, "{t}");
        }
    }
}

const TYPES: &[&str] = &[
    "",
    "INT",
    "INTEGER",
    "BIGINT",
    "TEXT",
    "VARCHAR(10)",
    "NVARCHAR(200)",
    "CLOB",
    "BLOB",
    "REAL",
    "DOUBLE",
    "FLOAT",
    "NUMERIC",
    "DECIMAL(10,2)",
    "DATETIME",
    "BOOLEAN",
    "ANY",
];

/// Values of every storage class, and texts that look like numbers.
const PROBES: &[&str] = &[
    "NULL",
    "12",
    "-3",
    "1.5",
    "2.0",
    "1e3",
    "9223372036854775807",
    "'12'",
    "'12.0'",
    "'1.5'",
    "' 7'",
    "'0x10'",
    "'abc'",
    "''",
    "x'0102'",
];

/// Each probe as column `x` of a table of type `from` stores it, then as a table of type
/// `to` stores that value in the copy a rebuild makes (`INSERT ... SELECT`), each as
/// `typeof || quote`; `None` for a probe the `from` column refuses (STRICT).
fn copied(conn: &Connection, from: &str, to: &str, strict: &str) -> Vec<Option<(String, String)>> {
    let read = |table: &str, id: usize| -> Option<String> {
        conn.query_row(
            &format!("SELECT typeof(x) || ' ' || quote(x) FROM {table} WHERE id = {id}"),
            [],
            |r| r.get(0),
        )
        .ok()
    };
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS a; DROP TABLE IF EXISTS b;\n\
         CREATE TABLE a (id INTEGER PRIMARY KEY, x {from}){strict};\n\
         CREATE TABLE b (id INTEGER PRIMARY KEY, x {to}){strict};"
    ))
    .expect("create the probe tables");
    PROBES
        .iter()
        .enumerate()
        .map(|(id, probe)| {
            conn.execute_batch(&format!("INSERT INTO a VALUES ({id}, {probe})"))
                .ok()?;
            conn.execute_batch(&format!(
                "INSERT INTO b SELECT id, x FROM a WHERE id = {id}"
            ))
            .expect("a value of one affinity fits a column of the same affinity");
            Some((read("a", id)?, read("b", id)?))
        })
        .collect()
}

#[test]
fn same_affinity_keeps_every_value_through_a_rebuild_copy() {
    let conn = Connection::open_in_memory().expect("in-memory database");
    let mut kept_pairs = 0;
    let mut changed_pairs = 0;
    for from in TYPES {
        for to in TYPES {
            let rows = copied(&conn, from, to, "");
            let all_kept = rows.iter().flatten().all(|(a, b)| a == b);
            if affinity(from) == affinity(to) {
                assert!(all_kept, "{from} -> {to}: {rows:?}");
                kept_pairs += 1;
            } else if !all_kept {
                changed_pairs += 1;
            }
        }
    }
    assert!(kept_pairs > TYPES.len() && changed_pairs > TYPES.len());
}

#[test]
fn strict_tables_keep_values_between_types_of_one_affinity() {
    let conn = Connection::open_in_memory().expect("in-memory database");
    let strict = ["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"];
    for from in strict {
        for to in strict.iter().filter(|to| affinity(to) == affinity(from)) {
            let rows = copied(&conn, from, to, " STRICT");
            assert!(rows.iter().flatten().all(|(a, b)| a == b), "{from} -> {to}");
            assert!(rows.iter().flatten().count() > 1, "{from}");
        }
    }
}

/// For tables as written, whether the inspected `id` column is the rowid alias, judged by
/// SQLite: a NULL inserted into the rowid alias becomes a rowid.
#[test]
fn the_rowid_alias_is_the_column_sqlite_never_leaves_null() {
    let tables = [
        ("CREATE TABLE t (id INTEGER PRIMARY KEY, v)", true),
        (
            "CREATE TABLE t (id integer primary key autoincrement, v)",
            true,
        ),
        (
            "CREATE TABLE t (id INTEGER, v, PRIMARY KEY (id DESC))",
            true,
        ),
        ("CREATE TABLE t (id \"INTEGER\" PRIMARY KEY, v)", true),
        ("CREATE TABLE t (id [integer] PRIMARY KEY, v)", true),
        ("CREATE TABLE t (id 'INTEGER' PRIMARY KEY, v)", true),
        ("CREATE TABLE t (id \"INTEGER \" PRIMARY KEY, v)", false),
        ("CREATE TABLE t (id INTEGER PRIMARY KEY DESC, v)", false),
        ("CREATE TABLE t (id INT PRIMARY KEY, v)", false),
        ("CREATE TABLE t (id BIGINT PRIMARY KEY, v)", false),
        ("CREATE TABLE t (id INTEGER, v, PRIMARY KEY (id, v))", false),
        ("CREATE TABLE t (id INTEGER UNIQUE, v)", false),
        ("CREATE TABLE t (id INTEGER, v INTEGER PRIMARY KEY)", false),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v) WITHOUT ROWID",
            false,
        ),
    ];
    for (sql, alias) in tables {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch(sql).expect("create");
        let schema = crate::dialect::sqlite::inspect::inspect(
            &conn,
            &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
        )
        .expect("inspect");
        let table = &schema.tables["t"];
        assert_eq!(is_rowid_alias(table, "id"), alias, "{sql}");
        assert_eq!(is_rowid_alias(table, "ID"), alias, "{sql}");
        // WITHOUT ROWID refuses the NULL outright; elsewhere it stays NULL unless aliased.
        let stored_null = conn
            .execute_batch("INSERT INTO t (id, v) VALUES (NULL, 1)")
            .is_ok()
            && conn
                .query_row("SELECT count(*) FROM t WHERE id IS NULL", [], |r| {
                    r.get::<_, i64>(0)
                })
                .expect("count")
                == 1;
        let never_null = !table.columns[0].nullable || alias;
        assert_eq!(!stored_null, never_null, "{sql}");
    }
}

/// BLOB affinity converts nothing: any value copied into it comes out as it went in;
/// a STRICT table's BLOB column refuses text instead.
#[test]
fn blob_affinity_keeps_every_value_outside_strict_tables() {
    let conn = Connection::open_in_memory().expect("in-memory database");
    for from in TYPES {
        for to in ["BLOB", "", "MY BLOB"] {
            assert_eq!(affinity(to), Affinity::Blob);
            let rows = copied(&conn, from, to, "");
            assert!(
                rows.iter().flatten().all(|(a, b)| a == b),
                "{from} -> {to}: {rows:?}"
            );
        }
    }
    conn.execute_batch("CREATE TABLE s (x BLOB) STRICT")
        .expect("strict table");
    assert!(conn.execute_batch("INSERT INTO s VALUES ('text')").is_err());
}
