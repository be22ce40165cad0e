//! Articles from the web, against a server on 127.0.0.1 that the tests start: fixture pages in
//! EUC-KR, Shift_JIS and GB18030 with their English editions (tests/fixtures/web/), extracted
//! exactly; `bitext add` end to end; and the client's limits (redirects, loops, gzip, a body
//! over the cap, a server that never answers, 404, 429 with Retry-After).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bitext::web::extract::{self, Limits};
use bitext::web::http::{Client, FetchError, Options};
use common::http::{Reply, Server};
use common::{bitext_in, text};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web").join(name)).unwrap()
}

/// Every fixture page at the path its own links use; the Chinese page's charset only in the
/// header, the others with none there.
fn pages() -> Vec<(&'static str, Vec<Reply>)> {
    let html = |name: &str| vec![Reply::ok("text/html", fixture(name))];
    vec![
        ("/ko/ko-euckr.html", html("ko-euckr.html")),
        ("/en/ko-euckr-en.html", html("ko-euckr-en.html")),
        ("/ja/ja-sjis.html", html("ja-sjis.html")),
        ("/en/ja-sjis-en.html", html("ja-sjis-en.html")),
        ("/zh/zh-gb18030.html", vec![Reply::ok("text/html; charset=gb18030", fixture("zh-gb18030.html"))]),
        ("/en/zh-gb18030-en.html", html("zh-gb18030-en.html")),
    ]
}

const FIXTURES: &[(&str, &str)] = &[
    ("ko-euckr", "/ko/ko-euckr.html"),
    ("ko-euckr-en", "/en/ko-euckr-en.html"),
    ("ja-sjis", "/ja/ja-sjis.html"),
    ("ja-sjis-en", "/en/ja-sjis-en.html"),
    ("zh-gb18030", "/zh/zh-gb18030.html"),
    ("zh-gb18030-en", "/en/zh-gb18030-en.html"),
];

/// The client's options with no proxy: every request here goes to the test's own server.
fn direct() -> Options {
    Options { proxy_from_env: false, ..Options::default() }
}

fn client() -> Client {
    Client::new(Options { timeout: Duration::from_secs(5), ..direct() })
}

/// Each fixture page, fetched, decoded and extracted, is exactly its expected file: every
/// paragraph (text and kind) and every field.
#[test]
fn fixture_pages_extract_exactly() {
    let server = Server::start(pages());
    for (name, path) in FIXTURES {
        let page = client().get(&server.url(path)).unwrap();
        let decoded = bitext::web::decode::decode(&page.body, page.content_type.as_deref(), Some(&page.url));
        let got = extract::extract(&decoded.text, Some(&page.url), None, Limits::default()).unwrap();
        let want: serde_json::Value = serde_json::from_slice(&fixture(&format!("{name}.expected.json"))).unwrap();
        let local = |u: &str| u.strip_prefix(&server.origin()).unwrap_or(u).to_string();
        let s = |k: &str| want[k].as_str().map(str::to_string);
        assert_eq!(got.lang, s("lang"), "{name}: lang");
        assert_eq!(got.title, s("title"), "{name}: title");
        assert_eq!(got.published, s("published"), "{name}: published");
        let authors: Vec<String> = serde_json::from_value(want["authors"].clone()).unwrap();
        assert_eq!(got.authors, authors, "{name}: authors");
        assert_eq!(got.outlet, s("outlet"), "{name}: outlet");
        assert_eq!(got.url.as_deref().map(local), s("url"), "{name}: url");
        assert_eq!(got.summary, s("summary"), "{name}: summary");
        let editions: Vec<(String, String)> = got.editions.iter().map(|e| (e.lang.clone(), local(&e.url))).collect();
        let want_editions: Vec<(String, String)> = want["editions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["lang"].as_str().unwrap().to_string(), e["url"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(editions, want_editions, "{name}: editions");
        let paragraphs: Vec<extract::Block> = serde_json::from_value(want["paragraphs"].clone()).unwrap();
        for (i, (g, w)) in got.paragraphs.iter().zip(&paragraphs).enumerate() {
            assert_eq!(g, w, "{name}: paragraph {}", i + 1);
        }
        assert_eq!(got.paragraphs.len(), paragraphs.len(), "{name}: paragraph count");
        for p in &got.paragraphs {
            assert!(!p.text.chars().any(|c| c.is_control()), "{name}: a control character in {:?}", p.text);
        }
    }
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(toml_files(&p));
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `bitext add URL` on the Korean page: its English edition is found through hreflang,
/// fetched and paired; the article file holds both, with the page's metadata. Adding it again
/// makes no second article; adding the English page finds the Korean original.
#[test]
fn add_pairs_a_page_with_its_edition_and_never_duplicates() {
    let server = Server::start(pages());
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = lib.path().to_str().unwrap();
    let o = bitext_in(home.path(), &["--library", root, "add", &server.url("/ko/ko-euckr.html")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("added ko/2025-04-03-"), "{out}");
    assert!(out.contains(": 13 source, 12 translation paragraphs, aligned "), "{out}");
    let files = toml_files(lib.path());
    assert_eq!(files.len(), 1);
    let parsed = bitext::article::parse(&std::fs::read(&files[0]).unwrap(), "x", &files[0]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let a = parsed.article.unwrap();
    let en: serde_json::Value = serde_json::from_slice(&fixture("ko-euckr-en.expected.json")).unwrap();
    let ko: serde_json::Value = serde_json::from_slice(&fixture("ko-euckr.expected.json")).unwrap();
    assert_eq!(a.meta.title, en["title"].as_str().unwrap());
    assert_eq!(a.meta.source_title.as_deref(), ko["title"].as_str());
    assert_eq!((a.meta.source_lang.as_str(), a.meta.target_lang.as_str()), ("ko", "en"));
    assert_eq!(a.meta.url.as_deref(), Some(server.url("/ko/ko-euckr.html").as_str()));
    assert_eq!(a.meta.published.as_ref().map(|p| p.to_string()).as_deref(), Some("2025-04-03T09:30:00+09:00"));
    assert_eq!(a.meta.outlet.as_deref(), ko["outlet"].as_str());
    assert_eq!(a.meta.authors, ["홍길동"]);
    // Every source and every translation paragraph is in the file once, in order.
    let sources: Vec<&str> = a.groups.iter().flat_map(|g| g.source.iter().map(String::as_str)).collect();
    let want: Vec<&str> = ko["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(sources, want);
    let translations: Vec<&str> = a.groups.iter().flat_map(|g| g.translation.iter().map(String::as_str)).collect();
    let want: Vec<&str> = en["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(translations, want);
    assert!(a.groups.iter().filter(|g| g.source.len() == 1 && g.translation.len() == 1).count() >= 8);

    // Again: the same file, unchanged; then the English page, which leads to the same original.
    let o = bitext_in(home.path(), &["--library", root, "add", &server.url("/ko/ko-euckr.html")]);
    assert!(o.status.success());
    assert!(text(&o.stdout).starts_with("unchanged ko/2025-04-03-"), "{}", text(&o.stdout));
    let o = bitext_in(home.path(), &["--library", root, "add", &server.url("/en/ko-euckr-en.html")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("unchanged ko/2025-04-03-"), "{}", text(&o.stdout));
    assert_eq!(toml_files(lib.path()), files, "no second article");
    // The other two pairs: Shift_JIS (by http-equiv) and GB18030 (by the header, edition by
    // schema.org workTranslation).
    for (path, lang) in [("/ja/ja-sjis.html", "ja"), ("/zh/zh-gb18030.html", "zh")] {
        let o = bitext_in(home.path(), &["--library", root, "add", &server.url(path)]);
        assert!(o.status.success(), "{path}: {}", text(&o.stderr));
        assert!(text(&o.stdout).starts_with(&format!("added {lang}/")), "{}", text(&o.stdout));
        assert!(text(&o.stdout).contains(": 13 source, 13 translation paragraphs, aligned"), "{}", text(&o.stdout));
    }
    let o = bitext_in(home.path(), &["--library", root, "check"]);
    assert!(o.status.success(), "{}", text(&o.stdout));
}

/// A saved page whose encoding is declared only in `<meta charset="euc-kr">` comes out right.
#[test]
fn a_saved_page_with_only_a_meta_charset() {
    let dir = tempfile::tempdir().unwrap();
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let page = dir.path().join("saved.html");
    std::fs::write(&page, fixture("ko-euckr.html")).unwrap();
    let o = bitext_in(home.path(), &["--library", lib.path().to_str().unwrap(), "add", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("13 source, 0 translation paragraphs, source only"), "{}", text(&o.stdout));
    let files = toml_files(lib.path());
    let written = std::fs::read_to_string(&files[0]).unwrap();
    assert!(written.contains("해솔항 옛 등대"), "{written}");
    assert!(!written.contains('\u{1b}') && !written.contains("PWNED"));
}

/// Failures: one line naming the URL and the status or network error, exit 1, nothing written.
#[test]
fn add_failures_are_one_line_and_write_nothing() {
    let server = Server::start(vec![("/gone", vec![Reply::status(404)])]);
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = lib.path().to_str().unwrap();
    let url = server.url("/gone");
    let o = bitext_in(home.path(), &["--library", root, "add", &url]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stderr), format!("bitext: {url}: HTTP 404 Not Found\n"));
    let o = bitext_in(home.path(), &["--library", root, "add", "ftp://127.0.0.1/x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("only http and https"), "{}", text(&o.stderr));
    assert!(toml_files(lib.path()).is_empty());
}

#[test]
fn redirects_are_followed_up_to_five_and_loops_refused() {
    let server = Server::start(vec![
        ("/a", vec![Reply::redirect("/b")]),
        ("/b", vec![Reply::redirect("/c")]),
        ("/c", vec![Reply::ok("text/html", "<article><p>Arrived.</p></article>")]),
        ("/loop1", vec![Reply::redirect("/loop2")]),
        ("/loop2", vec![Reply::redirect("/loop1")]),
    ]);
    let page = client().get(&server.url("/a")).unwrap();
    assert_eq!(page.url, server.url("/c"));
    let e = client().get(&server.url("/loop1")).unwrap_err();
    assert_eq!(e, FetchError::Redirects { url: server.url("/loop1"), max: 5 });
    assert!(e.to_string().contains("more than 5 redirects"), "{e}");
    let loops = server.requests().iter().filter(|r| r.path.starts_with("/loop")).count();
    assert!(loops <= 6, "{loops} requests for a loop");
}

#[test]
fn gzip_user_agent_and_the_body_cap() {
    use std::io::Write;
    let body = format!("<article><p>{}</p></article>", "Long text. ".repeat(5_000));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let server = Server::start(vec![
        ("/gz", vec![Reply::ok("text/html; charset=utf-8", gz.clone()).header("Content-Encoding", "gzip")]),
        ("/big", vec![Reply::ok("text/html", vec![b'x'; 40_000])]),
    ]);
    let page = client().get(&server.url("/gz")).unwrap();
    assert_eq!(page.body, body.as_bytes(), "decompressed");
    let seen = server.requests();
    assert!(seen[0].header("user-agent").unwrap().starts_with("bitext/"), "{:?}", seen[0].headers);
    assert!(seen[0].header("accept-encoding").unwrap().contains("gzip"));
    // The cap applies after decompression: the gzip body is small, the page is not.
    let small = Client::new(Options { body_limit: 20_000, ..direct() });
    assert!(gz.len() < 20_000);
    assert_eq!(small.get(&server.url("/gz")), Err(FetchError::TooLarge { url: server.url("/gz"), limit: 20_000 }));
    assert_eq!(small.get(&server.url("/big")), Err(FetchError::TooLarge { url: server.url("/big"), limit: 20_000 }));
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server =
        Server::start(vec![("/slow", vec![Reply::ok("text/html", "<p>late</p>").delayed(Duration::from_secs(6))])]);
    let quick = Client::new(Options { timeout: Duration::from_secs(1), ..direct() });
    let start = std::time::Instant::now();
    let e = quick.get(&server.url("/slow")).unwrap_err();
    assert_eq!(e, FetchError::Timeout { url: server.url("/slow"), seconds: 1 });
    assert!(start.elapsed() < Duration::from_secs(4), "{:?}", start.elapsed());
}

#[test]
fn too_many_requests_is_waited_out_once() {
    let server = Server::start(vec![
        (
            "/busy",
            vec![
                Reply::status(429).header("Retry-After", "1"),
                Reply::ok("text/html", "<article><p>Now.</p></article>"),
            ],
        ),
        ("/later", vec![Reply::status(503).header("Retry-After", "3600")]),
        ("/always", vec![Reply::status(429).header("Retry-After", "1")]),
    ]);
    let start = std::time::Instant::now();
    let page = client().get(&server.url("/busy")).unwrap();
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(page.body, b"<article><p>Now.</p></article>");
    assert_eq!(
        client().get(&server.url("/later")),
        Err(FetchError::RetryLater { url: server.url("/later"), status: 503, seconds: 3600 })
    );
    assert_eq!(
        client().get(&server.url("/always")),
        Err(FetchError::Status { url: server.url("/always"), status: 429 })
    );
    let always = server.requests().iter().filter(|r| r.path == "/always").count();
    assert_eq!(always, 2, "one wait, one retry");
}

/// `a` in the reader: a prompt for the URL, the fetch in the background with its stages on the
/// status line, and the new article selected in the list when it is written; a bad URL is a
/// message, and the reader goes on.
#[test]
fn a_in_the_reader_adds_an_article() {
    use common::pty::{ENTER, Spawn};
    let server = Server::start(pages());
    let lib = tempfile::tempdir().unwrap();
    std::fs::write(
        lib.path().join("first.toml"),
        "title = \"Already here\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\n",
    )
    .unwrap();
    let mut tui = Spawn::new(120, 40).library(lib.path()).env("NO_PROXY", "*").start();
    tui.wait_for_text("1 article ");
    tui.send(b"a");
    tui.wait_for_text("add URL:");
    tui.send(server.url("/gone").as_bytes());
    tui.send(ENTER);
    tui.wait_for("the error on the status line", |t| t.status_row().contains("HTTP 404 Not Found"));
    tui.send(b"a");
    tui.send(server.url("/ko/ko-euckr.html").as_bytes());
    tui.send(ENTER);
    tui.wait_for("the article added and selected", |t| {
        t.status_text().contains("added ko/2025-04-03-") && t.contents().contains("2 articles")
    });
    let selected = tui.rows().into_iter().find(|r| r.contains('▌')).unwrap_or_default();
    assert!(selected.contains("Haesol Harbour"), "the new article is selected:\n{}", tui.framed_screen());
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

/// Fetched pages are kept compressed in the cache folder; `--offline` extracts them again with
/// no server at all.
#[test]
fn pages_are_kept_and_offline_reads_them() {
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = lib.path().to_str().unwrap();
    let url = {
        let server = Server::start(pages());
        let url = server.url("/ja/ja-sjis.html");
        let o = bitext_in(home.path(), &["--library", root, "add", &url]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(server.requests().len(), 2, "the page and its edition");
        url
    };
    let kept = std::fs::read_dir(home.path().join("cache/bitext/pages")).unwrap().count();
    assert_eq!(kept, 4, "two pages, each a body and its headers");
    // The server is gone.
    let o = bitext_in(home.path(), &["--library", root, "add", "--offline", &url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("unchanged ja/"), "{}", text(&o.stdout));
    let o = bitext_in(home.path(), &["--library", root, "add", "--offline", "http://127.0.0.1:9/never-fetched"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("not in the page cache"), "{}", text(&o.stderr));
}
