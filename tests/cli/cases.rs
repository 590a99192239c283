//! The file-based case corpus: `tests/cases/<engine>/<NN-name>/{current,desired,seed}.sql`.
//! A case file whose first line is `-- include: PATH` starts with the text of PATH
//! (relative to the case directory), so a real schema is kept once in `tests/cases/shared/`;
//! its lines `-- edit: OLD ==> NEW` replace the first OLD of that text by NEW (`\n` for a
//! line break), the other lines follow it.

use std::path::{Path, PathBuf};

/// The case directories of `engine` (`sqlite`, `postgres`), sorted by name.
pub fn dirs(engine: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(engine);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The SQL of `file` in case `dir` ("" when the case has no such file), includes expanded.
pub fn sql(dir: &Path, file: &str) -> String {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
    let Some(rest) = text.strip_prefix("-- include: ") else {
        return text;
    };
    let (target, tail) = rest.split_once('\n').unwrap_or((rest, ""));
    let included = dir.join(target.trim());
    let at = dir.join(file);
    let mut base = std::fs::read_to_string(&included)
        .unwrap_or_else(|e| panic!("{}: {}: {e}", at.display(), included.display()));
    let mut appended = String::new();
    for line in tail.lines() {
        let Some(edit) = line.strip_prefix("-- edit: ") else {
            appended.push_str(line);
            appended.push('\n');
            continue;
        };
        let unescape = |s: &str| s.replace("\\n", "\n");
        let (old, new) = edit
            .split_once(" ==>")
            .unwrap_or_else(|| panic!("{}: an edit is `-- edit: OLD ==> NEW`", at.display()));
        let (old, new) = (unescape(old), new.strip_prefix(' ').unwrap_or(new));
        assert!(base.contains(&old), "{}: no {old:?} to edit", at.display());
        base = base.replacen(&old, &unescape(new), 1);
    }
    format!("{base}{appended}")
}

/// The case's name (its directory name).
pub fn name(dir: &Path) -> String {
    dir.file_name().expect("name").to_string_lossy().to_string()
}
