//! The checksum of a revision: SHA-256 of its upgrade section (see the newline policy).

/// Lowercase hex SHA-256 of an upgrade section's SQL after the newline policy.
pub fn checksum(upgrade_sql: &str) -> String {
    let _ = upgrade_sql;
    todo!("helper: checksum")
}
