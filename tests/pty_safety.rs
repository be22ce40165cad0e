//! The real binary in a pseudo-terminal when things go wrong around it: the terminal window is
//! closed, the process is told to terminate or hang up, the user suspends it with Ctrl-Z (or a
//! SIGTSTP arrives) and brings it back, the program panics, and an article tries to take over
//! the terminal with escape sequences of its own.
//!
//! The harness is in `common/pty.rs`. Process states and CPU times come from `/proc`, signals are
//! sent with kill(1), so these tests run on Linux only.
#![cfg(target_os = "linux")]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use common::pty::{DEADLINE, ENTER, ESC, SAMPLE_LIBRARY, Spawn, Tui, copy_library, count, find, status_fields};
use serde_json::Value;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";
const CTRL_Z: &[u8] = b"\x1a";
const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/hostile.toml");
/// What is left of the hostile article's title once its escape sequences are gone.
const HOSTILE_TITLE: &str = "Visible title after OSC 0";
const HOSTILE_FIRST: &str = "First paragraph with cursor moves and erases.";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn state_file(state_home: &Path) -> PathBuf {
    state_home.join("bitext").join("state.json")
}

/// The state file as JSON; panics with its text when it is missing or does not parse.
fn read_state(state_home: &Path) -> Value {
    let path = state_file(state_home);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON ({e}):\n{text}", path.display()))
}

/// The entry of the forum article in the state file, if the file and the entry exist.
fn forum_on_disk(state_home: &Path) -> Option<Value> {
    let text = fs::read_to_string(state_file(state_home)).ok()?;
    let state: Value = serde_json::from_str(&text).ok()?;
    state.get("articles")?.get(FORUM).cloned()
}

/// The forum article is marked read and starred in the state file.
fn assert_forum_read_and_starred(state_home: &Path, context: &str) {
    let state = read_state(state_home);
    let entry = state
        .get("articles")
        .and_then(|a| a.get(FORUM))
        .unwrap_or_else(|| panic!("{context}: no entry for {FORUM} in the state file:\n{state:#}"));
    for key in ["read", "starred"] {
        assert_eq!(entry.get(key).and_then(Value::as_bool), Some(true), "{context}: {FORUM} not {key}:\n{state:#}");
    }
}

/// Waits for the list and opens the second article (the forum), which marks it read.
fn open_forum(tui: &mut Tui) {
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
}

/// Whether the state file has the forum article starred.
fn forum_starred_on_disk(state_home: &Path) -> bool {
    forum_on_disk(state_home).and_then(|e| e.get("starred")?.as_bool()).unwrap_or(false)
}

/// Stars the open forum article so that the state file does not have the star yet when this
/// returns. The writer waits 250 ms between writes, so right after a change the file lags
/// behind: a test that ends the program now finds the star on disk afterwards only if it was
/// saved on the way out. If the file caught up already, the star is taken off, the file is
/// let catch up with that (a write just happened, so the next one is 250 ms away), and the
/// article is starred again.
fn star_unsaved(tui: &mut Tui, state_home: &Path) {
    let mut starred = false;
    for _ in 0..10 {
        tui.send(b"*");
        starred = !starred;
        let message = if starred { "starred" } else { "unstarred" };
        // No quiet period here: every millisecond counts against the writer's 250 ms.
        poll(DEADLINE, &format!("{message:?} in the status line"), || tui.status_says(message));
        if starred && !forum_starred_on_disk(state_home) {
            return;
        }
        if !starred {
            poll(DEADLINE, "the state file to record the star taken off", || !forum_starred_on_disk(state_home));
        }
    }
    panic!("the state file caught up with the star every time before the test could act");
}

/// The first field of the status line is `field`: "translation" while the reader has the focus,
/// "2/8" while the list has it.
fn wait_for_first_field(tui: &mut Tui, field: &str) {
    tui.wait_for(&format!("{field:?} first in the status line"), |t| {
        status_fields(&t.status_row()).first().is_some_and(|f| f == field)
    });
}

/// Sends `signal` (a name such as "TERM") to `pid` with kill(1).
fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill").args(["-s", signal, &pid.to_string()]).status();
    assert!(status.as_ref().is_ok_and(|s| s.success()), "kill -s {signal} {pid}: {status:?}");
}

/// The process state letter (R, S, T, Z, …) and the CPU time used so far (user + system, in
/// clock ticks) from `/proc/PID/stat`; `None` once the process is gone.
fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces; the fields after it do not.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 3 (state), 14 (utime) and 15 (stime) of proc(5), counted from the state.
    let state = fields.first()?.chars().next()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((state, utime + stime))
}

/// Clock ticks per second in `/proc` (USER_HZ), 100 on every common Linux platform.
fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// Polls `done` every 10 ms until it holds; panics with `what` after `deadline`.
fn poll(deadline: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < deadline, "timed out after {deadline:?} waiting for {what}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Waits for the program to exit within `within` of `since`; panics with the screen if not.
fn wait_exit_within(tui: &mut Tui, since: Instant, within: Duration, after: &str) -> portable_pty::ExitStatus {
    loop {
        if let Some(status) = tui.try_exit() {
            return status;
        }
        if since.elapsed() > within {
            let state = proc_stat(tui.pid()).map(|(s, _)| s);
            panic!(
                "bitext still running {within:?} after {after} (process state {state:?}); the screen:\n{}",
                tui.framed_screen()
            );
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// The terminal's local mode flags (`c_lflag`), on platforms whose flag values are known below.
#[cfg(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64"
))]
fn local_flags(tui: &Tui) -> Option<u32> {
    Some(tui.termios_local_flags().expect("read the pty's termios"))
}

#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64"
)))]
fn local_flags(_: &Tui) -> Option<u32> {
    None
}

// From <asm-generic/termbits.h>.
const ICANON: u32 = 0o000002;
const ECHO: u32 = 0o000010;

/// Whether the terminal is in raw mode (no line editing, no echo); `None` where unknown.
fn raw_mode(tui: &Tui) -> Option<bool> {
    local_flags(tui).map(|lflag| lflag & (ICANON | ECHO) == 0)
}

/// The program gave the terminal back in what it wrote from byte `from` on: it left the
/// alternate screen and showed the cursor, the emulated terminal agrees, and raw mode is off.
fn assert_terminal_restored(tui: &Tui, from: usize, context: &str) {
    let bytes = tui.bytes();
    assert!(find(&bytes, b"\x1b[?1049l", from).is_some(), "{context}: never left the alternate screen (no ESC[?1049l)");
    assert!(find(&bytes, b"\x1b[?25h", from).is_some(), "{context}: never showed the cursor again (no ESC[?25h)");
    let (alternate, hidden) = tui.screen_modes();
    assert!(!alternate, "{context}: still on the alternate screen:\n{}", tui.framed_screen());
    assert!(!hidden, "{context}: cursor still hidden");
    assert_ne!(raw_mode(tui), Some(true), "{context}: raw mode left on (lflag {:o})", local_flags(tui).unwrap_or(0));
}

/// `bytes` as text without its escape sequences (CSI sequences and two-byte escapes).
fn visible_text(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            out.push(bytes[i]);
            i += 1;
        } else if bytes.get(i + 1) == Some(&b'[') {
            // Parameters and intermediates up to the final byte, 0x40..=0x7E.
            i += 2;
            while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                i += 1;
            }
            i += 1;
        } else {
            i += 2;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Hang-up, SIGTERM, SIGHUP
// ---------------------------------------------------------------------------------------------

/// Starts the reader on a copy of the sample articles, opens and stars the forum article, then
/// closes the terminal. Returns how the program exited (within 2 s, without spinning) and its
/// state folder.
fn star_then_close_the_terminal() -> (portable_pty::ExitStatus, tempfile::TempDir) {
    let library = tempfile::tempdir().expect("temp library");
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let state_home = tempfile::tempdir().expect("temp state home");
    let mut tui = Spawn::new(120, 40).library(library.path()).state_home(state_home.path()).start();
    open_forum(&mut tui);
    star_unsaved(&mut tui, state_home.path());

    let pid = tui.pid();
    let (_, cpu_before) = proc_stat(pid).expect("/proc/PID/stat of the running program");
    let closed = Instant::now();
    tui.hang_up();

    // A reader that spins on the closed terminal (crossterm issue 793) would keep the program
    // alive and burn a core; it gets one second before that counts against it.
    let mut cpu_checked = false;
    let status = loop {
        if let Some(status) = tui.try_exit() {
            break status;
        }
        if !cpu_checked && closed.elapsed() >= Duration::from_secs(1) {
            cpu_checked = true;
            if let Some((state, cpu_now)) = proc_stat(pid) {
                let burned = cpu_now.saturating_sub(cpu_before) as f64 / clock_ticks() as f64;
                assert!(
                    burned <= 0.5,
                    "bitext used {burned:.2} s of CPU in the second after its terminal closed (state {state}): \
                     something spins on the dead terminal"
                );
            }
        }
        assert!(
            closed.elapsed() < Duration::from_secs(2),
            "bitext still running 2 s after its terminal was closed (process state {:?})",
            proc_stat(pid).map(|(s, _)| s)
        );
        thread::sleep(Duration::from_millis(10));
    };
    (status, state_home)
}

#[test]
fn closing_the_terminal_ends_the_app_with_state_saved() {
    let (_, state_home) = star_then_close_the_terminal();
    assert_forum_read_and_starred(state_home.path(), "after the terminal was closed");
}

/// The crash reports in the state folder.
fn crash_logs(state_home: &Path) -> Vec<String> {
    fs::read_dir(state_home.join("bitext"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| name.starts_with("crash-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn closing_the_terminal_is_not_a_crash() {
    let (status, state_home) = star_then_close_the_terminal();
    let logs = crash_logs(state_home.path());
    let report = logs
        .first()
        .and_then(|name| fs::read_to_string(state_home.path().join("bitext").join(name)).ok())
        .unwrap_or_default();
    let first_line = report.lines().next().unwrap_or_default();
    assert!(logs.is_empty(), "closing the terminal wrote a crash report {logs:?}: {first_line}");
    assert!(status.signal().is_none(), "bitext died of a signal after its terminal closed: {status:?}");
    // A hang-up is a normal end: exit 0, and nothing logged as an error.
    assert_eq!(status.exit_code(), 0, "a closed terminal is not a failure: {status:?}");
    let log = fs::read_to_string(state_home.path().join("bitext/bitext.log")).unwrap_or_default();
    assert!(!log.contains("ERROR"), "a closed terminal was logged as an error:\n{log}");
}

#[test]
fn sigterm_and_sighup_save_state_and_exit_within_a_second() {
    for signal in ["TERM", "HUP"] {
        let state_home = tempfile::tempdir().expect("temp state home");
        let mut tui = Spawn::new(120, 40).state_home(state_home.path()).start();
        open_forum(&mut tui);
        star_unsaved(&mut tui, state_home.path());

        let from = tui.bytes().len();
        let sent = Instant::now();
        kill(signal, tui.pid());
        let status = wait_exit_within(&mut tui, sent, Duration::from_secs(1), &format!("SIG{signal}"));
        assert!(status.signal().is_none(), "SIG{signal} killed bitext instead of being handled: {status:?}");
        // Everything it wrote on the way out has been read.
        tui.wait_exit();
        let context = format!("after SIG{signal}");
        assert_terminal_restored(&tui, from, &context);
        assert_forum_read_and_starred(state_home.path(), &context);
    }
}

// ---------------------------------------------------------------------------------------------
// Suspend and resume
// ---------------------------------------------------------------------------------------------

/// Suspends the program with `suspend`, checks that it stopped with the terminal given back,
/// continues it with SIGCONT, checks the full redraw, and that it still takes keys and quits.
fn suspend_and_resume(suspend: impl FnOnce(&mut Tui), how: &str) {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    assert_ne!(raw_mode(&tui), Some(false), "not in raw mode at the start");
    let before = tui.rows();
    let pid = tui.pid();

    let from = tui.bytes().len();
    suspend(&mut tui);
    poll(DEADLINE, &format!("bitext to stop after {how} (state T in /proc)"), || {
        proc_stat(pid).is_some_and(|(state, _)| state == 'T')
    });
    // The terminal was restored before the stop; only the reader thread may still be catching up.
    poll(Duration::from_secs(2), &format!("ESC[?1049l and ESC[?25h after {how}"), || {
        let bytes = tui.bytes();
        find(&bytes, b"\x1b[?1049l", from).is_some() && find(&bytes, b"\x1b[?25h", from).is_some()
    });
    assert_terminal_restored(&tui, from, &format!("stopped by {how}"));
    assert!(proc_stat(pid).is_some_and(|(state, _)| state == 'T'), "bitext did not stay stopped");

    // `fg`. Entering the alternate screen clears it (in vt100 as in xterm), so the old screen
    // can only come back through a full redraw, not an incremental one.
    let from = tui.bytes().len();
    kill("CONT", pid);
    tui.wait_for("the alternate screen again after SIGCONT", |t| {
        find(&t.bytes(), b"\x1b[?1049h", from).is_some() && t.screen_modes().0
    });
    tui.wait_for("the whole screen as it was before the stop", |t| t.rows() == before);
    assert_ne!(proc_stat(pid).map(|(s, _)| s), Some('T'), "still stopped after SIGCONT");
    if let Some(raw) = raw_mode(&tui) {
        assert!(raw, "raw mode not back on after SIGCONT");
    }
    let redrawn = String::from_utf8_lossy(&tui.bytes()[from..]).into_owned();
    assert!(redrawn.contains("8 articles"), "the list title was not written again after SIGCONT");

    // Still working: j moves, q quits cleanly.
    tui.send(b"j");
    tui.wait_for("\"2/8\" in the status line", |t| status_fields(&t.status_row()).first().is_some_and(|f| f == "2/8"));
    let from = tui.bytes().len();
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?} after the suspend and resume");
    assert_terminal_restored(&tui, from, "after q");
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    suspend_and_resume(|t| t.send(CTRL_Z), "Ctrl-Z");
}

#[test]
fn external_sigtstp_behaves_like_ctrl_z() {
    suspend_and_resume(|t| kill("TSTP", t.pid()), "SIGTSTP");
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

#[test]
fn a_panic_restores_the_terminal_and_keeps_the_state() {
    let state_home = tempfile::tempdir().expect("temp state home");
    let mut tui = Spawn::new(120, 40).state_home(state_home.path()).env("BITEXT_TEST_PANIC_KEY", "x").start();
    open_forum(&mut tui);
    star_unsaved(&mut tui, state_home.path());

    let from = tui.bytes().len();
    tui.send(b"x");
    let status = tui.wait_exit();
    assert_eq!((status.exit_code(), status.signal()), (101, None), "a panic should exit with code 101: {status:?}");
    assert_terminal_restored(&tui, from, "after the panic");

    // The pseudo-terminal carries stderr too: after leaving the alternate screen the program may
    // write that one line and nothing else.
    const PREFIX: &str = "bitext: internal error:";
    let bytes = tui.bytes();
    let text = String::from_utf8_lossy(&bytes[from..]).into_owned();
    assert_eq!(text.matches(PREFIX).count(), 1, "expected one {PREFIX:?} line; the output after x:\n{text:?}");
    for banned in ["stack backtrace", "RUST_BACKTRACE", "panicked at"] {
        assert!(!text.contains(banned), "{banned:?} reached the terminal:\n{text}");
    }
    let left = find(&bytes, b"\x1b[?1049l", from).expect("left the alternate screen");
    let after = visible_text(&bytes[left..]);
    let lines: Vec<&str> = after.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line after leaving the alternate screen, got {lines:#?}");
    let line = lines[0];
    assert!(line.starts_with(PREFIX), "the line after leaving the alternate screen: {line:?}");
    assert!(
        tui.contents().contains(PREFIX),
        "the message is not on the (normal) screen after the panic:\n{}",
        tui.framed_screen()
    );

    let details = line
        .split_once("(details in ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no \"(details in PATH)\" at the end of {line:?}"));
    let crash_log = Path::new(details);
    assert_eq!(crash_log.parent(), Some(state_home.path().join("bitext").as_path()), "crash log elsewhere: {line}");
    let name = crash_log.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    assert!(name.starts_with("crash-") && name.ends_with(".log"), "unexpected crash log name {name:?}");
    let report = fs::read_to_string(crash_log).unwrap_or_else(|e| panic!("read the crash log {details}: {e}"));
    assert!(report.contains("test panic requested"), "the crash log lacks the panic message:\n{report}");

    assert_forum_read_and_starred(state_home.path(), "after the panic");
}

// ---------------------------------------------------------------------------------------------
// Hostile text
// ---------------------------------------------------------------------------------------------

/// A library folder holding only the hostile article.
fn hostile_library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp library");
    fs::copy(HOSTILE, dir.path().join("hostile.toml")).expect("copy the hostile article");
    dir
}

/// Escape sequences in `bytes` that are not SGR (colours and text attributes), as text.
fn non_sgr_escapes(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = find(bytes, b"\x1b", from) {
        let rest = &bytes[at + 1..];
        let sgr = rest.first() == Some(&b'[')
            && rest[1..]
                .iter()
                .position(|&b| !(b.is_ascii_digit() || b == b';'))
                .is_some_and(|end| rest[1 + end] == b'm');
        if !sgr {
            found.push(String::from_utf8_lossy(&bytes[at..(at + 12).min(bytes.len())]).into_owned());
        }
        from = at + 1;
    }
    found
}

/// Nothing of the hostile article's control sequences reached the terminal in `bytes`.
fn assert_inert(bytes: &[u8], context: &str) {
    for needle in ["PWNED", "evil.example", "ZXZpbA==", "cHduZWQ="] {
        assert_eq!(count(bytes, needle.as_bytes()), 0, "{context}: {needle:?} was written to the terminal");
    }
    let sequences: [(&str, &[u8]); 6] = [
        ("an OSC introducer (ESC ])", b"\x1b]"),
        ("a DCS introducer (ESC P)", b"\x1bP"),
        ("a string terminator (ESC \\)", b"\x1b\\"),
        ("the article's cursor-up (ESC[10A)", b"\x1b[10A"),
        ("NUL", b"\x00"),
        ("backspace", b"\x08"),
    ];
    for (what, needle) in sequences {
        assert_eq!(count(bytes, needle), 0, "{context}: {what} was written to the terminal");
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0x07) {
        panic!("{context}: BEL at byte {at}: {:?}", String::from_utf8_lossy(&bytes[at.saturating_sub(40)..at + 1]));
    }
    if let Some(at) = bytes.windows(2).position(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1])) {
        panic!("{context}: C1 control U+00{:02X} (UTF-8) at byte {at}", bytes[at + 1]);
    }
    // U+202A..U+202E and U+2066..U+2069: bidi embeddings, overrides and isolates.
    if let Some(at) = bytes.windows(3).position(|w| {
        w[0] == 0xE2
            && ((w[1] == 0x80 && (0xAA..=0xAE).contains(&w[2])) || (w[1] == 0x81 && (0xA6..=0xA9).contains(&w[2])))
    }) {
        panic!("{context}: bidi control {:?} at byte {at}", String::from_utf8_lossy(&bytes[at..at + 3]));
    }
    // A lone CR would move the cursor back over text already written.
    if let Some(at) = bytes.iter().enumerate().position(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
        panic!("{context}: CR not followed by LF at byte {at}");
    }
    // The title's escape sequences were removed, not passed on between its letters.
    assert!(
        find(bytes, HOSTILE_TITLE.as_bytes(), 0).is_some(),
        "{context}: {HOSTILE_TITLE:?} is not written contiguously: something sits between its letters"
    );
}

#[test]
fn hostile_article_sends_no_control_sequences() {
    let library = hostile_library();
    let mut tui = Spawn::new(120, 40).library(library.path()).start();
    tui.wait_for_text("1 article");
    tui.wait_for_text(HOSTILE_TITLE);
    // Clearing the screen is the program's own business once, at the start, before any text.
    let first_frame = tui.bytes();
    let clears_at_start = count(&first_frame, b"\x1b[2J");

    tui.send(ENTER);
    tui.send(b"1");
    wait_for_first_field(&mut tui, "translation");
    tui.wait_for_text(HOSTILE_FIRST);
    let rows = tui.rows();
    assert!(rows.iter().any(|r| r.contains(HOSTILE_TITLE)), "title missing:\n{}", tui.framed_screen());
    assert!(rows.iter().any(|r| r.contains(HOSTILE_FIRST)), "first paragraph missing:\n{}", tui.framed_screen());

    for (key, mode) in [(b"2", "source"), (b"3", "side by side"), (b"4", "interleaved")] {
        tui.send(key);
        wait_for_first_field(&mut tui, mode);
    }
    // The help overlay's title begins "Keys (".
    tui.send(b"?");
    tui.wait_for_text("Keys (");
    tui.send(ESC);
    tui.wait_for_gone("Keys (");
    tui.send(b"q");
    wait_for_first_field(&mut tui, "1/1");
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");

    let bytes = tui.bytes();
    assert_inert(&bytes, "the reader");
    assert_eq!(
        count(&bytes, b"\x1b[2J"),
        clears_at_start,
        "the screen was cleared (ESC[2J) after the start: the article's ESC[2J got through?"
    );
    let first_text = find(&bytes, HOSTILE_TITLE.as_bytes(), 0).unwrap_or(0);
    assert!(find(&bytes, b"\x1b[2J", first_text).is_none(), "ESC[2J after the first frame was drawn");
}

/// Runs `bitext --library HOSTILE ARGS` with its stdout on a 120×40 terminal and returns it
/// after the exit.
fn run_on_a_terminal(args: &[&str]) -> Tui {
    let library = hostile_library();
    let mut tui = Spawn::new(120, 40).library(library.path()).args(args.iter().copied()).start();
    let status = tui.wait_exit();
    assert!(status.success(), "bitext {args:?} exited with {status:?}; the screen:\n{}", tui.framed_screen());
    tui
}

#[test]
fn show_and_list_to_a_tty_are_inert() {
    let show = run_on_a_terminal(&["show", "hostile", "--mode", "side-by-side"]);
    let bytes = show.bytes();
    assert_inert(&bytes, "show");
    assert_eq!(non_sgr_escapes(&bytes), Vec::<String>::new(), "show wrote escape sequences other than colours");
    let contents = show.contents();
    for text in [HOSTILE_TITLE, "First paragraph", "Clipboard write.", "Bidi override"] {
        assert!(contents.contains(text), "show: {text:?} not on the screen:\n{}", show.framed_screen());
    }

    let list = run_on_a_terminal(&["list"]);
    let bytes = list.bytes();
    assert_inert(&bytes, "list");
    assert_eq!(non_sgr_escapes(&bytes), Vec::<String>::new(), "list wrote escape sequences other than colours");
    assert!(list.contents().contains(HOSTILE_TITLE), "list: the title is not on the screen:\n{}", list.framed_screen());
}

#[test]
fn a_vanishing_library_folder_is_reported_and_the_app_keeps_working() {
    let home = tempfile::tempdir().unwrap();
    let library = home.path().join("library");
    copy_library(Path::new(SAMPLE_LIBRARY), &library);
    let mut tui = Spawn::new(120, 40).library(&library).start();
    tui.wait_for_text("8 articles");
    fs::remove_dir_all(&library).unwrap();
    tui.wait_for("the missing folder reported", |t| t.contents().contains("does not exist"));
    // The articles already listed stay, and the app still answers keys.
    assert!(tui.contents().contains("8 articles"), "{}", tui.contents());
    tui.send(b"j");
    tui.wait_for_text("2/8");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

/// An SSH connection that drops: the terminal hangs up, but the hang-up signal goes to the
/// session's leader (the login shell), not to bitext, which only finds its terminal gone (EIO).
/// That is a normal end too: exit 0, state saved, nothing logged as an error.
#[test]
fn a_dropped_connection_without_sighup_is_a_normal_end() {
    let library = tempfile::tempdir().expect("temp library");
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let state_home = tempfile::tempdir().expect("temp state home");
    let status_file = state_home.path().join("exit-status");
    // The shell stays (it ignores the hang-up) to record how bitext ended.
    let script = "trap '' HUP; \"$@\"; echo $? > \"$0\"";
    let mut tui = Spawn::new(120, 40)
        .library(library.path())
        .state_home(state_home.path())
        .wrapped_in(["sh", "-c", script, status_file.to_str().unwrap()])
        .start();
    open_forum(&mut tui);
    star_unsaved(&mut tui, state_home.path());
    tui.hang_up();
    let start = Instant::now();
    let status = loop {
        if let Ok(s) = fs::read_to_string(&status_file)
            && s.ends_with('\n')
        {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "bitext did not end within 5 s of the hang-up");
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.trim(), "0", "exit status after the connection dropped");
    let log = fs::read_to_string(state_home.path().join("bitext/bitext.log")).unwrap_or_default();
    assert!(!log.contains("ERROR"), "a dropped connection was logged as an error:\n{log}");
    assert_forum_read_and_starred(state_home.path(), "after the connection dropped");
}
