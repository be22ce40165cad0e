//! What each feed's last fetch left, in `$XDG_STATE_HOME/bitext/feeds.json`: the validators for
//! a conditional request (`ETag`, `Last-Modified`), when it was fetched, its last error, how
//! long the server asked to be left alone (`Retry-After`), and the items already made into
//! articles. Keyed by the feed's URL, so renaming a feed keeps its history. A run writes only
//! the feeds it fetched, over what is on disk then, so two runs do not undo each other; one
//! run at a time holds the lock file beside it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One feed's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Seconds since the Unix epoch of the last fetch, whatever came of it.
    pub last_fetch: Option<u64>,
    /// Of the last fetch that worked (a 200 or a 304).
    pub last_success: Option<u64>,
    pub last_error: Option<String>,
    /// No request before this time (seconds since the epoch): the server's `Retry-After`.
    pub not_before: Option<u64>,
    /// The feed's own title and language, as last read.
    pub title: Option<String>,
    pub lang: Option<String>,
    /// Item key → the id of the article made from it. An item whose article was removed
    /// (retention) stays here while the feed lists it, so it is not fetched again.
    pub items: BTreeMap<String, String>,
}

/// Every feed's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct States {
    #[serde(default)]
    pub feeds: BTreeMap<String, FeedState>,
}

/// `$XDG_STATE_HOME/bitext/feeds.json`.
pub fn default_path() -> Option<PathBuf> {
    crate::state::default_path().map(|p| p.with_file_name("feeds.json"))
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    crate::clock::now_secs()
}

/// Reads the records; a missing file is none, a broken one is an error naming it.
pub fn load(path: &Path) -> Result<States, String> {
    match std::fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(States::default()),
        Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
    }
}

/// Writes `changed` (by feed URL) over the records on disk now.
pub fn save(path: &Path, changed: &BTreeMap<String, FeedState>) -> Result<(), String> {
    let mut states = load(path).unwrap_or_else(|e| {
        tracing::warn!("feeds state: {e}; starting it anew");
        States::default()
    });
    for (url, s) in changed {
        states.feeds.insert(url.clone(), s.clone());
    }
    let json = serde_json::to_vec(&states).map_err(|e| e.to_string())?;
    // A record to remember, not an article: whole or absent, without waiting for the disk.
    crate::files::write_atomically_later_synced(path, &json)
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// The lock that lets one fetch run at a time; released when dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
}

/// Takes the lock beside `state` (`feeds.lock`), or says that another fetch holds it.
pub fn lock(state: &Path) -> Result<RunLock, String> {
    use std::os::fd::AsRawFd;
    let path = state.with_file_name("feeds.lock");
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
    // SAFETY: flock on a descriptor this function owns.
    let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if r != 0 {
        return Err("another `bitext fetch` is running (it holds the feeds lock); try again when it ends".into());
    }
    Ok(RunLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_keeps_the_feeds_another_run_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feeds.json");
        let a = FeedState { etag: Some("\"a1\"".into()), ..Default::default() };
        save(&path, &BTreeMap::from([("https://a.test/f".to_string(), a.clone())])).unwrap();
        let b = FeedState { last_error: Some("HTTP 500".into()), ..Default::default() };
        save(&path, &BTreeMap::from([("https://b.test/f".to_string(), b.clone())])).unwrap();
        let states = load(&path).unwrap();
        assert_eq!(states.feeds["https://a.test/f"], a);
        assert_eq!(states.feeds["https://b.test/f"], b);
    }

    #[test]
    fn a_broken_file_is_named_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feeds.json");
        std::fs::write(&path, "{\n  \"feeds\": [\n").unwrap();
        let e = load(&path).unwrap_err();
        assert!(e.contains("feeds.json:"), "{e}");
    }

    #[test]
    fn one_run_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feeds.json");
        let held = lock(&path).unwrap();
        assert!(lock(&path).unwrap_err().contains("another `bitext fetch`"));
        drop(held);
        assert!(lock(&path).is_ok());
    }
}
