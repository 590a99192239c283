//! A parser for the SQLite `CREATE TABLE` and `CREATE INDEX` statements stored in
//! `sqlite_schema`, for what the pragmas do not report: constraint names, CHECKs,
//! AUTOINCREMENT, collations, generated-column expressions, deferrable foreign keys,
//! index expressions and partial-index predicates.
//!
//! It accepts any valid SQLite statement of these kinds (comments, every quoting style,
//! nested parentheses, constraints without separating commas, MATCH clauses, which it
//! ignores, and ON CONFLICT clauses, which it keeps for PRIMARY KEY, UNIQUE and NOT
//! NULL). Expression texts are the tokens as written, comments
//! dropped and each run of whitespace/comments between two tokens turned into one space
//! (so they equal `collapse_whitespace` of the comment-free text).

use crate::schema::{Check, Deferrable, RefAction};
use anyhow::{anyhow, bail, Result};

mod token;

#[cfg(test)]
mod tests;

use token::{join, tokenize, unquote, Kind, Token};

/// Every identifier (unquoted word or quoted name) in `sql`, unquoted, in order.
pub fn identifiers(sql: &str) -> Vec<String> {
    tokenize(sql)
        .iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Quoted))
        .map(|t| unquote(&sql[t.start..t.end]))
        .collect()
}

/// A column of a parsed CREATE TABLE.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    /// The declared type as written (comment-free, whitespace collapsed), "" if none.
    pub type_text: String,
    /// The DEFAULT expression as written (with its parentheses when it had them).
    pub default: Option<String>,
    /// The last COLLATE name given, unquoted.
    pub collation: Option<String>,
    /// `PRIMARY KEY ... AUTOINCREMENT` on the column.
    pub autoincrement: bool,
    /// A generated column's expression and, when written, STORED (true) / VIRTUAL (false).
    pub generated: Option<(String, Option<bool>)>,
    /// The ON CONFLICT resolution of its NOT NULL constraint (see [`PrimaryKeyDef::on_conflict`]).
    pub not_null_on_conflict: Option<String>,
}

/// A PRIMARY KEY constraint (column- or table-level).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrimaryKeyDef {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// `PRIMARY KEY (id AUTOINCREMENT)` (table-level form).
    pub autoincrement: bool,
    /// DESC per key column, parallel to `columns`; empty when no column is DESC.
    pub descending: Vec<bool>,
    /// Declared on the column (`id INTEGER PRIMARY KEY`) rather than as a table constraint.
    pub column_level: bool,
    /// The ON CONFLICT resolution, upper case; `None` when absent or ABORT (the default).
    pub on_conflict: Option<String>,
}

/// A UNIQUE constraint (column- or table-level).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UniqueDef {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// The ON CONFLICT resolution (see [`PrimaryKeyDef::on_conflict`]).
    pub on_conflict: Option<String>,
}

/// A foreign key (column-level REFERENCES or table-level FOREIGN KEY).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForeignKeyDef {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: RefAction,
    pub on_update: RefAction,
    pub deferrable: Deferrable,
}

/// A parsed CREATE TABLE.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateTable {
    pub name: String,
    pub columns: Vec<ColumnDef>,
    pub primary_key: Option<PrimaryKeyDef>,
    /// In declaration order.
    pub uniques: Vec<UniqueDef>,
    /// In declaration order.
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// In declaration order.
    pub checks: Vec<Check>,
    pub without_rowid: bool,
    pub strict: bool,
}

/// One key of a parsed CREATE INDEX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexPartDef {
    /// The key without its COLLATE and ASC/DESC: a column name (unquoted) when it is a
    /// single identifier, else the expression text.
    pub expression: String,
    /// Whether `expression` is a single identifier (a column name).
    pub is_name: bool,
    pub descending: bool,
    pub collation: Option<String>,
}

/// A parsed CREATE INDEX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateIndex {
    pub name: String,
    pub table: String,
    pub unique: bool,
    pub parts: Vec<IndexPartDef>,
    pub predicate: Option<String>,
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        let mut toks = tokenize(src);
        while toks
            .last()
            .is_some_and(|t| t.kind == Kind::Punct && &src[t.start..t.end] == ";")
        {
            toks.pop();
        }
        Parser { src, toks, pos: 0 }
    }

    fn text(&self, t: &Token) -> &'a str {
        &self.src[t.start..t.end]
    }

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.toks.get(self.pos + n)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn is_kw_at(&self, n: usize, kw: &str) -> bool {
        self.peek_at(n)
            .is_some_and(|t| t.kind == Kind::Word && self.text(t).eq_ignore_ascii_case(kw))
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_at(0, kw)
    }

    fn is_punct(&self, p: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.kind == Kind::Punct && self.text(t) == p)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.is_punct(p);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn near(&self) -> String {
        match self.peek() {
            Some(t) => format!("near {:?}", self.text(t)),
            None => "at the end".to_string(),
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            bail!("expected {kw} {}", self.near())
        }
    }

    fn expect_punct(&mut self, p: &str) -> Result<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            bail!("expected {p:?} {}", self.near())
        }
    }

    /// A name: an unquoted word or a quoted identifier/string, unquoted.
    fn name(&mut self) -> Result<String> {
        match self.peek() {
            Some(t) if matches!(t.kind, Kind::Word | Kind::Quoted | Kind::Str) => {
                let name = unquote(self.text(t));
                self.pos += 1;
                Ok(name)
            }
            _ => bail!("expected a name {}", self.near()),
        }
    }

    /// `[schema .] name`, returning name.
    fn qualified_name(&mut self) -> Result<String> {
        let mut name = self.name()?;
        if self.eat_punct(".") {
            name = self.name()?;
        }
        Ok(name)
    }

    /// From `(`: skips to the matching `)`, returning the token range inside.
    fn group(&mut self) -> Result<(usize, usize)> {
        self.expect_punct("(")?;
        let start = self.pos;
        let mut depth = 1usize;
        while let Some(t) = self.peek() {
            if t.kind == Kind::Punct {
                match self.text(t) {
                    "(" => depth += 1,
                    ")" => {
                        depth -= 1;
                        if depth == 0 {
                            let end = self.pos;
                            self.pos += 1;
                            return Ok((start, end));
                        }
                    }
                    _ => {}
                }
            }
            self.pos += 1;
        }
        bail!("unbalanced parentheses")
    }

    /// The tokens toks[start..end] as written: comments dropped, whitespace collapsed,
    /// parentheses and quoting kept, so that an expression renders back to the text SQLite
    /// stores.
    fn joined(&self, start: usize, end: usize) -> String {
        join(self.src, &self.toks[start..end])
    }

    /// `( expr )`, returning the expression text.
    fn paren_expr(&mut self) -> Result<String> {
        let (s, e) = self.group()?;
        Ok(self.joined(s, e))
    }

    /// `[ON CONFLICT word]`: the resolution upper case, `None` when absent or ABORT.
    fn conflict_clause(&mut self) -> Result<Option<String>> {
        if self.is_kw("ON") && self.is_kw_at(1, "CONFLICT") {
            self.pos += 2;
            let word = self.name()?.to_ascii_uppercase();
            if !matches!(
                word.as_str(),
                "ROLLBACK" | "ABORT" | "FAIL" | "IGNORE" | "REPLACE"
            ) {
                bail!("unknown conflict resolution {word}");
            }
            return Ok((word != "ABORT").then_some(word));
        }
        Ok(None)
    }

    /// Splits the token range at depth-0 commas.
    fn split_commas(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut from = start;
        for i in start..end {
            let t = &self.toks[i];
            if t.kind != Kind::Punct {
                continue;
            }
            match self.text(t) {
                "(" => depth += 1,
                ")" => depth = depth.saturating_sub(1),
                "," if depth == 0 => {
                    out.push((from, i));
                    from = i + 1;
                }
                _ => {}
            }
        }
        out.push((from, end));
        out
    }

    fn tok_is_kw(&self, i: usize, kw: &str) -> bool {
        let t = &self.toks[i];
        t.kind == Kind::Word && self.text(t).eq_ignore_ascii_case(kw)
    }

    /// An indexed column/expression: `key [COLLATE name] [ASC|DESC]` (plus a trailing
    /// AUTOINCREMENT inside a table-level PRIMARY KEY).
    fn indexed_part(&self, start: usize, mut end: usize) -> Result<(IndexPartDef, bool)> {
        let mut autoinc = false;
        let mut descending = false;
        let mut collation = None;
        if end > start + 1 && self.tok_is_kw(end - 1, "AUTOINCREMENT") {
            autoinc = true;
            end -= 1;
        }
        if end > start + 1 && (self.tok_is_kw(end - 1, "ASC") || self.tok_is_kw(end - 1, "DESC")) {
            descending = self.tok_is_kw(end - 1, "DESC");
            end -= 1;
        }
        // A trailing COLLATE belongs to the whole key only when what precedes it is one
        // term (a name, a call, a parenthesised expression); otherwise it binds to the
        // last operand and stays in the expression.
        if end >= start + 3 && self.tok_is_kw(end - 2, "COLLATE") && self.is_term(start, end - 2) {
            collation = Some(unquote(self.text(&self.toks[end - 1])));
            end -= 2;
        }
        if end <= start {
            bail!("empty index key");
        }
        // Redundant parentheses around a single name: `((a))` is the column a.
        let (mut s, mut e) = (start, end);
        while e - s >= 3 && self.is_paren_pair(s, e) {
            s += 1;
            e -= 1;
        }
        let is_name = e - s == 1 && matches!(self.toks[s].kind, Kind::Word | Kind::Quoted);
        let expression = if is_name {
            unquote(self.text(&self.toks[s]))
        } else {
            self.joined(start, end)
        };
        Ok((
            IndexPartDef {
                expression,
                is_name,
                descending,
                collation,
            },
            autoinc,
        ))
    }

    /// Whether toks[s] is `(` and its match is toks[e-1].
    fn is_paren_pair(&self, s: usize, e: usize) -> bool {
        let p =
            |i: usize, c: &str| self.toks[i].kind == Kind::Punct && self.text(&self.toks[i]) == c;
        if !p(s, "(") || !p(e - 1, ")") {
            return false;
        }
        let mut depth = 0usize;
        for i in s..e {
            if p(i, "(") {
                depth += 1;
            } else if p(i, ")") {
                depth -= 1;
                if depth == 0 {
                    return i == e - 1;
                }
            }
        }
        false
    }

    /// Whether toks[s..e] is a single term: `name[.name...]`, a literal, `f(...)` or `(...)`.
    fn is_term(&self, s: usize, e: usize) -> bool {
        if e <= s {
            return false;
        }
        if e - s == 1 {
            return self.toks[s].kind != Kind::Punct;
        }
        if self.is_paren_pair(s, e) {
            return true;
        }
        if self.toks[s].kind == Kind::Word && self.is_paren_pair(s + 1, e) {
            return true;
        }
        // a.b or a.b.c
        (s..e).all(|i| {
            let t = &self.toks[i];
            if (i - s).is_multiple_of(2) {
                matches!(t.kind, Kind::Word | Kind::Quoted)
            } else {
                t.kind == Kind::Punct && self.text(t) == "."
            }
        }) && !(e - s).is_multiple_of(2)
    }

    /// `( name, ... )` of plain column names (FOREIGN KEY / REFERENCES lists).
    fn name_list(&mut self) -> Result<Vec<String>> {
        let (s, e) = self.group()?;
        let mut out = Vec::new();
        for (a, b) in self.split_commas(s, e) {
            let (part, _) = self.indexed_part(a, b)?;
            out.push(part.expression);
        }
        Ok(out)
    }

    /// `( indexed-column, ... )` of a table PRIMARY KEY / UNIQUE: names, AUTOINCREMENT and
    /// DESC per column (empty when none is DESC).
    fn key_list(&mut self) -> Result<(Vec<String>, bool, Vec<bool>)> {
        let (s, e) = self.group()?;
        let mut out = Vec::new();
        let mut autoinc = false;
        let mut descending = Vec::new();
        for (a, b) in self.split_commas(s, e) {
            let (part, ai) = self.indexed_part(a, b)?;
            autoinc |= ai;
            descending.push(part.descending);
            out.push(part.expression);
        }
        if !descending.contains(&true) {
            descending.clear();
        }
        Ok((out, autoinc, descending))
    }

    fn ref_action(&mut self) -> Result<RefAction> {
        if self.eat_kw("SET") {
            if self.eat_kw("NULL") {
                return Ok(RefAction::SetNull);
            }
            self.expect_kw("DEFAULT")?;
            return Ok(RefAction::SetDefault);
        }
        if self.eat_kw("CASCADE") {
            return Ok(RefAction::Cascade);
        }
        if self.eat_kw("RESTRICT") {
            return Ok(RefAction::Restrict);
        }
        if self.eat_kw("NO") {
            self.expect_kw("ACTION")?;
            return Ok(RefAction::NoAction);
        }
        bail!("expected a foreign key action {}", self.near())
    }

    /// From REFERENCES: the rest of a foreign key clause.
    fn fk_clause(&mut self, name: Option<String>, columns: Vec<String>) -> Result<ForeignKeyDef> {
        self.expect_kw("REFERENCES")?;
        let ref_table = self.name()?;
        let ref_columns = if self.is_punct("(") {
            self.name_list()?
        } else {
            Vec::new()
        };
        let mut fk = ForeignKeyDef {
            name,
            columns,
            ref_table,
            ref_columns,
            ..ForeignKeyDef::default()
        };
        loop {
            if self.is_kw("ON") && (self.is_kw_at(1, "DELETE") || self.is_kw_at(1, "UPDATE")) {
                let delete = self.is_kw_at(1, "DELETE");
                self.pos += 2;
                let action = self.ref_action()?;
                if delete {
                    fk.on_delete = action;
                } else {
                    fk.on_update = action;
                }
            } else if self.eat_kw("MATCH") {
                self.name()?;
            } else if self.is_kw("NOT") && self.is_kw_at(1, "DEFERRABLE") {
                self.pos += 2;
                self.initially()?;
                fk.deferrable = Deferrable::NotDeferrable;
            } else if self.eat_kw("DEFERRABLE") {
                // SQLite defers only `DEFERRABLE INITIALLY DEFERRED`; a plain DEFERRABLE or
                // INITIALLY IMMEDIATE is checked like a key with no clause at all.
                fk.deferrable = if self.initially()? {
                    Deferrable::InitiallyDeferred
                } else {
                    Deferrable::NotDeferrable
                };
            } else {
                break;
            }
        }
        Ok(fk)
    }

    /// `[INITIALLY DEFERRED|IMMEDIATE]`: whether DEFERRED.
    fn initially(&mut self) -> Result<bool> {
        if self.eat_kw("INITIALLY") {
            if self.eat_kw("DEFERRED") {
                return Ok(true);
            }
            self.expect_kw("IMMEDIATE")?;
        }
        Ok(false)
    }

    fn is_column_constraint_start(&self) -> bool {
        const KWS: [&str; 11] = [
            "CONSTRAINT",
            "PRIMARY",
            "NOT",
            "NULL",
            "UNIQUE",
            "CHECK",
            "DEFAULT",
            "COLLATE",
            "REFERENCES",
            "GENERATED",
            "AS",
        ];
        KWS.iter().any(|k| self.is_kw(k))
    }

    fn at_item_end(&self) -> bool {
        self.at_end() || self.is_punct(",") || self.is_punct(")")
    }

    fn column_def(&mut self, t: &mut CreateTable) -> Result<()> {
        let name = self.name()?;
        // The type: words and one optional parenthesised argument list.
        let type_start = self.pos;
        while !self.at_item_end() && !self.is_column_constraint_start() {
            if self.is_punct("(") {
                self.group()?;
            } else {
                self.pos += 1;
            }
        }
        let mut col = ColumnDef {
            type_text: self.joined(type_start, self.pos),
            name,
            ..ColumnDef::default()
        };
        let mut constraint_name: Option<String> = None;
        while !self.at_item_end() {
            if self.eat_kw("CONSTRAINT") {
                constraint_name = Some(self.name()?);
                continue;
            }
            let cname = constraint_name.take();
            if self.eat_kw("PRIMARY") {
                self.expect_kw("KEY")?;
                let descending = !self.eat_kw("ASC") && self.eat_kw("DESC");
                let on_conflict = self.conflict_clause()?;
                if self.eat_kw("AUTOINCREMENT") {
                    col.autoincrement = true;
                }
                t.primary_key = Some(PrimaryKeyDef {
                    name: cname,
                    columns: vec![col.name.clone()],
                    autoincrement: false,
                    descending: if descending { vec![true] } else { Vec::new() },
                    column_level: true,
                    on_conflict,
                });
            } else if self.eat_kw("NOT") {
                self.expect_kw("NULL")?;
                col.not_null_on_conflict = self.conflict_clause()?;
            } else if self.eat_kw("NULL") {
                self.conflict_clause()?;
            } else if self.eat_kw("UNIQUE") {
                let on_conflict = self.conflict_clause()?;
                t.uniques.push(UniqueDef {
                    name: cname,
                    columns: vec![col.name.clone()],
                    on_conflict,
                });
            } else if self.eat_kw("CHECK") {
                let expression = self.paren_expr()?;
                t.checks.push(Check {
                    expression,
                    name: cname,
                    ext: Default::default(),
                });
            } else if self.eat_kw("DEFAULT") {
                let start = self.pos;
                if self.is_punct("(") {
                    self.group()?;
                } else {
                    if self.is_punct("-") || self.is_punct("+") {
                        self.pos += 1;
                    }
                    if self.at_end() {
                        bail!("expected a default value at the end");
                    }
                    self.pos += 1;
                }
                col.default = Some(self.joined(start, self.pos));
            } else if self.eat_kw("COLLATE") {
                col.collation = Some(self.name()?);
            } else if self.is_kw("REFERENCES") {
                let fk = self.fk_clause(cname, vec![col.name.clone()])?;
                t.foreign_keys.push(fk);
            } else if self.is_kw("GENERATED") || self.is_kw("AS") {
                if self.eat_kw("GENERATED") {
                    self.expect_kw("ALWAYS")?;
                }
                self.expect_kw("AS")?;
                let expression = self.paren_expr()?;
                let stored = if self.eat_kw("STORED") {
                    Some(true)
                } else if self.eat_kw("VIRTUAL") {
                    Some(false)
                } else {
                    None
                };
                col.generated = Some((expression, stored));
            } else {
                bail!("unexpected {} in column {:?}", self.near(), col.name);
            }
        }
        t.columns.push(col);
        Ok(())
    }

    fn is_table_constraint_start(&self) -> bool {
        ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|k| self.is_kw(k))
    }

    fn table_constraint(&mut self, t: &mut CreateTable) -> Result<()> {
        let mut name = None;
        if self.eat_kw("CONSTRAINT") {
            name = Some(self.name()?);
        }
        if self.eat_kw("PRIMARY") {
            self.expect_kw("KEY")?;
            let (columns, autoincrement, descending) = self.key_list()?;
            let on_conflict = self.conflict_clause()?;
            t.primary_key = Some(PrimaryKeyDef {
                name,
                columns,
                autoincrement,
                descending,
                column_level: false,
                on_conflict,
            });
        } else if self.eat_kw("UNIQUE") {
            let (columns, _, _) = self.key_list()?;
            let on_conflict = self.conflict_clause()?;
            t.uniques.push(UniqueDef {
                name,
                columns,
                on_conflict,
            });
        } else if self.eat_kw("CHECK") {
            let expression = self.paren_expr()?;
            self.conflict_clause()?;
            t.checks.push(Check {
                expression,
                name,
                ext: Default::default(),
            });
        } else if self.eat_kw("FOREIGN") {
            self.expect_kw("KEY")?;
            let columns = self.name_list()?;
            let fk = self.fk_clause(name, columns)?;
            t.foreign_keys.push(fk);
        } else if name.is_some() && self.at_item_end() {
            // A dangling `CONSTRAINT name` is accepted by SQLite and means nothing.
        } else {
            bail!("unexpected {} in a table constraint", self.near());
        }
        Ok(())
    }

    /// `CREATE [TEMP] <kind words> [IF NOT EXISTS] [schema.]name`.
    fn create_header(&mut self, kind: &str) -> Result<(bool, String)> {
        self.expect_kw("CREATE")?;
        let _ = self.eat_kw("TEMP") || self.eat_kw("TEMPORARY");
        let unique = self.eat_kw("UNIQUE");
        self.expect_kw(kind)?;
        if self.is_kw("IF") {
            self.pos += 1;
            self.expect_kw("NOT")?;
            self.expect_kw("EXISTS")?;
        }
        Ok((unique, self.qualified_name()?))
    }
}

/// Parses a stored `CREATE TABLE` statement.
pub fn parse_create_table(sql: &str) -> Result<CreateTable> {
    let mut p = Parser::new(sql);
    let (_, name) = p.create_header("TABLE")?;
    let mut t = CreateTable {
        name,
        ..CreateTable::default()
    };
    if p.is_kw("AS") {
        bail!("CREATE TABLE ... AS SELECT has no column definitions");
    }
    p.expect_punct("(")?;
    let mut in_constraints = false;
    loop {
        in_constraints |= p.is_table_constraint_start();
        if in_constraints {
            p.table_constraint(&mut t)?;
            // Table constraints need no separating comma.
            if !p.is_punct(",") && !p.is_punct(")") && p.is_table_constraint_start() {
                continue;
            }
        } else {
            p.column_def(&mut t)?;
        }
        if p.eat_punct(",") {
            continue;
        }
        p.expect_punct(")")?;
        break;
    }
    // Table options.
    loop {
        if p.eat_kw("WITHOUT") {
            let word = p.name()?;
            if !word.eq_ignore_ascii_case("ROWID") {
                bail!("unknown table option WITHOUT {word}");
            }
            t.without_rowid = true;
        } else if p.eat_kw("STRICT") {
            t.strict = true;
        } else if !p.at_end() {
            bail!("unexpected {} after the column list", p.near());
        }
        if !p.eat_punct(",") {
            break;
        }
    }
    if !p.at_end() {
        bail!("unexpected {} after the table options", p.near());
    }
    Ok(t)
}

/// Parses a stored `CREATE [UNIQUE] INDEX` statement.
pub fn parse_create_index(sql: &str) -> Result<CreateIndex> {
    let mut p = Parser::new(sql);
    let (unique, name) = p.create_header("INDEX")?;
    p.expect_kw("ON")?;
    let table = p.name()?;
    let (s, e) = p.group()?;
    let mut parts = Vec::new();
    for (a, b) in p.split_commas(s, e) {
        parts.push(p.indexed_part(a, b)?.0);
    }
    let predicate = if p.eat_kw("WHERE") {
        let start = p.pos;
        p.pos = p.toks.len();
        Some(p.joined(start, p.pos))
    } else {
        None
    };
    if !p.at_end() {
        return Err(anyhow!("unexpected {} after the index keys", p.near()));
    }
    Ok(CreateIndex {
        name,
        table,
        unique,
        parts,
        predicate,
    })
}
