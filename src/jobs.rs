//! Background work. Each job owns its thread and reports what it did as [`Event`]s through a
//! [`Sink`]; whoever started it (the reader's loop, a command) only reads the events. Nothing
//! here draws or touches the terminal.
//!
//! The reader's jobs: the loader (the list from the index cache, then the folder), the search
//! index, the folder watcher, the check of the bodies after start, rescans, and reading and
//! laying out one article's body, so that a long or hostile article never holds up the keys.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::article::Article;
use crate::library::{Checked, Library};
use crate::render::{Layout, Mode, Options};
use crate::search::SearchIndex;

/// Files that came, changed or went, found against the index cache, which now holds them.
pub struct Changes {
    pub changes: Vec<Checked>,
    /// When there are changes, the search index of the cache written (the library with those
    /// changes, in list order); `None` if the cache could not be read back.
    pub index: Option<Arc<SearchIndex>>,
    /// The checksum of the cache written.
    pub sum: Option<u64>,
}

impl Changes {
    /// `changes`, found and written into `cache`, whose checksum is now `sum`.
    fn of(changes: Vec<Checked>, root: &Path, cache: Option<&Path>, sum: Option<u64>) -> Changes {
        // The index comes from the cache just written, streamed: the UI thread need not copy
        // every article's metadata for it.
        let index = if changes.is_empty() { None } else { index_from_cache(root, cache) };
        Changes { changes, index, sum }
    }
}

/// What a job reports.
pub enum Event {
    /// The library from the loader, as the index cache remembers it (`done` false: the folder
    /// is being checked against it) or as read from the folder (`done`).
    Library {
        library: Library,
        unchecked: usize,
        done: bool,
        /// The checksum of the index cache that holds this very library, if one does.
        sum: Option<u64>,
        /// The articles came before, in [`Event::LoadProgress`], and are not sent again: this
        /// library holds the problems only.
        streamed: bool,
    },
    /// The folder holds what the library from the index cache says.
    LibraryConfirmed,
    /// Files read of those to read, on a load without the index cache, and the articles read
    /// since the last report (each article is sent once: the receiver keeps them).
    LoadProgress(usize, usize, Vec<Article>),
    LoadFailed(String),
    /// The loader's search index for the library it last sent (`None`: it could not build one).
    LoaderIndex(Option<Arc<SearchIndex>>),
    /// A search index, built for the library of that generation.
    IndexReady(Arc<SearchIndex>, u64),
    /// What the check of the bodies after start found (`None`: no index cache to work from).
    Checked(Option<Changes>),
    /// What changed in the folder, found against the index cache (see [`rescan`]).
    Changed(Changes),
    /// A new scan of the folder, with its search index and the checksum of the index cache
    /// written for it.
    Rescanned(Result<Library, String>, Arc<SearchIndex>, Option<u64>),
    /// Something changed in the library folder.
    FolderChanged,
    /// The folder watcher, set up; to be kept for as long as changes matter.
    Watching(notify::RecommendedWatcher),
    /// The body of the article file at `path`, read and paired (or why it could not be).
    Body {
        path: PathBuf,
        result: Result<Body, String>,
    },
    /// A long article laid out for `key`, for the layouts of that generation.
    Layout {
        key: LayoutKey,
        generation: u64,
        layout: Arc<Layout>,
    },
    /// How adding an article goes: the stage, as a short line.
    AddProgress(String),
    /// Adding an article ended: the summary line and the file, or why not.
    Added(Result<(String, PathBuf), String>),
    /// A group of the article at `path` has its machine translation.
    TranslateProgress {
        path: PathBuf,
        ready: crate::translate::fill::GroupReady,
    },
    /// Translating the article at `path` ended: a line to show, or why it failed.
    Translated {
        path: PathBuf,
        result: Result<String, String>,
    },
    /// How a fetch of the feeds goes.
    FetchProgress(crate::feeds::fetch::Progress),
    /// A fetch of the feeds ended: what it did, or why it could not start.
    Fetched(Result<crate::feeds::fetch::Summary, String>),
}

/// An article's body, read on a worker.
pub use crate::library::Body;

/// Which layout: the article's index in the library, the mode, the width, the columns swapped.
pub type LayoutKey = (usize, Mode, usize, bool);

/// Where a job's events go.
pub type Sink = Arc<dyn Fn(Event) + Send + Sync>;

/// Runs `job` on its own thread. A panic in it is caught: it is logged (the crash report says
/// where) and `on_panic` reports it as an event, so the one who waits is not left waiting and
/// the terminal is not touched.
fn spawn(name: &str, job: impl FnOnce() + Send + 'static, on_panic: impl FnOnce(String) + Send + 'static) {
    let spawned = std::thread::Builder::new().name(format!("bitext-{name}")).spawn(move || {
        IN_JOB.with(|j| j.set(true));
        if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
            let message = e
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| e.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            on_panic(crate::text::sanitize_line(&message));
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start a worker thread: {e}");
    }
}

thread_local! {
    static IN_JOB: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread runs a job, whose panics are caught and reported as events (the panic
/// hook then leaves the terminal alone).
pub fn in_job() -> bool {
    IN_JOB.with(std::cell::Cell::get)
}

/// Reads and pairs the body of the article file at `path` (its id `id`).
pub fn load_body(path: PathBuf, id: String, max_file_size: u64, sink: Sink) {
    let (p, s) = (path.clone(), sink.clone());
    spawn(
        "body",
        move || {
            let result = Library::read_body(&path, &id, max_file_size).map_err(|d| d.to_string());
            sink(Event::Body { path, result });
        },
        move |m| s(Event::Body { path: p.clone(), result: Err(format!("{}: internal error: {m}", p.display())) }),
    );
}

/// Lays `article` out for `key` (a long one: short ones are laid out where they are needed).
pub fn lay_out(article: Article, key: LayoutKey, generation: u64, options: Options, sink: Sink) {
    spawn(
        "layout",
        move || {
            sink(Event::Layout { key, generation, layout: Arc::new(layout_for(&article, key, &options)) });
        },
        |m| tracing::error!("laying out an article failed: {m}"),
    );
}

/// The layout of `article` for `key`, as [`lay_out`] makes it on its worker.
pub fn layout_for(article: &Article, key: LayoutKey, options: &Options) -> Layout {
    let (_, mode, width, swap) = key;
    crate::render::layout(article, mode, width, &Options { swap, ..*options })
}

/// Adds an article from the web ([`crate::ingest::add`]), reporting each stage.
pub fn add_article(request: crate::ingest::Request, http: crate::web::http::Options, sink: Sink) {
    let s = sink.clone();
    spawn(
        "add",
        move || {
            let client = crate::web::http::Client::new(http);
            let progress = |stage: crate::ingest::Stage| sink(Event::AddProgress(stage.to_string()));
            let result = crate::ingest::add(&client, &request, &progress);
            if let Err(e) = &result {
                tracing::warn!("add: {e}");
            }
            sink(Event::Added(result.map(|a| (a.to_string(), a.path)).map_err(|e| e.to_string())));
        },
        move |m| s(Event::Added(Err(format!("adding the article failed: {m}")))),
    );
}

/// Fetches the feeds `feeds` ([`crate::feeds::fetch::run`]), reporting each step.
pub fn fetch_feeds(feeds: Vec<crate::feeds::config::Subscription>, options: crate::feeds::fetch::Options, sink: Sink) {
    let s = sink.clone();
    spawn(
        "fetch",
        move || {
            let progress = |p| sink(Event::FetchProgress(p));
            let result = crate::feeds::fetch::run(&feeds, &options, &progress);
            if let Err(e) = &result {
                tracing::warn!("fetch: {e}");
            }
            sink(Event::Fetched(result));
        },
        move |m| s(Event::Fetched(Err(format!("fetching the feeds failed: {m}")))),
    );
}

/// Machine-translates what `article` has no translation for with the engine `engine`, writing
/// its file; reports each group as it comes. Stops between calls once `cancel` is set.
pub fn translate_article(
    article: Article,
    engine: String,
    engines: std::collections::BTreeMap<String, crate::translate::EngineConfig>,
    cancel: Arc<std::sync::atomic::AtomicBool>,
    sink: Sink,
) {
    let (s, path) = (sink.clone(), article.meta.path.clone());
    spawn(
        "translate",
        move || {
            let path = article.meta.path.clone();
            let result = (|| -> Result<String, String> {
                let engine_box = crate::translate::engine(&engine, &engines)?;
                let cache = crate::translate::cache::default_path().map(|p| crate::translate::cache::Cache::open(&p));
                let translator = crate::translate::Translator { engine: engine_box, cache };
                let progress = |ready| sink(Event::TranslateProgress { path: path.clone(), ready });
                let filled = crate::translate::fill::fill(&article, &translator, false, &progress, Some(&cancel))
                    .map_err(|e| e.to_string())?;
                Ok(match (filled.paragraphs, filled.cancelled) {
                    (0, false) => "nothing to translate: every paragraph has a translation".to_string(),
                    (n, false) => format!("translated {n} paragraphs · {engine}"),
                    (n, true) => format!("translation stopped; {n} paragraphs kept · {engine}"),
                })
            })();
            if let Err(e) = &result {
                tracing::warn!("translate: {e}");
            }
            sink(Event::Translated { path, result });
        },
        move |m| s(Event::Translated { path, result: Err(format!("translating failed: {m}")) }),
    );
}

/// Runs `f` on this thread as a job runs: a panic in it is caught and comes back as its
/// message, logged, without touching the terminal.
pub fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = IN_JOB.with(|j| j.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|e| {
        let message = e
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        crate::text::sanitize_line(&message)
    });
    IN_JOB.with(|j| j.set(was));
    result
}

/// Reads the library: first the list as the index cache remembers it (no file opened), then a
/// walk of the folder to confirm it, and only if something changed (or there is no cache) the
/// files themselves, with progress reports.
pub fn load_library(root: PathBuf, max_file_size: u64, sink: Sink) {
    let s = sink.clone();
    let cache = crate::library::default_cache_path(&root);
    spawn("loader", move || run_loader(root, cache, max_file_size, sink), move |m| s(Event::LoadFailed(m)));
}

fn run_loader(root: PathBuf, cache: Option<PathBuf>, max_file_size: u64, sink: Sink) {
    load(root, cache, max_file_size, sink);
    release_memory();
}

fn load(root: PathBuf, cache: Option<PathBuf>, max_file_size: u64, sink: Sink) {
    let cached = cache.as_deref().and_then(|c| Library::from_cache(&root, c));
    let mut sent_sum = None;
    let snapshot = cached.map(|(library, snapshot, stats)| {
        sent_sum = cache.as_deref().and_then(crate::library::cache_sum);
        sink(Event::Library { library, unchecked: stats.unchecked, done: false, sum: sent_sum, streamed: false });
        snapshot
    });
    // Watching a large folder means walking it, so it waits until the list is out; a change
    // made before the watch starts is found by the walk or the read below. Without a list from
    // the cache, it is set up beside the read instead of before it.
    let watcher = {
        let (root, sink) = (root.clone(), sink.clone());
        move || {
            if let Some(w) = watch(&root, sink.clone()) {
                sink(Event::Watching(w));
            }
        }
    };
    if snapshot.is_some() {
        watcher();
    } else {
        spawn("watcher", watcher, |m| tracing::error!("watching the library failed: {m}"));
    }
    let streamed = snapshot.is_none();
    if let Some(snapshot) = snapshot {
        let unchanged = Library::unchanged_since(&root, &snapshot);
        drop(snapshot);
        if unchanged {
            sink(Event::LibraryConfirmed);
            sink(Event::LoaderIndex(index_from_cache(&root, cache.as_deref())));
            return;
        }
        // Files came, changed or went while bitext was closed: the list on screen takes only
        // those, found against the cache it was made from, as a rescan's are.
        if let (Some(c), Some(sum)) = (cache.as_deref(), sent_sum)
            && let Some((changes, sum)) = Library::index_changes(&root, max_file_size, c, sum)
        {
            let changes = Changes::of(changes, &root, Some(c), Some(sum));
            let index = match &changes.index {
                Some(index) => Some(index.clone()),
                None => index_from_cache(&root, Some(c)),
            };
            sink(Event::Changed(changes));
            sink(Event::LibraryConfirmed);
            sink(Event::LoaderIndex(index));
            return;
        }
    }
    // With a list from the cache on screen and a cache another program wrote since, the
    // folder's library replaces it whole. Without a list, the articles are sent as they are
    // read, so the list grows while a library without a cache is read, and are held once: by
    // the list.
    let loaded = if streamed {
        let mut progress = |n: usize, total: usize, articles: Vec<Article>| {
            sink(Event::LoadProgress(n, total, articles));
        };
        Library::load_streamed(&root, max_file_size, cache.as_deref(), &mut progress)
    } else {
        Library::load_cached(&root, max_file_size, cache.as_deref(), false)
    };
    match loaded {
        Ok((library, stats)) => {
            let sum = if stats.cache_current { cache.as_deref().and_then(crate::library::cache_sum) } else { None };
            sink(Event::Library { library, unchecked: stats.unchecked, done: true, sum, streamed });
            // Only a cache that holds this very library gives its index.
            let index = if stats.cache_current { index_from_cache(&root, cache.as_deref()) } else { None };
            sink(Event::LoaderIndex(index));
        }
        Err(e) => sink(Event::LoadFailed(e.to_string())),
    }
}

/// Gives the allocator's free memory back to the system. A load reads on several threads,
/// and glibc keeps what each thread's arena freed for that thread to use again: after a first
/// start at 100,000 articles, 3 MB that the process no longer needs. Called at the end of the
/// jobs that read much of the library (the loader, the check of the bodies, a rescan).
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let started = std::time::Instant::now();
        // SAFETY: `malloc_trim` only returns free pages to the system; it is thread-safe.
        let released = unsafe { libc::malloc_trim(0) };
        tracing::debug!("memory given back: {} ({} µs)", released != 0, started.elapsed().as_micros());
    }
}

/// Builds the search index of `articles` (the library of `generation`).
pub fn build_index(articles: Vec<Box<Article>>, generation: u64, sink: Sink) {
    spawn(
        "index",
        move || sink(Event::IndexReady(Arc::new(SearchIndex::on_disk(&articles)), generation)),
        |m| tracing::error!("building the search index failed: {m}"),
    );
}

/// The search index of the library as the index cache holds it (the list the loader sent, in
/// the same order), so the UI thread need not copy the metadata of a large library for it.
/// The cache is read one entry at a time: only the index is built, never a second copy of
/// every article's metadata.
fn index_from_cache(root: &Path, cache: Option<&Path>) -> Option<Arc<SearchIndex>> {
    let mut reader = crate::library::IndexReader::open(root, cache?)?;
    let index = SearchIndex::on_disk_from(reader.by_ref().filter_map(|e| e.meta));
    reader.finish().then(|| Arc::new(index))
}

/// Watches the library folder; every change becomes an [`Event::FolderChanged`].
pub fn watch(root: &Path, sink: Sink) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(e) = res
            && !e.kind.is_access()
        {
            sink(Event::FolderChanged);
        }
    })
    .ok()?;
    watcher.watch(root, notify::RecursiveMode::Recursive).ok()?;
    Some(watcher)
}

/// Parses whole the files only the headers of were read, and records in the index cache that it
/// did; only what that finds comes back (a broken body, a warning).
pub fn check_bodies(root: PathBuf, max_file_size: u64, sink: Sink) {
    let s = sink.clone();
    spawn(
        "check",
        move || {
            let cache = crate::library::default_cache_path(&root);
            let checked = cache.as_deref().and_then(|c| Library::check_unchecked(&root, max_file_size, c));
            sink(Event::Checked(checked.map(|changes| {
                let sum = cache.as_deref().and_then(crate::library::cache_sum);
                Changes::of(changes, &root, cache.as_deref(), sum)
            })));
            release_memory();
        },
        move |_| s(Event::Checked(None)),
    );
}

/// Scans the folder again, checking every file that changed. With `known`, the checksum of the
/// index cache the reader's list was made from, and that cache unchanged since, only what
/// changed is read and sent ([`Event::Changed`]): the list takes it in, and no second copy of a
/// large library is made. Otherwise (or if that fails) the whole library is read again.
pub fn rescan(root: PathBuf, max_file_size: u64, known: Option<u64>, sink: Sink) {
    let s = sink.clone();
    spawn(
        "rescan",
        move || {
            let cache = crate::library::default_cache_path(&root);
            if let (Some(c), Some(sum)) = (cache.as_deref(), known)
                && let Some((changes, sum)) = Library::index_changes(&root, max_file_size, c, sum)
            {
                sink(Event::Changed(Changes::of(changes, &root, Some(c), Some(sum))));
                release_memory();
                return;
            }
            let result = Library::load_cached(&root, max_file_size, cache.as_deref(), true).map_err(|e| e.to_string());
            let sum = match &result {
                Ok((_, stats)) if stats.cache_current => cache.as_deref().and_then(crate::library::cache_sum),
                _ => None,
            };
            let result = result.map(|(l, _)| l);
            let index = Arc::new(
                result
                    .as_ref()
                    .map(|l| SearchIndex::on_disk(&l.articles))
                    .unwrap_or_else(|_| SearchIndex::build::<Article>(&[])),
            );
            sink(Event::Rescanned(result, index, sum));
            release_memory();
        },
        move |m| {
            s(Event::Rescanned(
                Err(format!("reading the library failed: {m}")),
                Arc::new(SearchIndex::build::<Article>(&[])),
                None,
            ))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str) -> String {
        format!(
            "title = \"{title}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\n"
        )
    }

    /// What the loader reports, by name (and the articles an event carries).
    fn load(root: &Path, cache: &Path) -> Vec<String> {
        let events = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = events.clone();
        let sink: Sink = Arc::new(move |e: Event| {
            let name = match e {
                Event::Library { library, done, streamed, .. } => {
                    format!("library {} done={done} streamed={streamed}", library.articles.len())
                }
                Event::LibraryConfirmed => "confirmed".into(),
                Event::LoadProgress(..) => "progress".into(),
                Event::Changed(c) => format!("changed {} index={:?}", c.changes.len(), c.index.map(|i| i.len())),
                Event::LoaderIndex(i) => format!("index {:?}", i.map(|i| i.len())),
                // The folder's watcher (dropped here) and what it saw are not the loader's.
                Event::Watching(_) | Event::FolderChanged => return,
                _ => "other".into(),
            };
            seen.lock().unwrap().push(name);
        });
        run_loader(root.to_path_buf(), Some(cache.to_path_buf()), crate::library::DEFAULT_MAX_FILE_SIZE, sink);
        let mut events = events.lock().unwrap().clone();
        events.dedup_by(|a, b| a == "progress" && b == "progress");
        events
    }

    #[test]
    fn a_start_after_files_came_takes_only_those_into_the_list_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = cache_dir.path().join("index.bin");
        for i in 0..3 {
            std::fs::write(dir.path().join(format!("a{i}.toml")), article(&format!("A{i}"))).unwrap();
        }
        // No cache: read, streamed to the list.
        assert_eq!(load(dir.path(), &cache), ["progress", "library 0 done=true streamed=true", "index Some(3)"]);
        // The cache holds the folder: listed from it, confirmed.
        assert_eq!(load(dir.path(), &cache), ["library 3 done=false streamed=false", "confirmed", "index Some(3)"]);
        // A file came while bitext was closed: the list from the cache, then that file alone.
        std::fs::write(dir.path().join("b.toml"), article("B")).unwrap();
        assert_eq!(
            load(dir.path(), &cache),
            ["library 3 done=false streamed=false", "changed 1 index=Some(4)", "confirmed", "index Some(4)"]
        );
        std::fs::remove_file(dir.path().join("a0.toml")).unwrap();
        assert_eq!(
            load(dir.path(), &cache),
            ["library 4 done=false streamed=false", "changed 1 index=Some(3)", "confirmed", "index Some(3)"]
        );
        assert_eq!(load(dir.path(), &cache), ["library 3 done=false streamed=false", "confirmed", "index Some(3)"]);
    }
}
