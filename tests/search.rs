//! Full-text search: what matches, and how the background [`Searcher`] streams its results.

#[path = "common/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bitext::article::{self, Article, Group, Kind, Meta, Pairing};
use bitext::library::{DEFAULT_MAX_FILE_SIZE, Depth, Library};
use bitext::search::{BATCH, FIRST_BATCH, Query, SearchEvent, SearchIndex, Searcher};

const WAIT: Duration = Duration::from_secs(20);

struct A<'a> {
    title: &'a str,
    source_title: Option<&'a str>,
    outlet: Option<&'a str>,
    tags: &'a [&'a str],
    source: &'a [&'a str],
    translation: &'a [&'a str],
}

const BLANK: A = A { title: "Untitled", source_title: None, outlet: None, tags: &[], source: &[], translation: &[] };

fn article(a: A) -> Article {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let n = a.source.len().max(a.translation.len());
    Article {
        meta: Meta {
            id: a.title.into(),
            path: PathBuf::from(format!("{}.toml", a.title)),
            title: a.title.into(),
            source_title: a.source_title.map(Into::into),
            source_lang: "xx".into(),
            target_lang: "en".into(),
            outlet: a.outlet.map(Into::into),
            url: Some("https://news.example/urlonly".into()),
            published: None,
            authors: vec!["Authoronly".into()],
            translator: None,
            tags: own(a.tags).into_iter().map(Into::into).collect(),
            summary: Some("summaryonly".into()),
            machine_translation: None,
            feed: None,
            guid: None,
            alignment: None,
        },
        groups: (0..n)
            .map(|i| Group {
                kind: Kind::Text,
                source: a.source.get(i).map(|s| vec![s.to_string()]).unwrap_or_default(),
                translation: a.translation.get(i).map(|s| vec![s.to_string()]).unwrap_or_default(),
                ..Group::default()
            })
            .collect(),
        pairing: Pairing::Given,
    }
}

/// A small hand-made library in four scripts.
fn fixtures() -> Vec<Article> {
    vec![
        // 0: Korean
        article(A {
            title: "Typhoon Khanun nears Busan",
            source_title: Some("태풍 카눈 부산 접근"),
            outlet: Some("Hanbit Daily"),
            tags: &["typhoon", "busan"],
            source: &["태풍 카눈이 10일 부산 앞바다에 접근했다.", "해운대 해수욕장은 출입이 통제됐다."],
            translation: &["Typhoon Khanun approached the waters off Busan on the 10th.", "Haeundae Beach was closed."],
        }),
        // 1: Chinese
        article(A {
            title: "Beijing museum opens a dinosaur hall",
            source_title: Some("北京博物馆恐龙展厅开放"),
            outlet: Some("Capital Evening News"),
            tags: &["science"],
            source: &["北京自然博物馆的恐龙展厅今天重新开放。", "展厅展出了二十多具化石。"],
            translation: &[
                "The dinosaur hall of the Beijing museum reopened today.",
                "It shows more than twenty fossils.",
            ],
        }),
        // 2: Japanese
        article(A {
            title: "Typhoon halts the shinkansen",
            source_title: Some("台風で新幹線が運休"),
            outlet: Some("Tokai Shimbun"),
            tags: &["typhoon", "transport"],
            source: &["台風10号の影響で、東海道新幹線は終日運休となった。", "きっぷの払い戻しは駅の窓口で受け付ける。"],
            translation: &[
                "Because of Typhoon No. 10, the Tokaido Shinkansen stopped all day.",
                "Refunds are given at station counters.",
            ],
        }),
        // 3: English only on the reading side, plain
        article(A {
            title: "Seoul opens a night market",
            source_title: Some("서울 야시장 개장"),
            outlet: Some("Seoul Evening Post"),
            tags: &["seoul", "food"],
            source: &["서울 여의도에 야시장이 문을 열었다."],
            translation: &["A night market opened on Yeouido in Seoul."],
        }),
    ]
}

fn search(index: &SearchIndex, q: &str) -> Vec<usize> {
    index.search(&Query::parse(q))
}

#[test]
fn latin_is_case_insensitive_both_ways() {
    let lower = article(A { translation: &["a typhoon is coming"], ..BLANK });
    let upper = article(A { translation: &["A TYPHOON IS COMING"], ..BLANK });
    let other = article(A { translation: &["a storm is coming"], ..BLANK });
    let index = SearchIndex::build(&[lower, upper, other]);
    assert_eq!(search(&index, "TyPhOoN"), [0, 1]);
    assert_eq!(search(&index, "typhoon"), [0, 1]);
    assert_eq!(search(&index, "TYPHOON"), [0, 1]);
}

#[test]
fn korean_chinese_and_japanese_queries_find_their_articles() {
    let index = SearchIndex::build(&fixtures());
    assert_eq!(search(&index, "태풍"), [0]);
    assert_eq!(search(&index, "해수욕장"), [0]);
    assert_eq!(search(&index, "恐龙"), [1]);
    assert_eq!(search(&index, "化石"), [1]);
    assert_eq!(search(&index, "台風"), [2]);
    assert_eq!(search(&index, "新幹線"), [2]);
    assert_eq!(search(&index, "きっぷ"), [2]);
    assert_eq!(search(&index, "야시장"), [3]);
    // Latin case folding still applies in a mixed query.
    assert_eq!(search(&index, "TYPHOON 新幹線"), [2]);
}

#[test]
fn every_field_is_searched() {
    let articles = vec![
        article(A { title: "The Zeppelin returns", ..BLANK }),
        article(A { source_title: Some("飛行船が帰ってきた"), ..BLANK }),
        article(A { outlet: Some("Quokka Gazette"), ..BLANK }),
        article(A { tags: &["ornithology"], ..BLANK }),
        article(A {
            source: &["두루미 떼가 철원 평야에 내려앉았다."], translation: &["Birds landed."], ..BLANK
        }),
        article(A {
            source: &["새들이 내려앉았다."],
            translation: &["A flock of cranes landed in Cheorwon."],
            ..BLANK
        }),
    ];
    let index = SearchIndex::build(&articles);
    assert_eq!(index.len(), 6);
    assert_eq!(search(&index, "zeppelin"), [0], "title");
    assert_eq!(search(&index, "飛行船"), [1], "source title");
    assert_eq!(search(&index, "quokka"), [2], "outlet");
    assert_eq!(search(&index, "ORNITHOLOGY"), [3], "tags");
    assert_eq!(search(&index, "두루미"), [4], "source text");
    assert_eq!(search(&index, "cranes"), [5], "translation text");
    assert_eq!(search(&index, "내려앉았다"), [4, 5]);
}

#[test]
fn every_paragraph_of_a_group_is_searched() {
    let mut a = article(A { source: &["첫 문단"], translation: &["first"], ..BLANK });
    let mut groups = a.groups.to_vec();
    groups.push(Group {
        kind: Kind::Caption,
        source: vec!["둘째 문단".into(), "셋째 문단 펭귄".into()],
        translation: vec!["second".into(), "third penguin".into()],
        ..Group::default()
    });
    a.groups = groups.into();
    let index = SearchIndex::build(&[a, article(BLANK)]);
    assert_eq!(search(&index, "펭귄"), [0]);
    assert_eq!(search(&index, "penguin"), [0]);
}

#[test]
fn terms_are_anded() {
    let index = SearchIndex::build(&fixtures());
    assert_eq!(search(&index, "typhoon"), [0, 2]);
    assert_eq!(search(&index, "typhoon busan"), [0]);
    assert_eq!(search(&index, "busan   typhoon"), [0]);
    assert_eq!(search(&index, "typhoon seoul"), Vec::<usize>::new());
    assert_eq!(search(&index, "태풍 新幹線"), Vec::<usize>::new());
    assert_eq!(search(&index, "night market seoul"), [3]);
}

#[test]
fn terms_do_not_match_across_fields() {
    let a = article(A { title: "Sea", outlet: Some("Lion Times"), ..BLANK });
    let index = SearchIndex::build(&[a]);
    assert_eq!(search(&index, "sea lion"), [0]);
    assert_eq!(search(&index, "sealion"), Vec::<usize>::new());
}

#[test]
fn empty_query_matches_everything() {
    let index = SearchIndex::build(&fixtures());
    for q in ["", "   ", "\t\n"] {
        assert!(Query::parse(q).is_empty());
        assert_eq!(search(&index, q), [0, 1, 2, 3], "{q:?}");
    }
    assert!(!Query::parse("x").is_empty());
    assert!(SearchIndex::build::<bitext::article::Article>(&[]).is_empty());
}

// ---- the background searcher, over a synthetic library ----

const SEED: u64 = 7;
const LIBRARY: usize = 3000;

/// The 3,000-article synthetic library, parsed with the real loader, and whether each article
/// is about a typhoon.
fn library() -> &'static (Arc<SearchIndex>, Vec<bool>) {
    static LIB: OnceLock<(Arc<SearchIndex>, Vec<bool>)> = OnceLock::new();
    LIB.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let parts: Vec<Vec<(Article, bool)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        (t * LIBRARY / threads..(t + 1) * LIBRARY / threads)
                            .map(|i| {
                                let doc = synth::doc(SEED, i);
                                let text = doc.to_toml();
                                let parsed = article::parse(text.as_bytes(), &doc.id, Path::new(&doc.rel_path()));
                                assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
                                (parsed.article.expect("synthetic article parses"), doc.is_rare())
                            })
                            .collect()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("parsing thread")).collect()
        });
        let (articles, rare): (Vec<Article>, Vec<bool>) = parts.into_iter().flatten().unzip();
        assert_eq!(articles.len(), LIBRARY);
        (Arc::new(SearchIndex::build(&articles)), rare)
    })
}

/// Everything one `Searcher` reported, in order, with markers the test put in between.
enum Msg {
    Event(SearchEvent),
    Marker,
}

fn searcher(index: Arc<SearchIndex>, delay: Duration) -> (Searcher, mpsc::Sender<Msg>, Receiver<Msg>) {
    let (tx, rx) = mpsc::channel();
    let events = tx.clone();
    let s = Searcher::new(index, move |e| {
        std::thread::sleep(delay);
        let _ = events.send(Msg::Event(e));
    });
    (s, tx, rx)
}

fn next_event(rx: &Receiver<Msg>) -> SearchEvent {
    loop {
        match rx.recv_timeout(WAIT).expect("an event from the searcher") {
            Msg::Event(e) => return e,
            Msg::Marker => {}
        }
    }
}

/// The events of `generation` up to its `Done`, skipping any other generation's.
fn collect(rx: &Receiver<Msg>, generation: u64) -> Vec<SearchEvent> {
    let mut events = Vec::new();
    loop {
        let e = next_event(rx);
        if e.generation() != generation {
            continue;
        }
        let done = matches!(e, SearchEvent::Done { .. });
        events.push(e);
        if done {
            return events;
        }
    }
}

/// Checks one search's stream and returns the union of its matches.
fn check_stream(events: &[SearchEvent], total: usize) -> Vec<usize> {
    let mut all = Vec::new();
    let mut last_scanned = 0;
    let (done, batches) = events.split_last().expect("at least a Done");
    assert!(
        matches!(done, SearchEvent::Done { scanned, total: t, .. } if *scanned == total && *t == total),
        "{done:?}"
    );
    assert!(!batches.is_empty());
    for (n, e) in batches.iter().enumerate() {
        let SearchEvent::Batch { matches, scanned, total: t, .. } = e else { panic!("Done before the end: {e:?}") };
        assert_eq!(*t, total);
        assert!(*scanned > last_scanned && *scanned <= total, "progress {last_scanned} → {scanned}");
        if n == 0 {
            assert_eq!(*scanned, FIRST_BATCH.min(total), "the first batch is small");
        } else {
            assert!(*scanned - last_scanned <= BATCH, "every batch is reported: {last_scanned} → {scanned}");
        }
        for &m in matches {
            assert!(m >= last_scanned && m < *scanned, "match {m} outside its batch {last_scanned}..{scanned}");
        }
        assert!(matches.windows(2).all(|w| w[0] < w[1]), "in index order");
        all.extend_from_slice(matches);
        last_scanned = *scanned;
    }
    assert_eq!(last_scanned, total, "progress reaches the total");
    all
}

#[test]
fn searcher_streams_the_same_matches_as_a_direct_scan() {
    let (index, rare) = library();
    let expected_typhoon: Vec<usize> = (0..LIBRARY).filter(|&i| rare[i]).collect();
    assert!(
        (LIBRARY / 40..LIBRARY / 10).contains(&expected_typhoon.len()),
        "about 5% are about a typhoon: {}",
        expected_typhoon.len()
    );

    let (s, _tx, rx) = searcher(Arc::clone(index), Duration::ZERO);
    for q in ["태풍", "TYPHOON", "", "서울 ECONOMY", "한국은행 기준금리 the", "no-such-word", "태풍 semiconductors"]
    {
        let generation = s.start(q);
        let events = collect(&rx, generation);
        let streamed = check_stream(&events, LIBRARY);
        let direct = index.search(&Query::parse(q));
        assert_eq!(streamed, direct, "query {q:?}");
        match q {
            "TYPHOON" => assert_eq!(direct, expected_typhoon),
            "" => assert_eq!(direct.len(), LIBRARY),
            "no-such-word" => assert!(direct.is_empty()),
            _ => {}
        }
        if q == "태풍" {
            // Every typhoon article says 태풍 somewhere; no other article does.
            assert!(direct.iter().all(|&i| rare[i]));
            assert!(direct.len() * 10 >= expected_typhoon.len() * 9, "{} of {}", direct.len(), expected_typhoon.len());
        }
    }
}

#[test]
fn a_new_search_supersedes_the_running_one() {
    let (index, _) = library();
    // A slow consumer keeps the first search running long enough to be superseded mid-scan.
    let (s, tx, rx) = searcher(Arc::clone(index), Duration::from_millis(20));
    let first = s.start("");
    match next_event(&rx) {
        SearchEvent::Batch { generation, scanned, .. } => {
            assert_eq!(generation, first);
            assert!(scanned < LIBRARY);
        }
        e => panic!("expected a first batch, got {e:?}"),
    }
    let second = s.start("태풍");
    tx.send(Msg::Marker).unwrap();
    assert!(second > first, "generations increase");

    // Everything before the marker may belong to the first search (but it never finished);
    // everything after it belongs to the second.
    let mut before = Vec::new();
    loop {
        match rx.recv_timeout(WAIT).expect("the marker") {
            Msg::Marker => break,
            Msg::Event(e) => before.push(e),
        }
    }
    assert!(
        !before.iter().any(|e| matches!(e, SearchEvent::Done { .. })),
        "the first search finished before the second started; the test proves nothing: {before:?}"
    );
    let mut after = Vec::new();
    loop {
        let e = next_event(&rx);
        assert_eq!(
            e.generation(),
            second,
            "an event of a superseded search arrived after the new search started: {e:?}"
        );
        let done = matches!(e, SearchEvent::Done { .. });
        after.push(e);
        if done {
            break;
        }
    }
    let streamed = check_stream(&after, LIBRARY);
    assert_eq!(streamed, index.search(&Query::parse("태풍")));
}

#[test]
fn cancel_stops_reporting() {
    let (index, _) = library();
    let (s, tx, rx) = searcher(Arc::clone(index), Duration::from_millis(10));
    let generation = s.start("");
    assert_eq!(next_event(&rx).generation(), generation);
    s.cancel();
    tx.send(Msg::Marker).unwrap();
    while !matches!(rx.recv_timeout(WAIT).expect("the marker"), Msg::Marker) {}
    match rx.recv_timeout(Duration::from_millis(300)) {
        Err(RecvTimeoutError::Timeout) => {}
        Ok(Msg::Event(e)) => panic!("event after cancel: {e:?}"),
        Ok(Msg::Marker) => unreachable!("one marker was sent"),
        Err(e) => panic!("{e}"),
    }
    // The searcher still works afterwards.
    let again = s.start("typhoon");
    assert!(again > generation);
    assert!(matches!(collect(&rx, again).last(), Some(SearchEvent::Done { .. })));
}

#[test]
fn set_index_replaces_what_is_searched() {
    let small = Arc::new(SearchIndex::build(&fixtures()));
    let (s, _tx, rx) = searcher(Arc::clone(&library().0), Duration::ZERO);
    s.set_index(Arc::clone(&small));
    let generation = s.start("typhoon");
    let events = collect(&rx, generation);
    assert_eq!(check_stream(&events, small.len()), [0, 2]);
}

#[test]
fn an_empty_index_reports_done() {
    let (s, _tx, rx) = searcher(Arc::new(SearchIndex::build::<bitext::article::Article>(&[])), Duration::ZERO);
    let generation = s.start("x");
    assert_eq!(collect(&rx, generation), [SearchEvent::Done { generation, scanned: 0, total: 0 }]);
}

#[test]
fn dropping_the_searcher_stops_its_thread() {
    let (index, _) = library();
    let (tx, rx) = mpsc::channel::<SearchEvent>();
    let s = Searcher::new(Arc::clone(index), move |e| {
        let _ = tx.send(e);
    });
    s.start("");
    drop(s);
    // The worker owned the only sender; once it is gone the channel disconnects.
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(_) => {}
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!("the search thread is still running"),
        }
    }
}

// ---- several threads over a library read from disk ----

const ON_DISK: usize = 800;

/// An 800-article synthetic library written to a temporary folder, indexed as the reader does:
/// metadata in memory, bodies read from their files while searching.
fn on_disk() -> &'static Arc<SearchIndex> {
    static LIB: OnceLock<(tempfile::TempDir, Arc<SearchIndex>)> = OnceLock::new();
    &LIB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for i in 0..ON_DISK {
            let doc = synth::doc(SEED, i);
            let path = dir.path().join(doc.rel_path());
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder is made");
            std::fs::write(&path, doc.to_toml()).expect("the article is written");
        }
        let library = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Header).expect("the library loads");
        assert_eq!(library.articles.len(), ON_DISK);
        let index = Arc::new(SearchIndex::on_disk(&library.articles));
        (dir, index)
    })
    .1
}

fn searcher_with_threads(
    index: Arc<SearchIndex>,
    threads: usize,
    delay: Duration,
) -> (Searcher, mpsc::Sender<Msg>, Receiver<Msg>) {
    let (tx, rx) = mpsc::channel();
    let events = tx.clone();
    let s = Searcher::with_threads(index, threads, move |e| {
        std::thread::sleep(delay);
        let _ = events.send(Msg::Event(e));
    });
    (s, tx, rx)
}

const ON_DISK_QUERIES: [&str; 9] =
    ["태풍", "TYPHOON", "", "서울 ECONOMY", "typhoon 부산", "한국은행 기준금리 the", "두루미", "korea", "title"];

#[test]
fn several_threads_stream_the_single_threaded_matches_in_order() {
    let index = on_disk();
    let expected = ON_DISK_QUERIES.map(|q| index.search(&Query::parse(q)));
    for threads in [1, 4] {
        let (s, _tx, rx) = searcher_with_threads(Arc::clone(index), threads, Duration::ZERO);
        for (q, expected) in ON_DISK_QUERIES.iter().zip(&expected) {
            let generation = s.start(q);
            let events = collect(&rx, generation);
            assert_eq!(&check_stream(&events, ON_DISK), expected, "query {q:?} on {threads} threads");
        }
    }
    let typhoon = index.search(&Query::parse("typhoon"));
    assert!((ON_DISK / 40..ON_DISK / 10).contains(&typhoon.len()), "{} typhoon articles", typhoon.len());
}

#[test]
fn a_superseded_search_on_several_threads_reports_nothing_after_the_new_one_starts() {
    let index = on_disk();
    // A slow consumer keeps each search running long enough to be superseded mid-scan.
    let (s, tx, rx) = searcher_with_threads(Arc::clone(index), 4, Duration::from_millis(5));
    // After the k-th marker, every event belongs to the k-th search or a later one.
    let mut starts = Vec::new();
    let mut markers = 0_usize;
    let mut last = Vec::new();
    // Takes the next message, checks it, and returns its event if it has one.
    let mut next = |starts: &[u64]| match rx.recv_timeout(WAIT).expect("an event or a marker") {
        Msg::Marker => {
            markers += 1;
            None
        }
        Msg::Event(e) => {
            let newest = markers.checked_sub(1).map_or(0, |k| starts[k]);
            assert!(
                e.generation() >= newest,
                "an event of search {} arrived after search {newest} started: {e:?}",
                e.generation()
            );
            Some(e)
        }
    };
    for (n, q) in ON_DISK_QUERIES.iter().cycle().take(12).enumerate() {
        let generation = s.start(q);
        starts.push(generation);
        tx.send(Msg::Marker).unwrap();
        // Let some batches of this search through before the next one supersedes it.
        if n % 3 == 0 {
            while next(&starts).is_none_or(|e| e.generation() != generation) {}
        }
    }
    let newest = *starts.last().expect("searches were started");
    loop {
        let Some(e) = next(&starts) else { continue };
        if e.generation() == newest {
            let done = matches!(e, SearchEvent::Done { .. });
            last.push(e);
            if done {
                break;
            }
        }
    }
    assert_eq!(markers, starts.len());
    let q = ON_DISK_QUERIES.iter().cycle().nth(11).expect("a query");
    assert_eq!(check_stream(&last, ON_DISK), index.search(&Query::parse(q)));
}

/// The index built from the metadata as the index cache streams it finds what the index built
/// from the loaded articles finds, for every query.
#[test]
fn an_index_from_streamed_metadata_finds_the_same() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for i in 0..200 {
        let doc = synth::doc(SEED, i);
        let path = dir.path().join(doc.rel_path());
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder is made");
        std::fs::write(&path, doc.to_toml()).expect("the article is written");
    }
    let library = Library::load(dir.path(), DEFAULT_MAX_FILE_SIZE, Depth::Header).expect("the library loads");
    let loaded = SearchIndex::on_disk(&library.articles);
    let streamed = SearchIndex::on_disk_from(library.articles.iter().map(|a| a.meta.clone()));
    for q in ON_DISK_QUERIES {
        assert_eq!(search(&streamed, q), search(&loaded, q), "{q:?}");
    }
    assert!(!search(&streamed, "태풍").is_empty());
}
