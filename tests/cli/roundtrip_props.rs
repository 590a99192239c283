//! Property test: random current/desired schema pairs on SQLite go through the same round
//! trip as the file cases (in process, so hundreds of pairs run in seconds): diff, render,
//! upgrade, compare with desired, downgrade, compare with current, rows kept.

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
struct TableSpec {
    name: String,
    columns: Vec<ColumnSpec>,
    fk_to: Option<String>,
    unique: Option<String>,
    check: Option<String>,
    indexes: Vec<(String, String, bool)>,
}

const TYPES: &[&str] = &[
    "INTEGER",
    "TEXT",
    "VARCHAR(40)",
    "REAL",
    "NUMERIC(10, 2)",
    "BLOB",
];
const DEFAULTS: &[&str] = &["0", "1", "'x'", "''", "NULL"];

fn column(rng: &mut Rng, name: String) -> ColumnSpec {
    let not_null = rng.chance(30);
    let default = if rng.chance(40) || not_null {
        Some(rng.pick(&DEFAULTS[..4]))
    } else {
        None
    };
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
                vec![(format!("ix_{name}_{col}"), col, rng.chance(30))]
            } else {
                Vec::new()
            };
            TableSpec {
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
        match rng.below(9) {
            0 => {
                let n = out[t].columns.len();
                let col = column(rng, format!("n{n}"));
                let at = rng.below(n + 1);
                out[t].columns.insert(at, col);
            }
            1 if out[t].columns.len() > 1 => {
                let c = 1 + rng.below(out[t].columns.len() - 1);
                let removed = out[t].columns.remove(c);
                out[t].indexes.retain(|(_, col, _)| *col != removed.name);
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
                if col.not_null && col.default.is_none() {
                    col.default = Some("0");
                }
            }
            4 => {
                let c = rng.below(out[t].columns.len());
                out[t].columns[c].default = Some(rng.pick(&DEFAULTS[..4]));
            }
            5 => {
                let table = out[t].name.clone();
                let col = out[t].columns[rng.below(out[t].columns.len())].name.clone();
                let unique = rng.chance(30);
                out[t].indexes = vec![(format!("ix_{table}_{col}_m"), col, unique)];
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
            _ => {
                let n = out.len();
                out.push(TableSpec {
                    name: format!("t{n}"),
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
        let mut lines = vec!["    id INTEGER PRIMARY KEY".to_string()];
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
        for (name, col, unique) in &t.indexes {
            let kind = if *unique { "UNIQUE INDEX" } else { "INDEX" };
            out.push_str(&format!("CREATE {kind} {name} ON {} ({col});\n", t.name));
        }
    }
    out
}

/// Runs a section as a revision runs: in one transaction.
fn apply(driver: &mut SqliteDriver, script: &str) -> Result<(), String> {
    in_transaction(driver, |driver| run_sql(driver, script)).map_err(|e| format!("{e:#}"))
}

fn inspect(driver: &mut SqliteDriver) -> Schema {
    driver.inspect(&[]).expect("inspect")
}

fn round_trip(seed: u64) -> Result<(), TestCaseError> {
    let mut rng = Rng(seed | 1);
    let current_tables = random_tables(&mut rng);
    let desired_tables = mutate(&mut rng, &current_tables);
    let (current_sql, desired_sql) = (sql(&current_tables), sql(&desired_tables));
    let dialect: &dyn Dialect = Engine::Sqlite.dialect();

    let mut live = memory_db(&current_sql);
    // One row per table (values that satisfy every generated constraint).
    for t in &current_tables {
        let _ = live.execute(&format!("INSERT INTO {} (id) VALUES (1)", t.name));
    }
    let current = inspect(&mut live);
    let desired = inspect(&mut memory_db(&desired_sql));
    let comparison = Comparison {
        ops: diff::diff(&current, &desired, dialect),
        unmanaged: Vec::new(),
    };
    let (upgrade, downgrade) = autogen::render(dialect, &comparison).expect("render");
    let context = format!(
        "current:\n{current_sql}\ndesired:\n{desired_sql}\nupgrade:\n{upgrade}\ndowngrade:\n{downgrade}"
    );
    prop_assert_eq!(comparison.ops.is_empty(), current == desired, "{}", context);
    if let Err(e) = apply(&mut live, &upgrade) {
        // Only data-dependent failures are acceptable, and they must have been warned about.
        prop_assert!(
            upgrade.contains("-- WARNING: "),
            "upgrade failed without a warning: {e}\n{context}"
        );
        return Ok(());
    }
    prop_assert_eq!(&inspect(&mut live), &desired, "after upgrade\n{}", context);
    for t in current_tables
        .iter()
        .filter(|t| desired_tables.iter().any(|d| d.name == t.name))
    {
        let rows = live
            .query(&format!("SELECT count(*) FROM {}", t.name))
            .expect("count");
        prop_assert_eq!(
            rows[0][0].as_deref(),
            Some("1"),
            "rows of {} lost\n{}",
            t.name,
            context
        );
    }
    prop_assert!(diff::diff(&inspect(&mut live), &desired, dialect).is_empty());
    if let Err(e) = apply(&mut live, &downgrade) {
        prop_assert!(
            downgrade.contains("-- WARNING: "),
            "downgrade failed without a warning: {e}\n{context}"
        );
        return Ok(());
    }
    prop_assert_eq!(
        &inspect(&mut live),
        &current,
        "after downgrade\n{}",
        context
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_schema_pairs_round_trip(seed in any::<u64>()) {
        round_trip(seed)?;
    }
}
