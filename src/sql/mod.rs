//! SQL text: the statement splitter.

pub mod lex;
