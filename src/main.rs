//! The `migrate` binary: parse the command line, run it, print one error line, exit 0/1/2.

use clap::Parser;
use migrate::engine::migrator::ChecksumChanged;
use migrate::{echo, url::redact};

fn main() {
    let cli = migrate::cli::Cli::parse(); // exits 2 (0 for --help) on a wrong command line
    if let Err(error) = migrate::app::run(cli) {
        let mut message = format!("{error:#}");
        if let Some(changed) = error.downcast_ref::<ChecksumChanged>() {
            // The diffs are read line by line: they go above the one error line.
            for line in changed.diff.lines() {
                eprintln!("{}", echo::one_line(&redact(line)));
            }
            message = message.replacen(&format!(":\n{}\n", changed.diff), " (diff above); ", 1);
        }
        eprintln!("error: {}", echo::one_line(&redact(&message)));
        std::process::exit(migrate::app::exit_code(&error));
    }
}
