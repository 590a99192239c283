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
    /// `/*! ... */` and `/*M! ... */` are code the server runs (MySQL's executable
    /// comments, as mysqldump and mariadb-dump write them): part of the statement.
    pub executable_comments: bool,
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
        executable_comments: false,
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
        executable_comments: false,
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
        executable_comments: true,
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
///
/// Terminators (`;`, or the current MySQL `DELIMITER`) end a statement only outside string
/// literals, quoted identifiers, comments, dollar quotes and `BEGIN ... END` bodies of
/// `CREATE TRIGGER` / `PROCEDURE` / `FUNCTION` / `EVENT` statements. Each statement's text
/// has no terminator, no leading comments and no surrounding whitespace; statements that
/// are empty or only comments are dropped. Runs in linear time over the bytes of `sql`.
pub fn split(sql: &str, options: &LexOptions) -> Result<Vec<Statement>, LexError> {
    Splitter::new(sql, options).run()
}

#[cfg(test)]
mod tests;

/// What the current statement creates, as far as `BEGIN ... END` bodies are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// No word seen yet.
    Unknown,
    /// `CREATE` seen, looking for the object kind.
    Searching,
    /// `CREATE ... TRIGGER|PROCEDURE|FUNCTION|EVENT`: `BEGIN` opens a body.
    Compound,
    /// Anything else: `BEGIN` is just a word.
    Plain,
}

/// How many words after `CREATE` may precede the object kind
/// (`CREATE OR REPLACE DEFINER = x SQL SECURITY INVOKER ... PROCEDURE`).
const KIND_SEARCH_WORDS: usize = 16;

struct Splitter<'a> {
    src: &'a str,
    b: &'a [u8],
    opts: &'a LexOptions,
    pos: usize,
    line: usize,
    delimiter: &'a [u8],
    out: Vec<Statement>,
    // The current statement.
    /// Byte offset and line of its first token.
    start: Option<(usize, usize)>,
    words: usize,
    kind: Kind,
    /// Open `BEGIN` / `CASE` inside a body; 0 = not inside a body.
    depth: usize,
    /// Line of the outermost open `BEGIN`.
    block_line: usize,
    /// An `END` was seen inside a body; the next token decides what it closes.
    pending_end: bool,
    /// The previous token was `.`, so a following word is a qualified name, not a keyword.
    after_dot: bool,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn error(line: usize, message: impl Into<String>) -> LexError {
    LexError {
        line,
        message: message.into(),
    }
}

impl<'a> Splitter<'a> {
    fn new(src: &'a str, opts: &'a LexOptions) -> Self {
        Splitter {
            src,
            b: src.as_bytes(),
            opts,
            pos: 0,
            line: 1,
            delimiter: b";",
            out: Vec::new(),
            start: None,
            words: 0,
            kind: Kind::Unknown,
            depth: 0,
            block_line: 0,
            pending_end: false,
            after_dot: false,
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.pos + ahead).copied()
    }

    fn is_word_cont(&self, c: u8) -> bool {
        // PostgreSQL identifiers may contain `$` after the first character.
        is_word_start(c) || (c == b'$' && self.opts.dollar_quotes)
    }

    fn default_delimiter(&self) -> bool {
        self.delimiter == b";"
    }

    fn run(mut self) -> Result<Vec<Statement>, LexError> {
        let len = self.b.len();
        while self.pos < len {
            let c = self.b[self.pos];
            if !self.default_delimiter() && self.b[self.pos..].starts_with(self.delimiter) {
                self.finish(self.pos);
                self.pos += self.delimiter.len();
                continue;
            }
            match c {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'-' if self.peek(1) == Some(b'-') => self.skip_line_comment(),
                b'#' if self.opts.hash_comments => self.skip_line_comment(),
                b'/' if self.peek(1) == Some(b'*') => {
                    if self.executable_comment() {
                        self.begin_token();
                    }
                    self.skip_block_comment()?
                }
                b';' if self.default_delimiter() => {
                    self.resolve_pending_end();
                    if self.depth > 0 {
                        self.symbol(c);
                    } else {
                        self.finish(self.pos);
                        self.pos += 1;
                    }
                }
                b'\'' => {
                    self.begin_token();
                    self.skip_quoted(
                        b'\'',
                        self.opts.backslash_escapes,
                        "unterminated string literal",
                    )?;
                }
                b'"' => {
                    self.begin_token();
                    // MySQL reads "..." as a string (backslash escapes apply) unless ANSI_QUOTES.
                    self.skip_quoted(
                        b'"',
                        self.opts.backslash_escapes,
                        "unterminated quoted identifier",
                    )?;
                }
                b'`' if self.opts.backtick_idents => {
                    self.begin_token();
                    self.skip_quoted(b'`', false, "unterminated quoted identifier")?;
                }
                b'[' if self.opts.bracket_idents => {
                    self.begin_token();
                    self.skip_bracket()?;
                }
                b'$' if self.opts.dollar_quotes => match self.dollar_tag_len() {
                    Some(n) => {
                        self.begin_token();
                        self.skip_dollar(n)?;
                    }
                    None => self.symbol(c),
                },
                c if is_word_start(c) => self.word()?,
                _ => self.symbol(c),
            }
        }
        self.resolve_pending_end();
        if self.depth > 0 {
            return Err(error(self.block_line, "unterminated BEGIN ... END block"));
        }
        self.finish(len);
        Ok(self.out)
    }

    /// Ends the current statement at byte `end` (exclusive) and resets the statement state.
    fn finish(&mut self, end: usize) {
        if let Some((start, line)) = self.start.take() {
            let sql =
                self.src[start..end].trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8));
            if !sql.is_empty() {
                self.out.push(Statement {
                    sql: sql.to_string(),
                    line,
                });
            }
        }
        self.words = 0;
        self.kind = Kind::Unknown;
        self.depth = 0;
        self.pending_end = false;
        self.after_dot = false;
    }

    /// Notes the start of a token that is not a word.
    fn begin_token(&mut self) {
        if self.start.is_none() {
            self.start = Some((self.pos, self.line));
        }
        self.resolve_pending_end();
        self.after_dot = false;
    }

    fn symbol(&mut self, c: u8) {
        self.begin_token();
        self.after_dot = c == b'.';
        self.pos += 1;
    }

    /// A plain `END` (not `END IF` / `END LOOP` / ...) closes the innermost `BEGIN` or `CASE`.
    fn resolve_pending_end(&mut self) {
        if self.pending_end {
            self.pending_end = false;
            self.depth -= 1;
        }
    }

    fn skip_line_comment(&mut self) {
        match self.b[self.pos..].iter().position(|&c| c == b'\n') {
            Some(n) => self.pos += n, // the newline itself is counted by the main loop
            None => self.pos = self.b.len(),
        }
    }

    /// Whether the block comment here is one the server runs (`/*!`, `/*M!`).
    fn executable_comment(&self) -> bool {
        self.opts.executable_comments
            && (self.peek(2) == Some(b'!')
                || (self.peek(2) == Some(b'M') && self.peek(3) == Some(b'!')))
    }

    fn skip_block_comment(&mut self) -> Result<(), LexError> {
        let line = self.line;
        let b = self.b;
        let mut depth = 1usize;
        let mut i = self.pos + 2;
        while i < b.len() {
            match b[i] {
                b'*' if b.get(i + 1) == Some(&b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        self.pos = i;
                        return Ok(());
                    }
                }
                b'/' if self.opts.nested_block_comments && b.get(i + 1) == Some(&b'*') => {
                    depth += 1;
                    i += 2;
                }
                b'\n' => {
                    self.line += 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Err(error(line, "unterminated block comment"))
    }

    /// Skips a literal quoted with `q` (doubled `q` escapes it), starting at the opening quote.
    fn skip_quoted(&mut self, q: u8, backslash: bool, message: &str) -> Result<(), LexError> {
        let line = self.line;
        let b = self.b;
        let mut i = self.pos + 1;
        while i < b.len() {
            let c = b[i];
            if c == q {
                if b.get(i + 1) == Some(&q) {
                    i += 2;
                    continue;
                }
                self.pos = i + 1;
                return Ok(());
            }
            if c == b'\n' {
                self.line += 1;
            } else if c == b'\\' && backslash {
                if b.get(i + 1) == Some(&b'\n') {
                    self.line += 1;
                }
                i += 1;
            }
            i += 1;
        }
        Err(error(line, message))
    }

    fn skip_bracket(&mut self) -> Result<(), LexError> {
        let line = self.line;
        let rest = &self.b[self.pos..];
        match rest.iter().position(|&c| c == b']') {
            Some(n) => {
                self.line += count_newlines(&rest[..n]);
                self.pos += n + 1;
                Ok(())
            }
            None => Err(error(line, "unterminated quoted identifier")),
        }
    }

    /// The length of the `$tag$` opening at `pos`, if there is one (`$1` is a parameter).
    fn dollar_tag_len(&self) -> Option<usize> {
        let rest = &self.b[self.pos + 1..];
        match rest.first() {
            Some(b'$') => Some(2),
            Some(&c) if c.is_ascii_alphabetic() || c == b'_' => {
                let n = rest
                    .iter()
                    .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))?;
                (rest[n] == b'$').then_some(n + 2)
            }
            _ => None,
        }
    }

    /// Skips a dollar-quoted string whose opening `$tag$` is `n` bytes long.
    fn skip_dollar(&mut self, n: usize) -> Result<(), LexError> {
        let tag = &self.b[self.pos..self.pos + n];
        let body_start = self.pos + n;
        let mut i = body_start;
        while let Some(k) = self.b[i..].iter().position(|&c| c == b'$') {
            i += k;
            if self.b[i..].starts_with(tag) {
                self.line += count_newlines(&self.b[body_start..i]);
                self.pos = i + n;
                return Ok(());
            }
            i += 1;
        }
        Err(error(
            self.line,
            format!(
                "unterminated dollar-quoted string {}",
                String::from_utf8_lossy(tag)
            ),
        ))
    }

    fn word(&mut self) -> Result<(), LexError> {
        let s = self.pos;
        let mut e = s + 1;
        while e < self.b.len() && self.is_word_cont(self.b[e]) {
            e += 1;
        }
        let w = &self.b[s..e];
        let next = self.b.get(e).copied();
        if self.opts.escape_strings && w.eq_ignore_ascii_case(b"e") && next == Some(b'\'') {
            self.begin_token();
            self.pos = e;
            return self.skip_quoted(b'\'', true, "unterminated string literal");
        }
        if self.start.is_none()
            && self.opts.delimiter_command
            && w.eq_ignore_ascii_case(b"DELIMITER")
            && next.is_none_or(is_space)
        {
            self.pos = e;
            return self.delimiter_command();
        }
        if self.start.is_none() {
            self.start = Some((s, self.line));
        }
        self.pos = e;
        let keyword = !self.after_dot && !w[0].is_ascii_digit();
        self.after_dot = false;
        self.keyword(w, keyword);
        Ok(())
    }

    /// `DELIMITER xx` (the word itself already consumed): the first whitespace-free run
    /// after it becomes the terminator; the rest of the line is ignored.
    fn delimiter_command(&mut self) -> Result<(), LexError> {
        let b = self.b;
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t') {
            self.pos += 1;
        }
        let s = self.pos;
        while self.pos < b.len() && !is_space(b[self.pos]) {
            self.pos += 1;
        }
        if s == self.pos {
            return Err(error(
                self.line,
                "DELIMITER must be followed by a delimiter",
            ));
        }
        self.delimiter = &b[s..self.pos];
        self.skip_line_comment();
        Ok(())
    }

    /// Tracks the object kind and `BEGIN` / `CASE` / `END` nesting.
    fn keyword(&mut self, w: &[u8], keyword: bool) {
        let is = |k: &str| keyword && w.eq_ignore_ascii_case(k.as_bytes());
        if self.pending_end {
            self.pending_end = false;
            if is("IF") || is("LOOP") || is("WHILE") || is("REPEAT") {
                // MySQL `END IF` & co. close statements that never opened a level.
                return;
            }
            self.depth -= 1;
            if is("CASE") {
                // `END CASE` closes a CASE statement.
                return;
            }
        }
        self.words += 1;
        match self.kind {
            Kind::Unknown => {
                self.kind = if is("CREATE") {
                    Kind::Searching
                } else {
                    Kind::Plain
                };
            }
            Kind::Searching => {
                if is("TRIGGER") || is("PROCEDURE") || is("FUNCTION") || is("EVENT") {
                    self.kind = Kind::Compound;
                } else if is("TABLE") || is("VIEW") || is("INDEX") || self.words > KIND_SEARCH_WORDS
                {
                    self.kind = Kind::Plain;
                }
            }
            Kind::Compound | Kind::Plain => {}
        }
        if self.kind != Kind::Compound || !keyword || !self.default_delimiter() {
            return;
        }
        if self.depth == 0 {
            if is("BEGIN") {
                self.depth = 1;
                self.block_line = self.line;
            }
        } else if is("BEGIN") || is("CASE") {
            self.depth += 1;
        } else if is("END") {
            self.pending_end = true;
        }
    }
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}
