//! How revisions are written on stdout: one-line (`history`, `heads`, `current`) and
//! verbose (`-v`, `show`) forms, as Alembic prints them.

use crate::revision::graph::{Node, RevisionGraph};
use std::fmt::Write as _;

/// Which decorations a one-line entry carries.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    /// `<parents> -> ` before the id.
    pub parents: bool,
    /// `, <message>` after the flags.
    pub message: bool,
    /// `(branchpoint)` / `(mergepoint)` besides `(head)`.
    pub tree: bool,
    /// `(current)` when the node is one of these rows.
    pub current: bool,
}

/// `a, b, c`: the ids of `nodes`.
pub fn id_list(graph: &RevisionGraph, nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|&n| graph.id(n).as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tags after an id: labels, `(head)`, and with `tree` `(branchpoint)`/`(mergepoint)`.
fn tags(graph: &RevisionGraph, node: Node, flags: Flags) -> String {
    let revision = graph.revision(node);
    let mut tags = String::new();
    if !revision.branch_labels.is_empty() {
        let _ = write!(tags, " ({})", revision.branch_labels.join(", "));
    }
    if graph.children(node).is_empty() {
        tags.push_str(" (head)");
    }
    // After `(head)`, as Alembic's `_head_only`.
    if flags.current {
        tags.push_str(" (current)");
    }
    if flags.tree {
        if graph.children(node).len() > 1 {
            tags.push_str(" (branchpoint)");
        }
        if graph.parents(node).len() > 1 {
            tags.push_str(" (mergepoint)");
        }
    }
    tags
}

/// `ae1027a6acf0 -> 27c6a30d7c24 (head), add email index` and its shorter forms.
pub fn line(graph: &RevisionGraph, node: Node, flags: Flags) -> String {
    let revision = graph.revision(node);
    let mut text = String::new();
    if flags.parents {
        let parents = graph.parents(node);
        if parents.is_empty() {
            text.push_str("<base>");
        } else {
            text.push_str(&id_list(graph, parents));
        }
        text.push_str(" -> ");
    }
    text.push_str(revision.id.as_str());
    text.push_str(&tags(graph, node, flags));
    if flags.message {
        let _ = write!(text, ", {}", revision.message);
    }
    text
}

/// The multi-line form of `-v` and `show`.
pub fn verbose(graph: &RevisionGraph, node: Node, flags: Flags) -> String {
    let revision = graph.revision(node);
    let mut text = format!("Rev: {}{}\n", revision.id, tags(graph, node, flags));
    let parents = graph.parents(node);
    match parents.len() {
        0 => text.push_str("Parent: <base>\n"),
        1 => {
            let _ = writeln!(text, "Parent: {}", id_list(graph, parents));
        }
        _ => {
            let _ = writeln!(text, "Merges: {}", id_list(graph, parents));
        }
    }
    if !graph.dependencies(node).is_empty() {
        let _ = writeln!(
            text,
            "Also depends on: {}",
            id_list(graph, graph.dependencies(node))
        );
    }
    if graph.children(node).len() > 1 {
        let _ = writeln!(
            text,
            "Branches into: {}",
            id_list(graph, graph.children(node))
        );
    }
    if !revision.branch_labels.is_empty() {
        let _ = writeln!(text, "Branch names: {}", revision.branch_labels.join(", "));
    }
    if !revision.transactional {
        text.push_str("Transaction: none\n");
    }
    let _ = writeln!(text, "Path: {}", revision.path.display());
    let _ = writeln!(text, "\n    {}\n", revision.message);
    let _ = writeln!(text, "    Revision ID: {}", revision.id);
    let _ = writeln!(
        text,
        "    Revises: {}",
        revision
            .revises
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        text,
        "    Create Date: {}",
        revision.created.as_deref().unwrap_or("")
    );
    text
}
