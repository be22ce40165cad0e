//! Search benchmarks over a 10,000-article synthetic library: `cargo bench --bench search`.
//!
//! The library is made in memory by the same generator as `examples/gen_library.rs` and parsed
//! with the real loader (about 12 KB of TOML per article, 5% about a typhoon).

#[path = "../tests/common/synth.rs"]
mod synth;

use std::cell::Cell;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, OnceLock};

use bitext::article::{self, Article};
use bitext::search::{Query, SearchEvent, SearchIndex, Searcher};
use divan::{Bencher, black_box};

const ARTICLES: usize = 10_000;
const SEED: u64 = 1;

/// A rare term (5% of articles), a common one, two terms, and a term no article contains.
const RARE: &str = "태풍";
const COMMON: &str = "서울";
const TWO_TERMS: &str = "typhoon 부산";
const NO_MATCH: &str = "두루미";
const QUERIES: [&str; 4] = [RARE, COMMON, TWO_TERMS, NO_MATCH];

fn main() {
    let (articles, index) = (articles(), index());
    let bytes: usize = (0..ARTICLES).map(|i| index.get(i).map_or(0, str::len)).sum();
    eprintln!("{} articles, {:.1} MB of folded text", articles.len(), bytes as f64 / 1e6);
    for q in QUERIES {
        eprintln!("{q:>14}: {} matches", index.search(&Query::parse(q)).len());
    }
    divan::main();
}

fn articles() -> &'static [Article] {
    static ARTICLES_: OnceLock<Vec<Article>> = OnceLock::new();
    ARTICLES_.get_or_init(|| {
        (0..ARTICLES)
            .map(|i| {
                let (id, text) = synth::article_toml(SEED, i);
                let parsed = article::parse(text.as_bytes(), &id, Path::new(&id));
                parsed.article.expect("synthetic articles parse")
            })
            .collect()
    })
}

fn index() -> &'static Arc<SearchIndex> {
    static INDEX: OnceLock<Arc<SearchIndex>> = OnceLock::new();
    INDEX.get_or_init(|| Arc::new(SearchIndex::build(articles())))
}

/// Lowercasing every searchable string of 10,000 articles.
#[divan::bench(sample_count = 20)]
fn build_index_10000(bencher: Bencher) {
    let articles = articles();
    bencher.bench(|| SearchIndex::build(black_box(articles)));
}

/// A full scan on the calling thread, for each kind of query.
#[divan::bench(args = QUERIES, sample_count = 30)]
fn full_scan_10000(bencher: Bencher, query: &str) {
    let index = index();
    let query = Query::parse(query);
    bencher.bench(|| index.search(black_box(&query)));
}

fn searcher() -> (Searcher, Receiver<SearchEvent>) {
    let (tx, rx) = mpsc::channel();
    let s = Searcher::new(Arc::clone(index()), move |e| {
        let _ = tx.send(e);
    });
    (s, rx)
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

/// From `start` to the first `Batch` arriving through a channel, with the worker idle.
#[divan::bench(args = [RARE, COMMON], sample_count = 50)]
fn first_batch_idle(bencher: Bencher, query: &str) {
    let (s, rx) = searcher();
    let last = Cell::new(None);
    bencher
        .with_inputs(|| {
            // Let the previous search finish, untimed.
            if let Some(g) = last.take() {
                wait_for(&rx, g, true);
            }
        })
        .bench_local_values(|()| {
            let g = s.start(query);
            wait_for(&rx, g, false);
            last.set(Some(g));
        });
}

/// From `start` to the first `Batch` while the previous search is still scanning, as when the
/// user types: includes the wait for the old scan to stop.
#[divan::bench(args = [RARE, COMMON], sample_count = 50)]
fn first_batch_superseding(bencher: Bencher, query: &str) {
    let (s, rx) = searcher();
    bencher.bench_local(|| {
        let g = s.start(query);
        wait_for(&rx, g, false);
    });
}
