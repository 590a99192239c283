//! `revision` and `merge`: write a new revision file.

use super::{parse_target, Project, UsageError};
use crate::cli::RevisionArgs;
use crate::revision::file::{self, NewRevision};
use crate::revision::graph::{Node, RevisionGraph};
use crate::revision::plan::Current;
use crate::revision::RevisionId;
use anyhow::{Context, Result};

/// `migrate revision -m MSG [--rev-id] [--head [--splice]] [--branch-label] [--depends-on]`.
pub fn revision(project: &Project, args: &RevisionArgs) -> Result<()> {
    let graph = project.graph()?;
    let parents = match args.head.as_deref() {
        Some("base") => Vec::new(),
        Some(head) => {
            let node = resolve_one(&graph, head)?;
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
                super::report::id_list(&graph, heads)
            ),
        },
    };
    let depends_on = args
        .depends_on
        .iter()
        .filter(|raw| !raw.trim().is_empty())
        .map(|raw| resolve_one(&graph, raw.trim()).map(|n| graph.id(n).clone()))
        .collect::<Result<Vec<_>>>()?;
    let mut new = NewRevision {
        revises: ids(&graph, &parents),
        depends_on,
        ..common(
            &graph,
            &args.message,
            args.rev_id.as_deref(),
            &args.branch_label,
        )?
    };
    if args.autogenerate {
        match super::autogenerate::sections(project, &graph)? {
            Some((upgrade, downgrade, transactional)) => {
                new.upgrade_sql = upgrade;
                new.downgrade_sql = downgrade;
                new.transactional = transactional;
            }
            None => return Ok(()),
        }
    }
    write(project, new)
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
    let new = NewRevision {
        revises: ids(&graph, &nodes),
        ..common(&graph, message, rev_id, branch_labels)?
    };
    write(project, new)
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

/// Writes the file (never overwriting) and prints its path on stdout.
fn write(project: &Project, new: NewRevision) -> Result<()> {
    let id = new.id.clone().expect("common() always sets the id");
    let path = project
        .settings
        .migrations_dir
        .join(file::file_name(&id, &new.message));
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
