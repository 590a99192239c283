//! The commands: the only place that mixes settings, files, the graph and databases.

mod apply;
mod autogenerate;
mod dump;
mod edit;
mod init;
mod inspect;
mod json;
mod new_revision;
mod report;
mod shell;

use crate::cli::{Cli, Command, Format};
use crate::revision::graph::RevisionGraph;
use crate::revision::plan::Current;
use crate::revision::target::{InvalidTarget, Target};
use crate::settings::{self, Settings};
use anyhow::Result;
use std::path::PathBuf;

/// The command line is wrong (exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The exit status for an error: 2 for a wrong command line, 1 for everything else.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    if error.downcast_ref::<UsageError>().is_some() {
        2
    } else {
        1
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let out = Output {
        verbose: cli.verbose,
        quiet: cli.quiet,
        json: cli.format == Format::Json,
    };
    if out.json && !json_output(&cli.command) {
        return Err(UsageError(
            "--format json is only for current, heads, branches, history, show, check, \
             upgrade and downgrade (without --sql)"
                .into(),
        )
        .into());
    }
    match &cli.command {
        Command::Init { dir } => return init::run(dir.as_deref(), &out),
        Command::Completions { shell } => return shell::completions(*shell),
        Command::Man => return shell::man(),
        _ => {}
    }
    let env = |name: &str| std::env::var(name).ok();
    let settings = settings::load(&config_path(cli.config, &env), &env)?;
    let project = Project { settings, out };
    match cli.command {
        Command::Init { .. } | Command::Completions { .. } | Command::Man => {
            unreachable!("handled above")
        }
        Command::Revision(args) => new_revision::revision(&project, &args),
        Command::Merge {
            message,
            revisions,
            rev_id,
            branch_label,
        } => new_revision::merge(
            &project,
            &message,
            &revisions,
            rev_id.as_deref(),
            &branch_label,
        ),
        Command::Upgrade(args) => apply::upgrade(&project, &args),
        Command::Downgrade(args) => apply::downgrade(&project, &args),
        Command::Stamp { target, purge, sql } => apply::stamp(&project, &target, purge, sql),
        Command::Current => inspect::current(&project),
        Command::Check => autogenerate::check(&project),
        Command::Heads {
            resolve_dependencies,
        } => inspect::heads(&project, resolve_dependencies),
        Command::Branches => inspect::branches(&project),
        Command::History {
            range,
            indicate_current,
        } => inspect::history(&project, range.as_deref(), indicate_current),
        Command::Show { rev } => inspect::show(&project, &rev),
        Command::Dump { output } => dump::run(&project, output.as_deref()),
        Command::Edit { rev } => edit::edit(&project, &rev),
        Command::EnsureVersion { sql } => apply::ensure_version(&project, sql),
    }
}

/// The config file: `-c/--config`, else a non-empty `MIGRATE_CONFIG`, else `config.toml`.
fn config_path(given: Option<PathBuf>, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    given
        .or_else(|| {
            env(settings::CONFIG_VAR)
                .filter(|v| !v.trim().is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from(settings::DEFAULT_CONFIG_PATH))
}

/// Whether `command` prints JSON with `--format json`.
fn json_output(command: &Command) -> bool {
    match command {
        Command::Current
        | Command::Heads { .. }
        | Command::Branches
        | Command::History { .. }
        | Command::Show { .. }
        | Command::Check => true,
        Command::Upgrade(args) | Command::Downgrade(args) => !args.sql,
        _ => false,
    }
}

/// How much to print, and in which form.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    pub verbose: bool,
    pub quiet: bool,
    /// `--format json`: results on stdout as JSON (docs/json.md).
    pub json: bool,
}

impl Output {
    /// A progress or log line on stderr (suppressed by `-q`), its `warning:` prefix
    /// coloured on a terminal.
    pub fn log(&self, line: &str) {
        if !self.quiet {
            eprintln!("{}", crate::style::stderr_line(line));
        }
    }
}

/// A loaded project: settings and how to talk to the user.
pub struct Project {
    pub settings: Settings,
    pub out: Output,
}

impl Project {
    /// Loads and validates every revision file of every migrations directory into one
    /// graph.
    pub fn graph(&self) -> Result<RevisionGraph> {
        self.api().graph().map_err(cli_error)
    }

    /// The library API's view of the project: the CLI is one of its clients.
    pub fn api(&self) -> crate::api::Migrations {
        crate::api::Migrations::from_settings(self.settings.clone())
    }

    /// The library API's migrator for the configured database, its progress lines
    /// printed on stderr.
    pub fn migrator(&self) -> crate::api::Migrator {
        let out = self.out;
        self.api()
            .migrator()
            .with_progress(move |line| out.log(line))
    }

    /// The version rows of the database, read without creating it.
    pub fn read_current(&self) -> Result<Current> {
        self.migrator().version_rows().map_err(cli_error)
    }
}

/// Writes results to stdout in one write; a closed pipe (`migrate history | head`) ends
/// the run quietly instead of failing.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if let Err(error) = written {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to stdout: {error}");
        std::process::exit(1);
    }
}

/// Parses a target given on the command line (a malformed one is a usage error).
pub fn parse_target(raw: &str) -> Result<Target> {
    raw.parse::<Target>().map_err(malformed_target)
}

/// A malformed target on the command line: a usage error (exit 2) listing the forms.
fn malformed_target(error: InvalidTarget) -> anyhow::Error {
    UsageError(format!("{error}: expected head, heads, base, a revision id or prefix, +N, -N, REV+N, REV-N, LABEL@head or LABEL@base")).into()
}

/// The CLI's error for an error of the library API: the engine's own error (the one
/// `main` prints a listing or diff above), a malformed target a usage error.
pub fn cli_error(error: crate::api::Error) -> anyhow::Error {
    match error {
        crate::api::Error::Target(invalid) => malformed_target(invalid),
        other => other.into_anyhow(),
    }
}
