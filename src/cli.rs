//! The command line: clap derive types only. Validation happens in `app`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Schema migrations for SQLite, PostgreSQL and MySQL/MariaDB, in the style of Alembic.
#[derive(Debug, Parser)]
#[command(name = "migrate", version, about, propagate_version = true)]
pub struct Cli {
    /// The config file to read [default: $MIGRATE_CONFIG if set and not empty, else
    /// config.toml].
    #[arg(short = 'c', long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Say more (for current, heads, branches, history: the full revision details).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print no progress lines, only results and errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// How results are printed on stdout: text, or JSON (see docs/json.md).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write config.toml, schema.sql and migrations/ into DIR (default: here).
    Init {
        /// The directory to write into (created if missing).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Create a new revision file.
    Revision(RevisionArgs),
    /// Apply revisions up to TARGET (default: head).
    Upgrade(ApplyArgs),
    /// Revert revisions down to TARGET.
    Downgrade(ApplyArgs),
    /// Show the revisions the database is at.
    Current,
    /// Exit 0 when the database is at head and matches schema.sql; exit 1 listing the
    /// pending operations otherwise.
    Check,
    /// Show the heads of the revision graph.
    Heads {
        /// Leave out revisions that another revision depends on (`depends_on`): the
        /// heads `upgrade heads` aims at.
        #[arg(long)]
        resolve_dependencies: bool,
    },
    /// Show the branch points of the revision graph.
    Branches,
    /// Show the revisions, newest first.
    History {
        /// A range `A:B` (either side may be empty; `current` names the database's revision).
        #[arg(
            short = 'r',
            long = "rev-range",
            value_name = "A:B",
            allow_hyphen_values = true
        )]
        range: Option<String>,
        /// Mark the revisions the database is at with `(current)`.
        #[arg(short = 'i', long)]
        indicate_current: bool,
    },
    /// Show one revision: headers, path and SQL.
    Show {
        /// The revision: an id or unique prefix, `head`, `heads`, `LABEL@head`, ...
        #[arg(value_name = "REV", allow_negative_numbers = true)]
        rev: String,
    },
    /// Open a revision's file (`current`, `head` accepted) in $VISUAL, else $EDITOR.
    Edit {
        /// The revision: an id or unique prefix, a label, `head`, `current`.
        #[arg(value_name = "REV", allow_negative_numbers = true)]
        rev: String,
    },
    /// Create the version tables if they are missing, stamping nothing.
    EnsureVersion {
        /// Print the SQL instead of running it; touches no database.
        #[arg(long)]
        sql: bool,
    },
    /// Create a revision that merges several heads.
    Merge {
        /// The message of the merge revision.
        #[arg(short, long)]
        message: String,
        /// The revisions to merge, or `heads`.
        #[arg(value_name = "REV", required = true)]
        revisions: Vec<String>,
        /// Use this id instead of a random one.
        #[arg(long, value_name = "ID")]
        rev_id: Option<String>,
        /// A branch label for the new revision.
        #[arg(long, value_name = "LABEL")]
        branch_label: Vec<String>,
    },
    /// Set the version table to TARGET without running any revision.
    Stamp {
        /// The revision(s) to record: a target as for `upgrade`, or `base`.
        #[arg(value_name = "TARGET", allow_negative_numbers = true)]
        target: String,
        /// Ignore the current version rows (they may name revisions that no longer exist).
        #[arg(long)]
        purge: bool,
        /// Print the SQL instead of running it; touches no database. Stamps from base,
        /// or from FROM given as `FROM:TO`.
        #[arg(long)]
        sql: bool,
    },
    /// Print the database's schema as DDL of its engine, loadable into an empty database.
    Dump {
        /// Write the DDL to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print a shell completion script for SHELL on stdout.
    Completions {
        /// The shell to complete in.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout, e.g. `migrate man | man -l -`.
    Man,
}

/// How results are printed on stdout (`--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people, as Alembic prints them.
    #[default]
    Text,
    /// One JSON document (JSON lines for `upgrade`/`downgrade`), fields as in docs/json.md.
    Json,
}

/// `migrate revision`.
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// The revision's message (default: "empty message", as Alembic).
    #[arg(short, long)]
    pub message: Option<String>,
    /// Fill the revision with the difference between the database and schema.sql.
    #[arg(long)]
    pub autogenerate: bool,
    /// Use this id instead of a random one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
    /// The revision to build on (default: the single head).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Allow --head to name a revision that is not a head (starts a new branch).
    #[arg(long)]
    pub splice: bool,
    /// A branch label for the new revision.
    #[arg(long, value_name = "LABEL")]
    pub branch_label: Vec<String>,
    /// Revisions the new one depends on (repeatable or comma-separated).
    #[arg(long, value_name = "REV", value_delimiter = ',')]
    pub depends_on: Vec<String>,
    /// The migrations directory to write the file into: one of `migrations.dirs`
    /// (default: the directory of the revision it builds on, else the only one).
    #[arg(long, value_name = "DIR")]
    pub version_path: Option<PathBuf>,
}

/// `migrate upgrade` / `migrate downgrade`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// `head`, `heads`, `base`, a revision or prefix, `+N`, `-N`, `REV+N`, `REV-N`,
    /// `LABEL@head`, `LABEL@base`; with --sql also `FROM:TO`.
    #[arg(value_name = "TARGET", allow_negative_numbers = true)]
    pub target: Option<String>,
    /// Print the SQL script instead of running it; touches no database.
    #[arg(long)]
    pub sql: bool,
    /// Proceed although applied revisions changed since they were applied.
    #[arg(long)]
    pub allow_changed: bool,
}
