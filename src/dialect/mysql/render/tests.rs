//! Ops rendered per server: renames (`RENAME COLUMN` where the server has it, `CHANGE`
//! with the column's whole definition before: MySQL 5.7, MariaDB 10.4), and generated
//! columns made or unmade VIRTUAL, which no server will `MODIFY`.

use super::render_op;
use crate::dialect::mysql::MysqlDialect;
use crate::dialect::Dialect;
use crate::diff::{KeyKind, Op, TableChange};
use crate::schema::{Column, Index, Table};

fn column(name: &str) -> Column {
    Column {
        name: name.into(),
        type_text: "varchar(50)".into(),
        nullable: false,
        default: Some("'x'".into()),
        comment: Some("the name".into()),
        collation: Some("utf8mb4_bin".into()),
        ..Column::default()
    }
}

fn rename_column(server: &MysqlDialect) -> Vec<String> {
    let table = |column: Column| Table {
        name: "people".into(),
        columns: vec![column],
        ..Table::default()
    };
    let (old, new) = (column("name"), column("full name"));
    let op = Op::AlterTable {
        from: table(old.clone()),
        to: table(new.clone()),
        changes: vec![
            TableChange::RenameColumn { from: old, to: new },
            TableChange::RenameKey {
                kind: KeyKind::Unique,
                from: "name".into(),
                to: "full name".into(),
            },
        ],
    };
    render_op(server, &op).unwrap()
}

#[test]
fn servers_with_rename_column_use_it() {
    for server in [
        MysqlDialect::new("MariaDB", vec![10, 11, 6]),
        MysqlDialect::new("MariaDB", vec![10, 5, 2]),
        MysqlDialect::new("MySQL", vec![8, 0, 36]),
    ] {
        assert_eq!(
            rename_column(&server),
            [
                "ALTER TABLE `people` RENAME COLUMN `name` TO `full name`",
                "ALTER TABLE `people` RENAME INDEX `name` TO `full name`",
            ]
        );
    }
}

#[test]
fn older_servers_change_the_column_with_its_whole_definition() {
    for server in [
        MysqlDialect::new("MariaDB", vec![10, 4, 32]),
        MysqlDialect::new("MySQL", vec![5, 7, 44]),
    ] {
        assert_eq!(
            rename_column(&server)[0],
            "ALTER TABLE `people` CHANGE COLUMN `name` `full name` varchar(50) COLLATE \
             utf8mb4_bin NOT NULL DEFAULT 'x' COMMENT 'the name'"
        );
    }
    // MySQL 5.7 has RENAME INDEX; MariaDB 10.4 has not, and its dialect says so (the
    // differ then drops and adds the key).
    assert!(
        MysqlDialect::new("MySQL", vec![5, 7, 44])
            .caps()
            .renames_indexes
    );
    assert!(
        !MysqlDialect::new("MariaDB", vec![10, 4, 32])
            .caps()
            .renames_indexes
    );
}

#[test]
fn tables_and_indexes_are_renamed() {
    let server = MysqlDialect::default();
    let table = |name: &str| Table {
        name: name.into(),
        ..Table::default()
    };
    let rename = Op::RenameTable {
        from: table("people"),
        to: table("persons"),
    };
    assert_eq!(
        render_op(&server, &rename).unwrap(),
        ["RENAME TABLE `people` TO `persons`"]
    );
    assert_eq!(
        render_op(&server, &rename.invert()).unwrap(),
        ["RENAME TABLE `persons` TO `people`"]
    );
    let index = |name: &str| Index {
        name: name.into(),
        table: "persons".into(),
        ..Index::default()
    };
    let rename = Op::RenameIndex {
        from: index("age"),
        to: index("years"),
    };
    assert_eq!(
        render_op(&server, &rename).unwrap(),
        ["ALTER TABLE `persons` RENAME INDEX `age` TO `years`"]
    );
}

#[test]
fn generated_foreign_key_names_follow_their_table() {
    let mariadb = MysqlDialect::new("MariaDB", vec![10, 11, 6]);
    let mysql = MysqlDialect::default();
    let renamed = |d: &MysqlDialect, name: &str| d.renamed_with_table(name, "pets", "animals");
    assert_eq!(
        renamed(&mariadb, "pets_ibfk_12").as_deref(),
        Some("animals_ibfk_12")
    );
    assert_eq!(
        renamed(&mysql, "pets_chk_1").as_deref(),
        Some("animals_chk_1")
    );
    for name in [
        "pets_chk_1",
        "pets_ibfk_",
        "pets_ibfk_1x",
        "fk_pets_owner",
        "CONSTRAINT_1",
    ] {
        assert_eq!(renamed(&mariadb, name), None, "{name}");
    }
}

/// `t (id, a, b, c)` with `b` as `generated` (`None`: plain), an index on `b` and a
/// check naming it.
fn with_b(generated: Option<bool>) -> Table {
    let int = |name: &str| Column {
        name: name.into(),
        type_text: "int".into(),
        nullable: true,
        ..Column::default()
    };
    let mut b = int("b");
    b.generated = generated.map(|stored| crate::schema::Generated {
        expression: "`a` * 2".into(),
        stored,
    });
    let mut t = Table {
        name: "t".into(),
        columns: vec![int("id"), int("a"), b, int("c")],
        ..Table::default()
    };
    t.checks.push(crate::schema::Check {
        expression: "`b` < 1000".into(),
        name: Some("b_small".into()),
        ..Default::default()
    });
    t
}

fn alter_b(from: Option<bool>, to: Option<bool>) -> Vec<String> {
    let (from, to) = (with_b(from), with_b(to));
    let op = Op::AlterTable {
        changes: vec![TableChange::AlterColumn {
            from: from.columns[2].clone(),
            to: to.columns[2].clone(),
            delta: crate::diff::ColumnDelta::of(&[crate::diff::ColumnPart::Generated]),
        }],
        from,
        to,
    };
    render_op(&MysqlDialect::new("MariaDB", vec![10, 11, 6]), &op).unwrap()
}

#[test]
fn a_column_made_or_unmade_virtual_is_dropped_and_added_in_its_place() {
    let readd = |kind: &str| {
        format!(
            "ALTER TABLE `t` DROP CONSTRAINT `b_small`, DROP COLUMN `b`, ADD COLUMN `b` int \
             GENERATED ALWAYS AS (`a` * 2) {kind} AFTER `a`, ADD CONSTRAINT `b_small` CHECK \
             (`b` < 1000)"
        )
    };
    assert_eq!(alter_b(Some(false), Some(true)), [readd("STORED")]);
    assert_eq!(alter_b(Some(true), Some(false)), [readd("VIRTUAL")]);
    assert_eq!(alter_b(None, Some(false)), [readd("VIRTUAL")]);
    // Made plain, it keeps the values it had: added STORED first.
    assert_eq!(
        alter_b(Some(false), None),
        [
            readd("STORED"),
            "ALTER TABLE `t` MODIFY COLUMN `b` int NULL".to_string()
        ]
    );
    // A STORED column changes in place.
    assert_eq!(
        alter_b(None, Some(true)),
        ["ALTER TABLE `t` MODIFY COLUMN `b` int GENERATED ALWAYS AS (`a` * 2) STORED"]
    );
}
