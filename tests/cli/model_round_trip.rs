//! The renderer and the inspector agree: every schema of the case corpus, inspected,
//! rendered from the model into an empty database and inspected again, is unchanged, and
//! SQLite reports the copy as it reports the original (the [`oracle`]).

use crate::cases;
use crate::oracle::{self, Catalog};
use crate::project::memory_db;
use migrate::dialect::sqlite::SqliteDriver;
use migrate::dialect::{Dialect, Driver, Engine};
use migrate::diff::Op;
use migrate::schema::Schema;
use migrate::url::SqliteLocation;

/// Every object of `schema` as creation ops.
fn creation_ops(schema: &Schema) -> Vec<Op> {
    let tables = schema.tables.values().map(|t| Op::CreateTable(t.clone()));
    let indexes = schema
        .tables
        .values()
        .flat_map(|t| t.indexes.values().map(|i| Op::CreateIndex(i.clone())));
    let views = schema.views.values().map(|v| Op::CreateView(v.clone()));
    let triggers = schema
        .triggers
        .values()
        .map(|t| Op::CreateTrigger(t.clone()));
    tables.chain(indexes).chain(views).chain(triggers).collect()
}

#[test]
fn rendering_an_inspected_schema_reproduces_it() {
    let dialect: &dyn Dialect = &migrate::dialect::sqlite::SqliteDialect;
    let mut checked = 0;
    for dir in cases::dirs("sqlite") {
        for file in ["current.sql", "desired.sql"] {
            let sql = cases::sql(&dir, file);
            let original = memory_db(&sql)
                .inspect(&migrate::schema::filter::Filter::internals_only(
                    Engine::Sqlite,
                ))
                .expect("inspect");
            let mut copy = SqliteDriver::open(&SqliteLocation::Memory).expect("memory db");
            for op in creation_ops(&original) {
                for statement in dialect.render_op(&op).expect("render") {
                    copy.execute(&statement)
                        .unwrap_or_else(|e| panic!("{}/{file}: {statement}: {e:#}", dir.display()));
                }
            }
            let copied = copy
                .inspect(&migrate::schema::filter::Filter::internals_only(
                    Engine::Sqlite,
                ))
                .expect("inspect copy");
            let context = format!("{}/{file}", dir.display());
            assert_eq!(copied, original, "{context}");
            let (copied, original) = (Catalog::read(copy.connection()), Catalog::of_sql(&sql));
            if dir.join("expect-no-changes").exists() {
                // Spelling cases: a foreign key names its target as that table spells it.
                oracle::assert_same(&copied.folded(), &original.folded(), &context);
            } else {
                oracle::assert_same(&copied, &original, &context);
            }
            checked += 1;
        }
    }
    assert!(checked >= 80);
}
