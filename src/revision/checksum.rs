//! The checksum of a revision: SHA-256 of its upgrade section (see the newline policy).
//!
//! # Newline policy
//!
//! The checksum must not change when a file is only re-saved by an editor that adds a
//! UTF-8 byte order mark or switches line endings, so it hashes the upgrade SQL *as the
//! parser returns it* ([`crate::revision::Section::sql`]):
//!
//! 1. a leading UTF-8 BOM (`U+FEFF`) is dropped;
//! 2. every line ending `\r\n` becomes `\n` (one `\r` directly before each `\n`, and a `\r`
//!    ending the text, is dropped; other `\r` characters are kept);
//! 3. blank lines (empty or only whitespace) at the start and at the end are removed, and
//!    the text has no trailing newline.
//!
//! Everything else — indentation, trailing spaces inside the text, blank lines between
//! statements, comments — is part of the checksum: changing any character changes it.
//! [`checksum`] applies this policy itself (it is idempotent), so hashing raw section text
//! and hashing the parsed `Section::sql` give the same value.

use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// Applies the newline policy (BOM dropped, CRLF → LF, surrounding blank lines removed).
///
/// Returns the input unchanged (borrowed) when it already follows the policy, which is
/// always the case for a parsed [`crate::revision::Section::sql`].
pub fn normalize(sql: &str) -> Cow<'_, str> {
    // Every leading BOM and every `\r` before a line break go, so that the policy is
    // idempotent: `normalize(normalize(x)) == normalize(x)` (the revision parser drops the
    // same characters, found by fuzzing).
    let text = sql.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.trim_end_matches('\r'))
        .collect();
    let is_blank = |line: &&str| line.trim().is_empty();
    let Some(first) = lines.iter().position(|l| !is_blank(l)) else {
        return if sql.is_empty() {
            Cow::Borrowed(sql)
        } else {
            Cow::Owned(String::new())
        };
    };
    let last = lines.iter().rposition(|l| !is_blank(l)).unwrap_or(first);
    let kept = &lines[first..=last];
    let total: usize = kept.iter().map(|l| l.len() + 1).sum::<usize>() - 1;
    if total == sql.len() {
        // Same length means nothing was dropped: no BOM, no `\r`, no trimmed lines.
        return Cow::Borrowed(sql);
    }
    let kept = kept.join("\n");
    if kept.starts_with('\u{feff}') {
        // A BOM that blank lines hid ("\n\u{feff}x") is at the start now: one more pass.
        return Cow::Owned(normalize(&kept).into_owned());
    }
    Cow::Owned(kept)
}

/// Lowercase hex SHA-256 of an upgrade section's SQL after the newline policy.
///
/// See the module documentation for the policy; `checksum(raw) == checksum(&normalize(raw))`.
pub fn checksum(upgrade_sql: &str) -> String {
    let normalized = normalize(upgrade_sql);
    let digest = Sha256::digest(normalized.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::file::parse;
    use std::path::Path;

    const LF: &str = "-- revision: 27c6a30d7c24\n-- revises: ae1027a6acf0\n\
        -- message: add email index\n\n-- migrate:upgrade\n\
        CREATE INDEX ix_users_email ON users (email);\n\n\
        -- migrate:downgrade\nDROP INDEX ix_users_email;\n";

    /// `sha256("CREATE INDEX ix_users_email ON users (email);")`, computed independently
    /// (`printf '%s' 'CREATE INDEX ix_users_email ON users (email);' | sha256sum`).
    const EXPECTED: &str = "62f6661bd6978367f5de25235cd836a8f91efa1ebe252cf782c7d2ff7b4684c5";

    fn upgrade_checksum(bytes: &[u8]) -> String {
        let rev = parse(Path::new("m/27c6a30d7c24_add_email_index.sql"), bytes).unwrap();
        checksum(&rev.upgrade.sql)
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            checksum(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn upgrade_section_checksum_is_the_sha256_of_its_sql() {
        assert_eq!(upgrade_checksum(LF.as_bytes()), EXPECTED);
        assert_eq!(
            checksum("CREATE INDEX ix_users_email ON users (email);"),
            EXPECTED
        );
    }

    #[test]
    fn lf_crlf_and_bom_give_the_same_checksum() {
        let crlf = LF.replace('\n', "\r\n");
        let bom = format!("\u{feff}{LF}");
        let bom_crlf = format!("\u{feff}{crlf}");
        assert_eq!(upgrade_checksum(crlf.as_bytes()), EXPECTED);
        assert_eq!(upgrade_checksum(bom.as_bytes()), EXPECTED);
        assert_eq!(upgrade_checksum(bom_crlf.as_bytes()), EXPECTED);
        // Extra blank lines around the section do not count either.
        let padded = LF.replace("-- migrate:upgrade\n", "-- migrate:upgrade\n\n   \n\t\n");
        assert_eq!(upgrade_checksum(padded.as_bytes()), EXPECTED);
    }

    #[test]
    fn changing_one_character_changes_the_checksum() {
        let changed = LF.replace("(email)", "(Email)");
        assert_ne!(upgrade_checksum(changed.as_bytes()), EXPECTED);
        let spaced = LF.replace("(email);", "(email); ");
        assert_ne!(upgrade_checksum(spaced.as_bytes()), EXPECTED);
        let indented = LF.replace("CREATE", " CREATE");
        assert_ne!(upgrade_checksum(indented.as_bytes()), EXPECTED);
        // The downgrade section is not part of it.
        let down = LF.replace("DROP INDEX", "DROP  INDEX");
        assert_eq!(upgrade_checksum(down.as_bytes()), EXPECTED);
    }

    #[test]
    fn multi_line_multi_statement_crlf_equals_lf() {
        let lf = "CREATE TABLE a (id INT);\n\nCREATE TABLE b (id INT);";
        let crlf = "\r\n\r\nCREATE TABLE a (id INT);\r\n\r\nCREATE TABLE b (id INT);\r\n\r\n";
        assert_eq!(checksum(crlf), checksum(lf));
        assert_eq!(normalize(crlf), lf);
        assert_ne!(
            checksum(lf),
            checksum("CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);")
        );
    }

    #[test]
    fn normalize_policy() {
        assert!(matches!(normalize("a\nb"), Cow::Borrowed("a\nb")));
        assert!(matches!(normalize(""), Cow::Borrowed("")));
        assert_eq!(normalize("\u{feff}a\r\nb\r\n"), "a\nb");
        assert_eq!(normalize("\n \n  a  \n\t\n"), "  a  ");
        assert_eq!(normalize("a\rb"), "a\rb");
        assert_eq!(normalize("a\r"), "a");
        assert_eq!(normalize(" \n\r\n"), "");
        assert_eq!(normalize("\u{feff}"), "");
        assert_eq!(normalize("a\n\n\nb"), "a\n\n\nb");
        // Idempotent.
        for s in ["\u{feff}x\r\n", "\r\n\r\n y \r\n", "a\r\rb\r\n"] {
            let once = normalize(s).into_owned();
            assert_eq!(normalize(&once), once);
        }
    }

    proptest::proptest! {
        /// Found by fuzzing: `"\u{feff}\u{feff}A"` and `"a\r\r\n"` needed two passes.
        #[test]
        fn normalize_is_idempotent(s in "[\u{feff}\r\n a-c]{0,24}") {
            let once = normalize(&s).into_owned();
            proptest::prop_assert_eq!(normalize(&once).into_owned(), once);
        }
    }
}
