//! The real binary in a pseudo-terminal: what a user sees on the screen, the keys that move
//! between the list and the reader, resizing, and leaving the terminal as it was found.
//!
//! Each test spawns `bitext` on a fresh PTY. A background thread reads everything the program
//! writes, keeps the raw bytes and feeds them to a `vt100` parser; the tests poll that screen
//! with a deadline instead of sleeping for fixed times.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long any single expectation may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);
/// No output for this long after a condition holds: the frame is finished.
const QUIET: Duration = Duration::from_millis(100);

const ENTER: &[u8] = b"\r";
const ESC: &[u8] = b"\x1b";
const CTRL_C: &[u8] = b"\x03";

/// What the reader thread has seen so far.
struct Output {
    bytes: Vec<u8>,
    parser: vt100::Parser,
    /// The PTY reported end of file: every process holding the slave side is gone.
    eof: bool,
    /// When the last bytes arrived.
    last_output: Instant,
}

/// `bitext` running in a PTY. Dropping it kills the program if it is still running, so a
/// failed assertion never leaves a stray process behind.
struct Tui {
    master: Box<dyn MasterPty + Send>,
    /// Shared with the reader thread, which answers the program's terminal queries.
    writer: Arc<Mutex<Option<Box<dyn Write + Send>>>>,
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Output>>,
    status: Option<ExitStatus>,
    _home: tempfile::TempDir,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal sizes are not zero")
}

impl Tui {
    /// Starts the reader on the sample articles in a `cols`×`rows` terminal, with no user
    /// config and no saved state.
    fn spawn(cols: u16, rows: u16) -> Tui {
        let home = tempfile::tempdir().expect("temp dir");
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");

        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_bitext"));
        cmd.arg("--library");
        cmd.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/articles"));
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_STATE_HOME", home.path().join("state"));
        cmd.env_remove("BITEXT_CONFIG");
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(home.path());

        let child = pair.slave.spawn_command(cmd).expect("spawn bitext");
        // Only the child may hold the slave side, or the reader would never see end of file.
        drop(pair.slave);

        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Output {
            bytes: Vec::new(),
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            eof: false,
            last_output: Instant::now(),
        }));
        let writer = Arc::new(Mutex::new(Some(writer)));
        let sink = Arc::clone(&output);
        let answer = Arc::clone(&writer);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // The end of the previous chunk, so a query split across two reads is still seen.
            let mut tail: Vec<u8> = Vec::new();
            loop {
                match reader.read(&mut buf) {
                    // portable-pty turns the EIO of a closed slave into Ok(0).
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let chunk = &buf[..n];
                        let reply = {
                            let mut out = lock(&sink);
                            out.bytes.extend_from_slice(chunk);
                            out.last_output = Instant::now();
                            out.parser.process(chunk);
                            // Answer "where is the cursor?" (DSR 6) as a terminal would;
                            // ratatui asks when it clears the screen at startup.
                            tail.extend_from_slice(chunk);
                            let queries = count(&tail, DSR_CURSOR);
                            let keep = tail.len().saturating_sub(DSR_CURSOR.len() - 1);
                            tail.drain(..keep);
                            let (row, col) = out.parser.screen().cursor_position();
                            format!("\x1b[{};{}R", row + 1, col + 1).repeat(queries)
                        };
                        if !reply.is_empty()
                            && let Some(w) = lock(&answer).as_mut()
                        {
                            let _ = w.write_all(reply.as_bytes());
                            let _ = w.flush();
                        }
                    }
                }
            }
            lock(&sink).eof = true;
        });

        Tui { master: pair.master, writer, child, output, status: None, _home: home }
    }

    fn send(&mut self, keys: &[u8]) {
        let mut w = lock(&self.writer);
        let w = w.as_mut().expect("writer is open");
        w.write_all(keys).expect("write to pty");
        w.flush().expect("flush pty");
    }

    /// The screen as text, one string per row.
    fn rows(&self) -> Vec<String> {
        let out = lock(&self.output);
        let screen = out.parser.screen();
        let cols = screen.size().1.get();
        screen.rows(0, cols).collect()
    }

    fn contents(&self) -> String {
        lock(&self.output).parser.screen().contents()
    }

    /// The status line: the bottom row.
    fn status_row(&self) -> String {
        self.rows().pop().unwrap_or_default()
    }

    fn bytes(&self) -> Vec<u8> {
        lock(&self.output).bytes.clone()
    }

    /// Resizes the PTY (the kernel sends SIGWINCH to the program) and the emulated screen.
    fn resize(&mut self, cols: u16, rows: u16) {
        lock(&self.output).parser.set_size(nz(rows), nz(cols));
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize pty");
    }

    /// Polls until `done` holds for the screen and the program has stopped writing, so the
    /// frame that satisfied `done` is complete and later assertions see all of it. Panics with
    /// the screen after the deadline, or as soon as the program has exited without getting
    /// there.
    fn wait_for(&mut self, what: &str, done: impl Fn(&Tui) -> bool) {
        let start = Instant::now();
        let mut held_since = None;
        loop {
            if done(self) {
                let since = *held_since.get_or_insert_with(Instant::now);
                // Quiet, or true for long enough that a program redrawing on a timer still
                // passes.
                if lock(&self.output).last_output.elapsed() >= QUIET || since.elapsed() >= QUIET * 10 {
                    return;
                }
            } else {
                held_since = None;
            }
            if self.status.is_none()
                && let Ok(Some(status)) = self.child.try_wait()
            {
                self.status = Some(status);
            }
            // Once the program is gone and its output fully read, nothing more can change.
            let finished = self.status.is_some() && lock(&self.output).eof;
            if finished || start.elapsed() > DEADLINE {
                if done(self) {
                    return;
                }
                let why = match &self.status {
                    Some(s) => format!("bitext exited ({s:?})"),
                    None => format!("timed out after {DEADLINE:?}"),
                };
                panic!("{why} waiting for {what}; the screen:\n{}", self.framed_screen());
            }
            thread::sleep(POLL);
        }
    }

    fn wait_for_text(&mut self, text: &str) {
        self.wait_for(&format!("{text:?} on screen"), |t| t.contents().contains(text));
    }

    fn wait_for_gone(&mut self, text: &str) {
        self.wait_for(&format!("{text:?} to leave the screen"), |t| !t.contents().contains(text));
    }

    /// Waits until one of the status line's `│`-separated fields is exactly `field`.
    fn wait_for_status(&mut self, field: &str) {
        self.wait_for(&format!("status field {field:?}"), |t| {
            status_fields(&t.status_row()).iter().any(|f| f == field)
        });
    }

    /// Waits for the program to exit and for its last output to be read, then returns how it
    /// exited.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if self.status.is_none()
                && let Ok(Some(status)) = self.child.try_wait()
            {
                self.status = Some(status);
            }
            if let Some(status) = &self.status
                && lock(&self.output).eof
            {
                return status.clone();
            }
            if start.elapsed() > DEADLINE {
                let state = if self.status.is_some() { "exited but its output never ended" } else { "still running" };
                panic!("bitext {state} after {DEADLINE:?}; the screen:\n{}", self.framed_screen());
            }
            thread::sleep(POLL);
        }
    }

    /// The screen with a frame around it, so trailing blanks and empty rows are visible in a
    /// failure message.
    fn framed_screen(&self) -> String {
        let rows = self.rows();
        let width = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
        let rule = "-".repeat(width + 2);
        let mut s = format!("+{rule}+\n");
        for (i, r) in rows.iter().enumerate() {
            s.push_str(&format!("| {r} |{i:>3}\n"));
        }
        s.push_str(&format!("+{rule}+"));
        s
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Close our side only after the child is gone; the reader thread then sees end of
        // file and ends on its own.
        lock(&self.writer).take();
    }
}

/// Locks the shared output even if another thread panicked while holding it, so the Drop
/// guard and failure messages still work.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn status_fields(row: &str) -> Vec<String> {
    row.split('│').map(|f| f.trim().to_string()).collect()
}

/// Device status report 6: the program asks for the cursor position.
const DSR_CURSOR: &[u8] = b"\x1b[6n";

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// The program left the terminal as it found it: it entered the alternate screen, then left
/// it and showed the cursor again, and the emulated terminal agrees.
fn assert_terminal_restored(tui: &Tui) {
    let bytes = tui.bytes();
    let entered = find(&bytes, b"\x1b[?1049h", 0).expect("never entered the alternate screen (ESC[?1049h)");
    assert!(
        find(&bytes, b"\x1b[?1049l", entered).is_some(),
        "never left the alternate screen (no ESC[?1049l after ESC[?1049h)"
    );
    assert!(
        find(&bytes, b"\x1b[?25h", entered).is_some(),
        "never showed the cursor again (no ESC[?25h after ESC[?1049h)"
    );
    assert_eq!(
        count(&bytes, DSR_CURSOR),
        0,
        "asked the terminal for the cursor position: a terminal that never answers would stall the start"
    );
    let out = lock(&tui.output);
    let screen = out.parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen after exit");
    assert!(!screen.hide_cursor(), "cursor still hidden after exit");
    drop(out);
    assert_cooked_mode(tui);
}

/// The terminal's local mode flags (`c_lflag`), read through the master side, which reports
/// the slave's settings on Linux. `None` where the flag values below are not known.
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
))]
fn local_flags(tui: &Tui) -> Option<u32> {
    let termios = tui.master.get_termios().expect("read the pty's termios");
    Some(termios.local_flags.bits())
}

#[cfg(not(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
)))]
fn local_flags(_: &Tui) -> Option<u32> {
    None
}

// From <asm-generic/termbits.h>.
const ICANON: u32 = 0o000002;
const ECHO: u32 = 0o000010;

/// Raw mode is on: no line editing, no echo.
fn assert_raw_mode(tui: &Tui) {
    if let Some(lflag) = local_flags(tui) {
        assert!(lflag & (ICANON | ECHO) == 0, "the reader runs without raw mode (lflag {lflag:o})");
    }
}

/// Raw mode is off again: the terminal reads lines and echoes.
fn assert_cooked_mode(tui: &Tui) {
    if let Some(lflag) = local_flags(tui) {
        assert!(lflag & ICANON != 0, "raw mode left on after exit: ICANON is off (lflag {lflag:o})");
        assert!(lflag & ECHO != 0, "raw mode left on after exit: ECHO is off (lflag {lflag:o})");
    }
}

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";

#[test]
fn opens_article_side_by_side_and_quits_cleanly() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    assert_raw_mode(&tui);

    // Newest first; the second article is the Seoul forum, shown in the reader pane.
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.send(b"3");
    tui.wait_for_status("side by side");

    // The Korean paragraph and its English translation share screen rows: on some row the
    // Korean text is followed, further right, by the English.
    let rows = tui.rows();
    let paired = rows.iter().any(|r| r.find("서울시가").is_some_and(|i| r[i..].contains("Seoul")));
    assert!(paired, "no row has Korean (서울시가) with English (Seoul) to its right:\n{}", tui.framed_screen());
    // Both panes are still there.
    assert!(tui.contents().contains("8 articles"), "the list disappeared:\n{}", tui.framed_screen());

    // q leaves the reader (the list's position comes back in the status line), q again quits.
    tui.send(b"q");
    tui.wait_for("focus back on the list (\"2/8\" in the status line)", |t| {
        status_fields(&t.status_row()).first().is_some_and(|f| f == "2/8")
    });
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn narrow_terminal_uses_separate_screens() {
    let mut tui = Tui::spawn(80, 24);
    tui.wait_for_text("8 articles");
    // The list is the whole screen: no reader pane beside it.
    let rows = tui.rows();
    assert!(rows[0].starts_with("┌ Library"), "list not at the top left:\n{}", tui.framed_screen());
    assert!(
        !tui.contents().contains("ja/sakura-front-sample-trees"),
        "a reader pane is showing:\n{}",
        tui.framed_screen()
    );

    tui.send(ENTER);
    tui.wait_for_gone("Library ·");
    tui.wait_for_text("ja/sakura-front-sample-trees");
    tui.wait_for_status("translation");

    // Esc alone (crossterm would read ESC followed by another byte as Alt+key).
    tui.send(ESC);
    tui.wait_for_text("8 articles");
    assert!(
        !tui.contents().contains("ja/sakura-front-sample-trees"),
        "the reader is still showing:\n{}",
        tui.framed_screen()
    );

    tui.send(CTRL_C);
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn help_overlay_lists_bindings() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    assert!(!tui.contents().contains("Keys"), "help open before ? was pressed:\n{}", tui.framed_screen());
    tui.send(b"?");
    tui.wait_for("the help overlay listing the mode and quit keys", |t| {
        let s = t.contents();
        s.contains("Keys") && s.contains("side by side") && s.contains("ctrl-c")
    });

    tui.send(ESC);
    tui.wait_for_gone("Keys");
    // Esc only closed the overlay; the program is still running on the list.
    tui.wait_for_text("8 articles");
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn too_small_terminal_shows_message() {
    let mut tui = Tui::spawn(30, 8);
    tui.wait_for_text("too small");
    assert!(
        !tui.contents().contains("Library"),
        "the interface drew into a too-small terminal:\n{}",
        tui.framed_screen()
    );

    tui.resize(120, 40);
    tui.wait_for_text("8 articles");
    tui.wait_for_gone("too small");
    // The wide layout: the reader pane is beside the list.
    tui.wait_for_text("ja/sakura-front-sample-trees");

    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn ctrl_c_restores_terminal_from_reader() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    tui.send(ENTER);
    // Focus in the reader: the list position leaves the status line.
    tui.wait_for("focus in the reader (no \"1/8\" in the status line)", |t| {
        let fields = status_fields(&t.status_row());
        fields.first().is_some_and(|f| f == "translation")
    });

    tui.send(CTRL_C);
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}
