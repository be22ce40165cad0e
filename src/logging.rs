//! The log: `tracing` events go to `$XDG_STATE_HOME/bitext/bitext.log` (usually
//! `~/.local/state/bitext/bitext.log`), never to the terminal, which the reader owns. The file is
//! opened on the first event at the chosen level, so a quiet run leaves nothing behind; a file
//! over [`MAX_SIZE`] is moved aside to `bitext.log.old` when it is opened.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::fmt::MakeWriter;

/// How much goes into the log (`--log-level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    fn filter(self) -> tracing::level_filters::LevelFilter {
        use tracing::level_filters::LevelFilter as L;
        match self {
            LogLevel::Error => L::ERROR,
            LogLevel::Warn => L::WARN,
            LogLevel::Info => L::INFO,
            LogLevel::Debug => L::DEBUG,
            LogLevel::Trace => L::TRACE,
        }
    }
}

/// A log file larger than this is moved aside when it is opened.
pub const MAX_SIZE: u64 = 4 * 1024 * 1024;

/// Where the log goes: `bitext.log` beside the reading state.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    let base = strategy.state_dir().unwrap_or_else(|| strategy.data_dir());
    Some(base.join("bitext").join("bitext.log"))
}

/// Sends `tracing` events at `level` and above to the log file. Does nothing when there is no
/// place for the file or a subscriber is already set (tests). Never fails: a log that cannot be
/// written is dropped.
pub fn init(level: LogLevel) {
    let Some(path) = default_path() else { return };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level.filter())
        .with_writer(LazyFile::new(path))
        .with_target(false)
        .try_init();
    tracing::debug!("bitext {} started: {}", env!("CARGO_PKG_VERSION"), args());
}

/// The command line, for the first line of the log.
fn args() -> String {
    std::env::args().map(|a| crate::text::sanitize_line(&a)).collect::<Vec<_>>().join(" ")
}

/// Logs a message the status line shows, once for as long as it stays: errors (`could not …`,
/// `cannot …`, `failed`, `error`) as warnings, the rest at debug level.
pub fn status_message(message: &str) {
    static LAST: Mutex<String> = Mutex::new(String::new());
    let Ok(mut last) = LAST.lock() else { return };
    if *last == message {
        return;
    }
    last.clear();
    last.push_str(message);
    let lower = message.to_lowercase();
    if ["could not", "cannot", "failed", "error", "no such"].iter().any(|w| lower.contains(w)) {
        tracing::warn!("status line: {message}");
    } else {
        tracing::debug!("status line: {message}");
    }
}

/// A log file opened (and its folder made) at the first write.
struct LazyFile {
    path: PathBuf,
    file: Mutex<Opened>,
}

enum Opened {
    NotYet,
    Open(File),
    Failed,
}

impl LazyFile {
    fn new(path: PathBuf) -> LazyFile {
        LazyFile { path, file: Mutex::new(Opened::NotYet) }
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_SIZE) {
        let _ = std::fs::rename(path, path.with_extension("log.old"));
    }
    OpenOptions::new().create(true).append(true).open(path)
}

/// One event's worth of writing to a `LazyFile`.
pub struct Handle<'a>(&'a LazyFile);

impl Write for Handle<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let Ok(mut opened) = self.0.file.lock() else { return Ok(buf.len()) };
        if let Opened::NotYet = *opened {
            *opened = open(&self.0.path).map_or(Opened::Failed, Opened::Open);
        }
        if let Opened::Open(f) = &mut *opened
            && f.write_all(buf).is_err()
        {
            *opened = Opened::Failed;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Ok(mut opened) = self.0.file.lock()
            && let Opened::Open(f) = &mut *opened
        {
            let _ = f.flush();
        }
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LazyFile {
    type Writer = Handle<'a>;

    fn make_writer(&'a self) -> Handle<'a> {
        Handle(self)
    }
}

/// One line to stderr; a closed terminal is not an error (unlike `eprintln!`, which panics).
pub fn say(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}
