//! What every command works with: the configuration and the library's place, and the error
//! a command ends with. Shared by the commands and the reader, below both.

use std::path::PathBuf;

/// `$XDG_DATA_HOME/bitext/articles` (usually `~/.local/share/bitext/articles`).
pub fn default_library() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    Some(etcetera::choose_base_strategy().ok()?.data_dir().join("bitext").join("articles"))
}

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

impl Error {
    /// A mistake in what was asked (a flag, an article id, the config file, where the library
    /// is) rather than a failure of the machine: it is said on stderr, where the user sees it,
    /// and is not a log event.
    pub fn is_usage(&self) -> bool {
        !matches!(self, Error::Io(_))
    }
}

/// Everything a command needs: the configuration and where the library is.
pub struct Context {
    pub config: Config,
    pub library_path: PathBuf,
    /// Where the library's place came from, for messages: `--library`, `$BITEXT_LIBRARY`, …
    pub library_origin: String,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Self, Error> {
        let mut loaded = config::load(cli.config.as_deref())?;
        loaded.config.theme.ascii |= cli.ascii;
        let env = std::env::var_os("BITEXT_LIBRARY").filter(|v| !v.is_empty()).map(PathBuf::from);
        let (library_path, library_origin) = if let Some(dir) = &cli.library {
            (dir.clone(), "--library".to_string())
        } else if let Some(dir) = env {
            (dir, "$BITEXT_LIBRARY".to_string())
        } else if let (true, Some(file)) = (loaded.set_by_file.contains("library.path"), &loaded.file) {
            (loaded.config.library.path.clone(), format!("[library] path in {}", file.display()))
        } else if std::path::Path::new("articles").is_dir() {
            (PathBuf::from("articles"), "./articles".to_string())
        } else {
            // An installed bitext run anywhere: its own library, made on first use.
            match default_library() {
                Some(dir) => {
                    let _ = std::fs::create_dir_all(&dir);
                    (dir, "the default library ($XDG_DATA_HOME/bitext/articles)".to_string())
                }
                None => (PathBuf::from("articles"), "./articles".to_string()),
            }
        };
        Ok(Context { config: loaded.config, library_path, library_origin })
    }

    /// The library folder exists and can be read; the error says where its place came from
    /// and what else was looked at.
    pub fn check_library(&self) -> Result<(), Error> {
        match crate::library::Library::check_root(&self.library_path) {
            Err(LibraryError::Missing(p)) => Err(Error::Usage(format!(
                "library folder {} does not exist (from {}; bitext looks at --library, then $BITEXT_LIBRARY, \
                 then [library] path in your config file, then ./articles, then $XDG_DATA_HOME/bitext/articles)",
                p.display(),
                self.library_origin
            ))),
            other => other.map_err(Error::from),
        }
    }

    /// Where the reading state lives: the config's `state.path`, else the XDG default.
    pub fn state_path(&self) -> Option<PathBuf> {
        let p = &self.config.state.path;
        if p.as_os_str().is_empty() { crate::state::default_path() } else { Some(p.clone()) }
    }

    /// A fetch of the feeds, as the configuration sets it.
    pub fn fetch_options(&self) -> crate::feeds::fetch::Options {
        crate::feeds::fetch::Options {
            library: self.library_path.clone(),
            reading_lang: crate::web::extract::primary_language(&self.config.library.reading_lang)
                .unwrap_or_else(|| "en".into()),
            http: self.config.web.http_options(),
            parallel: self.config.feeds.parallel as usize,
            state_path: crate::feeds::state::default_path(),
            reading_state: self.state_path(),
            engines: self.config.engines.clone(),
            default_engine: self.config.translate.engine.clone(),
            pages: crate::web::pages::PageCache::default_dir().map(crate::web::pages::PageCache::new),
            max_file_size: self.config.library.max_file_size,
            cancel: None,
        }
    }

    pub fn render_options(&self) -> Options {
        let r = &self.config.reader;
        Options {
            max_width: usize::from(r.max_width),
            gap: usize::from(r.column_gap),
            min_column: usize::from(r.min_column),
            swap: false,
            translate_key: None,
        }
    }
}
