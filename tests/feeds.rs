//! Feed subscriptions (`bitext feed …`) and `bitext fetch`, black box: the binary against
//! servers on 127.0.0.1 that serve the fixtures of tests/fixtures/feeds/ (RSS 2.0 with CDATA
//! and `content:encoded`, an EUC-KR RSS, Atom with `xml:base`, JSON Feed 1.1, summary-only
//! feeds whose pages have English editions, a Spanish feed for apertium, duplicate GUIDs, a
//! guid-less feed whose title changes, malformed XML) and feeds built here (5,000 items; dated
//! items for retention). `{{ORIGIN}}` in a fixture is replaced by the server's origin when served.
//! What each article must hold is in tests/fixtures/feeds/expected.json (made by make_feeds.py).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::http::{Reply, Seen, Server};
use common::{bitext_in, text};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/feeds");
const PLACEHOLDER: &[u8] = b"{{ORIGIN}}";

// ---------------------------------------------------------------------------------------------
// Fixtures and servers
// ---------------------------------------------------------------------------------------------

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// tests/fixtures/feeds/expected.json: `pages` (path → lang, title, paragraphs) and `feeds`
/// (file → title, lang, items with key, link, title, summary, content, page, edition).
fn expected() -> &'static Value {
    static E: OnceLock<Value> = OnceLock::new();
    E.get_or_init(|| serde_json::from_slice(&fixture("expected.json")).unwrap())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The paragraphs a fixture page must become.
fn page_paragraphs(path: &str) -> Vec<String> {
    strings(&expected()["pages"][path]["paragraphs"])
}

/// The items of a fixture feed, as expected.json lists them.
fn items(feed: &str) -> Vec<Value> {
    expected()["feeds"][feed]["items"].as_array().unwrap().clone()
}

fn item_by_link(feed: &str, link: &str) -> Value {
    items(feed).into_iter().find(|i| i["link"] == link).unwrap_or_else(|| panic!("{feed}: no item {link}"))
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// A server answering each path with its replies in turn (the last repeats), `{{ORIGIN}}` in
/// bodies and headers replaced by its own origin; 404 for any other path.
fn serve(routes: Vec<(String, Vec<Reply>)>) -> Server {
    let origin: Arc<OnceLock<String>> = Arc::default();
    let o = origin.clone();
    let routes: HashMap<String, (Vec<Reply>, AtomicUsize)> =
        routes.into_iter().map(|(p, r)| (p, (r, AtomicUsize::new(0)))).collect();
    let server = Server::start_fn(move |seen: &Seen| {
        let Some((replies, next)) = routes.get(&seen.path) else { return Reply::status(404) };
        let i = next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
        let mut reply = replies[i].clone();
        let origin = o.get().expect("the origin is set before any request").as_bytes();
        reply.body = replace_all(&reply.body, PLACEHOLDER, origin);
        for (_, v) in &mut reply.headers {
            *v = String::from_utf8(replace_all(v.as_bytes(), PLACEHOLDER, origin)).unwrap();
        }
        reply
    });
    origin.set(server.origin()).unwrap();
    server
}

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".json") {
        "application/feed+json"
    } else if name.starts_with("atom") {
        "application/atom+xml"
    } else {
        // No charset: the XML declaration decides (EUC-KR for rss-euckr.xml).
        "application/rss+xml"
    }
}

/// A fixture feed as a 200 reply.
fn feed(name: &str) -> Reply {
    Reply::ok(content_type(name), fixture(name))
}

/// The route of a fixture feed: `/feeds/NAME`, answered by `replies`.
fn feed_route(name: &str, replies: Vec<Reply>) -> (String, Vec<Reply>) {
    (format!("/feeds/{name}"), replies)
}

/// Every fixture page at its path (`pages/ko/x.html` at `/ko/x.html`), as `text/html` with no
/// charset: the page's own `<meta charset>` decides.
fn pages() -> Vec<(String, Vec<Reply>)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, Vec<Reply>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/");
                out.push((format!("/{rel}"), vec![Reply::ok("text/html", std::fs::read(&p).unwrap())]));
            }
        }
    }
    let root = Path::new(FIXTURES).join("pages");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// Fixture feeds (each answering 200, always) and every page.
fn site(feeds: &[&str]) -> Server {
    let mut routes = pages();
    routes.extend(feeds.iter().map(|f| feed_route(f, vec![feed(f)])));
    serve(routes)
}

/// How many requests the server saw for `path`.
fn count(server: &Server, path: &str) -> usize {
    server.requests().iter().filter(|r| r.path == path).count()
}

/// The paths requested, with how many times each.
fn requested(server: &Server) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in server.requests() {
        *m.entry(r.path).or_default() += 1;
    }
    m
}

// ---------------------------------------------------------------------------------------------
// A home (config, state, cache) and a library
// ---------------------------------------------------------------------------------------------

struct Home {
    home: tempfile::TempDir,
    lib: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { home: tempfile::tempdir().unwrap(), lib: tempfile::tempdir().unwrap() }
    }

    fn lib(&self) -> &Path {
        self.lib.path()
    }

    /// bitext with `--library LIB` and `args`.
    fn run(&self, args: &[&str]) -> Output {
        let mut all = vec!["--library", self.lib.path().to_str().unwrap()];
        all.extend_from_slice(args);
        bitext_in(self.home.path(), &all)
    }

    /// `bitext fetch ARGS`, timed.
    fn fetch(&self, args: &[&str]) -> (Output, Duration) {
        let mut all = vec!["fetch"];
        all.extend_from_slice(args);
        let start = Instant::now();
        let o = self.run(&all);
        (o, start.elapsed())
    }

    fn feeds_toml(&self) -> PathBuf {
        self.home.path().join("config/bitext/feeds.toml")
    }

    fn state_json(&self) -> PathBuf {
        self.home.path().join("state/bitext/state.json")
    }

    fn feeds_json(&self) -> PathBuf {
        self.home.path().join("state/bitext/feeds.json")
    }

    /// Writes feeds.toml (the subscriptions file) as given.
    fn subscribe(&self, toml: &str) {
        let path = self.feeds_toml();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, toml).unwrap();
    }

    /// A config file in the home, for `--config`.
    fn config(&self, toml: &str) -> PathBuf {
        let path = self.home.path().join("test-config.toml");
        std::fs::write(&path, toml).unwrap();
        path
    }

    /// `feed list --json`, parsed.
    fn feed_list(&self) -> Vec<Value> {
        let o = self.run(&["feed", "list", "--json"]);
        assert!(o.status.success(), "feed list --json: {}", text(&o.stderr));
        serde_json::from_slice::<Value>(&o.stdout)
            .unwrap_or_else(|e| panic!("feed list --json is not JSON ({e}):\n{}", text(&o.stdout)))
            .as_array()
            .expect("feed list --json prints an array")
            .clone()
    }

    /// `list --json`, parsed.
    fn list(&self) -> Vec<Value> {
        let o = self.run(&["list", "--json"]);
        assert!(o.status.success(), "list --json: {}", text(&o.stderr));
        serde_json::from_slice::<Value>(&o.stdout).unwrap().as_array().unwrap().clone()
    }

    /// The article files of feed `name`: every .toml under LIBRARY/NAME/.
    fn articles(&self, name: &str) -> Vec<Art> {
        toml_files(&self.lib().join(name)).into_iter().map(|p| Art::read(&p)).collect()
    }

    /// Every file in the library, with its bytes and modification time.
    fn snapshot(&self) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
        all_files(self.lib())
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
                (p, (bytes, mtime))
            })
            .collect()
    }

    /// No temporary or hidden file anywhere in the library; every article file loads
    /// (`bitext check` exits 0).
    fn assert_library_clean(&self) {
        for p in all_files(self.lib()) {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            assert!(
                !name.starts_with('.') && !name.contains(".tmp") && !name.ends_with('~'),
                "a temporary file left in the library: {}",
                p.display()
            );
        }
        let o = self.run(&["check"]);
        assert!(o.status.success(), "bitext check:\n{}{}", text(&o.stdout), text(&o.stderr));
    }
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    all_files(dir).into_iter().filter(|p| p.extension().is_some_and(|x| x == "toml")).collect()
}

/// One article file, read as TOML.
#[derive(Debug)]
struct Art {
    path: PathBuf,
    raw: String,
    table: toml::Table,
    /// Every source paragraph, in order (a merged group's paragraphs one by one).
    source: Vec<String>,
    /// Every translation paragraph, in order.
    translation: Vec<String>,
    /// Per `[[paragraphs]]` entry: (source, translation, machine).
    entries: Vec<(Option<String>, Option<String>, bool)>,
}

impl Art {
    fn read(path: &Path) -> Art {
        let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let table: toml::Table = raw.parse().unwrap_or_else(|e| panic!("{} is not TOML: {e}\n{raw}", path.display()));
        let mut entries = Vec::new();
        if let Some(ps) = table.get("paragraphs").and_then(|p| p.as_array()) {
            for p in ps {
                let s = p.get("source").and_then(|v| v.as_str()).map(str::to_string);
                let t = p.get("translation").and_then(|v| v.as_str()).map(str::to_string);
                let m = p.get("machine").and_then(|v| v.as_bool()).unwrap_or(false);
                entries.push((s, t, m));
            }
        }
        let split = |side: &Option<String>| -> Vec<String> {
            side.as_deref()
                .map(|s| s.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect())
                .unwrap_or_default()
        };
        let source = entries.iter().flat_map(|(s, _, _)| split(s)).collect();
        let translation = entries.iter().flat_map(|(_, t, _)| split(t)).collect();
        Art { path: path.to_path_buf(), raw, table, source, translation, entries }
    }

    fn str(&self, key: &str) -> Option<&str> {
        self.table.get(key).and_then(|v| v.as_str())
    }

    fn tags(&self) -> Vec<String> {
        self.table
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// What every article a feed makes must have: the keys of the spec, the feed's name in
    /// `feed` and in `tags`, a `[[paragraphs]]` body, and no placeholder left over.
    fn check(&self, feed: &str, source_lang: &str, target_lang: &str) {
        let at = self.path.display();
        for key in ["title", "source_lang", "target_lang", "url", "feed", "guid"] {
            assert!(self.str(key).is_some_and(|v| !v.is_empty()), "{at}: no `{key}`:\n{}", self.raw);
        }
        assert_eq!(self.str("feed"), Some(feed), "{at}: feed");
        assert!(self.tags().iter().any(|t| t == feed), "{at}: tags {:?} lack the feed's name", self.tags());
        assert_eq!(self.str("source_lang"), Some(source_lang), "{at}: source_lang");
        assert_eq!(self.str("target_lang"), Some(target_lang), "{at}: target_lang");
        assert!(
            self.table.get("paragraphs").and_then(|p| p.as_array()).is_some_and(|a| !a.is_empty()),
            "{at}: no [[paragraphs]]:\n{}",
            self.raw
        );
        assert!(!self.raw.contains("{{ORIGIN}}"), "{at}: a placeholder left over");
        assert!(!self.raw.contains('\u{fffd}'), "{at}: a replacement character (badly decoded):\n{}", self.raw);
    }
}

fn by_guid<'a>(arts: &'a [Art], guid: &str) -> &'a Art {
    let found: Vec<&Art> = arts.iter().filter(|a| a.str("guid") == Some(guid)).collect();
    assert_eq!(
        found.len(),
        1,
        "articles with guid {guid}: {:?}",
        arts.iter().map(|a| a.str("guid")).collect::<Vec<_>>()
    );
    found[0]
}

fn by_url<'a>(arts: &'a [Art], url: &str) -> Vec<&'a Art> {
    arts.iter().filter(|a| a.str("url") == Some(url)).collect()
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

/// The line of `stdout` for feed `name` (`NAME: …`); exactly one.
fn line_for(stdout: &str, name: &str) -> String {
    let prefix = format!("{name}:");
    let found: Vec<&str> = stdout.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(found.len(), 1, "one line for {name} in:\n{stdout}");
    found[0].to_string()
}

fn last_line(stdout: &str) -> String {
    stdout.lines().last().unwrap_or_default().to_string()
}

/// `NAME: 0 new articles` (or `no new articles`): nothing new.
fn says_nothing_new(line: &str) -> bool {
    line.contains(": 0 new articles") || line.contains(": no new articles")
}

fn apertium_available() -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join("apertium").is_file()))
}

// ---------------------------------------------------------------------------------------------
// Dates, for feeds made here
// ---------------------------------------------------------------------------------------------

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An RFC 822 date (`Tue, 01 Jul 2025 07:00:00 +0000`), as RSS writes them.
fn rfc822(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m as usize - 1];
    format!("{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} +0000", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[test]
fn rfc822_dates_are_right() {
    assert_eq!(rfc822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    assert_eq!(rfc822(1_751_353_200), "Tue, 01 Jul 2025 07:00:00 +0000");
    assert_eq!(rfc822(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
}

/// An RSS feed of Korean items, `(guid, link path, title, pubDate seconds)`, each with its
/// whole text in `content:encoded` (two paragraphs that name the item).
fn korean_rss(title: &str, items: &[(String, String, String, i64)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n<title>{title}</title>\n<link>{{{{ORIGIN}}}}/ko/</link>\n<description>테스트용 피드</description>\n<language>ko</language>\n"
    );
    for (guid, link, title, secs) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{{{{ORIGIN}}}}{link}</link><guid isPermaLink=\"false\">{guid}</guid><pubDate>{}</pubDate><description>{title} 요약</description><content:encoded><![CDATA[<p>{title}에 관한 첫째 문단이다.</p><p>{title}에 관한 둘째 문단이다.</p>]]></content:encoded></item>\n",
            rfc822(*secs)
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

// =============================================================================================
// The fixtures themselves
// =============================================================================================

/// Every fixture page, served, decoded and extracted by bitext's own extractor, gives exactly
/// the paragraphs expected.json lists, its language and its title; the Korean pages name their
/// English editions and the English pages their Korean originals. (A guard on the fixtures:
/// when a fetch test fails, it is not because a page is unreadable.)
#[test]
fn fixture_pages_extract_to_their_expected_paragraphs() {
    use bitext::web::extract::{self, Limits};
    let server = site(&[]);
    let pages = expected()["pages"].as_object().unwrap();
    assert_eq!(pages.len(), 12);
    for (path, want) in pages {
        let url = server.url(path);
        let raw = replace_all(&fixture(&format!("pages{path}")), PLACEHOLDER, server.origin().as_bytes());
        let decoded = bitext::web::decode::decode(&raw, Some("text/html"), Some(&url));
        let got = extract::extract(&decoded.text, Some(&url), None, Limits::default()).unwrap();
        let texts: Vec<String> = got.paragraphs.iter().map(|b| b.text.clone()).collect();
        assert_eq!(texts, strings(&want["paragraphs"]), "{path}");
        assert_eq!(got.lang.as_deref(), want["lang"].as_str(), "{path}: lang");
        assert_eq!(got.title.as_deref(), want["title"].as_str(), "{path}: title");
        assert_eq!(got.url.as_deref(), Some(url.as_str()), "{path}: canonical");
        let editions: Vec<(String, String)> = got.editions.iter().map(|e| (e.lang.clone(), e.url.clone())).collect();
        if path.contains("/garam/") {
            let other = if path.starts_with("/ko/") {
                ("en", path.replacen("/ko/", "/en/", 1))
            } else {
                ("ko", path.replacen("/en/", "/ko/", 1))
            };
            assert_eq!(editions, vec![(other.0.to_string(), server.url(&other.1))], "{path}: editions");
        } else {
            assert!(editions.is_empty(), "{path}: editions {editions:?}");
        }
    }
    // The legacy encodings are really there.
    for (page, label) in [
        ("pages/ko/garam/port.html", "euc-kr"),
        ("pages/ja/2025/senami-pier.html", "shift_jis"),
        ("pages/zh/2025/light-rail.html", "gb18030"),
    ] {
        let bytes = fixture(page);
        assert!(std::str::from_utf8(&bytes).is_err(), "{page} is not UTF-8");
        assert!(text(&bytes).contains(&format!("<meta charset=\"{label}\">")), "{page}");
    }
    let euckr = fixture("rss-euckr.xml");
    assert!(euckr.starts_with(b"<?xml version=\"1.0\" encoding=\"EUC-KR\"?>"));
    assert!(std::str::from_utf8(&euckr).is_err());
}

// =============================================================================================
// Each format becomes articles
// =============================================================================================

/// RSS 2.0 with HTML in CDATA descriptions and `content:encoded`, `edition` at its default: every
/// page is read once, for its edition (there is none here), the summary-only item's for its text; every article holds the clean text, the spec's keys, and is listed by
/// `bitext list --json` with the feed's name among its tags.
#[test]
fn rss_with_cdata_and_content_encoded_becomes_articles() {
    let server = site(&["rss-content.xml"]);
    let home = Home::new();
    home.subscribe(&format!("[[feeds]]\nname = \"cheongnam\"\nurl = \"{}\"\n", server.url("/feeds/rss-content.xml")));
    let (o, _) = home.fetch(&[]);
    let out = ok(&o);
    assert_eq!(line_for(&out, "cheongnam"), "cheongnam: 3 new articles", "{out}");
    assert!(last_line(&out).starts_with("1 feed: 3 new articles"), "{out}");

    let arts = home.articles("cheongnam");
    assert_eq!(arts.len(), 3, "{arts:#?}");
    for item in items("rss-content.xml") {
        let a = by_guid(&arts, item["key"].as_str().unwrap());
        a.check("cheongnam", "ko", "en");
        let link = item["link"].as_str().unwrap();
        assert_eq!(a.str("url"), Some(server.url(link).as_str()));
        assert_eq!(a.str("title"), item["title"].as_str());
        let want = match item["content"].as_array() {
            Some(_) => strings(&item["content"]),
            None => page_paragraphs(link),
        };
        assert_eq!(a.source, want, "{link}");
        assert!(a.translation.is_empty(), "no edition, no engine: {:?}", a.translation);
    }
    // The HTML is gone: no tag, no entity, no CDATA marker.
    let lantern = by_guid(&arts, "cheongnam-2025-0413-lantern");
    assert!(lantern.source[0].starts_with("올해로 열 번째를 맞은 청람천 등불 축제가"), "{:?}", lantern.source[0]);
    for a in &arts {
        for p in &a.source {
            assert!(!p.contains('<') && !p.contains("&lt;") && !p.contains("CDATA"), "{p}");
        }
    }
    let listed = home.list();
    assert_eq!(listed.len(), 3);
    for a in &listed {
        assert!(a["id"].as_str().unwrap().starts_with("cheongnam/"), "{a}");
        assert!(strings(&a["tags"]).contains(&"cheongnam".to_string()), "{a}");
        assert_eq!(a["source_lang"], "ko");
    }
    home.assert_library_clean();
    // Each page once: for the edition, and the summary-only item's for its text.
    assert_eq!(
        requested(&server),
        BTreeMap::from([
            ("/feeds/rss-content.xml".to_string(), 1),
            ("/ko/cheongnam/ferry-terminal.html".to_string(), 1),
            ("/ko/cheongnam/lantern-festival.html".to_string(), 1),
            ("/ko/cheongnam/tram-line.html".to_string(), 1),
        ]),
    );
}

/// An RSS file in EUC-KR (declared only in its XML declaration; the server sends no charset),
/// its HTML entity-escaped rather than in CDATA: the Korean comes out right in titles and
/// paragraphs; `edition = false`, so no page is requested (every item has `content:encoded`).
#[test]
fn euc_kr_feed_is_decoded() {
    let server = site(&["rss-euckr.xml"]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"haeoreum\"\nurl = \"{}\"\nedition = false\n",
        server.url("/feeds/rss-euckr.xml")
    ));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "haeoreum"), "haeoreum: 2 new articles", "{out}");
    let arts = home.articles("haeoreum");
    assert_eq!(arts.len(), 2);
    for item in items("rss-euckr.xml") {
        let a = by_guid(&arts, item["key"].as_str().unwrap());
        a.check("haeoreum", "ko", "en");
        assert_eq!(a.str("title"), item["title"].as_str());
        assert_eq!(a.source, strings(&item["content"]));
    }
    let market = by_guid(&arts, "haeoreum-2025-0521-market");
    assert!(market.str("title").unwrap().contains("수산시장"));
    assert!(market.source[1].contains("냉장 진열대"), "{:?}", market.source);
    assert!(market.source[3].contains("정말순 씨는 “비 오는 날이면"), "{:?}", market.source);
    let bridge = by_guid(&arts, "haeoreum-2025-0526-bridge");
    assert_eq!(bridge.source[3], "시는 조명이 처음 켜지는 날 다리 아래 둔치에서 작은 음악회를 연다.");
    home.assert_library_clean();
    assert_eq!(requested(&server), BTreeMap::from([("/feeds/rss-euckr.xml".to_string(), 1)]));
}

/// Atom with `xml:base` on the feed (absolute) and on one entry (relative to the feed's):
/// relative links resolve against it, so the pages are requested at the resolved paths (and
/// nowhere else); `edition = false`: the entry with full `<content>` is taken as it is, its page not requested;
/// the Shift_JIS page comes out right; the entry's `<id>` is the article's guid.
#[test]
fn atom_relative_links_resolve_against_xml_base() {
    let server = site(&["atom-ja.xml"]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"senami\"\nurl = \"{}\"\nedition = false\n",
        server.url("/feeds/atom-ja.xml")
    ));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "senami"), "senami: 3 new articles", "{out}");
    let seen = requested(&server);
    let arts = home.articles("senami");
    assert_eq!(arts.len(), 3);
    for item in items("atom-ja.xml") {
        let a = by_guid(&arts, item["key"].as_str().unwrap());
        a.check("senami", "ja", "en");
        let link = item["link"].as_str().unwrap();
        assert_eq!(a.str("url"), Some(server.url(link).as_str()), "{} resolves to {link}", item["href"]);
        let want = if item["content"].is_null() { page_paragraphs(link) } else { strings(&item["content"]) };
        assert_eq!(a.source, want, "{link}");
    }
    let pier = by_guid(&arts, "urn:uuid:6f1c2a8e-4d3b-4c1a-9e55-0b7a1d2c3e01");
    assert!(
        pier.source[0].starts_with("瀬波港で三年前から建設が進められていた新しいフェリー桟橋"),
        "{:?}",
        pier.source
    );
    assert_eq!(pier.str("title"), Some("瀬波港に新しいフェリー桟橋が完成"));
    home.assert_library_clean();
    assert_eq!(
        seen,
        BTreeMap::from([
            ("/feeds/atom-ja.xml".to_string(), 1),
            ("/ja/2025/senami-pier.html".to_string(), 1),
            ("/ja/kita/natsumatsuri.html".to_string(), 1),
        ]),
        "the two summary-only entries' pages, at their xml:base-resolved paths"
    );
}

/// JSON Feed 1.1 (`"language": "zh-CN"`): the item with `content_html` is taken as it is; the
/// summary-only item is read from its page (GB18030, declared by `<meta charset>`); the item's
/// `id` is the guid; the language is the primary tag, `zh`.
#[test]
fn json_feed_becomes_articles() {
    let server = site(&["feed-zh.json"]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"linjiang\"\nurl = \"{}\"\nedition = false\n",
        server.url("/feeds/feed-zh.json")
    ));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "linjiang"), "linjiang: 2 new articles", "{out}");
    let arts = home.articles("linjiang");
    assert_eq!(arts.len(), 2);
    for item in items("feed-zh.json") {
        let a = by_guid(&arts, item["key"].as_str().unwrap());
        a.check("linjiang", "zh", "en");
        let link = item["link"].as_str().unwrap();
        assert_eq!(a.str("url"), Some(server.url(link).as_str()));
        assert_eq!(a.str("title"), item["title"].as_str());
        let want = if item["content"].is_null() { page_paragraphs(link) } else { strings(&item["content"]) };
        assert_eq!(a.source, want, "{link}");
    }
    let rail = by_guid(&arts, "linjiang-2025-0603-rail");
    assert!(rail.source[0].starts_with("连接临江火车站和新港码头的轻轨一号线"), "{:?}", rail.source);
    home.assert_library_clean();
    assert_eq!(
        requested(&server),
        BTreeMap::from([("/feeds/feed-zh.json".to_string(), 1), ("/zh/2025/light-rail.html".to_string(), 1)])
    );
}

// =============================================================================================
// full_text, editions, machine translation
// =============================================================================================

/// `full_text`: `auto` reads the page of the summary-only item only when no edition is looked
/// for, and every page when one is (editions are linked from pages); `never` reads no page (the
/// summary is the article), `always` reads every page. Counted per path, with `edition` at its
/// default and (for `auto`) off; every case is run before any is judged.
#[test]
fn full_text_modes_decide_which_pages_are_fetched() {
    let lantern = "/ko/cheongnam/lantern-festival.html";
    let tram = "/ko/cheongnam/tram-line.html";
    let ferry = "/ko/cheongnam/ferry-terminal.html";
    let mut wrong = Vec::new();
    for (mode, extra, want) in [
        ("auto", "", [1, 1, 1]),
        ("never", "", [0, 0, 0]),
        ("always", "", [1, 1, 1]),
        ("auto", "edition = false\n", [0, 0, 1]),
    ] {
        let case = format!("full_text = {mode:?} {}", extra.trim());
        let server = site(&["rss-content.xml"]);
        let home = Home::new();
        home.subscribe(&format!(
            "[[feeds]]\nname = \"cheongnam\"\nurl = \"{}\"\nfull_text = \"{mode}\"\n{extra}",
            server.url("/feeds/rss-content.xml")
        ));
        let out = ok(&home.fetch(&[]).0);
        assert_eq!(line_for(&out, "cheongnam"), "cheongnam: 3 new articles", "{case}: {out}");
        let arts = home.articles("cheongnam");
        assert_eq!(arts.len(), 3, "{case}");
        for a in &arts {
            a.check("cheongnam", "ko", "en");
        }
        // Whatever the mode, the items with full content have their whole text.
        assert_eq!(by_guid(&arts, "cheongnam-2025-0415-tram").source, page_paragraphs(tram), "{case}");
        let ferry_art = by_guid(&arts, "cheongnam-2025-0418-ferry");
        if mode == "never" {
            let summary = item_by_link("rss-content.xml", ferry)["summary"].as_str().unwrap().to_string();
            assert!(ferry_art.source.contains(&summary), "{case}: the summary is the article: {:?}", ferry_art.source);
        } else {
            assert_eq!(ferry_art.source, page_paragraphs(ferry), "{case}");
        }
        let got = [count(&server, lantern), count(&server, tram), count(&server, ferry)];
        if got != want || server.requests().len() != 1 + want.iter().sum::<usize>() {
            wrong.push(format!(
                "{case}: page requests (lantern, tram, ferry) {got:?}, want {want:?}; all: {:?}",
                requested(&server)
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// With `edition` at its default (true), each item's page in Korean is read, its `hreflang="en"`
/// edition fetched and paired: the Korean paragraphs are the source, the English ones the
/// translation (one page one-to-one, the other with two Korean paragraphs merged into one
/// English); the English headline is the title and the Korean one the source title. Each page
/// is requested exactly once.
#[test]
fn editions_are_fetched_and_paired() {
    let server = site(&["rss-ko-editions.xml"]);
    let home = Home::new();
    home.subscribe(&format!("[[feeds]]\nname = \"garam\"\nurl = \"{}\"\n", server.url("/feeds/rss-ko-editions.xml")));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "garam"), "garam: 2 new articles", "{out}");
    let arts = home.articles("garam");
    assert_eq!(arts.len(), 2);
    let keys = ["garam-2025-0602-port".to_string(), server.url("/ko/garam/coast-line.html")];
    for (item, key) in items("rss-ko-editions.xml").iter().zip(keys) {
        let (ko, en) = (item["page"].as_str().unwrap(), item["edition"].as_str().unwrap());
        let a = by_guid(&arts, &key);
        a.check("garam", "ko", "en");
        assert_eq!(a.str("url"), Some(server.url(ko).as_str()));
        assert_eq!(a.source, page_paragraphs(ko), "{ko}");
        assert_eq!(a.translation, page_paragraphs(en), "{en}");
        assert_eq!(a.str("title"), expected()["pages"][en]["title"].as_str(), "the English headline");
        assert_eq!(a.str("source_title"), expected()["pages"][ko]["title"].as_str(), "the Korean headline");
        assert!(a.entries.iter().all(|(_, _, machine)| !machine), "a person's translation is not marked machine");
        // Paired, not two texts one after the other: most groups hold one of each.
        let pairs = a.entries.iter().filter(|(s, t, _)| s.is_some() && t.is_some()).count();
        assert!(pairs >= page_paragraphs(en).len() - 1, "{ko}: {:?}", a.entries);
        assert_eq!(count(&server, ko), 1, "{ko}");
        assert_eq!(count(&server, en), 1, "{en}");
    }
    let port = by_guid(&arts, "garam-2025-0602-port");
    assert!(port.source[0].starts_with("가람신항 2부두가 2일 개장했다."), "EUC-KR page: {:?}", port.source[0]);
    assert!(port.translation[0].starts_with("Garam New Port opened its second terminal on Monday."));
    assert_eq!(server.requests().len(), 5, "{:?}", requested(&server));
    home.assert_library_clean();
}

/// `edition = false`: the Korean pages are read, their English editions never requested, and
/// the articles are source only.
#[test]
fn edition_false_keeps_the_source_only() {
    let server = site(&["rss-ko-editions.xml"]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"garam\"\nurl = \"{}\"\nedition = false\n",
        server.url("/feeds/rss-ko-editions.xml")
    ));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "garam"), "garam: 2 new articles", "{out}");
    for a in home.articles("garam") {
        a.check("garam", "ko", "en");
        assert!(a.translation.is_empty(), "{:?}", a.translation);
    }
    assert_eq!(count(&server, "/en/garam/port.html") + count(&server, "/en/garam/coast-line.html"), 0);
    assert_eq!(count(&server, "/ko/garam/port.html"), 1);
    assert_eq!(count(&server, "/ko/garam/coast-line.html"), 1);
}

/// `translate = "apertium"` on a Spanish feed with no editions: every paragraph is
/// machine-translated into English by the real apertium (es→en) and marked `machine = true`.
#[test]
fn apertium_translates_what_has_no_edition() {
    if !apertium_available() {
        eprintln!("note: apertium is not on PATH; skipping apertium_translates_what_has_no_edition (CI has it)");
        return;
    }
    let server = site(&["rss-es.xml"]);
    let home = Home::new();
    let url = server.url("/feeds/rss-es.xml");
    let out = ok(&home.run(&["feed", "add", &url, "--name", "puertoalba", "--translate", "apertium"]));
    assert_eq!(out, format!("subscribed puertoalba ({url})\n"));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "puertoalba"), "puertoalba: 2 new articles", "{out}");
    let arts = home.articles("puertoalba");
    assert_eq!(arts.len(), 2);
    for item in items("rss-es.xml") {
        let a = by_guid(&arts, item["key"].as_str().unwrap());
        a.check("puertoalba", "es", "en");
        assert_eq!(a.source, strings(&item["content"]));
        assert_eq!(a.translation.len(), a.source.len(), "every paragraph translated: {:?}", a.entries);
        for (s, t, machine) in &a.entries {
            assert!(*machine, "machine = true on {s:?}");
            assert!(t.as_deref().is_some_and(|t| !t.is_empty() && Some(t) != s.as_deref()), "{s:?} → {t:?}");
        }
    }
    for item in items("rss-es.xml") {
        // No edition: the headline is machine-translated too, the original kept beside it.
        let a = by_guid(&arts, item["key"].as_str().unwrap());
        assert_eq!(a.str("source_title"), item["title"].as_str());
        assert_ne!(a.str("title"), item["title"].as_str());
    }
    let ferry = by_guid(&arts, "puertoalba-2025-0707-ferry");
    let t0 = ferry.translation[0].to_lowercase();
    assert!(t0.contains("ferry") && t0.contains("island") && t0.contains("forty minutes"), "{t0}");
    assert!(ferry.translation[1].to_lowercase().contains("passengers"), "{}", ferry.translation[1]);
    assert!(!ferry.translation[0].contains("inauguró"), "{}", ferry.translation[0]);
    home.assert_library_clean();
    // Each page was asked for once, for an edition (there is none: 404), and the item's own
    // content made the article.
    let mut want = BTreeMap::from([("/feeds/rss-es.xml".to_string(), 1)]);
    for item in items("rss-es.xml") {
        want.insert(item["link"].as_str().unwrap().to_string(), 1);
    }
    assert_eq!(requested(&server), want);
}

// =============================================================================================
// Known items, conditional requests
// =============================================================================================

/// The second fetch sends `If-None-Match` with the first response's ETag and
/// `If-Modified-Since` with its Last-Modified; the 304 changes no file of the library (bytes
/// and modification times) and fetches no page; the feed says `not modified`.
#[test]
fn conditional_get_and_not_modified() {
    let etag = "\"garam-v1-8d1c\"";
    let modified = "Mon, 02 Jun 2025 03:00:00 GMT";
    let not_modified =
        Reply { status: 304, headers: vec![("ETag".into(), etag.into())], body: Vec::new(), delay: None };
    let mut routes = pages();
    routes.push(feed_route(
        "rss-ko-editions.xml",
        vec![feed("rss-ko-editions.xml").header("ETag", etag).header("Last-Modified", modified), not_modified],
    ));
    let server = serve(routes);
    let home = Home::new();
    home.subscribe(&format!("[[feeds]]\nname = \"garam\"\nurl = \"{}\"\n", server.url("/feeds/rss-ko-editions.xml")));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "garam"), "garam: 2 new articles", "{out}");
    assert_eq!(server.requests().len(), 5);
    let state: Value = serde_json::from_slice(&std::fs::read(home.feeds_json()).expect("feeds.json written"))
        .expect("feeds.json is JSON");
    assert!(!state.is_null());
    let before = home.snapshot();
    assert_eq!(before.len(), 2);

    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "garam"), "garam: not modified", "{out}");
    assert!(last_line(&out).starts_with("1 feed:"), "{out}");
    let feeds: Vec<Seen> = server.requests().into_iter().filter(|r| r.path == "/feeds/rss-ko-editions.xml").collect();
    assert_eq!(feeds.len(), 2);
    assert_eq!(feeds[0].header("if-none-match"), None);
    assert_eq!(feeds[0].header("if-modified-since"), None);
    assert_eq!(feeds[1].header("if-none-match"), Some(etag), "{:?}", feeds[1].headers);
    assert_eq!(feeds[1].header("if-modified-since"), Some(modified), "{:?}", feeds[1].headers);
    assert_eq!(server.requests().len(), 6, "only the feed again: {:?}", requested(&server));
    assert_eq!(home.snapshot(), before, "a 304 changes no file");
}

/// An item already in the library is not fetched again: with no validators the feed comes back
/// whole, and the second fetch requests no page and changes no file.
#[test]
fn known_items_are_not_fetched_again() {
    let server = site(&["rss-ko-editions.xml"]);
    let home = Home::new();
    home.subscribe(&format!("[[feeds]]\nname = \"garam\"\nurl = \"{}\"\n", server.url("/feeds/rss-ko-editions.xml")));
    ok(&home.fetch(&[]).0);
    let before = home.snapshot();
    assert_eq!(before.len(), 2);
    for _ in 0..2 {
        let out = ok(&home.fetch(&[]).0);
        assert!(says_nothing_new(&line_for(&out, "garam")), "{out}");
    }
    for page in ["/ko/garam/port.html", "/en/garam/port.html", "/ko/garam/coast-line.html", "/en/garam/coast-line.html"]
    {
        assert_eq!(count(&server, page), 1, "{page} requested once over three fetches");
    }
    assert_eq!(count(&server, "/feeds/rss-ko-editions.xml"), 3);
    assert_eq!(home.snapshot(), before);
}

/// Two items with one GUID make one article, in this fetch and the next.
#[test]
fn duplicate_guids_make_one_article() {
    let server = site(&["rss-dup-guid.xml"]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"nuri\"\nurl = \"{}\"\nedition = false\n",
        server.url("/feeds/rss-dup-guid.xml")
    ));
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "nuri"), "nuri: 2 new articles", "{out}");
    let arts = home.articles("nuri");
    assert_eq!(arts.len(), 2, "{:?}", arts.iter().map(|a| &a.path).collect::<Vec<_>>());
    let market = by_guid(&arts, "nuri-2025-0701-market");
    market.check("nuri", "ko", "en");
    assert!(market.source[0].starts_with("누리 새벽시장이 이달부터"), "{:?}", market.source);
    by_guid(&arts, "nuri-2025-0702-park").check("nuri", "ko", "en");
    let out = ok(&home.fetch(&[]).0);
    assert!(says_nothing_new(&line_for(&out, "nuri")), "{out}");
    assert_eq!(home.articles("nuri").len(), 2);
    assert_eq!(server.requests().len(), 2, "the feed twice, no page: {:?}", requested(&server));
}

/// A guid-less item is known by its link, never by its title: when its title changes between
/// two fetches it is still one article (in the same file), and the new item beside it is added.
#[test]
fn a_guidless_item_whose_title_changes_stays_one_article() {
    let mut routes = pages();
    routes.push(("/feeds/solmoe.xml".into(), vec![feed("rss-noguid-v1.xml"), feed("rss-noguid-v2.xml")]));
    let server = serve(routes);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"solmoe\"\nurl = \"{}\"\nedition = false\n",
        server.url("/feeds/solmoe.xml")
    ));
    let out = ok(&home.fetch(&[]).0);
    assert!(line_for(&out, "solmoe").starts_with("solmoe: 1 new article"), "{out}");
    let first = home.articles("solmoe");
    assert_eq!(first.len(), 1);
    first[0].check("solmoe", "ko", "en");
    let bridge_url = server.url("/ko/solmoe/bridge.html");
    assert_eq!(first[0].str("url"), Some(bridge_url.as_str()));
    assert_eq!(first[0].str("title"), Some("솔뫼섬 연결 다리 개통 연기"));

    let out = ok(&home.fetch(&[]).0);
    assert!(line_for(&out, "solmoe").starts_with("solmoe: 1 new article"), "only the school is new: {out}");
    let second = home.articles("solmoe");
    assert_eq!(second.len(), 2, "{:?}", second.iter().map(|a| &a.path).collect::<Vec<_>>());
    let bridges = by_url(&second, &bridge_url);
    assert_eq!(bridges.len(), 1, "one article for the bridge");
    assert_eq!(bridges[0].path, first[0].path, "the same file");
    assert_eq!(bridges[0].str("guid"), first[0].str("guid"), "the same key");
    let school = by_url(&second, &server.url("/ko/solmoe/school.html"));
    assert_eq!(school.len(), 1);
    assert_eq!(school[0].source, strings(&item_by_link("rss-noguid-v2.xml", "/ko/solmoe/school.html")["content"]));
    assert_eq!(server.requests().len(), 2, "no page: {:?}", requested(&server));
}

// =============================================================================================
// 429, failures
// =============================================================================================

/// A 429 with `Retry-After: 3600` fails that feed with the wait in its line, and the next fetch
/// does not contact that server at all and says the feed is waiting; the other feed goes on.
#[test]
fn a_long_retry_after_fails_the_feed_and_the_next_fetch_waits() {
    let busy = serve(vec![feed_route("rss-ko-editions.xml", vec![Reply::status(429).header("Retry-After", "3600")])]);
    let fine = site(&["rss-content.xml"]);
    let home = Home::new();
    let busy_url = busy.url("/feeds/rss-ko-editions.xml");
    home.subscribe(&format!(
        "[[feeds]]\nname = \"garam\"\nurl = \"{busy_url}\"\n\n[[feeds]]\nname = \"cheongnam\"\nurl = \"{}\"\nedition = false\n",
        fine.url("/feeds/rss-content.xml")
    ));
    let (o, took) = home.fetch(&[]);
    let out = ok(&o);
    let garam = line_for(&out, "garam");
    assert!(garam.starts_with("garam: failed: "), "{out}");
    assert!(garam.contains(&busy_url) && garam.contains("429") && garam.contains("3600"), "{garam}");
    assert_eq!(line_for(&out, "cheongnam"), "cheongnam: 3 new articles", "{out}");
    assert_eq!(last_line(&out), "2 feeds: 3 new articles, 1 feed failed", "{out}");
    assert!(took < Duration::from_secs(5), "a long wait is not waited: {took:?}");
    assert_eq!(busy.requests().len(), 1);
    let listed = home.feed_list();
    let g = listed.iter().find(|f| f["name"] == "garam").unwrap();
    assert!(g["last_error"].as_str().is_some_and(|e| e.contains("3600")), "{g}");

    let out = ok(&home.fetch(&[]).0);
    assert_eq!(busy.requests().len(), 1, "the server asked to wait: not contacted again");
    let garam = line_for(&out, "garam");
    assert!(garam.to_lowercase().contains("wait"), "{garam}");
    assert!(says_nothing_new(&line_for(&out, "cheongnam")), "{out}");
    assert_eq!(home.articles("garam").len(), 0);
    assert_eq!(home.articles("cheongnam").len(), 3);
    assert_eq!(fine.requests().len(), 3, "feed + one page, then the feed: {:?}", requested(&fine));
}

/// A 429 with `Retry-After: 1` is waited out once, and the fetch succeeds.
#[test]
fn a_short_retry_after_is_waited_out_once() {
    let mut routes = pages();
    routes.push(feed_route(
        "rss-content.xml",
        vec![Reply::status(429).header("Retry-After", "1"), feed("rss-content.xml")],
    ));
    let server = serve(routes);
    let home = Home::new();
    home.subscribe(&format!("[[feeds]]\nname = \"cheongnam\"\nurl = \"{}\"\n", server.url("/feeds/rss-content.xml")));
    let (o, took) = home.fetch(&[]);
    let out = ok(&o);
    assert_eq!(line_for(&out, "cheongnam"), "cheongnam: 3 new articles", "{out}");
    assert!(took >= Duration::from_secs(1), "waited: {took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(count(&server, "/feeds/rss-content.xml"), 2, "one wait, one retry");
    assert_eq!(home.articles("cheongnam").len(), 3);
}

/// A 500, malformed XML and a server that stalls past `[web] timeout = 2`: each of those feeds'
/// lines says failed with its URL (and the 500 its status), the good feed in the same run still
/// makes its articles, the summary counts both, exit 0; nothing half-written in the library;
/// `feed list --json` has `last_error` for the failed feeds only.
#[test]
fn failures_are_reported_and_the_other_feeds_proceed() {
    let mut routes = pages();
    routes.push(feed_route("rss-content.xml", vec![feed("rss-content.xml")]));
    routes.push(("/feeds/error.xml".into(), vec![Reply::status(500)]));
    routes.push(feed_route("malformed.xml", vec![feed("malformed.xml")]));
    routes.push(("/feeds/stall.xml".into(), vec![feed("rss-dup-guid.xml").delayed(Duration::from_secs(6))]));
    let server = serve(routes);
    let home = Home::new();
    let urls: Vec<(&str, String)> = vec![
        ("cheongnam", server.url("/feeds/rss-content.xml")),
        ("oops", server.url("/feeds/error.xml")),
        ("garbled", server.url("/feeds/malformed.xml")),
        ("stalled", server.url("/feeds/stall.xml")),
    ];
    home.subscribe(
        &urls.iter().map(|(n, u)| format!("[[feeds]]\nname = \"{n}\"\nurl = \"{u}\"\n\n")).collect::<String>(),
    );
    let config = home.config("[web]\ntimeout = 2\n");
    let (o, took) = home.fetch(&["--config", config.to_str().unwrap()]);
    let out = ok(&o);
    eprintln!("fetch with a stalled feed took {took:?}");
    assert!(took < Duration::from_secs(10), "the stalled feed is given up on: {took:?}");
    assert_eq!(line_for(&out, "cheongnam"), "cheongnam: 3 new articles", "{out}");
    for (name, url) in &urls[1..] {
        let line = line_for(&out, name);
        assert!(line.starts_with(&format!("{name}: failed: ")), "{out}");
        assert!(line.contains(url.as_str()), "{line} names {url}");
    }
    assert!(line_for(&out, "oops").contains("500"), "{out}");
    assert_eq!(last_line(&out), "4 feeds: 3 new articles, 3 feeds failed", "{out}");
    assert_eq!(out.lines().count(), 5, "a line per feed and the summary:\n{out}");
    assert_eq!(home.articles("cheongnam").len(), 3);
    for (name, _) in &urls[1..] {
        assert!(home.articles(name).is_empty(), "{name}");
    }
    home.assert_library_clean();

    let listed = home.feed_list();
    assert_eq!(listed.len(), 4);
    for f in &listed {
        let name = f["name"].as_str().unwrap();
        if name == "cheongnam" {
            assert!(f["last_error"].is_null(), "{f}");
            assert_eq!(f["articles"], 3, "{f}");
        } else {
            let url = &urls.iter().find(|(n, _)| *n == name).unwrap().1;
            assert!(f["last_error"].as_str().is_some_and(|e| e.contains(url.as_str())), "{f}");
            assert_eq!(f["articles"], 0, "{f}");
        }
    }
}

/// When every feed fails, the exit status is 1.
#[test]
fn every_feed_failing_exits_1() {
    let server = serve(vec![
        ("/feeds/error.xml".into(), vec![Reply::status(500)]),
        feed_route("malformed.xml", vec![feed("malformed.xml")]),
    ]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"oops\"\nurl = \"{}\"\n\n[[feeds]]\nname = \"garbled\"\nurl = \"{}\"\n",
        server.url("/feeds/error.xml"),
        server.url("/feeds/malformed.xml")
    ));
    let (o, _) = home.fetch(&[]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(line_for(&out, "oops").starts_with("oops: failed: "), "{out}");
    assert!(line_for(&out, "garbled").starts_with("garbled: failed: "), "{out}");
    assert_eq!(last_line(&out), "2 feeds: 0 new articles, 2 feeds failed", "{out}");
    assert!(toml_files(home.lib()).is_empty());
    assert_eq!(server.requests().len(), 2);
}

/// `--quiet`: nothing on stdout, the failure (with its URL) on stderr and nothing else there;
/// the articles are still made; exit 0 since one feed worked.
#[test]
fn quiet_prints_only_errors() {
    let mut routes = pages();
    routes.push(feed_route("rss-content.xml", vec![feed("rss-content.xml")]));
    routes.push(("/feeds/error.xml".into(), vec![Reply::status(500)]));
    let server = serve(routes);
    let home = Home::new();
    let bad = server.url("/feeds/error.xml");
    home.subscribe(&format!(
        "[[feeds]]\nname = \"cheongnam\"\nurl = \"{}\"\n\n[[feeds]]\nname = \"oops\"\nurl = \"{bad}\"\n",
        server.url("/feeds/rss-content.xml")
    ));
    let (o, _) = home.fetch(&["--quiet"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "", "nothing on stdout");
    let err = text(&o.stderr);
    assert!(err.contains(&bad) && err.contains("500"), "{err}");
    assert!(!err.contains("cheongnam") && !err.contains("new article"), "errors only: {err}");
    assert_eq!(home.articles("cheongnam").len(), 3);
}

/// `bitext fetch NAME` fetches that feed only: the other's server is not contacted.
#[test]
fn fetch_names_feeds() {
    let a = site(&["rss-content.xml"]);
    let b = site(&["rss-euckr.xml"]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"cheongnam\"\nurl = \"{}\"\nedition = false\n\n[[feeds]]\nname = \"haeoreum\"\nurl = \"{}\"\nedition = false\n",
        a.url("/feeds/rss-content.xml"),
        b.url("/feeds/rss-euckr.xml")
    ));
    let out = ok(&home.fetch(&["haeoreum"]).0);
    assert_eq!(line_for(&out, "haeoreum"), "haeoreum: 2 new articles", "{out}");
    assert!(!out.contains("cheongnam"), "{out}");
    assert!(last_line(&out).starts_with("1 feed: 2 new articles"), "{out}");
    assert_eq!(a.requests().len(), 0);
    let b_seen = requested(&b);
    assert_eq!(home.articles("cheongnam").len(), 0);
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "cheongnam"), "cheongnam: 3 new articles", "{out}");
    assert!(says_nothing_new(&line_for(&out, "haeoreum")), "{out}");
    assert_eq!(b_seen, BTreeMap::from([("/feeds/rss-euckr.xml".to_string(), 1)]), "the named feed only, no page");
}

// =============================================================================================
// Scale
// =============================================================================================

/// A feed of 5,000 items with `full_text = "never"`: one run makes 5,000 articles, the next
/// adds none. Both runs' timings are printed (`--nocapture`); the aim is ~10 s a run in a debug
/// build.
#[test]
fn five_thousand_items() {
    const N: usize = 5_000;
    let base = 1_750_000_000;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>가람시 알림판</title>\n<link>{{ORIGIN}}/bulk/</link>\n<description>가람시의 모든 공지</description>\n<language>ko</language>\n",
    );
    for i in 0..N {
        body.push_str(&format!(
            "<item><title>가람시 알림 {i}호: 동네 소식</title><link>{{{{ORIGIN}}}}/bulk/{i}.html</link><guid isPermaLink=\"false\">bulk-{i}</guid><pubDate>{}</pubDate><description><![CDATA[<p>가람시 {i}번째 알림입니다. 주민센터 운영 시간이 바뀝니다.</p>]]></description></item>\n",
            rfc822(base - i as i64 * 60)
        ));
    }
    body.push_str("</channel>\n</rss>\n");
    let server = serve(vec![("/feeds/bulk.xml".into(), vec![Reply::ok("application/rss+xml", body)])]);
    let home = Home::new();
    home.subscribe(&format!(
        "[[feeds]]\nname = \"bulk\"\nurl = \"{}\"\nfull_text = \"never\"\n",
        server.url("/feeds/bulk.xml")
    ));
    let (o, first) = home.fetch(&[]);
    let out = ok(&o);
    eprintln!("5,000 items: first fetch {first:?}");
    assert_eq!(line_for(&out, "bulk"), format!("bulk: {N} new articles"), "{out}");
    let files = toml_files(&home.lib().join("bulk"));
    assert_eq!(files.len(), N);
    let one = Art::read(&files[0]);
    one.check("bulk", "ko", "en");
    assert!(one.source[0].contains("번째 알림입니다."), "{:?}", one.source);
    let guids: BTreeSet<String> = files
        .iter()
        .map(|p| {
            let t: toml::Table = std::fs::read_to_string(p).unwrap().parse().unwrap();
            t["guid"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(guids.len(), N, "every item its own article");

    let (o, second) = home.fetch(&[]);
    let out = ok(&o);
    eprintln!("5,000 items: second fetch {second:?}");
    assert!(says_nothing_new(&line_for(&out, "bulk")), "{out}");
    assert_eq!(toml_files(&home.lib().join("bulk")).len(), N);
    assert_eq!(server.requests().len(), 2, "no page");
    // A guard against a hang or a quadratic pass, not the target: the target is ~10 s a run in a
    // debug build (see the timings printed above).
    assert!(first < Duration::from_secs(120) && second < Duration::from_secs(120), "{first:?}, {second:?}");
}

// =============================================================================================
// Retention
// =============================================================================================

/// Five items, two recent and three older than 30 days, fetched; the oldest is starred; then
/// `keep_days = 30`: the next fetch removes the two old unstarred articles and keeps the
/// starred one untouched; a third fetch does not bring anything back.
#[test]
fn keep_days_removes_old_articles_but_never_starred_ones() {
    let now = now_secs();
    let day = 86_400;
    let ages = [1, 2, 40, 50, 60];
    retention(
        &ages.map(|d| now - d * day),
        "keep_days = 30",
        // Kept: the two recent ones and the starred 60-day-old one.
        &[0, 1, 4],
    );
}

/// Five items one to five days old, fetched; the oldest is starred; then `max_articles = 2`:
/// the next fetch keeps the two newest and the starred one (starred articles are not counted).
#[test]
fn max_articles_keeps_the_newest_and_every_starred_one() {
    let now = now_secs();
    let day = 86_400;
    retention(&[1, 2, 3, 4, 5].map(|d| now - d * day), "max_articles = 2", &[0, 1, 4]);
}

/// Items dated `dates` (the last is starred after the first fetch); `setting` added to the feed
/// before the second; `kept` the indexes that must remain.
fn retention(dates: &[i64], setting: &str, kept: &[usize]) {
    let stories = ["새 도서관 개관", "시장 주차장 확장", "버스 노선 개편", "하천 정비 완료", "공원 야간 개방"];
    let items: Vec<(String, String, String, i64)> = dates
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("keep-{i}"), format!("/ko/keep/{i}.html"), format!("가람시 {}", stories[i]), *d))
        .collect();
    let server = serve(vec![(
        "/feeds/keep.xml".into(),
        vec![Reply::ok("application/rss+xml", korean_rss("가람시 소식", &items))],
    )]);
    let home = Home::new();
    let sub =
        format!("[[feeds]]\nname = \"keep\"\nurl = \"{}\"\nfull_text = \"never\"\n", server.url("/feeds/keep.xml"));
    home.subscribe(&sub);
    let out = ok(&home.fetch(&[]).0);
    assert_eq!(line_for(&out, "keep"), "keep: 5 new articles", "{out}");
    assert_eq!(home.articles("keep").len(), 5);

    // Star the oldest through state.json.
    let oldest_url = server.url(&items[4].1);
    let listed = home.list();
    let oldest = listed.iter().find(|a| a["url"] == oldest_url.as_str()).unwrap_or_else(|| panic!("{listed:?}"));
    let id = oldest["id"].as_str().unwrap().to_string();
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
    let starred = bitext::state::ArticleState {
        read: false,
        starred: true,
        position: 0,
        updated: ms,
        read_at: 0,
        starred_at: ms,
        position_at: 0,
    };
    bitext::state::write_changes(&home.state_json(), &bitext::state::Changes([(id.clone(), starred)].into())).unwrap();
    assert_eq!(home.list().iter().find(|a| a["id"] == id.as_str()).unwrap()["starred"], true);
    let starred_file = by_guid(&home.articles("keep"), "keep-4").path.clone();
    let starred_bytes = std::fs::read(&starred_file).unwrap();

    home.subscribe(&format!("{sub}{setting}\n"));
    let want: BTreeSet<String> = kept.iter().map(|i| format!("keep-{i}")).collect();
    for round in ["second", "third"] {
        let out = ok(&home.fetch(&[]).0);
        let _ = line_for(&out, "keep");
        let guids: BTreeSet<String> =
            home.articles("keep").iter().map(|a| a.str("guid").unwrap().to_string()).collect();
        assert_eq!(guids, want, "{round} fetch with {setting}:\n{out}");
        assert_eq!(std::fs::read(&starred_file).unwrap(), starred_bytes, "the starred article is untouched");
    }
    assert_eq!(requested(&server), BTreeMap::from([("/feeds/keep.xml".to_string(), 3)]), "the feed, once a fetch");
    home.assert_library_clean();
}

// =============================================================================================
// feed add / list / remove
// =============================================================================================

/// `feed add URL` fetches the feed once to name it from its title, prints `subscribed NAME
/// (URL)`; the same URL again is refused (exit 1, a message, feeds.toml unchanged), with or
/// without another name.
#[test]
fn feed_add_names_the_feed_from_its_title_and_refuses_a_second_subscription() {
    let server = site(&["rss-en.xml"]);
    let home = Home::new();
    let url = server.url("/feeds/rss-en.xml");
    let out = ok(&home.run(&["feed", "add", &url]));
    assert_eq!(out, format!("subscribed lowmoor-courier-transport ({url})\n"));
    assert_eq!(server.requests().len(), 1, "fetched once, to name it");
    let written = std::fs::read(home.feeds_toml()).expect("feeds.toml written");
    let parsed: toml::Table = text(&written).parse().unwrap();
    let feeds = parsed["feeds"].as_array().unwrap();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0]["url"].as_str(), Some(url.as_str()));
    assert_eq!(feeds[0]["name"].as_str(), Some("lowmoor-courier-transport"));
    assert!(toml_files(home.lib()).is_empty(), "subscribing fetches no article");

    for args in [vec!["feed", "add", url.as_str()], vec!["feed", "add", url.as_str(), "--name", "other"]] {
        let o = home.run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o.stdout));
        assert!(!text(&o.stderr).trim().is_empty(), "a message on stderr");
        assert_eq!(text(&o.stdout), "");
        assert_eq!(std::fs::read(home.feeds_toml()).unwrap(), written, "feeds.toml unchanged");
    }
}

/// `feed list --json`: one object per feed with (at least) the spec's keys; the options given to
/// `feed add`; `last_fetch` null until fetched, then an RFC 3339 date-time; `articles` counted.
#[test]
fn feed_list_json_fields() {
    let server = site(&["rss-ko-editions.xml", "rss-euckr.xml"]);
    let home = Home::new();
    let garam = server.url("/feeds/rss-ko-editions.xml");
    let haeoreum = server.url("/feeds/rss-euckr.xml");
    ok(&home.run(&[
        "feed",
        "add",
        &garam,
        "--name",
        "garam",
        "--source-lang",
        "ko",
        "--target-lang",
        "en",
        "--full-text",
        "always",
        "--tag",
        "korea",
        "--tag",
        "port city",
    ]));
    ok(&home.run(&["feed", "add", &haeoreum, "--name", "haeoreum"]));
    let keys: BTreeSet<&str> = [
        "name",
        "url",
        "source_lang",
        "target_lang",
        "full_text",
        "edition",
        "translate",
        "tags",
        "last_fetch",
        "last_error",
        "articles",
    ]
    .into();
    let listed = home.feed_list();
    assert_eq!(listed.len(), 2, "{listed:?}");
    for f in &listed {
        let got: BTreeSet<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(got.is_superset(&keys), "missing {:?} in {f}", keys.difference(&got).collect::<Vec<_>>());
        assert!(f["last_fetch"].is_null(), "never fetched: {f}");
        assert!(f["last_error"].is_null(), "{f}");
        assert_eq!(f["articles"], 0);
    }
    let g = &listed[0];
    assert_eq!(g["name"], "garam");
    assert_eq!(g["url"], garam.as_str());
    assert_eq!(g["source_lang"], "ko");
    assert_eq!(g["target_lang"], "en");
    assert_eq!(g["full_text"], "always");
    assert_eq!(g["edition"], true);
    assert!(g["translate"].is_null(), "{g}");
    assert_eq!(strings(&g["tags"]), ["korea", "port city"]);
    let h = &listed[1];
    assert_eq!(h["name"], "haeoreum");
    assert_eq!(h["full_text"], "auto");
    assert_eq!(h["edition"], true);
    assert_eq!(strings(&h["tags"]), Vec::<String>::new());

    let out = ok(&home.fetch(&["garam"]).0);
    assert_eq!(line_for(&out, "garam"), "garam: 2 new articles", "{out}");
    let listed = home.feed_list();
    let g = listed.iter().find(|f| f["name"] == "garam").unwrap();
    let when = g["last_fetch"].as_str().unwrap_or_else(|| panic!("last_fetch after a fetch: {g}"));
    let parsed: toml::value::Datetime = when.parse().unwrap_or_else(|e| panic!("{when:?} is not RFC 3339: {e}"));
    assert!(parsed.date.is_some() && parsed.time.is_some() && parsed.offset.is_some(), "{when}");
    assert!(g["last_error"].is_null());
    assert_eq!(g["articles"], 2);
    let h = listed.iter().find(|f| f["name"] == "haeoreum").unwrap();
    assert!(h["last_fetch"].is_null() && h["articles"] == 0, "{h}");
}

/// `feed remove NAME`: exit 0, gone from feeds.toml and the list, its articles stay; an unknown
/// name is exit 2 with a message naming it, and changes nothing.
#[test]
fn feed_remove_keeps_the_articles() {
    let server = site(&["rss-content.xml", "rss-euckr.xml"]);
    let home = Home::new();
    let cheongnam = server.url("/feeds/rss-content.xml");
    let haeoreum = server.url("/feeds/rss-euckr.xml");
    home.subscribe(&format!(
        "# my feeds\n[[feeds]]\nname = \"cheongnam\"\nurl = \"{cheongnam}\"\nedition = false\n\n[[feeds]]\nname = \"haeoreum\"\nurl = \"{haeoreum}\"\nedition = false\n"
    ));
    ok(&home.fetch(&[]).0);
    let articles = home.snapshot();
    assert_eq!(articles.len(), 5);

    ok(&home.run(&["feed", "remove", "haeoreum"]));
    let toml = std::fs::read_to_string(home.feeds_toml()).unwrap();
    assert!(!toml.contains(&haeoreum) && !toml.contains("\"haeoreum\""), "{toml}");
    assert!(toml.contains(&cheongnam), "{toml}");
    let names: Vec<String> = home.feed_list().iter().map(|f| f["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["cheongnam"]);
    assert_eq!(home.snapshot(), articles, "the articles stay");
    assert_eq!(home.articles("haeoreum").len(), 2);

    let o = home.run(&["feed", "remove", "no-such-feed"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("no-such-feed"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(home.feeds_toml()).unwrap(), toml);
    assert_eq!(server.requests().len(), 3, "two feeds and one page: {:?}", requested(&server));
}

// =============================================================================================
// OPML and newsboat
// =============================================================================================

/// Checks `xml` is well-formed and returns the attributes of every `<outline>` with an
/// `xmlUrl`, in order.
fn opml_feeds(xml: &str) -> Vec<BTreeMap<String, String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{xml}")) {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "outline" => {
                let attrs: BTreeMap<String, String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let value = a.normalized_value(quick_xml::XmlVersion::default()).unwrap().into_owned();
                        (a.key.as_ref().to_string(), value)
                    })
                    .collect();
                if attrs.contains_key("xmlUrl") {
                    out.push(attrs);
                }
            }
            _ => {}
        }
    }
    out
}

/// `feed list --json` without the keys that depend on fetching, by name.
fn subscriptions(home: &Home) -> BTreeMap<String, Value> {
    home.feed_list()
        .into_iter()
        .map(|mut f| {
            let o = f.as_object_mut().unwrap();
            for k in ["last_fetch", "last_error", "articles"] {
                assert!(o.remove(k).is_some(), "{k}");
            }
            (o["name"].as_str().unwrap().to_string(), f)
        })
        .collect()
}

/// `feed export` prints OPML 2.0 with every feed; importing it into a fresh home gives the same
/// `feed list --json` (less last_fetch, last_error, articles): names, languages, full_text,
/// edition, translate and tags — Korean names and tags with `&`, `<` and quotes included.
#[test]
fn opml_export_then_import_round_trips() {
    let server = site(&["rss-content.xml", "atom-ja.xml", "rss-es.xml", "feed-zh.json"]);
    let home = Home::new();
    home.subscribe(&format!(
        r#"[[feeds]]
url = "{}"
name = "청람-지역"
source_lang = "ko"
target_lang = "en"
tags = ["korea", "R&D <local>"]

[[feeds]]
url = "{}"
name = "senami"
full_text = "always"
edition = false

[[feeds]]
url = "{}"
name = "puertoalba"
source_lang = "es"
full_text = "never"
translate = "apertium"
tags = ["spain", "\"quoted\" tag"]

[[feeds]]
url = "{}"
name = "linjiang"
"#,
        server.url("/feeds/rss-content.xml"),
        server.url("/feeds/atom-ja.xml"),
        server.url("/feeds/rss-es.xml"),
        server.url("/feeds/feed-zh.json"),
    ));
    let before = subscriptions(&home);
    assert_eq!(before.len(), 4);

    let o = home.run(&["feed", "export"]);
    let opml = ok(&o);
    assert!(opml.trim_start().starts_with("<?xml"), "{opml}");
    assert!(opml.contains("<opml version=\"2.0\""), "{opml}");
    let outlines = opml_feeds(&opml);
    let urls: BTreeSet<&str> = outlines.iter().map(|a| a["xmlUrl"].as_str()).collect();
    let want: BTreeSet<String> = before.values().map(|f| f["url"].as_str().unwrap().to_string()).collect();
    assert_eq!(urls, want.iter().map(String::as_str).collect(), "{opml}");
    assert_eq!(server.requests().len(), 0, "exporting fetches nothing");

    let fresh = Home::new();
    let file = fresh.home.path().join("exported.opml");
    std::fs::write(&file, &opml).unwrap();
    let out = ok(&fresh.run(&["feed", "import", file.to_str().unwrap()]));
    assert_eq!(subscriptions(&fresh), before, "the same subscriptions after export → import");
    assert!(
        requested(&server).keys().all(|p| p.starts_with("/feeds/")),
        "importing reads no page: {:?}",
        requested(&server)
    );
    assert!(out.starts_with("imported 4 feeds into "), "{out}");
}

/// OPML from another reader (2.0, nested folders) and OPML 1.0: every outline with a feed
/// address is imported; the gopher one is skipped with a message on stderr.
#[test]
fn opml_files_from_other_readers_import() {
    let server = site(&["rss-content.xml", "rss-ko-editions.xml", "atom-ja.xml", "rss-es.xml", "rss-en.xml"]);
    let served = |name: &str| {
        let home_file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(home_file.path(), replace_all(&fixture(name), PLACEHOLDER, server.origin().as_bytes())).unwrap();
        home_file
    };
    let home = Home::new();
    let v2 = served("subscriptions.opml");
    let o = home.run(&["feed", "import", v2.path().to_str().unwrap()]);
    let imported_v2 = ok(&o);
    assert!(text(&o.stderr).contains("gopher://127.0.0.1/1/feed"), "the skipped outline: {}", text(&o.stderr));
    let listed = home.feed_list();
    let urls: BTreeSet<String> = listed.iter().map(|f| f["url"].as_str().unwrap().to_string()).collect();
    let want: BTreeSet<String> = ["rss-content.xml", "rss-ko-editions.xml", "atom-ja.xml", "rss-es.xml"]
        .iter()
        .map(|f| server.url(&format!("/feeds/{f}")))
        .collect();
    assert_eq!(urls, want);
    let names: BTreeSet<&str> = listed.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 4, "every feed its own name: {names:?}");
    assert!(names.iter().all(|n| !n.is_empty() && !n.contains('/')), "{names:?}");

    let home = Home::new();
    let v1 = served("subscriptions-v1.opml");
    let imported_v1 = ok(&home.run(&["feed", "import", v1.path().to_str().unwrap()]));
    let urls: BTreeSet<String> = home.feed_list().iter().map(|f| f["url"].as_str().unwrap().to_string()).collect();
    assert_eq!(urls, BTreeSet::from([server.url("/feeds/rss-es.xml"), server.url("/feeds/rss-en.xml")]));
    assert!(
        requested(&server).keys().all(|p| p.starts_with("/feeds/")),
        "importing reads no page: {:?}",
        requested(&server)
    );
    assert!(imported_v2.starts_with("imported 4 feeds into "), "{imported_v2}");
    assert!(imported_v1.starts_with("imported 2 feeds into "), "{imported_v1}");
}

/// A newsboat `urls` file: each address with its tags (quoted tags keep their spaces);
/// comments and blank lines ignored; the query feed and the line that is no address are skipped
/// and named on stderr.
#[test]
fn newsboat_urls_import_with_tags() {
    let server = site(&["rss-content.xml", "atom-ja.xml", "feed-zh.json", "rss-es.xml"]);
    let home = Home::new();
    let file = home.home.path().join("urls");
    std::fs::write(&file, replace_all(&fixture("urls"), PLACEHOLDER, server.origin().as_bytes())).unwrap();
    let o = home.run(&["feed", "import", file.to_str().unwrap()]);
    let imported = ok(&o);
    let err = text(&o.stderr);
    for (line_no, line) in [(6, "query:Unread articles"), (7, "this is not a feed address")] {
        assert!(
            err.contains(line) || err.contains(&format!("line {line_no}")) || err.contains(&format!(":{line_no}")),
            "skipped line {line_no} ({line}) on stderr: {err}"
        );
    }
    let tags: BTreeMap<String, Vec<String>> =
        home.feed_list().iter().map(|f| (f["url"].as_str().unwrap().to_string(), strings(&f["tags"]))).collect();
    let url = |f: &str| server.url(&format!("/feeds/{f}"));
    let want: BTreeMap<String, Vec<String>> = [
        (url("rss-content.xml"), vec!["korea", "local"]),
        (url("atom-ja.xml"), vec!["japan", "city life"]),
        (url("feed-zh.json"), vec![]),
        (url("rss-es.xml"), vec!["spain"]),
    ]
    .into_iter()
    .map(|(u, t)| (u, t.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(tags, want);
    assert!(
        requested(&server).keys().all(|p| p.starts_with("/feeds/")),
        "importing reads no page: {:?}",
        requested(&server)
    );
    assert!(imported.starts_with("imported 4 feeds into "), "{imported}");
}

/// An item whose "English edition" is another story: the article is still added (it is the
/// outlet's page), and the fetch says, in a `warning:` line naming the feed and the article,
/// that the pairing is implausible; a real edition gives no such line.
#[test]
fn an_edition_that_is_another_story_warns() {
    let dir = common::align_cases::dir().join("editions");
    let cases = common::align_cases::load_from(&dir);
    let case = |n: &str| cases.iter().find(|c| c.name == n).unwrap();
    let (port, heat) = (case("ko-edition-port-budget"), case("ko-edition-heatwave"));
    let html = |lang: &str, title: &str, alternate: &str, paragraphs: &[String]| {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
        let link = if alternate.is_empty() {
            String::new()
        } else {
            format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{{{{ORIGIN}}}}{alternate}\">")
        };
        let page = format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>{link}</head>\
             <body><article><h1>{title}</h1>\n{body}</article></body></html>"
        );
        vec![Reply::ok("text/html; charset=utf-8", page.into_bytes())]
    };
    let rss = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>가람일보</title>\
               <link>{{ORIGIN}}/</link><language>ko</language>\
               <item><title>가람항 확장</title><link>{{ORIGIN}}/ko/port.html</link><guid>port</guid></item>\
               <item><title>가람항 확장 (다른 판)</title><link>{{ORIGIN}}/ko/port-wrong.html</link><guid>wrong</guid></item>\
               </channel></rss>";
    let server = serve(vec![
        ("/feeds/garam.xml".into(), vec![Reply::ok("application/rss+xml", rss.as_bytes().to_vec())]),
        ("/ko/port.html".into(), html("ko", "가람항 확장", "/en/port.html", &port.source)),
        ("/ko/port-wrong.html".into(), html("ko", "가람항 확장 다른 판", "/en/heat.html", &port.source)),
        ("/en/port.html".into(), html("en", "Garam Port expansion", "", &port.translation)),
        ("/en/heat.html".into(), html("en", "Heat wave in Haneul", "", &heat.translation)),
    ]);
    let home = Home::new();
    home.subscribe(&format!("[[feeds]]\nname = \"garam\"\nurl = \"{}\"\n", server.url("/feeds/garam.xml")));
    let (o, _) = home.fetch(&[]);
    let out = ok(&o);
    assert_eq!(line_for(&out, "garam"), "garam: 2 new articles", "{out}");
    let err = text(&o.stderr);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].starts_with("warning: garam: garam/") && warnings[0].contains("one story"), "{err}");
    // The article is named by its English headline: the other story's.
    assert!(warnings[0].contains("garam/heat-wave-in-haneul"), "{err}");
}
