//! SQL text: the statement splitter, rename hints, identifiers in expressions.

pub mod hints;
pub mod ident;
pub mod lex;
