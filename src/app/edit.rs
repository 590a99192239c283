//! `edit`: open revision files in the user's editor.

use super::Project;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Editors tried, in this order, when neither `$VISUAL` nor `$EDITOR` is set (Alembic's
/// list).
const FALLBACK_EDITORS: [&str; 5] = ["sensible-editor", "editor", "nano", "vim", "code"];

/// `migrate edit REV`: opens the file of each revision REV names (`current`: the
/// database's revisions) in `$VISUAL`, else `$EDITOR`, else the first of
/// [`FALLBACK_EDITORS`] found on `PATH`, one after the other.
pub fn edit(project: &Project, raw: &str) -> Result<()> {
    let graph = project.graph()?;
    let nodes = super::inspect::named(project, &graph, raw)?;
    if nodes.is_empty() {
        anyhow::bail!("'{raw}' names no revision: the database has no version rows");
    }
    let editor = find_editor()?;
    for node in nodes {
        open(&editor, &graph.revision(node).path)?;
    }
    Ok(())
}

/// The editor command: `$VISUAL`, else `$EDITOR` (non-empty), else a fallback on `PATH`.
fn find_editor() -> Result<String> {
    for var in ["VISUAL", "EDITOR"] {
        if let Some(value) = std::env::var(var).ok().filter(|v| !v.trim().is_empty()) {
            return Ok(value);
        }
    }
    FALLBACK_EDITORS
        .iter()
        .find(|name| on_path(name).is_some())
        .map(|name| name.to_string())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no editor found: set VISUAL or EDITOR (none of {} is on PATH)",
                FALLBACK_EDITORS.join(", ")
            )
        })
}

/// Where `name` is on `PATH`, if it is there.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Runs `editor` on `path` and waits for it. The editor is a shell command line, as git
/// runs `$EDITOR` (`code --wait` works); the path is passed as its own argument, never
/// spliced into the command text.
fn open(editor: &str, path: &Path) -> Result<()> {
    let mut command = if cfg!(windows) {
        let mut words = editor.split_whitespace();
        let mut command = Command::new(words.next().unwrap_or(editor));
        command.args(words);
        command
    } else {
        let mut command = Command::new("/bin/sh");
        command.args(["-c", &format!("{editor} \"$@\""), editor]);
        command
    };
    let status = command
        .arg(path)
        .status()
        .with_context(|| format!("cannot run the editor {}", crate::echo::quote(editor)))?;
    if !status.success() {
        anyhow::bail!(
            "the editor {} exited with {status} on {}",
            crate::echo::quote(editor),
            path.display()
        );
    }
    Ok(())
}
