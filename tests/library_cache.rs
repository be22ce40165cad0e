//! Loading a library fast: header-only parses, the index cache, bodies read on demand.

use std::path::Path;

use bitext::library::{DEFAULT_MAX_FILE_SIZE, Depth, Library};

fn article(title: &str, body: &str) -> String {
    format!(
        "title = \"{title}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\n[[paragraphs]]\nsource = \"{body}\"\ntranslation = \"{body}\"\n"
    )
}

/// What an index cache holds, entry by entry in list order, read whole (a journal merged in).
fn cached(root: &Path, cache: &Path) -> Vec<String> {
    let mut reader = bitext::library::IndexReader::open(root, cache).expect("a cache");
    let entries = reader.by_ref().map(|e| format!("{e:?}")).collect();
    assert!(reader.finish(), "{} whole", cache.display());
    entries
}

fn library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.toml"), article("Alpha", "첫째")).unwrap();
    std::fs::write(dir.path().join("sub/b.toml"), article("Beta", "둘째")).unwrap();
    // Valid header, broken body: only a whole parse sees it.
    std::fs::write(
        dir.path().join("c.toml"),
        "title = \"Gamma\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nkind = \"text\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("d.toml"), "title = ").unwrap();
    dir
}

#[test]
fn header_parse_lists_without_bodies_and_full_parse_finds_body_errors() {
    let dir = library();
    let header = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Header).unwrap();
    assert_eq!(header.articles.len(), 3, "Gamma's broken body is not seen yet");
    assert!(header.articles.iter().all(|a| a.groups.is_empty()));
    assert_eq!(header.error_count(), 1);
    let full = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Full).unwrap();
    assert_eq!(full.articles.len(), 2);
    assert_eq!(full.error_count(), 2);
    assert!(full.articles.iter().all(|a| !a.groups.is_empty()));
    let checked = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Checked).unwrap();
    assert_eq!((checked.articles.len(), checked.error_count()), (2, 2));
    assert!(checked.articles.iter().all(|a| a.groups.is_empty()), "checked, bodies dropped");
}

#[test]
fn header_detection_skips_brackets_inside_multiline_strings() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\nsummary = \"\"\"\n[not a table]\n\"\"\"\n[[paragraphs]]\nsource = \"가\"\n";
    std::fs::write(dir.path().join("t.toml"), text).unwrap();
    let l = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Header).unwrap();
    assert_eq!(l.articles[0].meta.summary.as_deref(), Some("[not a table]"));
}

#[test]
fn bodies_are_read_on_demand_and_forgotten() {
    let dir = library();
    let mut l = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Header).unwrap();
    let i = l.articles.iter().position(|a| a.meta.title == "Alpha").unwrap();
    l.ensure_body(i, DEFAULT_MAX_FILE_SIZE).unwrap();
    assert_eq!(l.articles[i].groups[0].source, vec!["첫째"]);
    l.drop_body(i);
    assert!(l.articles[i].groups.is_empty());
    let g = l.articles.iter().position(|a| a.meta.title == "Gamma").unwrap();
    let err = l.ensure_body(g, DEFAULT_MAX_FILE_SIZE).unwrap_err();
    assert!(err.to_string().contains("c.toml") && err.to_string().contains("paragraph 1"), "{err}");
}

#[test]
fn index_cache_skips_unchanged_files_and_notices_changes() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.json");
    let load = |check| Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), check).unwrap();

    let (cold, stats) = load(false);
    assert_eq!((stats.files, stats.hits, stats.unchecked), (4, 0, 4));
    assert_eq!(cold.articles.len(), 3);
    assert!(cache.exists());

    let (warm, stats) = load(false);
    assert_eq!(stats.hits, 4, "nothing opened");
    assert_eq!(
        warm.articles.iter().map(|a| &a.meta).collect::<Vec<_>>(),
        cold.articles.iter().map(|a| &a.meta).collect::<Vec<_>>()
    );
    assert_eq!(warm.diagnostics, cold.diagnostics, "problems come from the cache too");

    let (checked, stats) = load(true);
    assert_eq!((stats.hits, stats.unchecked), (0, 0), "unchecked entries are parsed whole");
    assert_eq!((checked.articles.len(), checked.error_count()), (2, 2));
    let (_, stats) = load(true);
    assert_eq!(stats.hits, 4, "checked entries stay checked");

    // A changed file is parsed again; a removed one is gone; a new one is found.
    std::fs::write(dir.path().join("a.toml"), article("Alpha, longer title", "첫째")).unwrap();
    std::fs::remove_file(dir.path().join("sub/b.toml")).unwrap();
    std::fs::write(dir.path().join("e.toml"), article("Epsilon", "다섯째")).unwrap();
    let (after, stats) = load(false);
    assert_eq!(stats.hits, 2);
    let titles: Vec<&str> = after.articles.iter().map(|a| a.meta.title.as_str()).collect();
    assert!(
        titles.contains(&"Alpha, longer title") && titles.contains(&"Epsilon") && !titles.contains(&"Beta"),
        "{titles:?}"
    );
}

#[test]
fn a_broken_cache_is_ignored() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    for broken in [&b"{ not an index"[..], b"bitext index\n\xff\xff\xff", b"bitext index\n", b""] {
        std::fs::write(&cache, broken).unwrap();
        assert!(Library::from_cache(dir.path(), &cache).is_none(), "{broken:?} is not a cache");
        let (l, stats) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
        assert_eq!((l.articles.len(), stats.hits), (3, 0));
        let rewritten = std::fs::read(&cache).unwrap();
        assert!(rewritten.starts_with(b"bitext index\n") && rewritten.len() > 100, "rewritten");
    }
}

#[test]
fn cache_path_is_per_folder() {
    let a = bitext::library::default_cache_path(Path::new("/tmp/one"));
    let b = bitext::library::default_cache_path(Path::new("/tmp/two"));
    assert_ne!(a, b);
}

/// The first screen comes from the index cache alone: no file is opened, so a folder that
/// changed since still shows as it was, until the walk that `unchanged_since` does says so.
#[test]
fn the_list_from_the_cache_alone_and_the_walk_that_confirms_it() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    assert!(Library::from_cache(dir.path(), &cache).is_none(), "no cache yet");
    let (loaded, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();

    let (from_cache, snapshot, stats) = Library::from_cache(dir.path(), &cache).unwrap();
    let ids = |l: &Library| l.articles.iter().map(|a| a.meta.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&from_cache), ids(&loaded), "same list, same order");
    assert_eq!(from_cache.error_count(), loaded.error_count(), "the broken file is remembered too");
    assert_eq!(stats.unchecked, 4, "bodies not checked yet");
    assert!(Library::unchanged_since(dir.path(), &snapshot));

    // Another folder's cache is not used.
    let other = library();
    assert!(Library::from_cache(other.path(), &cache).is_none());

    // A changed file, a new one, a deleted one: the cache alone does not see them, the walk does.
    std::fs::write(dir.path().join("a.toml"), article("Alpha, longer title", "첫째")).unwrap();
    assert!(!Library::unchanged_since(dir.path(), &snapshot), "a changed file");
    let (again, snapshot, _) = Library::from_cache(dir.path(), &cache).unwrap();
    assert!(again.articles.iter().any(|a| a.meta.title == "Alpha"), "the cache as it was");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    let (_, snapshot2, _) = Library::from_cache(dir.path(), &cache).unwrap();
    assert!(Library::unchanged_since(dir.path(), &snapshot2));
    std::fs::write(dir.path().join("e.toml"), article("Epsilon", "다섯")).unwrap();
    assert!(!Library::unchanged_since(dir.path(), &snapshot2), "a new file");
    std::fs::remove_file(dir.path().join("e.toml")).unwrap();
    std::fs::remove_file(dir.path().join("sub/b.toml")).unwrap();
    assert!(!Library::unchanged_since(dir.path(), &snapshot2), "a deleted file");
    drop(snapshot);
}

/// Without a cache, the reader's load hands over every article it parsed as it goes, the first at
/// once, so the list can grow while a large library is read, and keeps none of them: the list
/// holds the library once. The index cache it writes on the way is the one a load writes.
#[test]
fn a_load_without_cache_streams_what_it_parsed_and_keeps_none() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("a{i:03}.toml")), article(&format!("Article {i}"), "본문")).unwrap();
    }
    std::fs::write(dir.path().join("broken.toml"), "title = ").unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    let mut streamed = Vec::new();
    let mut counts = Vec::new();
    let mut progress = |n: usize, total: usize, articles: Vec<bitext::article::Article>| {
        counts.push((n, total));
        streamed.extend(articles.into_iter().map(|a| a.meta.id));
    };
    let (l, stats) = Library::load_streamed(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), &mut progress).unwrap();
    assert!(l.articles.is_empty(), "the articles went to the caller, not kept");
    assert_eq!(l.error_count(), 1, "the broken file is reported");
    assert_eq!((stats.files, stats.unchecked, stats.cache_current), (301, 301, true));
    assert_eq!(counts.first(), Some(&(1, 301)), "the first file goes at once");
    assert_eq!(counts.last(), Some(&(301, 301)), "{counts:?}");
    streamed.sort();
    let mut expected: Vec<String> = (0..300).map(|i| format!("a{i:03}")).collect();
    expected.sort();
    assert_eq!(streamed, expected, "every article was handed over once");

    // The cache is warm: a load parses nothing, and lists the same.
    let (warm, stats) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    assert_eq!((stats.hits, stats.files), (301, 301));
    let mut ids: Vec<String> = warm.articles.iter().map(|a| a.meta.id.to_string()).collect();
    ids.sort();
    assert_eq!(ids, expected);
    // Byte for byte the cache a load without one writes.
    let other = cache_dir.path().join("other.bin");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&other), false).unwrap();
    assert_eq!(std::fs::read(&cache).unwrap(), std::fs::read(&other).unwrap());
}

/// The check after start parses whole what only had its header read, and hands back only what
/// that changes: here the article whose body is broken leaves the list with an error.
#[test]
fn the_check_of_the_bodies_returns_only_what_changed() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    let (mut l, stats) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    assert_eq!((l.articles.len(), l.error_count(), stats.unchecked), (3, 1, 4));

    let changes = Library::check_unchecked(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].path.ends_with("c.toml") && changes[0].meta.is_none());
    l.apply_checked(changes);
    assert_eq!((l.articles.len(), l.error_count()), (2, 2));
    assert!(l.articles.iter().all(|a| a.meta.title != "Gamma"));
    // The cache now knows every file whole: the next start has nothing to check, and lists
    // what the check found.
    assert!(Library::check_unchecked(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache).unwrap().is_empty());
    let (again, stats) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    assert_eq!((again.articles.len(), again.error_count(), stats.unchecked), (2, 2, 0));
}

/// The check goes through the cache one entry at a time and writes it again through a spill
/// file: what came and went in the folder since the cache was written is among what it hands
/// back, applying that gives the library a whole load gives, and the cache it writes is the one
/// a whole load writes, byte for byte.
#[test]
fn the_check_of_the_bodies_follows_the_folder_and_writes_what_a_load_writes() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    let (mut l, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    std::fs::remove_file(dir.path().join("sub/b.toml")).unwrap();
    std::fs::write(dir.path().join("e.toml"), article("Epsilon", "다섯째")).unwrap();
    let changes = Library::check_unchecked(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache).unwrap();
    let mut changed: Vec<String> = changes
        .iter()
        .map(|c| {
            let name = c.path.strip_prefix(dir.path()).unwrap().display().to_string();
            format!("{name} {}", c.meta.as_ref().map_or("-", |m| m.title.as_str()))
        })
        .collect();
    changed.sort();
    assert_eq!(changed, ["c.toml -", "e.toml Epsilon", "sub/b.toml -"]);
    l.apply_checked(changes);
    let whole = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Checked).unwrap();
    let titles = |l: &Library| l.articles.iter().map(|a| a.meta.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&l), titles(&whole));
    assert_eq!(l.error_count(), whole.error_count());
    let by_load = cache_dir.path().join("by-load.bin");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_load), true).unwrap();
    assert_eq!(std::fs::read(&cache).unwrap(), std::fs::read(&by_load).unwrap());
}

/// A rescan while the reader is open reads only what changed against the cache its list came
/// from: a file whose body alone changed comes back (its body in memory is out of date), a new
/// one and a gone one too; and a cache another program wrote since is not compared with at all.
#[test]
fn changes_are_found_against_the_cache_the_list_came_from() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
    let sum = bitext::library::cache_sum(&cache).unwrap();
    assert_eq!(Library::index_changes(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, sum).unwrap().0.len(), 0);
    // Same header, another body (and another size, so the stamp tells).
    std::fs::write(dir.path().join("a.toml"), article("Alpha", "첫째, 고쳐 쓴")).unwrap();
    std::fs::write(dir.path().join("e.toml"), article("Epsilon", "다섯째")).unwrap();
    std::fs::remove_file(dir.path().join("sub/b.toml")).unwrap();
    let (changes, after) = Library::index_changes(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, sum).unwrap();
    let mut seen: Vec<(String, bool, bool)> = changes
        .iter()
        .map(|c| (c.path.strip_prefix(dir.path()).unwrap().display().to_string(), c.meta.is_some(), c.changed))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [("a.toml".into(), true, true), ("e.toml".into(), true, true), ("sub/b.toml".into(), false, true)]
    );
    assert_eq!(Some(after), bitext::library::cache_sum(&cache));
    // The cache now holds the folder: nothing more to find.
    assert!(Library::index_changes(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, after).unwrap().0.is_empty());
    // Another program writes the cache (with a new file in it): the reader's list is not the
    // cache's any more, and nothing is compared with it.
    std::fs::write(dir.path().join("f.toml"), article("Zeta", "여섯째")).unwrap();
    assert!(Library::update_index(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, true));
    assert!(Library::index_changes(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, after).is_none());
}

/// The load says whether the cache file now holds exactly the library it returned: only then
/// may the search index be built from the cache.
#[test]
fn the_load_says_whether_the_cache_is_current() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    let current =
        |c: Option<&Path>| Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, c, false).unwrap().1.cache_current;
    assert!(current(Some(&cache)), "written");
    assert!(current(Some(&cache)), "read, unchanged");
    assert!(!current(None), "no cache");
    let blocked = cache_dir.path().join("a-file");
    std::fs::write(&blocked, "").unwrap();
    assert!(!current(Some(&blocked.join("index.bin"))), "could not be written");
}

/// A damaged cache (cut short, or with bytes changed) is refused, never read as a wrong list and
/// never a crash: the list then comes from the folder.
#[test]
fn a_damaged_cache_is_refused_without_a_crash() {
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    let good = std::fs::read(&cache).unwrap();
    let damaged = cache_dir.path().join("damaged.bin");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..400 {
        let mut bytes = good.clone();
        if round % 2 == 0 {
            bytes.truncate((next() as usize) % good.len());
        } else {
            for _ in 0..1 + next() % 4 {
                let i = (next() as usize) % bytes.len();
                bytes[i] ^= (next() as u8) | 1;
            }
        }
        std::fs::write(&damaged, &bytes).unwrap();
        assert!(Library::check_unchecked(dir.path(), DEFAULT_MAX_FILE_SIZE, &damaged).is_none());
        assert!(Library::from_cache(dir.path(), &damaged).is_none(), "round {round}: a damaged cache is refused");
        let (l, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&damaged), false).unwrap();
        let mut titles: Vec<&str> = l.articles.iter().map(|a| a.meta.title.as_str()).collect();
        titles.sort();
        assert_eq!(titles, ["Alpha", "Beta", "Gamma"], "round {round}: the folder decides");
    }
}

/// The cache read one entry at a time gives what the whole load gives, in list order, with what
/// each body holds once it was parsed whole; the walk confirms it until the folder changes.
#[test]
fn the_index_streams_one_entry_at_a_time_and_knows_when_it_is_out_of_date() {
    use bitext::article::{BodySummary, Translated};
    use bitext::library::IndexReader;
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    // Headers only: the cache is current for a header listing, not for one that needs bodies.
    let (header, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    let titles = |l: &Library| l.articles.iter().map(|a| a.meta.title.clone()).collect::<Vec<_>>();
    let mut seen = Vec::new();
    assert!(Library::index_is_current(dir.path(), &cache, false, &mut |e| seen
        .extend(e.meta.as_ref().map(|m| m.title.clone()))));
    assert_eq!(seen, titles(&header), "in list order");
    assert!(!Library::index_is_current(dir.path(), &cache, true, &mut |_| {}), "bodies not read yet");
    assert!(IndexReader::open(dir.path(), &cache).unwrap().all(|e| e.body.is_none()));
    // Whole: Gamma's broken body drops it, and every article says what its body holds.
    let (full, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
    let mut reader = IndexReader::open(dir.path(), &cache).unwrap();
    assert_eq!(reader.len(), 4, "every file, the broken ones too");
    let entries: Vec<_> = reader.by_ref().collect();
    assert!(reader.finish(), "whole, checksum right");
    let listed: Vec<String> = entries.iter().filter_map(|e| e.meta.as_ref().map(|m| m.title.clone())).collect();
    assert_eq!(listed, titles(&full));
    let alpha = entries.iter().find(|e| e.meta.as_ref().is_some_and(|m| m.title == "Alpha")).unwrap();
    assert_eq!(alpha.body, Some(BodySummary { paragraphs: 1, translated: Translated::Human }));
    assert!(Library::index_is_current(dir.path(), &cache, true, &mut |_| {}));
    // A new file, a changed one, a removed one: each makes it out of date.
    let changes: [&dyn Fn(&Path); 3] = [
        &|d| std::fs::write(d.join("e.toml"), article("Epsilon", "다섯째")).unwrap(),
        &|d| std::fs::write(d.join("a.toml"), article("Alpha two", "첫째")).unwrap(),
        &|d| std::fs::remove_file(d.join("sub/b.toml")).unwrap(),
    ];
    for change in changes {
        change(dir.path());
        assert!(!Library::index_is_current(dir.path(), &cache, false, &mut |_| {}));
        Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
        assert!(Library::index_is_current(dir.path(), &cache, true, &mut |_| {}));
    }
}

/// Streamed, a damaged cache is found out by the end of the first pass: `finish` says so, and
/// the freshness check says no, so nothing is listed from it.
#[test]
fn a_damaged_cache_streams_to_a_refusal() {
    use bitext::library::IndexReader;
    let dir = library();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
    let good = std::fs::read(&cache).unwrap();
    let damaged = cache_dir.path().join("damaged.bin");
    for i in 0..good.len() {
        let mut bytes = good.clone();
        bytes[i] ^= 0x41;
        std::fs::write(&damaged, &bytes).unwrap();
        let whole = IndexReader::open(dir.path(), &damaged).is_some_and(|mut r| {
            r.by_ref().for_each(drop);
            r.finish()
        });
        assert!(!whole, "byte {i} changed, still read as whole");
        assert!(!Library::index_is_current(dir.path(), &damaged, false, &mut |_| {}), "byte {i}");
    }
    for len in 0..good.len() {
        std::fs::write(&damaged, &good[..len]).unwrap();
        assert!(!Library::index_is_current(dir.path(), &damaged, false, &mut |_| {}), "cut at {len}");
    }
}

/// Bringing the cache up to date without a library writes what a load writes, from scratch and
/// after changes, and keeps what is still good; a damaged cache is written again as a load with
/// no cache writes it, byte for byte.
#[test]
fn updating_the_index_alone_writes_what_a_load_writes() {
    let dir = library();
    let caches = tempfile::tempdir().unwrap();
    let (by_load, by_update) = (caches.path().join("load.bin"), caches.path().join("update.bin"));
    for round in 0..3 {
        match round {
            1 => std::fs::write(dir.path().join("e.toml"), article("Epsilon", "다섯째")).unwrap(),
            2 => std::fs::remove_file(dir.path().join("a.toml")).unwrap(),
            _ => {}
        }
        for check in [false, true] {
            Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_load), check).unwrap();
            assert!(Library::update_index(dir.path(), DEFAULT_MAX_FILE_SIZE, &by_update, check));
            // The same entries (the update may say them as a journal after the old ones).
            assert_eq!(cached(dir.path(), &by_load), cached(dir.path(), &by_update), "round {round}, check {check}");
            assert!(Library::index_is_current(dir.path(), &by_update, check, &mut |_| {}));
        }
    }
    // A damaged cache is written again from the folder.
    let mut bytes = std::fs::read(&by_update).unwrap();
    let last = bytes.len() - 9;
    bytes[last] ^= 0x55;
    std::fs::write(&by_update, &bytes).unwrap();
    assert!(Library::update_index(dir.path(), DEFAULT_MAX_FILE_SIZE, &by_update, true));
    // As a load with no cache writes it.
    std::fs::remove_file(&by_load).unwrap();
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_load), true).unwrap();
    assert_eq!(std::fs::read(&by_load).unwrap(), std::fs::read(&by_update).unwrap(), "written whole");
}

/// A cache of several thousand entries is decoded on several threads, a batch each in turn: the
/// list comes out in the cache's order, the same as a load gives, and damage in any batch is
/// refused without a hang.
#[test]
fn a_large_cache_is_decoded_in_order_on_several_threads() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3000 {
        let text = format!(
            "title = \"Article {i}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\npublished = 2026-{:02}-{:02}\n",
            1 + i % 12,
            1 + i % 28
        );
        std::fs::write(dir.path().join(format!("a{i:04}.toml")), text).unwrap();
    }
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("index.bin");
    let (loaded, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    let (cached, _, stats) = Library::from_cache(dir.path(), &cache).unwrap();
    assert_eq!(stats.files, 3000);
    let ids = |l: &Library| l.articles.iter().map(|a| a.meta.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&cached), ids(&loaded));
    let good = std::fs::read(&cache).unwrap();
    let damaged = cache_dir.path().join("damaged.bin");
    // A byte changed in the first, a middle and the last batch, and the file cut short in each.
    for at in [good.len() / 10, good.len() / 2, good.len() - 20] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x5a;
        std::fs::write(&damaged, &bytes).unwrap();
        assert!(Library::from_cache(dir.path(), &damaged).is_none(), "a byte changed at {at}");
        std::fs::write(&damaged, &good[..at]).unwrap();
        assert!(Library::from_cache(dir.path(), &damaged).is_none(), "cut at {at}");
    }
}

/// The list holds no summary (12 MB at 100,000 articles, and only the article on screen shows
/// its own): it comes with the body, and goes with it.
#[test]
fn a_listed_article_has_its_summary_only_while_its_body_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\nsummary = \"Rates held.\"\n[[paragraphs]]\nsource = \"가\"\ntranslation = \"A\"\n";
    std::fs::write(dir.path().join("t.toml"), text).unwrap();
    let cache = dir.path().join("cache/index.bin");
    let (first, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), false).unwrap();
    let (warm, _, _) = Library::from_cache(dir.path(), &cache).unwrap();
    let mut streamed = Vec::new();
    std::fs::remove_file(&cache).unwrap();
    let (_, _) =
        Library::load_streamed(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), &mut |_, _, a| streamed.extend(a))
            .unwrap();
    let streamed = Library { articles: streamed.into_iter().map(Box::new).collect(), ..first.clone() };
    for (how, mut l) in [("read", first), ("from the cache", warm), ("streamed", streamed)] {
        assert_eq!(l.articles[0].meta.summary, None, "{how}");
        l.ensure_body(0, DEFAULT_MAX_FILE_SIZE).unwrap();
        assert_eq!(l.articles[0].meta.summary.as_deref(), Some("Rates held."), "{how}");
        l.drop_body(0);
        assert_eq!(l.articles[0].meta.summary, None, "{how}");
    }
    // A whole read (what `list --json` falls back to) has it.
    let whole = Library::scan(dir.path()).unwrap();
    assert_eq!(whole.articles[0].meta.summary.as_deref(), Some("Rates held."));
}

/// A file of a dated library: `day` decides its place in the list.
fn dated(title: &str, day: u32, body: &str) -> String {
    format!(
        "title = \"{title}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\npublished = 2026-{:02}-{:02}\n\n[[paragraphs]]\nsource = \"{body}\"\ntranslation = \"{body}\"\n",
        1 + day / 28 % 12,
        1 + day % 28
    )
}

/// A few changes to a large library go at the end of its cache as a journal: the entries
/// before are not written again (the file starts with the very bytes it had), the cache reads
/// as the one a load with no cache writes, the changes found name the places the list had, and once
/// what follows the base passes a quarter of it the cache is written whole again. A journal
/// damaged anywhere, or cut anywhere, is refused and the cache written again from the folder.
#[test]
fn a_few_changes_go_in_a_journal_after_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..600u32 {
        std::fs::write(dir.path().join(format!("{i:04}.toml")), dated(&format!("기사 {i}"), i * 7, "본문")).unwrap();
    }
    let caches = tempfile::tempdir().unwrap();
    let (cache, by_load) = (caches.path().join("index.bin"), caches.path().join("load.bin"));
    let (mut list, _) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
    let base = std::fs::read(&cache).unwrap();
    let mut sum = bitext::library::cache_sum(&cache).unwrap();
    let (mut journaled, mut rewritten) = (0, false);
    for round in 0..40u32 {
        // New files at every place of the list, one changed (its title, so it moves), one of
        // the first files gone and one that a round before added.
        for k in 0..4 {
            let day = round * 31 + k * 97;
            std::fs::write(
                dir.path().join(format!("new-{round}-{k}.toml")),
                dated(&format!("새 {round} {k}"), day, "새"),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join(format!("{:04}.toml", 100 + round)), dated("고친 제목", round * 13, "고친"))
            .unwrap();
        std::fs::remove_file(dir.path().join(format!("{:04}.toml", round))).unwrap();
        if round > 0 {
            std::fs::remove_file(dir.path().join(format!("new-{}-1.toml", round - 1))).unwrap();
        }
        let (changes, after) = Library::index_changes(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, sum).unwrap();
        sum = after;
        assert_eq!(changes.len(), 4 + 1 + 1 + usize::from(round > 0), "round {round}");
        // Each change that replaces an article names its place in the list made from the cache.
        for c in &changes {
            if let bitext::library::Was::At(i) = c.was {
                assert_eq!(list.articles[i].meta.path, c.path, "round {round}");
            }
        }
        list.apply_checked(changes).unwrap();
        let _ = std::fs::remove_file(&by_load);
        Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_load), true).unwrap();
        assert_eq!(cached(dir.path(), &cache), cached(dir.path(), &by_load), "round {round}");
        let whole = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Checked).unwrap();
        let titles = |l: &Library| l.articles.iter().map(|a| a.meta.path.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&list), titles(&whole), "round {round}");
        assert!(Library::index_is_current(dir.path(), &cache, true, &mut |_| {}));
        let bytes = std::fs::read(&cache).unwrap();
        if bytes.starts_with(&base) && bytes.len() > base.len() {
            journaled += 1;
            assert!(!rewritten, "round {round}: a journal after the cache was written whole again");
        } else {
            assert_eq!(bytes, std::fs::read(&by_load).unwrap(), "round {round}: written whole");
            rewritten = true;
            break;
        }
    }
    assert!(journaled >= 5 && rewritten, "{journaled} journals, then written whole: {rewritten}");

    // One more change, in a journal, then damage to it.
    std::fs::write(dir.path().join("last.toml"), dated("마지막", 3, "끝")).unwrap();
    let base = std::fs::read(&cache).unwrap();
    assert!(Library::update_index(dir.path(), DEFAULT_MAX_FILE_SIZE, &cache, true));
    let good = std::fs::read(&cache).unwrap();
    assert!(good.starts_with(&base) && good.len() > base.len(), "a journal");
    let damaged = caches.path().join("damaged.bin");
    let read_whole = |c: &Path| {
        bitext::library::IndexReader::open(dir.path(), c).is_some_and(|mut r| {
            r.by_ref().for_each(drop);
            r.finish()
        })
    };
    for i in base.len() - 8..good.len() {
        let mut bytes = good.clone();
        bytes[i] ^= 0x41;
        std::fs::write(&damaged, &bytes).unwrap();
        assert!(!read_whole(&damaged), "byte {i} changed, still read as whole");
    }
    for len in base.len() + 1..good.len() {
        std::fs::write(&damaged, &good[..len]).unwrap();
        assert!(!read_whole(&damaged), "cut at {len}");
    }
    std::fs::write(&damaged, &good[..good.len() - 3]).unwrap();
    assert!(Library::update_index(dir.path(), DEFAULT_MAX_FILE_SIZE, &damaged, true));
    std::fs::remove_file(&by_load).unwrap();
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_load), true).unwrap();
    assert_eq!(std::fs::read(&damaged).unwrap(), std::fs::read(&by_load).unwrap(), "written whole from the folder");
}

/// A load of a large library that finds a few files new, changed or gone (`fetch` reading the
/// articles it knows, the reader's reload of the whole library) adds a journal to the cache, as
/// the reader's rescan does, instead of writing it whole; the library is the one a read of the
/// folder gives, and only the files that changed were opened.
#[test]
fn a_load_that_finds_a_few_changes_adds_a_journal_to_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..600u32 {
        std::fs::write(dir.path().join(format!("{i:04}.toml")), dated(&format!("기사 {i}"), i * 7, "본문")).unwrap();
    }
    std::fs::write(dir.path().join("broken.toml"), "title = ").unwrap();
    let caches = tempfile::tempdir().unwrap();
    let cache = caches.path().join("index.bin");
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
    let base = std::fs::read(&cache).unwrap();
    std::fs::write(dir.path().join("new.toml"), dated("새 기사", 40, "새")).unwrap();
    std::fs::write(dir.path().join("0100.toml"), dated("고친 제목", 3, "고친")).unwrap();
    std::fs::remove_file(dir.path().join("0200.toml")).unwrap();
    let (library, stats) = Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&cache), true).unwrap();
    let bytes = std::fs::read(&cache).unwrap();
    assert!(bytes.starts_with(&base) && bytes.len() > base.len(), "a journal after the cache");
    assert!(bytes.len() - base.len() < base.len() / 20, "{} bytes added to {}", bytes.len() - base.len(), base.len());
    assert_eq!((stats.files, stats.hits, stats.unchecked), (601, 599, 0));
    assert!(stats.cache_current);
    let whole = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Checked).unwrap();
    let list = |l: &Library| l.articles.iter().map(|a| (a.meta.path.clone(), a.meta.title.clone())).collect::<Vec<_>>();
    assert_eq!(list(&library), list(&whole));
    let problems = |l: &Library| l.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    assert_eq!(problems(&library), problems(&whole));
    assert!(Library::index_is_current(dir.path(), &cache, true, &mut |_| {}));
}

/// A cache written through the spill file (a first start's read, an update) holds only the
/// first bytes of each entry's place in the list; entries alike in those (one date and a long
/// common start of the title, no date, files that are no article in a deep folder) are put in
/// order by their whole keys read back. The cache is the same, byte for byte, as the one a load
/// writes from the entries in memory.
#[test]
fn entries_alike_in_their_first_bytes_are_still_written_in_list_order() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a folder with a long name to share/and another one inside it");
    std::fs::create_dir_all(&deep).unwrap();
    let common = "The regional economy in the third quarter of the year, as seen from the port";
    for i in 0..120 {
        // File names in the opposite order to the titles', so no order of reading is the list's.
        let name = format!("{:03}.toml", 999 - i);
        let dated = if i % 3 == 0 { "" } else { "published = 2026-03-05\n" };
        let text = format!(
            "title = \"{common}, part {i:03}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n{dated}\n[[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\n"
        );
        std::fs::write(dir.path().join(name), text).unwrap();
        std::fs::write(deep.join(format!("broken {:03}.toml", 999 - i)), "title = ").unwrap();
    }
    let caches = tempfile::tempdir().unwrap();
    let (by_load, by_update, by_stream) =
        (caches.path().join("load.bin"), caches.path().join("update.bin"), caches.path().join("stream.bin"));
    Library::load_cached(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_load), false).unwrap();
    assert!(Library::update_index(dir.path(), DEFAULT_MAX_FILE_SIZE, &by_update, false));
    Library::load_streamed(dir.path(), DEFAULT_MAX_FILE_SIZE, Some(&by_stream), &mut |_, _, _| {}).unwrap();
    let load = std::fs::read(&by_load).unwrap();
    assert!(load == std::fs::read(&by_update).unwrap(), "an update writes what a load writes");
    assert!(load == std::fs::read(&by_stream).unwrap(), "a first start's read writes what a load writes");
    // And that order is the list's: dated first, then by title.
    let (cached, _, _) = Library::from_cache(dir.path(), &by_load).unwrap();
    let titles: Vec<&str> = cached.articles.iter().map(|a| a.meta.title.as_str()).collect();
    assert_eq!(titles.len(), 120);
    assert!(titles[..80].is_sorted() && titles[80..].is_sorted(), "{titles:?}");
    assert!(titles[0].ends_with("part 001") && titles[79].ends_with("part 119") && titles[80].ends_with("part 000"));
}
