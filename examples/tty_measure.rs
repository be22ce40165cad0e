//! Whole-program measures of the reader in a real pseudo-terminal, for BENCHMARKS.md.
//!
//! usage: `cargo build --release && cargo run --release --example tty_measure -- [--cols 120]
//! [--rows 40] [--runs 3] [--settle MS] [--search TERM] [--arrive DIR] [--dump] [--binary PATH]
//! LIBRARY...`
//!
//! For each library it starts `target/release/bitext` in a pseudo-terminal, reads what it writes
//! through the vt100 terminal emulator, and reports:
//! - `screen`: milliseconds from start until the first frame (the status line) is on screen;
//! - `list`: milliseconds until the list of articles is on screen (the status line counts them);
//! - `line`: bytes written for each of five presses of `j` in the opened article (one line of
//!   scrolling), and `page`: for each of three presses of Space;
//! - `peak`: the peak resident memory (VmHWM) after the article was opened and scrolled.
//!
//! Options:
//! - `--settle MS` waits that long after the list is up before the keys (1500; longer lets the
//!   check of the bodies after start end first);
//! - `--search TERM` also times a full-text search from the list (first results, and all);
//! - `--arrive DIR` copies the articles of DIR into the library while the reader is open and
//!   times them into the list (and removes them again, still open);
//! - `--dump` prints what each key press made bitext write;
//! - `--binary PATH` measures another build (an older commit's, say);
//! - `--beside` keeps the list beside the reader (`[reader] full_width = false`);
//! - `--wezterm` has WezTerm's terminal model answer bitext's question at start (it has left
//!   and right margins; vt100, the default, has not).
//!
//! The index cache lives in a temporary folder kept for all runs of one library: run 1 starts
//! with no index cache (cold), later runs find it (warm). Each run starts with no reading state.

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use pty::{Answering, Keys, Screen};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut cols, mut rows, mut runs) = (120u16, 40u16, 3usize);
    let mut dump = false;
    let mut search: Option<String> = None;
    let mut settle_ms = 1500u64;
    let mut arrive: Option<std::path::PathBuf> = None;
    let mut binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/bitext");
    let (mut beside, mut answering) = (false, Answering::Vt100);
    let mut libraries = Vec::new();
    while let Some(a) = args.next() {
        let mut number =
            |what: &str| args.next().and_then(|v| v.parse::<usize>().ok()).unwrap_or_else(|| panic!("{what}"));
        match a.as_str() {
            "--cols" => cols = number("--cols N") as u16,
            "--rows" => rows = number("--rows N") as u16,
            "--runs" => runs = number("--runs N"),
            "--dump" => dump = true,
            "--search" => search = Some(args.next().expect("--search TERM")),
            "--settle" => settle_ms = number("--settle MS") as u64,
            "--arrive" => arrive = Some(args.next().expect("--arrive DIR").into()),
            "--binary" => binary = args.next().expect("--binary PATH").into(),
            "--beside" => beside = true,
            "--wezterm" => answering = Answering::WezTerm,
            _ => libraries.push(std::fs::canonicalize(&a).unwrap_or_else(|e| panic!("{a}: {e}"))),
        }
    }
    assert!(!libraries.is_empty(), "usage: tty_measure [--cols N] [--rows N] [--runs N] LIBRARY...");
    assert!(binary.exists(), "run `cargo build --release` first");
    for library in &libraries {
        let home = tempfile::tempdir().expect("temp dir");
        for run in 1..=runs {
            let what = What {
                size: (cols, rows),
                settle_ms,
                dump,
                search: search.as_deref(),
                arrive: arrive.as_deref(),
                beside,
                answering,
            };
            let r = measure(&binary, library, home.path(), &what);
            println!(
                "{} run {run} ({cols}x{rows}): screen {} ms, list {} ms, line {:?} B, page {:?} B, peak {} MB{}",
                library.display(),
                r.screen_ms,
                r.list_ms,
                r.line,
                r.page,
                r.peak_kb / 1024,
                r.search.map_or(String::new(), |(first, all, found)| format!(
                    ", search: first results {first} ms, all {all} ms ({found})"
                )),
            );
            if let Some(a) = r.arrived {
                println!("  {a}");
            }
        }
    }
}

struct Measured {
    screen_ms: u128,
    list_ms: u128,
    line: Vec<usize>,
    page: Vec<usize>,
    peak_kb: u64,
    /// Milliseconds to the first results and to the end of the search, and what the list says.
    search: Option<(u128, u128, String)>,
    /// What articles arriving while it ran cost (see `--arrive`).
    arrived: Option<String>,
}

/// Milliseconds from `since` until `done` holds of the screen; panics, showing the screen, after
/// `limit`.
fn wait_until(screen: &Mutex<Screen>, since: Instant, limit: Duration, done: &dyn Fn(&Screen) -> bool) -> u128 {
    while since.elapsed() < limit {
        if done(&screen.lock().unwrap()) {
            return since.elapsed().as_millis();
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    panic!("timed out; the screen:\n{}", screen.lock().unwrap().parser.screen().contents());
}

/// What to measure, from the command line.
struct What<'a> {
    size: (u16, u16),
    settle_ms: u64,
    dump: bool,
    search: Option<&'a str>,
    arrive: Option<&'a Path>,
    beside: bool,
    answering: Answering,
}

fn measure(binary: &Path, library: &Path, home: &Path, what: &What) -> Measured {
    let What { size: (cols, rows), settle_ms, dump, search, arrive, beside, answering } = *what;
    if beside {
        let dir = home.join("config/bitext");
        std::fs::create_dir_all(&dir).expect("config folder");
        std::fs::write(dir.join("config.toml"), "[reader]\nfull_width = false\n").expect("config");
    }
    let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("pty");
    let mut cmd = CommandBuilder::new(binary);
    cmd.arg("--library");
    cmd.arg(library);
    // The cache is kept across runs; the reading state is not, so every run opens the article
    // at its top.
    let state = tempfile::tempdir().expect("temp dir");
    cmd.env("XDG_STATE_HOME", state.path());
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_CACHE_HOME", home.join("cache"));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("BITEXT_CONFIG");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn bitext");
    drop(pair.slave);
    let pid = child.process_id().expect("pid");
    // Everything written is kept when `--dump` asks to see each key's bytes.
    let keys = Keys::new(pair.master.take_writer().expect("writer"));
    let screen =
        Screen::read(pair.master.try_clone_reader().expect("reader"), keys.clone(), (cols, rows), dump, answering);
    let status = |s: &Screen| s.parser.screen().rows(0, cols).nth(usize::from(rows) - 1).unwrap_or_default();
    let wait = |done: &dyn Fn(&Screen) -> bool| wait_until(&screen, started, Duration::from_secs(300), done);
    let screen_ms = wait(&|s| status(s).contains("help"));
    // The status line numbers the selected article: "1/10000".
    let list_ms = wait(&|s| status(s).trim_start().split(' ').next().is_some_and(|f| f.starts_with("1/")));
    let settle = |d: u64| std::thread::sleep(Duration::from_millis(d));
    settle(settle_ms);
    // A full-text search from the list, timed from the keys: the first results are on screen
    // when the list shows a match; it is over when the list's lower border says how many it
    // found. Enter and Escape then leave the search.
    let search = search.map(|term| {
        let started = Instant::now();
        keys.send(format!("/{term}").as_bytes());
        let wait = |done: &dyn Fn(&Screen) -> bool| wait_until(&screen, started, Duration::from_secs(60), done);
        // The first article's second row is its date and outlet before the search, and the
        // snippet around the match once it is found.
        let first = wait(&|s| s.parser.screen().rows(0, cols).nth(2).is_some_and(|r| r.contains(term)));
        // `/term (searching 500/10000)` while it runs, `/term (476 found)` when it is over.
        let marker = format!("/{term} (");
        let all = wait(&|s| {
            let contents = s.parser.screen().contents();
            contents
                .find(&marker)
                .is_some_and(|i| contents[i + marker.len()..].starts_with(|c: char| c.is_ascii_digit()))
        });
        let contents = screen.lock().unwrap().parser.screen().contents();
        let found = contents.lines().find_map(|l| l.find(&marker).map(|i| l[i..].to_string()));
        keys.send(b"\r\x1b");
        settle(500);
        (first, all, found.unwrap_or_default().trim_end_matches(['─', '┘', ' ']).to_string())
    });
    let press = |pressed: &[u8], d: u64| {
        let before = screen.lock().unwrap().bytes;
        keys.send(pressed);
        settle(d);
        let s = screen.lock().unwrap();
        if let Some(log) = &s.log {
            println!("{:?} wrote {:?}", String::from_utf8_lossy(pressed), String::from_utf8_lossy(&log[before..]));
        }
        s.bytes - before
    };
    // Articles arriving while the reader is open (a large fetch): the files of DIR are copied
    // into a new folder of the library; timed until the status line counts them, with the UI
    // thread's CPU time meanwhile and the peak memory. The folder is removed after, while the
    // reader is still open.
    let arrived = arrive.map(|dir| {
        let ui_ticks = || {
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    let f: Vec<u64> = s.rsplit(')').next()?.split_whitespace().filter_map(|x| x.parse().ok()).collect();
                    Some(f.get(10)? + f.get(11)?)
                })
                .unwrap_or(0)
        };
        let count = |s: &Screen| -> Option<usize> { status(s).split_whitespace().next()?.split('/').nth(1)?.parse().ok() };
        let before = count(&screen.lock().unwrap()).unwrap_or(0);
        let files: Vec<_> = std::fs::read_dir(dir).expect("--arrive DIR").flatten().map(|e| e.path()).collect();
        let into = library.join(format!("arrived-{pid}"));
        let (ticks, started) = (ui_ticks(), Instant::now());
        std::fs::create_dir(&into).expect("a folder for the arriving articles");
        for f in &files {
            std::fs::copy(f, into.join(f.file_name().expect("a file name"))).expect("copy an article");
        }
        let copied = started.elapsed().as_millis();
        while count(&screen.lock().unwrap()) != Some(before + files.len()) {
            assert!(started.elapsed() < Duration::from_secs(120), "the arrived articles never showed");
            std::thread::sleep(Duration::from_millis(2));
        }
        let listed = started.elapsed().as_millis();
        settle(2000);
        let hwm = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let hwm = hwm.lines().find(|l| l.starts_with("VmHWM")).unwrap_or_default().to_string();
        let line = format!(
            "{} articles arrived: copied in {copied} ms, listed after {listed} ms, UI thread {} ms of CPU meanwhile, {}",
            files.len(),
            (ui_ticks() - ticks) * 10,
            hwm.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        // Gone again, while the reader is open: the index cache follows, so the next run starts
        // from the same library.
        let _ = std::fs::remove_dir_all(&into);
        while count(&screen.lock().unwrap()) != Some(before) {
            assert!(started.elapsed() < Duration::from_secs(240), "the arrived articles never left");
            std::thread::sleep(Duration::from_millis(2));
        }
        settle(1000);
        line
    });
    press(b"\r", 600);
    let line = (0..5).map(|_| press(b"j", 300)).collect();
    let page = (0..3).map(|_| press(b" ", 300)).collect();
    let peak_kb = pty::peak_kb(pid);
    press(b"q", 100);
    press(b"q", 100);
    let _ = child.wait();
    Measured { screen_ms, list_ms, line, page, peak_kb, search, arrived }
}
