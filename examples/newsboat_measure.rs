//! newsboat on the same articles, measured as `tty_measure` measures bitext, for the comparison
//! in BENCHMARKS.md.
//!
//! usage: `cargo run --release --example newsboat_measure -- [--cols 120] [--rows 40] [--runs 3]
//! LIBRARY`
//!
//! The library's articles (`[[paragraphs]]` files, as `gen_library` writes them) become one RSS
//! 2.0 feed, their translation as each item's description, served once from a server on
//! 127.0.0.1 that this program starts (it answers a bounded number of requests, then stops).
//! `newsboat -x reload` fetches it into a cache in a temporary folder; then each run starts
//! newsboat in a pseudo-terminal on that cache (warm) and reports:
//! - `list`: milliseconds until the feed list shows the feed (its articles read from the cache);
//! - `line`: bytes written for each of five presses of Down in the first article, and `page`:
//!   for each of three presses of Page Down;
//! - `peak`: the peak resident memory (VmHWM) after the article was scrolled.
//!
//! Needs newsboat (`apt-get install newsboat`); not part of the test suite.

#[path = "common/pty.rs"]
mod pty;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use pty::{Answering, Keys, Screen};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut cols, mut rows, mut runs) = (120u16, 40u16, 3usize);
    let mut library = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cols" => cols = args.next().and_then(|v| v.parse().ok()).expect("--cols N"),
            "--rows" => rows = args.next().and_then(|v| v.parse().ok()).expect("--rows N"),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            _ => library = Some(std::fs::canonicalize(&a).unwrap_or_else(|e| panic!("{a}: {e}"))),
        }
    }
    let library = library.expect("usage: newsboat_measure [--cols N] [--rows N] [--runs N] LIBRARY");
    let home = tempfile::tempdir().expect("temp dir");
    let (feed, count) = feed_of(&library);
    eprintln!("{count} articles, a feed of {:.1} MB", feed.len() as f64 / 1e6);
    let url = serve(feed, 4);
    let urls = home.path().join("urls");
    std::fs::write(&urls, format!("{url}\n")).expect("urls");
    let config = home.path().join("config");
    std::fs::write(&config, "reload-threads 1\nshow-read-feeds yes\n").expect("config");
    let cache = home.path().join("cache.db");
    let started = Instant::now();
    let status = std::process::Command::new("newsboat")
        .args(["-x", "reload", "-u"])
        .arg(&urls)
        .arg("-c")
        .arg(&cache)
        .arg("-C")
        .arg(&config)
        .env("HOME", home.path())
        .status()
        .expect("newsboat (apt-get install newsboat)");
    assert!(status.success(), "newsboat -x reload failed");
    eprintln!("newsboat -x reload: {} ms", started.elapsed().as_millis());
    for run in 1..=runs {
        let r = measure(home.path(), &urls, &cache, &config, (cols, rows));
        println!(
            "newsboat {} run {run} ({cols}x{rows}): list {} ms, line {:?} B, page {:?} B, peak {} MB",
            library.display(),
            r.list_ms,
            r.line,
            r.page,
            r.peak_kb / 1024
        );
    }
}

/// One RSS 2.0 feed of the library's articles, and how many.
fn feed_of(library: &Path) -> (Vec<u8>, usize) {
    let mut files: Vec<_> = walk(library);
    files.sort();
    let mut items = String::new();
    let mut count = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(doc) = text.parse::<toml::Table>() else { continue };
        let field = |k: &str| doc.get(k).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
        let Some(title) = field("title") else { continue };
        let link = field("url").unwrap_or_default();
        let paragraphs: Vec<String> = doc
            .get("paragraphs")
            .and_then(|p| p.as_array())
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.get("translation")?.as_str().map(|t| format!("<p>{}</p>", escape(t))))
                    .collect()
            })
            .unwrap_or_default();
        let date = field("published").map(|d| rfc822(&d)).unwrap_or_default();
        items.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid>{}</guid><pubDate>{date}</pubDate><description>{}</description></item>\n",
            escape(&title),
            escape(&link),
            escape(&link),
            escape(&paragraphs.concat())
        ));
        count += 1;
    }
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Generated news</title><link>http://127.0.0.1/</link><description>The library as a feed</description>\n{items}</channel></rss>\n"
    );
    (feed.into_bytes(), count)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `2025-12-23` as RFC 822 (`Tue, 23 Dec 2025 00:00:00 +0000`); the weekday is left out, which
/// RFC 822 allows.
fn rfc822(date: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = date.get(..10).unwrap_or(date).split('-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return String::new() };
    let m: usize = m.parse().unwrap_or(1);
    format!("{d} {} {y} 00:00:00 +0000", MONTHS[(m.max(1) - 1).min(11)])
}

/// Serves `body` to at most `requests` requests on 127.0.0.1, on a thread; returns the URL.
fn serve(body: Vec<u8>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}/feed.xml", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests).flatten() {
            let mut stream = stream;
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    url
}

struct Measured {
    list_ms: u128,
    line: Vec<usize>,
    page: Vec<usize>,
    peak_kb: u64,
}

fn measure(home: &Path, urls: &Path, cache: &Path, config: &Path, (cols, rows): (u16, u16)) -> Measured {
    let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("pty");
    let mut cmd = CommandBuilder::new("newsboat");
    cmd.arg("-u");
    cmd.arg(urls);
    cmd.arg("-c");
    cmd.arg(cache);
    cmd.arg("-C");
    cmd.arg(config);
    cmd.env("HOME", home);
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn newsboat");
    drop(pair.slave);
    let pid = child.process_id().expect("pid");
    let keys = Keys::new(pair.master.take_writer().expect("writer"));
    let screen = Screen::read(
        pair.master.try_clone_reader().expect("reader"),
        keys.clone(),
        (cols, rows),
        false,
        Answering::Vt100,
    );
    let wait = |what: &str, done: &dyn Fn(&str) -> bool| {
        let since = Instant::now();
        loop {
            let contents = screen.lock().unwrap().parser.screen().contents();
            if done(&contents) {
                return;
            }
            assert!(since.elapsed() < Duration::from_secs(120), "{what}: timed out; the screen:\n{contents}");
            std::thread::sleep(Duration::from_micros(200));
        }
    };
    // The feed list: the feed's title beside its count of articles, read from the cache.
    wait("the feed list", &|c| c.contains("Generated news"));
    let list_ms = started.elapsed().as_millis();
    let settle = |ms: u64| std::thread::sleep(Duration::from_millis(ms));
    settle(1500);
    let press = |pressed: &[u8], ms: u64| {
        let before = screen.lock().unwrap().bytes;
        keys.send(pressed);
        settle(ms);
        screen.lock().unwrap().bytes - before
    };
    // The feed's articles, then the first article.
    press(b"\r", 1500);
    wait("the article list", &|c| c.contains("Articles in feed"));
    press(b"\r", 800);
    wait("the article", &|c| c.contains("Title:"));
    // Down and Page Down as an xterm in application mode sends them (newsboat turns that on).
    let line = (0..5).map(|_| press(b"\x1bOB", 300)).collect();
    let page = (0..3).map(|_| press(b"\x1b[6~", 300)).collect();
    let peak_kb = pty::peak_kb(pid);
    press(b"Q", 300);
    let _ = child.wait();
    Measured { list_ms, line, page, peak_kb }
}
