//! Dependency ordering for creates and drops: tables by foreign key, views by what they
//! read. Deterministic: ties and cycles are broken by name.

use std::collections::{BTreeMap, BTreeSet};

/// The keys of `deps` ordered so that each comes after the keys it depends on
/// (dependencies first: the order to create in; reverse it to drop). Dependencies that
/// are not keys, and self references, are ignored. Among nodes whose dependencies are all
/// placed, the smallest name comes first; when only cycles remain, the smallest name on a
/// cycle is placed next as if its unplaced dependencies were met.
pub fn dependencies_first(deps: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    // Pending dependencies of each node, restricted to nodes in the graph.
    let mut pending: BTreeMap<&str, BTreeSet<&str>> = deps
        .iter()
        .map(|(node, on)| {
            let on = on
                .iter()
                .map(String::as_str)
                .filter(|d| *d != node && deps.contains_key(*d))
                .collect();
            (node.as_str(), on)
        })
        .collect();
    let mut order = Vec::with_capacity(deps.len());
    while !pending.is_empty() {
        let next = pending
            .iter()
            .find(|(_, on)| on.is_empty())
            .map(|(node, _)| *node)
            // Only cycles left: break at the smallest name.
            .or_else(|| on_a_cycle(&pending))
            .expect("the loop runs only while nodes are pending");
        pending.remove(next);
        for on in pending.values_mut() {
            on.remove(next);
        }
        order.push(next.to_string());
    }
    order
}

/// The smallest pending node on a cycle (not one merely waiting for a cycle), when only
/// cycles remain.
fn on_a_cycle<'a>(pending: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<&'a str> {
    let reaches_itself = |start: &str| {
        let mut seen = BTreeSet::new();
        let next = |node: &str| pending.get(node).into_iter().flatten().copied();
        let mut stack: Vec<&str> = next(start).collect();
        while let Some(node) = stack.pop() {
            if node == start {
                return true;
            }
            if seen.insert(node) {
                stack.extend(next(node));
            }
        }
        false
    };
    let smallest = pending.keys().copied();
    smallest
        .clone()
        .find(|n| reaches_itself(n))
        .or(smallest.min())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph as (node, the nodes it depends on) pairs.
    type Edges<'a> = &'a [(&'a str, &'a [&'a str])];

    fn graph(edges: Edges) -> BTreeMap<String, BTreeSet<String>> {
        edges
            .iter()
            .map(|(n, on)| (n.to_string(), on.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn orders_dependencies_first_ties_by_name() {
        let cases: &[(Edges, &[&str])] = &[
            (&[], &[]),
            (&[("a", &[]), ("b", &[])], &["a", "b"]),
            (&[("a", &["b"]), ("b", &[])], &["b", "a"]),
            (
                &[("a", &["c"]), ("b", &[]), ("c", &["b"])],
                &["b", "c", "a"],
            ),
            // Self references and unknown nodes are ignored.
            (&[("a", &["a", "zz"]), ("b", &["a"])], &["a", "b"]),
            // A cycle is broken at the smallest name.
            (&[("a", &["b"]), ("b", &["a"])], &["a", "b"]),
            (
                &[("b", &["c"]), ("c", &["b"]), ("d", &["b"])],
                &["b", "c", "d"],
            ),
            // A node waiting for a cycle is no place to break it.
            (
                &[("a", &["b"]), ("b", &["c"]), ("c", &["b"])],
                &["b", "a", "c"],
            ),
            // A node outside the cycle that is ready goes first.
            (
                &[("a", &["b"]), ("b", &["a"]), ("c", &[])],
                &["c", "a", "b"],
            ),
        ];
        for (edges, want) in cases {
            assert_eq!(dependencies_first(&graph(edges)), *want, "{edges:?}");
        }
    }
}
