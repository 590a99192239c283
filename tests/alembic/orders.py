"""When Alembic's run order is determined, and what makes an order valid.

Alembic orders a plan by `RevisionMap._topological_sort`, which walks each revision's
`_normalized_down_revisions`: its parents in file order, then
`tuple(set(normalized dependencies))`. With two or more dependencies beyond the parents,
that tuple's order is the iteration order of a Python set of strings, which follows
PYTHONHASHSEED; so does the order of a run, a `--sql` script or `history` that includes
such a revision. Nothing else does: `HeadMaintainer.update_to_step` works on sets
(`merge_branch_idents` picks which row to UPDATE and which to DELETE from a set, but the
rows that remain are the same), so for one order of steps the version rows after each
step are the same under every seed. The rows between steps follow the order, so the
differential test compares them wherever both tools ran the same order, and compares the
rows a command ends with, its refusals and its warnings exactly, always.
"""


def hash_dependent(script, ids):
    """Whether Alembic's order over the revisions `ids` follows string hashing: one of them
    has two or more normalized dependencies that are not also its parents."""
    for rid in ids:
        rev = script.revision_map.get_revision(rid)
        if len(set(rev._normalized_down_revisions) - set(rev._versioned_down_revisions)) > 1:
            return True
    return False


def violations(order, graph, newest_first):
    """The pairs of `order` (revision ids) out of dependency order: with `newest_first`
    (a downgrade, `history`) a revision must come before everything it requires, otherwise
    after it. Returns `X before Y` texts, empty for a valid order."""
    position = {rid: i for i, rid in enumerate(order)}
    found = []
    for rid in order:
        for needed in graph[rid].requires():
            if needed not in position:
                continue
            if (position[needed] < position[rid]) == newest_first:
                found.append("%s before %s" % (order[min(position[needed], position[rid])],
                                               order[max(position[needed], position[rid])]))
    return found


def revisions_of(log):
    """The revision ids of log entries (`up ID [ROWS]`, `down ID [ROWS]`)."""
    return [entry.split(" ")[1] for entry in log]
