//! MySQL/MariaDB introspection against the real server: each object kind is created with
//! SQL in a database of its own, inspected, and its fields checked against what the SQL
//! said and against the server's own `SHOW CREATE TABLE`; the number of queries does not
//! grow with the number of tables; the same SQL loaded twice gives equal models.

use crate::postgres_inspect::shared_schema;
use crate::servers::MyDatabase;
use migrate::dialect::mysql::inspect::{inspect, inspect_counting};
use migrate::dialect::Engine;
use migrate::schema::filter::Filter;
use migrate::schema::{IndexKey, RefAction, Schema, Table};
use mysql::prelude::Queryable;

fn filter() -> Filter {
    Filter::new(Engine::Mysql, "migrate_version")
}

/// Runs `sql` (several statements) in `db`.
fn load_into(db: &MyDatabase, sql: &str) {
    let mut conn = db.conn();
    conn.query_drop(sql)
        .unwrap_or_else(|e| panic!("loading the schema into {}: {e}", db.name));
}

/// A database loaded with `sql`, and its schema.
fn load(label: &str, sql: &str) -> Option<(MyDatabase, Schema)> {
    let db = MyDatabase::create(label)?;
    load_into(&db, sql);
    let schema = inspect(&mut db.conn(), &db.name, &filter()).expect("inspect");
    Some((db, schema))
}

fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    schema
        .tables
        .get(name)
        .unwrap_or_else(|| panic!("no table {name} in {:?}", schema.tables.keys()))
}

/// `name` quoted as the server writes it.
fn quoted(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `SHOW CREATE TABLE`, the server's own account of a table.
fn show_create(db: &MyDatabase, table: &str) -> String {
    let row: Option<(String, String)> = db
        .conn()
        .query_first(format!("SHOW CREATE TABLE {}", quoted(table)))
        .expect("show create table");
    row.expect("a row").1
}

/// Checks every column of `table` against its line in the server's `SHOW CREATE TABLE`:
/// type, nullability, default, ON UPDATE, AUTO_INCREMENT, generation, invisibility,
/// collation and comment must each appear there as the model says (and not appear where
/// the model has none).
fn assert_columns_agree_with_the_server(db: &MyDatabase, table: &Table) {
    let create = show_create(db, &table.name);
    for column in &table.columns {
        let line = create
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(&format!("{} ", quoted(&column.name))))
            .unwrap_or_else(|| panic!("no line for {} in {create}", column.name));
        let what = format!("column {} ({line})", column.name);
        let reported_type = if column.type_text == "json" {
            "longtext" // MariaDB's JSON
        } else {
            &column.type_text
        };
        assert!(
            line.starts_with(&format!("{} {reported_type}", quoted(&column.name))),
            "type of {what}"
        );
        let not_null = line.contains(" NOT NULL");
        assert_eq!(column.nullable, !not_null, "nullability of {what}");
        match &column.default {
            Some(default) => assert!(
                line.contains(&format!(" DEFAULT {default}")),
                "default {default} of {what}"
            ),
            None => assert!(
                !line.contains(" DEFAULT ") || line.contains(" DEFAULT NULL"),
                "no default for {what}"
            ),
        }
        match &column.on_update {
            Some(on_update) => assert!(
                line.contains(&format!(" ON UPDATE {on_update}")),
                "on update of {what}"
            ),
            None => assert!(!line.contains(" ON UPDATE "), "no on update for {what}"),
        }
        assert_eq!(
            column.auto_increment,
            line.contains(" AUTO_INCREMENT"),
            "auto_increment of {what}"
        );
        match &column.generated {
            Some(g) => assert!(
                line.contains(&format!(
                    " GENERATED ALWAYS AS ({}) {}",
                    g.expression,
                    if g.stored { "STORED" } else { "VIRTUAL" }
                )),
                "generation of {what}"
            ),
            None => assert!(!line.contains(" GENERATED "), "not generated: {what}"),
        }
        assert_eq!(
            column.ext.mysql.invisible,
            line.contains(" INVISIBLE"),
            "invisibility of {what}"
        );
        if let Some(collation) = &column.collation {
            assert!(
                line.contains(&format!(" COLLATE {collation}")),
                "collation of {what}"
            );
        }
        if let Some(charset) = &column.ext.mysql.charset {
            assert!(
                line.contains(&format!(" CHARACTER SET {charset}")),
                "charset of {what}"
            );
        }
        match &column.comment {
            Some(comment) => assert!(
                line.contains(&format!(" COMMENT '{}'", comment.replace('\'', "''"))),
                "comment of {what}"
            ),
            None => assert!(!line.contains(" COMMENT '"), "no comment for {what}"),
        }
    }
}

/// The key lines the server writes for the model's primary key, unique keys and
/// indexes, built from the model: each must be in `SHOW CREATE TABLE`.
fn assert_keys_agree_with_the_server(db: &MyDatabase, table: &Table) {
    let create = show_create(db, &table.name);
    let parts = |columns: Vec<String>, descending: &[bool], prefixes: &[Option<u32>]| {
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let prefix = prefixes
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|n| format!("({n})"))
                    .unwrap_or_default();
                let desc = if descending.get(i).copied().unwrap_or(false) {
                    " DESC"
                } else {
                    ""
                };
                format!("{}{prefix}{desc}", quoted(c))
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut expected = Vec::new();
    if let Some(pk) = &table.primary_key {
        expected.push(format!(
            "PRIMARY KEY ({})",
            parts(
                pk.columns.clone(),
                &pk.descending,
                &pk.ext.mysql.prefix_lengths
            )
        ));
    }
    for unique in &table.uniques {
        expected.push(format!(
            "UNIQUE KEY {} ({})",
            quoted(unique.name.as_deref().unwrap_or_default()),
            parts(
                unique.columns.clone(),
                &unique.descending,
                &unique.ext.mysql.prefix_lengths
            )
        ));
    }
    for index in table.indexes.values() {
        let kind = match (&index.ext.mysql.kind, index.unique) {
            (Some(kind), _) => format!("{kind} KEY"),
            (None, true) => "UNIQUE KEY".to_string(),
            (None, false) => "KEY".to_string(),
        };
        let descending: Vec<bool> = index.parts.iter().map(|p| p.descending).collect();
        expected.push(format!(
            "{kind} {} ({})",
            quoted(&index.name),
            parts(
                index.leading_columns(),
                &descending,
                &index.ext.mysql.prefix_lengths
            )
        ));
    }
    let key_lines: Vec<&str> = create
        .lines()
        .map(|l| l.trim().trim_end_matches(','))
        .filter(|l| l.contains("KEY "))
        .filter(|l| !l.starts_with("CONSTRAINT"))
        .collect();
    for line in &expected {
        assert!(
            key_lines.iter().any(|l| l.starts_with(line.as_str())),
            "{line} not in {create}"
        );
    }
    assert_eq!(key_lines.len(), expected.len(), "keys of {create}");
}

/// The seed table of the py_orm application (issue 11). Its comments are utf8mb4 text
/// within the Basic Multilingual Plane: MariaDB keeps table and column comments in its
/// utf8mb3 system charset, and stores a 4-byte character (an emoji) as `?` (its own
/// `SHOW CREATE TABLE` then says `?`).
const PY_ORM: &str = "CREATE TABLE py_orm (
    id INT AUTO_INCREMENT PRIMARY KEY COMMENT 'identifiant — clé',
    name VARCHAR(255) NOT NULL DEFAULT '',
    attr JSON NOT NULL,
    ct TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    ut TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) COMMENT 'objets de l’ORM, ключи'";

#[test]
fn mysql_inspect_tables_options_and_columns() {
    let Some((db, schema)) = load(
        "my inspect columns",
        r"
        CREATE TABLE c (
            id INT UNSIGNED ZEROFILL NOT NULL AUTO_INCREMENT PRIMARY KEY,
            d DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
            e VARCHAR(10) DEFAULT NULL,
            f VARCHAR(10) NOT NULL,
            g INT DEFAULT (1 + 2),
            h VARCHAR(20) DEFAULT 'it''s \\ x',
            i INT GENERATED ALWAYS AS (n * 2) VIRTUAL,
            j INT AS (n + 1) STORED,
            k INT INVISIBLE,
            l VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin,
            m VARCHAR(10) COLLATE utf8mb4_bin,
            n DECIMAL(8,2) DEFAULT 1.50,
            o ENUM('a','b') NOT NULL DEFAULT 'a',
            q BIT(3) DEFAULT b'101',
            s TEXT COMMENT 'a ''quoted'' comment',
            t DATE DEFAULT (CURRENT_DATE),
            x VARCHAR(5) DEFAULT 'NULL',
            bi BIGINT UNSIGNED NOT NULL DEFAULT 0,
            hu DATETIME INVISIBLE ON UPDATE now(),
            hg INT AS (n) VIRTUAL INVISIBLE
        ) ENGINE=InnoDB AUTO_INCREMENT=100 DEFAULT CHARSET=utf8mb4
          COLLATE=utf8mb4_unicode_ci COMMENT 'таблица' ROW_FORMAT=DYNAMIC;
        CREATE TABLE plain (id INT PRIMARY KEY) ENGINE=MyISAM;
        CREATE TABLE counted (id INT AUTO_INCREMENT PRIMARY KEY);
        INSERT INTO counted VALUES (), ();
        CREATE TABLE migrate_version (version_num VARCHAR(32));
        CREATE TABLE migrate_version_history (id INT);
        ",
    ) else {
        return;
    };
    assert_eq!(
        schema.tables.keys().collect::<Vec<_>>(),
        ["c", "counted", "plain"],
        "the version tables are left out"
    );
    let c = table(&schema, "c");
    assert_eq!(c.ext.mysql.engine.as_deref(), Some("InnoDB"));
    assert_eq!(c.ext.mysql.charset, None, "the database's charset");
    assert_eq!(c.ext.mysql.collation.as_deref(), Some("utf8mb4_unicode_ci"));
    assert_eq!(c.ext.mysql.auto_increment.0, Some(100));
    assert_eq!(c.ext.mysql.options.as_deref(), Some("row_format=DYNAMIC"));
    assert_eq!(c.comment.as_deref(), Some("таблица"));
    let plain = table(&schema, "plain");
    assert_eq!(plain.ext.mysql.engine.as_deref(), Some("MyISAM"));
    assert_eq!(plain.ext.mysql.collation, None);
    assert_eq!(plain.ext.mysql.auto_increment.0, None);
    assert_eq!(plain.comment, None);
    // The counter moved by rows is rendered, not compared.
    let counted = table(&schema, "counted");
    assert_eq!(counted.ext.mysql.auto_increment.0, Some(3));
    let mut fresh = counted.clone();
    fresh.ext.mysql.auto_increment.0 = None;
    assert_eq!(&fresh, counted);

    let col = |name: &str| c.column(name).unwrap_or_else(|| panic!("column {name}"));
    assert_eq!(col("id").type_text, "int(10) unsigned zerofill");
    assert!(col("id").auto_increment && !col("id").nullable);
    assert_eq!(col("d").default.as_deref(), Some("current_timestamp(3)"));
    assert_eq!(col("d").on_update.as_deref(), Some("current_timestamp(3)"));
    assert_eq!(col("e").default, None, "DEFAULT NULL is no default");
    assert!(col("e").nullable);
    assert_eq!(col("f").default, None);
    assert!(!col("f").nullable);
    assert_eq!(col("g").default.as_deref(), Some("(1 + 2)"));
    assert_eq!(col("h").default.as_deref(), Some(r"'it''s \\ x'"));
    let i = col("i").generated.as_ref().expect("i is generated");
    assert_eq!((i.expression.as_str(), i.stored), ("`n` * 2", false));
    let j = col("j").generated.as_ref().expect("j is generated");
    assert_eq!((j.expression.as_str(), j.stored), ("`n` + 1", true));
    assert!(col("k").ext.mysql.invisible);
    assert!(!col("j").ext.mysql.invisible);
    assert_eq!(col("l").ext.mysql.charset.as_deref(), Some("latin1"));
    assert_eq!(col("l").collation.as_deref(), Some("latin1_bin"));
    assert_eq!(col("m").ext.mysql.charset, None, "the table's charset");
    assert_eq!(col("m").collation.as_deref(), Some("utf8mb4_bin"));
    assert_eq!(col("f").collation, None, "the table's collation");
    assert_eq!(col("n").default.as_deref(), Some("1.50"));
    assert_eq!(col("o").default.as_deref(), Some("'a'"));
    assert_eq!(col("o").type_text, "enum('a','b')");
    assert_eq!(col("q").default.as_deref(), Some("b'101'"));
    assert_eq!(col("s").comment.as_deref(), Some("a 'quoted' comment"));
    assert_eq!(col("t").default.as_deref(), Some("curdate()"));
    assert_eq!(
        col("x").default.as_deref(),
        Some("'NULL'"),
        "the string NULL"
    );
    assert_eq!(col("bi").type_text, "bigint(20) unsigned");
    assert_eq!(col("bi").default.as_deref(), Some("0"));
    assert!(col("hu").ext.mysql.invisible);
    assert_eq!(col("hu").on_update.as_deref(), Some("current_timestamp()"));
    assert!(col("hg").ext.mysql.invisible && col("hg").generated.is_some());
    assert_eq!(
        c.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        [
            "id", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "q", "s", "t", "x",
            "bi", "hu", "hg"
        ],
        "declaration order"
    );
    for t in schema.tables.values() {
        assert_columns_agree_with_the_server(&db, t);
    }
}

#[test]
fn mysql_inspect_json_columns_hide_their_check() {
    let Some((db, schema)) = load(
        "my inspect json",
        "CREATE TABLE j (
            id INT PRIMARY KEY,
            attr JSON NOT NULL,
            loose LONGTEXT CHARACTER SET latin1 CHECK (json_valid(loose)),
            v INT CHECK (v > 0),
            CONSTRAINT small CHECK (v < 100)
        ) DEFAULT CHARSET latin1;",
    ) else {
        return;
    };
    let j = table(&schema, "j");
    let attr = j.column("attr").expect("attr");
    assert_eq!(attr.type_text, "json");
    assert_eq!((&attr.collation, &attr.ext.mysql.charset), (&None, &None));
    assert!(!attr.nullable);
    assert_eq!(j.column("loose").expect("loose").type_text, "longtext");
    let checks: Vec<(Option<&str>, &str, Option<&str>)> = j
        .checks
        .iter()
        .map(|c| {
            (
                c.name.as_deref(),
                c.expression.as_str(),
                c.ext.mysql.column.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            (Some("small"), "`v` < 100", None),
            (Some("v"), "`v` > 0", Some("v")),
            (Some("loose"), "json_valid(`loose`)", Some("loose")),
        ]
    );
    // The server's own list of checks has the hidden one.
    let server: Vec<String> = db
        .conn()
        .exec(
            "SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1",
            (db.name.as_str(),),
        )
        .expect("checks");
    assert_eq!(server, ["attr", "loose", "small", "v"]);
    assert_columns_agree_with_the_server(&db, j);
}

#[test]
fn mysql_inspect_keys_and_indexes() {
    let Some((db, schema)) = load(
        "my inspect keys",
        "CREATE TABLE k (
            a INT NOT NULL,
            b VARCHAR(100) NOT NULL,
            c VARCHAR(100),
            d TEXT,
            g GEOMETRY NOT NULL,
            PRIMARY KEY (a, b(20)),
            UNIQUE KEY uq (b(10), c),
            UNIQUE KEY uq_desc (c DESC),
            KEY ix (c DESC, a) COMMENT 'why',
            KEY ign (a) IGNORED,
            FULLTEXT KEY ft (d),
            SPATIAL INDEX sp (g)
        );
        CREATE UNIQUE INDEX later ON k (a, c);",
    ) else {
        return;
    };
    let k = table(&schema, "k");
    let pk = k.primary_key.as_ref().expect("a primary key");
    assert_eq!(pk.name, None);
    assert_eq!(pk.columns, ["a", "b"]);
    assert_eq!(pk.ext.mysql.prefix_lengths, [None, Some(20)]);
    let uniques: Vec<_> = k
        .uniques
        .iter()
        .map(|u| {
            (
                u.name.as_deref().unwrap_or(""),
                u.columns.clone(),
                u.descending.clone(),
                u.ext.mysql.prefix_lengths.clone(),
            )
        })
        .collect();
    assert_eq!(
        uniques,
        [
            ("later", vec!["a".to_string(), "c".into()], vec![], vec![]),
            (
                "uq",
                vec!["b".to_string(), "c".into()],
                vec![],
                vec![Some(10), None]
            ),
            ("uq_desc", vec!["c".to_string()], vec![true], vec![]),
        ]
    );
    assert_eq!(
        k.indexes.keys().collect::<Vec<_>>(),
        ["ft", "ign", "ix", "sp"]
    );
    let ix = &k.indexes["ix"];
    assert!(!ix.unique);
    assert_eq!(
        ix.parts
            .iter()
            .map(|p| (p.key.clone(), p.descending))
            .collect::<Vec<_>>(),
        [
            (IndexKey::Column("c".into()), true),
            (IndexKey::Column("a".into()), false)
        ]
    );
    assert_eq!(ix.ext.mysql.comment.as_deref(), Some("why"));
    assert!(!ix.ext.mysql.ignored);
    assert!(k.indexes["ign"].ext.mysql.ignored);
    assert_eq!(k.indexes["ft"].ext.mysql.kind.as_deref(), Some("FULLTEXT"));
    assert_eq!(k.indexes["sp"].ext.mysql.kind.as_deref(), Some("SPATIAL"));
    assert!(k.indexes["sp"].ext.mysql.prefix_lengths.is_empty());
    assert_keys_agree_with_the_server(&db, k);
}

#[test]
fn mysql_inspect_foreign_keys_with_their_actions() {
    let Some((_db, schema)) = load(
        "my inspect fks",
        "CREATE TABLE p (a INT, b INT, PRIMARY KEY (a, b));
         CREATE TABLE ch (
            id INT PRIMARY KEY, pa INT, pb INT, q INT, r INT,
            CONSTRAINT to_p FOREIGN KEY (pa, pb) REFERENCES p (a, b)
                ON DELETE CASCADE ON UPDATE SET NULL,
            FOREIGN KEY (q, r) REFERENCES p (a, b),
            CONSTRAINT none FOREIGN KEY (r, q) REFERENCES p (a, b) ON DELETE NO ACTION
         );",
    ) else {
        return;
    };
    let ch = table(&schema, "ch");
    let keys: Vec<_> = ch
        .foreign_keys
        .iter()
        .map(|k| {
            (
                k.name.as_deref().unwrap_or(""),
                k.columns.join(","),
                k.ref_namespace.as_str(),
                k.ref_table.as_str(),
                k.ref_columns.join(","),
                k.on_delete,
                k.on_update,
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            (
                "ch_ibfk_1",
                "q,r".into(),
                "",
                "p",
                "a,b".into(),
                RefAction::Restrict,
                RefAction::Restrict
            ),
            (
                "none",
                "r,q".into(),
                "",
                "p",
                "a,b".into(),
                RefAction::NoAction,
                RefAction::Restrict
            ),
            (
                "to_p",
                "pa,pb".into(),
                "",
                "p",
                "a,b".into(),
                RefAction::Cascade,
                RefAction::SetNull
            ),
        ]
    );
}

#[test]
fn mysql_inspect_uses_as_many_queries_for_300_tables_as_for_2() {
    let mut counts = Vec::new();
    for n in [2, 300] {
        let Some(db) = MyDatabase::create(&format!("my inspect count {n}")) else {
            return;
        };
        let mut sql = String::new();
        for i in 0..n {
            sql.push_str(&format!(
                "CREATE TABLE t{i} (id INT PRIMARY KEY, p INT, name VARCHAR(20) DEFAULT 'x' \
                 CHECK (name <> ''), KEY ix (name){fk});\n",
                fk = if i > 0 {
                    format!(", FOREIGN KEY (p) REFERENCES t{} (id)", i - 1)
                } else {
                    String::new()
                }
            ));
        }
        sql.push_str("CREATE VIEW v AS SELECT id FROM t0;\n");
        load_into(&db, &sql);
        let (schema, queries) =
            inspect_counting(&mut db.conn(), &db.name, &filter()).expect("inspect");
        assert_eq!(schema.tables.len(), n);
        assert_eq!(schema.tables["t1"].foreign_keys.len(), 1);
        assert_eq!(schema.tables["t1"].checks.len(), 1);
        counts.push(queries);
    }
    if counts.len() == 2 {
        assert_eq!(counts[0], counts[1], "queries for 2 and 300 tables");
    }
}

#[test]
fn mysql_inspect_py_orm_loaded_twice_is_equal_and_a_changed_default_is_not() {
    let Some((db1, first)) = load("my inspect py_orm 1", PY_ORM) else {
        return;
    };
    let Some((_db2, second)) = load("my inspect py_orm 2", PY_ORM) else {
        return;
    };
    assert_eq!(first, second);
    let py_orm = table(&first, "py_orm");
    let id = py_orm.column("id").expect("id");
    assert!(id.auto_increment);
    assert_eq!(id.comment.as_deref(), Some("identifiant — clé"));
    assert_eq!(py_orm.comment.as_deref(), Some("objets de l’ORM, ключи"));
    assert_eq!(py_orm.column("attr").expect("attr").type_text, "json");
    assert!(py_orm.checks.is_empty(), "the JSON check is the type's");
    let ut = py_orm.column("ut").expect("ut");
    assert_eq!(ut.default.as_deref(), Some("current_timestamp()"));
    assert_eq!(ut.on_update.as_deref(), Some("current_timestamp()"));
    assert_eq!(
        py_orm.column("name").expect("name").default.as_deref(),
        Some("''")
    );
    assert_columns_agree_with_the_server(&db1, py_orm);
    let changed = PY_ORM.replace("DEFAULT ''", "DEFAULT 'anonymous'");
    let Some((_db3, third)) = load("my inspect py_orm 3", &changed) else {
        return;
    };
    assert_ne!(first, third);
}

#[test]
fn mysql_inspect_views_and_triggers_paste_back_into_another_database() {
    let sql = "CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(20), n INT);
        CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));
        CREATE VIEW named AS SELECT id, name FROM p WHERE id > 1 WITH CASCADED CHECK OPTION;
        CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW over_view AS
            SELECT named.id, p.n FROM named JOIN p ON p.id = named.id;
        CREATE TRIGGER p_upper BEFORE INSERT ON p FOR EACH ROW SET NEW.name = UPPER(NEW.name);
        CREATE TRIGGER p_log AFTER UPDATE ON p FOR EACH ROW
            INSERT INTO audit (what) VALUES (CONCAT('p ', NEW.id));";
    let Some((db, schema)) = load("my inspect views", sql) else {
        return;
    };
    let named = &schema.views["named"];
    assert_eq!(
        named.definition,
        "select `p`.`id` AS `id`,`p`.`name` AS `name` from `p` where `p`.`id` > 1",
        "the server's rewrite without the database's name"
    );
    assert!(!named.definition.contains(&db.name));
    assert_eq!(named.depends_on, ["p"]);
    assert_eq!(named.ext.mysql.check_option.as_deref(), Some("CASCADED"));
    assert!(!named.ext.mysql.security_invoker);
    assert_eq!(named.ext.mysql.algorithm, None);
    let over = &schema.views["over_view"];
    assert_eq!(over.depends_on, ["named", "p"]);
    assert!(over.ext.mysql.security_invoker);
    assert_eq!(over.ext.mysql.algorithm.as_deref(), Some("MERGE"));
    assert_eq!(over.ext.mysql.check_option, None);
    assert_eq!(
        schema.triggers["p_upper"].definition,
        "CREATE TRIGGER `p_upper` BEFORE INSERT ON `p` FOR EACH ROW SET NEW.name = UPPER(NEW.name)"
    );
    assert_eq!(schema.triggers["p_log"].table, "p");
    // The texts paste back: another database made from the model's own texts reads the same.
    let Some(copy) = MyDatabase::create("my inspect views copy") else {
        return;
    };
    let mut rebuilt = String::from(
        "CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(20), n INT);
         CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));",
    );
    rebuilt.push_str(&format!(
        "CREATE VIEW named AS {} WITH CASCADED CHECK OPTION;\
         CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW over_view AS {};",
        named.definition, over.definition
    ));
    for trigger in schema.triggers.values() {
        rebuilt.push_str(&trigger.definition);
        rebuilt.push(';');
    }
    load_into(&copy, &rebuilt);
    let again = inspect(&mut copy.conn(), &copy.name, &filter()).expect("inspect the copy");
    assert_eq!(again.views, schema.views);
    assert_eq!(again.triggers, schema.triggers);
}

/// Loads a shared schema into two databases: their models must be equal, inspecting
/// again must give the same model, and every table's columns and keys must agree with
/// the server's `SHOW CREATE TABLE`.
fn shared_schema_reads_the_same_twice(path: &str, label: &str) -> Option<Schema> {
    let Some(sql) = shared_schema(path) else {
        eprintln!("skipped: no shared schema {path}");
        return None;
    };
    let (db, schema) = load(label, &sql)?;
    let again = inspect(&mut db.conn(), &db.name, &filter()).expect("inspect again");
    assert_eq!(schema, again, "inspecting twice gives the same schema");
    let (_other, other) = load(&format!("{label} copy"), &sql)?;
    assert_eq!(schema, other, "the same SQL in another database");
    for table in schema.tables.values() {
        assert_columns_agree_with_the_server(&db, table);
        assert_keys_agree_with_the_server(&db, table);
    }
    let counts: Vec<(String, u64)> = db
        .conn()
        .exec(
            "SELECT TABLE_TYPE, COUNT(*) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = ? GROUP BY TABLE_TYPE ORDER BY 1",
            (db.name.as_str(),),
        )
        .expect("count tables");
    let count = |kind: &str| {
        counts
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(0, |(_, n)| *n as usize)
    };
    assert_eq!(schema.tables.len(), count("BASE TABLE"));
    assert_eq!(schema.views.len(), count("VIEW"));
    let foreign_keys: u64 = db
        .conn()
        .exec_first(
            "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = ?",
            (db.name.as_str(),),
        )
        .expect("count foreign keys")
        .unwrap_or(0);
    assert_eq!(
        schema
            .tables
            .values()
            .map(|t| t.foreign_keys.len())
            .sum::<usize>(),
        foreign_keys as usize
    );
    Some(schema)
}

#[test]
fn mysql_inspect_sakila_loads_and_reads_the_same_twice() {
    let Some(schema) = shared_schema_reads_the_same_twice("sakila/mysql.sql", "my sakila") else {
        return;
    };
    assert_eq!(schema.tables.len(), 16);
    assert_eq!(schema.views.len(), 7);
    let film = table(&schema, "film");
    assert_eq!(
        film.column("rating").expect("rating").default.as_deref(),
        Some("'G'")
    );
    assert_eq!(
        film.column("last_update")
            .expect("last_update")
            .on_update
            .as_deref(),
        Some("current_timestamp()")
    );
    assert!(schema.views["actor_info"].ext.mysql.security_invoker);
    assert_eq!(
        table(&schema, "film_text").indexes["idx_title_description"]
            .ext
            .mysql
            .kind
            .as_deref(),
        Some("FULLTEXT")
    );
}

#[test]
fn mysql_inspect_chinook_loads_and_reads_the_same_twice() {
    let Some(schema) = shared_schema_reads_the_same_twice("chinook/mysql.sql", "my chinook") else {
        return;
    };
    assert_eq!(schema.tables.len(), 11);
}

#[test]
fn mysql_inspect_lists_what_it_does_not_manage() {
    let Some((_db, schema)) = load(
        "my inspect unmanaged",
        "CREATE TABLE t (id INT PRIMARY KEY);
         CREATE SEQUENCE s;
         CREATE TABLE hist (id INT) WITH SYSTEM VERSIONING;
         CREATE PROCEDURE p() SELECT 1;
         CREATE FUNCTION f() RETURNS INT RETURN 1;
         CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1;",
    ) else {
        return;
    };
    assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["t"]);
    assert_eq!(
        schema.unmanaged,
        [
            "event e",
            "function f",
            "procedure p",
            "sequence s",
            "system versioned table hist"
        ]
    );
}

#[test]
fn mysql_inspect_quotes_odd_names_and_names_a_missing_database() {
    let Some((db, schema)) = load(
        "my inspect odd names",
        "CREATE TABLE `we``ird` (`c``ol` INT PRIMARY KEY, `sp ace` INT,
            KEY `i``x` (`sp ace`), CONSTRAINT `ch``k` CHECK (`c``ol` > 0));
         CREATE VIEW `v``w` AS SELECT `c``ol` FROM `we``ird`;
         CREATE TRIGGER `t``g` BEFORE INSERT ON `we``ird` FOR EACH ROW SET NEW.`sp ace` = 1;",
    ) else {
        return;
    };
    let weird = table(&schema, "we`ird");
    assert_eq!(weird.primary_key.as_ref().expect("a key").columns, ["c`ol"]);
    assert!(weird.indexes.contains_key("i`x"));
    assert_eq!(weird.checks[0].expression, "`c``ol` > 0");
    let view = &schema.views["v`w"];
    assert_eq!(view.depends_on, ["we`ird"]);
    assert_eq!(
        view.definition,
        "select `we``ird`.`c``ol` AS `c``ol` from `we``ird`"
    );
    assert_eq!(
        schema.triggers["t`g"].definition,
        "CREATE TRIGGER `t``g` BEFORE INSERT ON `we``ird` FOR EACH ROW SET NEW.`sp ace` = 1"
    );
    assert_columns_agree_with_the_server(&db, weird);
    assert_keys_agree_with_the_server(&db, weird);
    let missing = format!("{}_missing", db.name);
    let error = inspect(&mut db.conn(), &missing, &filter()).expect_err("no such database");
    assert!(
        format!("{error:#}").contains(&format!("database {missing} does not exist")),
        "{error:#}"
    );
}
