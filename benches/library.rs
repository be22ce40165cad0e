//! Loading a library: `cargo bench --bench library`. Numbers go in BENCHMARKS.md.
//!
//! Synthetic Korean/English libraries of 1,000 and 10,000 articles (about 12 KB and 25
//! paragraph pairs each) are written to a temporary folder once; the 100,000-article figures in
//! BENCHMARKS.md come from `examples/scan_time.rs` on a library made by `examples/gen_library.rs`
//! (1.2 GB is too much to write for every bench run).

#[path = "../tests/common/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, OnceLock};

use bitext::library::{DEFAULT_MAX_FILE_SIZE, Depth, Library};
use bitext::search::{SearchEvent, SearchIndex, Searcher};
use divan::Bencher;

fn main() {
    divan::main();
}

/// A library of `n` articles, written once per run.
fn library(n: usize) -> &'static Path {
    static DIRS: OnceLock<std::sync::Mutex<Vec<(usize, &'static tempfile::TempDir)>>> = OnceLock::new();
    let dirs = DIRS.get_or_init(Default::default);
    let mut dirs = dirs.lock().unwrap();
    if let Some((_, d)) = dirs.iter().find(|(k, _)| *k == n) {
        return d.path();
    }
    let dir: &'static tempfile::TempDir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    for i in 0..n {
        let (id, text) = synth::article_toml(7, i);
        let path: PathBuf = dir.path().join(format!("{id}.toml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dirs.push((n, dir));
    dir.path()
}

/// Every file parsed whole (what `bitext check` and `list` did before the index cache, and still
/// do without one).
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn scan_full(bencher: Bencher, n: usize) {
    let root = library(n);
    bencher.bench(|| Library::load(root, DEFAULT_MAX_FILE_SIZE, Depth::Full).unwrap());
}

/// Only the metadata before each body, no cache (the reader's first start on a folder).
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn scan_headers(bencher: Bencher, n: usize) {
    let root = library(n);
    bencher.bench(|| Library::load(root, DEFAULT_MAX_FILE_SIZE, Depth::Header).unwrap());
}

/// The reader's usual start: every file unchanged since the index cache was written.
#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn scan_with_warm_cache(bencher: Bencher, n: usize) {
    let root = library(n);
    let cache = tempfile::tempdir().unwrap();
    let path = cache.path().join("index.json");
    Library::load_cached(root, DEFAULT_MAX_FILE_SIZE, Some(&path), true).unwrap();
    bencher.bench(|| Library::load_cached(root, DEFAULT_MAX_FILE_SIZE, Some(&path), false).unwrap());
}

/// `bitext list`'s first pass over a warm index cache: the folder walked and stat'ed, every
/// entry read one at a time and confirmed, the checksum checked (the second pass, which prints,
/// reads the entries again without the walk).
#[divan::bench(args = [1_000, 10_000], sample_count = 20)]
fn list_pass_over_warm_cache(bencher: Bencher, n: usize) {
    let root = library(n);
    let cache = tempfile::tempdir().unwrap();
    let path = cache.path().join("index.bin");
    Library::load_cached(root, DEFAULT_MAX_FILE_SIZE, Some(&path), true).unwrap();
    bencher.bench(|| {
        let mut listed = 0usize;
        assert!(Library::index_is_current(root, &path, true, &mut |e| listed += usize::from(e.meta.is_some())));
        listed
    });
}

/// Opening one article: reading and parsing its body.
#[divan::bench]
fn open_one_article(bencher: Bencher) {
    let root = library(1_000);
    let lib = Library::load(root, DEFAULT_MAX_FILE_SIZE, Depth::Header).unwrap();
    bencher.with_inputs(|| lib.clone()).bench_local_values(|mut l| {
        l.ensure_body(500, DEFAULT_MAX_FILE_SIZE).unwrap();
        l
    });
}

/// A full-text search over 10,000 articles with bodies read from disk (the reader's index), on
/// the calling thread.
#[divan::bench(args = ["태풍", "typhoon 부산", "두루미"], sample_count = 10)]
fn search_on_disk_10000(bencher: Bencher, query: &str) {
    let index = on_disk_index();
    let q = bitext::search::Query::parse(query);
    bencher.bench(|| index.search(&q));
}

/// The same search as the reader runs it: a `Searcher` (a thread per core) from `start` until
/// its `Done` arrives through a channel.
#[divan::bench(args = ["태풍", "typhoon 부산", "두루미"], sample_count = 10)]
fn search_on_disk_10000_searcher(bencher: Bencher, query: &str) {
    let (searcher, rx) = on_disk_searcher();
    bencher.bench_local(|| {
        let generation = searcher.start(query);
        wait_for(&rx, generation, true);
    });
}

/// From `start` to the first batch of results arriving, on the on-disk index, with the
/// searcher idle.
#[divan::bench(args = ["태풍", "두루미"], sample_count = 50)]
fn first_batch_on_disk_10000(bencher: Bencher, query: &str) {
    let (searcher, rx) = on_disk_searcher();
    let last = std::cell::Cell::new(None);
    bencher
        .with_inputs(|| {
            // Let the previous search finish, untimed.
            if let Some(generation) = last.take() {
                wait_for(&rx, generation, true);
            }
        })
        .bench_local_values(|()| {
            let generation = searcher.start(query);
            wait_for(&rx, generation, false);
            last.set(Some(generation));
        });
}

/// The reader's index of the 10,000-article library: metadata in memory, bodies on disk.
fn on_disk_index() -> &'static Arc<SearchIndex> {
    static INDEX: OnceLock<Arc<SearchIndex>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let lib = Library::load(library(10_000), DEFAULT_MAX_FILE_SIZE, Depth::Header).unwrap();
        Arc::new(SearchIndex::on_disk(&lib.articles))
    })
}

fn on_disk_searcher() -> (Searcher, Receiver<SearchEvent>) {
    let (tx, rx) = mpsc::channel();
    let searcher = Searcher::new(Arc::clone(on_disk_index()), move |e| {
        let _ = tx.send(e);
    });
    (searcher, rx)
}

/// Waits for the first event of `generation` (with `done`, for its `Done`).
fn wait_for(rx: &Receiver<SearchEvent>, generation: u64, done: bool) {
    loop {
        let e = rx.recv().expect("the searcher is running");
        if e.generation() == generation && (!done || matches!(e, SearchEvent::Done { .. })) {
            return;
        }
    }
}
