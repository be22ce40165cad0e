//! The library: every article file under one folder, and what was wrong with the others.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::article::{self, Article, Diagnostic};

mod journal;

/// Files larger than this are refused without being read whole.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("library folder {0} does not exist")]
    Missing(PathBuf),
    #[error("library path {0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot read library folder {}: {}", .0.display(), io_reason(.1))]
    Unreadable(PathBuf, std::io::Error),
}

#[derive(Debug, Default, Clone)]
pub struct Library {
    pub root: PathBuf,
    /// Newest first; undated articles last, then by title.
    /// Each article boxed: the list moves a pointer, not a record, when articles come or go.
    pub articles: Vec<Box<Article>>,
    /// Errors (files not listed) and warnings (files listed), sorted by path.
    pub diagnostics: Vec<Diagnostic>,
}

impl Library {
    /// Scans `root` recursively for `*.toml` files and parses each one.
    pub fn scan(root: &Path) -> Result<Self, LibraryError> {
        Self::scan_with_limit(root, DEFAULT_MAX_FILE_SIZE)
    }

    pub fn scan_with_limit(root: &Path, max_size: u64) -> Result<Self, LibraryError> {
        Self::load(root, max_size, Depth::Full)
    }

    /// Whether `root` is a folder that can be scanned.
    pub fn check_root(root: &Path) -> Result<(), LibraryError> {
        match std::fs::metadata(root) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(LibraryError::Missing(root.into())),
            Err(e) => Err(LibraryError::Unreadable(root.into(), e)),
            Ok(m) if !m.is_dir() => Err(LibraryError::NotAFolder(root.into())),
            // A folder that cannot be listed is as good as missing: say so rather than show
            // an empty library.
            Ok(_) => std::fs::read_dir(root).map(|_| ()).map_err(|e| LibraryError::Unreadable(root.into(), e)),
        }
    }

    /// Scans `root` and parses every file to `depth`, on all cores.
    pub fn load(root: &Path, max_size: u64, depth: Depth) -> Result<Self, LibraryError> {
        Self::check_root(root)?;
        let mut library = Library { root: root.to_path_buf(), ..Default::default() };
        let files = find_files(root, &mut library.diagnostics);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        let chunk = files.len().div_ceil(threads).max(64);
        let results: Vec<(Vec<Article>, Vec<Diagnostic>)> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                files.chunks(chunk).map(|part| scope.spawn(move || parse_files(root, part, max_size, depth))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        for (articles, diagnostics) in results {
            library.articles.extend(articles.into_iter().map(Box::new));
            library.diagnostics.extend(diagnostics);
        }
        library.sort();
        Ok(library)
    }

    /// Parses the body of article `i` if only its header was read. Bodies are read on demand
    /// so a large library does not sit in memory.
    pub fn ensure_body(&mut self, i: usize, max_size: u64) -> Result<(), Diagnostic> {
        let Some(a) = self.articles.get(i) else { return Ok(()) };
        if !a.groups.is_empty() {
            return Ok(());
        }
        let body = Self::read_body(&a.meta.path.clone(), &a.meta.id.clone(), max_size)?;
        let a = &mut self.articles[i];
        a.groups = body.groups;
        a.pairing = body.pairing;
        a.meta.summary = body.summary;
        Ok(())
    }

    /// Reads and pairs the body of the article file at `path`: what [`Library::ensure_body`]
    /// puts in place, for a worker to do.
    pub fn read_body(path: &Path, id: &str, max_size: u64) -> Result<Body, Diagnostic> {
        let bytes = read_limited(path, max_size).map_err(|m| Diagnostic::error(path, m))?;
        let parsed = article::parse(&bytes, id, path);
        match parsed.article {
            Some(full) => Ok(Body { groups: full.groups, pairing: full.pairing, summary: full.meta.summary }),
            None => Err(parsed
                .diagnostics
                .into_iter()
                .find(Diagnostic::is_error)
                .unwrap_or_else(|| Diagnostic::error(path, "not a usable article"))),
        }
    }

    /// A library of the one file `path` under `root`, parsed whole.
    pub fn load_one(root: &Path, path: &Path, max_size: u64) -> Library {
        let mut library = Library { root: root.to_path_buf(), ..Default::default() };
        let (articles, diagnostics) =
            parse_files(root, std::slice::from_ref(&path.to_path_buf()), max_size, Depth::Full);
        library.articles = articles.into_iter().map(Box::new).collect();
        library.diagnostics = diagnostics;
        library
    }

    /// Forgets the body of article `i`, and its summary (they are read again when needed).
    pub fn drop_body(&mut self, i: usize) {
        if let Some(a) = self.articles.get_mut(i) {
            a.groups = Default::default();
            a.meta.summary = None;
        }
    }

    fn sort(&mut self) {
        // A list in order already (from the cache) costs one look and no buffer; otherwise the
        // stable sort takes the run in order and merges the few that are not (articles added).
        if !self.articles.is_sorted_by(|a, b| list_order(&a.meta, &b.meta).is_le()) {
            self.articles.sort_by(|a, b| list_order(&a.meta, &b.meta));
        }
        self.diagnostics.sort_by(|a, b| a.path.cmp(&b.path).then(a.position.cmp(&b.position)));
    }

    pub fn find(&self, id: &str) -> Option<&Article> {
        let id = id.strip_suffix(".toml").unwrap_or(id);
        self.articles.iter().find(|a| a.meta.id == id).map(Box::as_ref)
    }

    /// The files with at least one error (a file may have several): the files not listed.
    pub fn error_count(&self) -> usize {
        let mut files: Vec<&Path> =
            self.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.path.as_path()).collect();
        files.sort_unstable();
        files.dedup();
        files.len()
    }

    /// The warnings, every one.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }
}

/// What is read with an article's body: its paragraphs, how they were paired, and the summary
/// (which a list does not hold: [`article::Meta::listed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub groups: std::sync::Arc<[article::Group]>,
    pub pairing: article::Pairing,
    pub summary: Option<String>,
}

/// How much of each file [`Library::load`] parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything: bodies in memory, every problem found.
    Full,
    /// Everything is checked, but bodies are dropped after: every problem found, little memory.
    Checked,
    /// Only the metadata before the body: fastest; body problems are not seen.
    Header,
}

/// Every `*.toml` path under `root` (following symlinks, skipping hidden folders), sorted;
/// walking problems become diagnostics.
fn find_files(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    find_stamped(root, diagnostics).into_iter().map(|(p, _)| p).collect()
}

/// A file's size, modification time and inode change time, which say whether a cached parse is
/// still good. The change time moves with `chmod` and `chown` too, so a file that became
/// unreadable is read again (and reported) rather than listed from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified_ns: u128,
    pub changed_ns: u128,
}

impl Stamp {
    fn of(m: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let modified_ns =
            m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        let changed_ns =
            u128::try_from(m.ctime()).unwrap_or(0) * 1_000_000_000 + u128::try_from(m.ctime_nsec()).unwrap_or(0);
        Stamp { size: m.len(), modified_ns, changed_ns }
    }
}

/// What a path that is neither a folder nor a regular file is, for its error line; `None` for
/// a regular file.
fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if t.is_file() || t.is_dir() {
        None
    } else if t.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else {
        Some("not a regular file")
    }
}

fn find_stamped(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<(PathBuf, Stamp)> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                if is_toml(&path)
                    || e.loop_ancestor().is_some()
                    || e.io_error().is_some_and(|io| io.kind() != std::io::ErrorKind::NotFound)
                {
                    diagnostics.push(Diagnostic::error(&path, describe_walk_error(&e)));
                }
                continue;
            }
        };
        if !is_toml(entry.path()) {
            continue;
        }
        if entry.file_type().is_dir() {
            diagnostics.push(Diagnostic::error(entry.path(), "is a folder, not an article file"));
            continue;
        }
        // A FIFO would block the first read forever; a device or socket is no article either.
        if let Some(kind) = special_kind(entry.file_type()) {
            diagnostics.push(Diagnostic::error(entry.path(), format!("is {kind}, not an article file")));
            continue;
        }
        let stamp = entry.metadata().map(|m| Stamp::of(&m)).unwrap_or(Stamp { size: 0, modified_ns: 0, changed_ns: 0 });
        files.push((entry.into_path(), stamp));
    }
    files
}

/// What the index cache remembers of one file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IndexEntry {
    #[serde(with = "crate::article::path_bytes")]
    pub path: PathBuf,
    pub stamp: Stamp,
    /// Parsed whole (every problem known), not only the header.
    pub checked: bool,
    pub meta: Option<crate::article::Meta>,
    /// What the body holds, once it was parsed whole.
    pub body: Option<crate::article::BodySummary>,
    pub diagnostics: Vec<Diagnostic>,
}

type CacheEntry = IndexEntry;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CacheFile {
    version: u32,
    #[serde(with = "crate::article::path_bytes")]
    root: PathBuf,
    entries: Vec<CacheEntry>,
}

/// Raised whenever what a parse yields changes (the shape of [`crate::article::Meta`], or what
/// is an error), or the file's layout does, so entries made by an older bitext are read again.
/// (9: each entry after its length, so entries can be decoded on several threads.)
/// (10: a journal of the changes since may follow the entries.)
const CACHE_VERSION: u32 = 10;

/// How a cached load went, for the status line and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub files: usize,
    /// Files taken from the cache without being opened.
    pub hits: usize,
    /// Files whose body was not checked yet (only their header was read).
    pub unchecked: usize,
    /// The cache file holds exactly this library now (it was written, or was already right).
    pub cache_current: bool,
}

/// The order of the list: newest first, then by title and id.
fn list_order(a: &crate::article::Meta, b: &crate::article::Meta) -> std::cmp::Ordering {
    b.published.cmp(&a.published).then_with(|| a.title.cmp(&b.title)).then_with(|| a.id.cmp(&b.id))
}

/// Up to this many articles are put into a list in place ([`Library::apply_checked`]); more
/// make a new list, as the new ones move past each other in place.
const IN_PLACE: usize = 256;

/// The first place at or after `from` in `list` where `before` no longer holds, for a `before`
/// that holds for a first part of the list and for none after: found by steps from `from` that
/// double, then by halving the last step.
fn gallop<T>(list: &[T], from: usize, before: impl Fn(&T) -> bool) -> usize {
    let (mut lo, mut step) = (from.min(list.len()), 1);
    while lo + step <= list.len() && before(&list[lo + step - 1]) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step - 1).min(list.len());
    lo + list[lo..hi].partition_point(before)
}

/// The index cache of a library folder: `$XDG_CACHE_HOME/bitext/index-<hash of the folder>.bin`.
pub fn default_cache_path(root: &Path) -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let dir = etcetera::choose_base_strategy().ok()?.cache_dir().join("bitext");
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // FNV-1a: stable across runs and versions, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in canonical.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    Some(dir.join(format!("index-{hash:016x}.bin")))
}

impl Library {
    /// Loads a library using an index cache validated by file size and modification time:
    /// unchanged files are not opened at all. Files not in the cache are parsed to their
    /// header only, or whole when `check` is set (which also checks cached header-only
    /// entries). The cache is brought up to date first, as [`Library::update_index`] does (a
    /// few changes go in a journal at its end, not a cache written whole), and the library is
    /// then read from it. A missing or unreadable cache only costs time; where the cache cannot
    /// be brought up to date (a folder walked with errors, a cache that cannot be written) the
    /// folder is read beside what the cache holds.
    pub fn load_cached(
        root: &Path,
        max_size: u64,
        cache: Option<&Path>,
        check: bool,
    ) -> Result<(Self, CacheStats), LibraryError> {
        Self::check_root(root)?;
        if let Some(cache) = cache
            && let Some(read) = Self::refresh_index(root, max_size, cache, check, None)
            && let Some((library, _, mut stats)) = Self::from_cache(root, cache)
        {
            stats.hits = stats.files.saturating_sub(read);
            return Ok((library, stats));
        }
        let mut library = Library { root: root.to_path_buf(), ..Default::default() };
        // Walk the folder and read the cache at the same time.
        let (files, mut old) = std::thread::scope(|scope| {
            let reader = scope.spawn(|| -> std::collections::HashMap<PathBuf, CacheEntry> {
                cache
                    .and_then(|c| read_cache(root, c))
                    .map(|c| c.entries.into_iter().map(|e| (e.path.clone(), e)).collect())
                    .unwrap_or_default()
            });
            let files = find_stamped(root, &mut library.diagnostics);
            (files, reader.join().unwrap_or_default())
        });
        let mut stats = CacheStats { files: files.len(), ..Default::default() };
        let mut entries: Vec<Option<CacheEntry>> = Vec::with_capacity(files.len());
        let mut todo: Vec<(usize, PathBuf, Stamp)> = Vec::new();
        for (i, (path, stamp)) in files.iter().enumerate() {
            match old.remove(path) {
                Some(e) if e.stamp == *stamp && (e.checked || !check) => {
                    stats.hits += 1;
                    entries.push(Some(e));
                }
                _ => {
                    entries.push(None);
                    todo.push((i, path.clone(), *stamp));
                }
            }
        }
        let depth = if check { Depth::Checked } else { Depth::Header };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        let chunk = todo.len().div_ceil(threads).max(64);
        let parsed: Vec<Vec<(usize, CacheEntry)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = todo
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|(i, path, stamp)| {
                                let (meta, body, diagnostics) = parse_one(root, path, max_size, depth);
                                (
                                    *i,
                                    CacheEntry {
                                        path: path.clone(),
                                        stamp: *stamp,
                                        checked: check,
                                        meta,
                                        body,
                                        diagnostics,
                                    },
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        for (i, e) in parsed.into_iter().flatten() {
            entries[i] = Some(e);
        }
        let entries: Vec<CacheEntry> = entries.into_iter().flatten().collect();
        // Entries left in the old cache are files that are gone.
        let changed = !todo.is_empty() || !old.is_empty();
        drop(old);
        if let Some(cache) = cache
            && changed
        {
            let mut file = CacheFile { version: CACHE_VERSION, root: root.to_path_buf(), entries };
            stats.cache_current = write_cache_logged(cache, &mut file);
            library.take_entries(file.entries, &mut stats, |_, _| {});
        } else {
            stats.cache_current = cache.is_some() && stats.hits > 0;
            library.take_entries(entries, &mut stats, |_, _| {});
        }
        library.sort();
        Ok((library, stats))
    }

    /// A library that has no usable index cache, read for the reader: every file's header, on
    /// all cores. The articles are handed to `progress(read, to_read, articles)` as they come, a
    /// few times a second and the first at once, and are not kept: a large library is held
    /// once, by the caller, who sorts it ([`Library::extend_sorted`]). Each entry goes to the
    /// index cache through a spill file as it comes, and the cache is written at the end. The
    /// library returned holds the problems only.
    pub fn load_streamed(
        root: &Path,
        max_size: u64,
        cache: Option<&Path>,
        progress: &mut dyn FnMut(usize, usize, Vec<Article>),
    ) -> Result<(Self, CacheStats), LibraryError> {
        Self::check_root(root)?;
        let mut library = Library { root: root.to_path_buf(), ..Default::default() };
        let files = find_stamped(root, &mut library.diagnostics);
        let total = files.len();
        let mut stats = CacheStats { files: total, unchecked: total, ..Default::default() };
        let mut spill = cache.and_then(|c| {
            let dir = c.parent().unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)
                .and_then(|()| Spill::new(dir))
                .map_err(|e| tracing::warn!("index cache {}: cannot write: {e}", c.display()))
                .ok()
        });
        let mut batch = Vec::new();
        let mut sent: Option<std::time::Instant> = None;
        let mut read = 0;
        let all: Vec<usize> = (0..total).collect();
        let Ok(()) =
            parse_each(root, &files, &all, max_size, Depth::Header, |_, e| -> Result<(), std::convert::Infallible> {
                read += 1;
                if let Some(s) = spill.as_mut()
                    && let Err(err) = s.push(&e)
                {
                    tracing::warn!("index cache: cannot write: {err}");
                    spill = None;
                }
                library.diagnostics.extend(e.diagnostics);
                if let Some(meta) = e.meta {
                    // A copy made here, not the parsing thread's own: that thread's heap holds
                    // each file's text and parse for a moment, and a string kept from among them
                    // would keep their pages (16 MB more at 100,000 articles).
                    let meta = meta.listed().clone();
                    batch.push(Article { meta, groups: Default::default(), pairing: crate::article::Pairing::Given });
                }
                if sent.is_none_or(|at| at.elapsed() >= std::time::Duration::from_millis(150)) {
                    sent = Some(std::time::Instant::now());
                    progress(read, total, std::mem::take(&mut batch));
                }
                Ok(())
            });
        progress(read, total, batch);
        if let (Some(mut spill), Some(cache)) = (spill, cache)
            && spill.records.len() == total
        {
            stats.cache_current = match spill.sort().and_then(|()| spill.write_cache(root, cache)) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!("index cache {}: cannot write: {e}", cache.display());
                    false
                }
            };
        }
        library.sort();
        Ok((library, stats))
    }
}

/// Parses the files `files[i]`, for each `i` of `todo`, to `depth` on every core, and hands each
/// entry with its `i` to `take` here, on the calling thread, as it comes; an error from `take`
/// stops the parsing and is returned.
fn parse_each<E>(
    root: &Path,
    files: &[(PathBuf, Stamp)],
    todo: &[usize],
    max_size: u64,
    depth: Depth,
    mut take: impl FnMut(usize, IndexEntry) -> Result<(), E>,
) -> Result<(), E> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = todo.len().div_ceil(threads).max(64);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, IndexEntry)>(256);
        for part in todo.chunks(chunk) {
            let tx = tx.clone();
            scope.spawn(move || {
                for &i in part {
                    let (path, stamp) = &files[i];
                    let (meta, body, diagnostics) = parse_one(root, path, max_size, depth);
                    let checked = depth != Depth::Header;
                    let e = IndexEntry { path: path.clone(), stamp: *stamp, checked, meta, body, diagnostics };
                    if tx.send((i, e)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // Leaving early drops the receiver: the threads' next send fails and they end.
        rx.iter().try_for_each(|(i, e)| take(i, e))
    })
}

/// A file whose whole parse found more than its header parse.
#[derive(Debug, Clone)]
pub struct Checked {
    pub path: PathBuf,
    pub meta: Option<crate::article::Meta>,
    pub diagnostics: Vec<Diagnostic>,
    /// The file itself changed (or came, or went) since it was read: a body read before is
    /// out of date. False when only a closer look at the same file found more.
    pub changed: bool,
    /// Where the list holds what this replaces, as the index cache it came from says.
    pub was: Was,
}

/// Where a list made from the index cache holds the article of a file a change replaces, so
/// taking the change in does not look through the whole list for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Was {
    /// Not known: the list is looked through for the file.
    #[default]
    Unknown,
    /// The list holds no article of the file (it came, or it had none).
    Unlisted,
    /// The article at this place in the list, if it is the file's (checked; looked for
    /// otherwise).
    At(usize),
}

/// How [`Library::apply_checked`] moved the list: each article's place before and after.
#[derive(Debug, Clone, Default)]
pub struct Moves {
    /// The places before of the articles taken out, ascending.
    pub removed: Vec<usize>,
    /// The ids of the articles taken out.
    pub removed_ids: Vec<compact_str::CompactString>,
    /// Where each article put in went in the list without those taken out: before the article
    /// that was at that place (ascending; equal for articles put in side by side).
    pub inserted: Vec<usize>,
}

impl Moves {
    /// The places after of the articles put in, ascending.
    pub fn added(&self) -> impl Iterator<Item = usize> + '_ {
        self.inserted.iter().enumerate().map(|(j, &p)| p + j)
    }

    /// The place after of the article at `old` before; `None` if it was taken out.
    pub fn place(&self, old: usize) -> Option<usize> {
        if self.removed.binary_search(&old).is_ok() {
            return None;
        }
        let kept = old - self.removed.partition_point(|&r| r < old);
        Some(kept + self.inserted.partition_point(|&p| p <= kept))
    }

    /// [`Moves::place`] for every place of `places`, ascending, those taken out dropped: the
    /// places between two moves shift together (a run found by halving, then moved and
    /// counted on in one go), so a list of 100,000 costs a few copies, not a step each.
    pub fn move_ascending(&self, places: &mut Vec<usize>) {
        let (mut read, mut write) = (0, 0);
        for (k, &r) in self.removed.iter().chain([&usize::MAX]).enumerate() {
            let end = read + places[read..].partition_point(|&i| i < r);
            places.copy_within(read..end, write);
            places[write..write + end - read].iter_mut().for_each(|i| *i -= k);
            write += end - read;
            read = end + usize::from(places.get(end) == Some(&r));
        }
        places.truncate(write);
        let mut start = places.len();
        for (j, &p) in self.inserted.iter().enumerate().rev() {
            let from = places[..start].partition_point(|&i| i < p);
            places[from..start].iter_mut().for_each(|i| *i += j + 1);
            start = from;
        }
    }
}

/// What the folder held when the index cache was written, to tell later whether it changed.
#[derive(Debug, Default)]
pub struct Snapshot {
    files: Vec<(PathBuf, Stamp)>,
}

impl Library {
    /// The library as the index cache last saw it, without looking at the folder or opening an
    /// article: a first screen for a large library, to be confirmed with
    /// [`Library::unchanged_since`]. `None` when there is no cache for `root`.
    pub fn from_cache(root: &Path, cache: &Path) -> Option<(Library, Snapshot, CacheStats)> {
        let reader = IndexReader::open(root, cache)?;
        let mut library = Library { root: root.to_path_buf(), ..Default::default() };
        // (The count is the file's word: trusted for no more than a start.)
        let n = reader.len().min(1 << 20);
        let mut stats = CacheStats { files: 0, hits: 0, unchecked: 0, cache_current: true };
        // The folder's files as a list: looked up by path only later, after the list is sent.
        let mut snapshot = Snapshot { files: Vec::with_capacity(n) };
        library.articles.reserve(n);
        // One thread reads the file and hands the entries' bytes, a batch at a time and in
        // turn, to the decoding threads; here each decoded entry is moved into the list in the
        // file's order. The entries are never held all together beside the list.
        const BATCH: usize = 1024;
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let whole = std::thread::scope(|scope| {
            let (inputs, outputs): (Vec<_>, Vec<_>) = (0..workers)
                .map(|_| {
                    let (to_decode, raw) = std::sync::mpsc::sync_channel::<(Vec<u8>, Vec<usize>)>(2);
                    let (decoded, out) = std::sync::mpsc::sync_channel::<Option<Vec<IndexEntry>>>(2);
                    scope.spawn(move || {
                        for (bytes, ends) in raw {
                            let mut at = 0;
                            let batch: Option<Vec<IndexEntry>> = ends
                                .iter()
                                .map(|&end| {
                                    let e = decode_entry(&bytes[at..end]);
                                    at = end;
                                    e
                                })
                                .collect();
                            let bad = batch.is_none();
                            if decoded.send(batch).is_err() || bad {
                                return;
                            }
                        }
                    });
                    (to_decode, out)
                })
                .unzip();
            let feeder = scope.spawn(move || {
                let mut reader = reader;
                let mut turn = 0;
                loop {
                    let (mut bytes, mut ends) = (Vec::new(), Vec::with_capacity(BATCH));
                    while ends.len() < BATCH
                        && reader
                            .with_entry(|entry| {
                                bytes.extend_from_slice(entry);
                                ends.push(bytes.len());
                            })
                            .is_some()
                    {}
                    if ends.is_empty() {
                        break;
                    }
                    if inputs[turn % inputs.len()].send((bytes, ends)).is_err() {
                        return false;
                    }
                    turn += 1;
                }
                drop(inputs);
                reader.finish()
            });
            let mut turn = 0;
            let mut decoded = true;
            // In turn, as they were handed out: the first channel to close is past the last batch.
            while let Ok(batch) = outputs[turn % workers].recv() {
                let Some(batch) = batch else {
                    decoded = false;
                    break;
                };
                turn += 1;
                for e in batch {
                    stats.files += 1;
                    library.take_entry(e, &mut stats, |path, stamp| snapshot.files.push((path, stamp)));
                }
            }
            // A stop before the end leaves the threads nobody to send to: they end.
            drop(outputs);
            feeder.join().unwrap_or(false) && decoded
        });
        if !whole {
            return None;
        }
        stats.hits = stats.files;
        // The cache is written in list order: this only confirms it.
        library.sort();
        Some((library, snapshot, stats))
    }

    /// Whether the folder holds the same files, of the same sizes and modification times, as
    /// when `snapshot` was taken (and can be walked without errors).
    pub fn unchanged_since(root: &Path, snapshot: &Snapshot) -> bool {
        let mut diagnostics = Vec::new();
        let files = find_stamped(root, &mut diagnostics);
        if !diagnostics.is_empty() || files.len() != snapshot.files.len() {
            return false;
        }
        let then: std::collections::HashMap<&Path, &Stamp> =
            snapshot.files.iter().map(|(path, stamp)| (path.as_path(), stamp)).collect();
        then.len() == files.len() && files.iter().all(|(path, stamp)| then.get(path.as_path()) == Some(&stamp))
    }

    /// Whether the index cache holds exactly what the folder holds now — every file, at the
    /// size and times it has, each parsed whole when `checked` is asked for, the cache file
    /// whole — reading the cache one entry at a time and calling `visit` on each. The folder is
    /// walked (stat only); no article is opened. `false` at the first entry that is out of date.
    pub fn index_is_current(root: &Path, cache: &Path, checked: bool, visit: &mut dyn FnMut(&IndexEntry)) -> bool {
        let mut diagnostics = Vec::new();
        let mut files: std::collections::HashMap<PathBuf, Stamp> =
            find_stamped(root, &mut diagnostics).into_iter().collect();
        if !diagnostics.is_empty() {
            return false;
        }
        let Some(mut reader) = IndexReader::open(root, cache) else { return false };
        if reader.len() != files.len() {
            return false;
        }
        for entry in reader.by_ref() {
            if files.remove(&entry.path) != Some(entry.stamp) || (checked && !entry.checked) {
                return false;
            }
            visit(&entry);
        }
        files.is_empty() && reader.finish()
    }

    /// Brings the index cache up to date with the folder without building a library: entries
    /// still good are kept, new and changed files are read (whole when `check` is set) on every
    /// core, and the cache is written again in list order. Each entry goes, encoded, to a
    /// temporary file as soon as it is read; only its place in the list stays in memory, so a
    /// first `list` or `check` of a large library stays light. `false` when the folder cannot be walked
    /// cleanly or the cache cannot be written (the caller reads the folder instead).
    pub fn update_index(root: &Path, max_size: u64, cache: &Path, check: bool) -> bool {
        Self::refresh_index(root, max_size, cache, check, None).is_some()
    }

    /// [`Library::update_index`], and, when `changes` is given, what it found that differs from
    /// what the cache held: every file that came or changed on disk, every file read closer
    /// whose article or problems are not what the cache said, and every file gone (no
    /// article). Only a digest of each entry read again is kept meanwhile, never the entries
    /// themselves. Returns how many files were read again; `None` where
    /// [`Library::update_index`] is `false`, and, with `changes`, for a missing or damaged
    /// cache, when nothing is written: there is nothing to compare with.
    fn refresh_index(
        root: &Path,
        max_size: u64,
        cache: &Path,
        check: bool,
        mut changes: Option<&mut Vec<Checked>>,
    ) -> Option<usize> {
        if Self::check_root(root).is_err() {
            return None;
        }
        let mut diagnostics = Vec::new();
        let files = find_stamped(root, &mut diagnostics);
        if !diagnostics.is_empty() {
            return None;
        }
        // Each file's place in `files` stands for its path and stamp from here on: the maps
        // below hold a number for each file, not a copy (at 100,000 files, 11 MB less).
        let by_path: std::collections::HashMap<&Path, usize> =
            files.iter().enumerate().map(|(i, (p, _))| (p.as_path(), i)).collect();
        // The files whose entry in the cache is still good.
        let mut fresh = vec![false; files.len()];
        // What the cache said of each file read again, and the files gone.
        // (The digest of what the cache said, whether the file changed since, and where a list
        // made from the cache holds its article.)
        let mut before: std::collections::HashMap<usize, (u64, bool, Was)> = std::collections::HashMap::new();
        let mut gone: Vec<(PathBuf, Was)> = Vec::new();
        // For a journal: the base's entries kept (place, offset, length) and those taken out,
        // and the old journal's entries kept.
        let mut kept_base: Vec<(u32, u64, u32)> = Vec::new();
        let mut removed: Vec<u32> = Vec::new();
        let mut kept_added: Vec<usize> = Vec::new();
        let mut dropped = 0;
        let mut base = None;
        if let Some(mut reader) = IndexReader::open(root, cache) {
            // The entries come in list order; those with an article are the list. Most are
            // still good: only their path, stamp and whether they hold an article are read
            // (the rest of an entry is decoded only where the file changed or went).
            let mut listed = 0;
            loop {
                let step = reader.with_entry(|bytes| -> Option<bool> {
                    use std::os::unix::ffi::OsStrExt;
                    let (head, rest) = postcard::take_from_bytes::<EntryHead>(bytes).ok()?;
                    // What follows is the article, an `Option`: its first byte says whether.
                    let was = if *rest.first()? == 1 {
                        listed += 1;
                        Was::At(listed - 1)
                    } else {
                        Was::Unlisted
                    };
                    let path = Path::new(std::ffi::OsStr::from_bytes(head.path));
                    Some(match by_path.get(path) {
                        // The same file twice: only the first counts.
                        Some(&i) if fresh[i] => false,
                        Some(&i) if files[i].1 == head.stamp && (head.checked || !check) => {
                            fresh[i] = true;
                            true
                        }
                        Some(&i) => {
                            if changes.is_some() {
                                let e = decode_entry(bytes)?;
                                before.insert(i, (entry_digest(&e), files[i].1 != head.stamp, was));
                            }
                            false
                        }
                        None => {
                            gone.push((path.to_path_buf(), was));
                            false
                        }
                    })
                });
                let keep = match step {
                    None => break,
                    Some(None) => {
                        reader.broken = true;
                        break;
                    }
                    Some(Some(keep)) => keep,
                };
                dropped += usize::from(!keep);
                match (reader.origin, keep) {
                    (Origin::Base { index, at, len }, true) => kept_base.push((index as u32, at, len as u32)),
                    (Origin::Base { index, .. }, false) => removed.push(index as u32),
                    (Origin::Added(j), true) => kept_added.push(j),
                    _ => {}
                }
            }
            base = reader.finish_keeping();
            if base.is_none() {
                // A damaged cache: nothing in it is trusted.
                fresh.fill(false);
                gone.clear();
            }
        }
        if changes.is_some() && base.is_none() {
            return None;
        }
        if base.is_some() && dropped == 0 && fresh.iter().all(|&f| f) {
            // Nothing to read and nothing gone: the cache is right as it is.
            return Some(0);
        }
        let todo: Vec<usize> = (0..files.len()).filter(|&i| !fresh[i]).collect();
        let depth = if check { Depth::Checked } else { Depth::Header };
        // Each entry parsed, handed back when it says something the cache did not.
        let mut note = |i: usize, e: &IndexEntry| {
            if let Some(changes) = changes.as_deref_mut() {
                // A file that changed is handed back even when its article reads the same
                // (its body may not); one only checked closer, when that found more.
                let was = before.get(&i);
                let changed = was.is_none_or(|w| w.1);
                if changed || was.is_some_and(|w| w.0 != entry_digest(e)) {
                    changes.push(Checked {
                        path: e.path.clone(),
                        meta: e.meta.clone(),
                        diagnostics: e.diagnostics.clone(),
                        changed,
                        was: was.map_or(Was::Unlisted, |w| w.2),
                    });
                }
            }
        };
        // A few changes against a large base go in a journal at the end of the file; the
        // entries read for it are held until then.
        let mut parsed: Option<Vec<IndexEntry>> = None;
        let started = std::time::Instant::now();
        let written = match base {
            Some(base) if journal_fits(&base, &kept_added, todo.len()) => {
                let mut entries = Vec::with_capacity(todo.len());
                let Ok(()) = parse_each(root, &files, &todo, max_size, depth, |i, e| {
                    note(i, &e);
                    entries.push(e);
                    Ok::<(), std::convert::Infallible>(())
                });
                let outcome = write_journal(cache, base, kept_base, removed, &kept_added, &entries);
                match &outcome {
                    None => parsed = Some(entries),
                    Some(Ok(bytes)) => tracing::debug!(
                        "index cache: {} files read again, {} gone, a journal of {bytes} bytes appended ({} ms)",
                        todo.len(),
                        gone.len(),
                        started.elapsed().as_millis()
                    ),
                    Some(Err(_)) => {}
                }
                outcome.map(|r| r.map(|_| ()))
            }
            _ => None,
        };
        let written = match written {
            Some(result) => result,
            None => {
                // Written whole: the entries still good and those read again, through a spill
                // file, so no entry is held in memory.
                let dir = cache.parent().unwrap_or(Path::new("."));
                let mut spill = match std::fs::create_dir_all(dir).and_then(|()| Spill::new(dir)) {
                    Ok(spill) => spill,
                    Err(e) => {
                        tracing::warn!("index cache {}: cannot write: {e}", cache.display());
                        return None;
                    }
                };
                if fresh.iter().any(|&f| f) {
                    let mut reader = IndexReader::open(root, cache)?;
                    let mut pushed = vec![false; files.len()];
                    for e in reader.by_ref() {
                        if let Some(&i) = by_path.get(e.path.as_path())
                            && fresh[i]
                            && !pushed[i]
                            && files[i].1 == e.stamp
                        {
                            pushed[i] = true;
                            if spill.push(&e).is_err() {
                                return None;
                            }
                        }
                    }
                    if !reader.finish() {
                        return None;
                    }
                }
                let spilled = match parsed {
                    Some(entries) => entries.iter().try_for_each(|e| spill.push(e)),
                    None => parse_each(root, &files, &todo, max_size, depth, |i, e| {
                        note(i, &e);
                        spill.push(&e)
                    }),
                };
                if spilled.is_err() || spill.records.len() != files.len() {
                    return None;
                }
                let written = spill.sort().and_then(|()| spill.write_cache(root, cache));
                tracing::debug!(
                    "index cache: {} files read again, {} gone, written whole ({} ms)",
                    todo.len(),
                    gone.len(),
                    started.elapsed().as_millis()
                );
                written
            }
        };
        match written {
            Ok(()) => {
                if let Some(changes) = changes {
                    changes.extend(gone.into_iter().map(|(path, was)| Checked {
                        path,
                        meta: None,
                        diagnostics: Vec::new(),
                        changed: true,
                        was,
                    }));
                }
                Some(todo.len())
            }
            Err(e) => {
                tracing::warn!("index cache {}: cannot write: {e}", cache.display());
                None
            }
        }
    }

    /// What changed in the folder since the index cache was written, when the cache is still the
    /// one whose checksum is `expected` (the one the caller's list was made from; `None` when
    /// another program wrote it since, or it cannot be read): files that came, changed or went,
    /// as [`Library::check_unchecked`] gives them, and the checksum of the cache brought up to
    /// date. Nothing is held but a digest of each entry read again, so a large library grows by
    /// a few articles without a second copy of it.
    pub fn index_changes(root: &Path, max_size: u64, cache: &Path, expected: u64) -> Option<(Vec<Checked>, u64)> {
        if cache_sum(cache) != Some(expected) {
            return None;
        }
        let mut changes = Vec::new();
        Self::refresh_index(root, max_size, cache, true, Some(&mut changes))?;
        Some((changes, cache_sum(cache)?))
    }

    /// Parses whole every file the index cache knows only the header of, and records in the
    /// cache that it did. Returns the files whose whole parse says something the header did
    /// not (a broken body, a warning): their article (if any) and every diagnostic, to replace
    /// what the list holds for them; files that came, changed or went since the cache was
    /// written are among them. `None` when there is no usable cache.
    pub fn check_unchecked(root: &Path, max_size: u64, cache: &Path) -> Option<Vec<Checked>> {
        // On most starts every body was checked before: a look through the cache, one entry at a
        // time, says so without holding it.
        let mut reader = IndexReader::open(root, cache)?;
        if !reader.by_ref().any(|e| !e.checked) {
            return reader.finish().then(Vec::new);
        }
        drop(reader);
        // The cache brought up to date through a spill file, as `update_index` does: no entry
        // is held in memory, only a digest of each entry parsed again.
        let mut changes = Vec::new();
        Self::refresh_index(root, max_size, cache, true, Some(&mut changes)).map(|_| changes)
    }

    /// Puts what [`Library::check_unchecked`] found in place of what the library held for
    /// those files, and says how the list moved (`None`: it was sorted whole, every place may
    /// have changed).
    ///
    /// Each file's article is found where its [`Checked::was`] says, and looked for in one
    /// pass over the list only where that is not known or not right. The new articles are
    /// sorted among themselves and each put in its place (found by halving): at 100,000
    /// articles, what the UI thread does for 1,000 that came touches 1,000 of them, not all.
    pub fn apply_checked(&mut self, changes: Vec<Checked>) -> Option<Moves> {
        if changes.is_empty() {
            return Some(Moves::default());
        }
        // Looked up by the paths' bytes: hashing a `Path` walks its components, a cost that
        // counts on the UI thread once for every article of a large list.
        fn bytes(p: &Path) -> &[u8] {
            use std::os::unix::ffi::OsStrExt;
            p.as_os_str().as_bytes()
        }
        let mut removed = Vec::new();
        let mut unknown: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
        for c in &changes {
            match c.was {
                Was::Unlisted => {}
                Was::At(i) if self.articles.get(i).is_some_and(|a| bytes(&a.meta.path) == bytes(&c.path)) => {
                    removed.push(i)
                }
                _ => {
                    unknown.insert(bytes(&c.path));
                }
            }
        }
        if !unknown.is_empty() {
            removed.extend(
                self.articles.iter().enumerate().filter(|(_, a)| unknown.contains(bytes(&a.meta.path))).map(|(i, _)| i),
            );
        }
        removed.sort_unstable();
        removed.dedup();
        let changed: std::collections::HashMap<&[u8], bool> =
            changes.iter().map(|c| (bytes(&c.path), c.changed)).collect();
        // Bodies already read are kept where neither the file nor the metadata changed (only a
        // warning was found): reading a long article again would cost its reader time for
        // nothing.
        let mut bodies = std::collections::HashMap::new();
        let mut removed_ids = Vec::with_capacity(removed.len());
        for &i in &removed {
            let a = &mut self.articles[i];
            removed_ids.push(a.meta.id.clone());
            if changed.get(bytes(&a.meta.path)) == Some(&false) && !a.groups.is_empty() {
                let meta = a.meta.clone();
                bodies.insert(meta.path.clone(), (meta, std::mem::take(&mut a.groups), a.pairing.clone()));
            }
        }
        self.diagnostics.retain(|d| !changed.contains_key(bytes(&d.path)));
        drop(changed);
        // In place; those taken out gather at the end and go. A few: the articles between two
        // taken out move up past those taken out before them, a run at a time (a rotation,
        // which copies a run whole while what it moves past is small). Many: each article
        // after the first taken out moves up, a pointer at a time.
        let len = self.articles.len();
        if removed.len() <= IN_PLACE / 2 {
            for (k, &r) in removed.iter().enumerate() {
                let next = removed.get(k + 1).copied().unwrap_or(len);
                self.articles[r - k..next].rotate_left(k + 1);
            }
        } else if let Some(&first) = removed.first() {
            let (mut write, mut next) = (first, removed.iter().peekable());
            for read in first..len {
                if next.next_if(|&&r| r == read).is_none() {
                    self.articles.swap(write, read);
                    write += 1;
                }
            }
        }
        self.articles.truncate(len - removed.len());
        let mut added = Vec::with_capacity(changes.len());
        for c in changes {
            self.diagnostics.extend(c.diagnostics);
            if let Some(meta) = c.meta {
                // A body kept keeps its summary, which comes with it.
                let mut meta = meta.listed();
                let (groups, pairing) = match bodies.remove(&meta.path) {
                    Some((old, groups, pairing)) if old.same_listing(&meta) => {
                        meta.summary = old.summary;
                        (groups, pairing)
                    }
                    _ => (Default::default(), crate::article::Pairing::Given),
                };
                added.push(Box::new(Article { meta, groups, pairing }));
            }
        }
        self.diagnostics.sort_by(|a, b| a.path.cmp(&b.path).then(a.position.cmp(&b.position)));
        let inserted = self.insert_sorted(added)?;
        Some(Moves { removed, removed_ids, inserted })
    }

    /// Puts `articles` in their places in a list in order, each found by halving; where they
    /// went ([`Moves::inserted`]). Each article of the list moves once, as a pointer. A list out
    /// of order (made so by hand) is sorted whole: `None`.
    // Boxed already: the boxes go into the list as they are.
    #[allow(clippy::vec_box)]
    fn insert_sorted(&mut self, mut articles: Vec<Box<Article>>) -> Option<Vec<usize>> {
        if articles.is_empty() {
            return Some(Vec::new());
        }
        articles.sort_by(|a, b| list_order(&a.meta, &b.meta));
        // Each found from the last one's place, by steps that double, then halving: a fetch's
        // articles, mostly the newest, cost a few comparisons each, not one for every halving
        // of the whole list (each a look into another article's record).
        let mut from = 0;
        let places: Vec<usize> = articles
            .iter()
            .map(|a| {
                from = gallop(&self.articles, from, |b| list_order(&b.meta, &a.meta).is_le());
                from
            })
            .collect();
        // In order where each article goes in: the list before it and the one after it.
        let in_order = places.iter().zip(&articles).all(|(&p, a)| {
            p.checked_sub(1).is_none_or(|q| list_order(&self.articles[q].meta, &a.meta).is_le())
                && self.articles.get(p).is_none_or(|b| list_order(&a.meta, &b.meta).is_lt())
        });
        if !in_order {
            self.articles.append(&mut articles);
            self.sort();
            return None;
        }
        if articles.len() <= IN_PLACE {
            // In place, from the last: the articles after each new one's place and the new ones
            // not yet placed turn round together (a rotation), so no second list is made; each
            // article of the list moves once, the new ones once per new one after them.
            let mut end = self.articles.len();
            self.articles.append(&mut articles);
            for (j, &p) in places.iter().enumerate().rev() {
                self.articles[p..end + j + 1].rotate_right(j + 1);
                end = p;
            }
            return Some(places);
        }
        // A new list of pointers (800 KB at 100,000 articles), each article moved into it once.
        let mut list = Vec::with_capacity(self.articles.len() + articles.len());
        let mut old = std::mem::take(&mut self.articles).into_iter();
        let mut taken = 0;
        for (&p, a) in places.iter().zip(articles) {
            list.extend(old.by_ref().take(p - taken));
            taken = p;
            list.push(a);
        }
        list.extend(old);
        self.articles = list;
        Some(places)
    }

    /// Adds `articles` (more of a library being read) in list order: each put in its place,
    /// found by halving, and the list's pointers moved once (as `Library::insert_sorted` does);
    /// nothing the size of the list but its pointers, and no comparison with every article of
    /// it. A list out of order (made so by hand) is sorted whole.
    pub fn extend_sorted<A: Into<Box<Article>>>(&mut self, articles: Vec<A>) {
        let _ = self.insert_sorted(articles.into_iter().map(Into::into).collect());
    }

    /// Moves cached entries into the library (no copies: a large library is held once); each
    /// entry's path and stamp go to `rest`.
    fn take_entries(&mut self, entries: Vec<CacheEntry>, stats: &mut CacheStats, mut rest: impl FnMut(PathBuf, Stamp)) {
        self.articles.reserve(entries.len());
        for e in entries {
            self.take_entry(e, stats, &mut rest);
        }
    }

    fn take_entry(&mut self, e: CacheEntry, stats: &mut CacheStats, mut rest: impl FnMut(PathBuf, Stamp)) {
        if !e.checked {
            stats.unchecked += 1;
        }
        self.diagnostics.extend(e.diagnostics);
        if let Some(meta) = e.meta {
            self.articles.push(Box::new(Article {
                meta: meta.listed(),
                groups: Default::default(),
                pairing: crate::article::Pairing::Given,
            }));
        }
        rest(e.path, e.stamp);
    }
}

/// The first bytes of an index cache file.
const CACHE_MAGIC: &[u8] = b"bitext index\n";

/// The index cache is postcard (a compact binary serde format): about five times faster to
/// read than JSON, which matters when it stands between starting and the first list.
/// The file ends with a checksum of what is between the magic and it, so a damaged file is
/// refused rather than read as a wrong list.
/// The index cache for `root` in `cache`, if it is there, whole, of this version and of this
/// folder.
fn read_cache(root: &Path, cache: &Path) -> Option<CacheFile> {
    // One entry at a time through a small window: the file is never held whole beside what it
    // decodes to.
    let mut reader = IndexReader::open(root, cache)?;
    // (The count is the file's word: trusted for no more than a start.)
    let mut entries = Vec::with_capacity(reader.len().min(1 << 16));
    entries.extend(reader.by_ref());
    reader.finish().then(|| CacheFile { version: CACHE_VERSION, root: root.to_path_buf(), entries })
}

/// The first fields of the cache file, before its entries.
#[derive(serde::Deserialize)]
struct CacheHead {
    version: u32,
    #[serde(with = "crate::article::path_bytes")]
    root: PathBuf,
}

/// The index cache read one entry at a time, in list order, through a small window of the file
/// (never the whole file, never every entry at once): what `bitext list` streams from.
///
/// The file is a base (every entry in list order) and, after it, the changes since as a journal
/// (the private `journal` module); the two come out merged, in list order, as if the file were
/// written whole.
///
/// Entries come out before the checksum at the end of the file is known; [`IndexReader::finish`]
/// says whether the file was whole. Read it through once without acting on what it says, and
/// again to act, when a damaged file must not show (as `list` does).
pub struct IndexReader {
    file: std::fs::File,
    buf: Vec<u8>,
    /// The window of `buf` not decoded yet.
    start: usize,
    end: usize,
    /// Where in the file `buf[0]` is.
    buf_at: u64,
    /// Payload bytes of the base not read into `buf` yet.
    unread: u64,
    /// Entries not handed out yet (the base's and the journal's, those replaced not counted).
    left: usize,
    /// The base's entries, and how many of them were read.
    base_count: usize,
    base_read: usize,
    sum: Checksum,
    broken: bool,
    /// The changes since the base was written, if any, and how far they were merged in.
    journal: Option<journal::Journal>,
    next_added: usize,
    next_removed: usize,
    /// Where the entry handed out last came from.
    origin: Origin,
    /// The file's length and last eight bytes when it was opened.
    file_len: u64,
    file_sum: u64,
}

/// Where an entry [`IndexReader`] handed out is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    None,
    /// The base's entry at this place, its bytes at this offset of the file, of this length.
    Base {
        index: usize,
        at: u64,
        len: usize,
    },
    /// The journal's entry at this place among those it adds.
    Added(usize),
}

impl IndexReader {
    /// Opens the index cache of `root`; `None` if it is missing, of another version or another
    /// folder, or does not begin as a cache file does, or its journal is damaged.
    pub fn open(root: &Path, cache: &Path) -> Option<IndexReader> {
        let mut file = std::fs::File::open(cache).ok()?;
        let len = file.metadata().ok()?.len();
        let journal = journal::Journal::read(&file, len).ok()?;
        let mut tail = [0u8; 8];
        std::os::unix::fs::FileExt::read_exact_at(&file, &mut tail, len.checked_sub(8)?).ok()?;
        let base_end = journal.as_ref().map_or(len.checked_sub(8)?, |j| j.base_end);
        let payload = base_end.checked_sub(CACHE_MAGIC.len() as u64)?;
        let mut magic = [0u8; CACHE_MAGIC.len()];
        file.read_exact(&mut magic).ok()?;
        if magic != CACHE_MAGIC {
            return None;
        }
        let mut reader = IndexReader {
            file,
            buf: vec![0; 1 << 16],
            start: 0,
            end: 0,
            buf_at: CACHE_MAGIC.len() as u64,
            unread: payload,
            left: 0,
            base_count: 0,
            base_read: 0,
            sum: Checksum::default(),
            broken: false,
            journal: None,
            next_added: 0,
            next_removed: 0,
            origin: Origin::None,
            file_len: len,
            file_sum: u64::from_le_bytes(tail),
        };
        let head: CacheHead = reader.decode()?;
        if head.version != CACHE_VERSION || head.root != root {
            return None;
        }
        reader.base_count = reader.decode::<usize>()?;
        reader.left = match &journal {
            Some(j) => j.count_over(reader.base_count)?,
            None => reader.base_count,
        };
        reader.journal = journal;
        Some(reader)
    }

    /// Decodes one value from the window, reading more of the file as needed.
    fn decode<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        loop {
            match postcard::take_from_bytes::<T>(&self.buf[self.start..self.end]) {
                Ok((value, rest)) => {
                    let used = self.end - self.start - rest.len();
                    self.sum.update(&self.buf[self.start..self.start + used]);
                    self.start += used;
                    return Some(value);
                }
                Err(postcard::Error::DeserializeUnexpectedEnd) if self.unread > 0 => self.fill()?,
                Err(_) => {
                    self.broken = true;
                    return None;
                }
            }
        }
    }

    /// Moves what is left of the window to the front and reads more payload after it (the
    /// window doubles when one entry does not fit in it).
    fn fill(&mut self) -> Option<()> {
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.buf_at += self.start as u64;
        self.start = 0;
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let room = (self.buf.len() - self.end).min(usize::try_from(self.unread).unwrap_or(usize::MAX));
        if self.file.read_exact(&mut self.buf[self.end..self.end + room]).is_err() {
            self.broken = true;
            return None;
        }
        self.end += room;
        self.unread -= room as u64;
        Some(())
    }

    /// Reads the base's next entry into the window whole: where it is in the window.
    fn next_base(&mut self) -> Option<std::ops::Range<usize>> {
        if self.base_read == self.base_count || self.broken {
            return None;
        }
        let len = self.decode::<usize>()?;
        // A length past the end of the file is damage, not a reason to grow the window.
        if len as u64 > (self.end - self.start) as u64 + self.unread {
            self.broken = true;
            return None;
        }
        while self.end - self.start < len {
            self.fill()?;
        }
        let range = self.start..self.start + len;
        self.sum.update(&self.buf[range.clone()]);
        self.start += len;
        self.base_read += 1;
        Some(range)
    }

    /// Whether the journal takes the base's entry `index` out.
    fn take_removed(&mut self, index: usize) -> bool {
        let removed = self.journal.as_ref().and_then(|j| j.removed.get(self.next_removed));
        let taken = removed.is_some_and(|&r| r as usize == index);
        self.next_removed += usize::from(taken);
        taken
    }

    /// Calls `f` on the bytes of the next entry in list order: the journal's next one where it
    /// goes before the base's next one, else the base's next one the journal leaves in.
    fn with_entry<T>(&mut self, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
        loop {
            if self.left == 0 || self.broken {
                return None;
            }
            if let Some(j) = &self.journal
                && let Some((place, bytes)) = j.added.get(self.next_added)
                && *place as usize <= self.base_read
            {
                self.origin = Origin::Added(self.next_added);
                self.next_added += 1;
                self.left -= 1;
                return Some(f(bytes));
            }
            let index = self.base_read;
            let Some(range) = self.next_base() else {
                // Entries promised and none left to give: damage.
                self.broken = true;
                return None;
            };
            if self.take_removed(index) {
                continue;
            }
            self.origin = Origin::Base { index, at: self.buf_at + range.start as u64, len: range.len() };
            self.left -= 1;
            return Some(f(&self.buf[range]));
        }
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.left
    }

    pub fn is_empty(&self) -> bool {
        self.left == 0
    }

    /// Whether the file was whole and every entry was read: nothing left over, the checksums
    /// right.
    pub fn finish(self) -> bool {
        self.finish_keeping().is_some()
    }

    /// [`IndexReader::finish`], keeping what a journal written after this cache needs: the
    /// base's count, where it ends and its checksum, and the journal read.
    fn finish_keeping(mut self) -> Option<journal::Base> {
        // The base's last entries, when the journal took them out, are not read yet.
        while self.left == 0 && self.base_read < self.base_count && !self.broken {
            let index = self.base_read;
            if self.next_base().is_none() || !self.take_removed(index) {
                return None;
            }
        }
        if self.broken || self.left > 0 || self.end != self.start || self.unread > 0 {
            return None;
        }
        let mut sum = [0u8; 8];
        self.file.read_exact(&mut sum).ok()?;
        let sum = u64::from_le_bytes(sum);
        (self.sum.finish() == sum).then(|| journal::Base {
            count: self.base_count,
            end: self.buf_at + self.end as u64,
            sum,
            file_len: self.file_len,
            file_sum: self.file_sum,
            journal: self.journal,
        })
    }
}

impl Iterator for IndexReader {
    type Item = IndexEntry;
    fn next(&mut self) -> Option<IndexEntry> {
        let entry = self.with_entry(decode_entry)?;
        if entry.is_none() {
            self.broken = true;
        }
        entry
    }
}

/// The first fields of an index entry, borrowed from its bytes: what a refresh compares with
/// the folder without decoding the article after them.
#[derive(serde::Deserialize)]
struct EntryHead<'a> {
    path: &'a [u8],
    stamp: Stamp,
    checked: bool,
}

/// One entry of the cache from its bytes (`None` if they are not exactly one entry).
fn decode_entry(bytes: &[u8]) -> Option<IndexEntry> {
    match postcard::take_from_bytes::<IndexEntry>(bytes) {
        Ok((entry, [])) => Some(entry),
        _ => None,
    }
}

/// The cache file's checksum, fed a piece at a time (see [`checksum`]).
#[derive(Default)]
struct Checksum {
    h: Option<u64>,
    pending: Vec<u8>,
    len: u64,
}

impl Checksum {
    fn update(&mut self, mut bytes: &[u8]) {
        let h = self.h.get_or_insert(0x9e37_79b9_7f4a_7c15);
        self.len += bytes.len() as u64;
        if !self.pending.is_empty() {
            let need = 8 - self.pending.len();
            let (head, rest) = bytes.split_at(need.min(bytes.len()));
            self.pending.extend_from_slice(head);
            bytes = rest;
            if self.pending.len() < 8 {
                return;
            }
            let w = u64::from_le_bytes(self.pending[..].try_into().unwrap_or_default());
            *h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            self.pending.clear();
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            *h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.pending.extend_from_slice(chunks.remainder());
    }

    fn finish(self) -> u64 {
        let mut h = self.h.unwrap_or(0x9e37_79b9_7f4a_7c15);
        for &b in &self.pending {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        (h ^ self.len).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// A fast 64-bit checksum (words mixed as in FxHash, then the length), to catch damage, not
/// tampering: [`Checksum`] fed everything at once.
fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::default();
    sum.update(bytes);
    sum.finish()
}

/// The checksum an index cache file ends with (its last eight bytes): which cache a list was
/// made from, to tell later whether another program wrote it since. Not a check of the file.
pub fn cache_sum(cache: &Path) -> Option<u64> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(cache).ok()?;
    let len = file.metadata().ok()?.len();
    let mut tail = [0u8; 8];
    file.read_exact_at(&mut tail, len.checked_sub(8)?).ok()?;
    Some(u64::from_le_bytes(tail))
}

/// Whether `new` entries read again and the old journal's `kept` ones would go in a journal
/// rather than the cache be written whole: what the journal would hold (the new entries
/// judged by the base's mean entry) is at most a sixteenth of the base.
fn journal_fits(base: &journal::Base, kept: &[usize], new: usize) -> bool {
    let head = CACHE_MAGIC.len() as u64;
    let mean = base.end.saturating_sub(head) / (base.count.max(1) as u64);
    let old: u64 = base.journal.as_ref().map_or(0, |j| kept.iter().map(|&k| j.added[k].1.len() as u64).sum());
    (old + new as u64 * mean).saturating_mul(16) <= base.end
}

/// Appends to the cache the journal of everything that changed since its base: the base's
/// entries taken out (`removed` now, and those the old journal took out), the old journal's
/// entries still good (`kept`), and `entries`, each put before the first of the base's entries
/// kept (`kept_base`: place, offset, length) that comes after it in the list, found by halving
/// (each probe read from the file). `None` when no journal is written: the file is not the one
/// read any more, or what follows the base would pass a quarter of it — the cache is then
/// written whole. The journal's length when it was written.
fn write_journal(
    cache: &Path,
    base: journal::Base,
    kept_base: Vec<(u32, u64, u32)>,
    removed: Vec<u32>,
    kept: &[usize],
    entries: &[IndexEntry],
) -> Option<std::io::Result<usize>> {
    use std::os::unix::fs::FileExt;
    let file = journal::open_to_append(cache, &base)?;
    let old = base.journal.unwrap_or_default();
    // Disjoint: the entries the old journal took out were not read.
    let mut all_removed = old.removed;
    all_removed.extend(removed);
    all_removed.sort_unstable();
    let mut old_added = old.added;
    let mut added: Vec<(u32, ListKey, Vec<u8>)> = Vec::with_capacity(kept.len() + entries.len());
    for &k in kept {
        let (place, bytes) = std::mem::take(&mut old_added[k]);
        added.push((place, ListKey::of(&decode_entry(&bytes)?), bytes));
    }
    // The keys of the base's entries probed, kept: the halvings share their first steps.
    let mut probes: std::collections::HashMap<usize, ListKey> = std::collections::HashMap::new();
    for e in entries {
        let key = ListKey::of(e);
        let (mut lo, mut hi) = (0, kept_base.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let probe = match probes.entry(mid) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let (_, at, len) = kept_base[mid];
                    let mut bytes = vec![0u8; len as usize];
                    file.read_exact_at(&mut bytes, at).ok()?;
                    v.insert(ListKey::of(&decode_entry(&bytes)?))
                }
            };
            if *probe < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let place = kept_base.get(lo).map_or(base.count as u32, |b| b.0);
        added.push((place, key, postcard::to_stdvec(e).ok()?));
    }
    added.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let journal = journal::Journal {
        base_end: base.end,
        base_sum: base.sum,
        removed: all_removed,
        added: added.into_iter().map(|(place, _, bytes)| (place, bytes)).collect(),
    };
    let block = journal.block().ok()?;
    if (base.file_len + block.len() as u64 - base.end).saturating_mul(4) > base.end {
        return None;
    }
    Some(journal::append(file, &block).map(|()| block.len()))
}

/// A digest of what an index entry says of its file (its article and its problems), to tell
/// whether reading the file again changed that without keeping the entry.
fn entry_digest(e: &IndexEntry) -> u64 {
    postcard::to_stdvec(&(&e.meta, &e.diagnostics)).map_or(0, |bytes| checksum(&bytes))
}

/// Where an entry stands in the list: newest first, then by title and id; files that are not
/// articles last, by path (the order [`write_cache`] gives). Its first bytes are held for every
/// file while a cache is written (see [`Spill`]), so it is bytes that compare as the fields do,
/// in that order: each string with its zero bytes escaped (`0 1`) and ended by `0 0`, which
/// keeps the order of the strings and makes no encoding the start of another; the date's bytes
/// inverted, which then reverses it.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct ListKey(Box<[u8]>);

impl ListKey {
    fn of(e: &IndexEntry) -> ListKey {
        fn push(out: &mut Vec<u8>, s: &[u8]) {
            for &b in s {
                out.extend_from_slice(if b == 0 { &[0, 1] } else { std::slice::from_ref(&b) });
            }
            out.extend_from_slice(&[0, 0]);
        }
        let mut key = Vec::new();
        match &e.meta {
            Some(m) => {
                key.push(0);
                match &m.published {
                    // Dated first, the newest first.
                    Some(p) => {
                        key.push(0);
                        let at = key.len();
                        push(&mut key, p.0.as_bytes());
                        key[at..].iter_mut().for_each(|b| *b = !*b);
                    }
                    None => key.push(1),
                }
                push(&mut key, m.title.as_bytes());
                push(&mut key, m.id.as_bytes());
            }
            None => {
                use std::os::unix::ffi::OsStrExt;
                key.push(1);
                push(&mut key, e.path.as_os_str().as_bytes());
            }
        }
        ListKey(key.into_boxed_slice())
    }
}

/// Entries encoded into a temporary file beside the cache (gone when dropped), with only their
/// place in the list and where they are in memory: what [`Library::update_index`] sorts.
struct Spill {
    out: std::io::BufWriter<std::fs::File>,
    at: u64,
    records: Vec<Spilled>,
}

/// How many of an entry's [`ListKey`] bytes a spill holds for it (zeros after a shorter key):
/// the date and the start of the title, which tell most entries apart. Entries whose first
/// bytes are the same are put in order by their whole keys, read back from the spill file.
const KEY_PREFIX: usize = 32;

/// One spilled entry: the start of its place in the list, and where its bytes are.
#[derive(Clone, Copy)]
struct Spilled {
    prefix: [u8; KEY_PREFIX],
    at: u64,
    len: u32,
}

impl Spill {
    fn new(dir: &Path) -> std::io::Result<Spill> {
        Ok(Spill { out: std::io::BufWriter::new(tempfile::tempfile_in(dir)?), at: 0, records: Vec::new() })
    }

    fn push(&mut self, e: &IndexEntry) -> std::io::Result<()> {
        let bytes = postcard::to_stdvec(e).map_err(std::io::Error::other)?;
        self.out.write_all(&bytes)?;
        let key = ListKey::of(e);
        let mut prefix = [0; KEY_PREFIX];
        let n = key.0.len().min(KEY_PREFIX);
        prefix[..n].copy_from_slice(&key.0[..n]);
        self.records.push(Spilled { prefix, at: self.at, len: bytes.len() as u32 });
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Puts the spilled entries in list order. Their first key bytes order them as their whole
    /// keys do wherever they differ (a key shorter than the prefix is padded with zeros, and
    /// is less than any longer key it starts); each run of entries with the same first bytes
    /// is ordered by the whole keys of those entries, read back and decoded.
    fn sort(&mut self) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.records.sort_unstable_by_key(|a| a.prefix);
        self.out.flush()?;
        let mut bytes = Vec::new();
        let mut start = 0;
        while start < self.records.len() {
            let prefix = self.records[start].prefix;
            let end = start + self.records[start..].iter().take_while(|r| r.prefix == prefix).count();
            if end - start > 1 {
                let mut keyed = Vec::with_capacity(end - start);
                for r in &self.records[start..end] {
                    bytes.resize(r.len as usize, 0);
                    self.out.get_ref().read_exact_at(&mut bytes, r.at)?;
                    let e =
                        decode_entry(&bytes).ok_or_else(|| std::io::Error::other("a spilled entry does not read"))?;
                    keyed.push((ListKey::of(&e), *r));
                }
                keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                for (slot, (_, r)) in self.records[start..end].iter_mut().zip(keyed) {
                    *slot = r;
                }
            }
            start = end;
        }
        Ok(())
    }

    /// Writes the cache file from the spilled entries, in the order of `records`: the same
    /// bytes [`write_cache`] writes for those entries.
    fn write_cache(self, root: &Path, path: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        let spilled = self.out.into_inner().map_err(|e| e.into_error())?;
        let mut bytes = Vec::new();
        write_entries(
            root,
            path,
            self.records.len(),
            self.records.iter().map(|r| {
                bytes.resize(r.len as usize, 0);
                spilled.read_exact_at(&mut bytes, r.at)?;
                Ok(bytes.clone())
            }),
        )
    }
}

/// Writes the cache file `path` of `root` atomically from its `count` entries, each already
/// encoded, one at a time: the cache is never held whole in memory. The file: the magic, the
/// head (version, folder, count), each entry after its length in bytes (a varint, so a reader
/// can hand whole entries to other threads to decode), and the checksum of all but the magic.
/// (Journals of later changes may follow: [`journal`].)
fn write_entries(
    root: &Path,
    path: &Path,
    count: usize,
    entries: impl Iterator<Item = std::io::Result<Vec<u8>>>,
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        version: u32,
        #[serde(with = "crate::article::path_bytes")]
        root: &'a Path,
        entries: usize,
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // The entries' count is where a sequence's length stands: postcard writes both as a varint.
    let head =
        postcard::to_stdvec(&Head { version: CACHE_VERSION, root, entries: count }).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut sum = Checksum::default();
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        out.write_all(CACHE_MAGIC)?;
        out.write_all(&head)?;
        sum.update(&head);
        for bytes in entries {
            let bytes = bytes?;
            let len = postcard::to_stdvec(&bytes.len()).map_err(std::io::Error::other)?;
            out.write_all(&len)?;
            sum.update(&len);
            out.write_all(&bytes)?;
            sum.update(&bytes);
        }
        out.write_all(&sum.finish().to_le_bytes())?;
        out.flush()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // The JSON cache of earlier versions, if any, is of no use now.
    if path.extension().is_some_and(|e| e == "bin") {
        let _ = std::fs::remove_file(path.with_extension("json"));
    }
    Ok(())
}

/// [`write_cache`], logging why it failed: a cache that cannot be written costs every start a
/// full read of the library, which someone should be able to find out.
fn write_cache_logged(path: &Path, file: &mut CacheFile) -> bool {
    match write_cache(path, file) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!("index cache {}: cannot write: {e}", path.display());
            false
        }
    }
}

/// Writes the cache atomically, its entries in list order so the list needs little sorting.
fn write_cache(path: &Path, file: &mut CacheFile) -> std::io::Result<()> {
    file.entries.sort_by(|a, b| match (&a.meta, &b.meta) {
        (Some(x), Some(y)) => list_order(x, y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.path.cmp(&b.path),
    });
    let encoded = file.entries.iter().map(|e| postcard::to_stdvec(e).map_err(std::io::Error::other));
    write_entries(&file.root, path, file.entries.len(), encoded)
}

/// One file parsed to `depth` for the index cache: its metadata, what its body holds (when it
/// was parsed whole) and its problems.
fn parse_one(
    root: &Path,
    path: &Path,
    max_size: u64,
    depth: Depth,
) -> (Option<crate::article::Meta>, Option<crate::article::BodySummary>, Vec<Diagnostic>) {
    let id = article_id(root, path);
    match read_limited(path, max_size) {
        Ok(bytes) => {
            let parsed = match depth {
                Depth::Header => article::parse_header(&bytes, &id, path),
                _ => article::parse(&bytes, &id, path),
            };
            let body = (depth != Depth::Header)
                .then(|| parsed.article.as_ref().map(|a| crate::article::BodySummary::of(&a.groups)))
                .flatten();
            (parsed.article.map(|a| a.meta), body, parsed.diagnostics)
        }
        Err(message) => (None, None, vec![Diagnostic::error(path, message)]),
    }
}

fn parse_files(root: &Path, files: &[PathBuf], max_size: u64, depth: Depth) -> (Vec<Article>, Vec<Diagnostic>) {
    let mut articles = Vec::with_capacity(files.len());
    let mut diagnostics = Vec::new();
    for path in files {
        let id = article_id(root, path);
        match read_limited(path, max_size) {
            Ok(bytes) => {
                let mut parsed = match depth {
                    Depth::Header => article::parse_header(&bytes, &id, path),
                    _ => article::parse(&bytes, &id, path),
                };
                if depth == Depth::Checked
                    && let Some(a) = parsed.article.as_mut()
                {
                    a.groups = Default::default();
                }
                diagnostics.extend(parsed.diagnostics);
                articles.extend(parsed.article);
            }
            Err(message) => diagnostics.push(Diagnostic::error(path, message)),
        }
    }
    (articles, diagnostics)
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

/// `ko/seoul-forum` for `<root>/ko/seoul-forum.toml`. Different paths always give different
/// ids: what cannot be shown is escaped, never dropped (`a\u{1b}[31mb` for a name holding an
/// escape character, `\xff` for a byte that is not UTF-8, `\\` for a backslash).
pub fn article_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .map(|c| crate::text::escape_unprintable(c.as_os_str().as_encoded_bytes()))
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads at most `max` bytes; a larger file is refused before it is read. The file is opened
/// without blocking and must be a regular file: a FIFO named `x.toml` would otherwise hang the
/// read until something wrote to it.
pub(crate) fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot open: {}", io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {}", io_reason(&e)))?;
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(format!("is {kind}, not an article file"));
    }
    if meta.is_dir() {
        return Err("is a folder, not an article file".into());
    }
    let size = meta.len();
    if size > max {
        return Err(format!("file is {size} bytes, over the limit of {max} bytes"));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {}", io_reason(&e)))?;
    if bytes.len() as u64 > max {
        return Err(format!("file is over the limit of {max} bytes"));
    }
    Ok(bytes)
}

fn describe_walk_error(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!("symlink loop back to {}", ancestor.display());
    }
    match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => "dangling symlink (its target does not exist)".into(),
        Some(io) => format!("cannot read: {}", io_reason(io)),
        None => e.to_string(),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: usize, published: Option<&str>, title: &str) -> Article {
        Article {
            meta: article::Meta {
                id: format!("a{id}").into(),
                title: title.into(),
                published: published.map(|p| article::Published(p.into())),
                ..Default::default()
            },
            groups: Default::default(),
            pairing: article::Pairing::Given,
        }
    }

    /// A small pseudo-random source (xorshift): each call a number below `n`.
    fn xorshift(mut seed: u64) -> impl FnMut(u64) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        }
    }

    #[test]
    fn articles_added_in_batches_stand_where_a_sort_of_the_whole_puts_them() {
        // Dates that repeat, undated articles, equal titles: every tie the order breaks.
        let mut below = xorshift(0x2545_f491_4f6c_dd1d);
        let dates =
            [None, Some("2024-01-05"), Some("2024-01-06"), Some("2024-01-06T09:00:00+09:00"), Some("2023-12-31")];
        let titles = ["Rates", "Rail", "Heat", "Rates"];
        for round in 0..40 {
            let all: Vec<Article> =
                (0..below(300) + 1).map(|i| article(i, dates[below(5)], titles[below(4)])).collect();
            let mut expected = all.clone();
            expected.sort_by(|a, b| list_order(&a.meta, &b.meta));
            let mut library = Library::default();
            let mut rest = all.as_slice();
            while !rest.is_empty() {
                let n = (below(40) + 1).min(rest.len());
                library.extend_sorted(rest[..n].to_vec());
                rest = &rest[n..];
                assert!(library.articles.is_sorted_by(|a, b| list_order(&a.meta, &b.meta).is_le()), "round {round}");
            }
            let ids = |v: &mut dyn Iterator<Item = &Article>| v.map(|a| a.meta.id.to_string()).collect::<Vec<_>>();
            assert_eq!(ids(&mut library.articles.iter().map(Box::as_ref)), ids(&mut expected.iter()), "round {round}");
            assert!(library.articles.iter().all(|a| !a.meta.title.is_empty()), "no stand-in is left in the list");
        }
    }

    /// Files that came, changed and went, each with where the list holds it right, wrong or
    /// not known: the list ends as a sort of the whole would leave it, and [`Moves`] says where
    /// every article that stayed went, by halving and by runs.
    #[test]
    fn changes_taken_in_move_the_list_as_a_whole_sort_would() {
        let mut below = xorshift(0x9e37_79b9_7f4a_7c15);
        let dates = [None, Some("2024-01-05"), Some("2024-01-06"), Some("2024-01-07"), Some("2023-12-31")];
        let titles = ["Rates", "Rail", "Heat", "Rates"];
        let with_path = |mut a: Article| {
            a.meta.path = format!("{}.toml", a.meta.id).into();
            a
        };
        for round in 0..60 {
            // Every fifth round, one round on, changes or takes out most of a longer list.
            let most = round % 5 == 1;
            let n = if most { 150 + below(50) } else { below(200) };
            let mut library = Library::default();
            library.extend_sorted((0..n).map(|i| with_path(article(i, dates[below(5)], titles[below(4)]))).collect());
            let before: Vec<String> = library.articles.iter().map(|a| a.meta.id.to_string()).collect();
            let mut changes = Vec::new();
            let mut expected: std::collections::BTreeMap<String, Article> =
                library.articles.iter().map(|a| (a.meta.id.to_string(), Article::clone(a))).collect();
            let mut touched = std::collections::HashSet::new();
            // Every fifth round brings more than are put in in place.
            let many = round % 5 == 0;
            for _ in 0..if many || most { IN_PLACE + 1 + below(100) } else { below(30) } {
                let (i, came) = (below(n as u64 + 1), many || (!most && below(3) == 0) || n == 0);
                let (kind, wrong) = (below(4), below(n as u64 + 1));
                let hint = |right: usize| match kind {
                    0 => Was::Unknown,
                    1 => Was::At(wrong),
                    _ => Was::At(right),
                };
                if came {
                    let a = with_path(article(1000 + changes.len(), dates[below(5)], titles[below(4)]));
                    expected.insert(a.meta.id.to_string(), a.clone());
                    let was = if below(4) == 0 { Was::Unknown } else { Was::Unlisted };
                    changes.push(Checked {
                        path: a.meta.path.clone(),
                        meta: Some(a.meta),
                        diagnostics: vec![],
                        changed: true,
                        was,
                    });
                } else if i < n && touched.insert(i) {
                    let path = library.articles[i].meta.path.clone();
                    let id = library.articles[i].meta.id.to_string();
                    if below(2) == 0 {
                        expected.remove(&id);
                        changes.push(Checked { path, meta: None, diagnostics: vec![], changed: true, was: hint(i) });
                    } else {
                        // Changed: another date and title, the same file and id.
                        let mut a = article(0, dates[below(5)], titles[below(4)]);
                        a.meta.id = id.clone().into();
                        a.meta.path = path.clone();
                        expected.insert(id, a.clone());
                        changes.push(Checked {
                            path,
                            meta: Some(a.meta),
                            diagnostics: vec![],
                            changed: true,
                            was: hint(i),
                        });
                    }
                }
            }
            let changed: std::collections::HashSet<PathBuf> = changes.iter().map(|c| c.path.clone()).collect();
            let moves = library.apply_checked(changes).expect("the list was in order");
            let mut want: Vec<Article> = expected.into_values().collect();
            want.sort_by(|a, b| list_order(&a.meta, &b.meta));
            let ids: Vec<&str> = library.articles.iter().map(|a| a.meta.id.as_str()).collect();
            assert_eq!(ids, want.iter().map(|a| a.meta.id.as_str()).collect::<Vec<_>>(), "round {round}");
            let titles_now: Vec<&str> = library.articles.iter().map(|a| a.meta.title.as_str()).collect();
            assert_eq!(titles_now, want.iter().map(|a| a.meta.title.as_str()).collect::<Vec<_>>(), "round {round}");
            // Every article left alone is where its place says; those put in are where `added`
            // says; every place before is one of the two kinds.
            let mut all: Vec<usize> = Vec::new();
            for (old, id) in before.iter().enumerate() {
                let path = PathBuf::from(format!("{id}.toml"));
                match moves.place(old) {
                    Some(new) => {
                        assert!(!changed.contains(&path), "round {round}: {id} changed but kept its place");
                        assert_eq!(library.articles[new].meta.id, id.as_str(), "round {round}");
                        all.push(old);
                    }
                    None => assert!(changed.contains(&path), "round {round}: {id} taken out"),
                }
            }
            for new in moves.added() {
                assert!(changed.contains(&library.articles[new].meta.path), "round {round}");
            }
            assert_eq!(moves.added().count() + all.len(), library.articles.len(), "round {round}");
            // Walking an ascending part of the places before gives what halving gives.
            let mut part: Vec<usize> = (0..n).filter(|_| below(3) > 0).collect();
            let halved: Vec<usize> = part.iter().filter_map(|&i| moves.place(i)).collect();
            moves.move_ascending(&mut part);
            assert_eq!(part, halved, "round {round}");
        }
    }

    #[test]
    fn the_bytes_a_cache_is_sorted_by_keep_the_order_of_the_list() {
        let stamp = Stamp { size: 0, modified_ns: 0, changed_ns: 0 };
        let entry = |meta: Option<article::Meta>, path: &str| IndexEntry {
            path: path.into(),
            stamp,
            checked: false,
            meta,
            body: None,
            diagnostics: Vec::new(),
        };
        // Dates one the start of another, strings with zero bytes and one the start of another,
        // files that are no article.
        let dates =
            [None, Some("2024-01-06"), Some("2024-01-06T09:00:00"), Some("2024-01-06T09:00:00+09:00"), Some("2023")];
        let strings = ["", "a", "a\0", "a\0b", "a\u{1}", "ab", "가", "\0"];
        let mut entries = Vec::new();
        for (i, d) in dates.iter().enumerate() {
            for (j, t) in strings.iter().enumerate() {
                for (k, id) in strings.iter().enumerate() {
                    let mut a = article(0, *d, t);
                    a.meta.id = (*id).into();
                    entries.push(entry(Some(a.meta), &format!("{i}/{j}/{k}")));
                }
            }
        }
        for p in strings {
            entries.push(entry(None, p));
        }
        let expected = |a: &IndexEntry, b: &IndexEntry| match (&a.meta, &b.meta) {
            (Some(x), Some(y)) => list_order(x, y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.path.cmp(&b.path),
        };
        for a in &entries {
            for b in &entries {
                assert_eq!(
                    ListKey::of(a).cmp(&ListKey::of(b)),
                    expected(a, b),
                    "{:?} against {:?}",
                    (a.meta.as_ref().map(|m| (&m.published, &m.title, &m.id)), &a.path),
                    (b.meta.as_ref().map(|m| (&m.published, &m.title, &m.id)), &b.path)
                );
            }
        }
    }
}
