//! SQLite rendering: DDL for each op, with the documented table-rebuild procedure for what
//! ALTER TABLE cannot do.
//!
//! SQLite's `ALTER TABLE` can only add a column (with restrictions), drop a column (with
//! restrictions) and rename. Everything else is done with the procedure of
//! <https://www.sqlite.org/lang_altertable.html#otheralter>: create the new table under a
//! temporary name, copy the rows, drop the old table, rename the new one. The differ drops
//! and recreates the table's indexes, triggers and dependent views around such an op, and
//! the runner sets `PRAGMA foreign_keys=OFF` on the connection.
//!
//! Whether a table is rebuilt is decided by [`alter_in_place`] on the `from` table and each
//! change alone, exactly as the differ decides it, so both sides always agree.

use super::SqliteDialect;
use crate::dialect::Dialect;
use crate::diff::{ColumnDelta, ColumnPart, Op, TableChange};
use crate::schema::{
    Column, Deferrable, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey, RefAction, Table,
};

/// The suffix of the temporary name a rebuilt table is created under.
pub const REBUILD_SUFFIX: &str = "__migrate_new";

/// Whether SQLite's ALTER TABLE can make `change` to `table` in place.
pub fn alter_in_place(table: &Table, change: &TableChange) -> bool {
    rebuild_reason(table, change).is_none()
}

/// The statements performing `op` on SQLite.
pub fn render_op(op: &Op) -> Vec<String> {
    match op {
        Op::CreateTable(table) => vec![create_table(table, &table.name)],
        Op::DropTable(table) => vec![format!("DROP TABLE {}", q(&table.name))],
        Op::RenameTable { from, to } => vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            q(&from.name),
            q(&to.name)
        )],
        Op::AlterTable { from, to, changes } => alter_table(from, to, changes),
        Op::CreateIndex(index) => vec![create_index(index)],
        Op::DropIndex(index) => vec![format!("DROP INDEX {}", q(&index.name))],
        Op::CreateView(view) => vec![view.definition.clone()],
        Op::DropView(view) => vec![format!("DROP VIEW {}", q(&view.name))],
        Op::CreateTrigger(trigger) => vec![trigger.definition.clone()],
        Op::DropTrigger(trigger) => vec![format!("DROP TRIGGER {}", q(&trigger.name))],
        // Objects SQLite does not have (schemas, types, sequences, functions, extensions):
        // `SqliteDialect::render_op` refuses them before they get here.
        _ => Vec::new(),
    }
}

/// Whether `op` is about an object SQLite has.
pub fn supported(op: &Op) -> bool {
    matches!(
        op,
        Op::CreateTable(_)
            | Op::DropTable(_)
            | Op::RenameTable { .. }
            | Op::AlterTable { .. }
            | Op::CreateIndex(_)
            | Op::DropIndex(_)
            | Op::CreateView(_)
            | Op::DropView(_)
            | Op::CreateTrigger(_)
            | Op::DropTrigger(_)
    )
}

/// The statements of each op of a section: those of [`render_op`], except that every
/// foreign key check of a rebuilt table moves to the end of the section, after every table
/// and index of it exists. SQLite checks a key only against a primary key or unique index
/// of the parent ("foreign key mismatch" otherwise), and the differ re-creates a rebuilt
/// table's indexes after its rebuild, and rebuilds tables that reference each other one
/// after the other.
///
/// A table rename (a downgrade's renames come last) runs them first: they name the
/// table as it is called before.
pub fn render_ops(ops: &[Op]) -> Vec<Vec<String>> {
    let mut rendered: Vec<Vec<String>> = ops.iter().map(render_op).collect();
    let mut checks = Vec::new();
    for at in 0..rendered.len() {
        if matches!(ops[at], Op::RenameTable { .. }) && at > 0 {
            rendered[at - 1].append(&mut checks);
        }
        let (moved, kept): (Vec<String>, Vec<String>) = std::mem::take(&mut rendered[at])
            .into_iter()
            .partition(|s| checks::is_check(s));
        rendered[at] = kept;
        checks.extend(moved);
    }
    if let Some(last) = rendered.last_mut() {
        last.extend(checks);
    }
    rendered
}

fn q(name: &str) -> String {
    SqliteDialect.quote_ident(name)
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------------------
// In place or rebuild
// ---------------------------------------------------------------------------------------

/// Why `change` to `table` cannot be done with ALTER TABLE, completing "SQLite's ALTER
/// TABLE cannot ..."; `None` when it can.
fn rebuild_reason(table: &Table, change: &TableChange) -> Option<String> {
    match change {
        TableChange::AddColumn(column) => add_column_obstacle(table, column)
            .map(|why| format!("add column {} ({why})", q(&column.name))),
        TableChange::DropColumn(column) => drop_column_obstacle(table, &column.name)
            .map(|why| format!("drop column {} ({why})", q(&column.name))),
        TableChange::AlterColumn { from, to, delta } => Some(alter_column_reason(from, to, delta)),
        TableChange::SetPrimaryKey { .. } => Some("change the primary key".into()),
        TableChange::AddUnique(_) => Some("add a UNIQUE constraint".into()),
        TableChange::DropUnique(_) => Some("drop a UNIQUE constraint".into()),
        TableChange::AddForeignKey(_) => Some("add a foreign key".into()),
        TableChange::DropForeignKey(_) => Some("drop a foreign key".into()),
        TableChange::AddCheck(_) => Some("add a CHECK constraint".into()),
        TableChange::DropCheck(_) => Some("drop a CHECK constraint".into()),
        TableChange::SetOptions => Some("change table options".into()),
        TableChange::ReorderColumns { .. } => Some("reorder columns".into()),
        // RENAME COLUMN rewrites the references in indexes, triggers, views and other
        // tables' foreign keys (SQLite 3.25).
        TableChange::RenameColumn { .. } => None,
        TableChange::RenameKey { kind, .. } => Some(format!("rename a {}", kind.label())),
    }
}

/// Why SQLite's `ADD COLUMN` refuses `column` (or why we conservatively rebuild), per
/// <https://www.sqlite.org/lang_altertable.html#altertabaddcol>.
fn add_column_obstacle(table: &Table, column: &Column) -> Option<&'static str> {
    let name = column.name.as_str();
    if column.auto_increment || pk_has(table, name) {
        return Some("a PRIMARY KEY column");
    }
    if table
        .uniques
        .iter()
        .any(|u| u.columns.iter().any(|c| c == name))
    {
        return Some("a UNIQUE column");
    }
    if fk_uses(table, name) {
        return Some("a column with a foreign key");
    }
    if table.checks.iter().any(|c| mentions(&c.expression, name)) {
        return Some("a column named in a CHECK constraint");
    }
    if let Some(generated) = &column.generated {
        if generated.stored {
            return Some("a STORED generated column");
        }
        // A VIRTUAL generated column is allowed; NOT NULL and defaults do not apply.
        return None;
    }
    match column.default.as_deref() {
        None if !column.nullable => Some("NOT NULL without a default"),
        None => None,
        Some(default) => {
            let default = default.trim();
            if !column.nullable && default.eq_ignore_ascii_case("NULL") {
                Some("NOT NULL with a NULL default")
            } else if ["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"]
                .iter()
                .any(|k| default.eq_ignore_ascii_case(k))
            {
                Some("its default is the current time or date")
            } else if !is_literal(default) {
                Some("its default is an expression")
            } else {
                None
            }
        }
    }
}

/// Why SQLite's `DROP COLUMN` refuses to drop `name` from `table` (or why we conservatively
/// rebuild), per <https://www.sqlite.org/lang_altertable.html#altertabdropcol>.
fn drop_column_obstacle(table: &Table, name: &str) -> Option<&'static str> {
    if pk_has(table, name) {
        return Some("it is in the primary key");
    }
    if table
        .uniques
        .iter()
        .any(|u| u.columns.iter().any(|c| c == name))
    {
        return Some("it is in a UNIQUE constraint");
    }
    if fk_uses(table, name) {
        return Some("it is in a foreign key");
    }
    if table.checks.iter().any(|c| mentions(&c.expression, name)) {
        return Some("it is named in a CHECK constraint");
    }
    if table
        .columns
        .iter()
        .filter(|c| c.name != name)
        .filter_map(|c| c.generated.as_ref())
        .any(|g| mentions(&g.expression, name))
    {
        return Some("a generated column uses it");
    }
    None
}

/// The rebuild reason of a column change, from its first changed part (SQLite has no
/// `ALTER COLUMN`: every part needs a rebuild).
fn alter_column_reason(from: &Column, to: &Column, delta: &ColumnDelta) -> String {
    let column = q(&to.name);
    match delta.parts().first() {
        Some(ColumnPart::Type) => format!("change the type of column {column}"),
        Some(ColumnPart::Nullability) if from.nullable => {
            format!("make column {column} NOT NULL")
        }
        Some(ColumnPart::Nullability) => format!("make column {column} nullable"),
        Some(ColumnPart::AutoIncrement) => format!("change AUTOINCREMENT on column {column}"),
        Some(ColumnPart::Engine) => {
            format!("change the ON CONFLICT clause of column {column}'s NOT NULL")
        }
        Some(part) => format!("change the {} of column {column}", part.label()),
        None => format!("alter column {column}"),
    }
}

fn pk_has(table: &Table, name: &str) -> bool {
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == name))
}

/// Whether a foreign key of `table` uses column `name` (as a child column, or as a parent
/// column of a self-reference).
fn fk_uses(table: &Table, name: &str) -> bool {
    table.foreign_keys.iter().any(|fk| {
        fk.columns.iter().any(|c| c == name)
            || (fk.ref_table == table.name && fk.ref_columns.iter().any(|c| c == name))
    })
}

/// Whether `expression` has an identifier token equal (ASCII case-insensitively, as SQLite
/// compares names) to `name`; string literals are skipped.
fn mentions(expression: &str, name: &str) -> bool {
    identifiers(expression)
        .iter()
        .any(|ident| ident.eq_ignore_ascii_case(name))
}

/// The identifier tokens of an SQL expression: bare words and `"x"`, `` `x` ``, `[x]`
/// quoted names (unquoted), skipping `'...'` literals and numbers.
fn identifiers(expression: &str) -> Vec<String> {
    let chars: Vec<char> = expression.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' | '`' => {
                let mut text = String::new();
                i += 1;
                while i < chars.len() {
                    if chars[i] == c {
                        if chars.get(i + 1) == Some(&c) {
                            text.push(c);
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                i += 1;
                if c != '\'' {
                    out.push(text);
                }
            }
            '[' => {
                let start = i + 1;
                while i < chars.len() && chars[i] != ']' {
                    i += 1;
                }
                out.push(
                    chars[start.min(chars.len())..i.min(chars.len())]
                        .iter()
                        .collect(),
                );
                i += 1;
            }
            _ if c.is_ascii_digit() => {
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
            }
            _ if is_word(c) => {
                let start = i;
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether a default expression is a literal value SQLite accepts after `DEFAULT` without
/// parentheses: a string, blob, (signed) number, NULL, TRUE, FALSE or CURRENT_*.
fn is_literal(text: &str) -> bool {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    if [
        "NULL",
        "TRUE",
        "FALSE",
        "CURRENT_TIME",
        "CURRENT_DATE",
        "CURRENT_TIMESTAMP",
    ]
    .contains(&upper.as_str())
    {
        return true;
    }
    let body = upper.strip_prefix('X').unwrap_or(&upper);
    if body.len() >= 2 && body.starts_with('\'') && body.ends_with('\'') {
        // One string literal: every inner quote doubled.
        let inner = &text[text.len() - body.len() + 1..text.len() - 1];
        return inner.replace("''", "").find('\'').is_none();
    }
    let number = text.strip_prefix(['+', '-']).unwrap_or(text).trim_start();
    let hex = number.starts_with("0x") || number.starts_with("0X");
    let mut previous = ' ';
    !number.is_empty()
        && number.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && number.chars().all(|c| {
            let ok = c.is_ascii_digit()
                || c == '.'
                || c == '_'
                || (hex && c.is_ascii_hexdigit())
                || (hex && (c == 'x' || c == 'X'))
                || (!hex && (c == 'e' || c == 'E'))
                || (!hex && (c == '+' || c == '-') && (previous == 'e' || previous == 'E'));
            previous = c;
            ok
        })
}

/// Whether `text` is one name: a plain word or one quoted identifier (`"x"`, `` `x` ``,
/// `[x]`), which SQLite takes as a string after `DEFAULT`.
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    let close = match chars.next() {
        Some('"') => '"',
        Some('`') => '`',
        Some('[') => return text.ends_with(']') && text[1..text.len() - 1].find(']').is_none(),
        Some(c) if c.is_alphabetic() || c == '_' => {
            return chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        }
        _ => return false,
    };
    let inner = &text[1..];
    !inner.is_empty()
        && inner.ends_with(close)
        && !inner[..inner.len() - 1]
            .replace(&format!("{close}{close}"), "")
            .contains(close)
}

/// ` DEFAULT ...` for a default as `PRAGMA table_xinfo` reports it (the clause without
/// one pair of parentheses): a literal or a name bare, anything else inside parentheses,
/// so that the pragma reports the same text again.
fn default_clause(default: &str) -> String {
    if is_literal(default) || is_name(default) {
        format!(" DEFAULT {default}")
    } else {
        format!(" DEFAULT ({})", end_line_comment(default))
    }
}

/// `text` with a line break after it when its last line may end in a `--` comment, which
/// would otherwise swallow what follows. SQLite reports a default without its trailing
/// white space (`'new' -- initial state` for `DEFAULT ('new' -- initial state\n)`), and
/// drops that line break again when it reads the default back.
fn end_line_comment(text: &str) -> String {
    if text.lines().last().is_some_and(|line| line.contains("--")) {
        format!("{text}\n")
    } else {
        text.to_string()
    }
}

/// A collation name: bare when it is a plain word (`NOCASE`), quoted otherwise.
fn collation(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        q(name)
    }
}

// ---------------------------------------------------------------------------------------
// CREATE TABLE
// ---------------------------------------------------------------------------------------

/// `CREATE TABLE` for `table` under the name `name`, one column or constraint per line.
fn create_table(table: &Table, name: &str) -> String {
    let inline_pk = inline_primary_key(table);
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let pk = inline_pk.filter(|pk| pk.columns[0] == c.name);
            column_definition(c, pk)
        })
        .collect();
    // Key constraints in declaration order, which numbers their automatic indexes.
    let mut keys: Vec<String> = table
        .uniques
        .iter()
        .map(|unique| {
            format!(
                "{}UNIQUE ({}){}",
                constraint_name(&unique.name),
                key_list(&unique.columns, &unique.descending, &unique.collations),
                on_conflict(&unique.ext.sqlite.on_conflict)
            )
        })
        .collect();
    if let Some(pk) = table.primary_key.as_ref().filter(|_| inline_pk.is_none()) {
        let line = format!(
            "{}PRIMARY KEY ({}){}",
            constraint_name(&pk.name),
            key_list(&pk.columns, &pk.descending, &pk.collations),
            on_conflict(&pk.ext.sqlite.on_conflict)
        );
        keys.insert(pk.ext.sqlite.uniques_before.0.min(keys.len()), line);
    }
    lines.extend(keys);
    for fk in &table.foreign_keys {
        lines.push(foreign_key(fk));
    }
    for check in &table.checks {
        lines.push(format!(
            "{}CHECK ({})",
            constraint_name(&check.name),
            check.expression.trim()
        ));
    }
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        q(name),
        lines.join(",\n    ")
    );
    let mut options = Vec::new();
    if table.ext.sqlite.without_rowid {
        options.push("WITHOUT ROWID");
    }
    if table.ext.sqlite.strict {
        options.push("STRICT");
    }
    if !options.is_empty() {
        sql.push(' ');
        sql.push_str(&options.join(", "));
    }
    sql
}

/// The key columns of a PRIMARY KEY or UNIQUE constraint, each with its collation and
/// order (`"email" COLLATE NOCASE, "b" DESC`); `descending` and `collations` are parallel
/// to `columns` or empty.
fn key_list(columns: &[String], descending: &[bool], collations: &[Option<String>]) -> String {
    let keys: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut key = q(c);
            if let Some(Some(name)) = collations.get(i) {
                key.push_str(" COLLATE ");
                key.push_str(&collation(name));
            }
            if descending.get(i).copied().unwrap_or(false) {
                key.push_str(" DESC");
            }
            key
        })
        .collect();
    keys.join(", ")
}

/// The primary key rendered on its column: a one-column key on an AUTOINCREMENT column
/// (SQLite accepts AUTOINCREMENT only there) or a descending one-column key (written as a
/// table constraint, `PRIMARY KEY ("id" DESC)` on an INTEGER column would be a rowid alias;
/// on the column, `"id" INTEGER PRIMARY KEY DESC` is not, and for other types both mean
/// the same).
fn inline_primary_key(table: &Table) -> Option<&PrimaryKey> {
    // A key collation can only be written in the table-level form.
    table.primary_key.as_ref().filter(|pk| {
        pk.columns.len() == 1
            && pk.collations.is_empty()
            && (pk.descending == [true]
                || table
                    .column(&pk.columns[0])
                    .is_some_and(|c| c.auto_increment))
    })
}

/// Whether `table`'s primary key is an inline AUTOINCREMENT one.
fn autoincrement_key(table: &Table) -> bool {
    inline_primary_key(table).is_some_and(|pk| {
        table
            .column(&pk.columns[0])
            .is_some_and(|c| c.auto_increment)
    })
}

/// ` ON CONFLICT word`, or nothing for the default.
fn on_conflict(resolution: &Option<String>) -> String {
    match resolution {
        Some(word) => format!(" ON CONFLICT {word}"),
        None => String::new(),
    }
}

fn constraint_name(name: &Option<String>) -> String {
    match name {
        Some(name) => format!("CONSTRAINT {} ", q(name)),
        None => String::new(),
    }
}

/// A column as in `CREATE TABLE` and `ADD COLUMN`; `pk` when the primary key goes inline.
fn column_definition(column: &Column, pk: Option<&PrimaryKey>) -> String {
    let mut sql = q(&column.name);
    if !column.type_text.trim().is_empty() {
        sql.push(' ');
        sql.push_str(column.type_text.trim());
    }
    if let Some(pk) = pk {
        sql.push(' ');
        sql.push_str(&constraint_name(&pk.name));
        // PRIMARY KEY [ASC|DESC] conflict-clause [AUTOINCREMENT]
        sql.push_str("PRIMARY KEY");
        if pk.descending == [true] {
            sql.push_str(" DESC");
        }
        sql.push_str(&on_conflict(&pk.ext.sqlite.on_conflict));
        if column.auto_increment {
            sql.push_str(" AUTOINCREMENT");
        }
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
        sql.push_str(&on_conflict(&column.ext.sqlite.not_null_on_conflict));
    }
    if let Some(default) = &column.default {
        sql.push_str(&default_clause(default));
    }
    if let Some(name) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&collation(name));
    }
    if let Some(generated) = &column.generated {
        sql.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.expression.trim(),
            if generated.stored {
                "STORED"
            } else {
                "VIRTUAL"
            }
        ));
    }
    sql
}

/// A foreign key as a table constraint, its target spelled as written.
fn foreign_key(fk: &ForeignKey) -> String {
    let (ref_table, ref_columns) = match &fk.ext.sqlite.written_target.0 {
        Some((table, columns)) => (table, columns),
        None => (&fk.ref_table, &fk.ref_columns),
    };
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint_name(&fk.name),
        quoted_list(&fk.columns),
        q(ref_table)
    );
    if !ref_columns.is_empty() {
        sql.push_str(&format!(" ({})", quoted_list(ref_columns)));
    }
    if fk.on_delete != RefAction::NoAction {
        sql.push_str(" ON DELETE ");
        sql.push_str(fk.on_delete.sql());
    }
    if fk.on_update != RefAction::NoAction {
        sql.push_str(" ON UPDATE ");
        sql.push_str(fk.on_update.sql());
    }
    match fk.deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => sql.push_str(" DEFERRABLE INITIALLY IMMEDIATE"),
        Deferrable::InitiallyDeferred => sql.push_str(" DEFERRABLE INITIALLY DEFERRED"),
    }
    sql
}

// ---------------------------------------------------------------------------------------
// CREATE INDEX
// ---------------------------------------------------------------------------------------

/// The index's own statement when it was read from a database (so it reads back exactly
/// as written), else one made from its fields.
fn create_index(index: &Index) -> String {
    if let Some(definition) = &index.definition {
        return definition.clone();
    }
    let parts: Vec<String> = index.parts.iter().map(index_part).collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        q(&index.name),
        q(&index.table),
        parts.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(predicate.trim());
    }
    sql
}

fn index_part(part: &IndexPart) -> String {
    let mut sql = match &part.key {
        IndexKey::Column(name) => q(name),
        // As written: the key is an expression already, a pair of parentheses would be
        // kept by SQLite and read back as another text.
        IndexKey::Expression(expression) => expression.clone(),
    };
    if let Some(name) = &part.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&collation(name));
    }
    if part.descending {
        sql.push_str(" DESC");
    }
    sql
}

// ---------------------------------------------------------------------------------------
// ALTER TABLE
// ---------------------------------------------------------------------------------------

fn alter_table(from: &Table, to: &Table, changes: &[TableChange]) -> Vec<String> {
    let first_reason = changes.iter().find_map(|c| rebuild_reason(from, c));
    match first_reason {
        None => {
            // ADD COLUMN appends: add in the new table's column order whatever order the
            // changes come in (a downgrade's re-added columns come reversed).
            let position = |change: &TableChange| match change {
                TableChange::AddColumn(c) => to.columns.iter().position(|t| t.name == c.name),
                _ => None,
            };
            let mut ordered: Vec<&TableChange> = changes.iter().collect();
            ordered.sort_by_key(|change| position(change));
            ordered
                .into_iter()
                .filter_map(|change| in_place(&from.name, change))
                .collect()
        }
        Some(reason) => rebuild(from, to, &reason),
    }
}

/// The `ALTER TABLE` for a change that [`alter_in_place`] accepted.
fn in_place(table: &str, change: &TableChange) -> Option<String> {
    match change {
        TableChange::AddColumn(column) => Some(format!(
            "ALTER TABLE {} ADD COLUMN {}",
            q(table),
            column_definition(column, None)
        )),
        TableChange::DropColumn(column) => Some(format!(
            "ALTER TABLE {} DROP COLUMN {}",
            q(table),
            q(&column.name)
        )),
        TableChange::RenameColumn { from, to } => Some(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            q(table),
            q(&from.name),
            q(&to.name)
        )),
        _ => None,
    }
}

/// The name under which a rebuild copies the rowid, so that rows keep it (an index or
/// another table may hold it): `rowid`, `_rowid_` or `oid`, the first that no column of
/// either table shadows. `None` when the new table has no rowid (WITHOUT ROWID), or keeps
/// it in an INTEGER PRIMARY KEY column (copied with the columns), or when the old table
/// has none or every name is shadowed.
fn copied_rowid(from: &Table, to: &Table) -> Option<&'static str> {
    let aliased = to
        .columns
        .iter()
        .any(|c| super::affinity::is_rowid_alias(to, &c.name));
    if from.ext.sqlite.without_rowid || to.ext.sqlite.without_rowid || aliased {
        return None;
    }
    let shadowed = |name: &str| {
        from.columns
            .iter()
            .chain(&to.columns)
            .any(|c| c.name.eq_ignore_ascii_case(name))
    };
    ["rowid", "_rowid_", "oid"]
        .into_iter()
        .find(|name| !shadowed(name))
}

/// The table-rebuild procedure of <https://www.sqlite.org/lang_altertable.html#otheralter>
/// (steps 4 to 7 and 10 to 11; the differ does the indexes, triggers and views).
fn rebuild(from: &Table, to: &Table, reason: &str) -> Vec<String> {
    let old = q(&from.name);
    let final_name = q(&to.name);
    let temp_name = format!("{}{REBUILD_SUFFIX}", to.name);
    let temp = q(&temp_name);
    let comment = format!("-- rebuild {final_name}: SQLite's ALTER TABLE cannot {reason}");
    let mut statements = vec![format!(
        "{}\n{}",
        crate::echo::escape(&comment),
        create_table(to, &temp_name)
    )];

    // Copy the columns both tables have, by name; the new table's generated columns
    // compute themselves. `OR ABORT` overrides the new table's own ON CONFLICT clauses
    // (<https://www.sqlite.org/lang_conflict.html>): a `UNIQUE ON CONFLICT REPLACE` or a
    // `NOT NULL ON CONFLICT IGNORE` would otherwise delete or skip rows silently, where
    // the revision must fail and roll back.
    let shared: Vec<String> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none() && from.column(&c.name).is_some())
        .map(|c| q(&c.name))
        .collect();
    if !shared.is_empty() {
        let list = match copied_rowid(from, to) {
            Some(rowid) => format!("{rowid}, {}", shared.join(", ")),
            None => shared.join(", "),
        };
        statements.push(format!(
            "INSERT OR ABORT INTO {temp} ({list})\nSELECT {list}\nFROM {old}"
        ));
    }

    // Keep the AUTOINCREMENT counter: the copy sets the new table's counter to the largest
    // copied id, which would hand out again ids deleted from the top of the old table.
    if autoincrement_key(from) && autoincrement_key(to) {
        let old_lit = SqliteDialect.quote_literal(&from.name);
        let temp_lit = SqliteDialect.quote_literal(&temp_name);
        statements.push(format!(
            "UPDATE sqlite_sequence\n\
             SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ({old_lit}, {temp_lit}))\n\
             WHERE name = {temp_lit}"
        ));
        statements.push(format!(
            "INSERT INTO sqlite_sequence (name, seq)\n\
             SELECT {temp_lit}, seq FROM sqlite_sequence\n\
             WHERE name = {old_lit}\n  \
             AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {temp_lit})"
        ));
    }

    statements.push(format!("DROP TABLE {old}"));
    // Views and triggers of other tables may name the table; with the modern ALTER TABLE
    // the rename re-checks them while the table is missing and fails ("error in view v:
    // no such table"). The legacy behaviour renames without looking at them. The pragma
    // works inside the migration's transaction.
    statements.push(
        "-- the rename must not re-check views and triggers that name the dropped table\n\
         PRAGMA legacy_alter_table = ON"
            .to_string(),
    );
    statements.push(format!("ALTER TABLE {temp} RENAME TO {final_name}"));
    statements.push("PRAGMA legacy_alter_table = OFF".to_string());
    statements.extend(checks::rebuild_checks(from, to));
    statements
}

mod checks;
#[cfg(test)]
mod exec_tests;
#[cfg(test)]
mod tests;
