//! Shell integration: completion scripts and the man page generated from the clap
//! definitions, help on every command and argument, and colours only on a terminal.

use crate::project::{binary, TestProject};
use std::process::Command;

const SUBCOMMANDS: [&str; 6] = [
    "upgrade",
    "downgrade",
    "history",
    "stamp",
    "completions",
    "man",
];

#[test]
fn completions_name_the_subcommands_in_every_shell() {
    let p = TestProject::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = p.run(&["completions", shell]).ok();
        assert!(run.stdout.len() > 1000, "{shell}: {}", run.stdout);
        for name in SUBCOMMANDS {
            assert!(run.stdout.contains(name), "{shell} script lacks {name}");
        }
        // fish writes options as `-l format`, the others as `--format`.
        assert!(
            run.stdout.contains("format"),
            "{shell} script lacks --format"
        );
    }
    let unknown = p.run(&["completions", "tcsh"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let p = TestProject::new();
    let script = p.path("migrate.bash");
    p.write("migrate.bash", &p.run(&["completions", "bash"]).ok().stdout);
    let status = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .expect("run bash -n");
    assert!(status.success(), "bash -n rejects the completion script");
    // Sourced, it registers a completion function for `migrate`.
    let registered = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p migrate",
            script.display()
        ))
        .output()
        .expect("run bash");
    assert!(registered.status.success(), "{registered:?}");
    assert!(String::from_utf8_lossy(&registered.stdout).contains("migrate"));
}

#[test]
fn the_man_page_is_roff_that_groff_reads() {
    let p = TestProject::new();
    let page = p.run(&["man"]).ok().stdout;
    assert!(page.contains(".TH migrate 1"), "{page}");
    assert!(page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"));
    for name in SUBCOMMANDS {
        assert!(page.contains(name), "the man page lacks {name}");
    }
    let Ok(mut groff) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("groff is not installed: only the roff header was checked");
        return;
    };
    use std::io::Write;
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = groff.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "groff warns: {stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("SYNOPSIS") && text.contains("--format"),
        "{text}"
    );
}

/// Every command and argument of `command`, recursively, that has no help line.
fn without_help(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
    let here = format!("{path} {}", command.get_name()).trim().to_string();
    if command.get_about().is_none() && !path.is_empty() {
        missing.push(here.clone());
    }
    for arg in command.get_arguments() {
        if arg.get_help().is_none() && arg.get_long_help().is_none() {
            missing.push(format!("{here} {}", arg.get_id()));
        }
    }
    for sub in command.get_subcommands() {
        without_help(sub, &here, missing);
    }
}

#[test]
fn every_command_and_argument_has_a_help_line() {
    use clap::CommandFactory;
    let mut command = migrate::cli::Cli::command();
    command.build();
    let mut missing = Vec::new();
    without_help(&command, "", &mut missing);
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "commands or arguments without help"
    );
    assert!(command.get_subcommands().count() >= 14);
}

/// Runs `args` with stdout and stderr on a pseudo-terminal (util-linux `script`) and
/// returns what the terminal showed.
fn on_terminal(p: &TestProject, args: &str, env: &[(&str, &str)]) -> String {
    let mut command = Command::new("script");
    command
        .args([
            "-q",
            "-e",
            "-c",
            &format!("{} {args}", binary()),
            "/dev/null",
        ])
        .current_dir(p.root())
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("DATABASE_URL");
    command.envs(env.iter().copied());
    let output = command.output().expect("run script");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn revision_project() -> TestProject {
    let p = TestProject::new();
    p.revision(
        "aaaa0001",
        "",
        "CREATE TABLE t (id INTEGER);",
        "DROP TABLE t;",
    );
    p
}

#[test]
fn colours_on_a_terminal_unless_no_color() {
    let p = revision_project();
    let error = on_terminal(&p, "show nope9", &[]);
    assert!(
        error.contains("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m unknown revision"),
        "{error:?}"
    );
    let usage = on_terminal(&p, "--bogus", &[]);
    assert!(
        usage.contains("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m unexpected argument"),
        "{usage:?}"
    );
    let heading = on_terminal(&p, "show aaaa0001", &[]);
    assert!(
        heading.contains("\u{1b}[1mRev: aaaa0001 (head)\u{1b}[0m"),
        "{heading:?}"
    );
    assert!(
        heading.contains("\u{1b}[1m-- migrate:upgrade\u{1b}[0m"),
        "{heading:?}"
    );

    for shown in [
        on_terminal(&p, "show nope9", &[("NO_COLOR", "1")]),
        on_terminal(&p, "--bogus", &[("NO_COLOR", "1")]),
        on_terminal(&p, "show aaaa0001", &[("NO_COLOR", "1")]),
    ] {
        assert!(!shown.contains('\u{1b}'), "NO_COLOR: {shown:?}");
        assert!(
            shown.contains("error: ") || shown.contains("Rev: aaaa0001"),
            "{shown:?}"
        );
    }
}

#[test]
fn no_escapes_when_piped() {
    let p = revision_project();
    for args in [
        &["show", "nope9"][..],
        &["show", "aaaa0001"],
        &["-v", "heads"],
        &["--help"],
    ] {
        let run = p.run(args);
        assert!(!run.stdout.contains('\u{1b}'), "{args:?}: {run:?}");
        assert!(!run.stderr.contains('\u{1b}'), "{args:?}: {run:?}");
    }
    // A warning piped: plain too.
    p.run(&["upgrade"]).ok();
    p.db()
        .execute("INSERT INTO migrate_version VALUES ('ffff9999')", [])
        .unwrap();
    let run = p.run(&["current"]).ok();
    assert!(run.stderr.starts_with("warning: "), "{run:?}");
    let shown = on_terminal(&p, "current", &[]);
    assert!(
        shown.contains("\u{1b}[1m\u{1b}[33mwarning:\u{1b}[0m"),
        "{shown:?}"
    );
}
