//! Graph building, indexes and validation errors, on literal graphs.

use super::{GraphError, Node, RevisionGraph};
use crate::revision::{HeaderLines, Revision, RevisionId, Section};
use std::path::PathBuf;

fn ids(text: &str) -> Vec<RevisionId> {
    text.split_whitespace()
        .map(|s| RevisionId::parse(s).expect("fixture ids are valid"))
        .collect()
}

/// A revision `id` revising the space-separated `revises`, in `migrations/<id>_m.sql` with
/// headers on lines 1 (revision), 2 (revises), 3 (depends_on) and 4 (branch_labels).
pub(crate) fn rev(id: &str, revises: &str) -> Revision {
    Revision {
        id: RevisionId::parse(id).expect("fixture ids are valid"),
        revises: ids(revises),
        depends_on: Vec::new(),
        branch_labels: Vec::new(),
        message: format!("m {id}"),
        created: None,
        transactional: true,
        upgrade: Section::default(),
        downgrade: Section::default(),
        path: PathBuf::from(format!("migrations/{id}_m.sql")),
        lines: HeaderLines {
            revision: 1,
            revises: 2,
            depends_on: 3,
            branch_labels: 4,
        },
    }
}

/// Fixture tweaks.
pub(crate) trait Tweak {
    fn depends(self, ids: &str) -> Self;
    fn labels(self, labels: &str) -> Self;
}

impl Tweak for Revision {
    fn depends(mut self, text: &str) -> Self {
        self.depends_on = ids(text);
        self
    }
    fn labels(mut self, labels: &str) -> Self {
        self.branch_labels = labels.split_whitespace().map(str::to_string).collect();
        self
    }
}

pub(crate) fn build(revisions: Vec<Revision>) -> RevisionGraph {
    RevisionGraph::build(revisions).expect("fixture graph is valid")
}

/// The ids of `nodes`, space-separated.
pub(crate) fn names(graph: &RevisionGraph, nodes: &[Node]) -> String {
    let ids: Vec<&str> = nodes.iter().map(|&x| graph.id(x).as_str()).collect();
    ids.join(" ")
}

fn n(graph: &RevisionGraph, id: &str) -> Node {
    graph.node(&ids(id)[0]).expect("fixture id exists")
}

fn error(revisions: Vec<Revision>) -> String {
    RevisionGraph::build(revisions)
        .expect_err("fixture graph is invalid")
        .to_string()
}

#[test]
fn empty_graph() {
    let g = build(vec![]);
    assert!(g.is_empty());
    assert_eq!(g.len(), 0);
    assert!(g.heads().is_empty() && g.bases().is_empty() && g.newest_first().is_empty());
}

#[test]
fn linear_graph() {
    let g = build(vec![rev("a", ""), rev("b", "a"), rev("c", "b")]);
    assert_eq!(names(&g, &g.heads()), "c");
    assert_eq!(names(&g, &g.bases()), "a");
    assert!(g.branch_points().is_empty());
    assert_eq!(names(&g, g.children(n(&g, "a"))), "b");
    assert_eq!(names(&g, g.parents(n(&g, "c"))), "b");
    assert_eq!(names(&g, &g.newest_first()), "c b a");
    assert_eq!(names(&g, g.oldest_first()), "a b c");
    assert_eq!(g.id(n(&g, "b")).as_str(), "b");
    assert_eq!(g.revisions().len(), 3);
    assert_eq!(g.revision(n(&g, "c")).message, "m c");
    assert_eq!(g.node(&ids("zz")[0]), None);
}

#[test]
fn branches_and_merge() {
    // a - b - d - e
    //   \ c /
    //     \ f
    let g = build(vec![
        rev("a", ""),
        rev("b", "a"),
        rev("c", "a"),
        rev("d", "b c"),
        rev("e", "d"),
        rev("f", "c"),
    ]);
    assert_eq!(names(&g, &g.heads()), "e f");
    assert_eq!(names(&g, &g.bases()), "a");
    assert_eq!(names(&g, &g.branch_points()), "a c");
    assert_eq!(names(&g, g.children(n(&g, "c"))), "d f");
    assert_eq!(names(&g, g.parents(n(&g, "d"))), "b c");
    assert_eq!(names(&g, &g.newest_first()), "f e d c b a");
    assert_eq!(names(&g, g.oldest_first()), "a b c d e f");
    for (i, &x) in g.oldest_first().iter().enumerate() {
        assert_eq!(g.topo_rank(x), i);
    }
}

#[test]
fn parents_keep_header_order_and_children_sort_by_id() {
    let g = build(vec![
        rev("z", ""),
        rev("y", ""),
        rev("m", "z y"),
        rev("k", "z"),
    ]);
    assert_eq!(names(&g, g.parents(n(&g, "m"))), "z y");
    assert_eq!(names(&g, g.children(n(&g, "z"))), "k m");
    assert_eq!(names(&g, &g.bases()), "y z");
}

#[test]
fn newest_first_ties_follow_ids_not_file_order() {
    // Two independent bases: the oldest-first order places the smaller id first.
    let g = build(vec![rev("b2", ""), rev("a1", ""), rev("c3", "b2")]);
    assert_eq!(names(&g, g.oldest_first()), "a1 b2 c3");
    assert_eq!(names(&g, &g.newest_first()), "c3 b2 a1");
}

#[test]
fn dependencies_across_branches() {
    // a - b        c depends on b; d depends on b and a (a also its parent)
    //   \ c - d
    let g = build(vec![
        rev("a", ""),
        rev("b", "a"),
        rev("c", "a").depends("b"),
        rev("d", "c").depends("b a"),
    ]);
    assert_eq!(names(&g, g.dependencies(n(&g, "d"))), "b a");
    assert_eq!(names(&g, g.dependents(n(&g, "b"))), "c d");
    assert_eq!(names(&g, g.requires(n(&g, "d"))), "c b a");
    assert_eq!(names(&g, g.required_by(n(&g, "b"))), "c d");
    assert_eq!(names(&g, g.required_by(n(&g, "a"))), "b c d");
    // depends_on does not make b a non-head
    assert_eq!(names(&g, &g.heads()), "b d");
    assert_eq!(names(&g, g.oldest_first()), "a b c d");
    let up = g.ancestors_or_self(&[n(&g, "c")]);
    assert_eq!(up, vec![true, true, true, false]);
    let down = g.descendants_or_self(&[n(&g, "b")]);
    assert_eq!(down, vec![false, true, true, true]);
}

#[test]
fn repeated_ids_in_headers_collapse() {
    let g = build(vec![rev("a", ""), rev("b", "a a").depends("a")]);
    assert_eq!(names(&g, g.parents(n(&g, "b"))), "a");
    assert_eq!(names(&g, g.requires(n(&g, "b"))), "a");
    assert_eq!(names(&g, g.required_by(n(&g, "a"))), "b");
}

#[test]
fn labels_and_prefixes() {
    let g = build(vec![
        rev("abcd01", "").labels("core"),
        rev("abcd02", "abcd01"),
        rev("abce03", "abcd01").labels("shop shop my-shop"),
    ]);
    assert_eq!(g.label("core"), Some(n(&g, "abcd01")));
    assert_eq!(g.label("my-shop"), Some(n(&g, "abce03")));
    assert_eq!(g.label("shop"), Some(n(&g, "abce03")));
    assert_eq!(g.label("nope"), None);
    assert_eq!(names(&g, &g.with_prefix("abcd")), "abcd01 abcd02");
    assert_eq!(names(&g, &g.with_prefix("abc")), "abcd01 abcd02 abce03");
    assert_eq!(names(&g, &g.with_prefix("abce03")), "abce03");
    assert!(g.with_prefix("abcf").is_empty());
}

#[test]
fn duplicate_id_names_both_files() {
    let e = error(vec![rev("a", ""), rev("b", "a"), rev("a", "b")]);
    assert_eq!(
        e,
        "migrations/a_m.sql:1: duplicate revision id a (also in migrations/a_m.sql:1)"
    );
    let mut second = rev("a", "");
    second.path = PathBuf::from("migrations/a_copy.sql");
    second.lines.revision = 7;
    assert_eq!(
        RevisionGraph::build(vec![rev("a", ""), second]).unwrap_err(),
        GraphError::Duplicate {
            id: ids("a")[0].clone(),
            location: "migrations/a_copy.sql:7".into(),
            other: "migrations/a_m.sql:1".into(),
        }
    );
}

#[test]
fn unknown_parent_or_dependency_names_header_and_line() {
    assert_eq!(
        error(vec![rev("a", ""), rev("b", "x")]),
        "migrations/b_m.sql:2: revision b revises unknown revision x"
    );
    assert_eq!(
        error(vec![rev("a", ""), rev("b", "a").depends("a y")]),
        "migrations/b_m.sql:3: revision b depends_on unknown revision y"
    );
}

#[test]
fn cycles_name_their_ids() {
    assert_eq!(
        error(vec![rev("a", "a")]),
        "migrations/a_m.sql:2: revision a is part of a cycle: a revises a"
    );
    assert_eq!(
        error(vec![rev("base", ""), rev("c", "b"), rev("b", "a"), rev("a", "c")]),
        "migrations/a_m.sql:2: revision a is part of a cycle: a revises c, c revises b, b revises a"
    );
    // through depends_on, with a node downstream of the cycle that is not on it
    assert_eq!(
        error(vec![
            rev("r", ""),
            rev("s", "r").depends("t"),
            rev("t", "r").depends("s"),
            rev("u", "t"),
        ]),
        "migrations/s_m.sql:3: revision s is part of a cycle: s depends_on t, t depends_on s"
    );
    let e = RevisionGraph::build(vec![rev("p", "q"), rev("q", "").depends("p")]).unwrap_err();
    assert_eq!(
        e,
        GraphError::Cycle {
            id: ids("p")[0].clone(),
            location: "migrations/p_m.sql:2".into(),
            cycle: "p revises q, q depends_on p".into(),
        }
    );
}

#[test]
fn label_errors() {
    assert_eq!(
        error(vec![rev("a", "").labels("x"), rev("b", "a").labels("y x")]),
        "migrations/b_m.sql:4: branch label 'x' is already used by revision a"
    );
    assert_eq!(
        error(vec![rev("a", ""), rev("b", "a").labels("a")]),
        "migrations/b_m.sql:4: branch label 'a' is also the id of revision a"
    );
}

/// `r00000` to `r09999`: revision i revises `parent(i)`, then `extra` adds edges to it.
fn ten_thousand(
    parent: impl Fn(usize) -> usize,
    extra: impl Fn(usize, &mut Revision),
) -> Vec<Revision> {
    let id = |i: usize| format!("r{i:05}");
    let mut revisions = vec![rev(&id(0), "")];
    for i in 1..10_000 {
        let mut r = rev(&id(i), &id(parent(i)));
        extra(i, &mut r);
        revisions.push(r);
    }
    revisions
}

/// The id of revision i of [`ten_thousand`].
fn nth(i: usize) -> RevisionId {
    RevisionId::parse(&format!("r{i:05}")).expect("fixture ids are valid")
}

/// Plans `g` from empty up to `target`, then from all it reached down to base; says how
/// long both took, and checks each plan runs every revision.
fn plan_up_and_down(
    g: &RevisionGraph,
    target: crate::revision::target::Target,
) -> std::time::Duration {
    use crate::revision::plan::Current;
    let start = std::time::Instant::now();
    let up = g
        .plan_upgrade(&Current::default(), &target)
        .expect("upgrade plans");
    let rows = Current {
        rows: g.real_heads().iter().map(|&h| g.id(h).clone()).collect(),
    };
    let down = g
        .plan_downgrade(&rows, &crate::revision::target::Target::Base)
        .expect("downgrade plans");
    let elapsed = start.elapsed();
    assert_eq!((up.len(), down.len()), (g.len(), g.len()));
    eprintln!(
        "planned {} revisions, {} heads, up and down in {elapsed:?}",
        g.len(),
        rows.rows.len()
    );
    elapsed
}

#[test]
fn builds_and_plans_ten_thousand_revisions_with_a_thousand_heads() {
    // A long trunk with a short branch every 10 revisions and a merge every 100.
    let revisions = ten_thousand(
        |i| if i % 10 == 0 { i - 10 } else { i - 1 },
        |i, r| {
            if i % 100 == 5 {
                r.revises.push(nth(i - 5));
            }
            if i % 50 == 7 && i > 20 {
                r.depends_on.push(nth(i - 20));
            }
        },
    );
    let start = std::time::Instant::now();
    let g = build(revisions);
    let elapsed = start.elapsed();
    assert_eq!(g.len(), 10_000);
    assert!(!g.heads().is_empty());
    // Timed by benches/run.sh (graph load), not here: a loaded machine is no verdict.
    eprintln!("built 10,000 revisions in {elapsed:?}");

    // ~1,000 heads: Alembic's order and row updates cost O(heads x n) here
    plan_up_and_down(&g, crate::revision::target::Target::Heads);
}

#[test]
fn plans_ten_thousand_revisions_in_one_line() {
    // one line, with a dependency 150 revisions back every 100
    let g = build(ten_thousand(
        |i| i - 1,
        |i, r| {
            if i % 100 == 5 && i > 200 {
                r.depends_on.push(nth(i - 150));
            }
        },
    ));
    plan_up_and_down(&g, crate::revision::target::Target::Head);
}
