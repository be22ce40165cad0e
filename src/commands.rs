//! The subcommands, each a function from parsed arguments to an exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config::{self, Config, ConfigError};
use crate::library::{Library, LibraryError};
use crate::render::{self, Mode, Options};
use crate::text::{pad, width};

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
        let loaded = config::load(cli.config.as_deref())?;
        let library_path = cli.library.clone().unwrap_or_else(|| loaded.config.library.path.clone());
        Ok(Context { config: loaded.config, library_path })
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

pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    let ctx = Context::new(&cli)?;
    match cli.command.unwrap_or(Command::Read) {
        Command::Read => crate::tui::run(&ctx),
        Command::List { json } => list(&ctx, json),
        Command::Show { id, mode, width, swap } => show(&ctx, &id, mode, width, swap),
        Command::Check => check(&ctx),
    }
}

/// Writes to stdout, treating a closed pipe (`bitext list | head`) as success.
fn emit(text: &str) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn list(ctx: &Context, json: bool) -> Result<ExitCode, Error> {
    let library = Library::scan(&ctx.library_path)?;
    if json {
        let items: Vec<_> = library
            .articles
            .iter()
            .map(|a| {
                let m = &a.meta;
                serde_json::json!({
                    "id": m.id,
                    "title": m.title,
                    "source_title": m.source_title,
                    "source_lang": m.source_lang,
                    "target_lang": m.target_lang,
                    "outlet": m.outlet,
                    "published": m.published.as_ref().map(ToString::to_string),
                    "url": m.url,
                    "authors": m.authors,
                    "translator": m.translator,
                    "tags": m.tags,
                    "summary": m.summary,
                    "paragraphs": a.groups.len(),
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&items).map_err(|e| Error::Usage(e.to_string()))?;
        text.push('\n');
        return emit(&text);
    }
    let id_width = library.articles.iter().map(|a| width(&a.meta.id)).max().unwrap_or(0);
    let lang_width = library.articles.iter().map(|a| width(&a.meta.lang_pair())).max().unwrap_or(0);
    let mut text = String::new();
    for a in &library.articles {
        let m = &a.meta;
        let date = m.published.as_ref().map_or("----------", |p| p.date());
        text.push_str(&format!(
            "{}  {}  {}  {}\n",
            pad(&m.id, id_width),
            pad(date, 10),
            pad(&m.lang_pair(), lang_width),
            m.title
        ));
    }
    if library.error_count() > 0 {
        eprintln!("bitext: {} file(s) could not be loaded; run `bitext check` for details", library.error_count());
    }
    emit(&text)
}

fn show(ctx: &Context, id: &str, mode: Option<Mode>, columns: Option<u16>, swap: bool) -> Result<ExitCode, Error> {
    let library = Library::scan(&ctx.library_path)?;
    let Some(article) = library.find(id) else {
        let clean = crate::text::sanitize_line(id);
        let broken = library
            .diagnostics
            .iter()
            .find(|d| d.is_error() && crate::library::article_id(&library.root, &d.path) == clean);
        return Err(Error::Usage(match broken {
            Some(d) => format!("article {clean:?} could not be loaded: {d}"),
            None => format!("no article with id {clean:?} in {}; `bitext list` shows the ids", library.root.display()),
        }));
    };
    let columns = columns.map(usize::from).unwrap_or_else(|| {
        if std::io::stdout().is_terminal() {
            crossterm::terminal::size().map(|(w, _)| usize::from(w)).unwrap_or(100)
        } else {
            100
        }
    });
    let mode = mode.unwrap_or(ctx.config.reader.mode);
    let opts = Options { swap, ..ctx.render_options() };
    let layout = render::layout(article, mode, columns, &opts);
    let mut text = String::new();
    for line in layout.plain_lines() {
        text.push_str(&line);
        text.push('\n');
    }
    emit(&text)
}

fn check(ctx: &Context) -> Result<ExitCode, Error> {
    let library = Library::scan(&ctx.library_path)?;
    let mut text = String::new();
    for d in &library.diagnostics {
        text.push_str(&d.to_string());
        text.push('\n');
    }
    let errors = library.error_count();
    text.push_str(&format!(
        "{} article(s) loaded, {} file(s) with errors, {} warning(s) in {}\n",
        library.articles.len(),
        errors,
        library.warning_count(),
        library.root.display()
    ));
    emit(&text)?;
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
