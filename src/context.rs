//! What every command works with: the configuration and the library's place, and the error
//! a command ends with. Shared by the commands and the reader, below both.

use std::path::PathBuf;

use crate::cli::Cli;
use crate::config::{self, Config, ConfigError};
use crate::library::LibraryError;
use crate::render::Options;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Everything a command needs: the configuration and where the library is.
pub struct Context {
    pub config: Config,
    pub library_path: PathBuf,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Self, Error> {
        let mut loaded = config::load(cli.config.as_deref())?;
        loaded.config.theme.ascii |= cli.ascii;
        let library_path = cli.library.clone().unwrap_or_else(|| loaded.config.library.path.clone());
        Ok(Context { config: loaded.config, library_path })
    }

    /// Where the reading state lives: the config's `state.path`, else the XDG default.
    pub fn state_path(&self) -> Option<PathBuf> {
        let p = &self.config.state.path;
        if p.as_os_str().is_empty() { crate::state::default_path() } else { Some(p.clone()) }
    }

    pub fn render_options(&self) -> Options {
        let r = &self.config.reader;
        Options {
            max_width: usize::from(r.max_width),
            gap: usize::from(r.column_gap),
            min_column: usize::from(r.min_column),
            swap: false,
        }
    }
}
