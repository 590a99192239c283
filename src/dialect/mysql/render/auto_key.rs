//! An AUTO_INCREMENT column must be the first column of some key at every step (MySQL
//! and MariaDB error 1075 "there can be only one auto column and it must be defined as a
//! key"), so a key change that takes that key from it runs in one `ALTER TABLE` with the
//! rest of the change: the primary key dropped and added, the unique keys naming the
//! column dropped or added, and the column's own `MODIFY` (giving or taking its
//! AUTO_INCREMENT), and the section's indexes of the table that start with the column
//! (on InnoDB the column must lead some key: a primary key `(shard, id)` needs an index
//! `(id)` in the same statement). The server checks the table only as the whole
//! statement leaves it. An index led by the column that is dropped while another led by
//! it is added makes one statement too: with the table's change if the section alters
//! the table ([`folded_indexes`]), else on its own ([`swapped_indexes`]).

use crate::diff::{Op, TableChange};
use crate::schema::{Index, IndexKey, IndexPart, Table};
use std::collections::{BTreeMap, BTreeSet};

/// The columns AUTO_INCREMENT in `from` or `to` that both tables have.
fn autos<'a>(from: &'a Table, to: &'a Table) -> BTreeSet<&'a str> {
    from.columns
        .iter()
        .chain(&to.columns)
        .filter(|c| c.auto_increment)
        .map(|c| c.name.as_str())
        .filter(|n| from.column(n).is_some() && to.column(n).is_some())
        .collect()
}

/// For each `AlterTable` of `ops` whose key change joins one statement (see
/// [`together`]), or whose table's section replaces an index led by its AUTO_INCREMENT
/// column with another, the positions of the section's `CreateIndex` and `DropIndex` ops of
/// that table whose first key part is one of its AUTO_INCREMENT columns: the statement
/// performs them (`ADD KEY`, `DROP INDEX`), and they render none of their own.
pub fn folded_indexes(ops: &[Op]) -> BTreeMap<usize, Vec<usize>> {
    let mut folded = BTreeMap::new();
    for (at, op) in ops.iter().enumerate() {
        let Op::AlterTable { from, to, changes } = op else {
            continue;
        };
        let keys_together = together(from, to, changes).contains(&true);
        let autos = autos(from, to);
        let indexes: Vec<usize> = ops
            .iter()
            .enumerate()
            .filter_map(|(i, op)| match op {
                Op::CreateIndex(index) | Op::DropIndex(index)
                    if index.table_key() == to.key()
                        && matches!(index.parts.first().map(|p| &p.key),
                            Some(IndexKey::Column(c)) if autos.contains(c.as_str())) =>
                {
                    Some(i)
                }
                _ => None,
            })
            .collect();
        // Without a key change, an index of the column dropped and another added (the
        // column's only key replaced) still make one statement with the table's change.
        let has = |kind: fn(&Op) -> bool| indexes.iter().any(|&i| kind(&ops[i]));
        let replaced =
            has(|op| matches!(op, Op::DropIndex(_))) && has(|op| matches!(op, Op::CreateIndex(_)));
        if !indexes.is_empty() && (keys_together || replaced) {
            folded.insert(at, indexes);
        }
    }
    folded
}

/// The index replacements of `ops` that run as one `ALTER TABLE ... DROP INDEX a, ADD KEY
/// b (...)`: for each `CreateIndex` position, the position of the `DropIndex` of the same
/// table it replaces, both plain or unique indexes led by the same column, in a table the
/// section neither creates, drops nor alters (an `ALTER TABLE` folds its own, see
/// [`folded_indexes`]). Index ops carry no column definitions, so the column may or may
/// not be AUTO_INCREMENT; where it is and the dropped index was the only key it led, two
/// statements fail (error 1075), and where it is not, one statement does the same work.
pub fn swapped_indexes(ops: &[Op]) -> BTreeMap<usize, usize> {
    let table_ops: BTreeSet<String> = ops
        .iter()
        .filter_map(|op| match op {
            Op::CreateTable(t) | Op::DropTable(t) => Some(t.key()),
            Op::AlterTable { to, .. } => Some(to.key()),
            _ => None,
        })
        .collect();
    let leading = |index: &Index| match (index.parts.first(), &index.ext.mysql.kind) {
        (
            Some(IndexPart {
                key: IndexKey::Column(column),
                ..
            }),
            None,
        ) if !table_ops.contains(&index.table_key()) => Some(column.to_lowercase()),
        _ => None,
    };
    let mut swaps = BTreeMap::new();
    for (at, op) in ops.iter().enumerate() {
        let Op::DropIndex(dropped) = op else { continue };
        let Some(column) = leading(dropped) else {
            continue;
        };
        let replacement = ops.iter().enumerate().skip(at + 1).find(|(i, op)| {
            matches!(op, Op::CreateIndex(created)
                if created.table_key() == dropped.table_key()
                    && leading(created).as_deref() == Some(column.as_str())
                    && !visibility_alone(dropped, created)
                    && !swaps.contains_key(i))
        });
        if let Some((created_at, _)) = replacement {
            swaps.insert(created_at, at);
        }
    }
    swaps
}

/// Whether `created` is `dropped` with only `IGNORED`/`INVISIBLE` changed: MariaDB takes
/// `DROP INDEX i, ADD KEY i (...) IGNORED` in one statement for the same index and keeps
/// the old visibility, so such a change stays two statements.
fn visibility_alone(dropped: &Index, created: &Index) -> bool {
    let mut shown = created.clone();
    shown.ext.mysql.ignored = dropped.ext.mysql.ignored;
    shown == *dropped
}

/// For each of `changes` (an `ALTER TABLE` of `from` into `to`), whether it joins the one
/// statement: all false unless a primary or unique key change names a column that is
/// AUTO_INCREMENT in `from` or `to` (and kept by both); then the primary key changes,
/// the unique key changes naming such a column, and the changes of such a column.
pub fn together(from: &Table, to: &Table, changes: &[TableChange]) -> Vec<bool> {
    let autos = autos(from, to);
    let names_auto = |columns: &[String]| columns.iter().any(|c| autos.contains(c.as_str()));
    let key_of_auto = |change: &TableChange| match change {
        TableChange::SetPrimaryKey { from, to } => {
            from.iter().chain(to).any(|pk| names_auto(&pk.columns))
        }
        TableChange::AddUnique(u) | TableChange::DropUnique(u) => names_auto(&u.columns),
        _ => false,
    };
    if !changes.iter().any(key_of_auto) {
        return vec![false; changes.len()];
    }
    changes
        .iter()
        .map(|change| match change {
            TableChange::SetPrimaryKey { .. } => true,
            TableChange::AlterColumn { to, .. } => autos.contains(to.name.as_str()),
            _ => key_of_auto(change),
        })
        .collect()
}

/// The `ALTER TABLE {table}` statements of `clauses`: each its own statement (MySQL
/// refuses some combinations in one, such as a key dropped and a column it names
/// changed, and one at a time always runs), except those marked, which make one
/// statement, in their order, where the last of them stands.
pub fn statements(table: &str, clauses: Vec<(String, bool)>) -> Vec<String> {
    let last = clauses.iter().rposition(|(_, joined)| *joined);
    let joined: Vec<&str> = clauses
        .iter()
        .filter(|(_, joined)| *joined)
        .map(|(clause, _)| clause.as_str())
        .collect();
    clauses
        .iter()
        .enumerate()
        .filter_map(|(i, (clause, marked))| {
            if Some(i) == last {
                Some(format!("ALTER TABLE {table} {}", joined.join(", ")))
            } else if *marked {
                None
            } else {
                Some(format!("ALTER TABLE {table} {clause}"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, PrimaryKey, Unique};

    fn table(auto: bool, pk: &[&str], unique: &[&str]) -> Table {
        let column = |name: &str, auto_increment| Column {
            name: name.into(),
            type_text: "int".into(),
            auto_increment,
            ..Column::default()
        };
        Table {
            name: "t".into(),
            columns: vec![column("id", auto), column("o", false)],
            primary_key: Some(PrimaryKey {
                columns: pk.iter().map(|c| c.to_string()).collect(),
                ..PrimaryKey::default()
            }),
            uniques: (!unique.is_empty())
                .then(|| Unique {
                    name: Some("u".into()),
                    columns: unique.iter().map(|c| c.to_string()).collect(),
                    ..Unique::default()
                })
                .into_iter()
                .collect(),
            ..Table::default()
        }
    }

    fn changes_and_marks(from: &Table, to: &Table) -> (Vec<TableChange>, Vec<bool>) {
        let dialect = super::super::super::MysqlDialect::default();
        let changes = crate::diff::tables::table_changes(from, to, &dialect);
        let marks = together(from, to, &changes);
        (changes, marks)
    }

    #[test]
    fn a_key_change_of_an_auto_column_joins_its_key_and_column_changes() {
        // The auto column moves from the primary key into a unique key.
        let (changes, marks) =
            changes_and_marks(&table(true, &["id"], &[]), &table(true, &["o"], &["id"]));
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(marks, vec![true; 3]);
        // It loses AUTO_INCREMENT along with the key: the MODIFY joins too.
        let (changes, marks) =
            changes_and_marks(&table(true, &["id"], &[]), &table(false, &["o"], &[]));
        assert!(matches!(changes[1], TableChange::AlterColumn { .. }));
        assert_eq!(marks, vec![true; 3]);
        // A unique key of another column stays on its own.
        let (changes, marks) = changes_and_marks(
            &table(true, &["id"], &[]),
            &table(true, &["id", "o"], &["o"]),
        );
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(marks, vec![true, true, false]);
    }

    #[test]
    fn key_changes_without_an_auto_column_stay_apart() {
        let (changes, marks) = changes_and_marks(
            &table(false, &["id"], &[]),
            &table(false, &["id", "o"], &[]),
        );
        assert_eq!(changes.len(), 2);
        assert_eq!(marks, vec![false, false]);
    }

    #[test]
    fn the_joined_clauses_make_one_statement_where_the_last_stands() {
        let clauses = vec![
            ("DROP PRIMARY KEY".to_string(), true),
            ("DROP COLUMN c".to_string(), false),
            ("ADD PRIMARY KEY (id, o)".to_string(), true),
            ("ADD UNIQUE KEY u (o)".to_string(), false),
        ];
        assert_eq!(
            statements("`t`", clauses),
            vec![
                "ALTER TABLE `t` DROP COLUMN c",
                "ALTER TABLE `t` DROP PRIMARY KEY, ADD PRIMARY KEY (id, o)",
                "ALTER TABLE `t` ADD UNIQUE KEY u (o)",
            ]
        );
    }

    fn index(name: &str, columns: &[&str]) -> Index {
        Index::of_columns("t", name, columns)
    }

    #[test]
    fn an_index_replaced_by_one_led_by_the_same_column_is_one_statement() {
        let ops = vec![
            Op::DropIndex(index("a", &["id"])),
            Op::DropIndex(index("b", &["o"])),
            Op::CreateIndex(index("c", &["o", "id"])),
            Op::CreateIndex(index("d", &["ID", "o"])),
        ];
        // d replaces a (the same column, as MySQL compares names); c and b swap too.
        assert_eq!(swapped_indexes(&ops), BTreeMap::from([(2, 1), (3, 0)]));
    }

    #[test]
    fn index_swaps_leave_altered_tables_and_fulltext_indexes_alone() {
        let mut fulltext = index("f", &["id"]);
        fulltext.ext.mysql.kind = Some("FULLTEXT".into());
        let ops = vec![
            Op::DropIndex(index("a", &["id"])),
            Op::CreateIndex(fulltext),
            Op::CreateIndex(index("e", &["o"])),
        ];
        assert!(swapped_indexes(&ops).is_empty());
        let altered = vec![
            Op::DropIndex(index("a", &["id"])),
            Op::AlterTable {
                from: table(true, &["o"], &[]),
                to: table(true, &["o"], &[]),
                changes: Vec::new(),
            },
            Op::CreateIndex(index("d", &["id", "o"])),
        ];
        assert!(swapped_indexes(&altered).is_empty());
    }
}
