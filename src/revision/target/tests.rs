//! Target parsing and display.

use super::{InvalidTarget, Target};
use proptest::prelude::*;

fn parse(s: &str) -> Result<Target, InvalidTarget> {
    s.parse()
}

#[test]
fn parses_every_form() {
    let rev = |s: &str| Target::Rev(s.to_string());
    let cases = [
        ("head", Target::Head),
        ("heads", Target::Heads),
        ("base", Target::Base),
        ("+1", Target::Relative(1)),
        ("-3", Target::Relative(-3)),
        ("ae10+2", Target::RevRelative("ae10".into(), 2)),
        (
            "ae1027a6acf0-1",
            Target::RevRelative("ae1027a6acf0".into(), -1),
        ),
        ("head-1", Target::RevRelative("head".into(), -1)),
        ("my-branch-2", Target::RevRelative("my-branch".into(), -2)),
        ("shop@head", Target::LabelHead("shop".into())),
        ("my-shop@base", Target::LabelBase("my-shop".into())),
        ("ae1027a6acf0", rev("ae1027a6acf0")),
        ("ae10", rev("ae10")),
        ("a", rev("a")),
        ("1234", rev("1234")),
        ("Rev_1", rev("Rev_1")),
        ("my-branch", rev("my-branch")),
        ("headx", rev("headx")),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text), Ok(want), "{text}");
    }
}

#[test]
fn rejects_malformed_targets() {
    for text in [
        "",
        " ",
        "head ",
        "+0",
        "-0",
        "abc+0",
        "+",
        "-",
        "++1",
        "+-1",
        "+1a",
        "1+",
        "-a-",
        "-abc",
        "a b",
        "a.b",
        "abc@",
        "@head",
        "abc@tail",
        "abc@head@head",
        "a@b@base",
        "abc+x",
        "+99999999999999999999",
        "é",
        "abc/def",
        "heads@",
        "x+1+1",
    ] {
        assert_eq!(
            parse(text),
            Err(InvalidTarget(text.to_string())),
            "{text:?}"
        );
    }
}

#[test]
fn invalid_target_message_quotes_the_text() {
    assert_eq!(
        parse("a.b").unwrap_err().to_string(),
        "invalid target 'a.b'"
    );
}

#[test]
fn display_writes_each_form() {
    let cases = [
        (Target::Head, "head"),
        (Target::Heads, "heads"),
        (Target::Base, "base"),
        (Target::Relative(2), "+2"),
        (Target::Relative(-2), "-2"),
        (Target::RevRelative("ab".into(), 3), "ab+3"),
        (Target::RevRelative("ab".into(), -3), "ab-3"),
        (Target::LabelHead("l".into()), "l@head"),
        (Target::LabelBase("l".into()), "l@base"),
        (Target::Rev("ab12".into()), "ab12"),
    ];
    for (target, text) in cases {
        assert_eq!(target.to_string(), text);
    }
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9_-]{0,20}".prop_filter("keyword", |s| {
        !matches!(s.as_str(), "head" | "heads" | "base")
            // `x-1` is REV-N, not a name, by the grammar
            && !s
                .rsplit_once('-')
                .is_some_and(|(_, d)| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn target() -> impl Strategy<Value = Target> {
    let n = (1i64..1_000_000).prop_flat_map(|n| prop_oneof![Just(n), Just(-n)]);
    prop_oneof![
        Just(Target::Head),
        Just(Target::Heads),
        Just(Target::Base),
        name().prop_map(Target::Rev),
        n.clone().prop_map(Target::Relative),
        (name(), n).prop_map(|(r, n)| Target::RevRelative(r, n)),
        name().prop_map(Target::LabelHead),
        name().prop_map(Target::LabelBase),
    ]
}

proptest! {
    #[test]
    fn display_round_trips(t in target()) {
        prop_assert_eq!(parse(&t.to_string()), Ok(t));
    }

    #[test]
    fn parse_never_panics_and_display_reparses(s in "[a-z0-9@+_ -]{0,12}") {
        if let Ok(t) = parse(&s) {
            prop_assert_eq!(parse(&t.to_string()), Ok(t));
        }
    }
}
