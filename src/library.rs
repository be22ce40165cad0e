//! The library: every article file under one folder, and what was wrong with the others.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::article::{self, Article, Diagnostic};

/// Files larger than this are refused without being read whole.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("library folder {0} does not exist")]
    Missing(PathBuf),
    #[error("library path {0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot read library folder {0}: {1}")]
    Unreadable(PathBuf, std::io::Error),
}

#[derive(Debug, Default, Clone)]
pub struct Library {
    pub root: PathBuf,
    /// Newest first; undated articles last, then by title.
    pub articles: Vec<Article>,
    /// Errors (files not listed) and warnings (files listed), sorted by path.
    pub diagnostics: Vec<Diagnostic>,
}

impl Library {
    /// Scans `root` recursively for `*.toml` files and parses each one.
    pub fn scan(root: &Path) -> Result<Self, LibraryError> {
        Self::scan_with_limit(root, DEFAULT_MAX_FILE_SIZE)
    }

    pub fn scan_with_limit(root: &Path, max_size: u64) -> Result<Self, LibraryError> {
        match std::fs::metadata(root) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(LibraryError::Missing(root.into()));
            }
            Err(e) => return Err(LibraryError::Unreadable(root.into(), e)),
            Ok(m) if !m.is_dir() => return Err(LibraryError::NotAFolder(root.into())),
            Ok(_) => {}
        }
        let mut library = Library { root: root.to_path_buf(), ..Default::default() };
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
                        library.diagnostics.push(Diagnostic::error(&path, describe_walk_error(&e)));
                    }
                    continue;
                }
            };
            if !is_toml(entry.path()) {
                continue;
            }
            if entry.file_type().is_dir() {
                library.diagnostics.push(Diagnostic::error(entry.path(), "is a folder, not an article file"));
                continue;
            }
            let id = article_id(root, entry.path());
            match read_limited(entry.path(), max_size) {
                Ok(bytes) => {
                    let parsed = article::parse(&bytes, &id, entry.path());
                    library.diagnostics.extend(parsed.diagnostics);
                    library.articles.extend(parsed.article);
                }
                Err(message) => library.diagnostics.push(Diagnostic::error(entry.path(), message)),
            }
        }
        library.sort();
        Ok(library)
    }

    fn sort(&mut self) {
        self.articles.sort_by(|a, b| {
            b.meta
                .published
                .cmp(&a.meta.published)
                .then_with(|| a.meta.title.cmp(&b.meta.title))
                .then_with(|| a.meta.id.cmp(&b.meta.id))
        });
        self.diagnostics.sort_by(|a, b| a.path.cmp(&b.path).then(a.position.cmp(&b.position)));
    }

    pub fn find(&self, id: &str) -> Option<&Article> {
        let id = id.strip_suffix(".toml").unwrap_or(id);
        self.articles.iter().find(|a| a.meta.id == id)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

/// `ko/seoul-forum` for `<root>/ko/seoul-forum.toml`.
pub fn article_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Reads at most `max` bytes; a larger file is refused before it is read.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {}", io_reason(&e)))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return Err(format!("file is {size} bytes, over the limit of {max} bytes"));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {}", io_reason(&e)))?;
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
