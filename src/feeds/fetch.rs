//! One fetch of the subscriptions: each feed with a conditional request, its new items made
//! into articles through [`crate::ingest::add`] (full text, edition, alignment, translation),
//! retention applied, its record kept. Several feeds at a time (a small global limit), one
//! request at a time per host. A feed that fails is reported with its name and the run goes
//! on; nothing half-written reaches the library.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::config::{FullText, Subscription};
use super::parse::{self, Item};
use super::state::{self, FeedState};
use crate::web::http::{Client, Conditional, FetchError};

/// What a run needs besides the subscriptions.
#[derive(Clone)]
pub struct Options {
    pub library: PathBuf,
    /// The reading language, for feeds that name none.
    pub reading_lang: String,
    pub http: crate::web::http::Options,
    /// Feeds fetched at the same time.
    pub parallel: usize,
    /// The feeds' records (`None`: kept in memory only).
    pub state_path: Option<PathBuf>,
    /// The reading state, to keep starred articles from retention.
    pub reading_state: Option<PathBuf>,
    pub engines: BTreeMap<String, crate::translate::EngineConfig>,
    /// The engine `translate = ""` means.
    pub default_engine: String,
    pub pages: Option<crate::web::pages::PageCache>,
    pub max_file_size: u64,
    /// Set to stop: feeds not begun are skipped, items not begun are left for next time.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// How a run goes, as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A feed's request is under way.
    Started { feed: String },
    /// The feed was read: `total` new items to make into articles.
    Items { feed: String, total: usize },
    /// One new item is an article now.
    Added { feed: String, id: String, path: PathBuf, done: usize, total: usize },
    /// An item could not be made into an article (or translated); the run goes on.
    ItemFailed { feed: String, message: String },
    /// An article was added, but its pairing looks implausible: why.
    Warning { feed: String, message: String },
    /// A feed is done.
    Finished(FeedReport),
}

/// How one feed went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub name: String,
    pub outcome: Outcome,
    pub new: usize,
    pub failed_items: usize,
    /// Articles removed by retention.
    pub removed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Fetched,
    /// 304: nothing changed since the last fetch.
    NotModified,
    /// The server asked to be left alone this many more seconds.
    Waiting(u64),
    Failed(String),
    /// The run was stopped before this feed.
    Skipped,
}

impl std::fmt::Display for FeedReport {
    /// `hankyoreh: 3 new articles`, `nhk: not modified`, `bad: failed: …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.name)?;
        match &self.outcome {
            Outcome::Failed(why) => return write!(f, "failed: {why}"),
            Outcome::Waiting(s) => return write!(f, "waiting {} more (the server's Retry-After)", duration(*s)),
            Outcome::Skipped => return write!(f, "skipped (stopped)"),
            Outcome::NotModified if self.new == 0 => write!(f, "not modified")?,
            _ => write!(f, "{} new article{}", self.new, plural(self.new))?,
        }
        if self.failed_items > 0 {
            write!(f, ", {} item{} failed", self.failed_items, plural(self.failed_items))?;
        }
        if self.removed > 0 {
            write!(f, ", {} old article{} removed", self.removed, plural(self.removed))?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `3 min`, `2 h 5 min`, `40 s`.
fn duration(s: u64) -> String {
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub reports: Vec<FeedReport>,
}

impl Summary {
    pub fn new_articles(&self) -> usize {
        self.reports.iter().map(|r| r.new).sum()
    }

    pub fn failed(&self) -> usize {
        self.reports.iter().filter(|r| matches!(r.outcome, Outcome::Failed(_) | Outcome::Waiting(_))).count()
    }

    /// Every feed failed (and there was at least one).
    pub fn all_failed(&self) -> bool {
        !self.reports.is_empty() && self.failed() == self.reports.len()
    }
}

impl std::fmt::Display for Summary {
    /// `12 feeds: 31 new articles, 2 feeds failed`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, new, failed) = (self.reports.len(), self.new_articles(), self.failed());
        write!(f, "{n} feed{}: {new} new article{}", plural(n), plural(new))?;
        if failed > 0 {
            write!(f, ", {failed} feed{} failed", plural(failed))?;
        }
        Ok(())
    }
}

/// What the library holds already, looked up once per run.
#[derive(Default)]
struct Known {
    /// Normalised URL → article file.
    urls: HashMap<String, PathBuf>,
    /// (feed, item key) → article file.
    items: HashSet<(String, String)>,
    /// Feed name → (article id, file, published as text, starred is looked up later).
    by_feed: HashMap<String, Vec<(String, PathBuf, Option<String>)>>,
}

fn read_known(options: &Options) -> Known {
    let cache = crate::library::default_cache_path(&options.library);
    let library =
        match crate::library::Library::load_cached(&options.library, options.max_file_size, cache.as_deref(), true) {
            Ok((l, _)) => l,
            Err(e) => {
                tracing::warn!("fetch: the library could not be read for known articles: {e}");
                return Known::default();
            }
        };
    let mut k = Known::default();
    for a in &library.articles {
        let m = &a.meta;
        if let Some(u) = &m.url {
            k.urls.insert(parse::normalise_link(u), m.path.clone());
        }
        if let (Some(feed), Some(guid)) = (&m.feed, &m.guid) {
            k.items.insert((feed.to_string(), guid.clone()));
            k.by_feed.entry(feed.to_string()).or_default().push((
                m.id.to_string(),
                m.path.clone(),
                m.published.as_ref().map(|p| p.to_string()),
            ));
        }
    }
    k
}

/// Items of one feed made into articles at the same time.
const ITEM_WORKERS: usize = 4;

/// What became of one item.
enum ItemOutcome {
    /// Its article, and why it was not translated if it should have been.
    Added(crate::ingest::Added, Option<String>),
    Failed(String),
    Cancelled,
}

/// The accept header for feeds.
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, \
                      application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5";

/// Fetches `feeds`; `progress` hears of each step (from several threads).
pub fn run(feeds: &[Subscription], options: &Options, progress: &(dyn Fn(Progress) + Sync)) -> Result<Summary, String> {
    let _lock = match &options.state_path {
        Some(p) => Some(state::lock(p)?),
        None => None,
    };
    let mut states = match &options.state_path {
        Some(p) => state::load(p)?,
        None => state::States::default(),
    };
    // The library is read only once some feed has something new (an all-304 fetch never reads it).
    let known: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
    let client = Client::new(crate::web::http::Options { one_per_host: true, ..options.http.clone() });
    let queue: Mutex<std::collections::VecDeque<(usize, &Subscription, FeedState)>> = Mutex::new(
        feeds.iter().enumerate().map(|(i, f)| (i, f, states.feeds.remove(&f.url).unwrap_or_default())).collect(),
    );
    let reports: Mutex<Vec<(usize, FeedReport)>> = Mutex::new(Vec::new());
    // Records to write: at once after a feed that changed the library, else all at the end.
    let pending: Mutex<BTreeMap<String, FeedState>> = Mutex::new(BTreeMap::new());
    let flush = |pending: &mut BTreeMap<String, FeedState>| {
        if let Some(path) = &options.state_path
            && !pending.is_empty()
            && let Err(e) = state::save(path, pending)
        {
            tracing::warn!("fetch: {e}");
        }
        pending.clear();
    };
    let workers = options.parallel.clamp(1, 16).min(feeds.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((i, sub, mut st)) = next else { break };
                    let name = display_name(sub, &st);
                    let report = if options.cancel.as_ref().is_some_and(|c| c.load(Ordering::SeqCst)) {
                        FeedReport { name, outcome: Outcome::Skipped, new: 0, failed_items: 0, removed: 0 }
                    } else {
                        let caught = crate::jobs::caught(|| one_feed(&client, sub, &mut st, options, &known, progress));
                        match caught {
                            Ok(report) => report,
                            Err(panic) => FeedReport {
                                name,
                                outcome: Outcome::Failed(format!("internal error: {panic}")),
                                new: 0,
                                failed_items: 0,
                                removed: 0,
                            },
                        }
                    };
                    if let Ok(mut p) = pending.lock() {
                        p.insert(sub.url.clone(), st);
                        if report.new > 0 || report.removed > 0 {
                            flush(&mut p);
                        }
                    }
                    progress(Progress::Finished(report.clone()));
                    if let Ok(mut r) = reports.lock() {
                        r.push((i, report));
                    }
                }
            });
        }
    });
    flush(&mut pending.into_inner().unwrap_or_default());
    let mut reports = reports.into_inner().unwrap_or_default();
    reports.sort_by_key(|(i, _)| *i);
    Ok(Summary { reports: reports.into_iter().map(|(_, r)| r).collect() })
}

/// The feed's name: as subscribed, else from its title as last read, else from its address.
fn display_name(sub: &Subscription, st: &FeedState) -> String {
    if !sub.name.is_empty() {
        sub.name.clone()
    } else if let Some(t) = &st.title {
        super::config::slug(t)
    } else {
        super::config::slug_from_url(&sub.url)
    }
}

fn one_feed(
    client: &Client,
    sub: &Subscription,
    st: &mut FeedState,
    options: &Options,
    known: &std::sync::OnceLock<Known>,
    progress: &(dyn Fn(Progress) + Sync),
) -> FeedReport {
    let mut name = display_name(sub, st);
    let now = state::now();
    let mut report = FeedReport { name: name.clone(), outcome: Outcome::Fetched, new: 0, failed_items: 0, removed: 0 };
    if let Some(until) = st.not_before.filter(|&t| t > now) {
        report.outcome = Outcome::Waiting(until - now);
        return report;
    }
    progress(Progress::Started { feed: name.clone() });
    st.last_fetch = Some(now);
    let fetched = client.get_if_changed(&sub.url, st.etag.as_deref(), st.last_modified.as_deref(), ACCEPT);
    let page = match fetched {
        Ok(Conditional::NotModified) => {
            st.last_success = Some(now);
            st.last_error = None;
            st.not_before = None;
            report.outcome = Outcome::NotModified;
            report.removed = retain(sub, &name, options, known, &[]);
            return report;
        }
        Ok(Conditional::Modified(page)) => page,
        Err(e) => {
            if let FetchError::RetryLater { seconds, .. } = &e {
                st.not_before = Some(now + seconds);
            }
            let message = e.to_string();
            st.last_error = Some(message.clone());
            report.outcome = Outcome::Failed(message);
            return report;
        }
    };
    let feed = match parse::parse(&page.body, page.content_type.as_deref(), &page.url) {
        Ok(f) => f,
        Err(e) => {
            let message = format!("{}: {e}", crate::text::sanitize_line(&sub.url));
            st.last_error = Some(message.clone());
            report.outcome = Outcome::Failed(message);
            return report;
        }
    };
    st.title = feed.title.clone().or(st.title.take());
    st.lang = feed.lang.clone().or(st.lang.take());
    if sub.name.is_empty() {
        name = display_name(sub, st);
        report.name = name.clone();
    }
    // The items not yet in the library, each once.
    let mut seen = HashSet::new();
    let new: Vec<&Item> = feed
        .items
        .iter()
        .filter(|it| seen.insert(it.key.clone()))
        .filter(|it| {
            if st.items.contains_key(&it.key) {
                return false;
            }
            let known = known.get_or_init(|| read_known(options));
            if known.items.contains(&(name.clone(), it.key.clone())) {
                return false;
            }
            match it.link.as_deref().and_then(|l| known.urls.get(&parse::normalise_link(l))) {
                Some(path) => {
                    st.items.insert(it.key.clone(), crate::library::article_id(&options.library, path));
                    false
                }
                None => true,
            }
        })
        .collect();
    progress(Progress::Items { feed: name.clone(), total: new.len() });
    let target = sub.target_lang.clone().unwrap_or_else(|| options.reading_lang.clone());
    let source_lang = sub.source_lang.clone().or_else(|| feed.lang.clone()).filter(|l| *l != target);
    let translator: std::sync::OnceLock<Result<std::sync::Arc<crate::translate::Translator>, String>> =
        std::sync::OnceLock::new();
    // The subscription's engine, if it has one: it also helps pair the editions.
    let engine_name = sub.translate.as_deref().map(|e| if e.is_empty() { options.default_engine.as_str() } else { e });
    let helper =
        || engine_name.and_then(|e| translator.get_or_init(|| translator_for(e, options)).as_ref().ok().cloned());
    let mut tags = sub.tags.clone();
    tags.push(name.clone());
    // One item: its article, or why not. Run on a few threads: while one item waits for its
    // site (one request at a time per host) or for the disk, another is aligned.
    let one_item = |item: &Item| -> ItemOutcome {
        let Some((page_url, content, fallback)) = item_source(sub.full_text, sub.edition, item, &sub.url) else {
            return ItemOutcome::Failed(format!(
                "{}: the item has no link and no content",
                item.title.as_deref().unwrap_or(&item.key)
            ));
        };
        let mut request = crate::ingest::Request {
            source_lang: source_lang.clone(),
            cancel: options.cancel.clone(),
            pages: options.pages.clone(),
            folder: Some(name.clone()),
            selector: sub.selector.clone(),
            edition: sub.edition,
            item: Some(crate::ingest::ItemHints {
                content,
                title: item.title.clone(),
                published: item.published.clone(),
                authors: item.authors.clone(),
                lang: item.lang.clone().or_else(|| feed.lang.clone()).or_else(|| sub.source_lang.clone()),
                summary: item.summary.clone(),
            }),
            tags: tags.clone(),
            feed: Some(name.clone()),
            guid: Some(item.key.clone()),
            existing: Some(None),
            durable: false,
            helper: if sub.edition { helper() } else { None },
            ..crate::ingest::Request::new(&page_url, &target, &options.library)
        };
        let mut result = crate::ingest::add(client, &request, &|_| {});
        if let (Err(e), Some(content)) = (&result, fallback)
            && !matches!(e, crate::ingest::IngestError::Cancelled)
        {
            // The page was wanted for its edition; the item's own content still makes the article.
            tracing::info!("fetch: {name}: {e}; the item's own content is used");
            if let Some(hints) = request.item.as_mut() {
                hints.content = Some(content);
            }
            result = crate::ingest::add(client, &request, &|_| {});
        }
        let added = match result {
            Ok(a) => a,
            Err(crate::ingest::IngestError::Cancelled) => return ItemOutcome::Cancelled,
            Err(e) => return ItemOutcome::Failed(e.to_string()),
        };
        let mut untranslated = None;
        if let Some(engine) = &sub.translate
            && added.translation_paragraphs < added.source_paragraphs
        {
            let engine = if engine.is_empty() { options.default_engine.as_str() } else { engine.as_str() };
            let t = translator.get_or_init(|| translator_for(engine, options));
            if let Err(e) =
                translate(t.as_deref().map_err(Clone::clone), &added.path, options, added.translation_paragraphs == 0)
            {
                untranslated = Some(format!("{}: not translated ({engine}): {e}", added.id));
            }
        }
        ItemOutcome::Added(added, untranslated)
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(usize, ItemOutcome)>> = Mutex::new(Vec::with_capacity(new.len()));
    std::thread::scope(|scope| {
        for _ in 0..ITEM_WORKERS.min(new.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = new.get(i) else { break };
                    if options.cancel.as_ref().is_some_and(|c| c.load(Ordering::SeqCst)) {
                        break;
                    }
                    let outcome = match crate::jobs::caught(|| one_item(item)) {
                        Ok(o) => o,
                        Err(panic) => ItemOutcome::Failed(format!("internal error: {panic}")),
                    };
                    match &outcome {
                        ItemOutcome::Added(a, untranslated) => {
                            if let Some(m) = untranslated {
                                progress(Progress::ItemFailed { feed: name.clone(), message: m.clone() });
                            }
                            if let Some(w) = &a.warning {
                                progress(Progress::Warning { feed: name.clone(), message: format!("{}: {w}", a.id) });
                            }
                            progress(Progress::Added {
                                feed: name.clone(),
                                id: a.id.clone(),
                                path: a.path.clone(),
                                done: done.fetch_add(1, Ordering::SeqCst) + 1,
                                total: new.len(),
                            });
                        }
                        ItemOutcome::Failed(m) => {
                            progress(Progress::ItemFailed { feed: name.clone(), message: m.clone() })
                        }
                        ItemOutcome::Cancelled => {}
                    }
                    if let Ok(mut o) = outcomes.lock() {
                        o.push((i, outcome));
                    }
                }
            });
        }
    });
    // The articles are on the disk before the feed's record says they are done.
    if let Err(e) = crate::files::sync_filesystem(&options.library) {
        tracing::warn!("fetch: {name}: cannot sync the library's filesystem: {e}");
    }
    let mut outcomes = outcomes.into_inner().unwrap_or_default();
    outcomes.sort_by_key(|(i, _)| *i);
    let mut added = Vec::new();
    for (i, outcome) in outcomes {
        match outcome {
            ItemOutcome::Added(a, untranslated) => {
                st.items.insert(new[i].key.clone(), a.id.clone());
                report.new += 1;
                report.failed_items += usize::from(untranslated.is_some());
                added.push((a.id, a.path, new[i].published.clone()));
            }
            ItemOutcome::Failed(_) => report.failed_items += 1,
            ItemOutcome::Cancelled => {}
        }
    }
    // The feed's validators count only once its items are in.
    st.etag = page.etag.clone();
    st.last_modified = page.last_modified.clone();
    st.last_success = Some(now);
    st.last_error = None;
    st.not_before = None;
    // Items the feed no longer lists and whose article is gone are forgotten.
    let listed: HashSet<&str> = feed.items.iter().map(|i| i.key.as_str()).collect();
    let library = options.library.clone();
    st.items.retain(|k, id| listed.contains(k.as_str()) || library.join(format!("{id}.toml")).exists());
    report.removed = retain(sub, &name, options, known, &added);
    report
}

/// Where an item's article comes from: the page to fetch (or to name), the content to use
/// instead of fetching it, and the content to fall back on when the page cannot be had.
///
/// `auto` fetches the page when the item carries only a summary, and also when the edition is
/// to be found (the edition is linked from the page, never from the feed); an item with its
/// full content then falls back on it.
fn item_source(
    mode: FullText,
    edition: bool,
    item: &Item,
    feed_url: &str,
) -> Option<(String, Option<String>, Option<String>)> {
    let inline = item.content.clone().or_else(|| item.summary.clone());
    match (mode, &item.link) {
        (FullText::Never, link) => Some((link.clone().unwrap_or_else(|| feed_url.to_string()), Some(inline?), None)),
        (FullText::Always, Some(link)) => Some((link.clone(), None, None)),
        (FullText::Auto, Some(link)) if edition => Some((link.clone(), None, item.content.clone())),
        (FullText::Auto, Some(link)) => Some((link.clone(), item.content.clone(), None)),
        (_, None) => Some((feed_url.to_string(), Some(inline?), None)),
    }
}

fn translator_for(engine: &str, options: &Options) -> Result<std::sync::Arc<crate::translate::Translator>, String> {
    let engine = crate::translate::engine(engine, &options.engines)?;
    let cache = crate::translate::cache::default_path().map(|p| crate::translate::cache::Cache::open(&p));
    Ok(std::sync::Arc::new(crate::translate::Translator { engine, cache }))
}

/// Fills the article's missing translations; `title`: its headline is in the source language
/// (no edition), and is translated too.
fn translate(
    translator: Result<&crate::translate::Translator, String>,
    path: &Path,
    options: &Options,
    title: bool,
) -> Result<(), String> {
    use crate::translate::fill;
    let translator = translator?;
    let library = crate::library::Library::load_one(&options.library, path, options.max_file_size);
    let article = library.articles.first().ok_or("the article did not load")?;
    let filled =
        fill::fill(article, translator, false, &|_| {}, options.cancel.as_deref()).map_err(|e| e.to_string())?;
    if title && !filled.cancelled {
        fill::translate_title(article, translator).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Applies `keep_days` and `max_articles` to the feed's articles (those known at the start of
/// the run and those just `added`); starred articles are kept and not counted. Returns how many
/// were removed.
fn retain(
    sub: &Subscription,
    name: &str,
    options: &Options,
    known: &std::sync::OnceLock<Known>,
    added: &[(String, PathBuf, Option<String>)],
) -> usize {
    if sub.keep_days.is_none() && sub.max_articles.is_none() {
        return 0;
    }
    let known = known.get_or_init(|| read_known(options));
    let starred: HashSet<String> = match &options.reading_state {
        Some(p) => {
            crate::state::load(p).state.entries().iter().filter(|(_, s)| s.starred).map(|(k, _)| k.clone()).collect()
        }
        None => HashSet::new(),
    };
    let mut articles: Vec<(String, PathBuf, Option<String>)> =
        known.by_feed.get(name).cloned().unwrap_or_default().into_iter().chain(added.iter().cloned()).collect();
    articles.retain(|(id, path, _)| !starred.contains(id) && path.exists());
    // Newest first: by publication date, else by when the file was written.
    let when = |(_, path, published): &(String, PathBuf, Option<String>)| -> String {
        published.clone().unwrap_or_else(|| {
            let t = std::fs::metadata(path).and_then(|m| m.modified()).ok();
            let secs = t.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
            crate::clock::utc(secs)
        })
    };
    articles.sort_by_cached_key(|a| std::cmp::Reverse(when(a)));
    let cutoff = sub.keep_days.map(|d| crate::clock::utc(state::now().saturating_sub(u64::from(d) * 86_400)));
    let mut removed = 0;
    for (rank, a) in articles.iter().enumerate() {
        let too_many = sub.max_articles.is_some_and(|m| rank >= m as usize);
        let too_old = cutoff.as_ref().is_some_and(|c| when(a).as_str() < c.as_str());
        if (too_many || too_old) && std::fs::remove_file(&a.1).is_ok() {
            removed += 1;
            tracing::info!("fetch: {name}: removed {} (retention)", a.0);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let r = |name: &str, outcome, new| FeedReport { name: name.into(), outcome, new, failed_items: 0, removed: 0 };
        let s = Summary {
            reports: vec![
                r("a", Outcome::Fetched, 3),
                r("b", Outcome::NotModified, 0),
                r("c", Outcome::Failed("x: HTTP 500".into()), 0),
            ],
        };
        assert_eq!(s.to_string(), "3 feeds: 3 new articles, 1 feed failed");
        assert!(!s.all_failed());
        assert_eq!(s.reports[1].to_string(), "b: not modified");
        assert_eq!(s.reports[2].to_string(), "c: failed: x: HTTP 500");
    }

    #[test]
    fn full_text_modes_choose_the_source() {
        let item = Item {
            key: "k".into(),
            link: Some("https://n.test/a".into()),
            title: None,
            content: None,
            summary: Some("<p>short</p>".into()),
            published: None,
            authors: vec![],
            lang: None,
        };
        let page = |mode, edition, item: &Item| item_source(mode, edition, item, "f").unwrap();
        assert_eq!(page(FullText::Auto, false, &item), ("https://n.test/a".into(), None, None));
        assert_eq!(page(FullText::Never, true, &item).1.as_deref(), Some("<p>short</p>"));
        let full = Item { content: Some("<p>all</p>".into()), ..item.clone() };
        assert_eq!(page(FullText::Auto, false, &full).1.as_deref(), Some("<p>all</p>"));
        // The edition is linked from the page: fetched, with the content to fall back on.
        assert_eq!(page(FullText::Auto, true, &full), ("https://n.test/a".into(), None, Some("<p>all</p>".into())));
        assert_eq!(page(FullText::Always, false, &full).1, None);
        let orphan = Item { link: None, summary: None, ..item.clone() };
        assert_eq!(item_source(FullText::Auto, true, &orphan, "f"), None);
    }
}
