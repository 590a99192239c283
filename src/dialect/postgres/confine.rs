//! What the desired schema may not do in its scratch database on a PostgreSQL server.
//! schema.sql runs on a real server, as the configured user, in a database made for it;
//! statements that reach outside that database (other databases, roles, tablespaces,
//! server settings, files and programs, other sessions) are refused before anything is
//! sent, as SQLite's scratch database refuses ATTACH (see `sqlite/sandbox.rs`).

/// Leading words of statements that act outside the scratch database.
const REFUSED_COMMANDS: &[&[&str]] = &[
    &["CREATE", "DATABASE"],
    &["ALTER", "DATABASE"],
    &["DROP", "DATABASE"],
    &["CREATE", "ROLE"],
    &["ALTER", "ROLE"],
    &["DROP", "ROLE"],
    &["CREATE", "USER"],
    &["ALTER", "USER"],
    &["DROP", "USER"],
    &["CREATE", "GROUP"],
    &["ALTER", "GROUP"],
    &["DROP", "GROUP"],
    &["CREATE", "TABLESPACE"],
    &["ALTER", "TABLESPACE"],
    &["DROP", "TABLESPACE"],
    &["CREATE", "SUBSCRIPTION"],
    &["ALTER", "SUBSCRIPTION"],
    &["ALTER", "SYSTEM"],
    &["COPY"],
    &["LOAD"],
];

/// Functions that act on other sessions, files, the server or other databases.
const REFUSED_FUNCTIONS: &[&str] = &[
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_dir",
    "lo_import",
    "lo_export",
    "dblink",
];

/// Why the desired schema may not run `sql` in its scratch database, if it may not.
pub fn refusal(sql: &str) -> Option<String> {
    let words = leading_words(sql, 2);
    for command in REFUSED_COMMANDS {
        if words.len() >= command.len() && words[..command.len()] == **command {
            return Some(format!(
                "{} acts outside the scratch database",
                command.join(" ")
            ));
        }
    }
    // Only statements that run something now: a function or view that merely names one
    // of these runs nothing while the schema loads.
    let runs = [
        "SELECT", "DO", "CALL", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES",
    ];
    if !words.first().is_some_and(|w| runs.contains(&w.as_str())) {
        return None;
    }
    let lower = sql.to_ascii_lowercase();
    REFUSED_FUNCTIONS
        .iter()
        .find(|f| {
            lower
                .match_indices(*f)
                .any(|(at, _)| lower[at + f.len()..].trim_start().starts_with('('))
        })
        .map(|f| format!("{f}() acts outside the scratch database"))
}

/// The first `n` words of `sql`, upper case, after whitespace and comments.
fn leading_words(sql: &str, n: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = sql;
    while words.len() < n {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            words.push(rest[..end].to_ascii_uppercase());
            rest = &rest[end..];
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_reaching_outside_are_refused() {
        for sql in [
            "DROP DATABASE prod",
            "-- cleanup\n/* yes */ drop   database prod",
            "CREATE ROLE app LOGIN",
            "alter system set fsync = off",
            "COPY t TO PROGRAM 'rm -rf /'",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
            "SELECT * FROM dblink('dbname=prod', 'DELETE FROM users')",
        ] {
            assert!(refusal(sql).is_some(), "{sql}");
        }
    }

    #[test]
    fn schema_statements_pass() {
        for sql in [
            "CREATE TABLE users (id int)",
            "CREATE SCHEMA billing",
            "CREATE EXTENSION IF NOT EXISTS citext",
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "COMMENT ON TABLE users IS 'copy of the database role list'",
            "CREATE TABLE copy (id int)",
            "CREATE FUNCTION kill(p int) RETURNS bool LANGUAGE sql AS 'SELECT pg_terminate_backend(p)'",
            "SELECT 'no dblink here'",
        ] {
            assert_eq!(refusal(sql), None, "{sql}");
        }
    }
}
