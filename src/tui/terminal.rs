//! The real terminal: setup and restore, the panic hook, and the event loop.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write, stdout};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use super::app::Effect;
use super::screen::Screen;
use super::{Action, App, view};
use crate::article::{Diagnostic, Severity};
use crate::commands::{Context, Error};
use crate::library::Library;
use crate::search::{SearchEvent, SearchIndex, Searcher};
use crate::state::{self, ArticleState};
use crate::tui::keymap::Keymap;
use crate::tui::theme::{ColorSupport, Theme};

/// Everything the loop waits for, from the terminal and from the workers.
pub enum Msg {
    Input(Event),
    /// The terminal's input is gone (read error or end of file): treated as a hang-up.
    InputClosed,
    Search(SearchEvent),
    /// A search index, built for the library of that generation (see `Loop::generation`).
    IndexReady(Arc<SearchIndex>, u64),
    /// The loader's search index for the library it last sent (`None`: it could not build one,
    /// the loop copies the metadata itself).
    LoaderIndex(Option<Arc<SearchIndex>>),
    StateWritten(Result<BTreeMap<String, ArticleState>, String>),
    /// Something changed in the library folder.
    FolderChanged,
    /// A signal: hang-up, termination, stop or continue.
    Signal(i32),
    Rescanned(Result<Library, String>, Arc<SearchIndex>),
    /// The library from the loader, as the index cache remembers it (`done` false: the folder
    /// is being checked against it) or as read from the folder (`done`).
    Library {
        library: Library,
        unchecked: usize,
        done: bool,
    },
    /// The folder holds what the library from the index cache says.
    LibraryConfirmed,
    /// Files read of those to read, on a load without the index cache, and the articles read
    /// since the last report.
    LoadProgress(usize, usize, Vec<crate::article::Article>),
    LoadFailed(String),
    /// What the check of the bodies after start found (`None`: no index cache to work from).
    Checked(Option<Vec<crate::library::Checked>>),
    /// The folder watcher, set up; kept by the loop.
    Watching(notify::RecommendedWatcher),
}

/// Opens the reader on the configured library until the user quits.
pub fn run(ctx: &Context) -> Result<ExitCode, Error> {
    let started = Instant::now();
    // The library is read on a worker (see `spawn_loader`): the screen comes first.
    Library::check_root(&ctx.library_path)?;
    if !stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "the reader needs a terminal; `bitext list` and `bitext show ID` print to pipes".into(),
        ));
    }
    let theme = Theme::from_config(&ctx.config.theme, &ctx.config.colors, ColorSupport::from_env());
    tracing::info!("reader: library {}, theme {}", ctx.library_path.display(), theme.name.as_str());
    let empty = Library { root: ctx.library_path.clone(), ..Default::default() };
    let mut app = App::new(empty, theme, ctx.render_options(), ctx.config.reader.mode);
    app.loading = Some("reading the library".into());
    app.keymap = Keymap::from_config(&ctx.config.keys).map_err(|e| Error::Usage(e.to_string()))?;
    let opener = opener(&ctx.config.links.open_command);
    app.can_open_urls = opener.is_some();
    app.max_file_size = ctx.config.library.max_file_size;
    app.zoom = ctx.config.reader.full_width;

    let (tx, rx) = mpsc::channel::<Msg>();
    // Reading state: loaded now, written by a worker at most a few times a second.
    let state_path = ctx.state_path();
    let mut writer = None;
    if let Some(path) = &state_path {
        let loaded = state::load(path);
        app.state = loaded.state;
        if let Some(w) = loaded.warning {
            tracing::warn!("reading state: {w}");
            app.library.diagnostics.push(Diagnostic {
                path: path.clone(),
                position: None,
                severity: Severity::Warning,
                message: w.clone(),
            });
            app.message = Some(w);
        }
        if loaded.writable {
            let tx = tx.clone();
            writer = Some(state::Writer::spawn(path.clone(), state::DEFAULT_INTERVAL, move |r| {
                let _ = tx.send(Msg::StateWritten(r));
            }));
        }
    }
    app.rebuild_view();
    tracing::debug!("startup: state loaded at {} ms", started.elapsed().as_millis());

    let searcher = {
        let tx = tx.clone();
        Searcher::new(Arc::new(SearchIndex::build(&[])), move |e| {
            let _ = tx.send(Msg::Search(e));
        })
    };
    spawn_loader(ctx.library_path.clone(), ctx.config.library.max_file_size, tx.clone());
    tracing::debug!("startup: workers started at {} ms", started.elapsed().as_millis());

    let _guard = TerminalGuard::enter()?;
    // Clear directly: `Terminal::clear` asks the terminal for the cursor position, and a slow
    // link or a terminal that never answers would fail the start.
    execute!(stdout(), Clear(ClearType::All))?;
    let mut terminal = Screen::new(Terminal::new(CrosstermBackend::new(stdout()))?, ctx.config.terminal.scroll_regions);
    spawn_input(tx.clone());
    spawn_signals(tx.clone());
    let mut ctx_loop = Loop {
        tx,
        rx,
        searcher,
        writer: writer.as_ref(),
        opener,
        root: ctx.library_path.clone(),
        rescan_at: None,
        // The first load counts as a scan: changes seen meanwhile wait for it.
        rescanning: true,
        panic_key: std::env::var("BITEXT_TEST_PANIC_KEY").ok().and_then(|k| k.chars().next()),
        max_file_size: ctx.config.library.max_file_size,
        startup_check: false,
        started: Some(started),
        load_started: started,
        first_library: true,
        unchecked: 0,
        index_pending: false,
        generation: 0,
        loaded_generation: None,
        watcher: None,
    };
    // A panic in the loop still saves the reading state below; the panic hook has already
    // restored the terminal and said what happened.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ctx_loop.run(&mut terminal, &mut app)));
    let panicked = result.is_err();
    let result = result.unwrap_or(Ok(()));
    // Save what is left before the terminal is given back.
    if let Some(w) = &writer {
        w.send(app.state.take_changes());
    }
    drop(ctx_loop);
    let saved = writer.map(|w| w.finish(Duration::from_secs(2)));
    drop(_guard);
    // The guard has restored the terminal. ratatui's own drop would show the cursor again and
    // print to stderr if that fails, which panics on a terminal that hung up.
    std::mem::forget(terminal);
    if saved == Some(false) {
        say("bitext: the reading state could not be saved in time");
    }
    if panicked {
        return Ok(ExitCode::from(101));
    }
    result.map(|()| ExitCode::SUCCESS)
}

/// Turns signals into messages on their own thread: the loop never runs in a signal handler,
/// and a hang-up is seen even if terminal input is stuck (crossterm issue 793).
fn spawn_signals(tx: mpsc::Sender<Msg>) {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])
    else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if tx.send(Msg::Signal(signal)).is_err() {
                return;
            }
        }
    });
}

/// Reads terminal input on its own thread, so the loop can also wait for workers.
fn spawn_input(tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(e) => {
                    if tx.send(Msg::Input(e)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Msg::InputClosed);
                    return;
                }
            }
        }
    });
}

/// Reads the library on its own thread: first the list as the index cache remembers it
/// (no file opened), then a walk of the folder to confirm it, and only if something changed (or
/// there is no cache) the files themselves, with progress reports.
fn spawn_loader(root: std::path::PathBuf, max_file_size: u64, tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        let cache = crate::library::default_cache_path(&root);
        let cached = cache.as_deref().and_then(|c| Library::from_cache(&root, c));
        let snapshot = cached.map(|(library, snapshot, stats)| {
            let _ = tx.send(Msg::Library { library, unchecked: stats.unchecked, done: false });
            snapshot
        });
        // Watching a large folder means walking it, so it waits until the list is out; a
        // change made before the watch starts is found by the walk or the read below. Without
        // a list from the cache, it is set up beside the read instead of before it.
        let watcher = {
            let (root, tx) = (root.clone(), tx.clone());
            move || {
                if let Some(w) = watch(&root, tx.clone()) {
                    let _ = tx.send(Msg::Watching(w));
                }
            }
        };
        if snapshot.is_some() {
            watcher();
        } else {
            std::thread::spawn(watcher);
        }
        if let Some(snapshot) = snapshot
            && Library::unchanged_since(&root, &snapshot)
        {
            let _ = tx.send(Msg::LibraryConfirmed);
            let _ = tx.send(Msg::LoaderIndex(index_from_cache(&root, cache.as_deref())));
            return;
        }
        // Parsed articles are gathered and sent a few times a second with the count, so the
        // list grows while a library without a cache is read.
        // The first batch goes at once.
        let pending = std::sync::Mutex::new((None::<Instant>, Vec::new()));
        let progress = |n: usize, total: usize, articles: Vec<crate::article::Article>| {
            if let Ok(mut p) = pending.lock() {
                p.1.extend(articles);
                if p.0.is_none_or(|at| at.elapsed() >= Duration::from_millis(150)) {
                    p.0 = Some(Instant::now());
                    let _ = tx.send(Msg::LoadProgress(n, total, std::mem::take(&mut p.1)));
                }
            }
        };
        match Library::load_cached_with_progress(&root, max_file_size, cache.as_deref(), false, Some(&progress)) {
            Ok((library, stats)) => {
                let _ = tx.send(Msg::Library { library, unchecked: stats.unchecked, done: true });
                // Only a cache that holds this very library gives its index.
                let index = if stats.cache_current { index_from_cache(&root, cache.as_deref()) } else { None };
                let _ = tx.send(Msg::LoaderIndex(index));
            }
            Err(e) => {
                let _ = tx.send(Msg::LoadFailed(e.to_string()));
            }
        }
    });
}

/// Builds the search index off the UI thread.
fn spawn_index(articles: Vec<crate::article::Article>, generation: u64, tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        let _ = tx.send(Msg::IndexReady(Arc::new(SearchIndex::on_disk(&articles)), generation));
    });
}

/// The search index of the library as the index cache holds it (the list the loader sent, in
/// the same order), so the UI thread need not copy the metadata of a large library for it.
fn index_from_cache(root: &std::path::Path, cache: Option<&std::path::Path>) -> Option<Arc<SearchIndex>> {
    let (library, _, _) = Library::from_cache(root, cache?)?;
    Some(Arc::new(SearchIndex::on_disk(&library.articles)))
}

/// Watches the library folder; every change becomes a [`Msg::FolderChanged`].
fn watch(root: &std::path::Path, tx: mpsc::Sender<Msg>) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(e) = res
            && !e.kind.is_access()
        {
            let _ = tx.send(Msg::FolderChanged);
        }
    })
    .ok()?;
    watcher.watch(root, notify::RecursiveMode::Recursive).ok()?;
    Some(watcher)
}

/// The opener for URLs: the configured command, else $BROWSER; none over SSH.
fn opener(configured: &str) -> Option<Vec<String>> {
    if std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some() {
        return None;
    }
    let command = if configured.trim().is_empty() { std::env::var("BROWSER").ok()? } else { configured.to_string() };
    let words: Vec<String> = command.split_whitespace().map(String::from).collect();
    (!words.is_empty()).then_some(words)
}

/// How long the folder must be quiet before it is scanned again (a file being written shows as
/// several changes).
const QUIET: Duration = Duration::from_millis(250);

struct Loop<'a> {
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
    searcher: Searcher,
    writer: Option<&'a state::Writer>,
    opener: Option<Vec<String>>,
    root: std::path::PathBuf,
    rescan_at: Option<Instant>,
    rescanning: bool,
    panic_key: Option<char>,
    max_file_size: u64,
    /// The running rescan is the check of the bodies right after start.
    startup_check: bool,
    /// When the process started, until the first frame is drawn.
    started: Option<Instant>,
    load_started: Instant,
    /// No library has come from the loader yet.
    first_library: bool,
    /// Files whose bodies the first load did not check.
    unchecked: usize,
    /// The search index is to be built after the next frame is drawn.
    index_pending: bool,
    /// Counts the libraries the app has had: an index is used only for the one it was built for.
    generation: u64,
    /// The generation the first load ended with, which the loader's index is built for.
    loaded_generation: Option<u64>,
    watcher: Option<notify::RecommendedWatcher>,
}

impl Loop<'_> {
    fn run(&mut self, terminal: &mut Term, app: &mut App) -> Result<(), Error> {
        let size = terminal.terminal().size()?;
        app.update(Action::Resize(size.width, size.height));
        loop {
            terminal.draw(|frame| view(app, frame))?;
            if let Some(t) = self.started.take() {
                tracing::debug!("startup: first frame drawn at {} ms", t.elapsed().as_millis());
            }
            // Copying the metadata for the index takes a moment on a large library: after the
            // frame that shows the list, not before.
            if std::mem::take(&mut self.index_pending) {
                let t = Instant::now();
                spawn_index(app.library.articles.clone(), self.generation, self.tx.clone());
                tracing::debug!("search index: metadata copied in {} ms", t.elapsed().as_millis());
            }
            // Block until something happens (or a pending rescan is due), then take everything
            // already waiting, so a burst of resizes or a held key is handled before one draw.
            let first = match self.rescan_at {
                Some(at) => match self.rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(m) => Some(m),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                },
                None => match self.rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
            };
            let mut messages: Vec<Msg> = first.into_iter().collect();
            messages.extend(self.rx.try_iter());
            let mut resize = None;
            for m in messages {
                match m {
                    Msg::Input(Event::Resize(w, h)) => resize = Some((w, h)),
                    Msg::Input(Event::Key(k)) if k.is_press() || k.is_repeat() => {
                        // For tests of the panic path only: BITEXT_TEST_PANIC_KEY=x panics on x.
                        if let (Some(c), ratatui::crossterm::event::KeyCode::Char(pressed)) = (self.panic_key, k.code)
                            && c == pressed
                        {
                            panic!("test panic requested with BITEXT_TEST_PANIC_KEY");
                        }
                        app.handle_key(&k)
                    }
                    Msg::Input(_) => {}
                    Msg::InputClosed => app.quit = true,
                    Msg::Search(e) => app.on_search_event(e),
                    // An index for a library replaced since is dropped: a newer one is coming.
                    Msg::IndexReady(index, generation) if generation == self.generation => self.set_index(app, index),
                    Msg::IndexReady(..) => {}
                    Msg::LoaderIndex(index) => {
                        match index {
                            Some(index) if self.loaded_generation == Some(self.generation) => {
                                self.set_index(app, index)
                            }
                            Some(_) => {}
                            None => self.index_pending = true,
                        }
                        self.after_loader_index();
                    }
                    Msg::StateWritten(Ok(merged)) => {
                        app.state.absorb(&merged);
                        app.count_unread();
                    }
                    Msg::StateWritten(Err(e)) => app.message = Some(format!("could not save the reading state: {e}")),
                    Msg::FolderChanged => self.rescan_at = Some(Instant::now() + QUIET),
                    Msg::Signal(signal) => match signal {
                        signal_hook::consts::SIGTSTP => suspend(terminal)?,
                        signal_hook::consts::SIGCONT => resume(terminal)?,
                        _ => app.quit = true,
                    },
                    Msg::Library { library, unchecked, done } => {
                        tracing::debug!(
                            "startup: {} articles ({}) at {} ms",
                            library.articles.len(),
                            if done { "read" } else { "from the index cache" },
                            self.load_started.elapsed().as_millis()
                        );
                        app.library_arrived(library, std::mem::take(&mut self.first_library));
                        self.generation += 1;
                        self.unchecked = unchecked;
                        if done {
                            self.loaded(app);
                        }
                    }
                    Msg::LibraryConfirmed => self.loaded(app),
                    Msg::Checked(Some(changes)) => {
                        self.rescanning = false;
                        tracing::debug!("startup: bodies checked, {} files changed", changes.len());
                        if !changes.is_empty() {
                            let mut library = std::mem::take(&mut app.library);
                            library.apply_checked(changes);
                            app.replace_library_quietly(library, true);
                            self.generation += 1;
                            self.index_pending = true;
                        }
                    }
                    Msg::Checked(None) => {
                        // No index cache to work from (it could not be written): scan again,
                        // whole this time.
                        self.rescanning = false;
                        self.startup_check = true;
                        self.rescan();
                    }
                    Msg::Watching(w) => self.watcher = Some(w),
                    Msg::LoadProgress(n, total, articles) => {
                        app.loading = Some(format!("reading the library: {n} of {total} files"));
                        if self.first_library && !articles.is_empty() {
                            app.add_articles(articles);
                            self.generation += 1;
                        }
                    }
                    Msg::LoadFailed(e) => {
                        self.rescanning = false;
                        app.loading = None;
                        app.message = Some(e);
                    }
                    Msg::Rescanned(result, index) => {
                        self.rescanning = false;
                        match result {
                            Ok(library) => {
                                app.replace_library_quietly(library, std::mem::take(&mut self.startup_check));
                                self.generation += 1;
                                self.set_index(app, index);
                            }
                            Err(e) => app.message = Some(e),
                        }
                    }
                }
            }
            if self.rescan_at.is_some_and(|at| at <= Instant::now()) && !self.rescanning {
                self.rescan_at = None;
                self.rescan();
            }
            if let Some((w, h)) = resize {
                // The size in the event can be stale after a storm; ask the terminal.
                let size = terminal.terminal().size().map(|s| (s.width, s.height)).unwrap_or((w, h));
                terminal.terminal_mut().autoresize()?;
                app.update(Action::Resize(size.0, size.1));
            }
            for effect in app.take_effects() {
                if effect == Effect::Suspend {
                    suspend(terminal)?;
                    let size = terminal.terminal().size()?;
                    app.update(Action::Resize(size.width, size.height));
                }
                if effect == Effect::Redraw {
                    terminal.redraw_all()?;
                }
                self.perform(effect, app);
            }
            if app.state.is_dirty()
                && let Some(w) = self.writer
            {
                w.send(app.state.take_changes());
            }
            if app.quit {
                return Ok(());
            }
        }
    }

    fn perform(&mut self, effect: Effect, app: &mut App) {
        match effect {
            Effect::Search(q) if q.trim().is_empty() => self.searcher.cancel(),
            Effect::Search(q) => {
                let generation = self.searcher.start(&q);
                app.search_started(&q, generation);
            }
            Effect::Copy(text) => {
                let _ = write_osc52(&mut stdout(), &text);
            }
            Effect::Open(url) => {
                if let Some(words) = &self.opener {
                    let spawned = std::process::Command::new(&words[0])
                        .args(&words[1..])
                        .arg(&url)
                        .stdin(std::process::Stdio::null())
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .spawn();
                    if let Err(e) = spawned {
                        app.message = Some(format!("could not run {}: {e}; URL: {url}", words[0]));
                    }
                }
            }
            Effect::Reload => {
                self.rescan_at = None;
                self.rescan();
            }
            Effect::Suspend => {}
            Effect::Redraw => {}
        }
    }

    /// Searches go to `index` from now on; a search in progress starts again on it.
    fn set_index(&mut self, app: &mut App, index: Arc<SearchIndex>) {
        self.searcher.set_index(index);
        if let Some(q) = app.search.as_ref().map(|s| s.query.clone()) {
            app.set_search(&q);
        }
    }

    /// The first load is over.
    fn loaded(&mut self, app: &mut App) {
        tracing::debug!("startup: library confirmed at {} ms", self.load_started.elapsed().as_millis());
        app.loading = None;
        // Folder changes wait for the check of the bodies too, if there is one to come.
        self.rescanning = self.unchecked > 0;
        // The loader builds the search index next (`Msg::LoaderIndex`); the bodies are checked
        // after that, so the two do not hold a decoded copy of the cache at the same time.
        self.loaded_generation = Some(self.generation);
    }

    /// The loader's index has come: now check the bodies the load did not.
    fn after_loader_index(&mut self) {
        if std::mem::take(&mut self.unchecked) > 0 {
            self.check_bodies();
        }
    }

    /// Parses whole, on a worker, the files only the headers of were read, and records in the
    /// index cache that it did; only what that finds comes back (a broken body, a warning).
    fn check_bodies(&mut self) {
        self.rescanning = true;
        let (root, tx, limit) = (self.root.clone(), self.tx.clone(), self.max_file_size);
        std::thread::spawn(move || {
            let cache = crate::library::default_cache_path(&root);
            let changes = cache.and_then(|c| Library::check_unchecked(&root, limit, &c));
            let _ = tx.send(Msg::Checked(changes));
        });
    }

    /// Scans the folder again on a worker thread.
    fn rescan(&mut self) {
        if self.rescanning {
            self.rescan_at = Some(Instant::now() + QUIET);
            return;
        }
        self.rescanning = true;
        let (root, tx, limit) = (self.root.clone(), self.tx.clone(), self.max_file_size);
        std::thread::spawn(move || {
            let cache = crate::library::default_cache_path(&root);
            let result =
                Library::load_cached(&root, limit, cache.as_deref(), true).map(|(l, _)| l).map_err(|e| e.to_string());
            let index = Arc::new(
                result.as_ref().map(|l| SearchIndex::on_disk(&l.articles)).unwrap_or_else(|_| SearchIndex::build(&[])),
            );
            let _ = tx.send(Msg::Rescanned(result, index));
        });
    }
}

type Term = Screen<std::io::Stdout>;

/// Ctrl-Z or SIGTSTP: give the terminal back and stop; on `fg`, take it again and redraw all.
fn suspend(terminal: &mut Term) -> std::io::Result<()> {
    restore_terminal();
    // SIGSTOP cannot be caught: the process stops here until SIGCONT.
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
    resume(terminal)
}

/// After a stop: raw mode and the alternate screen again, and a full redraw (the shell may
/// have changed the terminal meanwhile).
fn resume(terminal: &mut Term) -> std::io::Result<()> {
    enter_terminal()?;
    terminal.redraw_all()
}

/// Puts `text` on the terminal's clipboard with OSC 52, which works over SSH.
pub fn write_osc52(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Raw mode and the alternate screen while alive; restores the terminal when dropped, on
/// every path out, including errors.
struct TerminalGuard;

/// Set while the terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

impl TerminalGuard {
    fn enter() -> std::io::Result<TerminalGuard> {
        let guard = TerminalGuard;
        enter_terminal()?;
        Ok(guard)
    }
}

/// Raw mode, the alternate screen, the cursor hidden.
fn enter_terminal() -> std::io::Result<()> {
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, cursor::Hide)
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves the alternate screen, shows the cursor and turns raw mode off, if the reader had
/// taken the terminal. Safe to call twice.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// On a panic: restore the terminal first, then print one readable line saying where the
/// details (with a backtrace) were written. No backtrace reaches the terminal.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        restore_terminal();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = crate::text::sanitize_line(&message);
        let details = format!(
            "bitext {} panicked: {message}{place}\n\n{}\n",
            env!("CARGO_PKG_VERSION"),
            std::backtrace::Backtrace::force_capture()
        );
        match write_crash_report(&details) {
            Some(path) => say(&format!("bitext: internal error: {message}{place} (details in {})", path.display())),
            None => say(&format!("bitext: internal error: {message}{place}")),
        }
    }));
}

/// One line to stderr; a closed terminal is not an error (unlike `eprintln!`, which panics).
pub fn say(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Writes a crash report beside the reading state; returns its path.
fn write_crash_report(details: &str) -> Option<std::path::PathBuf> {
    let dir = crate::state::default_path()?.parent()?.to_path_buf();
    std::fs::create_dir_all(&dir).ok()?;
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    let path = dir.join(format!("crash-{stamp}.log"));
    std::fs::write(&path, details).ok()?;
    Some(path)
}
