//! The scratch database's confinement: schema.sql runs in an in-memory database and
//! must reach nothing outside it (no live database attached, no file written).

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::Connection;

/// Installs an authorizer on `conn` refusing every statement that reaches outside its
/// own in-memory database: ATTACH and DETACH (VACUUM attaches a temporary database and
/// `VACUUM INTO` its target, so both are refused too), `load_extension()`, and the
/// pragmas that set directories for files. SQLite then fails such a statement with `not
/// authorized` (`authorization denied` for VACUUM).
pub fn confine(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.authorizer(Some(authorize))
}

fn authorize(context: AuthContext<'_>) -> Authorization {
    if reaches_outside(&context.action) {
        Authorization::Deny
    } else {
        Authorization::Allow
    }
}

/// Whether `action` reaches outside the connection's own database.
fn reaches_outside(action: &AuthAction<'_>) -> bool {
    match action {
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => true,
        AuthAction::Function { function_name } => {
            function_name.eq_ignore_ascii_case("load_extension")
        }
        AuthAction::Pragma { pragma_name, .. } => ["temp_store_directory", "data_store_directory"]
            .iter()
            .any(|p| pragma_name.eq_ignore_ascii_case(p)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sql: &str) -> Result<(), String> {
        let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
        confine(&mut conn).map_err(|e| e.to_string())?;
        conn.execute_batch(sql).map_err(|e| e.to_string())
    }

    #[test]
    fn refuses_what_reaches_outside() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir
            .path()
            .join("x.db")
            .display()
            .to_string()
            .replace('\'', "''");
        for sql in [
            format!("ATTACH '{file}' AS live"),
            "ATTACH ':memory:' AS m".to_string(),
            "DETACH main".to_string(),
            format!("VACUUM INTO '{file}'"),
            "SELECT load_extension('x')".to_string(),
            format!("PRAGMA temp_store_directory = '{file}'"),
        ] {
            let error = run(&sql).expect_err(&sql);
            assert!(error.contains("auth"), "{sql}: {error}");
        }
        assert!(!dir.path().join("x.db").exists());
    }

    #[test]
    fn allows_schema_statements() {
        run(
            "CREATE TABLE t (a INT); CREATE INDEX i ON t (a); PRAGMA foreign_keys = ON; \
             CREATE VIEW v AS SELECT a FROM t; DROP VIEW v",
        )
        .expect("schema statements");
    }
}
