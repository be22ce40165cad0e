//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::render::Mode;

/// A terminal reader for translated news: source and translation side by side.
#[derive(Debug, Parser)]
#[command(name = "bitext", version, about, long_about = None)]
pub struct Cli {
    /// The folder of articles (overrides `library.path` in the config).
    #[arg(long, short = 'l', global = true, value_name = "DIR")]
    pub library: Option<PathBuf>,

    /// The config file to layer over the built-in defaults (else $BITEXT_CONFIG, else
    /// $XDG_CONFIG_HOME/bitext/config.toml).
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the reader (the default).
    Read,
    /// Print one line per article: id, date, languages, title.
    List {
        /// Print a JSON array of objects instead, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Print an article laid out as the reader draws it, as plain text.
    Show {
        /// The article id (its path in the library without `.toml`), as `bitext list` prints it.
        id: String,
        /// The reading mode.
        #[arg(long, short = 'm', value_enum)]
        mode: Option<Mode>,
        /// Width in columns (default: the terminal's, or 100 when not printing to a terminal).
        #[arg(long, short = 'w', value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Put the translation on the left in side-by-side mode.
        #[arg(long)]
        swap: bool,
    },
    /// Validate every file in the library; exit 1 if any file has an error.
    Check,
}
