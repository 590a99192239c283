//! Plans on literal graphs: every target form and every error message.

use super::{Current, Direction, Step};
use crate::revision::graph::tests::{build, names, rev, Tweak};
use crate::revision::graph::RevisionGraph;
use crate::revision::target::Target;
use crate::revision::RevisionId;

mod props;

fn current(rows: &str) -> Current {
    Current {
        rows: rows
            .split_whitespace()
            .map(|s| RevisionId::parse(s).unwrap())
            .collect(),
    }
}

fn target(text: &str) -> Target {
    text.parse().expect("test targets parse")
}

/// `b -a +b, c +c`: each step's revision, then the rows it deletes and inserts.
fn describe(g: &RevisionGraph, steps: &[Step]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|s| {
            let mut text = g.id(s.node).to_string();
            for d in &s.version.delete {
                text += &format!(" -{d}");
            }
            for i in &s.version.insert {
                text += &format!(" +{i}");
            }
            text
        })
        .collect();
    parts.join(", ")
}

fn up(g: &RevisionGraph, rows: &str, to: &str) -> String {
    let steps = g
        .plan_upgrade(&current(rows), &target(to))
        .unwrap_or_else(|e| panic!("upgrade {to} from [{rows}]: {e}"));
    assert!(steps.iter().all(|s| s.direction == Direction::Upgrade));
    describe(g, &steps)
}

fn up_err(g: &RevisionGraph, rows: &str, to: &str) -> String {
    g.plan_upgrade(&current(rows), &target(to))
        .expect_err("upgrade fails")
        .to_string()
}

fn down(g: &RevisionGraph, rows: &str, to: &str) -> String {
    let steps = g
        .plan_downgrade(&current(rows), &target(to))
        .unwrap_or_else(|e| panic!("downgrade {to} from [{rows}]: {e}"));
    assert!(steps.iter().all(|s| s.direction == Direction::Downgrade));
    describe(g, &steps)
}

fn down_err(g: &RevisionGraph, rows: &str, to: &str) -> String {
    g.plan_downgrade(&current(rows), &target(to))
        .expect_err("downgrade fails")
        .to_string()
}

fn stamp(g: &RevisionGraph, rows: &str, to: &str, purge: bool) -> Result<String, String> {
    g.plan_stamp(&current(rows), &target(to), purge)
        .map(|ids| {
            let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
            ids.join(" ")
        })
        .map_err(|e| e.to_string())
}

fn resolve(g: &RevisionGraph, rows: &str, to: &str) -> Result<String, String> {
    g.resolve(&target(to), &current(rows))
        .map(|nodes| names(g, &nodes))
        .map_err(|e| e.to_string())
}

/// a - b - c
fn linear() -> RevisionGraph {
    build(vec![rev("a", ""), rev("b", "a"), rev("c", "b")])
}

/// a - b - d     labels: left on b, right on c, core on a
///   \ c - e
fn forked() -> RevisionGraph {
    build(vec![
        rev("a", "").labels("core"),
        rev("b", "a").labels("left"),
        rev("c", "a").labels("right"),
        rev("d", "b"),
        rev("e", "c"),
    ])
}

/// a - b - m - n
///   \ c /
fn merged() -> RevisionGraph {
    build(vec![
        rev("a", ""),
        rev("b", "a"),
        rev("c", "a"),
        rev("m", "b c"),
        rev("n", "m"),
    ])
}

/// a - b          (label x on b)
///   \ c - d      c depends on b
fn depending() -> RevisionGraph {
    build(vec![
        rev("a", ""),
        rev("b", "a").labels("x"),
        rev("c", "a").depends("b"),
        rev("d", "c"),
    ])
}

#[test]
fn applied_and_rows_for() {
    let g = depending();
    let applied = g.applied(&current("c")).unwrap();
    assert_eq!(applied, vec![true, true, true, false]);
    // b is only a dependency of c: it stays a row
    let rows: Vec<String> = g.rows_for(&applied).iter().map(|r| r.to_string()).collect();
    assert_eq!(rows, ["c"]);
    assert_eq!(
        g.applied(&current("a zz")).unwrap_err().to_string(),
        "the database is at revision zz, which is not in the migrations directory"
    );
    assert!(g.rows_for(&[false; 4]).is_empty());
}

#[test]
fn linear_upgrades() {
    let g = linear();
    assert_eq!(up(&g, "", "head"), "a +a, b -a +b, c -b +c");
    assert_eq!(up(&g, "", "heads"), "a +a, b -a +b, c -b +c");
    assert_eq!(up(&g, "a", "head"), "b -a +b, c -b +c");
    assert_eq!(up(&g, "", "b"), "a +a, b -a +b");
    assert_eq!(up(&g, "", "base"), "");
    assert_eq!(up(&g, "c", "head"), "");
    assert_eq!(up(&g, "c", "a"), "", "an applied target is a no-op");
    assert_eq!(up(&g, "", "+1"), "a +a");
    assert_eq!(up(&g, "", "+3"), "a +a, b -a +b, c -b +c");
    assert_eq!(up(&g, "a", "+2"), "b -a +b, c -b +c");
    assert_eq!(up(&g, "", "a+1"), "a +a, b -a +b");
    assert_eq!(up(&g, "", "c-2"), "a +a");
    assert_eq!(up(&g, "", "head-1"), "a +a, b -a +b");
}

#[test]
fn linear_upgrade_errors() {
    let g = linear();
    assert_eq!(up_err(&g, "a", "+3"), "relative target +3 goes past head");
    assert_eq!(up_err(&g, "", "+4"), "relative target +4 goes past head");
    assert_eq!(up_err(&g, "", "b+2"), "relative target b+2 goes past head");
    assert_eq!(up_err(&g, "", "a-1"), "relative target a-1 goes past base");
    assert_eq!(
        up_err(&g, "a", "-1"),
        "target '-1' is not an upgrade target (use downgrade)"
    );
    assert_eq!(up_err(&g, "", "zz"), "unknown revision 'zz'");
    assert_eq!(up_err(&g, "", "zz+1"), "unknown revision 'zz'");
    assert_eq!(
        up_err(&g, "q", "head"),
        "the database is at revision q, which is not in the migrations directory"
    );
}

#[test]
fn linear_downgrades() {
    let g = linear();
    assert_eq!(down(&g, "c", "a"), "c -c +b, b -b +a");
    assert_eq!(down(&g, "c", "base"), "c -c +b, b -b +a, a -a");
    assert_eq!(down(&g, "c", "c"), "");
    assert_eq!(down(&g, "", "base"), "");
    assert_eq!(down(&g, "c", "-1"), "c -c +b");
    assert_eq!(down(&g, "c", "-3"), "c -c +b, b -b +a, a -a");
    assert_eq!(down(&g, "b", "c-2"), "b -b +a");
    assert_eq!(down(&g, "c", "a+1"), "c -c +b");
}

#[test]
fn linear_downgrade_errors() {
    let g = linear();
    assert_eq!(
        down_err(&g, "a", "c"),
        "revision c is not applied; nothing to downgrade to (use upgrade)"
    );
    assert_eq!(down_err(&g, "c", "-4"), "relative target -4 goes past base");
    assert_eq!(down_err(&g, "", "-1"), "relative target -1 goes past base");
    assert_eq!(
        down_err(&g, "a", "+1"),
        "target '+1' is not a downgrade target (use upgrade)"
    );
    // as in Alembic, `head` is a revision like any other: a no-op at head, else nothing to drop
    for t in ["head", "heads"] {
        assert_eq!(
            down_err(&g, "a", t),
            "revision c is not applied; nothing to downgrade to (use upgrade)"
        );
        assert_eq!(down(&g, "c", t), "");
    }
    assert_eq!(down_err(&g, "c", "nope"), "unknown revision 'nope'");
}

#[test]
fn prefixes_and_labels_name_revisions() {
    let g = build(vec![
        rev("abcd1234", ""),
        rev("abcd5678", "abcd1234"),
        rev("abce0000", "abcd5678").labels("release-2 tip"),
    ]);
    assert_eq!(
        up_err(&g, "", "abcd"),
        "ambiguous revision prefix 'abcd': matches abcd1234, abcd5678"
    );
    assert_eq!(
        up_err(&g, "", "abc"),
        "unknown revision 'abc'; a revision prefix needs at least 4 characters"
    );
    assert_eq!(
        up_err(&g, "", "abcf"),
        "unknown revision 'abcf' (did you mean 'abcd1234' or 'abcd5678' or 'abce0000'?)"
    );
    assert_eq!(
        up_err(&g, "", "tpi@head"),
        "unknown branch label 'tpi' (did you mean 'tip'?)"
    );
    assert_eq!(up(&g, "", "abcd1"), "abcd1234 +abcd1234");
    assert_eq!(up(&g, "", "abce").matches('+').count(), 3);
    assert_eq!(resolve(&g, "", "tip"), Ok("abce0000".into()));
    assert_eq!(resolve(&g, "", "tip-1"), Ok("abcd5678".into()));
    // `release-2` parses as REV-N, yet names the label of that exact name
    assert_eq!(resolve(&g, "", "release-2"), Ok("abce0000".into()));
    assert_eq!(g.resolve_rev("abcd5"), Ok(1));
}

#[test]
fn forked_upgrades() {
    let g = forked();
    assert_eq!(
        up_err(&g, "", "head"),
        "multiple heads: d, e; upgrade to `heads` or create a merge revision with `migrate merge heads`"
    );
    assert_eq!(up(&g, "", "heads"), "a +a, c -a +c, e -c +e, b +b, d -b +d");
    assert_eq!(up(&g, "d", "heads"), "c +c, e -c +e");
    assert_eq!(up(&g, "", "left@head"), "a +a, b -a +b, d -b +d");
    assert_eq!(up(&g, "d", "right@head"), "c +c, e -c +e");
    assert_eq!(up(&g, "", "right"), "a +a, c -a +c");
    assert_eq!(up(&g, "", "left@base"), "");
    assert_eq!(up(&g, "", "+1"), "a +a");
    assert_eq!(up(&g, "b", "+1"), "d -b +d");
    assert_eq!(up(&g, "", "c+1"), "a +a, c -a +c, e -c +e");
    assert_eq!(
        up_err(&g, "", "+2"),
        "relative target +2 is ambiguous: revision a has several children (b, c); name a revision instead"
    );
    assert_eq!(
        up_err(&g, "", "a+1"),
        "relative target a+1 is ambiguous: revision a has several children (b, c); name a revision instead"
    );
    assert_eq!(
        up_err(&g, "b c", "+1"),
        "relative target +1 is ambiguous: the database is at several revisions (b, c); name a revision instead"
    );
    assert_eq!(
        up_err(&g, "", "core@head"),
        "branch 'core' has several heads: d, e; name one of them"
    );
    assert_eq!(up_err(&g, "", "nope@head"), "unknown branch label 'nope'");
    assert_eq!(up_err(&g, "", "head-1"), up_err(&g, "", "head"));
}

#[test]
fn forked_downgrades() {
    let g = forked();
    assert_eq!(down(&g, "d e", "b"), "d -d +b");
    assert_eq!(down(&g, "d e", "a"), "d -d +b, b -b, e -e +c, c -c +a");
    assert_eq!(
        down(&g, "d e", "base"),
        "d -d +b, b -b, e -e +c, c -c +a, a -a"
    );
    assert_eq!(
        down(&g, "d e", "left@base"),
        "d -d +b, b -b, e -e +c, c -c +a, a -a"
    );
    assert_eq!(down(&g, "d", "left@base"), "d -d +b, b -b +a, a -a");
    assert_eq!(down(&g, "e", "left@base"), "e -e +c, c -c +a, a -a");
    assert_eq!(down(&g, "d e", "d-1"), "d -d +b");
    assert!(down_err(&g, "d e", "right@head").starts_with("multiple heads: d, e"));
    assert_eq!(down(&g, "d", "-2"), "d -d +b, b -b +a");
    // Alembic walks down from the first row (with a warning) and keeps to its branch
    assert_eq!(down(&g, "d e", "-1"), "d -d +b");
    assert_eq!(down(&g, "d e", "-2"), "d -d +b, b -b");
    assert_eq!(
        g.downgrade_warning(&current("e d"), &target("-1")).as_deref(),
        Some("warning: downgrade -1 from several version rows (d, e) is ambiguous: it walks down from d, the first; name a revision (REV-N) or a branch (LABEL@base) instead")
    );
    for (rows, to) in [("d", "-1"), ("d e", "d-1"), ("d e", "base"), ("", "-1")] {
        assert_eq!(
            g.downgrade_warning(&current(rows), &target(to)),
            None,
            "{to} from [{rows}]"
        );
    }
    assert_eq!(
        down_err(&g, "d", "e"),
        "revision e is not applied; nothing to downgrade to (use upgrade)"
    );
    assert_eq!(
        down_err(&g, "d", "nope@base"),
        "unknown branch label 'nope'"
    );
}

#[test]
fn merge_plans() {
    let g = merged();
    assert_eq!(
        up(&g, "", "head"),
        "a +a, c -a +c, b +b, m -b -c +m, n -m +n"
    );
    assert_eq!(up(&g, "b", "m"), "c +c, m -b -c +m");
    assert_eq!(down(&g, "n", "-1"), "n -n +m");
    // as in Alembic, walking down through a merge is ambiguous
    assert_eq!(
        down_err(&g, "n", "-2"),
        "relative target -2 is ambiguous: revision m is a merge of b, c; name a revision instead"
    );
    assert_eq!(down(&g, "n", "b"), "n -n +m, m -m +b +c");
    assert_eq!(
        down(&g, "n", "base"),
        "n -n +m, m -m +b +c, b -b, c -c +a, a -a"
    );
    assert_eq!(
        down_err(&g, "n", "-3"),
        "relative target -3 is ambiguous: revision m is a merge of b, c; name a revision instead"
    );
    assert_eq!(
        down_err(&g, "m", "-2"),
        "relative target -2 is ambiguous: revision m is a merge of b, c; name a revision instead"
    );
    assert_eq!(resolve(&g, "n", "-1"), Ok("m".into()));
    assert_eq!(
        resolve(&g, "n", "-2"),
        Err("relative target -2 is ambiguous: revision m is a merge of b, c; name a revision instead".into())
    );
}

#[test]
fn dependency_plans() {
    let g = depending();
    assert_eq!(up(&g, "", "c"), "a +a, b -a +b, c -b +c");
    assert_eq!(up(&g, "", "heads"), "a +a, b -a +b, c -b +c, d -c +d");
    assert_eq!(up(&g, "b", "d"), "c -b +c, d -c +d");
    // b's dependents are reverted with it; a is still covered by b, so c leaves no row
    assert_eq!(down(&g, "b d", "b"), "");
    assert_eq!(down(&g, "b d", "x@base"), "d -d +c, c -c, b -b +a, a -a");
    assert_eq!(down(&g, "b d", "c"), "d -d +c");
    assert_eq!(down(&g, "b d", "a"), "d -d +c, c -c, b -b +a");
    assert_eq!(resolve(&g, "", "x@head"), Ok("b".into()));
    assert_eq!(resolve(&g, "", "x@base"), Ok("b".into()));
    assert_eq!(resolve(&g, "", "x"), Ok("b".into()));
    assert_eq!(resolve(&g, "", "heads"), Ok("b d".into()));
}

#[test]
fn upgrade_from_redundant_rows_deletes_only_present_rows() {
    // a table holding both a and b (a is redundant): Alembic refuses to upgrade from it,
    // and a downgrade deletes only present rows
    let g = linear();
    assert_eq!(
        up_err(&g, "a b", "head"),
        "the version table holds both a and b, which b requires; stamp the database to fix it"
    );
    assert_eq!(down(&g, "a b", "base"), "b -b, a -a");
}

#[test]
fn several_bases() {
    let g = build(vec![rev("a", ""), rev("z", ""), rev("y", "z")]);
    assert_eq!(
        up_err(&g, "", "+1"),
        "relative target +1 is ambiguous: there are several bases (a, z); name a revision instead"
    );
    assert_eq!(up(&g, "", "heads"), "z +z, y -z +y, a +a");
    assert_eq!(down(&g, "a y", "z"), "y -y +z");
    assert_eq!(down(&g, "a y", "z@base"), "y -y +z, z -z");
}

#[test]
fn stamps() {
    let g = forked();
    let ok = |s: &str| Ok(s.to_string());
    assert_eq!(stamp(&g, "", "heads", false), ok("d e"));
    assert_eq!(stamp(&g, "d", "base", false), ok(""));
    assert_eq!(stamp(&g, "e", "b", false), ok("b e"));
    assert_eq!(stamp(&g, "e", "b", true), ok("b"));
    assert_eq!(stamp(&g, "d e", "a", false), ok("a"));
    assert_eq!(stamp(&g, "d e", "c", false), ok("c d"));
    assert_eq!(stamp(&g, "d e", "left@base", false), ok("e"));
    // as in Alembic, relative stamps only work from an empty table (-N from each head)
    let relative = |t: &str| {
        Err(format!(
            "target '{t}' cannot be stamped: name a revision, head, heads, base or a branch"
        ))
    };
    assert_eq!(stamp(&g, "d", "-1", false), relative("-1"));
    assert_eq!(stamp(&g, "b", "+1", false), relative("+1"));
    assert_eq!(stamp(&g, "d e", "+1", true), relative("+1"));
    assert_eq!(stamp(&g, "", "-1", false), ok("b c"));
    assert_eq!(stamp(&g, "d", "right@head", false), ok("d e"));
    assert_eq!(stamp(&g, "zz", "d", true), ok("d"));
    assert_eq!(
        stamp(&g, "zz", "d", false),
        Err("the database is at revision zz, which is not in the migrations directory".into())
    );
    assert_eq!(
        stamp(&g, "", "head", false),
        Err("multiple heads: d, e; upgrade to `heads` or create a merge revision with `migrate merge heads`".into())
    );
    assert_eq!(stamp(&linear(), "a", "head", false), ok("c"));
    // a dependency is absorbed: one row
    assert_eq!(stamp(&depending(), "", "c", false), ok("c"));
}

#[test]
fn resolves() {
    let g = forked();
    let ok = |s: &str| Ok(s.to_string());
    assert_eq!(resolve(&linear(), "", "head"), ok("c"));
    assert_eq!(resolve(&g, "", "heads"), ok("d e"));
    assert_eq!(resolve(&g, "", "base"), ok(""));
    assert_eq!(resolve(&g, "", "left@head"), ok("d"));
    assert_eq!(resolve(&g, "", "left@base"), ok("b"));
    assert_eq!(
        resolve(&g, "", "d@base"),
        ok("b"),
        "LABEL may be a revision"
    );
    assert_eq!(resolve(&linear(), "", "c@base"), ok("a"));
    assert_eq!(resolve(&g, "", "e-1"), ok("c"));
    assert_eq!(resolve(&g, "b", "+1"), ok("d"));
    assert_eq!(resolve(&g, "", "+1"), ok("a"));
    assert_eq!(resolve(&g, "d", "-1"), ok("b"));
    assert_eq!(resolve(&g, "d", "-2"), ok("a"));
    assert_eq!(
        resolve(&g, "d", "-3"),
        Err("relative target -3 goes past base".into())
    );
    assert!(resolve(&g, "", "head")
        .unwrap_err()
        .starts_with("multiple heads: d, e"));
    let empty = build(vec![]);
    assert_eq!(resolve(&empty, "", "head"), ok(""));
    assert_eq!(up(&empty, "", "head"), "");
    assert_eq!(
        up_err(&empty, "", "+1"),
        "relative target +1 goes past head"
    );
    assert_eq!(up_err(&empty, "", "head+1"), "there are no revisions");
}

fn history(g: &RevisionGraph, lower: &str, upper: &str) -> Result<String, String> {
    let side = |s: &str| -> Vec<usize> {
        s.split_whitespace()
            .map(|id| g.resolve_rev(id).expect("fixture ids resolve"))
            .collect()
    };
    let upper = if upper.is_empty() {
        g.real_heads().to_vec()
    } else {
        side(upper)
    };
    g.history_range(&side(lower), &upper)
        .map(|nodes| names(g, &nodes))
        .map_err(|e| e.to_string())
}

#[test]
fn history_ranges_are_inclusive_as_in_alembic() {
    let g = forked();
    let ok = |s: &str| Ok(s.to_string());
    // base:heads and base:head show everything, newest first in Alembic's order
    assert_eq!(history(&g, "", ""), ok("d b e c a"));
    assert_eq!(history(&linear(), "", "c"), ok("c b a"));
    // both ends included; only descendants of the lower end
    assert_eq!(history(&g, "b", ""), ok("d b"));
    assert_eq!(history(&g, "a", "d"), ok("d b a"));
    assert_eq!(history(&g, "", "e"), ok("e c a"));
    assert_eq!(
        history(&g, "b", "e"),
        Err("revision b is not an ancestor of e".into())
    );
    // a dependency is in the range of what needs it
    assert_eq!(history(&depending(), "", "d"), ok("d c b a"));
    // ends that require one another (version rows Alembic left so) are refused, as Alembic
    let overlap =
        Err("revision d overlaps with revision b, which it requires; name one of them".into());
    assert_eq!(history(&g, "b d", ""), overlap);
    assert_eq!(history(&g, "", "b d"), overlap);
    assert_eq!(
        history(&depending(), "", "c b"),
        Err("revision c overlaps with revision b, which it requires; name one of them".into())
    );
}

#[test]
fn a_dependency_on_a_head_is_absorbed() {
    // upgrading to a revision that depends on a current head leaves one row, not two
    let g = depending();
    assert_eq!(up(&g, "b", "c"), "c -b +c");
    assert_eq!(stamp(&g, "", "d", false), Ok("d".into()));
    // and reverting it gives the dependency its row back
    assert_eq!(down(&g, "c", "a"), "c -c +b, b -b +a");
}
