//! The fuzz checks of fuzz/checks.rs on stable: a short proptest pass over each parser
//! (revision files, the statement splitter, config.toml, URLs), with inputs built from
//! each format's own pieces, and a replay of the seeds and of every input the fuzzer
//! once crashed on (fuzz/regressions/), plus the example project's migrations/.

#[path = "../../fuzz/checks.rs"]
mod checks;

use proptest::prelude::*;
use proptest::sample::select;
use std::path::Path;

/// Cases per target: a few seconds in all, in a debug build.
const CASES: u32 = 1500;

/// Text made of `pieces` and a few arbitrary characters (control characters included).
fn text_of(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => select(pieces).prop_map(str::to_string),
        1 => "[\\x00-\\x7f]{0,3}",
        1 => "\\PC{0,2}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|parts| parts.concat())
}

const REVISION_PIECES: &[&str] = &[
    "-- revision: ",
    "-- revises: ",
    "-- depends_on: ",
    "-- branch_labels: ",
    "-- message: ",
    "-- created: ",
    "-- transaction: none",
    "-- transaction: ",
    "-- revison: ",
    "--",
    "-- migrate:upgrade",
    "-- migrate:downgrade",
    "-- Migrate: Upgrade",
    " -- migrate:downgrade",
    "a1",
    "b2b2",
    "a1, b2b2",
    ",",
    ", ",
    "x y",
    "head",
    "label-1",
    "_",
    "CREATE TABLE t (a INT);",
    "SELECT 1;",
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\u{feff}",
    "\0",
    ":",
];

const SQL_PIECES: &[&str] = &[
    "SELECT 1",
    ";",
    ";",
    "'",
    "''",
    "\"",
    "`",
    "[",
    "]",
    "$$",
    "$t$",
    "$",
    "E'",
    "\\",
    "/*",
    "*/",
    "--",
    "#",
    "\n",
    "\r\n",
    " ",
    "CREATE",
    "TRIGGER",
    "PROCEDURE",
    "FUNCTION",
    "EVENT",
    "BEGIN",
    "END",
    "CASE",
    "IF",
    "LOOP",
    "DELIMITER",
    "DELIMITER //",
    "//",
    "x.",
    "end",
    "é",
];

const CONFIG_PIECES: &[&str] = &[
    "[database]",
    "[migrations]",
    "[schema]",
    "[tool]",
    "\n",
    "\n",
    " = ",
    "url",
    "dev_url",
    "lock_timeout",
    "dir",
    "dirs",
    "version_table",
    "path",
    "\"",
    "'",
    "\"sqlite:///a.db\"",
    "\"postgres://u:pw@h/d\"",
    "\"${SET}\"",
    "\"${EMPTY}\"",
    "\"${NOPE}\"",
    "\"$${x}\"",
    "${",
    "\"60s\"",
    "\"500ms\"",
    "\"24h\"",
    "\"2147484s\"",
    "86400",
    "86401",
    "-5",
    "1.5",
    "true",
    "[\"a\"]",
    "{ a = 1 }",
    "\\u0000",
    "\\r",
    "a.b",
    "#",
    "1979-05-27",
];

const URL_PIECES: &[&str] = &[
    "sqlite://",
    "sqlite:///",
    "postgres://",
    "postgresql+psycopg2://",
    "mysql://",
    "mariadb://",
    "oracle://",
    "://",
    "user",
    ":",
    "pw",
    "s3cr3t",
    "@",
    "host",
    "[::1]",
    "[",
    "]",
    ":5432",
    ":0",
    ":99999",
    "/",
    "db",
    "?",
    "sslmode=require",
    "password=pw",
    "pwd=x",
    "&",
    "=",
    "#",
    "%",
    "%40",
    "%2",
    "%ff",
    "+",
    ":memory:",
    " ",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_revision_file(text in text_of(REVISION_PIECES, 40)) {
        checks::revision_file(text.as_bytes());
    }

    #[test]
    fn fuzz_split(text in text_of(SQL_PIECES, 30)) {
        checks::split(text.as_bytes());
    }

    #[test]
    fn fuzz_config(text in text_of(CONFIG_PIECES, 30)) {
        checks::config(text.as_bytes());
    }

    #[test]
    fn fuzz_url(text in text_of(URL_PIECES, 16)) {
        checks::url(text.as_bytes());
    }
}

/// One of the checks of checks.rs.
type Check = fn(&[u8]);

/// Runs `check` on every file of the `dirs` (relative to the repository); returns how many.
fn replay(dirs: &[&str], check: Check) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("fuzz input entry").path();
            let bytes = std::fs::read(&path).expect("read fuzz input");
            let run = std::panic::catch_unwind(|| check(&bytes));
            assert!(run.is_ok(), "{} fails its check", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn seeds_and_past_crashes_pass_their_checks() {
    // The example project's revisions seed both the parser and the splitter.
    let targets: [(&str, Check, &[&str]); 4] = [
        ("revision_file", checks::revision_file, &["migrations"]),
        ("split", checks::split, &["migrations"]),
        ("config", checks::config, &[]),
        ("url", checks::url, &[]),
    ];
    for (name, check, extra) in targets {
        let seeds = format!("fuzz/seeds/{name}");
        let regressions = format!("fuzz/regressions/{name}");
        let dirs: Vec<&str> = [seeds.as_str(), regressions.as_str()]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        assert!(replay(&dirs, check) > 1, "no seeds for {name}");
    }
}
