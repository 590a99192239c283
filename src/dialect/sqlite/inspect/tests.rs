use super::*;
use crate::dialect::Dialect;
use crate::schema::{Deferrable, RefAction};

fn db(sql: &str) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn
}

fn schema(sql: &str) -> Schema {
    inspect(
        &db(sql),
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
    )
    .unwrap()
}

fn table(sql: &str, name: &str) -> Table {
    schema(sql).tables.remove(name).unwrap()
}

fn col(name: &str, type_text: &str) -> Column {
    Column {
        name: name.into(),
        type_text: type_text.into(),
        nullable: true,
        ..Column::default()
    }
}

fn not_null(mut c: Column) -> Column {
    c.nullable = false;
    c
}

fn default(mut c: Column, d: &str) -> Column {
    c.default = Some(d.into());
    c
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn pk(cols: &[&str], name: Option<&str>) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: name.map(Into::into),
        columns: names(cols),
        ..Default::default()
    })
}

fn check(expression: &str, name: Option<&str>) -> Check {
    Check {
        expression: expression.into(),
        name: name.map(Into::into),
        ext: Default::default(),
    }
}

fn fk(cols: &[&str], ref_table: &str, ref_cols: &[&str]) -> ForeignKey {
    ForeignKey {
        columns: names(cols),
        ref_table: ref_table.into(),
        ref_columns: names(ref_cols),
        ..ForeignKey::default()
    }
}

fn part(key: IndexKey) -> IndexPart {
    IndexPart {
        key,
        descending: false,
        collation: None,
    }
}

fn column_key(name: &str) -> IndexPart {
    part(IndexKey::Column(name.into()))
}

#[test]
fn columns_types_defaults_and_generated() {
    let t = table(
        "CREATE TABLE t (
            a VARCHAR(10) NOT NULL,
            b unsigned   big int DEFAULT ( 1 +  2 ),
            c INT GENERATED ALWAYS AS (a || 'x') STORED,
            d TEXT AS ( upper(a) ),
            e DEFAULT -1 /* comment, with comma */,
            f TEXT DEFAULT 'x,y' COLLATE nocase,
            g REAL DEFAULT 1.5e-3,
            h BLOB DEFAULT x'00ff',
            i TIMESTAMP DEFAULT current_timestamp,
            j TEXT DEFAULT NULL,
            k INTEGER DEFAULT (-(1)),
            l TEXT COLLATE BINARY,
            m TEXT COLLATE [rtrim],
            n INT GENERATED ALWAYS AS (length(a)) VIRTUAL
        )",
        "t",
    );
    let mut c = col("c", "INT");
    c.generated = Some(Generated {
        expression: "a || 'x'".into(),
        stored: true,
    });
    let mut d = col("d", "TEXT");
    d.generated = Some(Generated {
        expression: "upper(a)".into(),
        stored: false,
    });
    let mut f = default(col("f", "TEXT"), "'x,y'");
    f.collation = Some("nocase".into());
    let mut l = col("l", "TEXT");
    l.collation = Some("BINARY".into());
    let mut m = col("m", "TEXT");
    m.collation = Some("rtrim".into());
    let mut n = col("n", "INT");
    n.generated = Some(Generated {
        expression: "length(a)".into(),
        stored: false,
    });
    assert_eq!(
        t.columns,
        vec![
            not_null(col("a", "VARCHAR(10)")),
            default(col("b", "unsigned big int"), "1 +  2"),
            c,
            d,
            default(col("e", ""), "-1"),
            f,
            default(col("g", "REAL"), "1.5e-3"),
            default(col("h", "BLOB"), "x'00ff'"),
            default(col("i", "TIMESTAMP"), "current_timestamp"),
            default(col("j", "TEXT"), "NULL"),
            default(col("k", "INTEGER"), "-(1)"),
            l,
            m,
            n,
        ]
    );
    assert_eq!(t.primary_key, None);
    assert!(t.uniques.is_empty() && t.checks.is_empty() && t.foreign_keys.is_empty());
}

#[test]
fn defaults_are_what_the_pragma_reports_and_equivalent_ones_are_no_change() {
    let a = table("CREATE TABLE t (a DEFAULT 1, b DEFAULT 'x', c DEFAULT (1+2), d DEFAULT NULL, e DEFAULT CURRENT_DATE)", "t");
    let b = table("CREATE TABLE t (a DEFAULT ((1)), b DEFAULT ('x'), c DEFAULT ((1+2)), d, e DEFAULT (current_date))", "t");
    let defaults = |t: &Table| -> Vec<Option<String>> {
        t.columns.iter().map(|c| c.default.clone()).collect()
    };
    let text = |s: &str| Some(s.to_string());
    assert_eq!(
        defaults(&a),
        [
            text("1"),
            text("'x'"),
            text("1+2"),
            text("NULL"),
            text("CURRENT_DATE")
        ]
    );
    assert_eq!(
        defaults(&b),
        [
            text("(1)"),
            text("'x'"),
            text("(1+2)"),
            None,
            text("current_date")
        ]
    );
    // An explicit DEFAULT NULL is a default of its own; the other differences are spelling.
    let dialect = crate::dialect::sqlite::SqliteDialect;
    let changed: Vec<String> = crate::diff::tables::table_changes(&a, &b, &dialect)
        .iter()
        .map(|c| format!("{c:?}"))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].contains("name: \"d\""), "{changed:?}");
}

#[test]
fn autoincrement_and_rowid_alias() {
    let t = table(
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x)",
        "t",
    );
    let mut id = col("id", "INTEGER");
    id.auto_increment = true;
    assert_eq!(t.columns, vec![id, col("x", "")]);
    assert_eq!(t.primary_key, pk(&["id"], None));
    // Table-level AUTOINCREMENT gives the same model.
    assert_eq!(
        table(
            "CREATE TABLE t (id INTEGER, x, PRIMARY KEY (id AUTOINCREMENT))",
            "t"
        ),
        t
    );
    // The rowid alias is never NULL, but NOT NULL only where the schema says so, as
    // PRAGMA table_xinfo reports it.
    assert!(table("CREATE TABLE t (id INTEGER PRIMARY KEY, x)", "t").columns[0].nullable);
    assert!(!table("CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, x)", "t").columns[0].nullable);
    // But an INT primary key is not the rowid and may hold NULL.
    assert!(table("CREATE TABLE t (id INT PRIMARY KEY, x)", "t").columns[0].nullable);
}

#[test]
fn primary_keys_column_or_table_level() {
    let col_level = table("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)", "t");
    let tab_level = table("CREATE TABLE t (id INTEGER, x TEXT, PRIMARY KEY (id))", "t");
    assert_eq!(col_level, tab_level);
    assert_eq!(col_level.primary_key, pk(&["id"], None));

    let named_col = table(
        "CREATE TABLE t (id TEXT CONSTRAINT pk_t PRIMARY KEY, x)",
        "t",
    );
    let named_tab = table(
        "CREATE TABLE t (id TEXT, x, CONSTRAINT pk_t PRIMARY KEY (id))",
        "t",
    );
    assert_eq!(named_col, named_tab);
    assert_eq!(named_col.primary_key, pk(&["id"], Some("pk_t")));

    // Composite, in key order (not column order), with its ON CONFLICT clause.
    let t = table(
        "CREATE TABLE t (a, b, c, PRIMARY KEY (c, a) ON CONFLICT replace)",
        "t",
    );
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            ext: crate::schema::KeyExt::sqlite_on_conflict(Some("REPLACE".into())),
            ..pk(&["c", "a"], None).unwrap()
        })
    );
    assert!(t.uniques.is_empty() && t.indexes.is_empty());
}

#[test]
fn uniques_column_or_table_level_and_named() {
    let a = table(
        "CREATE TABLE t (a UNIQUE, b CONSTRAINT uq_b UNIQUE ON CONFLICT IGNORE, c, d,
                         UNIQUE (d, c))",
        "t",
    );
    let b = table(
        "CREATE TABLE t (a, b, c, d, UNIQUE (a) ON CONFLICT ABORT,
                         CONSTRAINT uq_b UNIQUE (b) ON CONFLICT IGNORE, UNIQUE (d, c))",
        "t",
    );
    // Same constraints in the same order (the order they are declared in, kept).
    assert_eq!(a, b);
    assert_eq!(
        a.uniques,
        vec![
            Unique {
                columns: names(&["a"]),
                name: None,
                ..Default::default()
            },
            Unique {
                columns: names(&["b"]),
                name: Some("uq_b".into()),
                ext: crate::schema::KeyExt::sqlite_on_conflict(Some("IGNORE".into())),
                ..Default::default()
            },
            Unique {
                columns: names(&["d", "c"]),
                name: None,
                ..Default::default()
            },
        ]
    );
    // A CREATE UNIQUE INDEX is an index, not a unique constraint.
    let t = table("CREATE TABLE t (a); CREATE UNIQUE INDEX t_a ON t (a)", "t");
    assert!(t.uniques.is_empty());
    assert!(t.indexes["t_a"].unique);
}

#[test]
fn foreign_keys_with_names_actions_and_deferrable() {
    let sql = "CREATE TABLE p (id INTEGER PRIMARY KEY, k1, k2, UNIQUE (k1, k2));
        CREATE TABLE c (
            a INTEGER CONSTRAINT fk_a REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL,
            b REFERENCES P MATCH SIMPLE DEFERRABLE INITIALLY DEFERRED,
            c1, c2,
            d REFERENCES p(id) ON DELETE SET DEFAULT NOT NULL,
            CONSTRAINT fk_c FOREIGN KEY (c1, c2) REFERENCES p (K1, k2) ON UPDATE RESTRICT
                NOT DEFERRABLE,
            FOREIGN KEY (d) REFERENCES p (id) ON DELETE NO ACTION DEFERRABLE INITIALLY IMMEDIATE
        )";
    let t = table(sql, "c");
    let mut fa = fk(&["a"], "p", &["id"]);
    fa.name = Some("fk_a".into());
    fa.on_delete = RefAction::Cascade;
    fa.on_update = RefAction::SetNull;
    let mut fb = fk(&["b"], "p", &[]);
    fb.deferrable = Deferrable::InitiallyDeferred;
    fb.ext.sqlite.written_target.0 = Some(("P".into(), vec![]));
    let mut fc = fk(&["c1", "c2"], "p", &["k1", "k2"]);
    fc.ext.sqlite.written_target.0 = Some(("p".into(), vec!["K1".into(), "k2".into()]));
    fc.name = Some("fk_c".into());
    fc.on_update = RefAction::Restrict;
    let fd1 = fk(&["d"], "p", &["id"]);
    let mut fd2 = fk(&["d"], "p", &["id"]);
    fd2.on_delete = RefAction::SetDefault;
    // Declaration order: column constraints, then table constraints.
    assert_eq!(t.foreign_keys, vec![fa, fb, fd2, fc, fd1]);
    assert!(!t.columns[4].nullable);
}

#[test]
fn foreign_keys_column_or_table_level_are_equal() {
    let a = table(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE c (x INTEGER CONSTRAINT f1 REFERENCES p (id) ON DELETE CASCADE,
                         y INTEGER REFERENCES p DEFERRABLE INITIALLY DEFERRED)",
        "c",
    );
    let b = table(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE c (x INTEGER, y INTEGER,
                         CONSTRAINT f1 FOREIGN KEY (x) REFERENCES p (id) ON DELETE CASCADE,
                         FOREIGN KEY (y) REFERENCES p DEFERRABLE INITIALLY DEFERRED)",
        "c",
    );
    assert_eq!(a, b);
    assert_eq!(a.foreign_keys[0].name.as_deref(), Some("f1"));
    assert_eq!(a.foreign_keys[1].deferrable, Deferrable::InitiallyDeferred);
}

#[test]
fn same_columns_foreign_keys_get_their_own_names() {
    // Two keys on the same column to different tables: names must not swap.
    let t = table(
        "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY);
         CREATE TABLE c (x, CONSTRAINT to_b FOREIGN KEY (x) REFERENCES b,
                            CONSTRAINT to_a FOREIGN KEY (x) REFERENCES a)",
        "c",
    );
    let got: Vec<(&str, Option<&str>)> = t
        .foreign_keys
        .iter()
        .map(|f| (f.ref_table.as_str(), f.name.as_deref()))
        .collect();
    assert_eq!(got, vec![("b", Some("to_b")), ("a", Some("to_a"))]);
}

#[test]
fn checks_column_and_table_level_normalised() {
    let a = table(
        "CREATE TABLE t (
            a INTEGER CHECK(a > 0),
            b TEXT CONSTRAINT b_ok CHECK (b IN ('x,y', 'z)')) ,
            c, CHECK ( c   >   (a + 1) )
        )",
        "t",
    );
    let b = table(
        "CREATE TABLE t (a INTEGER, b TEXT, c,
            CONSTRAINT b_ok CHECK (b IN ('x,y', 'z)')) CHECK (c >
              (a + 1)) -- no comma needed between table constraints
            CHECK (a /* positive */ > 0))",
        "t",
    );
    assert_eq!(a, b);
    assert_eq!(
        a.checks,
        vec![
            check("a > 0", None),
            check("b IN ('x,y', 'z)')", Some("b_ok")),
            check("c > (a + 1)", None),
        ]
    );
}

#[test]
fn on_conflict_clauses_are_kept_and_comments_ignored() {
    let t = table(
        "CREATE TABLE t ( -- leading comment
            a TEXT NOT NULL ON CONFLICT REPLACE /* x */ UNIQUE ON CONFLICT ABORT,
            b INTEGER NULL DEFAULT 0 CHECK (b >= 0) PRIMARY KEY ON CONFLICT FAIL,
            c TEXT NOT NULL ON CONFLICT abort UNIQUE ON CONFLICT IGNORE,
            d TEXT NULL ON CONFLICT ROLLBACK
        ) -- trailing",
        "t",
    );
    let mut a = not_null(col("a", "TEXT"));
    a.ext.sqlite.not_null_on_conflict = Some("REPLACE".into());
    assert_eq!(
        t.columns,
        vec![
            a,
            default(col("b", "INTEGER"), "0"),
            not_null(col("c", "TEXT")),
            col("d", "TEXT"),
        ]
    );
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            ext: crate::schema::KeyExt::sqlite_on_conflict(Some("FAIL".into())),
            ..pk(&["b"], None).unwrap()
        })
    );
    assert_eq!(t.checks, vec![check("b >= 0", None)]);
    // ABORT is the default: the same as no clause.
    assert_eq!(
        t.uniques,
        vec![
            Unique {
                columns: names(&["a"]),
                ..Default::default()
            },
            Unique {
                columns: names(&["c"]),
                ext: crate::schema::KeyExt::sqlite_on_conflict(Some("IGNORE".into())),
                ..Default::default()
            },
        ]
    );
}

#[test]
fn integer_primary_key_desc_is_not_a_rowid_alias() {
    let desc = table("CREATE TABLE t (id INTEGER PRIMARY KEY DESC, x)", "t");
    // An ordinary key with a descending index: it may hold NULL.
    assert!(desc.columns[0].nullable);
    assert_eq!(
        desc.primary_key,
        Some(PrimaryKey {
            descending: vec![true],
            ..pk(&["id"], None).unwrap()
        })
    );
    // Written as a table constraint, DESC makes no difference: a rowid alias.
    let alias = table("CREATE TABLE t (id INTEGER PRIMARY KEY, x)", "t");
    assert_eq!(
        table("CREATE TABLE t (id INTEGER, x, PRIMARY KEY (id DESC))", "t"),
        alias
    );
    assert_ne!(desc, alias);
    // Other keys keep their columns' order, whichever way it is written.
    let composite = table(
        "CREATE TABLE t (a TEXT, b INT, PRIMARY KEY (a, b DESC)) WITHOUT ROWID",
        "t",
    );
    assert_eq!(composite.primary_key.unwrap().descending, vec![false, true]);
    assert_eq!(
        table("CREATE TABLE t (a TEXT PRIMARY KEY DESC, b)", "t"),
        table("CREATE TABLE t (a TEXT, b, PRIMARY KEY (a DESC))", "t")
    );
}

#[test]
fn indexes_with_parts_and_predicates() {
    let t = table(
        "CREATE TABLE t (a TEXT COLLATE NOCASE, b INTEGER, c TEXT);
         CREATE INDEX t_ab ON t (a, b DESC);
         CREATE UNIQUE INDEX \"t c\" ON t (c COLLATE rtrim ASC) WHERE c IS NOT NULL;
         CREATE INDEX t_expr ON t (lower(c) COLLATE nocase DESC, b + 1, (b))
             WHERE b > 0 AND   c <> 'a;b'  ;
         CREATE INDEX t_a_binary ON t (a COLLATE binary, c COLLATE NOCASE, a COLLATE NOCASE)",
        "t",
    );
    let mut b_desc = column_key("b");
    b_desc.descending = true;
    let mut c_rtrim = column_key("c");
    c_rtrim.collation = Some("RTRIM".into());
    let mut lower = part(IndexKey::Expression("lower(c)".into()));
    lower.descending = true;
    lower.collation = Some("NOCASE".into());
    let mut a_binary = column_key("a");
    a_binary.collation = Some("BINARY".into());
    let mut c_nocase = column_key("c");
    c_nocase.collation = Some("NOCASE".into());
    let expected: BTreeMap<String, Index> = [
        Index {
            name: "t_ab".into(),
            table: "t".into(),
            unique: false,
            parts: vec![column_key("a"), b_desc],
            predicate: None,
            definition: None,
            ext: Default::default(),
            namespace: Default::default(),
        },
        Index {
            name: "t c".into(),
            table: "t".into(),
            unique: true,
            parts: vec![c_rtrim],
            predicate: Some("c IS NOT NULL".into()),
            definition: None,
            ext: Default::default(),
            namespace: Default::default(),
        },
        Index {
            name: "t_expr".into(),
            table: "t".into(),
            unique: false,
            parts: vec![
                lower,
                part(IndexKey::Expression("b + 1".into())),
                column_key("b"),
            ],
            predicate: Some("b > 0 AND c <> 'a;b'".into()),
            definition: None,
            ext: Default::default(),
            namespace: Default::default(),
        },
        Index {
            name: "t_a_binary".into(),
            table: "t".into(),
            unique: false,
            parts: vec![a_binary, c_nocase, column_key("a")],
            predicate: None,
            definition: None,
            ext: Default::default(),
            namespace: Default::default(),
        },
    ]
    .into_iter()
    .map(|i| (i.name.clone(), i))
    .collect();
    let mut indexes = t.indexes.clone();
    for index in indexes.values_mut() {
        let definition = index.definition.take().unwrap_or_default();
        assert!(definition.starts_with("CREATE "), "{definition}");
    }
    assert_eq!(indexes, expected);
    assert_eq!(
        t.indexes["t_expr"].definition.as_deref(),
        Some("CREATE INDEX t_expr ON t (lower(c) COLLATE nocase DESC, b + 1, (b))\n             WHERE b > 0 AND   c <> 'a;b'  ")
    );
}

#[test]
fn table_options() {
    let s = schema(
        "CREATE TABLE w (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
         CREATE TABLE s (k INTEGER, v TEXT) STRICT;
         CREATE TABLE ws (k TEXT PRIMARY KEY, v ANY) strict, without rowid;",
    );
    let opts = |n: &str| s.tables[n].ext.sqlite.clone();
    assert_eq!(
        opts("w"),
        crate::schema::ext::SqliteTable {
            without_rowid: true,
            strict: false
        }
    );
    assert_eq!(
        opts("s"),
        crate::schema::ext::SqliteTable {
            without_rowid: false,
            strict: true
        }
    );
    assert_eq!(
        opts("ws"),
        crate::schema::ext::SqliteTable {
            without_rowid: true,
            strict: true
        }
    );
    // WITHOUT ROWID primary key columns are NOT NULL.
    assert!(!s.tables["w"].columns[0].nullable);
    assert!(s.tables["w"].indexes.is_empty() && s.tables["w"].uniques.is_empty());
}

#[test]
fn views_and_triggers() {
    let s = schema(
        "CREATE TABLE \"Orders\" (id INTEGER PRIMARY KEY, total);
         CREATE TABLE items (id, order_id);
         CREATE TABLE unrelated (x);
         CREATE VIEW big   AS SELECT * FROM [orders] WHERE total > 10;
         CREATE VIEW v2 AS SELECT b.id, i.id FROM BIG b JOIN `items` i ON i.order_id = b.id;
         CREATE TRIGGER trg AFTER INSERT ON items BEGIN UPDATE Orders SET total = total + 1; END;",
    );
    assert_eq!(
        s.views["big"],
        View {
            name: "big".into(),
            definition: "CREATE VIEW big   AS SELECT * FROM [orders] WHERE total > 10".into(),
            depends_on: names(&["Orders"]),
            indexes: Default::default(),
            ext: Default::default(),
            namespace: Default::default(),
        }
    );
    assert_eq!(s.views["v2"].depends_on, names(&["big", "items"]));
    assert_eq!(
        s.triggers["trg"],
        Trigger {
            name: "trg".into(),
            table: "items".into(),
            definition:
                "CREATE TRIGGER trg AFTER INSERT ON items BEGIN UPDATE Orders SET total = total + 1; END"
                    .into(),
         namespace: Default::default(), }
    );
}

#[test]
fn internals_excludes_and_virtual_tables_are_left_out() {
    let conn = db(
        "CREATE TABLE migrate_version (version_num TEXT PRIMARY KEY);
         CREATE TRIGGER mv_trg AFTER INSERT ON migrate_version BEGIN SELECT 1; END;
         CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT UNIQUE);
         INSERT INTO t (body) VALUES ('a');
         CREATE INDEX t_body ON t (body);
         ANALYZE;
         CREATE VIRTUAL TABLE docs USING fts5 (title, body);
         CREATE VIRTUAL TABLE boxes USING rtree (id, x0, x1);",
    );
    let s = inspect(
        &conn,
        &crate::schema::filter::Filter::new(crate::dialect::Engine::Sqlite, "migrate_version"),
    )
    .unwrap();
    assert_eq!(s.tables.keys().collect::<Vec<_>>(), vec!["t"]);
    assert!(s.triggers.is_empty());
    assert_eq!(
        s.unmanaged,
        vec![
            "virtual table boxes".to_string(),
            "virtual table docs".to_string()
        ]
    );
    let t = &s.tables["t"];
    assert_eq!(t.indexes.keys().collect::<Vec<_>>(), vec!["t_body"]);
    assert_eq!(t.uniques[0].name, None);
    // Without the exclude it is there.
    assert!(inspect(
        &conn,
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite)
    )
    .unwrap()
    .tables
    .contains_key("migrate_version"));
    // Excludes match case-insensitively, like SQLite names.
    assert!(!inspect(
        &conn,
        &crate::schema::filter::Filter::new(crate::dialect::Engine::Sqlite, "MIGRATE_VERSION")
    )
    .unwrap()
    .tables
    .contains_key("migrate_version"));
}

#[test]
fn quoted_and_non_ascii_identifiers() {
    let t = table(
        "CREATE TABLE \"Straße \"\"1\"\"\" (
            [größe] INTEGER CONSTRAINT [pk größe] PRIMARY KEY,
            `名前` TEXT NOT NULL CONSTRAINT \"uq 名前\" UNIQUE,
            'quoted' TEXT CHECK ('quoted' <> '名'),
            \"a,b\" TEXT DEFAULT 'ü'
         );
         CREATE INDEX [idx ü] ON \"Straße \"\"1\"\"\" (\"名前\", [a,b] DESC);",
        "Straße \"1\"",
    );
    assert_eq!(t.name, "Straße \"1\"");
    assert_eq!(
        t.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["größe", "名前", "quoted", "a,b"]
    );
    assert_eq!(t.primary_key, pk(&["größe"], Some("pk größe")));
    assert_eq!(
        t.uniques,
        vec![Unique {
            columns: names(&["名前"]),
            name: Some("uq 名前".into()),
            ..Default::default()
        }]
    );
    assert_eq!(t.checks, vec![check("'quoted' <> '名'", None)]);
    assert_eq!(t.columns[3].default.as_deref(), Some("'ü'"));
    let mut ab = column_key("a,b");
    ab.descending = true;
    assert_eq!(t.indexes["idx ü"].parts, vec![column_key("名前"), ab]);
}

#[test]
fn altered_table_equals_directly_created_one() {
    let altered = schema(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t (id INTEGER PRIMARY KEY, old_name TEXT, CHECK (length(old_name) < 9));
         ALTER TABLE t ADD COLUMN extra INTEGER NOT NULL DEFAULT 0 CHECK (extra >= 0);
         ALTER TABLE t ADD COLUMN p_id INTEGER CONSTRAINT fk_p REFERENCES p (id) ON DELETE SET NULL;
         ALTER TABLE t ADD COLUMN note TEXT COLLATE NOCASE /* trailing comment */;
         ALTER TABLE t RENAME COLUMN old_name TO \"new name\";
         ALTER TABLE t RENAME TO t2;",
    );
    let direct = schema(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE t2 (id INTEGER PRIMARY KEY, \"new name\" TEXT,
            extra INTEGER NOT NULL DEFAULT 0,
            p_id INTEGER,
            note TEXT COLLATE NOCASE,
            CHECK (extra >= 0), CHECK (length(\"new name\") < 9),
            CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL);",
    );
    assert_eq!(altered, direct);
    assert_eq!(
        altered.tables["t2"].checks[1].expression,
        "length(\"new name\") < 9"
    );
}

#[test]
fn references_take_the_referenced_tables_spelling() {
    let t = table(
        "CREATE TABLE Parent (Id INTEGER PRIMARY KEY);
         CREATE TABLE c (x REFERENCES PARENT (ID))",
        "c",
    );
    assert_eq!(t.foreign_keys, vec![fk(&["x"], "Parent", &["Id"])]);
    // As written too, which SQLite reports (rendered, not compared).
    assert_eq!(
        t.foreign_keys[0].ext.sqlite.written_target.0,
        Some(("PARENT".into(), vec!["ID".into()]))
    );
}

#[test]
fn chinook() {
    let sql = std::fs::read_to_string("/work/shared/schemas/chinook/sqlite.sql").unwrap();
    let s = schema(&sql);
    assert_eq!(s.tables.len(), 11);
    let album = &s.tables["Album"];
    assert_eq!(
        album.columns,
        vec![
            not_null(col("AlbumId", "INTEGER")),
            not_null(col("Title", "NVARCHAR(160)")),
            not_null(col("ArtistId", "INTEGER")),
        ]
    );
    assert_eq!(album.primary_key, pk(&["AlbumId"], Some("PK_Album")));
    assert_eq!(
        album.foreign_keys,
        vec![fk(&["ArtistId"], "Artist", &["ArtistId"])]
    );
    assert_eq!(
        album.indexes["IFK_AlbumArtistId"].parts,
        vec![column_key("ArtistId")]
    );
    let pt = &s.tables["PlaylistTrack"];
    assert_eq!(
        pt.primary_key,
        pk(&["PlaylistId", "TrackId"], Some("PK_PlaylistTrack"))
    );
    assert_eq!(pt.foreign_keys.len(), 2);
    assert_eq!(
        s.tables["Employee"].foreign_keys,
        vec![fk(&["ReportsTo"], "Employee", &["EmployeeId"])]
    );
    let index_count: usize = s.tables.values().map(|t| t.indexes.len()).sum();
    assert_eq!(index_count, 11);
}

/// Inspects with a query counter.
fn count_queries(conn: &Connection) -> usize {
    let mut n = 0;
    inspect_counting(
        conn,
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
        &mut n,
    )
    .unwrap();
    n
}

fn many_tables(n: usize) -> String {
    let mut sql = String::from("CREATE TABLE t0 (id INTEGER PRIMARY KEY);");
    for i in 1..n {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id INTEGER PRIMARY KEY, p INTEGER REFERENCES t{} (id), \
             name TEXT UNIQUE CHECK (name <> ''));
             CREATE INDEX t{i}_p ON t{i} (p, lower(name));
             CREATE VIEW v{i} AS SELECT * FROM t{i};",
            i - 1
        ));
    }
    sql
}

#[test]
fn query_count_does_not_depend_on_the_table_count() {
    let one = count_queries(&db(&many_tables(1)));
    let sixty = count_queries(&db(&many_tables(60)));
    assert_eq!(one, sixty);
    assert_eq!(one, 4);
    // A virtual table adds the one query that finds its shadow tables.
    let fts = "CREATE VIRTUAL TABLE docs USING fts5(body);";
    let one = count_queries(&db(&format!("{}{fts}", many_tables(1))));
    let sixty = count_queries(&db(&format!("{}{fts}", many_tables(60))));
    assert_eq!((one, sixty), (5, 5));
}

#[test]
fn a_thousand_tables_inspect_with_the_same_queries() {
    // Timing lives in benches/inspect.rs; here only the shape of the work.
    let conn = db(&many_tables(1000));
    let s = inspect(
        &conn,
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
    )
    .unwrap();
    assert_eq!(s.tables.len(), 1000);
    assert_eq!(s.views.len(), 999);
    assert_eq!(count_queries(&conn), 4);
}

/// A minimal renderer of a table from the model (what the real renderer must at least
/// do), to prove the model is complete: create -> inspect -> render -> inspect is stable.
fn render_table(t: &Table) -> Vec<String> {
    let q = |s: &str| crate::dialect::sqlite::SqliteDialect.quote_ident(s);
    let list = |cols: &[String]| cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
    let mut defs = Vec::new();
    let alias_autoinc = t.columns.iter().find(|c| c.auto_increment);
    for c in &t.columns {
        let mut d = q(&c.name);
        if !c.type_text.is_empty() {
            d.push(' ');
            d.push_str(&c.type_text);
        }
        if !c.nullable {
            d.push_str(" NOT NULL");
        }
        if let Some(pk) = &t.primary_key {
            if alias_autoinc.is_some_and(|a| a.name == c.name) {
                if let Some(n) = &pk.name {
                    d.push_str(&format!(" CONSTRAINT {}", q(n)));
                }
                d.push_str(" PRIMARY KEY AUTOINCREMENT");
            }
        }
        if let Some(def) = &c.default {
            d.push_str(&format!(" DEFAULT ({def})"));
        }
        if let Some(coll) = &c.collation {
            d.push_str(&format!(" COLLATE {}", q(coll)));
        }
        if let Some(g) = &c.generated {
            let kind = if g.stored { "STORED" } else { "VIRTUAL" };
            d.push_str(&format!(" GENERATED ALWAYS AS ({}) {kind}", g.expression));
        }
        defs.push(d);
    }
    if let Some(pk) = &t.primary_key {
        if alias_autoinc.is_none() {
            let name = pk.name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n)));
            defs.push(format!(
                "{}PRIMARY KEY ({})",
                name.unwrap_or_default(),
                list(&pk.columns)
            ));
        }
    }
    for u in &t.uniques {
        let name = u.name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n)));
        defs.push(format!(
            "{}UNIQUE ({})",
            name.unwrap_or_default(),
            list(&u.columns)
        ));
    }
    for c in &t.checks {
        let name = c.name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n)));
        defs.push(format!(
            "{}CHECK ({})",
            name.unwrap_or_default(),
            c.expression
        ));
    }
    for f in &t.foreign_keys {
        let name = f.name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n)));
        let mut d = format!(
            "{}FOREIGN KEY ({}) REFERENCES {}",
            name.unwrap_or_default(),
            list(&f.columns),
            q(&f.ref_table)
        );
        if !f.ref_columns.is_empty() {
            d.push_str(&format!(" ({})", list(&f.ref_columns)));
        }
        d.push_str(&format!(
            " ON DELETE {} ON UPDATE {}",
            f.on_delete.sql(),
            f.on_update.sql()
        ));
        if f.deferrable == Deferrable::InitiallyDeferred {
            d.push_str(" DEFERRABLE INITIALLY DEFERRED");
        }
        defs.push(d);
    }
    let mut opts = Vec::new();
    if t.ext.sqlite.without_rowid {
        opts.push("WITHOUT ROWID");
    }
    if t.ext.sqlite.strict {
        opts.push("STRICT");
    }
    let mut out = vec![format!(
        "CREATE TABLE {} ({}) {}",
        q(&t.name),
        defs.join(", "),
        opts.join(", ")
    )];
    for i in t.indexes.values() {
        let parts: Vec<String> = i
            .parts
            .iter()
            .map(|p| {
                let mut s = match &p.key {
                    IndexKey::Column(c) => q(c),
                    IndexKey::Expression(e) => e.clone(),
                };
                if let Some(c) = &p.collation {
                    s.push_str(&format!(" COLLATE {}", q(c)));
                }
                if p.descending {
                    s.push_str(" DESC");
                }
                s
            })
            .collect();
        let mut s = format!(
            "CREATE {}INDEX {} ON {} ({})",
            if i.unique { "UNIQUE " } else { "" },
            q(&i.name),
            q(&i.table),
            parts.join(", ")
        );
        if let Some(p) = &i.predicate {
            s.push_str(&format!(" WHERE {p}"));
        }
        out.push(s);
    }
    out
}

#[test]
fn the_model_round_trips_through_a_rendered_schema() {
    let sql = "
        CREATE TABLE p (id INTEGER PRIMARY KEY, k1 TEXT, k2 TEXT, UNIQUE (k1, k2));
        CREATE TABLE \"weird \"\"t\"\"\" (
            id INTEGER CONSTRAINT pk_w PRIMARY KEY AUTOINCREMENT,
            [名前] VARCHAR ( 20 ) NOT NULL DEFAULT 'a,b' COLLATE nocase CHECK (length([名前]) > 0),
            n NUMERIC DEFAULT (1 + 2) CONSTRAINT n_pos CHECK (n > 0),
            g INT AS (n * 2),
            s INT GENERATED ALWAYS AS (n * 3) STORED,
            neg DEFAULT -1,
            when_ TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            k1, k2,
            p_id REFERENCES p ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT fk_k FOREIGN KEY (k1, k2) REFERENCES p (k1, k2) ON UPDATE SET NULL,
            CONSTRAINT uq UNIQUE (k2, k1), UNIQUE ([名前])
        );
        CREATE INDEX w_expr ON \"weird \"\"t\"\"\" (lower(k1) DESC, k2 COLLATE rtrim, k1 || k2 COLLATE nocase)
            WHERE n IS NOT NULL;
        CREATE TABLE kv (k TEXT, v ANY, PRIMARY KEY (k)) STRICT, WITHOUT ROWID;
        CREATE TABLE comp (a, b, c TEXT COLLATE NOCASE, CONSTRAINT pkc PRIMARY KEY (b, a));
        CREATE UNIQUE INDEX comp_c ON comp (c COLLATE BINARY);";
    let first = schema(sql);
    let rendered: Vec<String> = first.tables.values().flat_map(render_table).collect();
    let conn = Connection::open_in_memory().unwrap();
    for stmt in &rendered {
        conn.execute_batch(stmt)
            .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    let second = inspect(
        &conn,
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
    )
    .unwrap();
    // The helper renders indexes from their fields, not from their kept definitions.
    let fields_only = |mut s: Schema| {
        for t in s.tables.values_mut() {
            for i in t.indexes.values_mut() {
                i.definition = None;
            }
        }
        s
    };
    assert_eq!(
        fields_only(first),
        fields_only(second),
        "rendered:\n{}",
        rendered.join(";\n")
    );
}

#[test]
fn odd_but_valid_catalogs() {
    let conn = db("CREATE TABLE src (a INT, b TEXT);
         CREATE TABLE ééééé AS SELECT a, b, a + 1 AS c FROM src;
         CREATE TABLE gone (x);
         CREATE VIEW broken AS SELECT x FROM gone;
         DROP TABLE gone;
         CREATE TABLE sqlitex (x);");
    let s = inspect(
        &conn,
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
    )
    .unwrap();
    assert_eq!(
        s.tables.keys().collect::<Vec<_>>(),
        vec!["sqlitex", "src", "ééééé"]
    );
    assert_eq!(
        s.tables["ééééé"].columns,
        vec![col("a", "INT"), col("b", "TEXT"), col("c", "")]
    );
    // A view on a dropped table is still reported, depending on nothing known.
    assert_eq!(s.views["broken"].depends_on, Vec::<String>::new());
}

#[test]
fn a_virtual_table_of_an_unknown_module_does_not_break_inspection() {
    let conn = db("CREATE TABLE t (x)");
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql)
             VALUES ('table', 'vt', 'vt', 0, 'CREATE VIRTUAL TABLE vt USING nosuchmodule (a, b)');
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    let s = inspect(
        &conn,
        &crate::schema::filter::Filter::internals_only(crate::dialect::Engine::Sqlite),
    )
    .unwrap();
    assert_eq!(s.unmanaged, vec!["virtual table vt".to_string()]);
    assert_eq!(s.tables.keys().collect::<Vec<_>>(), vec!["t"]);
}

#[test]
fn quoting_inside_expressions_is_kept_and_does_not_matter() {
    let renamed = schema(
        "CREATE TABLE t (a INT CHECK(a>0), c AS (a*2), [d] INT CHECK ([d] > a), \"order\" INT,
                         CHECK (\"order\" <> `d`));
         CREATE INDEX i ON t (a + 1) WHERE a > 0;
         ALTER TABLE t RENAME COLUMN a TO \"b\";
         ALTER TABLE t RENAME COLUMN d TO [e];",
    );
    let fresh = schema(
        "CREATE TABLE t (b INT CHECK(b>0), c AS (b*2), e INT CHECK (e > b), [order] INT,
                         CHECK (\"order\" <> e));
         CREATE INDEX i ON t (b + 1) WHERE b > 0;",
    );
    // The texts are kept as SQLite stores them (RENAME COLUMN quotes the new names) and
    // the dialect's normalisation finds them equal: no change to make.
    let dialect = crate::dialect::sqlite::SqliteDialect;
    assert!(crate::diff::diff(&renamed, &fresh, &dialect).is_empty());
    let t = &renamed.tables["t"];
    assert_eq!(
        t.checks,
        vec![
            check("\"b\">0", None),
            check("\"e\" > \"b\"", None),
            check("\"order\" <> \"e\"", None)
        ]
    );
    assert_eq!(
        t.columns[1].generated.as_ref().unwrap().expression,
        "\"b\"*2"
    );
    assert_eq!(t.indexes["i"].predicate.as_deref(), Some("\"b\" > 0"));
}

#[test]
fn keyword_like_column_names() {
    let t = table(
        "CREATE TABLE t (key TEXT, desc INT, asc INT, action TEXT, UNIQUE (desc, key));
         CREATE INDEX i ON t (desc DESC, asc, action COLLATE nocase)",
        "t",
    );
    let mut d = column_key("desc");
    d.descending = true;
    let mut a = column_key("action");
    a.collation = Some("NOCASE".into());
    assert_eq!(t.indexes["i"].parts, vec![d, column_key("asc"), a]);
    assert_eq!(t.uniques[0].columns, names(&["desc", "key"]));
}
