//! The statement splitter: splits a script into statements with their line numbers.

/// How an engine's SQL is lexed: data per dialect, not code per dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LexOptions {
    /// PostgreSQL `$$ ... $$` / `$tag$ ... $tag$` strings.
    pub dollar_quotes: bool,
    /// Backslash escapes inside '...' strings (MySQL; PostgreSQL only in E'...').
    pub backslash_escapes: bool,
    /// `E'...'` strings with backslash escapes (PostgreSQL).
    pub escape_strings: bool,
    /// `` `ident` `` quoting (MySQL, SQLite).
    pub backtick_idents: bool,
    /// `[ident]` quoting (SQLite).
    pub bracket_idents: bool,
    /// `# comment` lines (MySQL).
    pub hash_comments: bool,
    /// Nested `/* /* */ */` block comments (PostgreSQL).
    pub nested_block_comments: bool,
    /// The mysql client's `DELIMITER xx` command changes the terminator (MySQL).
    pub delimiter_command: bool,
}

impl LexOptions {
    pub const SQLITE: LexOptions = LexOptions {
        dollar_quotes: false,
        backslash_escapes: false,
        escape_strings: false,
        backtick_idents: true,
        bracket_idents: true,
        hash_comments: false,
        nested_block_comments: false,
        delimiter_command: false,
    };
    pub const POSTGRES: LexOptions = LexOptions {
        dollar_quotes: true,
        backslash_escapes: false,
        escape_strings: true,
        backtick_idents: false,
        bracket_idents: false,
        hash_comments: false,
        nested_block_comments: true,
        delimiter_command: false,
    };
    pub const MYSQL: LexOptions = LexOptions {
        dollar_quotes: false,
        backslash_escapes: true,
        escape_strings: false,
        backtick_idents: true,
        bracket_idents: false,
        hash_comments: true,
        nested_block_comments: false,
        delimiter_command: true,
    };
}

/// One statement of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The statement text without its terminator, leading comments and surrounding whitespace.
    pub sql: String,
    /// 1-based line, within the input, of the statement's first token.
    pub line: usize,
}

/// A script that cannot be split (unterminated string, comment, identifier or block).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LexError {
    pub line: usize,
    pub message: String,
}

/// Splits `sql` into statements.
pub fn split(sql: &str, options: &LexOptions) -> Result<Vec<Statement>, LexError> {
    let _ = (sql, options);
    todo!("helper: statement splitter")
}
