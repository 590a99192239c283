//! The schema-level objects around the tables: namespaces, extensions, enum types,
//! sequences and functions (PostgreSQL's; SQLite and MySQL have none, so for them this
//! part of a diff is empty).
//!
//! Where they go in the section, so that each exists before what uses it and goes after:
//! - **first**, before any table changes: create namespaces, then extensions, enum types,
//!   sequences (without their owner) and option changes of
//!   sequences (an owner that goes away is cleared here, before its table may be
//!   dropped), and functions that read no table (a column default, check or trigger may
//!   call them);
//! - **before the tables**, after the first phase's drops: labels added to enum types
//!   (the views reading the type's columns are dropped by then: going down, the inverse
//!   is a type swap, which they would block);
//! - **after the tables**, before views and triggers: labels removed or reordered (the
//!   type swap, once no column default names a removed label, while the views reading
//!   its columns are away), functions that read tables (a SQL-language body is checked
//!   when created), and sequence owners that are new (the owning table now exists);
//! - **last**: drop functions, sequences, enum types, extensions, then namespaces.
//!
//! The inverse, reversed, keeps the order: a sequence created first and owned after the
//! tables is disowned first and dropped last on the way down.
//!
//! An enum label change placed before the tables runs on the schema `from`'s tables in
//! both directions (the inverse runs after the tables change back), so the columns of that type are taken
//! from `from`; one placed after the tables runs on `to` both ways (the inverse runs
//! before the tables change back), and takes them from `to`.

use super::op::{EnumUse, Op};
use crate::dialect::Dialect;
use crate::schema::{key, EnumType, Schema, Sequence};
use std::collections::BTreeMap;

/// The ops of the schema-level objects, by where they go.
#[derive(Debug, Default)]
pub struct ObjectOps {
    pub first: Vec<Op>,
    /// After the first phase's drops (views among them), before the tables change.
    pub before_tables: Vec<Op>,
    pub after_tables: Vec<Op>,
    pub last: Vec<Op>,
}

/// The ops turning `from`'s schema-level objects into `to`'s.
pub fn object_ops(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> ObjectOps {
    let mut ops = ObjectOps::default();
    for (name, namespace) in added(&from.namespaces, &to.namespaces) {
        let _ = name;
        ops.first.push(Op::CreateNamespace(namespace.clone()));
    }
    for (_, extension) in added(&from.extensions, &to.extensions) {
        ops.first.push(Op::CreateExtension(extension.clone()));
    }
    for (_, new) in added(&from.enums, &to.enums) {
        ops.first.push(Op::CreateEnum(new.clone()));
    }
    enum_ops(from, to, dialect, &mut ops);
    sequence_ops(from, to, &mut ops);
    function_ops(from, to, dialect, &mut ops);

    for (_, function) in added(&to.functions, &from.functions) {
        ops.last.push(Op::DropFunction(function.clone()));
    }
    for (_, sequence) in added(&to.sequences, &from.sequences) {
        ops.last.push(Op::DropSequence(disowned(sequence)));
    }
    for (_, old) in added(&to.enums, &from.enums) {
        ops.last.push(Op::DropEnum(old.clone()));
    }
    for (_, extension) in added(&to.extensions, &from.extensions) {
        ops.last.push(Op::DropExtension(extension.clone()));
    }
    for (_, namespace) in added(&to.namespaces, &from.namespaces) {
        ops.last.push(Op::DropNamespace(namespace.clone()));
    }
    ops
}

/// The entries of `new` whose key `old` lacks, by key.
fn added<'a, T>(old: &BTreeMap<String, T>, new: &'a BTreeMap<String, T>) -> Vec<(&'a str, &'a T)> {
    new.iter()
        .filter(|(key, _)| !old.contains_key(*key))
        .map(|(key, value)| (key.as_str(), value))
        .collect()
}

/// `sequence` without its owner.
fn disowned(sequence: &Sequence) -> Sequence {
    Sequence {
        owned_by: None,
        ..sequence.clone()
    }
}

/// Enum label changes: labels added before the tables change (the tables may use them;
/// after the views reading the type's columns are dropped, since going down the inverse
/// removes the labels again by the type swap, which those views would block), labels removed or
/// reordered after the tables (the type swap: once no column default names a removed
/// label, and, going down, before a default names it again; after the views reading the
/// type's columns are dropped, before they are created again: see [`swapped_tables`]).
/// A change doing both is split: `from`'s labels followed by the new ones first, then the
/// final order after the tables. An op placed first runs on `from` both ways, one placed
/// after the tables on `to`.
fn enum_ops(from: &Schema, to: &Schema, dialect: &dyn Dialect, ops: &mut ObjectOps) {
    for (key, old) in &from.enums {
        let Some(new) = to.enums.get(key).filter(|new| *new != old) else {
            continue;
        };
        let mut remaining = new.labels.iter();
        let only_added = old.labels.iter().all(|l| remaining.any(|n| n == l));
        if only_added {
            ops.before_tables.push(Op::AlterEnum {
                from: old.clone(),
                to: new.clone(),
                uses: enum_uses(from, old, dialect),
            });
            continue;
        }
        let added = new.labels.iter().filter(|l| !old.labels.contains(l));
        let middle = EnumType {
            labels: old.labels.iter().chain(added).cloned().collect(),
            ..old.clone()
        };
        if middle != *old {
            ops.before_tables.push(Op::AlterEnum {
                from: old.clone(),
                to: middle.clone(),
                uses: enum_uses(from, old, dialect),
            });
        }
        ops.after_tables.push(Op::AlterEnum {
            from: middle,
            to: new.clone(),
            uses: enum_uses(to, new, dialect),
        });
    }
}

/// The keys of `from`'s tables with a column whose enum type the ops swap: PostgreSQL
/// refuses to change the type of a column a view reads, so the differ drops those views
/// before and creates them again after, as for a table whose columns change.
pub fn swapped_tables<'a>(ops: &ObjectOps, from: &'a Schema) -> Vec<&'a str> {
    // Labels added swap nothing going up, but their inverse does going down.
    ops.before_tables
        .iter()
        .chain(&ops.after_tables)
        .filter_map(|op| match op {
            Op::AlterEnum { uses, .. } => Some(uses),
            _ => None,
        })
        .flatten()
        .filter_map(|u| from.tables.get_key_value(&key(&u.namespace, &u.table)))
        .map(|(table_key, _)| table_key.as_str())
        .collect()
}

/// Sequences: created first without their owner, owned after the tables; changed
/// options first; an owner cleared first, a new owner set after the tables; a dropped
/// sequence disowned first and dropped last.
fn sequence_ops(from: &Schema, to: &Schema, ops: &mut ObjectOps) {
    for (key, new) in &to.sequences {
        match from.sequences.get(key) {
            None => {
                ops.first.push(Op::CreateSequence(disowned(new)));
                if new.owned_by.is_some() {
                    ops.after_tables.push(Op::AlterSequence {
                        from: disowned(new),
                        to: new.clone(),
                    });
                }
            }
            Some(old) if old != new => {
                // First: everything but a new owner (an owner that stays is kept).
                let middle = Sequence {
                    owned_by: old
                        .owned_by
                        .clone()
                        .filter(|_| old.owned_by == new.owned_by),
                    ..new.clone()
                };
                if middle != *old {
                    ops.first.push(Op::AlterSequence {
                        from: old.clone(),
                        to: middle.clone(),
                    });
                }
                if middle != *new {
                    ops.after_tables.push(Op::AlterSequence {
                        from: middle,
                        to: new.clone(),
                    });
                }
            }
            Some(_) => {}
        }
    }
    for (key, old) in &from.sequences {
        if !to.sequences.contains_key(key) && old.owned_by.is_some() {
            ops.first.push(Op::AlterSequence {
                from: old.clone(),
                to: disowned(old),
            });
        }
    }
}

/// Functions: created or replaced first, or after the tables when they read tables and
/// no table of `to` calls them (a column default or generation expression, a check or an
/// index expression calling a function needs it when the table is made).
fn function_ops(from: &Schema, to: &Schema, dialect: &dyn Dialect, ops: &mut ObjectOps) {
    for (key, new) in &to.functions {
        let op = match from.functions.get(key) {
            None => Op::CreateFunction(new.clone()),
            Some(old) if !dialect.same_expression(&old.definition, &new.definition) => {
                Op::ReplaceFunction {
                    from: old.clone(),
                    to: new.clone(),
                }
            }
            Some(_) => continue,
        };
        if new.reads_tables && !called_by_tables(to, &new.name, dialect) {
            ops.after_tables.push(op);
        } else {
            ops.first.push(op);
        }
    }
}

/// Whether an expression of a table of `schema` (column default or generation, check,
/// index definition) calls a function named `name`, bare or quoted, qualified or not.
fn called_by_tables(schema: &Schema, name: &str, dialect: &dyn Dialect) -> bool {
    let calls = [
        format!("{name}("),
        format!("{}(", dialect.quote_ident(name)),
    ];
    let called = |text: &str| {
        calls.iter().any(|call| {
            text.match_indices(call.as_str()).any(|(at, _)| {
                // A whole name: not the end of a longer identifier.
                text[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'))
            })
        })
    };
    schema.tables.values().any(|table| {
        table.columns.iter().any(|column| {
            column.default.as_deref().is_some_and(called)
                || column
                    .generated
                    .as_ref()
                    .is_some_and(|g| called(&g.expression))
        }) || table.checks.iter().any(|check| called(&check.expression))
            || table
                .indexes
                .values()
                .any(|index| index.definition.as_deref().is_some_and(called))
    })
}

/// The columns of `schema` whose type is `enum_type` (or an array of it), in table order,
/// each with the checks and indexes of its table that name the type.
fn enum_uses(schema: &Schema, enum_type: &EnumType, dialect: &dyn Dialect) -> Vec<EnumUse> {
    let mut uses = Vec::new();
    for table in schema.tables.values() {
        let names = |text: &str| casts_to(text, enum_type, &table.namespace, dialect);
        let checks: Vec<_> = table
            .checks
            .iter()
            .filter(|c| names(&c.expression))
            .cloned()
            .collect();
        let indexes: Vec<_> = table
            .indexes
            .values()
            .filter(|i| i.definition.as_deref().is_some_and(names))
            .cloned()
            .collect();
        for column in &table.columns {
            if names_type(&column.type_text, enum_type, &table.namespace, dialect) {
                uses.push(EnumUse {
                    namespace: table.namespace.clone(),
                    table: table.name.clone(),
                    column: column.clone(),
                    checks: checks.clone(),
                    indexes: indexes.clone(),
                });
            }
        }
    }
    uses
}

/// Whether `text` (an expression or definition, in a table of namespace `namespace`)
/// casts to `enum_type` (`'sad'::mood`, `'sad'::public."Mood"`), as PostgreSQL prints a
/// label literal.
fn casts_to(text: &str, enum_type: &EnumType, namespace: &str, dialect: &dyn Dialect) -> bool {
    text.match_indices("::")
        .any(|(at, _)| names_type(cast_type(&text[at + 2..]), enum_type, namespace, dialect))
}

/// The type name at the start of `text` (after a `::`): identifiers, quoted or not,
/// joined by dots.
fn cast_type(text: &str) -> &str {
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted || c.is_alphanumeric() || matches!(c, '_' | '$' | '.') => {}
            _ => return &text[..at],
        }
    }
    text
}

/// Whether a column's `type_text`, in a table of namespace `namespace`, names
/// `enum_type` (or an array of it): bare or quoted, qualified or, in the type's own
/// namespace, not.
fn names_type(
    type_text: &str,
    enum_type: &EnumType,
    namespace: &str,
    dialect: &dyn Dialect,
) -> bool {
    let base = type_text.trim().trim_end_matches("[]").trim();
    let name = [enum_type.name.clone(), dialect.quote_ident(&enum_type.name)];
    let qualified = name.iter().flat_map(|n| {
        [
            enum_type.namespace.clone(),
            dialect.quote_ident(&enum_type.namespace),
        ]
        .map(|ns| format!("{ns}.{n}"))
    });
    qualified.into_iter().any(|q| q == base)
        || namespace == enum_type.namespace && name.iter().any(|n| n == base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Engine;
    use crate::schema::{key, Column, Function, Namespace, Table};

    fn schema_with_sequence(owner: Option<(&str, &str)>, increment: Option<i64>) -> Schema {
        let mut schema = Schema::default();
        let mut sequence = Sequence {
            namespace: "public".into(),
            name: "s".into(),
            type_text: "bigint".into(),
            owned_by: owner.map(|(t, c)| (key("public", t), c.to_string())),
            ..Sequence::default()
        };
        sequence.options.increment = increment;
        schema.sequences.insert(key("public", "s"), sequence);
        schema
    }

    fn all(ops: &ObjectOps) -> Vec<Op> {
        ops.first
            .iter()
            .chain(&ops.after_tables)
            .chain(&ops.last)
            .cloned()
            .collect()
    }

    #[test]
    fn a_new_owned_sequence_is_owned_after_the_tables_and_the_inverse_disowns_it_first() {
        let dialect = Engine::Postgres.dialect();
        let to = schema_with_sequence(Some(("t", "id")), None);
        let ops = object_ops(&Schema::default(), &to, &*dialect);
        assert!(matches!(&ops.first[..], [Op::CreateSequence(q)] if q.owned_by.is_none()));
        assert!(
            matches!(&ops.after_tables[..], [Op::AlterSequence { to, .. }] if to.owned_by.is_some())
        );
        let down: Vec<Op> = all(&ops).iter().rev().map(Op::invert).collect();
        assert!(matches!(&down[0], Op::AlterSequence { to, .. } if to.owned_by.is_none()));
        assert!(matches!(&down[1], Op::DropSequence(q) if q.owned_by.is_none()));
    }

    #[test]
    fn a_changed_owner_is_cleared_first_and_set_after_the_tables() {
        let dialect = Engine::Postgres.dialect();
        let from = schema_with_sequence(Some(("a", "id")), None);
        let to = schema_with_sequence(Some(("b", "id")), Some(2));
        let ops = object_ops(&from, &to, &*dialect);
        let Op::AlterSequence { to: middle, .. } = &ops.first[0] else {
            panic!("{ops:?}");
        };
        assert_eq!(middle.owned_by, None);
        assert_eq!(middle.options.increment, Some(2));
        assert!(
            matches!(&ops.after_tables[..], [Op::AlterSequence { to, .. }] if to.owned_by == Some((key("public", "b"), "id".into())))
        );
    }

    #[test]
    fn namespaces_come_first_and_go_last_around_their_objects() {
        let dialect = Engine::Postgres.dialect();
        let mut to = Schema::default();
        to.namespaces.insert(
            "billing".into(),
            Namespace {
                name: "billing".into(),
                comment: None,
            },
        );
        to.functions.insert(
            key("billing", "f()"),
            Function {
                namespace: "billing".into(),
                name: "f".into(),
                definition: "CREATE OR REPLACE FUNCTION billing.f() ...".into(),
                ..Function::default()
            },
        );
        let up = object_ops(&Schema::default(), &to, &*dialect);
        assert!(matches!(
            &up.first[..],
            [Op::CreateNamespace(_), Op::CreateFunction(_)]
        ));
        let down = object_ops(&to, &Schema::default(), &*dialect);
        assert!(matches!(
            &down.last[..],
            [Op::DropFunction(_), Op::DropNamespace(_)]
        ));
    }

    fn schema_with_mood(labels: &[&str], default: &str) -> Schema {
        let mut schema = Schema::default();
        schema.enums.insert(
            key("public", "mood"),
            EnumType {
                namespace: "public".into(),
                name: "mood".into(),
                labels: labels.iter().map(|l| l.to_string()).collect(),
                comment: None,
            },
        );
        schema.tables.insert(
            key("public", "t"),
            Table {
                namespace: "public".into(),
                name: "t".into(),
                columns: vec![Column {
                    name: "m".into(),
                    type_text: "mood".into(),
                    default: Some(default.into()),
                    ..Column::default()
                }],
                ..Table::default()
            },
        );
        schema
    }

    fn labels_and_default(op: &Op) -> (Vec<String>, Vec<String>, Option<String>) {
        let Op::AlterEnum { from, to, uses } = op else {
            panic!("{op:?}");
        };
        (
            from.labels.clone(),
            to.labels.clone(),
            uses[0].column.default.clone(),
        )
    }

    #[test]
    fn enum_labels_are_added_before_and_removed_after_the_tables_on_the_schema_they_run_on() {
        let dialect = Engine::Postgres.dialect();
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Only added: before the tables, on `from`.
        let from = schema_with_mood(&["a", "c"], "'a'::mood");
        let to = schema_with_mood(&["a", "b", "c"], "'b'::mood");
        let ops = object_ops(&from, &to, &*dialect);
        assert_eq!(ops.before_tables.len(), 1);
        assert!(ops.first.is_empty());
        // Going down, the labels are removed by a type swap: the views reading the
        // column must be away by then.
        assert_eq!(swapped_tables(&ops, &from), [key("public", "t").as_str()]);
        assert!(ops.after_tables.is_empty());
        assert_eq!(
            labels_and_default(&ops.before_tables[0]),
            (
                strings(&["a", "c"]),
                strings(&["a", "b", "c"]),
                Some("'a'::mood".into())
            )
        );
        // Added and removed: the additions first on `from`, the rest after the tables on
        // `to`, whose table is then swapped.
        let from = schema_with_mood(&["a", "c"], "'a'::mood");
        let to = schema_with_mood(&["b", "c"], "'b'::mood");
        let ops = object_ops(&from, &to, &*dialect);
        assert_eq!(
            labels_and_default(&ops.before_tables[0]),
            (
                strings(&["a", "c"]),
                strings(&["a", "c", "b"]),
                Some("'a'::mood".into())
            )
        );
        assert_eq!(
            labels_and_default(&ops.after_tables[0]),
            (
                strings(&["a", "c", "b"]),
                strings(&["b", "c"]),
                Some("'b'::mood".into())
            )
        );
        assert_eq!(
            swapped_tables(&ops, &from),
            [key("public", "t"), key("public", "t")]
        );
        // Only removed: after the tables alone.
        let to = schema_with_mood(&["c"], "'c'::mood");
        let ops = object_ops(&from, &to, &*dialect);
        assert!(ops.before_tables.is_empty());
        assert_eq!(
            labels_and_default(&ops.after_tables[0]),
            (
                strings(&["a", "c"]),
                strings(&["c"]),
                Some("'c'::mood".into())
            )
        );
    }

    #[test]
    fn views_reading_a_swapped_type_go_before_the_swap_and_come_back_after() {
        let dialect = Engine::Postgres.dialect();
        let with_view = |mut schema: Schema| {
            schema.views.insert(
                key("public", "v"),
                crate::schema::View {
                    namespace: "public".into(),
                    name: "v".into(),
                    definition: " SELECT t.m\n   FROM t;".into(),
                    depends_on: vec![key("public", "t")],
                    ..crate::schema::View::default()
                },
            );
            schema
        };
        let from = with_view(schema_with_mood(&["a", "c"], "'c'::mood"));
        let to = with_view(schema_with_mood(&["c"], "'c'::mood"));
        let kinds: Vec<String> = crate::diff::diff(&from, &to, &*dialect)
            .iter()
            .map(crate::diff::describe)
            .collect();
        assert_eq!(
            kinds,
            [
                "drop view public.v",
                "alter type public.mood (2 -> 1 labels)",
                "create view public.v"
            ]
        );
    }

    #[test]
    fn enum_uses_match_bare_quoted_qualified_and_array_types() {
        let dialect = Engine::Postgres.dialect();
        let mood = EnumType {
            namespace: "public".into(),
            name: "Mood".into(),
            labels: vec!["sad".into()],
            comment: None,
        };
        let column = |name: &str, type_text: &str| Column {
            name: name.into(),
            type_text: type_text.into(),
            ..Column::default()
        };
        let mut schema = Schema::default();
        schema.tables.insert(
            key("public", "t"),
            Table {
                namespace: "public".into(),
                name: "t".into(),
                columns: vec![
                    column("a", "\"Mood\""),
                    column("b", "public.\"Mood\"[]"),
                    column("c", "mood"),
                    column("d", "text"),
                ],
                ..Table::default()
            },
        );
        let used: Vec<String> = enum_uses(&schema, &mood, &*dialect)
            .into_iter()
            .map(|u| u.column.name)
            .collect();
        assert_eq!(used, ["a", "b"]);
    }

    #[test]
    fn enum_uses_carry_the_checks_and_indexes_casting_to_the_type() {
        let dialect = Engine::Postgres.dialect();
        let mood = EnumType {
            namespace: "public".into(),
            name: "Mood".into(),
            labels: vec!["sad".into()],
            comment: None,
        };
        let check = |name: &str, expression: &str| crate::schema::Check {
            name: Some(name.into()),
            expression: expression.into(),
            ..crate::schema::Check::default()
        };
        let index = |name: &str, definition: &str| {
            (
                name.to_string(),
                crate::schema::Index {
                    namespace: "public".into(),
                    name: name.into(),
                    table: "t".into(),
                    definition: Some(definition.into()),
                    ..crate::schema::Index::default()
                },
            )
        };
        let mut schema = Schema::default();
        schema.tables.insert(
            key("public", "t"),
            Table {
                namespace: "public".into(),
                name: "t".into(),
                columns: vec![Column {
                    name: "m".into(),
                    type_text: "\"Mood\"".into(),
                    ..Column::default()
                }],
                checks: vec![
                    check("bare", "m <> 'sad'::\"Mood\""),
                    check("qualified", "m = ANY (ARRAY['sad'::public.\"Mood\"])"),
                    check("other", "m <> 'sad'::\"Mood2\""),
                    check("unrelated", "m IS NOT NULL"),
                ],
                indexes: [
                    index("partial", "CREATE INDEX partial ON public.t USING btree (m) WHERE (m = 'sad'::\"Mood\")"),
                    index("plain", "CREATE INDEX plain ON public.t USING btree (m)"),
                ]
                .into(),
                ..Table::default()
            },
        );
        let uses = enum_uses(&schema, &mood, &*dialect);
        let checks: Vec<_> = uses[0]
            .checks
            .iter()
            .map(|c| c.name.clone().unwrap())
            .collect();
        assert_eq!(checks, ["bare", "qualified"]);
        let indexes: Vec<_> = uses[0].indexes.iter().map(|i| i.name.clone()).collect();
        assert_eq!(indexes, ["partial"]);
    }
}
