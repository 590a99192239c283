//! Warnings: the dialect's value-keeping and NULL hooks, and unique indexes judged over
//! a whole section (the real SQLite dialect and the trait's conservative defaults).

use super::*;
use crate::diff::warnings;
use crate::schema::RefAction;

fn sqlite() -> &'static dyn Dialect {
    &crate::dialect::sqlite::SqliteDialect
}

/// `t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)`.
fn base() -> Table {
    Table {
        name: "t".into(),
        columns: vec![col("id", "INTEGER"), col("a", "TEXT"), col("b", "TEXT")],
        primary_key: Some(PrimaryKey {
            columns: vec!["id".into()],
            ..PrimaryKey::default()
        }),
        ..Table::default()
    }
}

fn unique(mut t: Table, name: &str, columns: &[&str]) -> Table {
    let mut index = index(&t.name, name, columns);
    index.unique = true;
    t.indexes.insert(name.into(), index);
    t
}

/// `t` with a default on `b`: a change SQLite can only make by rebuilding the table.
fn rebuilt(mut t: Table) -> Table {
    t.columns[2].default = Some("'x'".into());
    t
}

/// The warnings of the upgrade and of the downgrade from `from` to `to`.
fn both_ways(from: Vec<Table>, to: Vec<Table>, dialect: &dyn Dialect) -> [Vec<String>; 2] {
    let ops = diff(&tables(from), &tables(to), dialect);
    let inverse: Vec<Op> = ops.iter().rev().map(Op::invert).collect();
    [&ops, &inverse].map(|ops| warnings(ops, dialect).into_iter().flatten().collect())
}

const DUPLICATES: &str = "fails if existing rows hold duplicates";

#[test]
fn a_unique_index_warns_where_rows_may_hold_duplicates() {
    let added = both_ways(vec![base()], vec![unique(base(), "ux", &["a"])], sqlite());
    assert_eq!(
        added,
        [
            vec![format!("adds unique index ux to t: {DUPLICATES}")],
            vec![]
        ]
    );
    // On a new table there are no rows.
    let created = both_ways(vec![], vec![unique(base(), "ux", &["a"])], sqlite());
    assert_eq!(
        created,
        [vec![], vec!["drops table t and all its rows".to_string()]]
    );
    // Alone, an op cannot know: it warns.
    let alone = Op::CreateIndex(unique(base(), "ux", &["a"]).indexes["ux"].clone());
    assert!(alone.data_loss(sqlite()).is_some());
}

#[test]
fn a_unique_index_a_rebuild_re_creates_is_no_risk_unless_values_change() {
    let from = unique(base(), "ux", &["a"]);
    let to = rebuilt(from.clone());
    assert_eq!(
        both_ways(vec![from.clone()], vec![to.clone()], sqlite()),
        [Vec::<String>::new(), vec![]]
    );
    // TEXT -> INTEGER may turn '1' and '01' into one value: the index may then fail.
    let mut retyped = to;
    retyped.columns[1].type_text = "INTEGER".into();
    let [up, _] = both_ways(vec![from], vec![retyped], sqlite());
    assert_eq!(
        up,
        [
            "changes the type of t.a from TEXT to INTEGER: values may not convert".to_string(),
            format!("adds unique index ux to t: {DUPLICATES}"),
        ]
    );
}

#[test]
fn keys_the_rows_obey_cover_unique_indexes_and_constraints_over_more_columns() {
    let mut keyed = base();
    keyed.uniques.push(Unique {
        columns: vec!["a".into()],
        name: Some("uq_a".into()),
        ..Default::default()
    });
    // Rebuilt with a new unique index over (a, b): distinct a, distinct (a, b).
    let to = unique(rebuilt(keyed.clone()), "ux_ab", &["b", "a"]);
    assert_eq!(
        both_ways(vec![keyed.clone()], vec![to], sqlite()),
        [Vec::<String>::new(), vec![]]
    );
    // A collation of its own compares otherwise ('A' = 'a' under NOCASE).
    let mut nocase = unique(rebuilt(keyed.clone()), "ux_ab", &["a", "b"]);
    let part = &mut nocase.indexes.get_mut("ux_ab").expect("just added").parts[0];
    part.collation = Some("NOCASE".into());
    let [up, _] = both_ways(vec![keyed], vec![nocase], sqlite());
    assert_eq!(up, [format!("adds unique index ux_ab to t: {DUPLICATES}")]);

    // A UNIQUE constraint over a unique index's columns; back, (a, b) does not make a
    // distinct.
    let indexed = unique(base(), "ux", &["a"]);
    let mut constrained = base();
    constrained.uniques.push(Unique {
        columns: vec!["a".into(), "b".into()],
        name: None,
        ..Default::default()
    });
    assert_eq!(
        both_ways(vec![indexed], vec![constrained.clone()], sqlite()),
        [
            vec![],
            vec![format!("adds unique index ux to t: {DUPLICATES}")]
        ]
    );
    let [up, _] = both_ways(vec![base()], vec![constrained], sqlite());
    assert_eq!(up, [format!("adds UNIQUE (a, b) to t: {DUPLICATES}")]);
}

#[test]
fn default_hooks_warn_on_every_type_change_and_nullable_column() {
    let t = base();
    let dialect = std::sync::Arc::new(InPlace) as crate::dialect::DialectRef;
    assert!(!dialect.type_change_keeps_values(&t, "VARCHAR(10)", "VARCHAR(20)"));
    assert!(dialect.holds_null(&t, &t.columns[0]));
    assert!(!dialect.holds_null(&t, &not_null_col("id")));
    // MySQL keeps values when it widens (its own tests: dialect/mysql/types.rs).
    let my = Engine::Mysql.dialect();
    assert!(my.type_change_keeps_values(&t, "varchar(10)", "varchar(20)"));
    assert!(!my.type_change_keeps_values(&t, "varchar(20)", "varchar(10)"));
    assert!(my.holds_null(&t, &t.columns[0]));
    // PostgreSQL keeps values when it widens (its own tests: dialect/postgres/equivalence.rs).
    let pg = Engine::Postgres.dialect();
    assert!(pg.type_change_keeps_values(&t, "VARCHAR(10)", "VARCHAR(20)"));
    assert!(!pg.type_change_keeps_values(&t, "VARCHAR(20)", "VARCHAR(10)"));
    assert!(pg.holds_null(&t, &t.columns[0]));
    assert!(sqlite().type_change_keeps_values(&t, "VARCHAR(10)", "NVARCHAR(20)"));
    assert!(sqlite().type_change_keeps_values(&t, "INT", "BIGINT"));
    assert!(!sqlite().type_change_keeps_values(&t, "TEXT", "NUMERIC"));
    assert!(!sqlite().type_change_keeps_values(&t, "INTEGER", "TEXT"));
    // BLOB affinity converts nothing, but a STRICT BLOB column refuses text.
    assert!(sqlite().type_change_keeps_values(&t, "TEXT", "BLOB"));
    assert!(sqlite().type_change_keeps_values(&t, "INTEGER", ""));
    let mut strict_t = base();
    strict_t.ext.sqlite.strict = true;
    assert!(!sqlite().type_change_keeps_values(&strict_t, "TEXT", "BLOB"));
    // The rowid alias never holds NULL; the other nullable columns may.
    assert!(!sqlite().holds_null(&t, &t.columns[0]));
    assert!(sqlite().holds_null(&t, &t.columns[1]));
    // A STRICT table refuses values that do not fit; leaving STRICT refuses none.
    let mut strict = base();
    strict.ext.sqlite.strict = true;
    assert_eq!(InPlace.options_risk(&t, &strict), None);
    assert_eq!(
        sqlite().options_risk(&t, &strict).as_deref(),
        Some("makes t STRICT: fails if a value does not fit its column's type")
    );
    assert_eq!(sqlite().options_risk(&strict, &t), None);
    let [up, down] = both_ways(vec![t], vec![strict], sqlite());
    assert_eq!(
        (up.len(), down.len()),
        (1, 0),
        "the STRICT warning once, upgrade only"
    );
}

fn not_null_col(name: &str) -> Column {
    Column {
        nullable: false,
        ..col(name, "INTEGER")
    }
}

#[test]
fn the_dialect_decides_type_and_not_null_warnings() {
    let mut to = base();
    to.columns[0].nullable = false;
    to.columns[2].type_text = "VARCHAR(10)".into();
    let [up, down] = both_ways(vec![base()], vec![to.clone()], sqlite());
    assert_eq!((up.as_slice(), down.as_slice()), (&[][..], &[][..]));
    let [up, down] = both_ways(vec![base()], vec![to], &InPlace);
    assert_eq!(
        up,
        ["makes t.id NOT NULL: fails if it holds NULLs; \
          changes the type of t.b from TEXT to VARCHAR(10): values may not convert"]
    );
    assert_eq!(
        down,
        ["changes the type of t.b from VARCHAR(10) to TEXT: values may not convert"]
    );
}

#[test]
fn a_collation_that_may_merge_values_warns_on_key_columns() {
    let mut keyed = base();
    keyed.uniques.push(Unique {
        columns: vec!["a".into()],
        name: None,
        ..Default::default()
    });
    let mut nocase = keyed.clone();
    nocase.columns[1].collation = Some("NOCASE".into());
    nocase.columns[2].collation = Some("NOCASE".into());
    let [up, down] = both_ways(vec![keyed], vec![nocase], sqlite());
    assert_eq!(
        up,
        ["changes the collation of t.a to NOCASE: fails if its unique keys then hold duplicates"]
    );
    assert_eq!(down, Vec::<String>::new(), "back to BINARY merges nothing");
    assert!(sqlite().collation_keeps_distinct(Some("NOCASE"), Some("binary")));
    assert!(sqlite().collation_keeps_distinct(Some("RTRIM"), None));
    assert!(!sqlite().collation_keeps_distinct(None, Some("RTRIM")));
    assert!(!InPlace.collation_keeps_distinct(Some("NOCASE"), None));
}

#[test]
fn a_foreign_key_added_again_with_other_actions_is_no_risk_unless_values_change() {
    // MySQL drops the key in the first phase and adds it in the last: two ops.
    let mysql = &crate::dialect::mysql::MysqlDialect::default();
    let parent = base();
    let child = |on_delete: RefAction, type_text: &str| {
        let mut c = table("c", &["id", "t_id"]);
        c.columns[1].type_text = type_text.into();
        c.foreign_keys.push(ForeignKey {
            on_delete,
            ..fk(&["t_id"], "t", Some("c_t"))
        });
        c
    };
    let restrict = child(RefAction::Restrict, "INTEGER");
    let set_null = child(RefAction::SetNull, "INTEGER");
    let ops = diff(
        &tables(vec![parent.clone(), restrict.clone()]),
        &tables(vec![parent.clone(), set_null.clone()]),
        mysql,
    );
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(
        both_ways(
            vec![parent.clone(), restrict.clone()],
            vec![parent.clone(), set_null],
            mysql
        ),
        [Vec::<String>::new(), vec![]]
    );
    // Alone, the op adding it cannot know.
    assert!(ops[1].data_loss(mysql).is_some());
    // The column's values may change in between: the key may then fail.
    let retyped = child(RefAction::SetNull, "VARCHAR(5)");
    let [up, _] = both_ways(vec![parent.clone(), restrict], vec![parent, retyped], mysql);
    assert_eq!(
        up,
        [
            "changes the type of c.t_id from INTEGER to VARCHAR(5): values may not convert"
                .to_string(),
            "adds a foreign key c (t_id) -> t: fails if existing rows have no match".to_string(),
        ]
    );
}

#[test]
fn an_engine_without_foreign_keys_warns_of_the_keys_the_first_phase_dropped() {
    // MySQL drops the key in the first phase, then changes the engine: two ops, and the
    // second judges the engine change by the keys the table had.
    let mysql = &crate::dialect::mysql::MysqlDialect::default();
    let parent = base();
    let child = |engine: &str, keyed: bool| {
        let mut c = table("c", &["id", "t_id"]);
        c.ext.mysql.engine = Some(engine.into());
        if keyed {
            c.foreign_keys.push(fk(&["t_id"], "t", Some("c_t")));
        }
        c
    };
    let ops = diff(
        &tables(vec![parent.clone(), child("InnoDB", true)]),
        &tables(vec![parent.clone(), child("MyISAM", false)]),
        mysql,
    );
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ops[1].data_loss(mysql), None, "alone, the op cannot know");
    let [up, down] = both_ways(
        vec![parent.clone(), child("InnoDB", true)],
        vec![parent.clone(), child("MyISAM", false)],
        mysql,
    );
    assert_eq!(
        up,
        ["changes the engine of c to MyISAM, which keeps no foreign keys: c_t lost".to_string()]
    );
    assert_eq!(
        down,
        ["adds a foreign key c (t_id) -> t: fails if existing rows have no match".to_string()]
    );
    // Without foreign keys the engine change loses none.
    let [up, _] = both_ways(
        vec![parent.clone(), child("InnoDB", false)],
        vec![parent, child("MyISAM", false)],
        mysql,
    );
    assert_eq!(up, Vec::<String>::new());
}

#[test]
fn a_column_made_generated_warns_on_every_engine_and_back_not() {
    let mut generated = base();
    generated.columns[2].generated = Some(crate::schema::Generated {
        expression: "a || 'x'".into(),
        stored: false,
    });
    let made = "makes t.b generated: its generation expression replaces its values";
    let postgres = |numbers: Vec<u32>| crate::dialect::postgres::PostgresDialect::new(numbers);
    for dialect in [
        sqlite(),
        &crate::dialect::mysql::MysqlDialect::default() as &dyn Dialect,
        &postgres(vec![13]),
    ] {
        let [up, down] = both_ways(vec![base()], vec![generated.clone()], dialect);
        assert_eq!(up, [made], "{:?}", dialect.engine());
        assert_eq!(down, Vec::<String>::new(), "{:?}", dialect.engine());
    }
    // PostgreSQL 12 drops the expression by dropping the column and adding it again.
    let [_, down] = both_ways(vec![base()], vec![generated], &postgres(vec![12]));
    assert_eq!(
        down,
        ["drops column t.b and adds it again: its default replaces its values"]
    );
}
