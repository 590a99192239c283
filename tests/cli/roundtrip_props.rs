//! Property test: random current/desired schema pairs on SQLite go through the same round
//! trip as the file cases (in process, so hundreds of pairs run in seconds): diff, render,
//! upgrade, compare with desired, downgrade, compare with current, judged by the
//! [`oracle`] (the schema as SQLite reports it, every value kept).
//!
//! Every table of the current schema holds one row whose values satisfy every constraint
//! either schema puts on them, so every upgrade and downgrade must succeed, except in the
//! cases the generator makes fail on purpose (a `Poison`: a NULL where the desired schema
//! adds NOT NULL or `CHECK (c0 IS NOT NULL)`); those must fail, announced by that exact
//! warning, and leave the database as it was. Where nothing can lose data or fail on rows,
//! no WARNING may appear.

use crate::oracle::{self, Catalog, Data};
use crate::project::{memory_db, run_sql};
use migrate::autogen::{self, Comparison};
use migrate::dialect::sqlite::SqliteDriver;
use migrate::dialect::{Dialect, Driver, Engine};
use migrate::diff;
use migrate::engine::sink::in_transaction;
use migrate::schema::Schema;
use proptest::prelude::*;

/// A small deterministic generator driven by one proptest seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
struct ColumnSpec {
    name: String,
    type_text: &'static str,
    not_null: bool,
    default: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct IndexSpec {
    name: String,
    /// The column its key reads.
    column: String,
    /// The key as written: the column, an expression of it, or the column with an order.
    key: String,
    unique: bool,
}

#[derive(Clone, Debug)]
struct TableSpec {
    name: String,
    /// How the `id` column is declared (kept by every edit).
    id: &'static str,
    columns: Vec<ColumnSpec>,
    fk_to: Option<String>,
    unique: Option<String>,
    check: Option<String>,
    indexes: Vec<IndexSpec>,
    /// A view reading the table and a trigger on it, which rebuilds must re-create.
    dependents: bool,
}

/// The forms of a rowid alias, which SQLite reports differently (NOT NULL, AUTOINCREMENT).
const ID_FORMS: &[&str] = &[
    "INTEGER PRIMARY KEY",
    "INTEGER NOT NULL PRIMARY KEY",
    "INTEGER PRIMARY KEY AUTOINCREMENT",
];

/// An index of `table` on `column`, its key written in one of several forms.
fn index(rng: &mut Rng, table: &str, column: &str, suffix: &str) -> IndexSpec {
    let forms = [
        column.to_string(),
        format!("lower({column})"),
        format!("({column} || 'x')"),
        format!("{column} DESC"),
    ];
    IndexSpec {
        name: format!("ix_{table}_{column}{suffix}"),
        column: column.to_string(),
        key: forms[rng.below(forms.len())].clone(),
        unique: rng.chance(30),
    }
}

const TYPES: &[&str] = &[
    "INTEGER",
    "TEXT",
    "VARCHAR(40)",
    "REAL",
    "NUMERIC(10, 2)",
    "BLOB",
];
/// Defaults: the last, NULL, only on nullable columns (a NOT NULL column's default must
/// hold for the rows it is added to).
const DEFAULTS: &[&str] = &["0", "1", "'x'", "''", "NULL"];

/// A default for a column that is NOT NULL or not.
fn default(rng: &mut Rng, not_null: bool) -> &'static str {
    rng.pick(if not_null { &DEFAULTS[..4] } else { DEFAULTS })
}

fn column(rng: &mut Rng, name: String) -> ColumnSpec {
    let not_null = rng.chance(30);
    let default = (rng.chance(40) || not_null).then(|| default(rng, not_null));
    ColumnSpec {
        name,
        type_text: rng.pick(TYPES),
        not_null,
        default,
    }
}

fn random_tables(rng: &mut Rng) -> Vec<TableSpec> {
    let count = 1 + rng.below(4);
    (0..count)
        .map(|t| {
            let name = format!("t{t}");
            let columns: Vec<ColumnSpec> = (0..1 + rng.below(4))
                .map(|c| column(rng, format!("c{c}")))
                .collect();
            let fk_to = (t > 0 && rng.chance(40)).then(|| format!("t{}", rng.below(t)));
            let unique = rng.chance(25).then(|| columns[0].name.clone());
            let check = rng
                .chance(25)
                .then(|| format!("length({}) < 100", columns[0].name));
            let indexes = if rng.chance(40) {
                let col = columns[rng.below(columns.len())].name.clone();
                vec![index(rng, &name, &col, "")]
            } else {
                Vec::new()
            };
            TableSpec {
                id: rng.pick(ID_FORMS),
                dependents: rng.chance(25),
                name,
                columns,
                fk_to,
                unique,
                check,
                indexes,
            }
        })
        .collect()
}

/// A random edit of `tables`: add/drop/alter columns, indexes, keys, checks, tables.
fn mutate(rng: &mut Rng, tables: &[TableSpec]) -> Vec<TableSpec> {
    let mut out: Vec<TableSpec> = tables.to_vec();
    for _ in 0..1 + rng.below(3) {
        let t = rng.below(out.len());
        match rng.below(10) {
            0 => {
                let n = out[t].columns.len();
                // A name no column has: after a drop, `n{len}` may already be taken.
                let fresh = (n..)
                    .map(|k| format!("n{k}"))
                    .find(|name| out[t].columns.iter().all(|c| c.name != *name))
                    .expect("an unbounded range has a free name");
                let mut col = column(rng, fresh);
                if rng.chance(5) {
                    // Fails on any row, on purpose: SQLite fills the new column with NULL.
                    col.not_null = true;
                    col.default = Some("NULL");
                }
                let at = rng.below(n + 1);
                out[t].columns.insert(at, col);
            }
            1 if out[t].columns.len() > 1 => {
                let c = 1 + rng.below(out[t].columns.len() - 1);
                let removed = out[t].columns.remove(c);
                out[t].indexes.retain(|i| i.column != removed.name);
                if out[t].unique.as_deref() == Some(removed.name.as_str()) {
                    out[t].unique = None;
                }
                if out[t]
                    .check
                    .as_deref()
                    .is_some_and(|c| c.contains(removed.name.as_str()))
                {
                    out[t].check = None;
                }
            }
            2 => {
                let c = rng.below(out[t].columns.len());
                out[t].columns[c].type_text = rng.pick(TYPES);
            }
            3 => {
                let c = rng.below(out[t].columns.len());
                let col = &mut out[t].columns[c];
                col.not_null = !col.not_null;
                if col.not_null && matches!(col.default, None | Some("NULL")) {
                    col.default = Some("0");
                }
            }
            4 => {
                let c = rng.below(out[t].columns.len());
                let not_null = out[t].columns[c].not_null;
                out[t].columns[c].default = Some(default(rng, not_null));
            }
            5 => {
                let table = out[t].name.clone();
                let col = out[t].columns[rng.below(out[t].columns.len())].name.clone();
                out[t].indexes = vec![index(rng, &table, &col, "_m")];
            }
            6 => {
                out[t].unique = out[t]
                    .unique
                    .is_none()
                    .then(|| out[t].columns[0].name.clone())
            }
            7 => {
                out[t].check = match out[t].check {
                    Some(_) => None,
                    None => Some(format!("{} IS NOT NULL", out[t].columns[0].name)),
                }
            }
            8 => out[t].dependents = !out[t].dependents,
            _ => {
                let n = out.len();
                out.push(TableSpec {
                    name: format!("t{n}"),
                    id: rng.pick(ID_FORMS),
                    dependents: false,
                    columns: vec![column(rng, "c0".into())],
                    fk_to: Some(out[t].name.clone()),
                    unique: None,
                    check: None,
                    indexes: Vec::new(),
                });
            }
        }
    }
    if out.len() > 1 && rng.chance(20) {
        // Drop the last table (nothing references it).
        let last = out.pop().expect("non-empty");
        for table in &mut out {
            if table.fk_to.as_deref() == Some(last.name.as_str()) {
                table.fk_to = None;
            }
        }
    }
    out
}

fn sql(tables: &[TableSpec]) -> String {
    let mut out = String::new();
    for t in tables {
        let mut lines = vec![format!("    id {}", t.id)];
        for c in &t.columns {
            let mut line = format!("    {} {}", c.name, c.type_text);
            if c.not_null {
                line.push_str(" NOT NULL");
            }
            if let Some(d) = c.default {
                line.push_str(&format!(" DEFAULT {d}"));
            }
            lines.push(line);
        }
        if let Some(target) = &t.fk_to {
            lines.push(format!(
                "    ref_id INTEGER REFERENCES {target} (id) ON DELETE SET NULL"
            ));
        }
        if let Some(u) = &t.unique {
            lines.push(format!("    CONSTRAINT uq_{}_{u} UNIQUE ({u})", t.name));
        }
        if let Some(check) = &t.check {
            lines.push(format!("    CHECK ({check})"));
        }
        out.push_str(&format!(
            "CREATE TABLE {} (\n{}\n);\n",
            t.name,
            lines.join(",\n")
        ));
        if t.dependents {
            out.push_str(&format!(
                "CREATE VIEW v_{t} AS SELECT id FROM {t};\n\
                 CREATE TRIGGER tr_{t} AFTER UPDATE ON {t} BEGIN SELECT 1; END;\n",
                t = t.name
            ));
        }
        for i in &t.indexes {
            let kind = if i.unique { "UNIQUE INDEX" } else { "INDEX" };
            out.push_str(&format!(
                "CREATE {kind} {} ON {} ({});\n",
                i.name, t.name, i.key
            ));
        }
    }
    out
}

/// A value of a column of this declared type that every generated constraint accepts.
fn value(type_text: &str) -> &'static str {
    match type_text {
        "INTEGER" => "7",
        "REAL" => "1.5",
        "NUMERIC(10, 2)" => "2.25",
        "BLOB" => "x'01'",
        _ => "'v'",
    }
}

/// A failure the generator arranges on purpose: the seeded row holds NULL in `column`
/// of `table`, where the desired schema forbids it. `warning` is the text of the
/// `-- WARNING:` that must announce it. `inherent` when the desired schema fails on any
/// row (a new NOT NULL DEFAULT NULL column, a CHECK that a new column's NULLs violate),
/// whatever the seed.
#[derive(Debug)]
struct Poison {
    table: String,
    column: String,
    warning: String,
    inherent: bool,
}

/// The changes from `current` to `desired` that fail on a NULL in the seeded row.
fn poisons(current: &[TableSpec], desired: &[TableSpec]) -> Vec<Poison> {
    let mut out = Vec::new();
    for new in desired {
        let Some(old) = current.iter().find(|t| t.name == new.name) else {
            continue;
        };
        for column in &new.columns {
            if column.not_null
                && column.default == Some("NULL")
                && old.columns.iter().all(|c| c.name != column.name)
            {
                out.push(Poison {
                    table: new.name.clone(),
                    column: column.name.clone(),
                    warning: format!(
                        "adds NOT NULL column {t}.{} without a default: fails if {t} has rows",
                        column.name,
                        t = new.name
                    ),
                    inherent: true,
                });
            }
            let was_nullable = old
                .columns
                .iter()
                .any(|c| c.name == column.name && !c.not_null);
            if column.not_null && was_nullable {
                out.push(Poison {
                    table: new.name.clone(),
                    column: column.name.clone(),
                    warning: format!(
                        "makes {}.{} NOT NULL: fails if it holds NULLs",
                        new.name, column.name
                    ),
                    inherent: false,
                });
            }
        }
        let checked = new
            .check
            .as_deref()
            .and_then(|c| c.strip_suffix(" IS NOT NULL"))
            .and_then(|name| new.columns.iter().find(|c| c.name == name));
        let Some(column) = checked.filter(|_| old.check != new.check) else {
            continue;
        };
        let existing = old.columns.iter().find(|c| c.name == column.name);
        // A new column holds NULL in every existing row unless its default says otherwise
        // (an explicit DEFAULT NULL is no default).
        let inherent = existing.is_none() && matches!(column.default, None | Some("NULL"));
        if inherent || existing.is_some_and(|c| !c.not_null) {
            out.push(Poison {
                table: new.name.clone(),
                column: column.name.clone(),
                warning: format!(
                    "adds CHECK ({} IS NOT NULL) to {}: fails if existing rows violate it",
                    column.name, new.name
                ),
                inherent,
            });
        }
    }
    out
}

/// One row per table: values every constraint accepts, NULL in the poisoned column.
fn seed(tables: &[TableSpec], poison: Option<&Poison>) -> String {
    let mut out = String::new();
    for t in tables {
        let mut names = vec!["id".to_string()];
        let mut values = vec!["1".to_string()];
        for c in &t.columns {
            names.push(c.name.clone());
            let poisoned = poison.is_some_and(|p| p.table == t.name && p.column == c.name);
            values.push(if poisoned { "NULL" } else { value(c.type_text) }.to_string());
        }
        if t.fk_to.is_some() {
            names.push("ref_id".into());
            values.push("1".into());
        }
        out.push_str(&format!(
            "INSERT INTO {} ({}) VALUES ({});\n",
            t.name,
            names.join(", "),
            values.join(", ")
        ));
    }
    out
}

/// The type affinity SQLite gives each of [`TYPES`], as the table of
/// <https://www.sqlite.org/datatype3.html#affinity_name_examples> lists them: a type
/// change within one affinity keeps every value.
fn affinity(type_text: &str) -> &'static str {
    match type_text {
        "INTEGER" => "INTEGER",
        "TEXT" | "VARCHAR(40)" => "TEXT",
        "REAL" => "REAL",
        "NUMERIC(10, 2)" => "NUMERIC",
        "BLOB" => "BLOB",
        other => panic!("no affinity listed for {other}"),
    }
}

/// The unique indexes of `new` that `old` (the same table) lacks as they are.
fn added_unique_indexes<'a>(old: &TableSpec, new: &'a TableSpec) -> Vec<&'a IndexSpec> {
    new.indexes
        .iter()
        .filter(|i| {
            i.unique
                && !old
                    .indexes
                    .iter()
                    .any(|o| o.unique && o.name == i.name && o.key == i.key)
        })
        .collect()
}

/// Whether turning `from` into `to` may lose data or fail on rows: a table or column
/// dropped, a type changed to another affinity, NOT NULL, a CHECK, a UNIQUE constraint,
/// a unique index or a foreign key added, a NOT NULL column added that the rows would
/// fill with NULL.
fn may_lose_data(from: &[TableSpec], to: &[TableSpec]) -> bool {
    from.iter().any(|old| {
        let Some(new) = to.iter().find(|t| t.name == old.name) else {
            return true;
        };
        let column_risk = old.columns.iter().any(|c| {
            new.columns
                .iter()
                .find(|n| n.name == c.name)
                .is_none_or(|n| {
                    affinity(n.type_text) != affinity(c.type_text) || (n.not_null && !c.not_null)
                })
        });
        let null_filled = new.columns.iter().any(|n| {
            n.not_null
                && matches!(n.default, None | Some("NULL"))
                && old.columns.iter().all(|c| c.name != n.name)
        });
        let added = |a: &Option<String>, b: &Option<String>| b.is_some() && a != b;
        column_risk
            || null_filled
            || !added_unique_indexes(old, new).is_empty()
            || added(&old.check, &new.check)
            || added(&old.unique, &new.unique)
            || added(&old.fk_to, &new.fk_to)
            || (old.fk_to.is_some() && new.fk_to.is_none())
    })
}

/// The warnings turning `from` into `to` must give at least: a dropped table or column,
/// a type changed to another affinity than BLOB, and a unique index added to a table whose rows
/// obey no key over its column (no UNIQUE constraint on it, nor a unique index before).
fn required_warnings(from: &[TableSpec], to: &[TableSpec]) -> Vec<String> {
    let mut out = Vec::new();
    for old in from {
        let Some(new) = to.iter().find(|t| t.name == old.name) else {
            out.push(format!("drops table {} and all its rows", old.name));
            continue;
        };
        let names = |t: &TableSpec| {
            let mut names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
            names.extend(t.fk_to.as_ref().map(|_| "ref_id".to_string()));
            names
        };
        let kept = names(new);
        for column in names(old).iter().filter(|c| !kept.contains(c)) {
            out.push(format!("drops column {}.{column} and its data", old.name));
        }
        for (c, n) in old.columns.iter().filter_map(|c| {
            let n = new.columns.iter().find(|n| n.name == c.name)?;
            // BLOB affinity converts nothing (the tables here are not STRICT).
            let converts = affinity(n.type_text) != "BLOB";
            (converts && affinity(n.type_text) != affinity(c.type_text)).then_some((c, n))
        }) {
            out.push(format!(
                "changes the type of {}.{} from {} to {}: values may not convert",
                new.name, n.name, c.type_text, n.type_text
            ));
        }
        // A UNIQUE constraint on the column, kept or added (the table's change, which
        // enforces it, runs before its indexes are created), or a unique index before.
        let obeyed = |column: &str| {
            [&old.unique, &new.unique]
                .iter()
                .any(|u| u.as_deref() == Some(column))
                || old.indexes.iter().any(|o| o.unique && o.column == column)
        };
        for index in added_unique_indexes(old, new) {
            if !old.indexes.iter().any(|o| o.name == index.name) && !obeyed(&index.column) {
                out.push(format!(
                    "adds unique index {} to {}: fails if existing rows hold duplicates",
                    index.name, new.name
                ));
            }
        }
    }
    out
}

/// Runs a section as a revision runs: in one transaction.
fn apply(driver: &mut SqliteDriver, script: &str) -> Result<(), String> {
    in_transaction(driver, |driver| run_sql(driver, script)).map_err(|e| format!("{e:#}"))
}

fn inspect(driver: &mut SqliteDriver) -> Schema {
    driver
        .inspect(&migrate::schema::filter::Filter::internals_only(
            Engine::Sqlite,
        ))
        .expect("inspect")
}

fn warnings(section: &str) -> Vec<&str> {
    section
        .lines()
        .filter_map(|l| l.strip_prefix("-- WARNING: "))
        .collect()
}

/// What a round trip did, for the counts the test reports.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    NoChanges,
    RoundTripped,
    FailedOnPurpose,
}

fn round_trip(seed_value: u64) -> Result<Outcome, TestCaseError> {
    let mut rng = Rng(seed_value | 1);
    let current_tables = random_tables(&mut rng);
    let desired_tables = mutate(&mut rng, &current_tables);
    let (current_sql, desired_sql) = (sql(&current_tables), sql(&desired_tables));
    let candidates = poisons(&current_tables, &desired_tables);
    let poison = candidates.iter().find(|p| p.inherent).or_else(|| {
        (!candidates.is_empty() && rng.chance(30)).then(|| &candidates[rng.below(candidates.len())])
    });
    let seed_sql = seed(&current_tables, poison);
    let dialect: &dyn Dialect = &migrate::dialect::sqlite::SqliteDialect;

    let mut live = memory_db(&current_sql);
    run_sql(&mut live, &seed_sql).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
    let current = Catalog::of_sql(&current_sql);
    let desired = Catalog::of_sql(&desired_sql);
    let before = Data::read(live.connection());
    let comparison = Comparison {
        ops: diff::diff(
            &inspect(&mut live),
            &inspect(&mut memory_db(&desired_sql)),
            dialect,
        ),
        unmanaged: Vec::new(),
    };
    let (upgrade, downgrade) = autogen::render(dialect, &comparison).expect("render");
    let context = format!(
        "current:\n{current_sql}\ndesired:\n{desired_sql}\nseed:\n{seed_sql}\
         upgrade:\n{upgrade}\ndowngrade:\n{downgrade}\npoison: {poison:?}"
    );
    prop_assert_eq!(comparison.ops.is_empty(), current == desired, "{}", context);
    if comparison.ops.is_empty() {
        return Ok(Outcome::NoChanges);
    }
    for (section, from, to) in [
        (&upgrade, &current_tables, &desired_tables),
        (&downgrade, &desired_tables, &current_tables),
    ] {
        if !may_lose_data(from, to) {
            prop_assert!(
                warnings(section).is_empty(),
                "a WARNING where nothing can lose data\n{}",
                context
            );
        }
        let given: Vec<&str> = warnings(section)
            .iter()
            .flat_map(|w| w.split("; "))
            .collect();
        for required in required_warnings(from, to) {
            prop_assert!(
                given.contains(&required.as_str()),
                "missing WARNING: {}\n{}",
                required,
                context
            );
        }
    }

    match (apply(&mut live, &upgrade), poison) {
        (Ok(()), None) => {}
        (Err(e), Some(poison)) => {
            prop_assert!(
                warnings(&upgrade)
                    .iter()
                    .any(|w| w.split("; ").any(|part| part == poison.warning)),
                "failed on purpose ({e}) without the warning {:?}\n{}",
                poison.warning,
                context
            );
            // Rolled back: the schema and every row as they were.
            oracle::assert_same(&Catalog::read(live.connection()), &current, &context);
            let after = Data::read(live.connection());
            prop_assert_eq!(after.shared(&before), before.shared(&after), "{}", context);
            return Ok(Outcome::FailedOnPurpose);
        }
        (Err(e), None) => {
            return Err(TestCaseError::fail(format!(
                "upgrade failed: {e}\n{context}"
            )))
        }
        (Ok(()), Some(_)) => {
            return Err(TestCaseError::fail(format!(
                "the upgrade should have failed on the NULL seeded on purpose\n{context}"
            )))
        }
    }
    oracle::assert_same(
        &Catalog::read(live.connection()),
        &desired,
        &format!("after upgrade\n{context}"),
    );
    let after = Data::read(live.connection());
    oracle::assert_values_kept(&before, &after, &format!("after upgrade\n{context}"));
    prop_assert!(diff::diff(
        &inspect(&mut live),
        &inspect(&mut memory_db(&desired_sql)),
        dialect
    )
    .is_empty());

    if let Err(e) = apply(&mut live, &downgrade) {
        return Err(TestCaseError::fail(format!(
            "downgrade failed: {e}\n{context}"
        )));
    }
    oracle::assert_same(
        &Catalog::read(live.connection()),
        &current,
        &format!("after downgrade\n{context}"),
    );
    let restored = Data::read(live.connection());
    oracle::assert_values_kept(
        &before.within(&after),
        &restored.within(&after),
        &format!("after downgrade\n{context}"),
    );
    Ok(Outcome::RoundTripped)
}

/// The number of random cases.
const CASES: u32 = 300;

#[test]
fn random_schema_pairs_round_trip() {
    let outcomes = std::cell::RefCell::new(Vec::new());
    // Failing seeds are kept (and replayed first) where the proptest! macro kept them.
    let regressions = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/proptest-regressions/roundtrip_props.txt"
    );
    let config = ProptestConfig {
        cases: CASES,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(regressions),
        )),
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&any::<u64>(), |seed_value| {
        outcomes.borrow_mut().push(round_trip(seed_value)?);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let outcomes = outcomes.into_inner();
    let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count();
    let (failed, same) = (count(Outcome::FailedOnPurpose), count(Outcome::NoChanges));
    eprintln!(
        "{} random cases judged by the oracle: {} round trips, {failed} failed on purpose, {same} without changes",
        outcomes.len(),
        count(Outcome::RoundTripped),
    );
    // The generator must exercise both paths.
    assert!(
        failed > 0 && failed * 4 < outcomes.len(),
        "{failed} of {}",
        outcomes.len()
    );
}
