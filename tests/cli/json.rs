//! `--format json`: each document parsed with serde_json and checked field by field against
//! a graph with two branches and a merge, and against what the database itself records
//! (the version and history tables).

use crate::project::TestProject;
use serde_json::Value;

/// Burns some tens of milliseconds in SQLite, so that durations are not all zero.
const SLOW_INSERT: &str = "INSERT INTO big WITH RECURSIVE r(x) AS \
     (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 300000) SELECT x FROM r;";

/// `a` branches into `b` (label `left`) and `c` (no transaction); `m` merges them; `d`
/// follows `m` and depends on `b`.
fn branched_project() -> TestProject {
    let p = TestProject::new();
    p.revision(
        "aaaa0001",
        "",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        "DROP TABLE users;",
    );
    p.revision_with(
        "bbbb0002",
        "aaaa0001",
        "-- branch_labels: left\n",
        "CREATE TABLE lefts (id INTEGER PRIMARY KEY);",
        "DROP TABLE lefts;",
    );
    p.revision_with(
        "cccc0003",
        "aaaa0001",
        "-- transaction: none\n",
        "CREATE TABLE rights (id INTEGER PRIMARY KEY);",
        "DROP TABLE rights;",
    );
    p.revision("eeee0004", "bbbb0002, cccc0003", "", "");
    p.revision_with(
        "dddd0005",
        "eeee0004",
        "-- depends_on: bbbb0002\n",
        &format!("CREATE TABLE big (x INTEGER);\n{SLOW_INSERT}"),
        "DROP TABLE big;",
    );
    p.write(
        "schema.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE lefts (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE rights (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE big (x INTEGER);\n",
    );
    p
}

/// Runs `args` with `--format json` (successfully) and parses stdout as one document.
fn document(p: &TestProject, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = p.run(&all).ok();
    parse(&run.stdout)
}

#[track_caller]
fn parse(text: &str) -> Value {
    assert_eq!(
        text.lines().count(),
        1,
        "one document on one line: {text:?}"
    );
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

/// The strings of a JSON array, sorted.
#[track_caller]
fn sorted(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect();
    items.sort();
    items
}

/// The entry of `list` whose `id` is `id`.
#[track_caller]
fn by_id<'v>(list: &'v Value, id: &str) -> &'v Value {
    list.as_array()
        .expect("an array")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

/// The (revision, operation, duration_ms) of each history row, in the order applied.
fn history_rows(p: &TestProject) -> Vec<(String, String, i64)> {
    let conn = p.db();
    let mut stmt = conn
        .prepare(
            "SELECT version_num, operation, duration_ms FROM migrate_version_history ORDER BY id",
        )
        .expect("history");
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("history")
        .collect::<Result<Vec<_>, _>>()
        .expect("history rows")
}

#[test]
fn upgrade_and_downgrade_print_one_line_per_revision_with_the_recorded_duration() {
    let p = branched_project();
    let run = p.run(&["--format", "json", "upgrade", "heads"]).ok();
    let lines: Vec<Value> = run.stdout.lines().map(parse).collect();
    let recorded = history_rows(&p);
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert_eq!(recorded.len(), 5);
    for (line, (revision, operation, duration)) in lines.iter().zip(&recorded) {
        let object = line.as_object().expect("an object");
        assert_eq!(object.len(), 3, "id, direction, duration_ms: {line}");
        assert_eq!(line["id"], revision.as_str());
        assert_eq!(line["direction"], "upgrade");
        assert_eq!(operation, "upgrade");
        assert_eq!(line["duration_ms"].as_i64(), Some(*duration), "{line}");
    }
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids[0], "aaaa0001");
    assert_eq!(&ids[3..], ["eeee0004", "dddd0005"]);
    let slow = recorded.iter().find(|r| r.0 == "dddd0005").unwrap();
    assert!(slow.2 > 0, "the slow revision took some time: {recorded:?}");
    // Progress still goes to stderr as text.
    assert!(
        run.stderr.contains("Running upgrade eeee0004 -> dddd0005"),
        "{}",
        run.stderr
    );
    assert_eq!(p.version_rows(), ["dddd0005"]);

    let run = p.run(&["--format", "json", "downgrade", "-1"]).ok();
    let line = parse(&run.stdout);
    let last = history_rows(&p).pop().unwrap();
    assert_eq!(line["id"], "dddd0005");
    assert_eq!(line["direction"], "downgrade");
    assert_eq!(last.1, "downgrade");
    assert_eq!(line["duration_ms"].as_i64(), Some(last.2));
    assert_eq!(p.version_rows(), ["eeee0004"]);

    // Nothing to do: no line at all.
    let run = p.run(&["--format", "json", "downgrade", "eeee0004"]).ok();
    assert_eq!(run.stdout, "");
}

#[test]
fn current_heads_branches_history_and_show_describe_the_graph() {
    let p = branched_project();
    p.run(&["upgrade", "heads"]).ok();

    let current = document(&p, &["current"]);
    let url = format!("sqlite:///{}", p.path("app.db").display());
    assert_eq!(current["database"], url.as_str());
    let rows = current["revisions"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], p.version_rows()[0].as_str());
    assert_eq!(rows[0]["dirty"], Value::Null);
    let d = &rows[0]["revision"];
    assert_eq!(d["id"], "dddd0005");
    assert_eq!(d["message"], "rev dddd0005");
    assert_eq!(sorted(&d["parents"]), ["eeee0004"]);
    assert_eq!(sorted(&d["depends_on"]), ["bbbb0002"]);
    assert_eq!(sorted(&d["children"]), Vec::<String>::new());
    assert_eq!(d["is_head"], true);
    assert_eq!(d["is_branch_point"], false);
    assert_eq!(d["is_merge_point"], false);
    assert_eq!(d["transactional"], true);
    assert_eq!(d["created"], Value::Null);
    assert!(
        d["path"].as_str().unwrap().ends_with("dddd0005_rev.sql"),
        "{d}"
    );

    let heads = document(&p, &["heads"]);
    let heads = heads["heads"].as_array().unwrap();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0]["id"], "dddd0005");

    let branches = document(&p, &["branches"]);
    let points = branches["branch_points"].as_array().unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0]["id"], "aaaa0001");
    assert_eq!(sorted(&points[0]["children"]), ["bbbb0002", "cccc0003"]);
    assert_eq!(points[0]["is_branch_point"], true);

    let history = document(&p, &["history"]);
    let list = &history["revisions"];
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 5);
    assert_eq!(&ids[..2], ["dddd0005", "eeee0004"], "newest first");
    assert_eq!(ids[4], "aaaa0001");
    let a = by_id(list, "aaaa0001");
    assert_eq!(sorted(&a["parents"]), Vec::<String>::new());
    assert_eq!(a["is_head"], false);
    let b = by_id(list, "bbbb0002");
    assert_eq!(sorted(&b["branch_labels"]), ["left"]);
    assert_eq!(sorted(&b["children"]), ["eeee0004"]);
    let c = by_id(list, "cccc0003");
    assert_eq!(c["transactional"], false);
    let m = by_id(list, "eeee0004");
    assert_eq!(sorted(&m["parents"]), ["bbbb0002", "cccc0003"]);
    assert_eq!(m["is_merge_point"], true);
    assert_eq!(m["is_branch_point"], false);
    let ranged = document(&p, &["history", "-r", "eeee0004:"]);
    let ranged: Vec<&str> = ranged["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ranged, ["dddd0005", "eeee0004"]);
    // `-i` adds the database's version rows; without it there is no `current` field.
    assert_eq!(history.get("current"), None);
    let indicated = document(&p, &["history", "-i"]);
    assert_eq!(indicated["current"], serde_json::json!(["dddd0005"]));
    assert_eq!(indicated["revisions"], history["revisions"]);

    let shown = document(&p, &["show", "dddd"]);
    let shown = shown["revisions"].as_array().unwrap();
    assert_eq!(shown.len(), 1);
    let d = &shown[0];
    assert_eq!(d["id"], "dddd0005");
    assert_eq!(
        d["upgrade"],
        format!("CREATE TABLE big (x INTEGER);\n{SLOW_INSERT}")
    );
    assert_eq!(d["downgrade"], "DROP TABLE big;");
    assert_eq!(sorted(&d["depends_on"]), ["bbbb0002"]);
    // The checksum is the one applying recorded.
    let recorded =
        p.strings("SELECT checksum FROM migrate_version_history WHERE version_num = 'dddd0005'");
    assert_eq!(d["checksum"], recorded[0].as_str());

    // A version row that no file defines: null revision, and the warning on stderr.
    p.db()
        .execute("INSERT INTO migrate_version VALUES ('ffff9999')", [])
        .unwrap();
    let run = p.run(&["--format", "json", "current"]).ok();
    let current = parse(&run.stdout);
    let unknown = by_id(&current["revisions"], "ffff9999");
    assert_eq!(unknown["revision"], Value::Null);
    assert_eq!(unknown["dirty"], Value::Null);
    assert!(
        run.stderr
            .contains("warning: the database is at revision ffff9999"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_prints_whether_the_database_matches_and_the_pending_operations() {
    let p = branched_project();
    p.run(&["upgrade", "heads"]).ok();
    let check = document(&p, &["check"]);
    assert_eq!(check["matches"], true);
    assert_eq!(check["operations"], serde_json::json!([]));

    let mut schema = std::fs::read_to_string(p.path("schema.sql")).unwrap();
    schema.push_str("CREATE TABLE extra (id INTEGER PRIMARY KEY);\n");
    p.write("schema.sql", &schema);
    let run = p
        .run(&["--format", "json", "check"])
        .fails(1, "1 pending operation(s)");
    let check = parse(&run.stdout);
    assert_eq!(check["matches"], false);
    let operations = check["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 1);
    let description = operations[0]["description"].as_str().unwrap();
    assert!(description.contains("extra"), "{description}");
    // The same words the text form lists.
    let text = p.run(&["check"]).fails(1, "pending");
    assert_eq!(text.stdout, format!("{description}\n"));
}

#[test]
fn errors_in_json_mode_are_one_line_on_stderr_and_the_exit_code() {
    let p = branched_project();
    let run = p
        .run(&["--format", "json", "show", "zzzz9"])
        .fails(1, "zzzz9");
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);

    // Behind head: check fails with the error line only.
    let run = p.run(&["--format", "json", "check"]).fails(1, "behind");
    assert_eq!(run.stdout, "");

    // Commands without a JSON form, and --sql, are refused as a wrong command line.
    for args in [
        &["--format", "json", "dump"][..],
        &["--format", "json", "upgrade", "--sql"],
        &["--format", "json", "stamp", "head"],
        &["--format", "yaml", "current"],
    ] {
        let run = p.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "");
    }
    assert!(!p.path("app.db").exists() || p.version_rows().is_empty());
}
