//! What changed in a column, computed once with the dialect's equivalences: warnings,
//! descriptions and renderers read this delta instead of comparing raw fields (which
//! would call `VARCHAR(10)` and `varchar(10)` a type change on one path and not another).

use crate::dialect::Dialect;
use crate::schema::Column;

/// One part of a column definition that can change on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnPart {
    Type,
    Nullability,
    Default,
    AutoIncrement,
    Collation,
    Generated,
    /// MySQL `ON UPDATE CURRENT_TIMESTAMP`.
    OnUpdate,
    Comment,
    /// The engine's own facts of the column (`ColumnExt`: SQLite's `ON CONFLICT` of the
    /// NOT NULL constraint, PostgreSQL's identity, MySQL's charset), compared by equality.
    Engine,
}

impl ColumnPart {
    /// The part's name in messages (`type`, `nullability`, `ON CONFLICT`, ...).
    pub fn label(self) -> &'static str {
        match self {
            ColumnPart::Type => "type",
            ColumnPart::Nullability => "nullability",
            ColumnPart::Default => "default",
            ColumnPart::AutoIncrement => "auto-increment",
            ColumnPart::Collation => "collation",
            ColumnPart::Generated => "generated expression",
            ColumnPart::OnUpdate => "ON UPDATE",
            ColumnPart::Comment => "comment",
            ColumnPart::Engine => "engine options",
        }
    }
}

/// The parts that differ between two columns of the same name, in `ColumnPart` order.
/// Empty when the columns mean the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnDelta {
    parts: Vec<ColumnPart>,
}

impl ColumnDelta {
    /// The parts of `from` and `to` that differ by the dialect's equivalences (types by
    /// `normalize_type`, expressions by `normalize_expression`, collations ignoring case).
    pub fn between(from: &Column, to: &Column, dialect: &dyn Dialect) -> Self {
        let same_expr = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => dialect.same_expression(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        let same_generated = match (&from.generated, &to.generated) {
            (Some(a), Some(b)) => {
                a.stored == b.stored && dialect.same_expression(&a.expression, &b.expression)
            }
            (a, b) => a.is_none() && b.is_none(),
        };
        let collation = |c: &Column| c.collation.as_ref().map(|s| s.to_ascii_lowercase());
        let differs = [
            (
                ColumnPart::Type,
                !dialect.same_type(&from.type_text, &to.type_text),
            ),
            (ColumnPart::Nullability, from.nullable != to.nullable),
            (ColumnPart::Default, !same_expr(&from.default, &to.default)),
            (
                ColumnPart::AutoIncrement,
                from.auto_increment != to.auto_increment,
            ),
            (ColumnPart::Collation, collation(from) != collation(to)),
            (ColumnPart::Generated, !same_generated),
            (
                ColumnPart::OnUpdate,
                !same_expr(&from.on_update, &to.on_update),
            ),
            (ColumnPart::Comment, from.comment != to.comment),
            (ColumnPart::Engine, from.ext != to.ext),
        ];
        ColumnDelta {
            parts: differs
                .into_iter()
                .filter(|(_, differs)| *differs)
                .map(|(part, _)| part)
                .collect(),
        }
    }

    /// A delta of exactly these parts (sorted, duplicates removed), for tests.
    #[cfg(test)]
    pub fn of(parts: &[ColumnPart]) -> Self {
        let mut parts = parts.to_vec();
        parts.sort();
        parts.dedup();
        ColumnDelta { parts }
    }

    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether `part` differs.
    pub fn has(&self, part: ColumnPart) -> bool {
        self.parts.contains(&part)
    }

    /// The parts that differ, in `ColumnPart` order.
    pub fn parts(&self) -> &[ColumnPart] {
        &self.parts
    }

    /// The delta of the inverse change. Which parts differ does not depend on the
    /// direction (the direction is in the change's `from` and `to`), so it is the same set.
    pub fn invert(&self) -> Self {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Engine;
    use crate::schema::Generated;

    fn column(type_text: &str) -> Column {
        Column {
            name: "c".into(),
            type_text: type_text.into(),
            nullable: true,
            ..Column::default()
        }
    }

    #[test]
    fn spelling_the_dialect_folds_is_no_change() {
        let sqlite = Engine::Sqlite.dialect();
        let from = column("VARCHAR(10)");
        let mut to = column("varchar(10)");
        assert!(ColumnDelta::between(&from, &to, &*sqlite).is_empty());
        to.default = Some("'x'".into());
        let delta = ColumnDelta::between(&from, &to, &*sqlite);
        assert_eq!(delta.parts(), &[ColumnPart::Default]);
        assert!(!delta.has(ColumnPart::Type));
        assert_eq!(delta.invert(), delta);
    }

    #[test]
    fn every_part_is_seen() {
        let sqlite = Engine::Sqlite.dialect();
        let from = column("TEXT");
        let to = Column {
            name: "c".into(),
            type_text: "INTEGER".into(),
            nullable: false,
            default: Some("0".into()),
            auto_increment: true,
            collation: Some("NOCASE".into()),
            generated: Some(Generated {
                expression: "1".into(),
                stored: true,
            }),
            on_update: Some("CURRENT_TIMESTAMP".into()),
            comment: Some("note".into()),
            ext: crate::schema::ColumnExt::sqlite_on_conflict(Some("REPLACE".into())),
        };
        let delta = ColumnDelta::between(&from, &to, &*sqlite);
        assert_eq!(
            delta.parts(),
            &[
                ColumnPart::Type,
                ColumnPart::Nullability,
                ColumnPart::Default,
                ColumnPart::AutoIncrement,
                ColumnPart::Collation,
                ColumnPart::Generated,
                ColumnPart::OnUpdate,
                ColumnPart::Comment,
                ColumnPart::Engine,
            ]
        );
        assert_eq!(ColumnDelta::between(&to, &from, &*sqlite), delta);
        assert_eq!(
            ColumnDelta::of(&[ColumnPart::Default, ColumnPart::Type, ColumnPart::Type]).parts(),
            &[ColumnPart::Type, ColumnPart::Default]
        );
    }

    #[test]
    fn collation_case_and_expression_spacing_are_no_change() {
        let sqlite = Engine::Sqlite.dialect();
        let mut from = column("TEXT");
        from.collation = Some("NOCASE".into());
        from.default = Some("(1 +  2)".into());
        let mut to = from.clone();
        to.collation = Some("nocase".into());
        to.default = Some("(1+2)".into());
        assert!(ColumnDelta::between(&from, &to, &*sqlite).is_empty());
    }
}
