//! The translation cache: `$XDG_CACHE_HOME/bitext/translations.jsonl`, one JSON line per
//! paragraph translated, keyed by a 128-bit hash of the engine's kind, model and settings, the
//! two languages and the paragraph's text, never by position. A line is appended (one write) as
//! soon as its translation arrives, so a crash, a cancel or a storm of 429s loses nothing
//! already translated; a damaged line is skipped.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::EngineInfo;

pub struct Cache {
    path: PathBuf,
    entries: Mutex<HashMap<String, String>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Line {
    k: String,
    t: String,
}

/// `$XDG_CACHE_HOME/bitext/translations.jsonl`.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    Some(etcetera::choose_base_strategy().ok()?.cache_dir().join("bitext").join("translations.jsonl"))
}

/// The cache key of one paragraph for one engine and language pair.
pub fn key(engine: &EngineInfo, source: &str, target: &str, text: &str) -> String {
    let parts =
        [engine.kind.as_str(), engine.model.as_deref().unwrap_or(""), engine.settings.as_str(), source, target, text];
    // Two FNV-1a hashes with different offsets, over the parts and their lengths: 128 bits.
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for p in parts {
        for byte in (p.len() as u64).to_le_bytes().iter().chain(p.as_bytes()) {
            a = (a ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3 | 0x1000);
        }
    }
    format!("{a:016x}{b:016x}")
}

impl Cache {
    /// Opens (reads) the cache at `path`; a missing file is an empty cache.
    pub fn open(path: &Path) -> Cache {
        let mut entries = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(path) {
            for line in text.lines() {
                if let Ok(l) = serde_json::from_str::<Line>(line) {
                    entries.insert(l.k, l.t);
                }
            }
        }
        Cache { path: path.to_path_buf(), entries: Mutex::new(entries) }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    /// Stores one translation: in memory, and one line appended to the file.
    pub fn put(&self, key: &str, translation: &str) -> std::io::Result<()> {
        if let Ok(mut e) = self.entries.lock() {
            e.insert(key.to_string(), translation.to_string());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_vec(&Line { k: key.to_string(), t: translation.to_string() })?;
        line.push(b'\n');
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
        f.write_all(&line)
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(settings: &str) -> EngineInfo {
        EngineInfo { name: "e".into(), kind: "command".into(), model: None, settings: settings.into() }
    }

    #[test]
    fn keys_depend_on_every_part_and_never_on_position() {
        let k = key(&info("a"), "es", "en", "Hola.");
        assert_eq!(k, key(&info("a"), "es", "en", "Hola."));
        assert_ne!(k, key(&info("b"), "es", "en", "Hola."));
        assert_ne!(k, key(&info("a"), "es", "fr", "Hola."));
        assert_ne!(k, key(&info("a"), "es", "en", "Hola"));
        assert_ne!(key(&info("a"), "es", "en", "ab"), key(&info("a"), "es", "ena", "b"));
    }

    #[test]
    fn lines_survive_a_reopen_and_a_damaged_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let c = Cache::open(&path);
        c.put("k1", "one").unwrap();
        c.put("k2", "two").unwrap();
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"k\":\"k3\",\"t\":\"thr").unwrap();
        let again = Cache::open(&path);
        assert_eq!(
            (again.get("k1").as_deref(), again.get("k2").as_deref(), again.get("k3")),
            (Some("one"), Some("two"), None)
        );
    }
}
