//! The differ: compares two schemas and returns the ordered operations that turn the first
//! into the second. Engine-neutral; the dialect's equivalence hooks decide whether two
//! texts (types, defaults, expressions) mean the same.

pub mod describe;
pub mod op;

pub use describe::describe;
pub use op::{Op, TableChange};

use crate::dialect::Dialect;
use crate::schema::Schema;

/// The ordered operations that turn `from` into `to`.
pub fn diff(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Vec<Op> {
    let _ = (from, to, dialect);
    todo!("helper: differ")
}
