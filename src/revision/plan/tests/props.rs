//! Property tests over random DAGs: plans are topological, keep the version rows in step
//! with the applied set, and downgrades revert exactly what requires a child of their
//! target (Alembic's rule: a revision that only depends on the target stays).
//!
//! Expected sets are computed here from the generated DAG, not through the graph's own
//! closure functions.
// Index loops read best over the adjacency matrices built here.
#![allow(clippy::needless_range_loop)]

use crate::revision::graph::tests::{build, rev, Tweak};
use crate::revision::graph::{Node, RevisionGraph};
use crate::revision::plan::{Current, Direction, Step};
use crate::revision::target::Target;
use crate::revision::RevisionId;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::BTreeSet;

/// A random DAG in generation order: node i revises and depends on earlier nodes only,
/// and none of the nodes it names requires another of them.
#[derive(Debug, Clone)]
struct Dag {
    ids: Vec<String>,
    parents: Vec<Vec<usize>>,
    deps: Vec<Vec<usize>>,
    labelled: Vec<bool>,
}

impl Dag {
    /// `anc[i][j]`: j is i or something i requires, transitively (by brute force).
    fn ancestors(&self) -> Vec<Vec<bool>> {
        let n = self.ids.len();
        let mut anc = vec![vec![false; n]; n];
        for i in 0..n {
            anc[i][i] = true;
            for &p in self.parents[i].iter().chain(&self.deps[i]) {
                for j in 0..n {
                    if anc[p][j] {
                        anc[i][j] = true;
                    }
                }
            }
        }
        anc
    }
    fn graph(&self) -> RevisionGraph {
        let mut revisions: Vec<_> = (0..self.ids.len())
            .map(|i| {
                let names = |xs: &[usize]| {
                    let ids: Vec<&str> = xs.iter().map(|&x| self.ids[x].as_str()).collect();
                    ids.join(" ")
                };
                let r = rev(&self.ids[i], &names(&self.parents[i])).depends(&names(&self.deps[i]));
                if self.labelled[i] {
                    r.labels(&format!("l-{}", self.ids[i]))
                } else {
                    r
                }
            })
            .collect();
        // as the loader gives them: sorted by file name
        revisions.sort_by(|a, b| a.path.cmp(&b.path));
        build(revisions)
    }
}

fn dag() -> impl Strategy<Value = Dag> {
    (1usize..=40)
        .prop_flat_map(|n| {
            (
                vec((vec(any::<Index>(), 0..=3), vec(any::<Index>(), 0..=2)), n),
                vec(any::<u16>(), n),
            )
        })
        .prop_map(|(choices, keys)| {
            let n = keys.len();
            let mut parents: Vec<Vec<usize>> = Vec::with_capacity(n);
            let mut deps: Vec<Vec<usize>> = Vec::with_capacity(n);
            // anc[i][j]: j is an ancestor-or-self of i
            let mut anc: Vec<Vec<bool>> = Vec::with_capacity(n);
            for (i, (ps, ds)) in choices.into_iter().enumerate() {
                let mut mine = vec![false; n];
                mine[i] = true;
                // what one revision names never requires itself another named revision:
                // Alembic cannot record such a merge in its version table
                let related = |x: usize, named: &[usize], anc: &[Vec<bool>]| {
                    named.iter().any(|&y| anc[x][y] || anc[y][x])
                };
                let mut p: Vec<usize> = Vec::new();
                if i > 0 {
                    for idx in ps {
                        let x = idx.index(i);
                        if !related(x, &p, &anc) {
                            p.push(x);
                        }
                    }
                }
                for &x in &p {
                    for j in 0..n {
                        mine[j] |= anc[x][j];
                    }
                }
                let mut d: Vec<usize> = Vec::new();
                for idx in ds {
                    let named: Vec<usize> = p.iter().chain(&d).copied().collect();
                    let candidates: Vec<usize> = (0..i)
                        .filter(|&x| !mine[x] && !related(x, &named, &anc))
                        .collect();
                    if candidates.is_empty() {
                        break;
                    }
                    let x = candidates[idx.index(candidates.len())];
                    d.push(x);
                    for j in 0..n {
                        mine[j] |= anc[x][j];
                    }
                }
                parents.push(p);
                deps.push(d);
                anc.push(mine);
            }
            let ids = keys
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k:04x}{i:02}"))
                .collect();
            let labelled = keys.iter().map(|k| k % 4 == 0).collect();
            Dag {
                ids,
                parents,
                deps,
                labelled,
            }
        })
}

/// A database simulated by running each step's version update.
struct Sim<'g> {
    g: &'g RevisionGraph,
    rows: BTreeSet<RevisionId>,
    applied: Vec<bool>,
}

impl<'g> Sim<'g> {
    fn new(g: &'g RevisionGraph) -> Self {
        Sim {
            g,
            rows: BTreeSet::new(),
            applied: vec![false; g.len()],
        }
    }
    fn current(&self) -> Current {
        Current {
            rows: self.rows.iter().cloned().collect(),
        }
    }
    /// Runs `steps`, checking each is legal and that the rows describe the applied set.
    fn run(&mut self, steps: &[Step]) -> Result<(), TestCaseError> {
        let g = self.g;
        for step in steps {
            let node = step.node;
            match step.direction {
                Direction::Upgrade => {
                    prop_assert!(!self.applied[node], "{} applied twice", g.id(node));
                    for &r in g.requires(node) {
                        prop_assert!(self.applied[r], "{} before {}", g.id(node), g.id(r));
                    }
                    prop_assert_eq!(&step.version.insert, &vec![g.id(node).clone()]);
                    self.applied[node] = true;
                }
                Direction::Downgrade => {
                    prop_assert!(self.applied[node], "{} not applied", g.id(node));
                    for &r in g.required_by(node) {
                        prop_assert!(!self.applied[r], "{} before {}", g.id(node), g.id(r));
                    }
                    prop_assert_eq!(&step.version.delete, &vec![g.id(node).clone()]);
                    self.applied[node] = false;
                }
            }
            for id in &step.version.delete {
                prop_assert!(self.rows.remove(id), "deleting absent row {}", id);
            }
            for id in &step.version.insert {
                prop_assert!(self.rows.insert(id.clone()), "inserting present row {}", id);
            }
            // the rows describe the applied set; like Alembic's they need not be minimal
            // (reverting a revision whose parent is an ancestor of its dependency restores both)
            prop_assert_eq!(&g.applied(&self.current()).unwrap(), &self.applied);
        }
        Ok(())
    }
    fn upgrade(&mut self, target: &Target) -> Result<Vec<Step>, TestCaseError> {
        let steps = self
            .g
            .plan_upgrade(&self.current(), target)
            .map_err(|e| TestCaseError::fail(format!("upgrade {target}: {e}")))?;
        self.run(&steps)?;
        Ok(steps)
    }
    fn downgrade(&mut self, target: &Target) -> Result<Vec<Step>, TestCaseError> {
        let steps = self
            .g
            .plan_downgrade(&self.current(), target)
            .map_err(|e| TestCaseError::fail(format!("downgrade {target}: {e}")))?;
        self.run(&steps)?;
        Ok(steps)
    }
}

/// The graph node of generated node `i`.
fn node(g: &RevisionGraph, dag: &Dag, i: usize) -> Node {
    g.node(&RevisionId::parse(&dag.ids[i]).unwrap()).unwrap()
}

fn rev_target(dag: &Dag, i: usize) -> Target {
    Target::Rev(dag.ids[i].clone())
}

/// Checks that a downgrade plan never reverts a revision before one that requires it,
/// using the generated edges.
fn check_reverse_topological(
    g: &RevisionGraph,
    dag: &Dag,
    steps: &[Step],
) -> Result<(), TestCaseError> {
    let position = |i: usize| steps.iter().position(|s| s.node == node(g, dag, i));
    for i in 0..dag.ids.len() {
        for &r in dag.parents[i].iter().chain(&dag.deps[i]) {
            if let (Some(pi), Some(pr)) = (position(i), position(r)) {
                prop_assert!(pi < pr, "{} reverted after {}", dag.ids[i], dag.ids[r]);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// (1) + (2): upgrading to heads from empty applies each revision once, in a
    /// topological order, and keeps the rows right after each step.
    #[test]
    fn upgrade_heads_is_a_topological_order(dag in dag()) {
        let g = dag.graph();
        let mut sim = Sim::new(&g);
        let steps = sim.upgrade(&Target::Heads)?;
        prop_assert_eq!(steps.len(), g.len());
        let position = |i: usize| steps.iter().position(|s| s.node == node(&g, &dag, i)).unwrap();
        for i in 0..dag.ids.len() {
            for &r in dag.parents[i].iter().chain(&dag.deps[i]) {
                prop_assert!(position(r) < position(i));
            }
        }
        prop_assert!(sim.applied.iter().all(|&a| a));
        // one row per revision nothing revises nor depends on
        let mut heads: Vec<RevisionId> = g.real_heads().iter().map(|&h| g.id(h).clone()).collect();
        heads.sort();
        prop_assert_eq!(sim.current().rows, heads);
        // newest_first is a reverse topological order of every node
        let newest = g.newest_first();
        prop_assert_eq!(newest.len(), g.len());
        for (i, &x) in newest.iter().enumerate() {
            for &r in g.requires(x) {
                prop_assert!(newest[i + 1..].contains(&r));
            }
        }
        // nothing left to do
        prop_assert!(g.plan_upgrade(&sim.current(), &Target::Heads).unwrap().is_empty());
    }

    /// (3a): up to a random revision applies exactly what it requires; down to base empties.
    #[test]
    fn upgrade_to_revision_then_base(dag in dag(), pick in any::<Index>()) {
        let g = dag.graph();
        let anc = dag.ancestors();
        let x = pick.index(dag.ids.len());
        let mut sim = Sim::new(&g);
        sim.upgrade(&rev_target(&dag, x))?;
        for j in 0..dag.ids.len() {
            prop_assert_eq!(sim.applied[node(&g, &dag, j)], anc[x][j], "{}", dag.ids[j]);
        }
        let steps = sim.downgrade(&Target::Base)?;
        check_reverse_topological(&g, &dag, &steps)?;
        prop_assert!(sim.rows.is_empty());
        prop_assert!(sim.applied.iter().all(|&a| !a));
    }

    /// (3b) + (4): from heads, down to a random revision T reverts exactly the revisions
    /// that require a child of T, in a reverse topological order.
    #[test]
    fn downgrade_to_revision_keeps_ancestors_and_unrelated(dag in dag(), pick in any::<Index>()) {
        let g = dag.graph();
        let anc = dag.ancestors();
        let t = pick.index(dag.ids.len());
        let mut sim = Sim::new(&g);
        sim.upgrade(&Target::Heads)?;
        let target = node(&g, &dag, t);
        if g.children(target).is_empty() && !sim.rows.contains(g.id(target)) {
            // nothing revises T and it is no row: Alembic finds nothing to drop and refuses
            prop_assert!(g.plan_downgrade(&sim.current(), &rev_target(&dag, t)).is_err());
            return Ok(());
        }
        let steps = sim.downgrade(&rev_target(&dag, t))?;
        check_reverse_topological(&g, &dag, &steps)?;
        for j in 0..dag.ids.len() {
            let above_child = (0..dag.ids.len()).any(|c| dag.parents[c].contains(&t) && anc[j][c]);
            prop_assert_eq!(sim.applied[node(&g, &dag, j)], !above_child, "{}", dag.ids[j]);
        }
        // downgrading again to the same revision is a no-op
        // (or refused when T is no row and nothing applied revises it, as in Alembic)
        if let Ok(again) = g.plan_downgrade(&sim.current(), &rev_target(&dag, t)) {
            prop_assert!(again.is_empty());
        }
    }

    /// Random walks through every target form: successful plans keep the invariant,
    /// stamps give normalised rows, and failures are errors, never panics.
    #[test]
    fn random_operations_keep_rows_consistent(
        dag in dag(),
        ops in vec((0u8..3, 0u8..8, any::<Index>(), 1i64..4), 1..8),
    ) {
        let g = dag.graph();
        let anc = dag.ancestors();
        let mut sim = Sim::new(&g);
        for (op, form, pick, k) in ops {
            let i = pick.index(dag.ids.len());
            let id = dag.ids[i].clone();
            let target = match form {
                0 => Target::Head,
                1 => Target::Heads,
                2 => Target::Base,
                3 => Target::Rev(id),
                4 => Target::Relative(if op == 0 { k } else { -k }),
                5 => Target::RevRelative(id, if k % 2 == 0 { k / 2 } else { -k }),
                6 => Target::LabelHead(if dag.labelled[i] { format!("l-{id}") } else { id }),
                _ => Target::LabelBase(if dag.labelled[i] { format!("l-{id}") } else { id }),
            };
            match op {
                0 => {
                    if let Ok(steps) = g.plan_upgrade(&sim.current(), &target) {
                        sim.run(&steps)?;
                        if let Target::Rev(_) = target {
                            prop_assert!(sim.applied[node(&g, &dag, i)]);
                        }
                    }
                }
                1 => {
                    if let Ok(steps) = g.plan_downgrade(&sim.current(), &target) {
                        check_reverse_topological(&g, &dag, &steps)?;
                        sim.run(&steps)?;
                        if let Target::Rev(_) = target {
                            for j in 0..dag.ids.len() {
                                let above_child = (0..dag.ids.len())
                                    .any(|c| dag.parents[c].contains(&i) && anc[j][c]);
                                prop_assert!(!(above_child && sim.applied[node(&g, &dag, j)]));
                            }
                            prop_assert!(sim.applied[node(&g, &dag, i)]);
                        }
                    }
                }
                _ => {
                    if let Ok(rows) = g.plan_stamp(&sim.current(), &target, k == 1) {
                        let current = Current { rows: rows.clone() };
                        let applied = g.applied(&current).unwrap();
                        if let Target::Rev(_) = target {
                            prop_assert!(applied[node(&g, &dag, i)]);
                        }
                        sim.rows = rows.into_iter().collect();
                        sim.applied = applied;
                    }
                }
            }
            let _ = g.resolve(&target, &sim.current());
        }
    }
}
