//! PostgreSQL DDL for enum types: `CREATE TYPE ... AS ENUM`, labels added in place with
//! `ALTER TYPE ... ADD VALUE ... BEFORE | AFTER`, and the type swap for labels removed or
//! reordered, which PostgreSQL cannot do in place.
//!
//! A label added by `ADD VALUE` inside a transaction cannot be used (as a value, a
//! default, in a check) until that transaction commits: PostgreSQL 12+ runs the `ADD
//! VALUE` itself in a transaction, and refuses the use with "unsafe use of new value".
//! [`new_labels_used_later`] finds a section that adds a label and names it later, so
//! that such a revision runs outside a transaction (`-- transaction: none`). A type
//! created in the transaction has no such limit, so the swap's new labels are usable at
//! once.

use super::super::super::PostgresDialect;
use super::{comment_on, qualified, statement_text};
use crate::dialect::Dialect;
use crate::diff::op::{EnumUse, Op};
use crate::echo;
use crate::schema::{Check, EnumType, Index};

/// The suffix of the name the old type takes while a swap replaces it.
pub const SWAP_SUFFIX: &str = "__migrate_old";

/// PostgreSQL truncates identifiers to this many bytes.
const NAME_MAX_BYTES: usize = 63;

/// `CREATE TYPE "ns"."t" AS ENUM ('a', 'b')` and its comment.
pub fn create(dialect: &PostgresDialect, enum_type: &EnumType) -> Vec<String> {
    let mut statements = vec![create_type(dialect, enum_type)];
    statements.extend(comment(dialect, enum_type));
    statements
}

/// The labels of `from` become those of `to` (and its comment `to`'s): `ADD VALUE`s when
/// `from`'s labels keep their order among `to`'s, else the type swap.
pub fn alter(
    dialect: &PostgresDialect,
    from: &EnumType,
    to: &EnumType,
    uses: &[EnumUse],
) -> Vec<String> {
    let in_place = only_additions(from, to);
    let mut statements = if from.labels == to.labels {
        Vec::new()
    } else if in_place {
        add_values(dialect, from, to)
    } else {
        swap(dialect, from, to, uses)
    };
    if !in_place {
        // The swap's new type has no comment yet.
        statements.extend(comment(dialect, to));
    } else if from.comment != to.comment {
        let name = qualified(dialect, &to.namespace, &to.name);
        statements.push(comment_on(
            dialect,
            &format!("TYPE {name}"),
            to.comment.as_deref(),
        ));
    }
    statements
}

/// For each `AlterEnum` of `ops` that adds labels in place, the index of the op and the
/// added labels that a later statement of the section (`rendered`, parallel to `ops`)
/// names as a literal: those the section uses before it could commit them. Comment lines
/// are not read; a literal of the same text naming something else counts too (the
/// revision then merely runs outside a transaction without needing to).
pub fn new_labels_used_later(
    dialect: &PostgresDialect,
    ops: &[Op],
    rendered: &[Vec<String>],
) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for (index, op) in ops.iter().enumerate() {
        let Op::AlterEnum { from, to, .. } = op else {
            continue;
        };
        if from.labels == to.labels || !only_additions(from, to) {
            continue;
        }
        let later: Vec<&str> = rendered
            .iter()
            .skip(index + 1)
            .flatten()
            .flat_map(|statement| statement.lines())
            .filter(|line| !line.trim_start().starts_with("--"))
            .collect();
        let used: Vec<String> = to
            .labels
            .iter()
            .filter(|label| !from.labels.contains(label))
            .filter(|label| {
                let literal = dialect.quote_literal(label);
                later.iter().any(|line| line.contains(&literal))
            })
            .cloned()
            .collect();
        if !used.is_empty() {
            found.push((index, used));
        }
    }
    found
}

/// `CREATE TYPE "ns"."t" AS ENUM (...)`.
fn create_type(dialect: &PostgresDialect, enum_type: &EnumType) -> String {
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(dialect, &enum_type.namespace, &enum_type.name),
        literals(dialect, enum_type.labels.iter())
    )
}

/// `COMMENT ON TYPE ... IS '...'`, when the type has a comment.
fn comment(dialect: &PostgresDialect, enum_type: &EnumType) -> Option<String> {
    enum_type.comment.as_ref().map(|text| {
        let name = qualified(dialect, &enum_type.namespace, &enum_type.name);
        comment_on(dialect, &format!("TYPE {name}"), Some(text))
    })
}

/// `'a', 'b'`.
fn literals<'a>(dialect: &PostgresDialect, labels: impl Iterator<Item = &'a String>) -> String {
    labels
        .map(|label| dialect.quote_literal(label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `to` only adds labels to `from`: every label of `from` is in `to`, in the
/// same order.
fn only_additions(from: &EnumType, to: &EnumType) -> bool {
    let mut remaining = to.labels.iter();
    from.labels
        .iter()
        .all(|label| remaining.any(|other| other == label))
}

/// `ALTER TYPE ... ADD VALUE` for each label of `to` that `from` lacks, each placed next
/// to a label already there so that the final order is `to`'s: those before the first
/// kept label go `BEFORE` their successor, last first; the others `AFTER` their
/// predecessor, first first.
fn add_values(dialect: &PostgresDialect, from: &EnumType, to: &EnumType) -> Vec<String> {
    let name = qualified(dialect, &to.namespace, &to.name);
    let labels = &to.labels;
    let is_new = |label: &String| !from.labels.contains(label);
    let add = |label: &String, place: Option<(&str, &String)>| {
        let mut sql = format!(
            "ALTER TYPE {name} ADD VALUE {}",
            dialect.quote_literal(label)
        );
        if let Some((word, neighbour)) = place {
            sql.push_str(&format!(" {word} {}", dialect.quote_literal(neighbour)));
        }
        sql
    };
    let first_kept = labels.iter().position(|label| !is_new(label));
    let mut statements = Vec::new();
    let after_start = match first_kept {
        Some(kept) => {
            for at in (0..kept).rev() {
                statements.push(add(&labels[at], Some(("BEFORE", &labels[at + 1]))));
            }
            kept + 1
        }
        // No label to place the first one by (the type had none): it goes alone.
        None => {
            if let Some(first) = labels.first() {
                statements.push(add(first, None));
            }
            1
        }
    };
    for at in after_start..labels.len() {
        if is_new(&labels[at]) {
            statements.push(add(&labels[at], Some(("AFTER", &labels[at - 1]))));
        }
    }
    statements
}

/// The old type's name during a swap: the name and [`SWAP_SUFFIX`], the name cut (at a
/// character boundary) so that the whole fits PostgreSQL's 63 bytes, which would
/// otherwise cut the suffix and possibly land on the name itself.
fn swap_name(name: &str) -> String {
    let mut end = name.len().min(NAME_MAX_BYTES - SWAP_SUFFIX.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{SWAP_SUFFIX}", &name[..end])
}

/// The statements converting the columns of one table (`uses`, all of it) to the new
/// type `name`: the checks and indexes naming the type dropped first and made again
/// after, and each column's default dropped, its type converted through text, and its
/// default set again unless it names a `removed` label.
fn convert_table(
    dialect: &PostgresDialect,
    name: &str,
    removed: &[&String],
    uses: &[EnumUse],
) -> Vec<String> {
    let Some(first) = uses.first() else {
        return Vec::new();
    };
    let table = qualified(dialect, &first.namespace, &first.table);
    let checks: Vec<(&String, &Check)> = first
        .checks
        .iter()
        .filter_map(|check| check.name.as_ref().map(|n| (n, check)))
        .collect();
    let indexes: Vec<(&Index, String)> = first
        .indexes
        .iter()
        .filter_map(|index| Some((index, statement_text(index.definition.as_deref()?))))
        .collect();
    let mut statements = Vec::new();
    for (check_name, _) in &checks {
        statements.push(format!(
            "ALTER TABLE {table} DROP CONSTRAINT {}",
            dialect.quote_ident(check_name)
        ));
    }
    for (index, _) in &indexes {
        statements.push(format!(
            "DROP INDEX {}",
            qualified(dialect, &index.namespace, &index.name)
        ));
    }
    for enum_use in uses {
        let column = &enum_use.column;
        let alter = format!(
            "ALTER TABLE {table} ALTER COLUMN {}",
            dialect.quote_ident(&column.name)
        );
        let brackets = if column.type_text.trim_end().ends_with("[]") {
            "[]"
        } else {
            ""
        };
        if column.default.is_some() {
            statements.push(format!("{alter} DROP DEFAULT"));
        }
        statements.push(format!(
            "{alter} TYPE {name}{brackets} USING {}::text{brackets}::{name}{brackets}",
            dialect.quote_ident(&column.name)
        ));
        if let Some(default) = &column.default {
            let names_removed = removed
                .iter()
                .any(|label| default.contains(&dialect.quote_literal(label)));
            if !names_removed {
                statements.push(format!("{alter} SET DEFAULT {default}"));
            }
        }
    }
    for (check_name, check) in &checks {
        let pg = &check.ext.postgres;
        statements.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({}){}{}",
            dialect.quote_ident(check_name),
            check.expression,
            if pg.no_inherit { " NO INHERIT" } else { "" },
            if pg.not_valid { " NOT VALID" } else { "" },
        ));
    }
    statements.extend(indexes.into_iter().map(|(_, create)| create));
    statements
}

/// The type swap: the old type renamed aside, the type created again with `to`'s
/// labels, each column of it converted through text (its default dropped first, since
/// a default naming the old type cannot be cast, and set again after unless it names a
/// removed label: the section then changes it anyway; the checks and indexes of its
/// table naming the type dropped before and made again after), and the old type
/// dropped.
///
/// Other objects naming the old type (a function's argument, a trigger's WHEN, an
/// index without a definition) keep naming it: the conversion or the final DROP TYPE
/// then fails, and the revision rolls back. Views reading the columns are the differ's:
/// it drops them before the swap and creates them after.
fn swap(
    dialect: &PostgresDialect,
    from: &EnumType,
    to: &EnumType,
    uses: &[EnumUse],
) -> Vec<String> {
    let name = qualified(dialect, &to.namespace, &to.name);
    let old_name = swap_name(&from.name);
    let removed: Vec<&String> = from
        .labels
        .iter()
        .filter(|label| !to.labels.contains(label))
        .collect();
    let display = echo::escape(&crate::schema::display_name(&to.namespace, &to.name));
    let mut rename = format!(
        "-- PostgreSQL cannot remove or reorder the labels of an enum type: type {display} is \
         renamed aside, created again with its new labels, its columns converted through \
         text, and the old type dropped\n"
    );
    if !removed.is_empty() {
        rename.push_str(&format!(
            "-- WARNING: rows holding a removed label of {display} ({}) make this fail\n",
            echo::escape(&literals(dialect, removed.iter().copied()))
        ));
    }
    rename.push_str(&format!(
        "ALTER TYPE {name} RENAME TO {}",
        dialect.quote_ident(&old_name)
    ));
    let mut statements = vec![rename, create_type(dialect, to)];
    for table_uses in uses.chunk_by(|a, b| (&a.namespace, &a.table) == (&b.namespace, &b.table)) {
        statements.extend(convert_table(dialect, &name, &removed, table_uses));
    }
    statements.push(format!(
        "DROP TYPE {}",
        qualified(dialect, &from.namespace, &old_name)
    ));
    statements
}
