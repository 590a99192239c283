//! The `migrate` binary: parse the command line, run it, print one error line, exit 0/1/2.

use clap::Parser;

fn main() {
    let cli = migrate::cli::Cli::parse(); // exits 2 (0 for --help) on a wrong command line
    if let Err(error) = migrate::app::run(cli) {
        let message = migrate::url::redact(&format!("{error:#}"));
        eprintln!("error: {message}");
        std::process::exit(migrate::app::exit_code(&error));
    }
}
