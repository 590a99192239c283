//! The order in which a plan runs its revisions: Alembic's `_topological_sort`, ported.
//!
//! Alembic walks down from the heads of the selection (the targets of an upgrade, the
//! version rows of a downgrade), taken in file order. It follows one head's line down
//! until the next revision is still needed by another head's line, then switches to that
//! head; merges and dependencies start new lines. The result is newest first: a downgrade
//! runs it as is, an upgrade reversed. Users see this order in logs and `--sql` scripts,
//! so it is Alembic's exactly, not merely some topological order.

use super::graph::{Node, RevisionGraph};
use super::plan::PlanError;

impl RevisionGraph {
    /// The revisions flagged in `selected`, newest first, walked down from `heads`.
    pub(crate) fn alembic_order(
        &self,
        selected: &[bool],
        heads: &[Node],
    ) -> Result<Vec<Node>, PlanError> {
        let mut todo = selected.to_vec();
        let mut left = todo.iter().filter(|&&t| t).count();
        let mut lines: Vec<Node> = heads.iter().copied().filter(|&h| todo[h]).collect();
        lines.sort_unstable();
        lines.dedup();
        let mut below: Vec<Vec<bool>> = lines
            .iter()
            .map(|&h| self.ancestors_or_self(&[h]))
            .collect();
        let mut output = Vec::with_capacity(left);
        let mut at = 0;
        while !lines.is_empty() {
            let candidate = lines[at];
            // another line still needs the candidate: walk that line first
            if let Some(other) = (0..lines.len()).find(|&i| i != at && below[i][candidate]) {
                at = other;
                continue;
            }
            if todo[candidate] {
                output.push(candidate);
                todo[candidate] = false;
                left -= 1;
            }
            let next: Vec<Node> = self
                .down(candidate)
                .iter()
                .copied()
                .filter(|&d| todo[d] && !lines.contains(&d))
                .collect();
            match next.split_first() {
                None => {
                    lines.remove(at);
                    below.remove(at);
                    at = at.saturating_sub(1);
                }
                Some((&first, rest)) => {
                    lines[at] = first;
                    if self.is_plain_step(candidate) {
                        below[at][candidate] = false;
                    } else {
                        below[at] = self.ancestors_or_self(&[first]);
                        for &r in rest {
                            lines.push(r);
                            below.push(self.ancestors_or_self(&[r]));
                        }
                    }
                }
            }
        }
        if left > 0 {
            let stranded: Vec<&str> = (0..todo.len())
                .filter(|&x| todo[x])
                .map(|x| self.id(x).as_str())
                .collect();
            return Err(PlanError(format!(
                "cannot order revisions {}: they are not below the revisions the plan starts from",
                stranded.join(", ")
            )));
        }
        Ok(output)
    }
}
