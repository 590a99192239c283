//! The revision graph, indexed once: parents, dependencies, children, labels, heads.
//!
//! Two kinds of edges join revisions: `revises` (parent → child) and `depends_on`
//! (dependency → dependent). Together they form the *requires* relation: a revision can be
//! applied only after every revision it requires (its parents and its dependencies), and
//! reverted only after every revision that requires it (its children and its dependents).
//! Heads, bases, branch points and the relative targets `+N`/`-N` look at `revises` only.
//!
//! Everything is computed once in [`RevisionGraph::build`] in O(n log n): no query walks
//! the whole graph again (Alembic's `heads` takes seconds at 10,000 revisions).
//!
//! **Order.** The graph holds one deterministic topological order over requires, oldest
//! first: Kahn's algorithm that, among the revisions whose requirements are all placed,
//! places the one with the smallest id first. It bounds walks ([`RevisionGraph::ancestors_above`]);
//! plans and `history` run in Alembic's own order instead ([`super::order`]).
//!
//! Alembic's view is indexed here too: the *normalized down revisions* of each revision
//! (parents, then the dependencies no ancestor already names) and the *real heads*
//! (revisions nothing revises nor depends on), which its bookkeeping and `heads` target use.

use super::{Revision, RevisionId};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::rc::Rc;

/// Index of a revision inside a [`RevisionGraph`].
pub type Node = usize;

/// A set of revision files that do not form a valid graph. Messages name file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("{location}: duplicate revision id {id} (also in {other})")]
    Duplicate {
        id: RevisionId,
        location: String,
        other: String,
    },
    #[error("{location}: revision {id} {header} unknown revision {missing}")]
    Unknown {
        id: RevisionId,
        location: String,
        header: &'static str,
        missing: RevisionId,
    },
    #[error("{location}: revision {id} is part of a cycle: {cycle}")]
    Cycle {
        id: RevisionId,
        location: String,
        cycle: String,
    },
    #[error("{location}: branch label '{label}' is already used by revision {other}")]
    DuplicateLabel {
        label: String,
        location: String,
        other: RevisionId,
    },
    /// A branch label spelled like an existing revision id would make targets ambiguous.
    #[error("{location}: branch label '{label}' is also the id of revision {label}")]
    LabelIsRevision { label: String, location: String },
}

/// The revision graph: revisions in a vector plus indexes, built once.
#[derive(Debug)]
pub struct RevisionGraph {
    revisions: Vec<Revision>,
    index: HashMap<RevisionId, Node>,
    labels: HashMap<String, Node>,
    /// Every node, sorted by id (for prefix lookups).
    by_id: Vec<Node>,
    /// Header order, duplicates removed.
    parents: Vec<Vec<Node>>,
    /// Header order, duplicates removed.
    dependencies: Vec<Vec<Node>>,
    /// Sorted by id.
    children: Vec<Vec<Node>>,
    /// Sorted by id.
    dependents: Vec<Vec<Node>>,
    /// Parents then dependencies, duplicates removed.
    requires: Vec<Vec<Node>>,
    /// Children and dependents, sorted by id, duplicates removed.
    required_by: Vec<Vec<Node>>,
    /// Parents, then the dependencies no ancestor through `revises` already names.
    down: Vec<Vec<Node>>,
    /// Whether the normalized dependencies are none (some may repeat a parent).
    no_down_deps: Vec<bool>,
    heads: Vec<Node>,
    /// Revisions nothing revises nor depends on, in node order.
    real_heads: Vec<Node>,
    bases: Vec<Node>,
    branch_points: Vec<Node>,
    /// The topological order, oldest first (see the module doc).
    order: Vec<Node>,
    /// `rank[node]` is the position of `node` in `order`.
    rank: Vec<usize>,
}

impl RevisionGraph {
    /// Validates and indexes `revisions` (as loaded, sorted by file name).
    pub fn build(revisions: Vec<Revision>) -> Result<Self, GraphError> {
        let n = revisions.len();
        let mut index = HashMap::with_capacity(n);
        for (node, revision) in revisions.iter().enumerate() {
            if let Some(&first) = index.get(&revision.id) {
                let first: &Revision = &revisions[first];
                return Err(GraphError::Duplicate {
                    id: revision.id.clone(),
                    location: revision.location(revision.lines.revision),
                    other: first.location(first.lines.revision),
                });
            }
            index.insert(revision.id.clone(), node);
        }

        let mut by_id: Vec<Node> = (0..n).collect();
        by_id.sort_by(|&a, &b| revisions[a].id.cmp(&revisions[b].id));
        let mut id_rank = vec![0; n];
        for (position, &node) in by_id.iter().enumerate() {
            id_rank[node] = position;
        }

        let lookup = |revision: &Revision, ids: &[RevisionId], header: &'static str, line| {
            let mut nodes: Vec<Node> = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(&node) = index.get(id) else {
                    return Err(GraphError::Unknown {
                        id: revision.id.clone(),
                        location: revision.location(line),
                        header,
                        missing: id.clone(),
                    });
                };
                if !nodes.contains(&node) {
                    nodes.push(node);
                }
            }
            Ok(nodes)
        };
        let mut parents = Vec::with_capacity(n);
        let mut dependencies = Vec::with_capacity(n);
        for revision in &revisions {
            parents.push(lookup(
                revision,
                &revision.revises,
                "revises",
                revision.lines.revises,
            )?);
            dependencies.push(lookup(
                revision,
                &revision.depends_on,
                "depends_on",
                revision.lines.depends_on,
            )?);
        }

        // Pushing in id order leaves every reverse list sorted by id.
        let mut children = vec![Vec::new(); n];
        let mut dependents = vec![Vec::new(); n];
        for &node in &by_id {
            for &parent in &parents[node] {
                children[parent].push(node);
            }
            for &dependency in &dependencies[node] {
                dependents[dependency].push(node);
            }
        }
        let mut requires = Vec::with_capacity(n);
        let mut required_by = Vec::with_capacity(n);
        for node in 0..n {
            let mut up: Vec<Node> = parents[node].clone();
            up.extend(
                dependencies[node]
                    .iter()
                    .filter(|d| !parents[node].contains(d)),
            );
            requires.push(up);
            let mut down: Vec<Node> = children[node].clone();
            down.extend(&dependents[node]);
            down.sort_by_key(|&x| id_rank[x]);
            down.dedup();
            required_by.push(down);
        }

        let labels = index_labels(&revisions, &index)?;

        let order = topological_order(&requires, &required_by, &id_rank)
            .map_err(|stuck| cycle_error(&revisions, &parents, &requires, &id_rank, &stuck))?;
        let mut rank = vec![0; n];
        for (position, &node) in order.iter().enumerate() {
            rank[node] = position;
        }
        let (down, no_down_deps) = normalized_down(&order, &parents, &dependencies);
        let real_heads = (0..n).filter(|&x| required_by[x].is_empty()).collect();

        let pick =
            |keep: &dyn Fn(Node) -> bool| by_id.iter().copied().filter(|&x| keep(x)).collect();
        let heads = pick(&|x| children[x].is_empty());
        let bases = pick(&|x| parents[x].is_empty());
        let branch_points = pick(&|x| children[x].len() >= 2);

        Ok(RevisionGraph {
            revisions,
            index,
            labels,
            by_id,
            parents,
            dependencies,
            children,
            dependents,
            requires,
            required_by,
            down,
            no_down_deps,
            heads,
            real_heads,
            bases,
            branch_points,
            order,
            rank,
        })
    }
    pub fn len(&self) -> usize {
        self.revisions.len()
    }
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }
    /// The revision at `node`.
    pub fn revision(&self, node: Node) -> &Revision {
        &self.revisions[node]
    }
    /// Every revision, indexed by [`Node`] (in the order given to `build`).
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }
    /// The id of the revision at `node`.
    pub fn id(&self, node: Node) -> &RevisionId {
        &self.revisions[node].id
    }
    /// The node of an exact id.
    pub fn node(&self, id: &RevisionId) -> Option<Node> {
        self.index.get(id).copied()
    }
    /// The revision carrying the branch label `name`.
    pub fn label(&self, name: &str) -> Option<Node> {
        self.labels.get(name).copied()
    }
    /// Every branch label.
    pub fn label_names(&self) -> impl Iterator<Item = &str> {
        self.labels.keys().map(String::as_str)
    }
    /// The nodes whose id starts with `prefix`, sorted by id.
    pub fn with_prefix(&self, prefix: &str) -> Vec<Node> {
        let start = self
            .by_id
            .partition_point(|&x| self.id(x).as_str() < prefix);
        self.by_id[start..]
            .iter()
            .copied()
            .take_while(|&x| self.id(x).as_str().starts_with(prefix))
            .collect()
    }
    /// Heads: revisions no other revision `revises`, sorted by id.
    pub fn heads(&self) -> Vec<Node> {
        self.heads.clone()
    }
    /// Revisions that nothing revises nor depends on (Alembic's `heads` target), in node
    /// order.
    pub fn real_heads(&self) -> &[Node] {
        &self.real_heads
    }
    /// Alembic's normalized down revisions: the parents in header order, then the
    /// dependencies that no ancestor through `revises` names in its own `depends_on`.
    pub fn down(&self, node: Node) -> &[Node] {
        &self.down[node]
    }
    /// Whether `node` has one parent and no normalized dependency: Alembic's plain step
    /// down a line.
    pub fn is_plain_step(&self, node: Node) -> bool {
        self.no_down_deps[node] && self.parents[node].len() == 1
    }
    /// Bases: revisions with an empty `revises`, sorted by id.
    pub fn bases(&self) -> Vec<Node> {
        self.bases.clone()
    }
    /// Branch points: revisions that two or more revisions `revises`, sorted by id.
    pub fn branch_points(&self) -> Vec<Node> {
        self.branch_points.clone()
    }
    /// Children of `node` through `revises` only, sorted by id.
    pub fn children(&self, node: Node) -> &[Node] {
        &self.children[node]
    }
    /// Parents of `node` through `revises` only, in header order.
    pub fn parents(&self, node: Node) -> &[Node] {
        &self.parents[node]
    }
    /// What `node` names in `depends_on`, in header order.
    pub fn dependencies(&self, node: Node) -> &[Node] {
        &self.dependencies[node]
    }
    /// The revisions naming `node` in `depends_on`, sorted by id.
    pub fn dependents(&self, node: Node) -> &[Node] {
        &self.dependents[node]
    }
    /// What must be applied before `node`: its parents, then its dependencies.
    pub fn requires(&self, node: Node) -> &[Node] {
        &self.requires[node]
    }
    /// What must be reverted before `node`: its children and dependents, sorted by id.
    pub fn required_by(&self, node: Node) -> &[Node] {
        &self.required_by[node]
    }
    /// Every node, newest first: a reverse topological order (children and dependents before
    /// parents), deterministic: the exact reverse of [`RevisionGraph::oldest_first`].
    pub fn newest_first(&self) -> Vec<Node> {
        self.order.iter().rev().copied().collect()
    }
    /// Every node, oldest first: the order upgrades apply revisions in (see the module doc).
    pub fn oldest_first(&self) -> &[Node] {
        &self.order
    }
    /// The position of `node` in [`RevisionGraph::oldest_first`].
    pub fn topo_rank(&self, node: Node) -> usize {
        self.rank[node]
    }
    /// Membership flags of `nodes` and everything they require, transitively.
    pub fn ancestors_or_self(&self, nodes: &[Node]) -> Vec<bool> {
        reach(&self.requires, nodes)
    }
    /// [`RevisionGraph::ancestors_or_self`] cut at `floor`: only the part whose position in
    /// [`RevisionGraph::oldest_first`] is at least `floor` (nothing below it can lead back
    /// up), so asking whether the rows cover a revision costs what lies above it.
    pub fn ancestors_above(&self, nodes: &[Node], floor: usize) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<Node> = Vec::new();
        for &start in nodes {
            if !seen[start] && self.rank[start] >= floor {
                seen[start] = true;
                stack.push(start);
            }
        }
        while let Some(node) = stack.pop() {
            for &next in &self.requires[node] {
                if !seen[next] && self.rank[next] >= floor {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        seen
    }
    /// Membership flags of `nodes` and everything requiring them, transitively.
    pub fn descendants_or_self(&self, nodes: &[Node]) -> Vec<bool> {
        reach(&self.required_by, nodes)
    }
    /// Membership flags of `nodes` and their ancestors through `revises` only.
    pub fn lineage_down(&self, nodes: &[Node]) -> Vec<bool> {
        reach(&self.parents, nodes)
    }
    /// Membership flags of `nodes` and their descendants through `revises` only.
    pub fn lineage_up(&self, nodes: &[Node]) -> Vec<bool> {
        reach(&self.children, nodes)
    }
}

/// Flags of every node reachable from `starts` along `edges`, the starts included.
fn reach(edges: &[Vec<Node>], starts: &[Node]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<Node> = Vec::new();
    for &start in starts {
        if !seen[start] {
            seen[start] = true;
            stack.push(start);
        }
    }
    while let Some(node) = stack.pop() {
        for &next in &edges[node] {
            if !seen[next] {
                seen[next] = true;
                stack.push(next);
            }
        }
    }
    seen
}

/// Alembic's `_normalized_down_revisions` of every node: its parents, then its
/// dependencies minus those named in `depends_on` by an ancestor through `revises`.
/// Also says, per node, whether those dependencies are none.
fn normalized_down(
    order: &[Node],
    parents: &[Vec<Node>],
    dependencies: &[Vec<Node>],
) -> (Vec<Vec<Node>>, Vec<bool>) {
    let n = parents.len();
    // inherited[x]: the dependencies named by x's strict ancestors through `revises`;
    // shared down a chain of revisions without dependencies, so a long history costs O(n).
    let mut inherited: Vec<Rc<BTreeSet<Node>>> = vec![Rc::default(); n];
    for &node in order {
        inherited[node] = match parents[node].as_slice() {
            [parent] if dependencies[*parent].is_empty() => Rc::clone(&inherited[*parent]),
            many => {
                let mut mine = BTreeSet::new();
                for &parent in many {
                    mine.extend(inherited[parent].iter().copied());
                    mine.extend(dependencies[parent].iter().copied());
                }
                Rc::new(mine)
            }
        };
    }
    let mut downs = Vec::with_capacity(n);
    let mut plain = Vec::with_capacity(n);
    for node in 0..n {
        let deps: Vec<Node> = dependencies[node]
            .iter()
            .copied()
            .filter(|d| !inherited[node].contains(d))
            .collect();
        plain.push(deps.is_empty());
        let mut down = parents[node].clone();
        down.extend(deps.into_iter().filter(|d| !parents[node].contains(d)));
        downs.push(down);
    }
    (downs, plain)
}

/// Maps each branch label to its revision, rejecting reuse and labels spelled like ids.
fn index_labels(
    revisions: &[Revision],
    index: &HashMap<RevisionId, Node>,
) -> Result<HashMap<String, Node>, GraphError> {
    let mut labels: HashMap<String, Node> = HashMap::new();
    for (node, revision) in revisions.iter().enumerate() {
        let location = || revision.location(revision.lines.branch_labels);
        let mut own = HashSet::new();
        for label in &revision.branch_labels {
            if !own.insert(label) {
                continue; // the same label twice in one header says nothing new
            }
            if RevisionId::parse(label).is_ok_and(|id| index.contains_key(&id)) {
                return Err(GraphError::LabelIsRevision {
                    label: label.clone(),
                    location: location(),
                });
            }
            if let Some(&other) = labels.get(label) {
                return Err(GraphError::DuplicateLabel {
                    label: label.clone(),
                    location: location(),
                    other: revisions[other].id.clone(),
                });
            }
            labels.insert(label.clone(), node);
        }
    }
    Ok(labels)
}

/// Kahn's algorithm, smallest id first among ready nodes. On a cycle, returns the flags of
/// the nodes that could not be placed.
fn topological_order(
    requires: &[Vec<Node>],
    required_by: &[Vec<Node>],
    id_rank: &[usize],
) -> Result<Vec<Node>, Vec<bool>> {
    let n = requires.len();
    let mut waiting: Vec<usize> = requires.iter().map(Vec::len).collect();
    let mut ready: BinaryHeap<Reverse<(usize, Node)>> = (0..n)
        .filter(|&x| waiting[x] == 0)
        .map(|x| Reverse((id_rank[x], x)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, node))) = ready.pop() {
        order.push(node);
        for &next in &required_by[node] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse((id_rank[next], next)));
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err(waiting.iter().map(|&w| w > 0).collect())
    }
}

/// Names one cycle among the `stuck` nodes. Every stuck node requires another stuck node
/// (else Kahn would have placed it), so following such edges must come back on itself.
fn cycle_error(
    revisions: &[Revision],
    parents: &[Vec<Node>],
    requires: &[Vec<Node>],
    id_rank: &[usize],
    stuck: &[bool],
) -> GraphError {
    let start = (0..stuck.len())
        .filter(|&x| stuck[x])
        .min_by_key(|&x| id_rank[x])
        .expect("a failed topological sort leaves at least one node unplaced");
    let mut path: Vec<Node> = Vec::new();
    let mut position: HashMap<Node, usize> = HashMap::new();
    let mut node = start;
    let cycle = loop {
        if let Some(&at) = position.get(&node) {
            break path[at..].to_vec();
        }
        position.insert(node, path.len());
        path.push(node);
        node = *requires[node]
            .iter()
            .find(|&&x| stuck[x])
            .expect("a stuck node requires another stuck node");
    };
    // Start the description at the cycle's smallest id so the message is deterministic.
    let first = (0..cycle.len())
        .min_by_key(|&i| id_rank[cycle[i]])
        .expect("a cycle has at least one node");
    let cycle: Vec<Node> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .copied()
        .collect();
    let edge = |from: Node, to: Node| {
        if parents[from].contains(&to) {
            "revises"
        } else {
            "depends_on"
        }
    };
    let text: Vec<String> = (0..cycle.len())
        .map(|i| {
            let (from, to) = (cycle[i], cycle[(i + 1) % cycle.len()]);
            format!(
                "{} {} {}",
                revisions[from].id,
                edge(from, to),
                revisions[to].id
            )
        })
        .collect();
    let head = &revisions[cycle[0]];
    let line = if edge(cycle[0], cycle[1 % cycle.len()]) == "revises" {
        head.lines.revises
    } else {
        head.lines.depends_on
    };
    GraphError::Cycle {
        id: head.id.clone(),
        location: head.location(line),
        cycle: text.join(", "),
    }
}

#[cfg(test)]
pub(crate) mod tests;
