//! Unit tests of the echo rules: escapes, quoting, flattening and the length bounds.

use super::*;

#[test]
fn quote_escapes_control_characters() {
    assert_eq!(quote("abc"), "'abc'");
    assert_eq!(quote(""), "''");
    assert_eq!(quote("a\r\nb\0c\x1bd\te\x7f"), r"'a\r\nb\0c\x1bd\te\x7f'");
    assert_eq!(quote("\u{85}\u{2028}é"), r"'\u{85}\u{2028}é'");
}

#[test]
fn quote_cuts_long_input_and_says_how_long_it_was() {
    let exact = "b".repeat(QUOTE_MAX_CHARS);
    assert_eq!(quote(&exact), format!("'{exact}'"));
    let long = "b".repeat(200_000);
    assert_eq!(quote(&long), format!("'{exact}...' (200000 characters)"));
    // Multi-byte characters are cut on character boundaries.
    let wide = "é".repeat(100);
    assert_eq!(
        quote(&wide),
        format!("'{}...' (100 characters)", "é".repeat(QUOTE_MAX_CHARS))
    );
}

#[test]
fn one_line_flattens_line_breaks_and_drops_blank_lines() {
    assert_eq!(one_line("plain"), "plain");
    assert_eq!(
        one_line("near \"x\": syntax error in CREATE TABLE t (\n  id INT\n) at offset 3"),
        "near \"x\": syntax error in CREATE TABLE t (; id INT; ) at offset 3"
    );
    assert_eq!(one_line("a\r\n\r\n  \n\tb\n"), "a; b");
    assert_eq!(
        one_line("failed: x\n  statement: y"),
        "failed: x; statement: y"
    );
    // The ends of the message are kept as they are.
    assert_eq!(one_line(" -a"), " -a");
}

#[test]
fn one_line_escapes_lone_carriage_returns_and_other_controls() {
    assert_eq!(
        one_line("id 'zz\rqq\0x\x1b[31m'"),
        r"id 'zz\rqq\0x\x1b[31m'"
    );
}

#[test]
fn one_line_bounds_the_length_and_keeps_both_ends() {
    let message = format!(
        "file.sql:7: statement failed: {} at offset 3",
        "x".repeat(500_000)
    );
    let line = one_line(&message);
    assert!(line.chars().count() <= LINE_MAX_CHARS, "{}", line.len());
    assert!(
        line.starts_with("file.sql:7: statement failed: xxx"),
        "{line}"
    );
    assert!(line.ends_with("xxx at offset 3"), "{line}");
    assert!(line.contains(" ...(499"), "{line}");
    // Many short lines are bounded too.
    let many = "CREATE TABLE t (a INT);\n".repeat(10_000);
    assert!(one_line(&many).chars().count() <= LINE_MAX_CHARS);
    // A line of exactly the bound is untouched.
    let exact = "é".repeat(LINE_MAX_CHARS);
    assert_eq!(one_line(&exact), exact);
    let over = "é".repeat(LINE_MAX_CHARS + 1);
    assert_eq!(
        one_line(&over).chars().count(),
        LINE_MAX_CHARS - CUT_MARKER_MAX_CHARS + " ...(46 characters cut)... ".len()
    );
}

#[test]
fn the_cut_marker_fits_its_reserve() {
    let marker = format!(" ...({} characters cut)... ", u64::MAX);
    assert_eq!(marker.chars().count(), CUT_MARKER_MAX_CHARS);
}
