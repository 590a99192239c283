//! The fuzz checks: each takes arbitrary bytes, runs one parser of `migrate` on them and
//! panics when the parser panics or breaks a property it promises. libFuzzer drives them
//! from fuzz_targets/ (`cargo fuzz run <name>`); `cargo test` drives them with proptest
//! inputs and replays fuzz/seeds/ and fuzz/regressions/ (tests/cli/fuzz.rs).

use migrate::echo::LINE_MAX_CHARS;
use migrate::revision::checksum::normalize;
use migrate::revision::file::{self, NewRevision};
use migrate::settings::{self, MAX_LOCK_TIMEOUT};
use migrate::sql::lex::{self, LexOptions};
use migrate::url::{is_secret_param, redact, DatabaseUrl, MASK};
use std::path::Path;

/// Error messages are one clean line of bounded length, as they reach the user.
fn assert_one_clean_line(message: &str) {
    assert!(
        !message.chars().any(char::is_control),
        "control character in the message {message:?}"
    );
    assert!(
        message.chars().count() <= LINE_MAX_CHARS,
        "message of {} characters",
        message.chars().count()
    );
}

/// The revision-file parser: errors are one clean line about a line of the file; what
/// parses renders back to a file that parses to the same revision.
pub fn revision_file(data: &[u8]) {
    let path = Path::new("migrations/fuzz.sql");
    let revision = match file::parse(path, data) {
        Ok(revision) => revision,
        Err(error) => {
            assert_one_clean_line(&error.to_string());
            let lines = data.split(|&b| b == b'\n').count();
            assert!(error.line <= lines, "line {} of {lines}", error.line);
            return;
        }
    };
    for section in [&revision.upgrade, &revision.downgrade] {
        assert_eq!(
            normalize(&section.sql),
            section.sql,
            "a parsed section follows the newline policy"
        );
    }
    let new = NewRevision {
        id: Some(revision.id.clone()),
        revises: revision.revises.clone(),
        depends_on: revision.depends_on.clone(),
        branch_labels: revision.branch_labels.clone(),
        message: revision.message.clone(),
        created: revision.created.clone().unwrap_or_default(),
        transactional: revision.transactional,
        upgrade_sql: revision.upgrade.sql.clone(),
        downgrade_sql: revision.downgrade.sql.clone(),
    };
    let text = file::render(&revision.id, &new);
    let again = file::parse(path, text.as_bytes())
        .unwrap_or_else(|e| panic!("rendered revision does not parse: {e}\n{text}"));
    assert_eq!(again.id, revision.id);
    assert_eq!(again.revises, revision.revises);
    assert_eq!(again.depends_on, revision.depends_on);
    assert_eq!(again.branch_labels, revision.branch_labels);
    assert_eq!(again.transactional, revision.transactional);
    assert_eq!(again.upgrade.sql, revision.upgrade.sql);
    assert_eq!(again.downgrade.sql, revision.downgrade.sql);
}

/// The statement splitter, with each engine's options: statements are non-empty, in
/// order, found verbatim in the input from the line they are said to start on; errors
/// name a line of the input.
pub fn split(data: &[u8]) {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(sql.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for options in [LexOptions::SQLITE, LexOptions::POSTGRES, LexOptions::MYSQL] {
        let statements = match lex::split(sql, &options) {
            Ok(statements) => statements,
            Err(error) => {
                assert!((1..=line_starts.len()).contains(&error.line), "{error}");
                assert_one_clean_line(&error.message);
                continue;
            }
        };
        let mut previous = 1;
        for statement in &statements {
            assert!(!statement.sql.is_empty());
            assert!(
                statement.line >= previous,
                "lines go backwards: {statements:?}"
            );
            assert!(statement.line <= line_starts.len());
            previous = statement.line;
            let from = line_starts[statement.line - 1];
            let found = sql[from..].find(&statement.sql).map(|i| from + i);
            let on_line = found.is_some_and(|at| {
                line_starts
                    .get(statement.line)
                    .is_none_or(|&next| at < next)
            });
            assert!(on_line, "{statement:?} is not in the input at its line");
        }
    }
}

/// config.toml: errors are one clean line naming the file; what loads has a lock timeout
/// engines accept.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = |name: &str| match name {
        "SET" => Some("sqlite:///set.db".to_string()),
        "EMPTY" => Some(String::new()),
        _ => None,
    };
    match settings::parse_settings(text, Path::new("config.toml"), Path::new("/proj"), &env) {
        Ok(settings) => {
            assert!(settings.lock_timeout <= MAX_LOCK_TIMEOUT);
            assert!(settings.version_table.len() <= settings::MAX_VERSION_TABLE_LEN);
        }
        Err(error) => {
            assert!(error.0.starts_with("config.toml"), "{error}");
            assert_one_clean_line(&error.0);
        }
    }
}

/// Database URLs: what they print never depends on the password or a secret parameter,
/// and masking what they print changes nothing; errors are one clean line.
pub fn url(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let url = match DatabaseUrl::parse(raw, Path::new("/proj")) {
        Ok(url) => url,
        Err(error) => {
            assert_one_clean_line(&error.0);
            return;
        }
    };
    let shown = url.to_string();
    assert_eq!(redact(&shown), shown, "a printed URL is already masked");
    assert_eq!(format!("{url:?}"), shown);
    let mut other = url.clone();
    if let DatabaseUrl::Postgres(server) | DatabaseUrl::Mysql(server) = &mut other {
        let secret = |s: &str| format!("{s}-other-{MASK}");
        server.password = server.password.as_deref().map(secret);
        for (key, value) in &mut server.params {
            if is_secret_param(key) {
                *value = secret(value);
            }
        }
        let server_before = url.server().expect("a server URL has its parts");
        assert_eq!(format!("{server:?}"), format!("{server_before:?}"));
    }
    assert_eq!(other.to_string(), shown, "the output depends on a secret");
}
