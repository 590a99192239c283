//! The cache file: round trip, and every way it can go stale or corrupt reads as a miss.

use super::*;
use crate::schema::{Column, Table};

fn sample() -> Schema {
    let mut schema = Schema::default();
    let table = Table {
        name: "users".into(),
        columns: vec![Column {
            name: "id".into(),
            type_text: "INTEGER".into(),
            ..Column::default()
        }],
        ..Table::default()
    };
    schema.tables.insert("users".into(), table);
    schema
}

/// The key of `files` (name, text) on SQLite `version`, leaving out `exclude`.
fn key_of(files: &[(&str, &str)], version: &str, exclude: &[&str]) -> String {
    let files: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.as_bytes().to_vec()))
        .collect();
    let exclude: Vec<String> = exclude.iter().map(|e| e.to_string()).collect();
    let server = format!("SQLite {version}");
    key(&Inputs {
        files: &files,
        server: &server,
        scratch: "sqlite:///app.db",
        namespaces: &[String::new()],
        exclude: &exclude,
    })
}

fn inputs_key(schema_sql: &str, exclude: &[&str]) -> String {
    key_of(&[("schema.sql", schema_sql)], "3.50.0", exclude)
}

/// A cache file with a correct header and digest around `payload`.
fn write_raw(file: &Path, key: &str, payload: &[u8]) {
    let digest = hex(&Sha256::digest(payload));
    let mut bytes = format!("{MAGIC} {key}\n{digest}\n").into_bytes();
    bytes.extend_from_slice(payload);
    std::fs::write(file, bytes).expect("write cache");
}

#[test]
fn a_stored_model_loads_back_under_its_key_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = path(dir.path());
    let k = inputs_key("CREATE TABLE users (id INTEGER);", &[]);
    store(&file, &k, &sample()).expect("store");
    assert_eq!(load(&file, &k), Some(sample()));
    assert_eq!(load(&file, &inputs_key("CREATE TABLE x (id);", &[])), None);
    let leftovers = std::fs::read_dir(file.parent().expect("dir"))
        .expect("read .migrate")
        .count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn the_key_covers_every_input() {
    let base = inputs_key("CREATE TABLE a (id);", &["v"]);
    assert_ne!(base, inputs_key("CREATE TABLE a (id); ", &["v"]));
    assert_ne!(base, inputs_key("CREATE TABLE a (id);", &["w"]));
    let renamed = key_of(&[("other.sql", "CREATE TABLE a (id);")], "3.50.0", &["v"]);
    assert_ne!(base, renamed);
    let upgraded = key_of(&[("schema.sql", "CREATE TABLE a (id);")], "3.51.0", &["v"]);
    assert_ne!(base, upgraded);
    // Length prefixes: moving bytes between two files changes the key.
    let split = |a: &str, b: &str| key_of(&[("a.sql", a), ("b.sql", b)], "3.50.0", &[]);
    assert_ne!(split("ab", "c"), split("a", "bc"));
}

#[test]
fn corrupt_files_read_as_a_miss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = path(dir.path());
    let k = inputs_key("s", &[]);
    store(&file, &k, &sample()).expect("store");
    let good = std::fs::read(&file).expect("read");

    std::fs::write(&file, &good[..good.len() / 2]).expect("truncate");
    assert_eq!(load(&file, &k), None, "truncated");
    std::fs::write(&file, b"\x00\xffgarbage\n\n").expect("garbage");
    assert_eq!(load(&file, &k), None, "garbage");
    std::fs::write(&file, b"").expect("empty");
    assert_eq!(load(&file, &k), None, "empty");

    // The payload edited behind the digest's back.
    let edited = String::from_utf8(good.clone())
        .expect("utf-8")
        .replace("\"INTEGER\"", "\"TEXT\"");
    std::fs::write(&file, edited).expect("edit");
    assert_eq!(load(&file, &k), None, "digest mismatch");

    // Valid JSON with a matching digest, but not a schema.
    write_raw(&file, &k, br#"{"tables": [1, 2, 3]}"#);
    assert_eq!(load(&file, &k), None, "wrong shape");
    write_raw(&file, &k, b"[]");
    assert_eq!(load(&file, &k), None, "wrong shape");

    // A schema whose map keys disagree with the objects' names.
    let mut inconsistent = sample();
    let table = inconsistent.tables.remove("users").expect("users");
    inconsistent.tables.insert("people".into(), table);
    let payload = serde_json::to_vec(&inconsistent).expect("json");
    write_raw(&file, &k, &payload);
    assert_eq!(load(&file, &k), None, "inconsistent");

    // A correct file under the same key still loads.
    write_raw(&file, &k, &serde_json::to_vec(&sample()).expect("json"));
    assert_eq!(load(&file, &k), Some(sample()));
}

/// A model in namespaces (PostgreSQL's), keyed as its inspector keys it: its table, view,
/// index and trigger keys are qualified, and it loads back (a check that compared keys
/// with bare names rebuilt the model on every run).
#[test]
fn a_model_in_namespaces_loads_back() {
    use crate::schema::{Index, Trigger, View};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".migrate/desired-schema.json");
    let mut schema = Schema::default();
    let mut table = Table {
        namespace: "billing".into(),
        name: "invoices".into(),
        ..Table::default()
    };
    table.indexes.insert(
        "invoices_ix".into(),
        Index {
            namespace: "billing".into(),
            name: "invoices_ix".into(),
            table: "invoices".into(),
            ..Index::default()
        },
    );
    schema.tables.insert(table.key(), table);
    let view = View {
        namespace: "billing".into(),
        name: "open_invoices".into(),
        ..View::default()
    };
    schema.views.insert(view.key(), view);
    let trigger = Trigger {
        namespace: "billing".into(),
        name: "touch".into(),
        table: "invoices".into(),
        ..Trigger::default()
    };
    schema.triggers.insert(trigger.key(), trigger);
    store(&file, "k", &schema).unwrap();
    assert_eq!(load(&file, "k"), Some(schema));
}
