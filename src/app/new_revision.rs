//! `revision` and `merge`: write a new revision file.

use super::{cli_error, parse_target, Project, UsageError};
use crate::cli::RevisionArgs;
use crate::revision::file::{self, NewRevision};
use crate::revision::graph::{Node, RevisionGraph};
use crate::revision::plan::Current;
use crate::revision::RevisionId;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// `migrate revision -m MSG [--rev-id] [--head [--splice]] [--branch-label] [--depends-on]`.
pub fn revision(project: &Project, args: &RevisionArgs) -> Result<()> {
    let migrator = project.migrator();
    let graph = migrator.graph().map_err(cli_error)?;
    let parents = match args.head.as_deref() {
        Some("base") => Vec::new(),
        Some(head) => {
            let node = resolve_one(graph, head)?;
            if !graph.children(node).is_empty() && !args.splice {
                anyhow::bail!(
                    "revision {} is not a head; pass --splice to start a new branch from it",
                    graph.id(node)
                );
            }
            vec![node]
        }
        None => match graph.heads().as_slice() {
            [] => Vec::new(),
            [head] => vec![*head],
            heads => anyhow::bail!(
                "multiple heads: {}; pass --head REV to choose one, or merge them with `migrate merge -m MSG heads`",
                super::report::id_list(graph, heads)
            ),
        },
    };
    let depends_on = args
        .depends_on
        .iter()
        .filter(|raw| !raw.trim().is_empty())
        .map(|raw| resolve_one(graph, raw.trim()).map(|n| graph.id(n).clone()))
        .collect::<Result<Vec<_>>>()?;
    let dir = directory(project, graph, &parents, args.version_path.as_deref())?;
    // Alembic's message when none is given.
    let message = args.message.as_deref().unwrap_or("empty message");
    let mut new = NewRevision {
        revises: ids(graph, &parents),
        depends_on,
        ..common(graph, message, args.rev_id.as_deref(), &args.branch_label)?
    };
    if args.autogenerate {
        match migrator.autogenerate().map_err(cli_error)? {
            Some(generated) => {
                new.upgrade_sql = generated.upgrade;
                new.downgrade_sql = generated.downgrade;
                new.transactional = generated.transactional;
            }
            None => {
                project.out.log("No changes detected");
                return Ok(());
            }
        }
    }
    // The file is named after the message given: none gives `<id>.sql`.
    let name = args.message.as_deref().unwrap_or("");
    write(project, &dir, name, new)
}

/// `migrate merge -m MSG REV REV...` or `migrate merge -m MSG heads`.
pub fn merge(
    project: &Project,
    message: &str,
    revisions: &[String],
    rev_id: Option<&str>,
    branch_labels: &[String],
) -> Result<()> {
    let graph = project.graph()?;
    let mut nodes: Vec<Node> = if revisions == ["heads"] {
        graph.heads()
    } else {
        revisions
            .iter()
            .map(|raw| resolve_one(&graph, raw))
            .collect::<Result<_>>()?
    };
    nodes.sort_unstable();
    nodes.dedup();
    if nodes.len() < 2 {
        anyhow::bail!(
            "nothing to merge: a merge needs two or more distinct revisions (got {})",
            super::report::id_list(&graph, &nodes)
        );
    }
    for &node in &nodes {
        let ancestors = graph.lineage_down(&[node]);
        if let Some(&other) = nodes.iter().find(|&&o| o != node && ancestors[o]) {
            anyhow::bail!(
                "revision {} is already an ancestor of {}; merge heads of different branches",
                graph.id(other),
                graph.id(node)
            );
        }
    }
    let dir = directory(project, &graph, &nodes, None)?;
    let new = NewRevision {
        revises: ids(&graph, &nodes),
        ..common(&graph, message, rev_id, branch_labels)?
    };
    write(project, &dir, message, new)
}

/// The fields every new revision shares: id, message, labels, creation time.
fn common(
    graph: &RevisionGraph,
    message: &str,
    rev_id: Option<&str>,
    branch_labels: &[String],
) -> Result<NewRevision> {
    // A terminal escape would land raw in the file header and in every listing of it.
    if message
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(UsageError(format!(
            "--message: {} holds a control character",
            crate::echo::quote(message)
        ))
        .into());
    }
    let id = match rev_id {
        Some(raw) => RevisionId::parse(raw).map_err(|e| UsageError(format!("--rev-id: {e}")))?,
        None => RevisionId::generate(),
    };
    if let Some(existing) = graph.node(&id) {
        anyhow::bail!(
            "revision id {id} already exists ({})",
            graph.revision(existing).path.display()
        );
    }
    for label in branch_labels {
        file::validate_label(label).map_err(|e| UsageError(format!("--branch-label: {e}")))?;
        if let Some(node) = graph.label(label) {
            anyhow::bail!(
                "branch label '{label}' is already used by revision {}",
                graph.id(node)
            );
        }
    }
    Ok(NewRevision {
        id: Some(id),
        message: message.trim().to_string(),
        branch_labels: branch_labels.to_vec(),
        created: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S+00:00")
            .to_string(),
        transactional: true,
        ..NewRevision::default()
    })
}

/// The migrations directory a new revision on `parents` goes into, as Alembic picks its
/// version location: `--version-path` (which must be one of the configured
/// directories), else the only directory, else the directory of the first parent.
fn directory(
    project: &Project,
    graph: &RevisionGraph,
    parents: &[Node],
    version_path: Option<&Path>,
) -> Result<PathBuf> {
    let dirs = &project.settings.migrations_dirs;
    if let Some(given) = version_path {
        // As written in config.toml (relative to its directory) or from here.
        let candidates = [project.settings.base_dir.join(given), absolute(given)];
        return dirs
            .iter()
            .find(|dir| candidates.iter().any(|c| same_dir(c, dir)))
            .cloned()
            .ok_or_else(|| {
                UsageError(format!(
                    "--version-path {} is not one of the migrations directories ({})",
                    crate::echo::quote(&given.display().to_string()),
                    project.settings.migrations_shown()
                ))
                .into()
            });
    }
    if let [only] = dirs.as_slice() {
        return Ok(only.clone());
    }
    match parents.first() {
        Some(&parent) => Ok(graph
            .revision(parent)
            .path
            .parent()
            .map_or_else(|| dirs[0].clone(), Path::to_path_buf)),
        None => Err(UsageError(format!(
            "several migrations directories are configured ({}): pass --version-path DIR to say which one the new revision goes into",
            project.settings.migrations_shown()
        ))
        .into()),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether two paths name the same directory (compared canonically when both exist).
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => absolute(a) == absolute(b),
    }
}

/// Writes the file into `dir`, named after `id` and `name` (never overwriting), and
/// prints its path on stdout.
fn write(project: &Project, dir: &Path, name: &str, new: NewRevision) -> Result<()> {
    let id = new.id.clone().expect("common() always sets the id");
    let path = dir.join(file::file_name(&id, name));
    let text = file::render(&id, &new);
    let mut handle = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    std::io::Write::write_all(&mut handle, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    project
        .out
        .log(&format!("Generating {} ... done", path.display()));
    super::emit(&format!("{}\n", path.display()));
    Ok(())
}

fn resolve_one(graph: &RevisionGraph, raw: &str) -> Result<Node> {
    let target = parse_target(raw)?;
    match graph.resolve(&target, &Current::default())?.as_slice() {
        [node] => Ok(*node),
        [] => anyhow::bail!("'{raw}' names no revision"),
        many => anyhow::bail!(
            "'{raw}' names several revisions: {}",
            super::report::id_list(graph, many)
        ),
    }
}

fn ids(graph: &RevisionGraph, nodes: &[Node]) -> Vec<RevisionId> {
    nodes.iter().map(|&n| graph.id(n).clone()).collect()
}
