//! Where a password comes from when the URL has none, as libpq does it: the environment
//! variable `PGPASSWORD`, else the password file (`PGPASSFILE`, default `~/.pgpass`),
//! whose lines read `hostname:port:database:username:password`, each of the first four
//! fields `*` for any value, `\:` and `\\` escaping a colon and a backslash. As libpq,
//! a file that others can read is ignored, and a socket host matches `localhost`.
//! <https://www.postgresql.org/docs/current/libpq-pgpass.html>

use std::path::{Path, PathBuf};

/// The password for `user` on `host:port`, database `database`, from the environment or
/// the password file; `None` when neither has one.
pub fn lookup(host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    if let Some(password) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
        return Some(password);
    }
    let file = password_file()?;
    if !private(&file) {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    find(&text, host, &port.to_string(), database, user)
}

/// `PGPASSFILE`, else `~/.pgpass`.
fn password_file() -> Option<PathBuf> {
    match std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => std::env::var_os("HOME").map(|home| Path::new(&home).join(".pgpass")),
    }
}

/// Whether only its owner may read `file` (libpq ignores the file otherwise).
#[cfg(unix)]
fn private(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(file: &Path) -> bool {
    file.is_file()
}

/// The password of the first line of `text` matching the four values.
fn find(text: &str, host: &str, port: &str, database: &str, user: &str) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split(line);
            let [h, p, d, u, password] = fields.as_slice() else {
                return None;
            };
            let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
            (matches(h, host) && matches(p, port) && matches(d, database) && matches(u, user))
                .then(|| password.clone())
        })
}

/// The five fields of a line, escapes resolved; a fifth field keeps any further colons.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field at least").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            other => fields.last_mut().expect("one field at least").push(other),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let text = "# comment\n\
                    db.example.com:5432:shop:alice:s3cret\n\
                    *:*:*:alice:fallback\n\
                    *:*:*:bob:pa\\:ss\\\\word:with:colons\n";
        assert_eq!(
            find(text, "db.example.com", "5432", "shop", "alice").as_deref(),
            Some("s3cret")
        );
        assert_eq!(
            find(text, "other", "6543", "x", "alice").as_deref(),
            Some("fallback")
        );
        assert_eq!(
            find(text, "h", "1", "d", "bob").as_deref(),
            Some("pa:ss\\word:with:colons")
        );
        assert_eq!(find(text, "h", "1", "d", "carol"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:*:x\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(!private(&file));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(private(&file));
    }
}
