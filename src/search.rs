//! Full-text search over the library, run off the UI thread.
//!
//! [`SearchIndex::build`] lowercases, once, everything a search looks at in each article: the
//! title, source title, outlet, tags and every paragraph of both languages. A [`Query`] is a list
//! of whitespace-separated terms that must all occur as case-insensitive substrings. A
//! [`Searcher`] owns one long-lived worker thread that scans the index in batches and streams
//! [`SearchEvent`]s to a callback, so the list can show the first matches while the rest of a
//! large library is still being scanned, and a new keystroke supersedes the running scan.
//!
//! Case folding is [`str::to_lowercase`] on both sides (scripts without case, such as Hangul,
//! Han and kana, pass through unchanged), with one addition: Greek final sigma `ς` is folded
//! to `σ`, so that a term matches the middle of a word as well as its end.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::article::Article;

/// Documents scanned before the first [`SearchEvent::Batch`] of a search, kept small so the
/// first matches show quickly.
pub const FIRST_BATCH: usize = 64;
/// Documents scanned per later batch; a superseded scan stops at the next batch boundary.
pub const BATCH: usize = 256;

/// The case folding applied to indexed text and to query terms alike: [`str::to_lowercase`],
/// then `ς` → `σ`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// Appends `fold(s)` to `out`.
///
/// Character by character: `str::to_lowercase` differs from per-character lowercasing only in
/// turning a word-final `Σ` into `ς`, which the sigma fold undoes. Scripts without case
/// (Hangul, kana, Han) are copied without a table lookup.
pub fn fold_into(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_caseless(c) {
            out.push(c);
        } else {
            for l in c.to_lowercase() {
                out.push(if l == 'ς' { 'σ' } else { l });
            }
        }
    }
}

/// Blocks with no case mappings at all (checked for every character in the tests).
fn is_caseless(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}'       // Hangul Jamo
        | '\u{2000}'..='\u{206f}'     // General Punctuation
        | '\u{3000}'..='\u{30ff}'     // CJK Symbols and Punctuation, Hiragana, Katakana
        | '\u{3130}'..='\u{318f}'     // Hangul Compatibility Jamo
        | '\u{3400}'..='\u{4dbf}'     // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'     // CJK Unified Ideographs
        | '\u{ac00}'..='\u{d7a3}') // Hangul Syllables
}

/// What is searched for one article, lowercased once.
///
/// The fields are joined with `\n`; since query terms never contain white space, a term can
/// never match across two fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Haystack {
    text: String,
}

impl Haystack {
    /// The searchable text of one article.
    pub fn of(article: &Article) -> Haystack {
        let meta = &article.meta;
        let paragraphs = article.groups.iter().flat_map(|g| g.source.iter().chain(&g.translation));
        let size = meta.title.len()
            + meta.source_title.as_ref().map_or(0, String::len)
            + meta.outlet.as_ref().map_or(0, String::len)
            + meta.tags.iter().map(String::len).sum::<usize>()
            + paragraphs.clone().map(String::len).sum::<usize>();
        let mut text = String::with_capacity(size + size / 8 + 64);
        let mut push = |s: &str| {
            if !s.is_empty() {
                fold_into(&mut text, s);
                text.push('\n');
            }
        };
        push(&meta.title);
        push(meta.source_title.as_deref().unwrap_or_default());
        push(meta.outlet.as_deref().unwrap_or_default());
        for tag in &meta.tags {
            push(tag);
        }
        for p in paragraphs {
            push(p);
        }
        text.shrink_to_fit();
        Haystack { text }
    }

    /// The folded text (fields separated by `\n`).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The folded text of every article, in library order.
///
/// Built with [`SearchIndex::build`] it holds every article's text in memory; built with
/// [`SearchIndex::on_disk`] it holds only the metadata and reads each body from its file while
/// searching, so a large library costs no memory until it is searched.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    docs: Vec<Haystack>,
    /// For an on-disk index: the file to read the body from, per document.
    files: Vec<std::path::PathBuf>,
}

impl SearchIndex {
    /// Indexes `articles`; document `i` is `articles[i]`. Large libraries are folded on all cores.
    pub fn build(articles: &[Article]) -> SearchIndex {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        if threads < 2 || articles.len() < 256 {
            return SearchIndex { docs: articles.iter().map(Haystack::of).collect(), files: Vec::new() };
        }
        let chunk = articles.len().div_ceil(threads);
        let docs = std::thread::scope(|scope| {
            let handles: Vec<_> = articles
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(Haystack::of).collect::<Vec<_>>()))
                .collect();
            let mut docs = Vec::with_capacity(articles.len());
            for h in handles {
                docs.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            docs
        });
        SearchIndex { docs, files: Vec::new() }
    }

    /// An index of the metadata of `articles` whose bodies are read from their files during a
    /// search (bodies need not be loaded).
    pub fn on_disk(articles: &[Article]) -> SearchIndex {
        let docs = articles
            .iter()
            .map(|a| Haystack::of(&Article { meta: a.meta.clone(), groups: Vec::new(), pairing: a.pairing.clone() }))
            .collect();
        SearchIndex { docs, files: articles.iter().map(|a| a.meta.path.clone()).collect() }
    }

    /// Whether document `i` matches: its metadata, else (on disk) its metadata and body.
    fn matches(&self, query: &Query, i: usize) -> bool {
        let doc = &self.docs[i];
        if query.matches(doc) {
            return true;
        }
        match self.files.get(i) {
            Some(path) => {
                let mut text = doc.text.clone();
                body_text_into(&mut text, path);
                query.matches(&Haystack { text })
            }
            None => false,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&Haystack> {
        self.docs.get(i)
    }

    /// Every document matching `query`, in index order, scanned on the calling thread.
    pub fn search(&self, query: &Query) -> Vec<usize> {
        (0..self.docs.len()).filter(|&i| self.matches(query, i)).collect()
    }
}

/// Appends the folded string values of an article file (keys and table headers left out) to
/// `out`. The file is read raw, not parsed: escapes such as `\"` stay as written, which can only
/// make a search find a little more.
fn body_text_into(out: &mut String, path: &std::path::Path) {
    let Ok(bytes) = std::fs::read(path) else { return };
    let text = String::from_utf8_lossy(&bytes);
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') || t.starts_with('#') || t.is_empty() {
            continue;
        }
        // `key = value`: keep the value; a line of a multi-line string is kept whole.
        let value = match t.split_once('=') {
            Some((key, value)) if key.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') => {
                value
            }
            _ => line,
        };
        fold_into(out, value);
        out.push('\n');
    }
}

/// Query semantics: split on whitespace; every term must occur (AND), as a case-insensitive
/// substring. An empty query matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Folded, deduplicated, longest (likely rarest) first, so a miss is found early.
    terms: Vec<String>,
}

impl Query {
    pub fn parse(s: &str) -> Query {
        let mut terms: Vec<String> = s.split_whitespace().map(fold).collect();
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        terms.dedup();
        // A term contained in a longer one is implied by it.
        let mut kept: Vec<String> = Vec::with_capacity(terms.len());
        for t in terms {
            if !kept.iter().any(|k| k.contains(t.as_str())) {
                kept.push(t);
            }
        }
        Query { terms: kept }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The folded terms, in the order they are checked.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    pub fn matches(&self, doc: &Haystack) -> bool {
        self.terms.iter().all(|t| doc.text.contains(t.as_str()))
    }
}

/// What a [`Searcher`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchEvent {
    /// Matching article indices found among the articles scanned so far (in index order), and progress.
    ///
    /// `matches` holds the matches of this batch only; the union over a search's batches is
    /// every match. `scanned` counts the documents scanned so far, up to `total`.
    Batch { generation: u64, matches: Vec<usize>, scanned: usize, total: usize },
    /// The search scanned every document; no more events come for this generation.
    Done { generation: u64, scanned: usize, total: usize },
}

impl SearchEvent {
    pub fn generation(&self) -> u64 {
        match self {
            SearchEvent::Batch { generation, .. } | SearchEvent::Done { generation, .. } => *generation,
        }
    }
}

struct Job {
    generation: u64,
    query: Query,
    index: Arc<SearchIndex>,
}

/// State shared by the [`Searcher`] handle and its worker.
struct Shared {
    /// The generation of the search that may report; anything else is stale.
    current: AtomicU64,
    /// Held while a generation changes and while the worker reports, so that no event of an old
    /// generation can be delivered once [`Searcher::start`] (or `cancel`) has returned.
    gate: Mutex<()>,
}

/// Runs searches on a background thread. Starting a new search supersedes the previous one: the
/// old scan stops at its next batch boundary and its events are never sent after the new search
/// started.
///
/// `notify` runs on the worker thread while the searcher's gate is held, so it must not wait for
/// the thread that calls [`start`](Searcher::start), [`cancel`](Searcher::cancel) or
/// [`set_index`](Searcher::set_index) (sending into an unbounded channel is the intended use).
pub struct Searcher {
    shared: Arc<Shared>,
    index: Mutex<Arc<SearchIndex>>,
    jobs: Option<Sender<Job>>,
    worker: Option<JoinHandle<()>>,
}

impl Searcher {
    /// `notify` is called on the worker thread with each event (the TUI forwards it into its event channel).
    pub fn new(index: Arc<SearchIndex>, notify: impl Fn(SearchEvent) + Send + 'static) -> Searcher {
        let shared = Arc::new(Shared { current: AtomicU64::new(0), gate: Mutex::new(()) });
        let (jobs, rx) = mpsc::channel();
        let worker_shared = Arc::clone(&shared);
        let worker = std::thread::Builder::new()
            .name("bitext-search".into())
            .spawn(move || worker(&worker_shared, &rx, &notify))
            .expect("cannot start the search thread");
        Searcher { shared, index: Mutex::new(index), jobs: Some(jobs), worker: Some(worker) }
    }

    /// Starts a search and returns its generation number (monotonically increasing).
    pub fn start(&self, query: &str) -> u64 {
        let query = Query::parse(query);
        let index = Arc::clone(&self.index.lock().unwrap_or_else(PoisonError::into_inner));
        let generation = self.bump();
        if let Some(jobs) = &self.jobs {
            // Fails only if the worker died (a panicking `notify`); then nothing is reported.
            let _ = jobs.send(Job { generation, query, index });
        }
        generation
    }

    /// Replaces the index (after the library changed); cancels the running search.
    pub fn set_index(&self, index: Arc<SearchIndex>) {
        *self.index.lock().unwrap_or_else(PoisonError::into_inner) = index;
        self.cancel();
    }

    /// Stops the running search: it reports nothing more once this returns.
    pub fn cancel(&self) {
        self.bump();
    }

    /// The generation of the latest search (or cancellation).
    pub fn generation(&self) -> u64 {
        self.shared.current.load(Ordering::SeqCst)
    }

    fn bump(&self) -> u64 {
        let _gate = self.shared.gate.lock().unwrap_or_else(PoisonError::into_inner);
        self.shared.current.fetch_add(1, Ordering::SeqCst) + 1
    }
}

impl Drop for Searcher {
    fn drop(&mut self) {
        self.bump();
        drop(self.jobs.take());
        if let Some(worker) = self.worker.take()
            && worker.thread().id() != std::thread::current().id()
        {
            let _ = worker.join();
        }
    }
}

fn worker(shared: &Shared, jobs: &Receiver<Job>, notify: &dyn Fn(SearchEvent)) {
    while let Ok(mut job) = jobs.recv() {
        // Only the newest queued search matters.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        run(shared, &job, notify);
    }
}

/// Scans `job.index` in batches, reporting each batch unless the search went stale.
fn run(shared: &Shared, job: &Job, notify: &dyn Fn(SearchEvent)) {
    let generation = job.generation;
    let total = job.index.docs.len();
    // Reports `event` if this search is still current; false if it is stale.
    let report = |event: SearchEvent| {
        let _gate = shared.gate.lock().unwrap_or_else(PoisonError::into_inner);
        if shared.current.load(Ordering::SeqCst) != generation {
            return false;
        }
        notify(event);
        true
    };
    let mut scanned = 0;
    let mut batch = FIRST_BATCH;
    while scanned < total {
        if shared.current.load(Ordering::Relaxed) != generation {
            return;
        }
        let end = (scanned + batch).min(total);
        let matches = (scanned..end).filter(|&i| job.index.matches(&job.query, i)).collect::<Vec<_>>();
        scanned = end;
        batch = BATCH;
        if !report(SearchEvent::Batch { generation, matches, scanned, total }) {
            return;
        }
    }
    report(SearchEvent::Done { generation, scanned, total });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Haystack {
        Haystack { text: fold(s) }
    }

    #[test]
    fn terms_are_folded_deduplicated_and_longest_first() {
        let q = Query::parse("  Seoul  태풍  SEOUL typhoons typhoon ");
        assert_eq!(q.terms(), ["typhoons", "태풍", "seoul"]);
        assert!(Query::parse(" \t ").is_empty());
    }

    #[test]
    fn terms_do_not_match_across_fields() {
        let h = Haystack { text: "seoul\nforum\n".into() };
        assert!(Query::parse("seoul forum").matches(&h));
        assert!(!Query::parse("ulfo").matches(&h));
    }

    /// `fold` is `str::to_lowercase` plus the sigma fold, for every character.
    #[test]
    fn fold_agrees_with_to_lowercase_for_every_char() {
        let reference = |s: &str| s.to_lowercase().replace('ς', "σ");
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(fold(&s), reference(&s), "U+{:04X}", c as u32);
            if is_caseless(c) {
                assert!(c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]), "U+{:04X} has case", c as u32);
            }
        }
        for s in ["ὈΔΥΣΣΕΎΣ", "ΣΑΣ Σ ΑΣ.", "İstanbul ǅemal", "Straße ẞ", "태풍 TYPHOON 台風 Ｔｙｐｈｏｏｎ", "ΑΣ태풍"]
        {
            assert_eq!(fold(s), reference(s), "{s}");
        }
    }

    #[test]
    fn final_sigma_matches_mid_word() {
        assert!(Query::parse("ΟΔΟΣ").matches(&doc("οδοστρωτήρας")));
        assert!(Query::parse("οδοσ").matches(&doc("ΟΔΟΣ")));
    }
}
