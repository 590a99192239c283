//! `completions SHELL` and `man`: generated from the clap definitions by clap_complete and
//! clap_mangen, so they follow every command and option without being written by hand.

use super::emit;
use crate::cli::Cli;
use anyhow::{Context, Result};
use clap::CommandFactory;

/// `migrate completions SHELL`: the completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "migrate", &mut script);
    emit(&String::from_utf8(script).context("the completion script is not UTF-8")?);
    Ok(())
}

/// `migrate man`: the manual page as roff on stdout.
pub fn man() -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .context("cannot render the manual page")?;
    emit(&String::from_utf8(page).context("the manual page is not UTF-8")?);
    Ok(())
}
