//! docs/tutorial.md, executed: every command of its ```sh blocks runs, in order, in a
//! fresh temp dir per engine section, with the built binary as `migrate` on PATH. Each
//! must exit 0 (or the `# exit N` its line ends with); a ```text block after a ```sh
//! block is that block's output (stdout and stderr together), modulo the markers `<rev>`,
//! `<n>`, `<date>` and `<dir>`; a ```lang file=PATH block is written to PATH. The
//! conventions are spelled out in a comment at the top of the tutorial.

use crate::project::binary;
use crate::servers::{MyDatabase, PgDatabase};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The URLs the tutorial shows, replaced by the test's own databases.
const PG_DOC_URL: &str = "postgres://postgres@127.0.0.1:5432/shop";
const MY_DOC_URL: &str = "mysql://root@127.0.0.1:3306/shop";

/// One fenced block of the tutorial.
#[derive(Debug)]
enum Block {
    /// Commands, with their 1-based line in the tutorial and the expected exit status.
    Sh(Vec<(usize, String, i32)>),
    /// Expected output of the preceding `Sh` block.
    Text(usize, String),
    /// A file the reader writes.
    File(String, String),
}

/// The blocks of the `## ` section whose title contains `engine`.
fn section_blocks(tutorial: &str, engine: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut in_section = false;
    let mut lines = tutorial.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = title.contains(engine);
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = Vec::new();
        for (_, inner) in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            body.push(inner);
        }
        if !in_section || info.is_empty() {
            continue;
        }
        let line_no = index + 1;
        if info == "sh" {
            let commands = body
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map(|(i, l)| {
                    let (command, code) = match l.split_once("# exit ") {
                        Some((command, code)) => (command, code.trim().parse().unwrap()),
                        None => (*l, 0),
                    };
                    (line_no + 1 + i, command.trim().to_string(), code)
                })
                .collect();
            blocks.push(Block::Sh(commands));
        } else if info == "text" {
            blocks.push(Block::Text(line_no, body.join("\n")));
        } else if let Some(path) = info.split_once(" file=").map(|(_, p)| p.trim()) {
            blocks.push(Block::File(path.to_string(), body.join("\n") + "\n"));
        }
    }
    blocks
}

/// Whether `actual` matches the `pattern` line, whose markers stand for: `<rev>` 12
/// lowercase hex digits, `<n>` one or more digits, `<date>` and `<dir>` any non-empty text.
fn line_matches(pattern: &str, actual: &str) -> bool {
    let markers = ["<rev>", "<n>", "<date>", "<dir>"];
    let next = markers
        .iter()
        .filter_map(|m| pattern.find(m).map(|at| (at, *m)))
        .min();
    let Some((at, marker)) = next else {
        return pattern == actual;
    };
    if !actual.starts_with(&pattern[..at]) {
        return false;
    }
    let rest_pattern = &pattern[at + marker.len()..];
    let rest = &actual[at..];
    let candidates: Vec<usize> = match marker {
        "<rev>" => {
            let ok = rest.len() >= 12
                && rest[..12]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if ok {
                vec![12]
            } else {
                vec![]
            }
        }
        "<n>" => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            (1..=digits).collect()
        }
        _ => (1..=rest.len())
            .filter(|&i| rest.is_char_boundary(i))
            .collect(),
    };
    candidates
        .into_iter()
        .any(|len| line_matches(rest_pattern, &rest[len..]))
}

/// Asserts that `actual` matches the expected `pattern` text, line by line.
fn assert_output(engine: &str, line_no: usize, pattern: &str, actual: &str) {
    let expected: Vec<&str> = pattern.trim_end().lines().map(str::trim_end).collect();
    let got: Vec<&str> = actual.trim_end().lines().map(str::trim_end).collect();
    let same =
        expected.len() == got.len() && expected.iter().zip(&got).all(|(p, a)| line_matches(p, a));
    assert!(
        same,
        "{engine}: the output shown at docs/tutorial.md:{line_no} differs from what the \
         commands print.\n--- shown:\n{}\n--- printed:\n{}",
        expected.join("\n"),
        got.join("\n")
    );
}

/// Writes a `file=` block: `path` may hold a `*` naming the one existing file it matches;
/// a body starting with `-- migrate:upgrade` keeps the existing file's headers.
fn write_file(dir: &Path, path: &str, body: &str) {
    let target: PathBuf = match path.split_once('*') {
        None => dir.join(path),
        Some((prefix, suffix)) => {
            let (folder, name_prefix) = match prefix.rsplit_once('/') {
                Some((folder, name)) => (dir.join(folder), name.to_string()),
                None => (dir.to_path_buf(), prefix.to_string()),
            };
            let matches: Vec<PathBuf> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    let name = p.file_name().unwrap().to_string_lossy();
                    name.starts_with(&name_prefix) && name.ends_with(suffix)
                })
                .collect();
            assert_eq!(
                matches.len(),
                1,
                "{path} should match one file: {matches:?}"
            );
            matches.into_iter().next().unwrap()
        }
    };
    let text = if body.starts_with("-- migrate:upgrade") && target.exists() {
        let old = std::fs::read_to_string(&target).unwrap();
        let headers = &old[..old.find("-- migrate:upgrade").expect("a revision file")];
        format!("{headers}{body}")
    } else {
        body.to_string()
    };
    std::fs::write(target, text).unwrap();
}

/// Runs the tutorial's section for `engine`, its database URL being `url` (if any).
fn run_section(engine: &str, url: Option<&str>) {
    let tutorial =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tutorial.md")).unwrap();
    let substitute = |s: &str| match url {
        Some(url) => s.replace(PG_DOC_URL, url).replace(MY_DOC_URL, url),
        None => s.to_string(),
    };
    let blocks = section_blocks(&tutorial, engine);
    assert!(
        blocks.iter().any(|b| matches!(b, Block::Sh(_))),
        "docs/tutorial.md has no commands for {engine}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(binary()).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut last_output = None;
    for block in blocks {
        match block {
            Block::Sh(commands) => {
                let mut output = String::new();
                for (line_no, command, code) in commands {
                    let out = Command::new("sh")
                        .arg("-c")
                        .arg(format!("exec 2>&1; {}", substitute(&command)))
                        .current_dir(dir.path())
                        .env("PATH", &path)
                        .env_remove("DATABASE_URL")
                        .env_remove("MIGRATE_CONFIG")
                        .output()
                        .unwrap();
                    let text = String::from_utf8_lossy(&out.stdout).into_owned();
                    assert!(!text.contains("panicked"), "{command} panicked: {text}");
                    assert_eq!(
                        out.status.code(),
                        Some(code),
                        "{engine}: docs/tutorial.md:{line_no}: `{command}` exited otherwise than \
                         the tutorial says; its output:\n{text}"
                    );
                    output.push_str(&text);
                }
                last_output = Some(output);
            }
            Block::Text(line_no, pattern) => {
                let actual = last_output.take().unwrap_or_else(|| {
                    panic!("docs/tutorial.md:{line_no}: output without commands")
                });
                assert_output(engine, line_no, &pattern, &actual);
            }
            Block::File(file, body) => write_file(dir.path(), &file, &substitute(&body)),
        }
    }
}

#[test]
fn tutorial_sqlite() {
    run_section("SQLite", None);
}

#[test]
fn tutorial_postgres() {
    let Some(db) = PgDatabase::create("docs_tutorial") else {
        return;
    };
    run_section("PostgreSQL", Some(&db.url()));
}

#[test]
fn tutorial_mysql() {
    let Some(db) = MyDatabase::create("docs_tutorial") else {
        return;
    };
    run_section("MySQL", Some(&db.url()));
}

#[test]
fn markers_match_only_what_they_stand_for() {
    assert!(line_matches("<rev> (head)", "0123456789ab (head)"));
    assert!(!line_matches("<rev> (head)", "0123456789a (head)"));
    assert!(!line_matches("<rev> (head)", "0123456789ab"));
    assert!(line_matches("x (<n> ms)", "x (12 ms)"));
    assert!(!line_matches("x (<n> ms)", "x (ms)"));
    assert!(line_matches(
        "Generating <dir>/m/<rev>_a.sql",
        "Generating /t/p/m/abcdefabcdef_a.sql"
    ));
    assert!(!line_matches("<base> -> <rev>", "x -> abcdefabcdef"));
}
