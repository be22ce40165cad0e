//! `bitext fetch` against feeds on 127.0.0.1, for BENCHMARKS.md:
//! `cargo build --release && cargo run --release --example fetch_measure -- [--binary PATH]
//! [--feeds 100] [--items 50] [--runs 3] [--ports 4,1] [--tmp DIR] [--keep]` (`--tmp`: where
//! the home folders and libraries are made, default the system's temporary folder; `--keep`:
//! leave them in place, and say where).
//!
//! The program starts its own HTTP/1.1 servers (std `TcpListener`, a thread per connection,
//! keep-alive honoured: a connection stays open until the client closes it or sends
//! `Connection: close`) and serves `--feeds` RSS 2.0 feeds of `--items` summary-only items each
//! (so `full_text = "auto"` fetches every item's page). Each item's page is Korean
//! (`<html lang="ko">`, an `<article>` of six paragraphs written here, varied by the item's
//! number) with `<link rel="alternate" hreflang="en">` to its English edition (six paragraphs);
//! editions on, no machine translation. Feed `f` and its pages are on server `f % ports`: there
//! is one host name on loopback, so several ports stand in for several sites (bitext allows one
//! request at a time per host *and port*). Every feed answers `If-None-Match` with its ETag by
//! 304.
//!
//! Each run (a fresh home folder and library every run) takes every number of ports in turn (in
//! the opposite order every other run) and runs the release binary (`target/release/bitext`,
//! or `--binary`), after a `sync`:
//! - (a) `bitext --library LIB fetch` into an empty library;
//! - (b) the same again at once: every feed answers 304, no page may be requested (asserted);
//! - (c) once more, the same (the library's index cache is now up to date: see BENCHMARKS.md).
//!
//! and reports wall time, the child's peak resident memory and CPU time (`wait4`'s rusage),
//! the requests each server answered, the connections opened, the most requests any one server
//! had in flight at once, the servers' time spent answering (summed), and the article files
//! written; then the medians. The child runs with its own `HOME`, `XDG_CONFIG_HOME`,
//! `XDG_STATE_HOME` and `XDG_CACHE_HOME`, no proxy variables and no `BITEXT_CONFIG`, and stderr
//! is shown if it says anything. Requests are bounded (a server answers 503 past three times
//! what a run needs), the servers are stopped at the end, and the home folders are removed
//! only then (see the comment in `main`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The news: twelve sentences in Korean and in English, `{n}` the item's number, `{k}` a count,
// `{d}` a day of the month.
// ---------------------------------------------------------------------------------------------

const SENTENCES: &[(&str, &str)] = &[
    (
        "가람시는 {d}일 시청 대회의실에서 제{n}차 도시 계획 설명회를 열었다.",
        "Garam city held urban planning briefing no. {n} in the main conference room of the city hall on the {d}th.",
    ),
    (
        "설명회에는 주민 {k}명이 참석해 새 버스 노선과 자전거 도로에 대해 질문했다.",
        "{k} residents came and asked about the new bus routes and the cycle lanes.",
    ),
    (
        "시는 내년 봄까지 구도심의 좁은 골목 {k}곳을 보행자 전용 거리로 바꿀 계획이다.",
        "The city plans to turn {k} narrow alleys of the old town into streets for pedestrians only by next spring.",
    ),
    (
        "상인들은 손님이 늘 것이라며 반겼지만, 배달 차량이 들어올 시간을 정해 달라고 요청했다.",
        "Shopkeepers welcomed the plan, saying it would bring more customers, but asked for set hours for delivery vans.",
    ),
    (
        "시 교통과 관계자는 오전 일곱 시부터 열 시까지는 차량 진입을 허용하겠다고 답했다.",
        "An official of the city's transport department answered that vans would be let in from seven to ten in the morning.",
    ),
    (
        "강변 공원에는 올해 나무 {k}그루가 새로 심어졌고, 가을에는 야간 조명도 설치된다.",
        "{k} trees were planted in the riverside park this year, and lights for the evening will be put up in the autumn.",
    ),
    (
        "공원을 자주 찾는 한 주민은 저녁 산책길이 한결 밝고 안전해질 것 같다고 말했다.",
        "A resident who often walks in the park said the evening paths would feel much brighter and safer.",
    ),
    (
        "시립 도서관은 {d}일부터 주말 운영 시간을 밤 아홉 시까지 늘린다고 밝혔다.",
        "The city library said it would stay open until nine in the evening at weekends from the {d}th.",
    ),
    (
        "도서관 측은 시험 기간마다 열람실 자리가 모자라 학생들의 요청이 많았다고 설명했다.",
        "The library explained that students had often asked for it, as the reading room ran out of seats every exam season.",
    ),
    (
        "시장은 이번 사업에 모두 {k}억 원의 예산이 들어가며 절반은 국비로 충당한다고 밝혔다.",
        "The mayor said the projects would cost {k} hundred million won in all, half of it paid by the state.",
    ),
    (
        "시의회는 다음 달 회기에서 관련 조례 개정안을 심의할 예정이다.",
        "The city council is to debate the amended bylaw at its session next month.",
    ),
    (
        "시는 주민 의견을 {k}일 동안 더 받은 뒤 최종 계획을 확정하겠다고 덧붙였다.",
        "The city added that it would hear residents for {k} more days before settling the final plan.",
    ),
];

const TOPICS: &[(&str, &str)] = &[
    ("도시 계획", "city planning"),
    ("골목 정비", "old town alleys"),
    ("강변 공원", "riverside park"),
    ("시립 도서관", "city library"),
    ("버스 노선", "bus routes"),
    ("시의회", "city council"),
    ("예산", "budget"),
    ("주민 의견", "residents' views"),
];

/// Item `i` of feed `f`, numbered across all feeds.
fn number(f: usize, i: usize, items: usize) -> usize {
    f * items + i + 1
}

/// The six paragraphs of item `n`, in Korean (`ko`) or English.
fn paragraphs(n: usize, ko: bool) -> Vec<String> {
    let seed = (n * 5) % SENTENCES.len();
    (0..6)
        .map(|p| {
            let k = 10 + (n * 7 + p * 13) % 90;
            let d = 1 + n % 28;
            let fill = |s: &str| {
                s.replace("{n}", &n.to_string()).replace("{k}", &k.to_string()).replace("{d}", &d.to_string())
            };
            let pick = |j: usize| {
                let (k, e) = SENTENCES[(seed + p * 2 + j) % SENTENCES.len()];
                fill(if ko { k } else { e })
            };
            format!("{} {}", pick(0), pick(1))
        })
        .collect()
}

fn title(n: usize, ko: bool) -> String {
    let (k, e) = TOPICS[n % TOPICS.len()];
    if ko { format!("가람시 {k} 소식 제{n}호") } else { format!("Garam city: {e}, report no. {n}") }
}

/// Days since the epoch to (year, month, day) (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// When item `i` of feed `f` was published: RFC 2822 (for the feed) and RFC 3339 (for the page),
/// one item every five hours from 2026-01-01, in UTC.
fn published(f: usize, i: usize) -> (String, String) {
    let secs = 1_767_225_600u64 + (i as u64) * 5 * 3600 + (f as u64) * 60;
    let days = (secs / 86_400) as i64;
    let (y, m, d) = civil(days);
    let (h, min) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    (
        format!(
            "{}, {d:02} {} {y} {h:02}:{min:02}:00 +0000",
            WEEKDAYS[days.rem_euclid(7) as usize],
            MONTHS[m as usize - 1]
        ),
        format!("{y}-{m:02}-{d:02}T{h:02}:{min:02}:00Z"),
    )
}

fn feed_xml(origin: &str, f: usize, items: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n\
         <title>가람일보 {f}판</title>\n<link>{origin}/ko/{f}/</link>\n\
         <description>가람일보의 최신 기사</description>\n<language>ko</language>\n"
    );
    for i in 0..items {
        let n = number(f, i, items);
        let (date, _) = published(f, i);
        let summary = &paragraphs(n, true)[0];
        s.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{origin}/ko/{f}/{i}.html</link>\n\
             <guid isPermaLink=\"false\">garam-{f}-{i}</guid>\n<pubDate>{date}</pubDate>\n\
             <description>{summary}</description>\n</item>\n",
            title(n, true)
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

fn page_html(origin: &str, f: usize, i: usize, items: usize, ko: bool) -> String {
    let n = number(f, i, items);
    let (_, date) = published(f, i);
    let (lang, other) = if ko { ("ko", "en") } else { ("en", "ko") };
    let t = title(n, ko);
    let site = if ko { "가람일보" } else { "Garam Daily" };
    let nav = if ko {
        "<a href=\"/\">홈</a> <a href=\"/local/\">지역</a> <a href=\"/economy/\">경제</a>"
    } else {
        "<a href=\"/\">Home</a> <a href=\"/local/\">Local</a> <a href=\"/economy/\">Economy</a>"
    };
    let body: String = paragraphs(n, ko).iter().map(|p| format!("    <p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t} | {site}</title>\n\
         <meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"{t}\">\n\
         <meta property=\"og:site_name\" content=\"{site}\">\n\
         <meta property=\"article:published_time\" content=\"{date}\">\n\
         <link rel=\"canonical\" href=\"{origin}/{lang}/{f}/{i}.html\">\n\
         <link rel=\"alternate\" hreflang=\"{lang}\" href=\"{origin}/{lang}/{f}/{i}.html\">\n\
         <link rel=\"alternate\" hreflang=\"{other}\" href=\"{origin}/{other}/{f}/{i}.html\">\n\
         </head>\n<body>\n<header class=\"site-header\"><a class=\"logo\" href=\"/\">{site}</a>\n\
         <nav>{nav}</nav></header>\n<main>\n<h1>{t}</h1>\n<p class=\"date\">{date}</p>\n\
         <article class=\"story\">\n{body}  </article>\n\
         <aside class=\"most-read\"><h2>{}</h2><ol><li><a href=\"/\">{site}</a></li></ol></aside>\n</main>\n\
         <footer><p>Copyright {site}.</p></footer>\n</body>\n</html>\n",
        if ko { "많이 본 기사" } else { "Most read" }
    )
}

// ---------------------------------------------------------------------------------------------
// The servers
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Counts {
    requests: AtomicUsize,
    feeds_200: AtomicUsize,
    feeds_304: AtomicUsize,
    pages_ko: AtomicUsize,
    pages_en: AtomicUsize,
    other: AtomicUsize,
    connections: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Microseconds spent answering: from a request's first line read to its answer written.
    busy_us: AtomicUsize,
    /// Past this many requests every answer is a 503 (the run is wrong; keep it bounded).
    cap: AtomicUsize,
}

impl Counts {
    fn reset(&self, cap: usize) {
        for c in [
            &self.requests,
            &self.feeds_200,
            &self.feeds_304,
            &self.pages_ko,
            &self.pages_en,
            &self.other,
            &self.connections,
            &self.in_flight,
            &self.max_in_flight,
            &self.busy_us,
        ] {
            c.store(0, Ordering::SeqCst);
        }
        self.cap.store(cap, Ordering::SeqCst);
    }
}

struct Server {
    port: u16,
    counts: Arc<Counts>,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

struct Site {
    items: usize,
    /// The feeds this server serves.
    feeds: Vec<usize>,
}

impl Server {
    fn start(site: Site) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let counts = Arc::new(Counts::default());
        let stop = Arc::new(AtomicBool::new(false));
        let site = Arc::new(site);
        let accept = {
            let (counts, stop) = (Arc::clone(&counts), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut handlers = Vec::new();
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    counts.connections.fetch_add(1, Ordering::SeqCst);
                    let (counts, stop, site) = (Arc::clone(&counts), Arc::clone(&stop), Arc::clone(&site));
                    handlers.push(std::thread::spawn(move || connection(stream, port, &site, &counts, &stop)));
                }
                for h in handlers {
                    let _ = h.join();
                }
            })
        };
        Server { port, counts, stop, accept: Some(accept) }
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

/// Answers requests on one connection until the client closes it, asks to, or the server stops.
fn connection(stream: TcpStream, port: u16, site: &Site, counts: &Counts, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let _ = stream.set_nodelay(true);
    let origin = format!("http://127.0.0.1:{port}");
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        // The request line (waiting through read timeouts while the server runs).
        line.clear();
        let read = loop {
            match reader.read_line(&mut line) {
                Ok(n) => break n,
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                }
                Err(_) => return,
            }
        };
        if read == 0 {
            return;
        }
        let began = Instant::now();
        let request_line = line.trim_end().to_string();
        if request_line.is_empty() {
            continue;
        }
        let mut if_none_match = None;
        let mut close = false;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    continue;
                }
                Err(_) => return,
            }
            let h = line.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').unwrap_or((h, ""));
            match name.trim().to_ascii_lowercase().as_str() {
                "if-none-match" => if_none_match = Some(value.trim().to_string()),
                "connection" => close = value.trim().eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        let now = counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counts.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let total = counts.requests.fetch_add(1, Ordering::SeqCst) + 1;
        let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
        let (status, content_type, etag, body) = if total > counts.cap.load(Ordering::SeqCst) {
            close = true;
            ("503 Service Unavailable", "text/plain", None, b"too many requests for one run\n".to_vec())
        } else {
            answer(&path, &origin, site, counts, if_none_match.as_deref())
        };
        let mut head =
            format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n", body.len());
        if let Some(e) = etag {
            head.push_str(&format!("ETag: {e}\r\n"));
        }
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut reply = head.into_bytes();
        reply.extend_from_slice(&body);
        let ok = writer.write_all(&reply).and_then(|_| writer.flush()).is_ok();
        counts.in_flight.fetch_sub(1, Ordering::SeqCst);
        counts.busy_us.fetch_add(began.elapsed().as_micros() as usize, Ordering::SeqCst);
        if !ok || close {
            return;
        }
    }
}

type Answer = (&'static str, &'static str, Option<String>, Vec<u8>);

fn answer(path: &str, origin: &str, site: &Site, counts: &Counts, if_none_match: Option<&str>) -> Answer {
    let not_found = |counts: &Counts| {
        counts.other.fetch_add(1, Ordering::SeqCst);
        ("404 Not Found", "text/plain", None, b"not found\n".to_vec())
    };
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["feed", file] => {
            let Some(f) = file.strip_suffix(".xml").and_then(|f| f.parse::<usize>().ok()) else {
                return not_found(counts);
            };
            if !site.feeds.contains(&f) {
                return not_found(counts);
            }
            let etag = format!("\"feed-{f}-v1\"");
            if if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == etag)) {
                counts.feeds_304.fetch_add(1, Ordering::SeqCst);
                return ("304 Not Modified", "application/rss+xml", Some(etag), Vec::new());
            }
            counts.feeds_200.fetch_add(1, Ordering::SeqCst);
            ("200 OK", "application/rss+xml; charset=utf-8", Some(etag), feed_xml(origin, f, site.items).into_bytes())
        }
        [lang @ ("ko" | "en"), f, page] => {
            let f = f.parse::<usize>().ok().filter(|f| site.feeds.contains(f));
            let i = page.strip_suffix(".html").and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < site.items);
            let (Some(f), Some(i)) = (f, i) else { return not_found(counts) };
            let ko = *lang == "ko";
            if ko { &counts.pages_ko } else { &counts.pages_en }.fetch_add(1, Ordering::SeqCst);
            ("200 OK", "text/html; charset=utf-8", None, page_html(origin, f, i, site.items, ko).into_bytes())
        }
        _ => not_found(counts),
    }
}

// ---------------------------------------------------------------------------------------------
// Running bitext
// ---------------------------------------------------------------------------------------------

struct Ran {
    wall: Duration,
    peak_kb: u64,
    cpu: Duration,
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs `binary args` in the home folder `home` and waits for it with `wait4`, for its own
/// rusage.
// The child is reaped by `wait4`, not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(binary: &Path, args: &[&std::ffi::OsStr], home: &Path) -> Ran {
    let mut cmd = Command::new(binary);
    cmd.args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "BITEXT_CONFIG",
        "RUST_LOG",
    ] {
        cmd.env_remove(v);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    let pid = child.id() as libc::pid_t;
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    // A run that hangs is stopped after ten minutes (this child only, by its id).
    let done = Arc::new(AtomicBool::new(false));
    {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(600);
            while Instant::now() < until {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if !done.load(Ordering::SeqCst) {
                eprintln!("bitext ran for ten minutes; stopping it");
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        });
    }
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    done.store(true, Ordering::SeqCst);
    assert_eq!(waited, pid, "wait4");
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Ran {
        wall,
        peak_kb: usage.ru_maxrss as u64,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn count_articles(dir: &Path) -> usize {
    let mut n = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                n += count_articles(&p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                n += 1;
            }
        }
    }
    n
}

#[derive(Clone, Debug)]
struct Measure {
    wall: Duration,
    peak_kb: u64,
    cpu: Duration,
    requests: usize,
    feeds_200: usize,
    feeds_304: usize,
    pages: usize,
    other: usize,
    connections: usize,
    max_in_flight: usize,
    /// The servers' time answering, summed.
    busy: Duration,
    articles: usize,
    stderr_lines: usize,
}

fn take(servers: &[Server], ran: &Ran, library: &Path) -> Measure {
    let sum = |f: fn(&Counts) -> &AtomicUsize| servers.iter().map(|s| f(&s.counts).load(Ordering::SeqCst)).sum();
    Measure {
        wall: ran.wall,
        peak_kb: ran.peak_kb,
        cpu: ran.cpu,
        requests: sum(|c| &c.requests),
        feeds_200: sum(|c| &c.feeds_200),
        feeds_304: sum(|c| &c.feeds_304),
        pages: sum(|c| &c.pages_ko) + sum(|c| &c.pages_en),
        other: sum(|c| &c.other),
        connections: sum(|c| &c.connections),
        max_in_flight: servers.iter().map(|s| s.counts.max_in_flight.load(Ordering::SeqCst)).max().unwrap_or(0),
        busy: Duration::from_micros(sum(|c| &c.busy_us) as u64),
        articles: count_articles(library),
        stderr_lines: ran.stderr.lines().count(),
    }
}

fn report(what: &str, m: &Measure) {
    println!(
        "  {what}: {:>8.3} s wall, {:>7.2} s CPU, peak {:>4} MB, {:>5} requests ({} feeds 200, {} feeds 304, {} pages, {} other) \
         on {} connections, at most {} at once on a server, servers busy {:.2} s, {} articles, {} lines on stderr",
        m.wall.as_secs_f64(),
        m.cpu.as_secs_f64(),
        m.peak_kb / 1024,
        m.requests,
        m.feeds_200,
        m.feeds_304,
        m.pages,
        m.other,
        m.connections,
        m.max_in_flight,
        m.busy.as_secs_f64(),
        m.articles,
        m.stderr_lines
    );
}

fn median<T: Ord + Copy>(v: impl Iterator<Item = T>) -> T {
    let mut v: Vec<T> = v.collect();
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/bitext");
    let (mut feeds, mut items, mut runs) = (100usize, 50usize, 3usize);
    let mut port_counts = vec![4usize, 1];
    let mut keep = false;
    let mut tmp: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        let mut value = |what: &str| args.next().unwrap_or_else(|| panic!("{what} needs a value"));
        match a.as_str() {
            "--binary" => binary = PathBuf::from(value("--binary")),
            "--feeds" => feeds = value("--feeds").parse().expect("--feeds N"),
            "--items" => items = value("--items").parse().expect("--items N"),
            "--runs" => runs = value("--runs").parse().expect("--runs N"),
            "--ports" => {
                port_counts = value("--ports").split(',').map(|p| p.trim().parse().expect("--ports 4,1")).collect()
            }
            "--tmp" => tmp = Some(PathBuf::from(value("--tmp"))),
            "--keep" => keep = true,
            other => panic!(
                "unknown argument {other:?}; usage: fetch_measure [--binary PATH] [--feeds N] [--items N] [--runs N] \
                 [--ports 4,1] [--tmp DIR] [--keep]"
            ),
        }
    }
    assert!(binary.exists(), "{}: not found; run `cargo build --release` first", binary.display());
    assert!(feeds > 0 && items > 0 && runs > 0 && !port_counts.contains(&0));
    println!(
        "{feeds} feeds × {items} items (RSS 2.0, summary only; Korean page + English edition each), {runs} runs, binary {}",
        binary.display()
    );
    let tmp = tmp.unwrap_or_else(std::env::temp_dir);
    println!("home folders and libraries in {}", tmp.display());
    // Run (a) needs one feed request and two pages an item.
    let needed = feeds * (1 + 2 * items);
    const STAGES: [&str; 3] =
        ["(a) first fetch, empty library", "(b) second fetch, all 304", "(c) third fetch, all 304"];
    // Every set of servers is up for the whole program; the runs take the sets in turn (in the
    // opposite order every other run), so neither is always measured on a fuller disk.
    let mut sets: Vec<(usize, Vec<Server>)> = port_counts
        .iter()
        .map(|&ports| {
            let servers: Vec<Server> = (0..ports)
                .map(|s| Server::start(Site { items, feeds: (0..feeds).filter(|f| f % ports == s).collect() }))
                .collect();
            println!(
                "{ports} server{} on 127.0.0.1 (ports {})",
                if ports == 1 { "" } else { "s" },
                servers.iter().map(|s| s.port.to_string()).collect::<Vec<_>>().join(", ")
            );
            (ports, servers)
        })
        .collect();
    let mut measured: Vec<[Vec<Measure>; 3]> = port_counts.iter().map(|_| Default::default()).collect();
    // The home folders are removed only at the end: on ext4 without a journal, creating files
    // right after tens of thousands were deleted is much slower (the allocator skips inodes
    // freed in the last 35 s), which would slow whichever run came next.
    let mut homes = Vec::new();
    for r in 1..=runs {
        let mut order: Vec<usize> = (0..sets.len()).collect();
        if r % 2 == 0 {
            order.reverse();
        }
        for k in order {
            let (ports, servers) = (&sets[k].0, &sets[k].1);
            let ports = *ports;
            let home = tempfile::Builder::new().prefix("fetch_measure-").tempdir_in(&tmp).expect("temp dir");
            let library = home.path().join("library");
            std::fs::create_dir_all(&library).unwrap();
            let config = home.path().join("config/bitext");
            std::fs::create_dir_all(&config).unwrap();
            let mut toml = String::new();
            for f in 0..feeds {
                let port = servers[f % ports].port;
                toml.push_str(&format!(
                    "[[feeds]]\nurl = \"http://127.0.0.1:{port}/feed/{f}.xml\"\nname = \"garam-{f:03}\"\n\
                     source_lang = \"ko\"\ntarget_lang = \"en\"\nfull_text = \"auto\"\nedition = true\n\
                     tags = [\"bench\"]\n\n"
                ));
            }
            std::fs::write(config.join("feeds.toml"), toml).unwrap();
            let args: Vec<&std::ffi::OsStr> = vec!["--library".as_ref(), library.as_os_str(), "fetch".as_ref()];
            println!("run {r}, {ports} server{}", if ports == 1 { "" } else { "s" });
            for (stage, what) in STAGES.iter().enumerate() {
                servers.iter().for_each(|s| s.counts.reset(3 * needed));
                // What earlier runs wrote goes to disk first, not during this one.
                unsafe { libc::sync() };
                let ran = run(&binary, &args, home.path());
                let m = take(servers, &ran, &library);
                report(what, &m);
                if !ran.ok || m.stderr_lines > 0 {
                    println!("    bitext exited {}; stderr:", if ran.ok { "0" } else { "non-zero" });
                    for l in ran.stderr.lines().take(10) {
                        println!("    | {l}");
                    }
                }
                println!("    bitext: {}", ran.stdout.lines().last().unwrap_or(""));
                assert!(ran.ok, "{what}: bitext failed");
                assert_eq!(m.articles, feeds * items, "one article an item, none removed");
                if stage == 0 {
                    assert_eq!(m.feeds_200, feeds, "every feed fetched once");
                    assert_eq!(m.pages, 2 * feeds * items, "every item's page and its edition fetched once");
                } else {
                    assert_eq!(m.feeds_304, feeds, "every feed answered 304");
                    assert_eq!(m.pages, 0, "no page requested when every feed is unchanged");
                    assert_eq!(m.requests, feeds, "one request a feed");
                }
                measured[k][stage].push(m);
            }
            if r == 1 {
                // One article, to see that it is paired.
                let sample = std::fs::read_dir(library.join("garam-000"))
                    .ok()
                    .and_then(|mut d| d.next())
                    .and_then(|e| e.ok())
                    .map(|e| e.path());
                if let Some(p) = sample {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    println!(
                        "    sample {}: {} bytes, {} paragraph pairs, Korean {}, English {}",
                        p.strip_prefix(&library).unwrap_or(&p).display(),
                        text.len(),
                        text.matches("[[paragraphs]]").count(),
                        text.contains("가람시"),
                        text.contains("Garam city")
                    );
                }
            }
            if keep {
                println!("    kept {}", home.keep().display());
            } else {
                homes.push(home);
            }
        }
    }
    for (_, servers) in &mut sets {
        for s in servers {
            s.stop();
        }
    }
    drop(homes);
    let table: Vec<(usize, [Vec<Measure>; 3])> = port_counts.iter().copied().zip(measured).collect();

    println!();
    println!("medians of {runs} runs (wall: median, then the spread):");
    println!(
        "| servers (ports) | fetch | wall | CPU (user+sys) | peak memory | requests served | connections | servers busy | articles |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (ports, measured) in &table {
        for (what, ms) in STAGES.iter().zip(measured) {
            let lo = ms.iter().map(|m| m.wall).min().unwrap();
            let hi = ms.iter().map(|m| m.wall).max().unwrap();
            println!(
                "| {ports} | {what} | {:.3} s ({:.2}–{:.2} s) | {:.2} s | {} MB | {} | {} | {:.2} s | {} |",
                median(ms.iter().map(|m| m.wall)).as_secs_f64(),
                lo.as_secs_f64(),
                hi.as_secs_f64(),
                median(ms.iter().map(|m| m.cpu)).as_secs_f64(),
                median(ms.iter().map(|m| m.peak_kb)) / 1024,
                median(ms.iter().map(|m| m.requests)),
                median(ms.iter().map(|m| m.connections)),
                median(ms.iter().map(|m| m.busy)).as_secs_f64(),
                median(ms.iter().map(|m| m.articles)),
            );
        }
    }
    for (ports, measured) in &table {
        let wall = median(measured[1].iter().map(|m| m.wall));
        println!(
            "target, second fetch under 0.5 s with {ports} server{}: {} ({:.3} s)",
            if *ports == 1 { "" } else { "s" },
            if wall < Duration::from_millis(500) { "met" } else { "MISSED" },
            wall.as_secs_f64()
        );
    }
}
