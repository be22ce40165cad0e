//! The subcommands, each a function from parsed arguments to an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config;
use crate::library::Library;
use crate::render::{self, Mode, Options};
use crate::text::{pad, width};

pub use crate::context::{Context, Error};

mod feeds;
mod man;

pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    // These need no library, and `config --default` helps most when the user's file is broken.
    match &cli.command {
        Some(Command::Config { default }) => return show_config(&cli, *default),
        Some(Command::Completions { shell }) => return completions(*shell),
        Some(Command::Man) => return man(),
        _ => {}
    }
    let ctx = Context::new(&cli)?;
    if !matches!(cli.command, Some(Command::Import(_))) {
        ctx.check_library()?;
    }
    match cli.command.unwrap_or(Command::Read) {
        Command::Read => crate::tui::run(&ctx),
        Command::List { json } => list(&ctx, json),
        Command::Show { id, mode, width, swap } => show(&ctx, &id, mode, width, swap),
        Command::Check => check(&ctx),
        Command::Import(args) => import(&ctx, &args),
        Command::Add(args) => add(&ctx, &args),
        Command::Translate(args) => translate(&ctx, &args),
        Command::Realign(args) => realign(&ctx, &args),
        Command::Feed { command } => feeds::feed(&ctx, command),
        Command::Fetch { names, quiet } => feeds::fetch(&ctx, &names, quiet),
        Command::Config { .. } | Command::Completions { .. } | Command::Man => unreachable!("handled above"),
    }
}

/// `bitext config`: the configuration in force, each value with where it came from; with
/// `--default`, the built-in file as shipped.
fn show_config(cli: &Cli, default: bool) -> Result<ExitCode, Error> {
    if default {
        return emit(config::DEFAULT_TOML);
    }
    let loaded = config::load(cli.config.as_deref())?;
    let mut overrides = Vec::new();
    if let Some(dir) = &cli.library {
        let value = toml::Value::String(dir.display().to_string());
        overrides.push(config::Override { key: "library.path".into(), value, origin: "--library".into() });
    }
    if cli.ascii {
        let value = toml::Value::Boolean(true);
        overrides.push(config::Override { key: "theme.ascii".into(), value, origin: "--ascii".into() });
    }
    if crate::tui::theme::ColorSupport::from_env().no_color {
        let value = toml::Value::String("mono".into());
        overrides.push(config::Override { key: "theme.name".into(), value, origin: "$NO_COLOR".into() });
    }
    emit(&config::annotated(&loaded, &overrides))
}

/// `bitext completions SHELL`: the script that registers bitext's completion with the shell,
/// on stdout. At each TAB the shell runs this program (`COMPLETE=SHELL bitext -- WORDS…`),
/// which answers from the library and the configuration of the command line being completed
/// (see [`crate::completion`]); what `COMPLETE=SHELL bitext` prints is the same script.
fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Error> {
    emit(&crate::completion::registration(shell, &completer_path())?)
}

/// How the completion script calls this program: as it was called, made absolute when it was
/// called by a path (`./target/release/bitext`), else by name through `$PATH`.
fn completer_path() -> String {
    let called = std::env::args_os().next().map(std::path::PathBuf::from).unwrap_or_else(|| "bitext".into());
    let called = if called.components().count() > 1 {
        std::env::current_dir().map(|d| d.join(&called)).unwrap_or(called)
    } else {
        called
    };
    called.to_string_lossy().into_owned()
}

/// `bitext man`: the manual page in roff on stdout.
fn man() -> Result<ExitCode, Error> {
    emit(&man::page())
}

pub(crate) fn read_input(path: &std::path::Path) -> Result<String, Error> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(crate::library::DEFAULT_MAX_FILE_SIZE + 1).read_to_end(&mut bytes))
    };
    let name = if path.as_os_str() == "-" { "standard input".to_string() } else { path.display().to_string() };
    result.map_err(|e| Error::Usage(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > crate::library::DEFAULT_MAX_FILE_SIZE {
        return Err(Error::Usage(format!("{name}: over the limit of {} bytes", crate::library::DEFAULT_MAX_FILE_SIZE)));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!("{name}: not valid UTF-8 (bad byte at offset {})", e.utf8_error().valid_up_to()))
    })
}

fn import(ctx: &Context, args: &crate::cli::ImportArgs) -> Result<ExitCode, Error> {
    use crate::import::{Metadata, file_stem};
    if args.source.as_deref().is_some_and(|p| p.as_os_str() == "-")
        && args.translation.as_deref().is_some_and(|p| p.as_os_str() == "-")
    {
        return Err(Error::Usage("only one of --source and --translation can read standard input".into()));
    }
    let source = args.source.as_deref().map(read_input).transpose()?;
    let translation = args.translation.as_deref().map(read_input).transpose()?;
    let published = args
        .published
        .as_deref()
        .map(|d| {
            d.trim()
                .parse::<toml::value::Datetime>()
                .map_err(|_| Error::Usage(format!("--published {d:?} is not a date such as 2024-07-11")))
        })
        .transpose()?;
    let lang = |l: &str, flag: &str| crate::lang::flag(l, flag).map_err(Error::Usage);
    let meta = Metadata {
        title: args.title.clone(),
        source_title: args.source_title.clone(),
        source_lang: lang(&args.source_lang, "--source-lang")?,
        target_lang: lang(&args.target_lang, "--target-lang")?,
        outlet: args.outlet.clone(),
        published,
        url: args.url.clone(),
        paragraphs: args.paragraphs,
    };
    // `--engine`: its translations of the source paragraphs help pair them (and are cached for
    // `bitext translate`).
    let translator = args.engine.as_ref().map(|name| translator(ctx, name).map(|t| (name.clone(), t))).transpose()?;
    let translate = |texts: &[String]| match &translator {
        Some((_, t)) => translate_all(t, texts, &meta.source_lang, &meta.target_lang),
        None => Err("no engine".to_string()),
    };
    let engine = translator.as_ref().map(|(name, _)| crate::import::Engine { name, translate: &translate });
    let imported = crate::import::import(source.as_deref(), translation.as_deref(), &meta, engine)
        .map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(e) = &imported.engine_error {
        crate::logging::say(&format!("bitext: {e}; paired without it"));
    }
    let dir = args.out.clone().unwrap_or_else(|| ctx.library_path.clone());
    if !dir.is_dir() {
        return Err(Error::Usage(format!("{}: no such folder", dir.display())));
    }
    let path = dir.join(format!("{}.toml", file_stem(&imported.title, meta.published.as_ref())));
    if path.exists() && !args.force {
        return Err(Error::Usage(format!("{} already exists; use --force to overwrite it", path.display())));
    }
    crate::files::write_atomically(&path, imported.toml.as_bytes())
        .map_err(|e| Error::Usage(format!("{}: cannot write: {e}", path.display())))?;
    if let Some(w) = &imported.warning {
        crate::logging::say(&format!("warning: {}: {w}", path.display()));
    }
    emit(&format!("{}\n{}\n", path.display(), imported.summary()))
}

/// `bitext add`: one line of progress on a terminal's stderr, the result on stdout, exit 1 when
/// the page could not be added (nothing written then).
fn add(ctx: &Context, args: &crate::cli::AddArgs) -> Result<ExitCode, Error> {
    // Pages are paired by their primary language (`en` for `en-GB`), once the flags are tags.
    let lang = |l: &str, flag: &str| {
        crate::lang::flag(l, flag)
            .map(|tag| crate::web::extract::primary_language(&tag).unwrap_or(tag))
            .map_err(Error::Usage)
    };
    let target = match args.target_lang.as_deref() {
        Some(l) => lang(l, "--target-lang")?,
        None => lang(&ctx.config.library.reading_lang, "[library] reading_lang")?,
    };
    let source_lang = args.source_lang.as_deref().map(|l| lang(l, "--source-lang")).transpose()?;
    // `--translate`: the engine also helps pair the editions.
    let helper = match args.translate.as_deref() {
        Some(engine) => {
            let name = if engine.is_empty() { ctx.config.translate.engine.as_str() } else { engine };
            Some(std::sync::Arc::new(translator(ctx, name)?))
        }
        None => None,
    };
    let request = crate::ingest::Request {
        translation: args.translation.clone(),
        source_lang,
        force: args.force,
        pages: crate::web::pages::PageCache::default_dir().map(crate::web::pages::PageCache::new),
        offline: args.offline,
        helper,
        ..crate::ingest::Request::new(&args.page, &target, &ctx.library_path)
    };
    let client = crate::web::http::Client::new(ctx.config.web.http_options());
    let on_terminal = std::io::stderr().is_terminal();
    let progress = |stage: crate::ingest::Stage| {
        tracing::info!("add: {stage}");
        if on_terminal {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K{}", crate::text::truncate(&stage.to_string(), 100));
            let _ = err.flush();
        }
    };
    let result = crate::ingest::add(&client, &request, &progress);
    if on_terminal {
        let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
    }
    match result {
        Ok(added) => {
            if let Some(w) = &added.warning {
                crate::logging::say(&format!("warning: {}: {w}", added.id));
            }
            emit(&format!("{added}\n"))?;
            match &args.translate {
                Some(engine) => translate_added(ctx, &added.path, engine, added.translation_paragraphs == 0),
                None => Ok(ExitCode::SUCCESS),
            }
        }
        Err(crate::ingest::IngestError::Library(e)) => Err(e.into()),
        Err(e) => {
            tracing::warn!("add: {e}");
            crate::logging::say(&format!("bitext: {e}"));
            Ok(ExitCode::from(1))
        }
    }
}

/// Writes to stdout, treating a closed pipe (`bitext list | head`) as success.
pub(crate) fn emit(text: &str) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The reading state, for commands that only read it; a problem is a warning on stderr.
fn reading_state(ctx: &Context) -> crate::state::State {
    match ctx.state_path() {
        Some(path) => {
            let loaded = crate::state::load(&path);
            if let Some(w) = loaded.warning {
                crate::logging::say(&format!("bitext: {w}"));
            }
            loaded.state
        }
        None => crate::state::State::empty(),
    }
}

/// `bitext list`: from the index cache when it holds the folder as it is (the folder walked,
/// no article opened), streamed one entry at a time; otherwise the cache is brought up to date
/// first and then streamed. New and changed files are read whole, on every core: an article
/// whose body is broken does not open, so it is not listed, and `--json` says how many
/// paragraphs each has. Without a usable cache, every file is read.
fn list(ctx: &Context, json: bool) -> Result<ExitCode, Error> {
    let root = &ctx.library_path;
    Library::check_root(root)?;
    let state = reading_state(ctx);
    let marks = ListMarks::of(ctx);
    let pair = |m: &crate::article::Meta| marks.pair(m);
    // The widths of the columns and the count of files that do not load, from a first pass
    // that also confirms the cache.
    let measure = |cache: &std::path::Path| {
        let (mut id_width, mut lang_width, mut errors) = (0, 0, 0);
        let current = Library::index_is_current(root, cache, true, &mut |e| {
            errors += usize::from(e.diagnostics.iter().any(crate::article::Diagnostic::is_error));
            if let Some(m) = &e.meta {
                id_width = id_width.max(width(&m.id));
                lang_width = lang_width.max(width(&pair(m)));
            }
        });
        current.then_some((id_width, lang_width, errors))
    };
    let Some(cache) = crate::library::default_cache_path(root) else {
        return list_scanned(ctx, json, &state);
    };
    let measured = measure(&cache).or_else(|| {
        // Bring the cache up to date, then read it again from the start.
        Library::update_index(root, ctx.config.library.max_file_size, &cache, true).then(|| measure(&cache)).flatten()
    });
    let Some((id_width, lang_width, errors)) = measured else {
        return list_scanned(ctx, json, &state);
    };
    let cache = cache.as_path();
    let Some(reader) = crate::library::IndexReader::open(root, cache) else {
        return list_scanned(ctx, json, &state);
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut written = Ok(());
    if json {
        let items = reader.filter(|e| e.meta.is_some()).map(|e| {
            let st = e.meta.as_ref().map(|m| state.get(&m.id)).unwrap_or_default();
            Listed(e, st)
        });
        written = serde_json::to_writer_pretty(&mut out, &Streamed(std::cell::RefCell::new(Some(items))))
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
    } else {
        for entry in reader {
            let Some(m) = &entry.meta else { continue };
            written = out.write_all(marks.line(m, state.get(&m.id), id_width, lang_width).as_bytes());
            if written.is_err() {
                break;
            }
        }
    }
    let written = written.and_then(|()| out.flush());
    if errors > 0 {
        crate::logging::say(&format!("bitext: {errors} file(s) could not be loaded; run `bitext check` for details"));
    }
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// How `bitext list` writes a line: the marks and the language pair's arrow are the
/// interface's, in ASCII when asked; ids and titles are the articles' own and stay as they are.
struct ListMarks {
    symbols: crate::tui::theme::Symbols,
}

impl ListMarks {
    fn of(ctx: &Context) -> ListMarks {
        let symbols = if ctx.config.theme.ascii {
            crate::tui::theme::Symbols::ascii()
        } else {
            crate::tui::theme::Symbols::unicode()
        };
        ListMarks { symbols }
    }

    /// `ko→en`, or `ko->en` in ASCII.
    fn pair(&self, m: &crate::article::Meta) -> String {
        let pair = m.lang_pair();
        if self.symbols.ascii { crate::tui::theme::to_ascii(&pair).into_owned() } else { pair }
    }

    /// One article's line, with its newline.
    fn line(
        &self,
        m: &crate::article::Meta,
        st: crate::state::ArticleState,
        id_width: usize,
        lang_width: usize,
    ) -> String {
        let date = m.published.as_ref().map_or("----------", |p| p.date());
        format!(
            "{}{} {}  {}  {}  {}\n",
            if st.read { " " } else { self.symbols.unread },
            if st.starred { self.symbols.star } else { " " },
            pad(&m.id, id_width),
            pad(date, 10),
            pad(&self.pair(m), lang_width),
            m.title
        )
    }
}

/// One article of `bitext list --json`, its keys in alphabetical order.
#[derive(serde::Serialize)]
struct JsonItem<'a> {
    authors: &'a [compact_str::CompactString],
    engine: Option<&'a str>,
    feed: Option<&'a str>,
    id: &'a str,
    outlet: Option<&'a str>,
    paragraphs: usize,
    position: usize,
    published: Option<String>,
    read: bool,
    source_lang: &'a str,
    source_title: Option<&'a str>,
    starred: bool,
    summary: Option<&'a str>,
    tags: &'a [compact_str::CompactString],
    target_lang: &'a str,
    title: &'a str,
    translation: &'a str,
    translator: Option<&'a str>,
    url: Option<&'a str>,
}

impl<'a> JsonItem<'a> {
    fn new(
        m: &'a crate::article::Meta,
        st: crate::state::ArticleState,
        paragraphs: usize,
        translation: &'a str,
    ) -> Self {
        JsonItem {
            authors: &m.authors,
            engine: m.machine_translation.as_ref().map(|t| t.engine.as_str()),
            feed: m.feed.as_deref(),
            id: &m.id,
            outlet: m.outlet.as_deref(),
            paragraphs,
            position: st.position,
            published: m.published.as_ref().map(ToString::to_string),
            read: st.read,
            source_lang: &m.source_lang,
            source_title: m.source_title.as_deref(),
            starred: st.starred,
            summary: m.summary.as_deref(),
            tags: &m.tags,
            target_lang: &m.target_lang,
            title: &m.title,
            translation,
            translator: m.translator.as_deref(),
            url: m.url.as_deref(),
        }
    }
}

/// A list of items serialized as they come, one at a time (a JSON array, never held whole).
struct Streamed<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Streamed<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

/// An index entry with its reading state, as `list --json` shows it.
struct Listed(crate::library::IndexEntry, crate::state::ArticleState);

impl serde::Serialize for Listed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(m) = &self.0.meta else { return serializer.serialize_none() };
        let body = self
            .0
            .body
            .unwrap_or(crate::article::BodySummary { paragraphs: 0, translated: crate::article::Translated::None });
        JsonItem::new(m, self.1, body.paragraphs as usize, body.translated.as_str()).serialize(serializer)
    }
}

/// `bitext list` without an index cache: every file read whole.
fn list_scanned(ctx: &Context, json: bool, state: &crate::state::State) -> Result<ExitCode, Error> {
    let library = Library::scan_with_limit(&ctx.library_path, ctx.config.library.max_file_size)?;
    if json {
        let items: Vec<_> = library
            .articles
            .iter()
            .map(|a| JsonItem::new(&a.meta, state.get(&a.meta.id), a.groups.len(), translation_kind(a)))
            .collect();
        let mut text = serde_json::to_string_pretty(&items).map_err(|e| Error::Usage(e.to_string()))?;
        text.push('\n');
        skipped_files(&library);
        return emit(&text);
    }
    let marks = ListMarks::of(ctx);
    let id_width = library.articles.iter().map(|a| width(&a.meta.id)).max().unwrap_or(0);
    let lang_width = library.articles.iter().map(|a| width(&marks.pair(&a.meta))).max().unwrap_or(0);
    let mut text = String::new();
    for a in &library.articles {
        text.push_str(&marks.line(&a.meta, state.get(&a.meta.id), id_width, lang_width));
    }
    skipped_files(&library);
    emit(&text)
}

/// The articles named by `ids` (`.toml` may end an id), or a usage error naming the first one
/// the library does not have.
/// A library of only the articles `ids` names, each read whole from its own file, and, with
/// `untranslated`, of every article nobody translated yet (found through the index cache, which
/// knows what each body holds): a command on a few articles of a large library reads only them.
/// When an id names no file, the whole library is read, for [`find_articles`] to say so.
fn load_named(ctx: &Context, ids: &[String], untranslated: bool) -> Result<Library, Error> {
    let root = &ctx.library_path;
    let max = ctx.config.library.max_file_size;
    Library::check_root(root)?;
    let mut paths = Vec::new();
    for id in ids {
        let id = id.strip_suffix(".toml").unwrap_or(id);
        let path = root.join(format!("{id}.toml"));
        if id.split('/').any(|p| p.is_empty() || p == ".." || p.starts_with('.')) || !path.is_file() {
            return Ok(Library::scan_with_limit(root, max)?);
        }
        paths.push(path);
    }
    if untranslated {
        let Some(cache) = crate::library::default_cache_path(root) else {
            return Ok(Library::scan_with_limit(root, max)?);
        };
        let gather = |paths: &mut Vec<std::path::PathBuf>| {
            let mut found = Vec::new();
            let current = Library::index_is_current(root, &cache, true, &mut |e| {
                if e.meta.is_some() && e.body.is_some_and(|b| b.translated == crate::article::Translated::None) {
                    found.push(e.path.clone());
                }
            });
            current.then(|| paths.extend(found)).is_some()
        };
        let found = gather(&mut paths) || (Library::update_index(root, max, &cache, true) && gather(&mut paths));
        if !found {
            return Ok(Library::scan_with_limit(root, max)?);
        }
    }
    let mut library = Library { root: root.clone(), ..Default::default() };
    let mut articles = Vec::new();
    paths.sort();
    paths.dedup();
    for path in &paths {
        let one = Library::load_one(root, path, max);
        articles.extend(one.articles);
        library.diagnostics.extend(one.diagnostics);
    }
    library.extend_sorted(articles);
    Ok(library)
}

fn find_articles<'l>(library: &'l Library, ids: &[String]) -> Result<Vec<&'l crate::article::Article>, Error> {
    ids.iter()
        .map(|id| {
            let id = id.strip_suffix(".toml").unwrap_or(id);
            library.find(id).ok_or_else(|| {
                Error::Usage(format!(
                    "no article with id {:?} in {}; `bitext list` shows the ids",
                    crate::text::sanitize_line(id),
                    library.root.display()
                ))
            })
        })
        .collect()
}

/// The engine named `name` with the translation cache; a usage error if there is no such engine.
fn translator(ctx: &Context, name: &str) -> Result<crate::translate::Translator, Error> {
    let engine = crate::translate::engine(name, &ctx.config.engines).map_err(Error::Usage)?;
    let cache = crate::translate::cache::default_path().map(|p| crate::translate::cache::Cache::open(&p));
    Ok(crate::translate::Translator { engine, cache })
}

/// Every paragraph of `texts` translated, or why not.
fn translate_all(
    translator: &crate::translate::Translator,
    texts: &[String],
    source: &str,
    target: &str,
) -> Result<Vec<String>, String> {
    let out = translator.translate(texts, source, target, &|_, _, _, _| {}, None).map_err(|e| e.to_string())?;
    out.into_iter().map(|o| o.ok_or_else(|| "a paragraph was not translated".to_string())).collect()
}

/// `bitext realign`: pairs each article again, keeping pairs made by hand; one summary line per
/// article on stdout, a `warning:` line for an implausible pairing, exit 1 if any article could
/// not be realigned (its file is left as it was).
fn realign(ctx: &Context, args: &crate::cli::RealignArgs) -> Result<ExitCode, Error> {
    let library = load_named(ctx, &args.ids, false)?;
    let targets = find_articles(&library, &args.ids)?;
    let translator = args.engine.as_ref().map(|name| translator(ctx, name).map(|t| (name.clone(), t))).transpose()?;
    let mut failed = 0;
    for article in targets {
        let m = &article.meta;
        let translate = |texts: &[String]| match &translator {
            Some((_, t)) => translate_all(t, texts, &m.source_lang, &m.target_lang),
            None => Err("no engine".to_string()),
        };
        let engine = translator.as_ref().map(|(name, _)| crate::import::Engine { name, translate: &translate });
        let result = std::fs::read_to_string(&m.path)
            .map_err(|e| format!("{}: cannot read: {e}", m.path.display()))
            .and_then(|text| crate::realign::realign(&text, &m.path, engine).map(|r| (text, r)))
            .and_then(|(old, r)| {
                if old != r.text {
                    crate::files::write_atomically(&m.path, r.text.as_bytes())
                        .map_err(|e| format!("{}: cannot write: {e}", m.path.display()))?;
                }
                Ok(r)
            });
        match result {
            Ok(r) => {
                if let Some(e) = &r.engine_error {
                    crate::logging::say(&format!("bitext: {e}; paired without it"));
                }
                if let Some(w) = &r.warning {
                    crate::logging::say(&format!("warning: {}: {w}", m.id));
                }
                emit(&format!("realigned {}: {}\n", m.id, r.summary()))?;
            }
            Err(e) => {
                failed += 1;
                crate::logging::say(&format!("bitext: {e}"));
            }
        }
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `bitext translate`: fills the paragraphs without a translation, article by article; a
/// progress line on a terminal's stderr, one summary line per article on stdout, exit 1 if any
/// article failed (its file is left exactly as it was).
fn translate(ctx: &Context, args: &crate::cli::TranslateArgs) -> Result<ExitCode, Error> {
    use crate::translate::{Translator, cache, fill};
    if args.ids.is_empty() && !args.untranslated {
        return Err(Error::Usage(
            "name the articles to translate (ids from `bitext list`), or give --untranslated".into(),
        ));
    }
    let name = args.engine.clone().unwrap_or_else(|| ctx.config.translate.engine.clone());
    let engine = crate::translate::engine(&name, &ctx.config.engines).map_err(Error::Usage)?;
    let cache = if args.no_cache { None } else { cache::default_path().map(|p| cache::Cache::open(&p)) };
    let translator = Translator { engine, cache };
    let library = load_named(ctx, &args.ids, args.untranslated)?;
    let mut targets = find_articles(&library, &args.ids)?;
    if args.untranslated {
        targets.extend(library.articles.iter().map(Box::as_ref).filter(|a| translation_kind(a) == "none"));
    }
    let on_terminal = std::io::stderr().is_terminal();
    let mut failed = 0;
    let mut out = String::new();
    for a in targets {
        let id = a.meta.id.clone();
        let progress = |ready: fill::GroupReady| {
            let (done, total) = (ready.done, ready.total);
            if on_terminal {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[Ktranslating {} {done}/{total} · {name}", crate::text::truncate(&id, 50));
                let _ = err.flush();
            }
        };
        let result = fill::fill(a, &translator, args.force, &progress, None);
        if on_terminal {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
        match result {
            Ok(f) if f.paragraphs == 0 => out.push_str(&format!("{id}: nothing to translate\n")),
            Ok(f) => out.push_str(&format!("translated {id}: {} paragraphs · {name}\n", f.paragraphs)),
            Err(e) => {
                failed += 1;
                tracing::warn!("translate {id}: {e}");
                crate::logging::say(&format!("bitext: {id}: {e}"));
            }
        }
    }
    emit(&out)?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `add --translate`: fills what the new article lacks; a failure leaves the article as added.
/// `title`: there was no edition, so the headline is in the source language and is translated
/// too.
fn translate_added(ctx: &Context, path: &std::path::Path, engine: &str, title: bool) -> Result<ExitCode, Error> {
    use crate::translate::fill;
    let name = if engine.is_empty() { ctx.config.translate.engine.clone() } else { engine.to_string() };
    let translator = translator(ctx, &name)?;
    let library = Library::load_one(&ctx.library_path, path, ctx.config.library.max_file_size);
    let Some(article) = library.articles.first() else {
        return Err(Error::Usage(format!("{}: the added article does not load", path.display())));
    };
    let filled = fill::fill(article, &translator, false, &|_| {}, None);
    if title
        && filled.is_ok()
        && let Err(e) = fill::translate_title(article, &translator)
    {
        crate::logging::say(&format!("bitext: {}: the headline was not translated: {e}", article.meta.id));
    }
    match filled {
        Ok(f) if f.paragraphs == 0 => emit("nothing to translate: the edition has every paragraph\n"),
        Ok(f) => emit(&format!("translated {}: {} paragraphs · {name}\n", article.meta.id, f.paragraphs)),
        Err(e) => {
            crate::logging::say(&format!("bitext: {}: {e}", article.meta.id));
            Ok(ExitCode::from(1))
        }
    }
}

/// Who translated an article: `human`, `machine`, `mixed` or `none`.
fn translation_kind(a: &crate::article::Article) -> &'static str {
    crate::article::Translated::of(&a.groups).as_str()
}

/// One line on stderr when files were left out of a listing.
fn skipped_files(library: &Library) {
    if library.error_count() > 0 {
        crate::logging::say(&format!(
            "bitext: {} file(s) could not be loaded; run `bitext check` for details",
            library.error_count()
        ));
    }
}

fn show(ctx: &Context, id: &str, mode: Option<Mode>, columns: Option<u16>, swap: bool) -> Result<ExitCode, Error> {
    // The article's own file, without scanning the whole library.
    let id = id.strip_suffix(".toml").unwrap_or(id);
    let direct = ctx.library_path.join(format!("{id}.toml"));
    let mut library = if direct.is_file() && !id.split('/').any(|p| p == ".." || p.starts_with('.')) {
        Library::load_one(&ctx.library_path, &direct, ctx.config.library.max_file_size)
    } else {
        // No such file: the index cache (headers only) says whether a file on the way failed.
        let cache = crate::library::default_cache_path(&ctx.library_path);
        Library::load_cached(&ctx.library_path, ctx.config.library.max_file_size, cache.as_deref(), false)?.0
    };
    if let Some(i) = library.articles.iter().position(|a| a.meta.id == id)
        && let Err(d) = library.ensure_body(i, ctx.config.library.max_file_size)
    {
        return Err(Error::Usage(format!("article {id:?} could not be loaded: {d}")));
    }
    let Some(article) = library.find(id) else {
        let clean = crate::text::sanitize_line(id);
        // The file itself, or a folder on its way that could not be read.
        let wanted = library.root.join(format!("{id}.toml"));
        let broken = library.diagnostics.iter().filter(|d| d.is_error()).find(|d| {
            crate::library::article_id(&library.root, &d.path) == clean
                || (d.path != library.root && wanted.starts_with(&d.path))
        });
        return Err(Error::Usage(match broken {
            Some(d) => format!("article {clean:?} could not be loaded: {d}"),
            None => format!("no article with id {clean:?} in {}; `bitext list` shows the ids", library.root.display()),
        }));
    };
    let columns = columns.map(usize::from).unwrap_or_else(|| {
        if std::io::stdout().is_terminal() {
            crossterm::terminal::size().ok().map(|(w, _)| usize::from(w)).filter(|&w| w > 0).unwrap_or(100)
        } else {
            100
        }
    });
    let mode = mode.unwrap_or(ctx.config.reader.mode);
    let opts = Options { swap, ..ctx.render_options() };
    let layout = render::layout(article, mode, columns, &opts);
    let ascii = ctx.config.theme.ascii;
    if layout.fell_back {
        crate::logging::say(&format!("bitext: {}", fallback_note(article, columns, &opts, ascii)));
    }
    emit(&shown_text(&layout, ascii))
}

/// Where source lines are marked in `show`'s interleaved output: a rule in the gutter column
/// the reader draws its cursor in, just left of the text.
const SOURCE_MARK: &str = "│";

/// An article's layout as `show` prints it: the reader's rows as plain text, with the interface
/// symbols in ASCII when `ascii` is set (rules, dividers, the header's separators and arrow; the
/// article's text keeps every character, as the reader draws it). In interleaved mode, where the
/// reader tells the two languages apart by colour, each source line is marked with
/// [`SOURCE_MARK`] in the gutter; below 30 columns, where there is no gutter, every line moves
/// one column right to make room (the layout leaves the last column free).
fn shown_text(layout: &render::Layout, ascii: bool) -> String {
    use crate::render::{Side, Tone};
    let theme = ascii.then(|| {
        let support = crate::tui::theme::ColorSupport::TRUECOLOR;
        crate::tui::theme::Theme::named(crate::config::ThemeName::Mono, true, support)
    });
    let cell = |tone: Tone, text: &'_ str| -> String {
        match &theme {
            Some(t) => t.cell(tone, text).into_owned(),
            None => text.to_string(),
        }
    };
    let rows = || layout.rows(0..layout.len());
    let mark = layout.mode == Mode::Interleaved;
    let is_source = |row: &render::Row<'_>| row.cells().any(|c| matches!(c.tone, Tone::Body(_, Side::Source)));
    let text_x =
        rows().filter(is_source).flat_map(|r| r.cells().find(|c| matches!(c.tone, Tone::Body(..)))).map(|c| c.x).min();
    // The mark's column, and how far every line moves right to make room for it.
    let (mark_x, shift) = match text_x {
        Some(x) if mark && x > 0 => (x - 1, 0),
        Some(_) if mark => (0, 1),
        _ => (0, 0),
    };
    let mark_text = cell(Tone::Divider, SOURCE_MARK);
    let mut out = String::new();
    for row in rows() {
        let mut cells: Vec<(usize, String)> = row.cells().map(|c| (c.x + shift, cell(c.tone, c.text))).collect();
        if mark && is_source(&row) {
            cells.push((mark_x, mark_text.clone()));
            cells.sort_by_key(|c| c.0);
        }
        let mut line = String::new();
        let mut at = 0;
        for (x, text) in cells {
            if x > at {
                line.extend(std::iter::repeat_n(' ', x - at));
                at = x;
            }
            line.push_str(&text);
            at += width(&text);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Why `show` printed interleaved when side by side was asked for, in one line: the width it
/// had, the width side by side needs with these options, and the mark on source lines.
fn fallback_note(article: &crate::article::Article, columns: usize, opts: &Options, ascii: bool) -> String {
    // The narrowest width that fits, found by laying out the header alone at wider widths.
    let header = crate::article::Article { groups: Default::default(), ..article.clone() };
    let limit = (opts.min_column * 2 + opts.gap + 2 * render::GUTTER + 2).max(columns + 1);
    let needed = (columns + 1..=limit).find(|&w| !render::layout(&header, Mode::SideBySide, w, opts).fell_back);
    let mark = if ascii { "|" } else { SOURCE_MARK };
    let why = match needed {
        Some(w) => format!(
            "side by side needs {w} columns (two of at least {}, `reader.min_column`, and a gap of {})",
            opts.min_column, opts.gap
        ),
        None => format!(
            "side by side never fits: `reader.max_width` ({}) is narrower than `reader.min_column` ({})",
            opts.max_width, opts.min_column
        ),
    };
    format!("{why}; printed interleaved at {columns}, source lines marked {mark}")
}

/// `bitext check`: every problem of every file. From the index cache, brought up to date first
/// (new and changed files are read whole, on every core), one entry at a time: only the
/// problems are held, never every article.
fn check(ctx: &Context) -> Result<ExitCode, Error> {
    let root = &ctx.library_path;
    Library::check_root(root)?;
    let gather = |cache: &std::path::Path| {
        let (mut problems, mut articles) = (Vec::new(), 0usize);
        let current = Library::index_is_current(root, cache, true, &mut |e| {
            articles += usize::from(e.meta.is_some());
            problems.extend(e.diagnostics.iter().cloned());
        });
        current.then_some((problems, articles))
    };
    let gathered = crate::library::default_cache_path(root).and_then(|cache| {
        gather(&cache).or_else(|| {
            Library::update_index(root, ctx.config.library.max_file_size, &cache, true)
                .then(|| gather(&cache))
                .flatten()
        })
    });
    let library = match gathered {
        Some((mut diagnostics, articles)) => {
            diagnostics.sort_by(|a, b| a.path.cmp(&b.path).then(a.position.cmp(&b.position)));
            // A library of no articles, only the problems: what the report below reads.
            let library = Library { root: root.clone(), diagnostics, ..Default::default() };
            return report(&library, articles);
        }
        None => Library::scan_with_limit(root, ctx.config.library.max_file_size)?,
    };
    let articles = library.articles.len();
    report(&library, articles)
}

/// What `check` prints: each problem, then a count.
fn report(library: &Library, articles: usize) -> Result<ExitCode, Error> {
    let mut text = String::new();
    for d in &library.diagnostics {
        text.push_str(&d.to_string());
        text.push('\n');
    }
    let errors = library.error_count();
    text.push_str(&format!(
        "{} article(s) loaded, {} file(s) with errors, {} warning(s) in {}\n",
        articles,
        errors,
        library.warning_count(),
        library.root.display()
    ));
    emit(&text)?;
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
