//! Times scans of a library folder: `cargo run --release --example scan_time -- DIR`.
//! Whole parses at each depth, then the index cache cold (header only), warm, and checking, and
//! the list from the cache alone with the walk that confirms it.

use std::path::Path;
use std::time::Instant;

use bitext::library::{DEFAULT_MAX_FILE_SIZE, Depth, Library};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: scan_time DIR");
    let root = Path::new(&dir);
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    for depth in [Depth::Header, Depth::Full] {
        let start = Instant::now();
        let library = Library::load(root, DEFAULT_MAX_FILE_SIZE, depth).expect("library");
        println!("{depth:?} parse: {} articles in {:.1} ms", library.articles.len(), ms(start));
    }
    let cache = std::env::temp_dir().join(format!("bitext-scan-time-{}.json", std::process::id()));
    for (label, check) in [
        ("cache cold, header", false),
        ("cache warm", false),
        ("cache warm, check bodies", true),
        ("cache warm, all checked", false),
    ] {
        let start = Instant::now();
        let (library, stats) = Library::load_cached(root, DEFAULT_MAX_FILE_SIZE, Some(&cache), check).expect("library");
        println!("{label}: {} articles in {:.1} ms ({stats:?})", library.articles.len(), ms(start));
    }
    // What the reader does first: the list from the cache alone, then a walk to confirm it.
    for _ in 0..3 {
        let start = Instant::now();
        let (library, snapshot, _) = Library::from_cache(root, &cache).expect("the cache was just written");
        let read = ms(start);
        let start = Instant::now();
        let same = Library::unchanged_since(root, &snapshot);
        println!(
            "list from the cache: {} articles in {read:.1} ms; folder confirmed unchanged ({same}) in {:.1} ms",
            library.articles.len(),
            ms(start)
        );
    }
    let _ = std::fs::remove_file(cache);
}
