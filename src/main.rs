//! The `migrate` binary: parse the command line, run it, print one error line, exit 0/1/2.

use clap::Parser;
use migrate::engine::migrator::ChecksumChanged;
use migrate::engine::resume::DirtyRevision;
use migrate::engine::sink::ApplyError;
use migrate::{echo, style, url::redact};

fn main() {
    let cli = migrate::cli::Cli::try_parse().unwrap_or_else(|e| exit_wrong_command_line(&e));
    if let Err(error) = migrate::app::run(cli) {
        let message = format!("{error:#}");
        // Diffs and statement listings are read line by line: they go above the one error
        // line.
        let above = if let Some(changed) = error.downcast_ref::<ChecksumChanged>() {
            changed.diff.as_str()
        } else if let Some(failed) = error.downcast_ref::<ApplyError>() {
            failed.applied.as_str()
        } else if let Some(dirty) = error.downcast_ref::<DirtyRevision>() {
            dirty.applied.as_str()
        } else {
            ""
        };
        for line in above.lines() {
            eprintln!("{}", echo::one_line(&redact(line)));
        }
        let line = format!("error: {}", echo::one_line(&redact(&message)));
        eprintln!("{}", style::stderr_line(&line));
        std::process::exit(migrate::app::exit_code(&error));
    }
}

/// Prints clap's help or version (exit 0), or its error, tip and usage lines with what
/// they echo of the command line escaped and bounded, `error:` coloured on a terminal
/// (exit 2).
fn exit_wrong_command_line(error: &clap::Error) -> ! {
    if !error.use_stderr() {
        error.exit();
    }
    for line in error.render().to_string().lines() {
        eprintln!("{}", style::stderr_line(&echo::one_line(line)));
    }
    std::process::exit(error.exit_code());
}
