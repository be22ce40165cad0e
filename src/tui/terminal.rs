//! The real terminal: setup and restore, the panic hook, and the event loop.

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
use super::editor::InputGate;
use super::screen::Screen;
use super::{Action, App, view};
use crate::article::{Diagnostic, Severity};
use crate::context::{Context, Error};
use crate::jobs;
use crate::library::Library;
use crate::search::{SearchEvent, SearchIndex, Searcher};
use crate::state;
use crate::tui::keymap::Keymap;
use crate::tui::theme::{ColorSupport, Theme};

/// Everything the loop waits for, from the terminal and from the workers.
pub enum Msg {
    Input(Event),
    /// The terminal's input is gone (read error or end of file): treated as a hang-up.
    InputClosed,
    Search(SearchEvent),
    StateWritten(Result<state::Written, String>),
    /// A signal: hang-up, termination, stop or continue.
    Signal(i32),
    /// What a background job reports.
    Job(jobs::Event),
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
    // A missing translation says how to get one, when one key does it.
    app.options.translate_key = app.keymap.keys_of("translate").iter().find_map(|k| {
        let mut chars = k.chars();
        chars.next().filter(|_| chars.next().is_none())
    });
    let opener = opener(&ctx.config.links.open_command);
    app.can_open_urls = opener.is_some();
    app.copy_to_tmux = super::clipboard::in_tmux();
    app.max_file_size = ctx.config.library.max_file_size;
    app.zoom = ctx.config.reader.full_width;
    app.list_options =
        crate::tui::library_view::ListOptions { width: ctx.config.list.width, compact: ctx.config.list.compact };

    let (tx, rx) = mpsc::channel::<Msg>();
    // Reading state: loaded now, written by a worker at most a few times a second.
    let state_path = ctx.state_path();
    let mut writer = None;
    let mut state_seen = None;
    if let Some(path) = &state_path {
        state_seen = state::file_stamp(path);
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
        Searcher::new(Arc::new(SearchIndex::build::<crate::article::Article>(&[])), move |e| {
            let _ = tx.send(Msg::Search(e));
        })
    };
    let sink: jobs::Sink = {
        let tx = tx.clone();
        Arc::new(move |e| {
            let _ = tx.send(Msg::Job(e));
        })
    };
    jobs::load_library(ctx.library_path.clone(), ctx.config.library.max_file_size, sink.clone());
    tracing::debug!("startup: workers started at {} ms", started.elapsed().as_millis());

    let _guard = TerminalGuard::enter()?;
    // Clear directly: `Terminal::clear` asks the terminal for the cursor position, and a slow
    // link or a terminal that never answers would fail the start.
    execute!(stdout(), Clear(ClearType::All))?;
    let mut terminal = Screen::new(Terminal::new(CrosstermBackend::new(stdout()))?, ctx.config.terminal.scroll_regions);
    if ctx.config.terminal.scroll_regions && ctx.config.terminal.left_right_margins {
        // Asked before the input thread reads the terminal, after a first frame, so the
        // answer's round trip does not hold the screen back (see `ask_margins`).
        let size = terminal.terminal().size()?;
        app.update(Action::Resize(size.width, size.height));
        terminal.draw(|frame| view(&app, frame))?;
        let asked = Instant::now();
        let (margins, typed) = ask_margins(&mut stdout());
        terminal.margins = margins;
        tracing::debug!(
            "terminal: left and right margins: {margins} (asked in {} ms, {} bytes typed meanwhile)",
            asked.elapsed().as_millis(),
            typed.len()
        );
        for key in super::typed::keys(&typed) {
            let _ = tx.send(Msg::Input(key));
        }
    }
    let input_gate = Arc::new(InputGate::default());
    spawn_input(tx.clone(), input_gate.clone());
    spawn_signals(tx.clone());
    let mut ctx_loop = Loop {
        sink,
        rx,
        state_path,
        state_seen,
        options: ctx.render_options(),
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
        arrival: None,
        generation: 0,
        loaded_generation: None,
        watcher: None,
        cache_sum: None,
        reload_asked: false,
        add_cancel: None,
        translate_cancel: None,
        engine: ctx.config.translate.engine.clone(),
        engines: ctx.config.engines.clone(),
        web: ctx.config.web.http_options(),
        reading_lang: crate::web::extract::primary_language(&ctx.config.library.reading_lang)
            .unwrap_or_else(|| "en".into()),
        fetch: ctx.fetch_options(),
        feeds_path: ctx.config.feeds.path(),
        refresh: super::fetching::Refresh::every(ctx.config.feeds.refresh_minutes, Instant::now()),
        input_gate,
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
        crate::logging::say("bitext: the reading state could not be saved in time");
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
            // While the editor has the terminal, Ctrl-C and Ctrl-\ are its own, and a stop
            // stops bitext as it is: the editor is drawing, not bitext.
            if super::editor::EDITING.load(Ordering::SeqCst) {
                match signal {
                    SIGTSTP => {
                        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
                        continue;
                    }
                    SIGINT | SIGQUIT | SIGCONT => continue,
                    _ => {}
                }
            }
            if tx.send(Msg::Signal(signal)).is_err() {
                return;
            }
        }
    });
}

/// Reads terminal input on its own thread, so the loop can also wait for workers. It looks up
/// every [`super::editor::INPUT_POLL`] to stop at `gate` while another program (the editor)
/// reads the terminal.
fn spawn_input(tx: mpsc::Sender<Msg>, gate: Arc<InputGate>) {
    std::thread::spawn(move || {
        loop {
            gate.pass();
            let read = match event::poll(super::editor::INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => event::read(),
                Err(e) => Err(e),
            };
            match read {
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
    sink: jobs::Sink,
    rx: mpsc::Receiver<Msg>,
    state_path: Option<std::path::PathBuf>,
    /// The version of the state file this session has taken in.
    state_seen: Option<state::FileStamp>,
    options: crate::render::Options,
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
    /// Files a rescan found that the list is still taking in, a step between keys.
    arrival: Option<Arrival>,
    /// Counts the libraries the app has had: an index is used only for the one it was built for.
    generation: u64,
    /// The generation the first load ended with, which the loader's index is built for.
    loaded_generation: Option<u64>,
    watcher: Option<notify::RecommendedWatcher>,
    /// The checksum of the index cache that holds the library the app has, when one does: a
    /// rescan then reads only what changed against it.
    cache_sum: Option<u64>,
    /// `R` asked for the running rescan: say when it is done.
    reload_asked: bool,
    /// Stops the article being added.
    add_cancel: Option<Arc<AtomicBool>>,
    /// Stops the article being translated.
    translate_cancel: Option<Arc<AtomicBool>>,
    /// The engine `T` uses, and the engines of the config.
    engine: String,
    engines: std::collections::BTreeMap<String, crate::translate::EngineConfig>,
    /// How pages are fetched, and the reading language, for adding articles.
    web: crate::web::http::Options,
    reading_lang: String,
    /// How feeds are fetched, and where the subscriptions are.
    fetch: crate::feeds::fetch::Options,
    feeds_path: Option<std::path::PathBuf>,
    /// `[feeds] refresh_minutes`: when the next fetch on the timer is due.
    refresh: Option<super::fetching::Refresh>,
    /// Stops the input thread while the editor reads the terminal.
    input_gate: Arc<InputGate>,
}

impl Loop<'_> {
    /// Runs until the user quits or the terminal goes away. A terminal that can no longer be
    /// written to (an SSH connection dropped: EIO) is a hang-up, a normal end: the reading
    /// state is saved by the caller and bitext exits 0.
    fn run(&mut self, terminal: &mut Term, app: &mut App) -> Result<(), Error> {
        match self.run_inner(terminal, app) {
            Err(e) => {
                tracing::info!("the terminal went away ({e}); ending as after a hang-up");
                Ok(())
            }
            Ok(()) => Ok(()),
        }
    }

    fn run_inner(&mut self, terminal: &mut Term, app: &mut App) -> std::io::Result<()> {
        let size = terminal.terminal().size()?;
        app.update(Action::Resize(size.width, size.height));
        // Whether the last messages can have changed the screen.
        let mut changed = true;
        loop {
            if changed {
                terminal.panes = app.geometry().panes();
                terminal.draw(|frame| view(app, frame))?;
            }
            if let Some(t) = self.started.take() {
                tracing::debug!("startup: first frame drawn at {} ms", t.elapsed().as_millis());
            }
            // Copying the metadata for the index takes a moment on a large library: after the
            // frame that shows the list, not before.
            if std::mem::take(&mut self.index_pending) {
                let t = Instant::now();
                jobs::build_index(app.library.articles.clone(), self.generation, self.sink.clone());
                tracing::debug!("search index: metadata copied in {} ms", t.elapsed().as_millis());
            }
            // Block until something happens (or a pending rescan is due), then take everything
            // already waiting, so a burst of resizes or a held key is handled before one draw.
            // While files are being taken into the list, only what is waiting is read first.
            let due = match self.arrival {
                Some(_) => Some(Instant::now()),
                None => wake_at(self.rescan_at, self.rescanning, self.refresh.map(|r| r.next())),
            };
            let first = match due {
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
            // A burst of file events (a large fetch writes thousands) only sets the rescan's
            // timer: no frame is drawn for it.
            changed = !messages.iter().all(|m| matches!(m, Msg::Job(jobs::Event::FolderChanged)));
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
                    Msg::StateWritten(Ok(written)) => {
                        self.state_seen = written.stamp;
                        app.state.absorb(&written.merged);
                        app.count_unread();
                    }
                    Msg::StateWritten(Err(e)) => app.message = Some(format!("could not save the reading state: {e}")),
                    Msg::Signal(signal) => match signal {
                        signal_hook::consts::SIGTSTP => suspend(terminal)?,
                        signal_hook::consts::SIGCONT => resume(terminal)?,
                        _ => {
                            // A normal end: the reading state is saved on the way out.
                            let name = match signal {
                                signal_hook::consts::SIGHUP => "hang-up (SIGHUP)",
                                signal_hook::consts::SIGTERM => "SIGTERM",
                                signal_hook::consts::SIGINT => "SIGINT",
                                _ => "a signal to end",
                            };
                            tracing::info!("{name}: saving the reading state and ending");
                            app.quit = true;
                        }
                    },
                    Msg::Job(event) => self.job_event(event, app),
                }
            }
            // Keys first, then the next step of the files arriving; the list is drawn when they
            // are all in (or a key asks for a frame).
            if self.arrival.is_some() {
                self.step_arrival(app);
                changed |= self.arrival.is_none();
            }
            // The timer's slot passes even while a fetch runs: no second fetch queued behind it.
            if self.refresh.as_mut().is_some_and(|r| r.due(Instant::now())) && app.fetching.is_none() {
                tracing::info!("fetch: the refresh timer is due");
                self.perform(Effect::Fetch(None), app);
                changed = true;
            }
            if self.rescan_at.is_some_and(|at| at <= Instant::now()) && !self.rescanning {
                self.rescan_at = None;
                self.rescan();
                changed = true;
            }
            if let Some((w, h)) = resize {
                // The size in the event can be stale after a storm; ask the terminal. Whatever
                // the terminal did to its screen while it was resized, the next frame is drawn
                // whole at the size it has now.
                let size = terminal.terminal().size().map(|s| (s.width, s.height)).unwrap_or((w, h));
                terminal.redraw_all()?;
                app.update(Action::Resize(size.0, size.1));
            }
            // Performing an effect can ask for more (reading the body of an edited article).
            let mut effects = app.take_effects();
            while !effects.is_empty() {
                for effect in effects {
                    if effect == Effect::Suspend {
                        suspend(terminal)?;
                        let size = terminal.terminal().size()?;
                        app.update(Action::Resize(size.width, size.height));
                    }
                    if effect == Effect::Redraw {
                        terminal.redraw_all()?;
                    }
                    if let Effect::Edit(path) = &effect {
                        self.edit(terminal, app, path)?;
                    }
                    self.perform(effect, app);
                }
                effects = app.take_effects();
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

    fn job_event(&mut self, event: jobs::Event, app: &mut App) {
        use jobs::Event as E;
        match event {
            // An index for a library replaced since is dropped: a newer one is coming.
            E::IndexReady(index, generation) if generation == self.generation => self.set_index(app, index),
            E::IndexReady(..) => {}
            E::LoaderIndex(index) => {
                match index {
                    Some(index) if self.loaded_generation == Some(self.generation) => self.set_index(app, index),
                    Some(_) => {}
                    None => self.index_pending = true,
                }
                self.after_loader_index();
            }
            E::FolderChanged => self.rescan_at = Some(Instant::now() + QUIET),
            E::Library { library, unchecked, done, sum, streamed } => {
                self.cache_sum = sum;
                let quiet = std::mem::take(&mut self.first_library);
                if streamed {
                    // The list holds the articles already, sorted as they came.
                    app.library_streamed(library, quiet);
                } else {
                    app.library_arrived(library, quiet);
                }
                tracing::debug!(
                    "startup: {} articles ({}) at {} ms",
                    app.library.articles.len(),
                    if done { "read" } else { "from the index cache" },
                    self.load_started.elapsed().as_millis()
                );
                self.generation += 1;
                self.unchecked = unchecked;
                if done {
                    self.loaded(app);
                }
            }
            E::LibraryConfirmed => self.loaded(app),
            E::Checked(Some(changes)) => {
                self.rescanning = false;
                tracing::debug!("startup: bodies checked, {} files changed", changes.changes.len());
                self.take_changes(app, changes, true);
            }
            E::Changed(changes) => {
                self.rescanning = false;
                tracing::debug!("rescan: {} files changed", changes.changes.len());
                self.take_changes(app, changes, false);
            }
            E::Checked(None) => {
                // No index cache to work from (it could not be written): scan again, whole
                // this time.
                self.rescanning = false;
                self.startup_check = true;
                self.rescan();
            }
            E::Watching(w) => self.watcher = Some(w),
            E::LoadProgress(n, total, articles) => {
                app.loading = Some(format!("reading the library: {n} of {total} files"));
                if self.first_library && !articles.is_empty() {
                    // Room for the whole library at once, not grown (and copied) by doubling.
                    let library = &mut app.library.articles;
                    library.reserve(total.saturating_sub(library.len()));
                    app.add_articles(articles);
                    self.generation += 1;
                }
            }
            E::LoadFailed(e) => {
                self.rescanning = false;
                app.loading = None;
                app.message = Some(e);
            }
            E::Rescanned(result, index, sum) => {
                self.rescanning = false;
                self.cache_sum = sum;
                match result {
                    Ok(library) => {
                        let quiet = std::mem::take(&mut self.startup_check);
                        let changes =
                            self.reload_asked.then(|| super::reload::LibraryChanges::between(&app.library, &library));
                        app.replace_library_quietly(library, quiet);
                        self.generation += 1;
                        self.set_index(app, index);
                        self.reload_asked = false;
                        if let Some(changes) = changes {
                            app.reloaded(changes);
                        }
                    }
                    Err(e) => {
                        self.reload_asked = false;
                        self.cache_sum = None;
                        app.message = Some(e);
                    }
                }
            }
            E::Body { path, result } => app.body_arrived(path, result),
            E::AddProgress(stage) => app.add_progress(stage),
            E::TranslateProgress { path, ready } => app.translation_progress(path, ready),
            E::Translated { path, result } => {
                self.translate_cancel = None;
                app.translation_finished(path, result);
            }
            E::Added(result) => {
                self.add_cancel = None;
                app.add_finished(result);
            }
            E::Layout { key, generation, layout } => app.layout_arrived(key, generation, layout),
            E::FetchProgress(p) => app.fetch_progress(p),
            E::Fetched(result) => {
                app.fetch_finished(result);
                // Whatever the watcher has not brought in yet.
                self.rescan_at = Some(Instant::now() + QUIET);
            }
        }
    }

    /// The subscriptions, or a line saying why there are none to read.
    fn subscriptions(&self) -> Result<Vec<crate::feeds::config::Subscription>, String> {
        let path = self.feeds_path.as_ref().ok_or("cannot tell where feeds.toml is ([feeds] file)")?;
        crate::feeds::config::load(path).map(|f| f.feeds).map_err(|e| e.to_string())
    }

    fn perform(&mut self, effect: Effect, app: &mut App) {
        match effect {
            Effect::Fetch(name) => {
                let chosen = self.subscriptions().map(|feeds| match &name {
                    Some(n) => feeds.into_iter().filter(|f| &f.name == n).collect(),
                    None => feeds,
                });
                match chosen {
                    Ok(feeds) if !feeds.is_empty() => {
                        app.fetch_started(Ok(feeds.len()));
                        jobs::fetch_feeds(feeds, self.fetch.clone(), self.sink.clone());
                    }
                    other => app.fetch_started(other.map(|f| f.len())),
                }
            }
            Effect::PickFeed => {
                app.open_feed_picker(self.subscriptions().map(|f| f.into_iter().map(|s| s.name).collect()))
            }
            Effect::Search(q) if q.trim().is_empty() => self.searcher.cancel(),
            Effect::Search(q) => {
                let generation = self.searcher.start(&q);
                app.search_started(&q, generation);
            }
            Effect::Copy(text) => {
                if let Err(e) = super::clipboard::copy(&mut stdout(), &text, app.copy_to_tmux) {
                    app.message = Some(e);
                }
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
                self.reload_asked = true;
                self.rescan();
            }
            Effect::LoadBody(path, id) => jobs::load_body(path, id, self.max_file_size, self.sink.clone()),
            Effect::LayOut { key, generation, article } => {
                jobs::lay_out(*article, key, generation, self.options, self.sink.clone())
            }
            Effect::SyncState => {
                if let Some(path) = &self.state_path
                    && let Some(entries) = state::read_if_changed(path, &mut self.state_seen)
                {
                    app.state_synced(&entries);
                }
            }
            Effect::Add(page) => {
                let cancel = Arc::new(AtomicBool::new(false));
                self.add_cancel = Some(cancel.clone());
                let request = crate::ingest::Request {
                    cancel: Some(cancel),
                    pages: crate::web::pages::PageCache::default_dir().map(crate::web::pages::PageCache::new),
                    ..crate::ingest::Request::new(&page, &self.reading_lang, &self.root)
                };
                jobs::add_article(request, self.web.clone(), self.sink.clone());
            }
            Effect::Translate(path) => {
                if let Some(a) = app.library.articles.iter().find(|a| a.meta.path == path) {
                    let cancel = Arc::new(AtomicBool::new(false));
                    self.translate_cancel = Some(cancel.clone());
                    jobs::translate_article(
                        crate::article::Article::clone(a),
                        self.engine.clone(),
                        self.engines.clone(),
                        cancel,
                        self.sink.clone(),
                    );
                }
            }
            Effect::CancelTranslate => {
                if let Some(c) = self.translate_cancel.take() {
                    c.store(true, Ordering::SeqCst);
                }
            }
            Effect::CancelAdd => {
                if let Some(c) = self.add_cancel.take() {
                    c.store(true, Ordering::SeqCst);
                }
            }
            // Small files, written at once: the next frame shows the new pairs.
            Effect::EditPairing(request) => app.pairing_done(super::pairing::edit(&request)),
            Effect::UndoPairing(undo) => app.pairing_done(super::pairing::undo(undo)),
            Effect::Suspend => {}
            Effect::Redraw => {}
            Effect::Edit(_) => {}
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
        // The loader builds the search index next (`Event::LoaderIndex`); the bodies are
        // checked after that, so the two do not hold a decoded copy of the cache at the same time.
        self.loaded_generation = Some(self.generation);
    }

    /// The loader's index has come: now check the bodies the load did not.
    fn after_loader_index(&mut self) {
        if std::mem::take(&mut self.unchecked) > 0 {
            self.rescanning = true;
            jobs::check_bodies(self.root.clone(), self.max_file_size, self.sink.clone());
        }
    }

    /// Scans the folder again on a worker thread: only what changed against the index cache
    /// the list was made from, unless `R` asked for a whole reload.
    fn rescan(&mut self) {
        if self.rescanning {
            self.rescan_at = Some(Instant::now() + QUIET);
            return;
        }
        self.rescanning = true;
        let known = if self.reload_asked { None } else { self.cache_sum };
        jobs::rescan(self.root.clone(), self.max_file_size, known, self.sink.clone());
    }

    /// Files that came, changed or went, found against the index cache: the list takes them in
    /// (`quiet`: without a word on the status line) and the search index comes from the cache.
    fn take_changes(&mut self, app: &mut App, changes: jobs::Changes, quiet: bool) {
        let jobs::Changes { changes, index, sum } = changes;
        self.cache_sum = sum;
        if changes.is_empty() {
            return;
        }
        // Files still waiting from the last rescan go in first; the count on the status line
        // covers both.
        let last = self.arrival.take();
        let before = last.as_ref().map_or(app.library.articles.len(), |a| a.before);
        let count = changes.len() + last.as_ref().map_or(0, |a| a.count);
        let quiet = quiet && last.as_ref().is_none_or(|a| a.quiet);
        let (t, cpu) = (Instant::now(), thread_cpu());
        app.arrive(changes);
        self.generation += 1;
        let (longest, longest_cpu) = (t.elapsed(), thread_cpu().saturating_sub(cpu));
        self.arrival = Some(Arrival { before, count, quiet, index, steps: 1, longest, longest_cpu });
        self.finish_arrival(app);
    }

    /// The next step of the files a rescan found ([`App::arrive_step`]), between keys.
    fn step_arrival(&mut self, app: &mut App) {
        let (t, cpu) = (Instant::now(), thread_cpu());
        app.arrive_step();
        self.generation += 1;
        if let Some(a) = self.arrival.as_mut() {
            a.steps += 1;
            a.longest = a.longest.max(t.elapsed());
            a.longest_cpu = a.longest_cpu.max(thread_cpu().saturating_sub(cpu));
        }
        self.finish_arrival(app);
    }

    /// Once every file a rescan found is in the list: the count on the status line, and the
    /// search index from the cache, which holds the same library as the list now.
    fn finish_arrival(&mut self, app: &mut App) {
        if !app.arriving.is_empty() {
            return;
        }
        let Some(a) = self.arrival.take() else { return };
        let n = app.library.articles.len();
        tracing::debug!(
            "{} files changed: taken into the list in {} steps, the longest {} us ({} us of CPU)",
            a.count,
            a.steps,
            a.longest.as_micros(),
            a.longest_cpu.as_micros()
        );
        if !a.quiet {
            app.say_library_grew(a.before, n);
        }
        match a.index {
            Some(index) if index.len() == n => self.set_index(app, index),
            _ => self.index_pending = true,
        }
    }
}

/// Files a rescan found, being taken into the list a step at a time ([`App::arrive`]).
struct Arrival {
    /// The list's length before, and how many files.
    before: usize,
    count: usize,
    /// Nothing said on the status line (the check of the bodies after start).
    quiet: bool,
    /// The search index of the library once they are all in.
    index: Option<Arc<SearchIndex>>,
    /// Steps taken, and the longest: in time, and in this thread's CPU time (the time also
    /// counts the thread waiting for a core).
    steps: usize,
    longest: Duration,
    longest_cpu: Duration,
}

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes one `timespec`, which `t` is.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(t.tv_sec.max(0) as u64, t.tv_nsec.clamp(0, 999_999_999) as u32)
}

type Term = Screen<std::io::Stdout>;

impl Loop<'_> {
    /// `e`: hands the terminal to the editor on `path` as Ctrl-Z hands it to the shell, takes
    /// it back when the editor ends, and reads the file again.
    fn edit(&mut self, terminal: &mut Term, app: &mut App, path: &std::path::Path) -> std::io::Result<()> {
        if !self.input_gate.close(super::editor::INPUT_POLL * 5) {
            tracing::warn!("edit: the input thread did not stop reading; the editor may miss keys");
        }
        restore_terminal();
        super::editor::EDITING.store(true, Ordering::SeqCst);
        let ended = super::editor::run(path);
        super::editor::EDITING.store(false, Ordering::SeqCst);
        let taken = enter_terminal().and_then(|()| terminal.redraw_all());
        self.input_gate.open();
        taken?;
        let size = terminal.terminal().size()?;
        app.update(Action::Resize(size.width, size.height));
        let reloaded = Library::load_one(&self.root, path, self.max_file_size);
        app.article_edited(path, reloaded, ended);
        Ok(())
    }
}

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

/// How long the reader waits, after its first frame, for the terminal to answer whether it has
/// left and right margins: a terminal that never answers costs no more, once.
const MARGINS_WAIT: Duration = Duration::from_millis(300);

/// Whether the terminal has left and right margins, asked by their effect (see
/// [`super::screen::MARGINS_PROBE`]) and a cursor position request, read here before the input
/// thread reads the terminal; and the bytes read meanwhile that were not the answer (keys
/// typed, see [`super::typed`]). Not asked inside tmux or screen, which have none, nor on the
/// Linux console, nor while keys typed ahead wait to be read. An answer later than
/// [`MARGINS_WAIT`] is taken as none (crossterm's reader then takes it as a report nobody
/// asked for, which never reaches the loop); one that has begun by then is waited for a little
/// longer, so the rest of it is never read as keys.
fn ask_margins(out: &mut impl Write) -> (bool, Vec<u8>) {
    let term = std::env::var("TERM").unwrap_or_default();
    let without = ["screen", "tmux", "linux", "dumb"].iter().any(|t| term.starts_with(t));
    if without || std::env::var_os("TMUX").is_some() || std::env::var_os("STY").is_some() {
        return (false, Vec::new());
    }
    let fd = libc::STDIN_FILENO;
    let waiting = |timeout: Duration| {
        let mut poll = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd, for the length of the call.
        let ready = unsafe { libc::poll(&mut poll, 1, ms) };
        ready > 0 && poll.revents & libc::POLLIN != 0
    };
    if waiting(Duration::ZERO) {
        return (false, Vec::new());
    }
    let question = [super::screen::MARGINS_PROBE, b"\x1b[6n", super::screen::MARGINS_PROBE_END].concat();
    if out.write_all(&question).and_then(|()| out.flush()).is_err() {
        return (false, Vec::new());
    }
    let started = Instant::now();
    let mut answer = Vec::new();
    while answer.len() < 4096 {
        // An answer begun is waited for up to twice as long.
        let begun = super::screen::report_begun(&answer);
        let deadline = started + if begun { 2 * MARGINS_WAIT } else { MARGINS_WAIT };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || !waiting(left) {
            break;
        }
        let mut buf = [0u8; 64];
        // SAFETY: reads at most the buffer's length into it.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n as usize]);
        if let Some(((col, row), at)) = super::screen::position_report(&answer) {
            answer.drain(at);
            return (super::screen::margins_from_position(col, row), answer);
        }
    }
    (false, answer)
}

/// Leaves the alternate screen, shows the cursor and turns raw mode off, if the reader had
/// taken the terminal. Safe to call twice.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    // The scrolling region and the margin mode the reader left set (see `Screen`) go first:
    // the shell scrolls the whole screen.
    let _ = out.write_all(super::screen::RESET_REGION);
    let _ = out.write_all(super::screen::RESET_MARGIN_MODE);
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// On a panic: restore the terminal first, then print one readable line saying where the
/// details (with a backtrace) were written. No backtrace reaches the terminal.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // A job's panic is caught and reported by the job: the reader goes on, so the terminal
        // stays as it is and only the log and a crash report hear of it.
        if crate::jobs::in_job() {
            let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            let details = format!(
                "bitext {} worker panicked{place}: {info}\n\n{}\n",
                env!("CARGO_PKG_VERSION"),
                std::backtrace::Backtrace::force_capture()
            );
            let report = write_crash_report(&details);
            tracing::error!("a worker panicked{place} (details in {:?})", report);
            return;
        }
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
            Some(path) => crate::logging::say(&format!(
                "bitext: internal error: {message}{place} (details in {})",
                path.display()
            )),
            None => crate::logging::say(&format!("bitext: internal error: {message}{place}")),
        }
    }));
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

/// When the loop must wake with nothing to read: at the refresh timer, and when a rescan is
/// due, unless one (or the check of the bodies) is running. Then the rescan waits for its end,
/// which is an event: waking for a time already past would spin the loop meanwhile.
fn wake_at(rescan_at: Option<Instant>, rescanning: bool, refresh: Option<Instant>) -> Option<Instant> {
    match (rescan_at.filter(|_| !rescanning), refresh) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rescan_due_while_one_runs_waits_for_its_end_not_the_clock() {
        let past = Instant::now();
        let later = past + Duration::from_secs(60);
        assert_eq!(wake_at(Some(past), false, None), Some(past), "due: wake at once");
        assert_eq!(wake_at(Some(past), true, None), None, "running: the end of it wakes the loop");
        assert_eq!(wake_at(Some(past), true, Some(later)), Some(later), "the refresh timer still counts");
        assert_eq!(wake_at(Some(later), false, Some(past)), Some(past));
        assert_eq!(wake_at(None, false, None), None);
    }
}
