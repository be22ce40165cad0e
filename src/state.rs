//! Reading state on disk: per article, whether it was read, whether it is starred, and the last
//! reading position.
//!
//! # The file
//!
//! Everything lives in one JSON file, by default `$XDG_STATE_HOME/bitext/state.json` (see
//! [`default_path`]); every function here takes the path, so callers and tests may put it
//! anywhere.
//!
//! ```json
//! {
//!   "version": 1,
//!   "articles": {
//!     "ko/seoul-forum": { "read": true, "starred": false, "position": 3, "updated": 1732540000000,
//!                         "read_at": 1732540000000, "starred_at": 0, "position_at": 1732539000000 }
//!   }
//! }
//! ```
//!
//! - `version` must be `1`. A file with another version was written by a newer bitext: it is
//!   left alone, and this session does not save state (see [`Loaded::writable`]).
//! - `articles` maps an article id to its state. Ids are kept as they are (they are only
//!   compared with article ids), except that entries whose id holds a control character are
//!   dropped.
//! - `position` is a paragraph-group index; `read_at`, `starred_at` and `position_at` are the
//!   times of the last change of each field, and `updated` of the last change of any, in
//!   milliseconds since the Unix epoch (0: never changed). A file without the per-field stamps
//!   (written by an older bitext) has `updated` stand for all three. A missing field takes its default (`false`, `0`), and
//!   unknown fields, at either level, are ignored.
//!
//! # Robustness
//!
//! - A file that is not UTF-8, is empty or is not JSON of this shape is never deleted or
//!   overwritten: it is moved aside to `state.json.corrupt-<unix seconds>` in the same folder
//!   (with `-1`, `-2`, … appended if that name is taken) and reading starts afresh.
//! - A file that exists but cannot be read, or cannot be moved aside, makes [`load`] report
//!   `writable: false`; the caller must then not write, so the user's file is never silently
//!   replaced.
//! - Writers take an exclusive lock on `state.json.lock` beside the file, re-read the file under
//!   the lock and merge field by field (the newer stamp wins), so two bitext processes never
//!   lose each other's changes, even to the same article; the merged map is written to a temporary file in the same folder,
//!   synced and renamed over `state.json`, so a crash leaves either the old or the new file,
//!   never half of one.
//! - [`Writer`] does the writing on a background thread, at most once per interval, so the UI
//!   thread never touches the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The file format version this module reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// How often [`Writer`] writes at most, by default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(250);

/// The reading state of one article. Each field carries the time it last changed, so two
/// sessions that change different fields of one article (one stars it, the other reads on)
/// both keep their change: entries are merged field by field, the newer stamp winning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "StoredState")]
pub struct ArticleState {
    pub read: bool,
    pub starred: bool,
    /// The last reading position, a paragraph-group index.
    pub position: usize,
    /// ms since the Unix epoch of the last change of any field (the newest of the three below;
    /// what bitext before per-field stamps reads and writes).
    pub updated: u64,
    /// ms since the Unix epoch of the last change of `read`, `starred` and `position`; 0 for a
    /// field never changed.
    pub read_at: u64,
    pub starred_at: u64,
    pub position_at: u64,
}

/// An entry as the file holds it: files written before per-field stamps have only `updated`,
/// which then stands for every field.
#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
struct StoredState {
    read: bool,
    starred: bool,
    position: usize,
    updated: u64,
    read_at: Option<u64>,
    starred_at: Option<u64>,
    position_at: Option<u64>,
}

impl From<StoredState> for ArticleState {
    fn from(s: StoredState) -> ArticleState {
        let read_at = s.read_at.unwrap_or(s.updated);
        let starred_at = s.starred_at.unwrap_or(s.updated);
        let position_at = s.position_at.unwrap_or(s.updated);
        ArticleState {
            read: s.read,
            starred: s.starred,
            position: s.position,
            updated: s.updated.max(read_at).max(starred_at).max(position_at),
            read_at,
            starred_at,
            position_at,
        }
    }
}

impl ArticleState {
    /// Takes each field of `other` whose stamp is newer than this one's (or as new, when
    /// `ties_to_other`). Returns whether anything changed.
    pub fn merge_from(&mut self, other: &ArticleState, ties_to_other: bool) -> bool {
        let newer = |theirs: u64, ours: u64| theirs > ours || (ties_to_other && theirs == ours);
        let before = *self;
        if newer(other.read_at, self.read_at) {
            (self.read, self.read_at) = (other.read, other.read_at);
        }
        if newer(other.starred_at, self.starred_at) {
            (self.starred, self.starred_at) = (other.starred, other.starred_at);
        }
        if newer(other.position_at, self.position_at) {
            (self.position, self.position_at) = (other.position, other.position_at);
        }
        self.updated = self.read_at.max(self.starred_at).max(self.position_at);
        *self != before
    }
}

/// The state file's default location: `bitext/state.json` under the XDG state folder
/// (`$XDG_STATE_HOME`, `~/.local/state`), or under the data folder where the platform has no
/// state folder. `None` when no home folder can be found.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    let base = strategy.state_dir().unwrap_or_else(|| strategy.data_dir());
    Some(base.join("bitext").join("state.json"))
}

/// Milliseconds since the Unix epoch, now.
fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The in-memory reading state the UI owns: every known article's state, and which of them
/// changed since the last [`State::take_changes`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    entries: BTreeMap<String, ArticleState>,
    dirty: BTreeSet<String>,
}

impl State {
    /// No articles known, nothing dirty.
    pub fn empty() -> State {
        State::default()
    }

    fn from_entries(entries: BTreeMap<String, ArticleState>) -> State {
        State { entries, dirty: BTreeSet::new() }
    }

    /// The article's state; the default (unread, unstarred, position 0) when it has none.
    pub fn get(&self, id: &str) -> ArticleState {
        self.entries.get(id).copied().unwrap_or_default()
    }

    /// Every article with a state.
    pub fn entries(&self) -> &BTreeMap<String, ArticleState> {
        &self.entries
    }

    /// Applies `edit` to the article's state. When that changes anything, stamps `updated` and
    /// marks the article dirty; otherwise does nothing at all. Returns whether it changed.
    ///
    /// The stamp is now, or one past the previous stamp if the clock says otherwise (a clock
    /// that went back, or a stamp from a machine whose clock runs ahead), so a change always
    /// counts as newer than the value it was made on.
    fn change(&mut self, id: &str, edit: impl FnOnce(&mut ArticleState)) -> bool {
        let old = self.get(id);
        let mut new = old;
        edit(&mut new);
        if (new.read, new.starred, new.position) == (old.read, old.starred, old.position) {
            return false;
        }
        let stamp = now_ms().max(old.updated.saturating_add(1));
        if new.read != old.read {
            new.read_at = stamp;
        }
        if new.starred != old.starred {
            new.starred_at = stamp;
        }
        if new.position != old.position {
            new.position_at = stamp;
        }
        new.updated = stamp;
        self.entries.insert(id.to_owned(), new);
        self.dirty.insert(id.to_owned());
        true
    }

    pub fn set_read(&mut self, id: &str, read: bool) {
        self.change(id, |s| s.read = read);
    }

    /// Flips the read mark; returns the new value.
    pub fn toggle_read(&mut self, id: &str) -> bool {
        let read = !self.get(id).read;
        self.change(id, |s| s.read = read);
        read
    }

    /// Flips the star; returns the new value.
    pub fn toggle_star(&mut self, id: &str) -> bool {
        let starred = !self.get(id).starred;
        self.change(id, |s| s.starred = starred);
        starred
    }

    /// Records the reading position. Setting the position it already has changes nothing.
    pub fn set_position(&mut self, id: &str, position: usize) {
        self.change(id, |s| s.position = position);
    }

    /// Whether anything changed since the last [`State::take_changes`].
    pub fn is_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// The entries changed since the last call, to hand to the writer; clears the dirty set.
    pub fn take_changes(&mut self) -> Changes {
        let dirty = std::mem::take(&mut self.dirty);
        Changes(dirty.into_iter().filter_map(|id| self.entries.get(&id).map(|s| (id, *s))).collect())
    }

    /// Takes in the merged map a write returned (or the file as another session left it),
    /// picking up other instances' changes field by field: a field of `merged` replaces ours
    /// where its stamp is newer. Entries changed since the last [`State::take_changes`] are left
    /// as they are until written (the write merges them with the file the same way). Local
    /// entries absent from `merged` are kept, since nothing is ever deleted from the file.
    /// Returns whether anything changed.
    pub fn absorb(&mut self, merged: &BTreeMap<String, ArticleState>) -> bool {
        let mut changed = false;
        for (id, theirs) in merged {
            if self.dirty.contains(id) {
                continue;
            }
            match self.entries.get_mut(id) {
                Some(ours) => changed |= ours.merge_from(theirs, false),
                None => {
                    self.entries.insert(id.clone(), *theirs);
                    changed = true;
                }
            }
        }
        changed
    }
}

/// Changed entries on their way to the disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes(pub BTreeMap<String, ArticleState>);

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds `later`'s entries; where both have an id, `later`'s entry wins.
    pub fn merge(&mut self, later: Changes) {
        self.0.extend(later.0);
    }
}

/// The result of [`load`].
#[derive(Debug, Clone)]
pub struct Loaded {
    pub state: State,
    /// Something the user should be told: the file was moved aside, or cannot be used.
    pub warning: Option<String>,
    /// Whether the caller may write to the file. `false` when it exists but could not be read or
    /// moved aside: writing then would replace state the user still has.
    pub writable: bool,
}

impl Loaded {
    fn fresh(warning: Option<String>) -> Loaded {
        Loaded { state: State::empty(), warning, writable: true }
    }

    fn read_only(warning: String) -> Loaded {
        Loaded { state: State::empty(), warning: Some(warning), writable: false }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot create state folder {path}: {reason}")]
    CreateFolder { path: PathBuf, reason: io::Error },
    #[error("cannot lock state file {path}: {reason}")]
    Lock { path: PathBuf, reason: io::Error },
    #[error("cannot read state file {path}: {reason}")]
    Read { path: PathBuf, reason: io::Error },
    #[error("state file {path} is unreadable ({problem}) and cannot be moved aside: {reason}")]
    MoveAside { path: PathBuf, problem: String, reason: io::Error },
    #[error("state file {path} has format version {version}, which this bitext does not know; leaving it alone")]
    Version { path: PathBuf, version: u64 },
    #[error("cannot write state file {path}: {reason}")]
    Write { path: PathBuf, reason: io::Error },
    #[error("state file path {0} does not name a file")]
    NotAFile(PathBuf),
}

#[derive(Deserialize)]
struct FileIn {
    version: u64,
    articles: BTreeMap<String, ArticleState>,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u64,
}

#[derive(Serialize)]
struct FileOut<'a> {
    version: u64,
    articles: &'a BTreeMap<String, ArticleState>,
}

/// Why a file's bytes are no state.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// Not UTF-8, empty, or not JSON of the state file's shape: the reason.
    Corrupt(String),
    /// A well-formed file of another format version.
    Version(u64),
}

fn parse(bytes: &[u8]) -> Result<BTreeMap<String, ArticleState>, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|e| Problem::Corrupt(format!("not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err(Problem::Corrupt("the file is empty".into()));
    }
    match serde_json::from_str::<FileIn>(text) {
        Ok(file) if file.version == FORMAT_VERSION => {
            Ok(file.articles.into_iter().filter(|(id, _)| !id.chars().any(char::is_control)).collect())
        }
        Ok(file) => Err(Problem::Version(file.version)),
        Err(e) => match serde_json::from_str::<VersionOnly>(text) {
            Ok(v) if v.version != FORMAT_VERSION => Err(Problem::Version(v.version)),
            _ => Err(Problem::Corrupt(e.to_string())),
        },
    }
}

/// `path` with `suffix` appended to its file name: `state.json` → `state.json.lock`.
fn sibling(path: &Path, suffix: &str) -> Option<PathBuf> {
    let mut name: OsString = path.file_name()?.to_owned();
    name.push(suffix);
    Some(path.with_file_name(name))
}

/// The folder holding `path` (`.` for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The prefix of the temporary files a write goes through.
fn temp_prefix(path: &Path) -> Option<OsString> {
    let mut name: OsString = path.file_name()?.to_owned();
    name.push(".tmp");
    Some(name)
}

/// Takes the exclusive lock beside `path`; held until the returned file is dropped.
fn lock(path: &Path) -> Result<File, StateError> {
    let lock_path = sibling(path, ".lock").ok_or_else(|| StateError::NotAFile(path.to_owned()))?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|reason| StateError::Lock { path: lock_path.clone(), reason })?;
    file.lock().map_err(|reason| StateError::Lock { path: lock_path, reason })?;
    Ok(file)
}

/// Moves an unreadable file to `<name>.corrupt-<unix seconds>[-n]`, never over an existing
/// file. Call with the lock held, so no other bitext moves or writes at the same time.
fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let base = format!(".corrupt-{secs}");
    for n in 0..10_000u32 {
        let suffix = if n == 0 { base.clone() } else { format!("{base}-{n}") };
        let target = sibling(path, &suffix).ok_or_else(|| io::Error::other("the path names no file"))?;
        match fs::symlink_metadata(&target) {
            Ok(_) => continue,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::rename(path, &target)?;
                return Ok(target);
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many corrupt copies already"))
}

/// Reads the state file. Never fails: problems come back as [`Loaded::warning`], and a file that
/// must not be written over as `writable: false`.
pub fn load(path: &Path) -> Loaded {
    let shown = path.display();
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::fresh(None),
        Err(e) => {
            return Loaded::read_only(format!(
                "cannot read state file {shown}: {e}; reading state will not be saved this session"
            ));
        }
    };
    let problem = match parse(&bytes) {
        Ok(entries) => return Loaded { state: State::from_entries(entries), warning: None, writable: true },
        Err(Problem::Version(v)) => {
            return Loaded::read_only(format!(
                "state file {shown} has format version {v}, which this bitext does not know; \
                 reading state will not be saved this session"
            ));
        }
        Err(Problem::Corrupt(reason)) => reason,
    };
    let cannot_move = |e: &dyn std::fmt::Display| {
        Loaded::read_only(format!(
            "state file {shown} is unreadable ({problem}) and cannot be moved aside: {e}; \
             reading state will not be saved this session"
        ))
    };
    // Move it aside under the lock, after reading it again: another bitext may have moved it or
    // written a good file meanwhile.
    let _lock = match lock(path) {
        Ok(lock) => lock,
        Err(e) => return cannot_move(&e),
    };
    let problem = match fs::read(path) {
        Ok(bytes) => match parse(&bytes) {
            Ok(entries) => return Loaded { state: State::from_entries(entries), warning: None, writable: true },
            Err(Problem::Version(v)) => {
                return Loaded::read_only(format!(
                    "state file {shown} has format version {v}, which this bitext does not know; \
                     reading state will not be saved this session"
                ));
            }
            Err(Problem::Corrupt(reason)) => reason,
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::fresh(None),
        Err(e) => return cannot_move(&e),
    };
    match move_aside(path) {
        Ok(target) => Loaded::fresh(Some(format!(
            "state file {shown} was unreadable ({problem}); moved to {}; starting fresh",
            target.display()
        ))),
        Err(e) => cannot_move(&e),
    }
}

/// One version of the state file on disk: every write renames a new file over it, so its
/// inode, size and modification time change with every write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

/// The version of the state file now (`None`: there is none, or it cannot be looked at).
pub fn file_stamp(path: &Path) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).ok()?;
    Some(FileStamp { inode: m.ino(), len: m.len(), modified: m.modified().ok() })
}

/// The state file's entries if it is not the version `seen` (another session wrote it since),
/// and that version in `seen`. A stat when nothing changed; a file that cannot be read or
/// parsed gives `None` (the writer deals with it when it next writes).
pub fn read_if_changed(path: &Path, seen: &mut Option<FileStamp>) -> Option<BTreeMap<String, ArticleState>> {
    let now = file_stamp(path);
    if now.is_none() || now == *seen {
        return None;
    }
    let bytes = fs::read(path).ok()?;
    let entries = parse(&bytes).ok()?;
    *seen = now;
    Some(entries)
}

/// What a write left on disk: the merged map and the file's version.
#[derive(Debug, Clone)]
pub struct Written {
    pub merged: BTreeMap<String, ArticleState>,
    /// The file as this write left it; a later version was written by someone else.
    pub stamp: Option<FileStamp>,
}

/// Merges `changes` into the state file and returns the merged map.
///
/// Under an exclusive lock on `state.json.lock`, reads the file as it is now (a corrupt one is
/// moved aside as in [`load`] and counts as empty), merges each change into the file's entry
/// field by field (a field of the change wins where its stamp is at least the file's), keeps
/// every other entry of the file, and replaces the file atomically (temporary file in the same
/// folder, synced, renamed over it, folder synced). The returned map holds other instances'
/// changes too: hand it to [`State::absorb`].
pub fn write_changes(path: &Path, changes: &Changes) -> Result<BTreeMap<String, ArticleState>, StateError> {
    write_changes_stamped(path, changes).map(|w| w.merged)
}

/// [`write_changes`], with the version of the file it left (taken under the lock).
pub fn write_changes_stamped(path: &Path, changes: &Changes) -> Result<Written, StateError> {
    let dir = folder(path);
    fs::create_dir_all(dir).map_err(|reason| StateError::CreateFolder { path: dir.to_owned(), reason })?;
    let _lock = lock(path)?;

    let (mut merged, unchanged_on_disk) = match fs::read(path) {
        Ok(bytes) => match parse(&bytes) {
            Ok(entries) => (entries, true),
            Err(Problem::Version(version)) => return Err(StateError::Version { path: path.to_owned(), version }),
            Err(Problem::Corrupt(problem)) => {
                move_aside(path).map_err(|reason| StateError::MoveAside { path: path.to_owned(), problem, reason })?;
                (BTreeMap::new(), false)
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => (BTreeMap::new(), false),
        Err(reason) => return Err(StateError::Read { path: path.to_owned(), reason }),
    };
    let mut changed = !unchanged_on_disk;
    for (id, change) in &changes.0 {
        match merged.get_mut(id) {
            // Field by field: a change made from an older copy of the entry overwrites only
            // the fields it changed, never another session's newer ones.
            Some(disk) => changed |= disk.merge_from(change, true),
            None => {
                merged.insert(id.clone(), *change);
                changed = true;
            }
        }
    }
    if changed {
        remove_stale_temp_files(path, dir);
        write_atomically(path, dir, &merged).map_err(|reason| StateError::Write { path: path.to_owned(), reason })?;
    }
    Ok(Written { stamp: file_stamp(path), merged })
}

fn write_atomically(path: &Path, dir: &Path, entries: &BTreeMap<String, ArticleState>) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(&FileOut { version: FORMAT_VERSION, articles: entries })?;
    bytes.push(b'\n');
    let prefix = temp_prefix(path).ok_or_else(|| io::Error::other("the path names no file"))?;
    let mut temp = tempfile::Builder::new().prefix(&prefix).tempfile_in(dir)?;
    temp.write_all(&bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable. Opening a folder fails on some platforms: nothing to do then.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes temporary files a killed writer left behind. Only called with the lock held, when no
/// other write is under way.
fn remove_stale_temp_files(path: &Path, dir: &Path) {
    let (Some(prefix), Ok(listing)) = (temp_prefix(path), fs::read_dir(dir)) else { return };
    let prefix = prefix.to_string_lossy().into_owned();
    for entry in listing.flatten() {
        let name = entry.file_name();
        let is_temp = name.to_str().is_some_and(|n| n.starts_with(&prefix) && n.len() > prefix.len());
        if is_temp && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

enum Message {
    Changes(Changes),
    Flush,
}

/// Writes changes on a background thread, at most once per interval.
pub struct Writer {
    sender: mpsc::Sender<Message>,
    done: mpsc::Receiver<()>,
    thread: JoinHandle<()>,
}

impl Writer {
    /// Spawns the writer thread. `on_written` is called on that thread after each write with the merged map (or the error message).
    ///
    /// Changes whose write failed are kept and written again with the next batch (or at
    /// [`Writer::finish`]).
    pub fn spawn(
        path: PathBuf,
        min_interval: Duration,
        on_written: impl Fn(Result<Written, String>) + Send + 'static,
    ) -> Writer {
        let (sender, receiver) = mpsc::channel();
        let (done_sender, done) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("bitext-state-writer".into())
            .spawn(move || {
                run_writer(&path, min_interval, &receiver, &on_written);
                let _ = done_sender.send(());
            })
            .expect("cannot spawn the state writer thread");
        Writer { sender, done, thread }
    }

    /// Queue changes (non-blocking). Changes sent within min_interval of the last write are coalesced into one write.
    pub fn send(&self, changes: Changes) {
        if !changes.is_empty() {
            // The thread only ends after `finish`, which takes `self`, or if `on_written` panicked:
            // then there is nobody left to write.
            let _ = self.sender.send(Message::Changes(changes));
        }
    }

    /// Write everything queued now and stop the thread; waits at most `timeout`. Returns whether it finished in time.
    ///
    /// `false` also when the thread died (its callback panicked). When time runs out the thread
    /// is left to finish on its own.
    pub fn finish(self, timeout: Duration) -> bool {
        let Writer { sender, done, thread } = self;
        let _ = sender.send(Message::Flush);
        drop(sender);
        match done.recv_timeout(timeout) {
            Ok(()) => thread.join().is_ok(),
            // The thread ended without signalling: it panicked.
            Err(RecvTimeoutError::Disconnected) => {
                let _ = thread.join();
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
        }
    }
}

fn run_writer(
    path: &Path,
    min_interval: Duration,
    receiver: &mpsc::Receiver<Message>,
    on_written: &dyn Fn(Result<Written, String>),
) {
    let mut last_write: Option<Instant> = None;
    // Changes whose write failed, to try again.
    let mut carried = Changes::default();
    loop {
        let mut stop = false;
        let mut batch = std::mem::take(&mut carried);
        match receiver.recv() {
            Ok(Message::Changes(changes)) => batch.merge(changes),
            Ok(Message::Flush) | Err(_) => stop = true,
        }
        // Coalesce whatever arrives until the interval since the last write has passed.
        if let Some(deadline) = last_write.map(|t| t + min_interval) {
            while !stop {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                match receiver.recv_timeout(deadline - now) {
                    Ok(Message::Changes(changes)) => batch.merge(changes),
                    Ok(Message::Flush) | Err(RecvTimeoutError::Disconnected) => stop = true,
                    Err(RecvTimeoutError::Timeout) => break,
                }
            }
        }
        // And whatever is queued already.
        while !stop {
            match receiver.try_recv() {
                Ok(Message::Changes(changes)) => batch.merge(changes),
                Ok(Message::Flush) | Err(mpsc::TryRecvError::Disconnected) => stop = true,
                Err(mpsc::TryRecvError::Empty) => break,
            }
        }
        if !batch.is_empty() {
            let result = write_changes_stamped(path, &batch);
            last_write = Some(Instant::now());
            if result.is_err() {
                carried = batch;
            }
            on_written(result.map_err(|e| e.to_string()));
        }
        if stop {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_sibling_names() {
        let p = Path::new("/x/y/state.json");
        assert_eq!(sibling(p, ".lock").unwrap(), Path::new("/x/y/state.json.lock"));
        assert_eq!(folder(Path::new("state.json")), Path::new("."));
        assert_eq!(folder(p), Path::new("/x/y"));
        assert!(sibling(Path::new("/"), ".lock").is_none());
    }

    #[test]
    fn state_parse_shapes() {
        let ok = parse(br#"{"version":1,"articles":{"a":{"read":true,"extra":1}},"more":[]}"#).unwrap();
        assert_eq!(ok["a"], ArticleState { read: true, ..Default::default() });
        assert_eq!(parse(b"{\"version\":2,\"articles\":7}"), Err(Problem::Version(2)));
        assert!(matches!(parse(b""), Err(Problem::Corrupt(_))));
        assert!(matches!(parse(b"  \n"), Err(Problem::Corrupt(_))));
        assert!(matches!(parse(b"\xff\xfe"), Err(Problem::Corrupt(r)) if r.contains("UTF-8")));
        assert!(matches!(parse(b"{\"articles\":{}}"), Err(Problem::Corrupt(_))));
        assert!(matches!(parse(br#"{"version":1,"articles":{"a":{"position":-1}}}"#), Err(Problem::Corrupt(_))));
        let dropped = parse(b"{\"version\":1,\"articles\":{\"a\\u0007b\":{},\"ok\":{}}}").unwrap();
        assert_eq!(dropped.keys().collect::<Vec<_>>(), ["ok"]);
    }

    #[test]
    fn state_change_stamp_is_newer_than_the_old_one() {
        let mut s = State::from_entries(BTreeMap::from([(
            "a".to_owned(),
            ArticleState { updated: u64::MAX - 5, ..Default::default() },
        )]));
        s.set_read("a", true);
        assert_eq!(s.get("a").updated, u64::MAX - 4);
        assert!(s.is_dirty());
    }
}
