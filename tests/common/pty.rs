//! The real binary in a pseudo-terminal, shared by `tests/pty.rs` and `tests/pty_state.rs`.
//!
//! [`Spawn`] starts `bitext` on a fresh PTY. A background thread reads everything the program
//! writes, keeps the raw bytes and feeds them to a `vt100` parser; the tests poll that screen
//! with a deadline instead of sleeping for fixed times.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long any single expectation may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);
/// No output for this long after a condition holds: the frame is finished.
const QUIET: Duration = Duration::from_millis(100);

pub const ENTER: &[u8] = b"\r";
pub const ESC: &[u8] = b"\x1b";
pub const CTRL_C: &[u8] = b"\x03";

/// The sample articles shipped with the repository.
pub const SAMPLE_LIBRARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/articles");

/// What the reader thread has seen so far.
struct Output {
    bytes: Vec<u8>,
    parser: vt100::Parser,
    /// The PTY reported end of file: every process holding the slave side is gone.
    eof: bool,
    /// When the last bytes arrived.
    last_output: Instant,
}

/// How to start `bitext`: the terminal size, the library folder and where the reading state
/// lives. By default the sample articles, and a fresh, empty state folder that goes away with
/// the [`Tui`].
pub struct Spawn {
    cols: u16,
    rows: u16,
    library: PathBuf,
    state_home: Option<PathBuf>,
    /// Arguments after `--library DIR`: a subcommand such as `list`, or options.
    args: Vec<OsString>,
    /// Extra environment, set after the defaults (so it can override them).
    env: Vec<(OsString, OsString)>,
    cache_home: Option<PathBuf>,
    /// Run as an unprivileged user (through `setpriv` when the tests run as root), so that
    /// file permissions apply.
    unprivileged: bool,
    /// A program (and its arguments) that runs bitext, the command line of bitext following.
    wrapper: Vec<String>,
    /// The terminal answers no question (where the cursor is), as some never do.
    silent: bool,
    /// The terminal answers as one with left and right margins does (see `with_margins`).
    margins: bool,
}

impl Spawn {
    pub fn new(cols: u16, rows: u16) -> Spawn {
        Spawn {
            cols,
            rows,
            library: PathBuf::from(SAMPLE_LIBRARY),
            state_home: None,
            args: Vec::new(),
            env: Vec::new(),
            cache_home: None,
            unprivileged: false,
            wrapper: Vec::new(),
            silent: false,
            margins: false,
        }
    }

    /// A terminal that answers bitext's question at start as one with left and right margins
    /// does: setting them took the cursor home. (vt100 draws no margins: only the bytes bitext
    /// writes tell what it did.)
    pub fn with_margins(mut self) -> Spawn {
        self.margins = true;
        self
    }

    /// A terminal that never answers the program's questions.
    pub fn silent(mut self) -> Spawn {
        self.silent = true;
        self
    }

    /// Runs bitext through `program` (a shell, say), with bitext's command line after `args`.
    pub fn wrapped_in<S: Into<String>>(mut self, command: impl IntoIterator<Item = S>) -> Spawn {
        self.wrapper = command.into_iter().map(Into::into).collect();
        self
    }

    /// Uses `dir` as `$XDG_CACHE_HOME`, so the index cache outlives this run.
    pub fn cache_home(mut self, dir: impl Into<PathBuf>) -> Spawn {
        self.cache_home = Some(dir.into());
        self
    }

    /// Runs bitext as the user `nobody` when the tests run as root (see [`as_unprivileged`]).
    pub fn unprivileged(mut self) -> Spawn {
        self.unprivileged = true;
        self
    }

    /// Reads articles from `dir` instead of the sample articles.
    pub fn library(mut self, dir: impl Into<PathBuf>) -> Spawn {
        self.library = dir.into();
        self
    }

    /// Uses `dir` as `$XDG_STATE_HOME`, so the state outlives this run (and can be shared).
    pub fn state_home(mut self, dir: impl Into<PathBuf>) -> Spawn {
        self.state_home = Some(dir.into());
        self
    }

    /// Passes `args` after `--library DIR`, e.g. `["list"]` to run a subcommand on the terminal.
    pub fn args<I, S>(mut self, args: I) -> Spawn
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets the environment variable `key` for the program.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Spawn {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn start(self) -> Tui {
        Tui::start(self)
    }
}

/// `bitext` running in a PTY. Dropping it kills the program if it is still running, so a
/// failed assertion never leaves a stray process behind.
pub struct Tui {
    /// `None` after [`Tui::hang_up`].
    master: Option<Box<dyn MasterPty + Send>>,
    /// Shared with the reader thread, which answers the program's terminal queries.
    writer: Arc<Mutex<Option<Box<dyn Write + Send>>>>,
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Output>>,
    status: Option<ExitStatus>,
    /// Set by [`Tui::hang_up`]: the reader thread stops and drops its end of the PTY.
    hung_up: Arc<AtomicBool>,
    _home: tempfile::TempDir,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal sizes are not zero")
}

impl Tui {
    /// Starts the reader on the sample articles in a `cols`×`rows` terminal, with no user
    /// config and no saved state.
    pub fn spawn(cols: u16, rows: u16) -> Tui {
        Spawn::new(cols, rows).start()
    }

    fn start(spawn: Spawn) -> Tui {
        let Spawn { cols, rows, library, state_home, args, env, cache_home, unprivileged, wrapper, silent, margins } =
            spawn;
        let home = tempfile::tempdir().expect("temp dir");
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");

        let mut cmd = if let Some((program, rest)) = wrapper.split_first() {
            let mut cmd = CommandBuilder::new(program);
            cmd.args(rest);
            cmd.arg(env!("CARGO_BIN_EXE_bitext"));
            cmd
        } else if unprivileged {
            open_to_all(home.path());
            let (program, prefix) = as_unprivileged();
            let mut cmd = CommandBuilder::new(program);
            cmd.args(prefix);
            cmd.arg(env!("CARGO_BIN_EXE_bitext"));
            cmd
        } else {
            CommandBuilder::new(env!("CARGO_BIN_EXE_bitext"))
        };
        cmd.arg("--library");
        cmd.arg(&library);
        cmd.args(&args);
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_STATE_HOME", state_home.unwrap_or_else(|| home.path().join("state")));
        cmd.env("XDG_CACHE_HOME", cache_home.unwrap_or_else(|| home.path().join("cache")));
        cmd.env_remove("BITEXT_CONFIG");
        cmd.env_remove("BROWSER");
        // Copies inside tmux also go to tmux's buffer: never the buffer of a tmux the tests run in.
        cmd.env_remove("TMUX");
        cmd.env("TERM", "xterm-256color");
        for (key, value) in &env {
            cmd.env(key, value);
        }
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
        let hung_up = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&hung_up);
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
                            let (row, col) = if margins { (0, 0) } else { out.parser.screen().cursor_position() };
                            format!("\x1b[{};{}R", row + 1, col + 1).repeat(queries)
                        };
                        if !reply.is_empty()
                            && !silent
                            && let Some(w) = lock(&answer).as_mut()
                        {
                            let _ = w.write_all(reply.as_bytes());
                            let _ = w.flush();
                        }
                    }
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
            lock(&sink).eof = true;
        });

        Tui { master: Some(pair.master), writer, child, output, status: None, hung_up, _home: home }
    }

    pub fn send(&mut self, keys: &[u8]) {
        let mut w = lock(&self.writer);
        let w = w.as_mut().expect("writer is open");
        w.write_all(keys).expect("write to pty");
        w.flush().expect("flush pty");
    }

    /// The screen as text, one string per row.
    pub fn rows(&self) -> Vec<String> {
        let out = lock(&self.output);
        let screen = out.parser.screen();
        let cols = screen.size().1.get();
        // Blanks at the end of a row look the same whether they were written or erased.
        screen.rows(0, cols).map(|r| r.trim_end().to_string()).collect()
    }

    /// Columns `start..start + width` of every row: one pane of a split screen.
    pub fn columns(&self, start: u16, width: u16) -> Vec<String> {
        lock(&self.output).parser.screen().rows(start, width).collect()
    }

    pub fn contents(&self) -> String {
        lock(&self.output).parser.screen().contents()
    }

    /// The status line: the bottom row.
    pub fn status_row(&self) -> String {
        self.rows().pop().unwrap_or_default()
    }

    /// The status line split at its `│` separators, each field trimmed.
    pub fn status_fields(&self) -> Vec<String> {
        status_fields(&self.status_row())
    }

    /// Some field of the status line, or of the message too long for it on the rows above it,
    /// starts with `message` (the last field also holds the help hint, so it never equals a
    /// message).
    pub fn status_says(&self, message: &str) -> bool {
        status_fields(&self.status_text()).iter().any(|f| f.starts_with(message))
    }

    /// The status line with, before it, what did not fit on it: the rows above it that start
    /// with a space (the panes start with their border), joined into one line as the status
    /// line joins its fields.
    pub fn status_text(&self) -> String {
        let mut rows = self.rows();
        let status = rows.pop().unwrap_or_default();
        let mut above: Vec<&str> =
            rows.iter().rev().take_while(|r| r.starts_with(' ') && !r.trim().is_empty()).map(|r| r.trim()).collect();
        above.reverse();
        if above.is_empty() { status } else { format!(" {} │{status}", above.join(" ")) }
    }

    /// Everything the program has written so far, escape sequences included.
    pub fn bytes(&self) -> Vec<u8> {
        lock(&self.output).bytes.clone()
    }

    /// Resizes the PTY (the kernel sends SIGWINCH to the program) and the emulated screen.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        lock(&self.output).parser.set_size(nz(rows), nz(cols));
        let master = self.master.as_ref().expect("the terminal was hung up");
        master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize pty");
    }

    /// Polls until `done` holds for the screen and the program has stopped writing, so the
    /// frame that satisfied `done` is complete and later assertions see all of it. Panics with
    /// the screen after [`DEADLINE`], or as soon as the program has exited without getting
    /// there.
    pub fn wait_for(&mut self, what: &str, done: impl Fn(&Tui) -> bool) {
        self.wait_for_within(DEADLINE, what, done);
    }

    /// [`Tui::wait_for`] with its own deadline, for things that must happen in a given time.
    pub fn wait_for_within(&mut self, deadline: Duration, what: &str, done: impl Fn(&Tui) -> bool) {
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
            self.poll_exit();
            // Once the program is gone and its output fully read, nothing more can change.
            let finished = self.status.is_some() && lock(&self.output).eof;
            if finished || start.elapsed() > deadline {
                if done(self) {
                    return;
                }
                let why = match &self.status {
                    Some(s) => format!("bitext exited ({s:?})"),
                    None => format!("timed out after {deadline:?}"),
                };
                panic!("{why} waiting for {what}; the screen:\n{}", self.framed_screen());
            }
            thread::sleep(POLL);
        }
    }

    pub fn wait_for_text(&mut self, text: &str) {
        self.wait_for(&format!("{text:?} on screen"), |t| t.contents().contains(text));
    }

    pub fn wait_for_gone(&mut self, text: &str) {
        self.wait_for(&format!("{text:?} to leave the screen"), |t| !t.contents().contains(text));
    }

    /// Waits until one of the status line's `│`-separated fields is exactly `field`.
    pub fn wait_for_status(&mut self, field: &str) {
        self.wait_for(&format!("status field {field:?}"), |t| t.status_fields().iter().any(|f| f == field));
    }

    /// Waits until a field of the status line starts with `message`.
    pub fn wait_for_message(&mut self, message: &str) {
        self.wait_for(&format!("{message:?} in the status line"), |t| t.status_says(message));
    }

    /// Records the exit status if the program has exited (and reaps it).
    fn poll_exit(&mut self) {
        if self.status.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.status = Some(status);
        }
    }

    /// Waits for the program to exit and for its last output to be read, then returns how it
    /// exited.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            self.poll_exit();
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

    /// Kills the program with SIGKILL, which it cannot catch or clean up after, and waits for
    /// it to be gone. (portable-pty's `Child::kill` sends SIGHUP first; this does not.)
    pub fn sigkill(&mut self) -> ExitStatus {
        self.poll_exit();
        if self.status.is_none() {
            // Not reaped yet, so the id cannot have been reused.
            let pid = self.child.process_id().expect("the child has a process id");
            let killed = std::process::Command::new("kill").args(["-s", "KILL", &pid.to_string()]).status();
            if !killed.is_ok_and(|s| s.success()) {
                self.child.kill().expect("kill bitext");
            }
        }
        self.wait_exit()
    }

    /// The screen with a frame around it, so trailing blanks and empty rows are visible in a
    /// failure message.
    pub fn framed_screen(&self) -> String {
        framed(&self.rows())
    }

    /// The slave's local mode flags, read through the master side (Linux reports the slave's
    /// settings there).
    #[cfg(unix)]
    pub fn termios_local_flags(&self) -> Option<u32> {
        self.master.as_ref()?.get_termios().map(|t| t.local_flags.bits())
    }

    /// Whether the emulated terminal is on the alternate screen and whether its cursor is hidden.
    pub fn screen_modes(&self) -> (bool, bool) {
        let out = lock(&self.output);
        let screen = out.parser.screen();
        (screen.alternate_screen(), screen.hide_cursor())
    }

    /// The program's process id (valid until it has exited and been reaped).
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a process id")
    }

    /// How the program exited, or `None` while it runs (or is stopped). Reaps it once it has
    /// exited, without waiting for its last output to be read.
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        self.poll_exit();
        self.status.clone()
    }

    /// Closes the terminal as a terminal emulator does when its window is closed: every handle
    /// on the master side goes away, so the kernel hangs up the program's terminal (SIGHUP to
    /// the session leader, end of file on reads, EIO on writes). [`Tui::send`] and
    /// [`Tui::resize`] panic afterwards; the screen and bytes read so far stay.
    ///
    /// Dropping the master is not enough by itself: the reader thread holds a duplicate of it
    /// and sits in `read`, which keeps the master open until the program writes again, so the
    /// thread is told to stop and woken with one NUL written on the slave side. And the writer,
    /// which on drop types a newline and the EOF character (Ctrl-D) into the program for the
    /// sake of shells, is disarmed first by undefining the terminal's EOF character.
    #[cfg(unix)]
    pub fn hang_up(&mut self) {
        let master = self.master.take().expect("the terminal was already hung up");
        let tty = master.tty_name().expect("the path of the pty's slave side");
        {
            let slave = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&tty)
                .unwrap_or_else(|e| panic!("open {}: {e}", tty.display()));
            let stdin = slave.try_clone().expect("duplicate the slave handle");
            let stty = std::process::Command::new("stty").args(["eof", "undef"]).stdin(stdin).status();
            assert!(stty.as_ref().is_ok_and(|s| s.success()), "stty eof undef on {}: {stty:?}", tty.display());
            self.hung_up.store(true, Ordering::SeqCst);
            (&slave).write_all(b"\0").expect("wake the reader thread");
        }
        let start = Instant::now();
        while !lock(&self.output).eof {
            assert!(start.elapsed() < DEADLINE, "the reader thread did not stop within {DEADLINE:?}");
            thread::sleep(Duration::from_millis(2));
        }
        lock(&self.writer).take();
        drop(master);
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

/// `rows` with a frame around them and row numbers on the right.
pub fn framed(rows: &[String]) -> String {
    let width = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    let rule = "-".repeat(width + 2);
    let mut s = format!("+{rule}+\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!("| {r} |{i:>3}\n"));
    }
    s.push_str(&format!("+{rule}+"));
    s
}

/// Locks the shared output even if another thread panicked while holding it, so the Drop
/// guard and failure messages still work.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn status_fields(row: &str) -> Vec<String> {
    row.split('│').map(|f| f.trim().to_string()).collect()
}

/// Device status report 6: the program asks for the cursor position.
pub const DSR_CURSOR: &[u8] = b"\x1b[6n";

pub fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

pub fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// Copies the `*.toml` files of `from` (subfolders too) into `to`, keeping their paths.
pub fn copy_library(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read the library folder") {
        let entry = entry.expect("library entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("create a library subfolder");
            copy_library(&entry.path(), &target);
        } else if entry.path().extension().is_some_and(|e| e == "toml") {
            std::fs::copy(entry.path(), &target).expect("copy an article");
        }
    }
}

/// The program and arguments that run a command as an unprivileged user: `setpriv` to the user
/// `nobody` when the tests run as root (as CI does), nothing when they already run as a user.
pub fn as_unprivileged() -> (String, Vec<String>) {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        let prefix = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];
        ("setpriv".into(), prefix.iter().map(|s| s.to_string()).collect())
    } else {
        ("env".into(), Vec::new())
    }
}

/// Lets any user into `dir` and write there (a temporary folder an unprivileged run uses).
pub fn open_to_all(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("open the folder to all");
}
