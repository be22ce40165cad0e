//! Raw pages as fetched, kept compressed in `$XDG_CACHE_HOME/bitext/pages/`, so an article can
//! be extracted again (`bitext add --offline URL`) without fetching it again. Each page is two
//! files named by a hash of the address asked for: the body, gzip-compressed, and a small JSON
//! file with the address it came from and its headers. Both are written atomically.

use std::io::{Read, Write};
use std::path::PathBuf;

use super::http::Page;

#[derive(Debug, Clone)]
pub struct PageCache {
    dir: PathBuf,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Head {
    requested: String,
    url: String,
    content_type: Option<String>,
    content_language: Option<String>,
}

impl PageCache {
    pub fn new(dir: PathBuf) -> PageCache {
        PageCache { dir }
    }

    /// `$XDG_CACHE_HOME/bitext/pages`.
    pub fn default_dir() -> Option<PathBuf> {
        use etcetera::BaseStrategy;
        Some(etcetera::choose_base_strategy().ok()?.cache_dir().join("bitext").join("pages"))
    }

    fn stem(&self, requested: &str) -> PathBuf {
        // FNV-1a: stable across runs and versions.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in requested.as_bytes() {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.dir.join(format!("{hash:016x}"))
    }

    /// Keeps `page`, fetched for the address `requested`.
    pub fn store(&self, requested: &str, page: &Page) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let stem = self.stem(requested);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&page.body)?;
        crate::files::write_atomically_later_synced(&stem.with_extension("html.gz"), &gz.finish()?)?;
        let head = Head {
            requested: requested.to_string(),
            url: page.url.clone(),
            content_type: page.content_type.clone(),
            content_language: page.content_language.clone(),
        };
        crate::files::write_atomically_later_synced(
            &stem.with_extension("json"),
            &serde_json::to_vec(&head).map_err(std::io::Error::other)?,
        )
    }

    /// The page kept for `requested`, if there is one (and it is whole).
    pub fn load(&self, requested: &str) -> Option<Page> {
        let stem = self.stem(requested);
        let head: Head = serde_json::from_slice(&std::fs::read(stem.with_extension("json")).ok()?).ok()?;
        if head.requested != requested {
            return None;
        }
        let mut body = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(stem.with_extension("html.gz")).ok()?)
            .read_to_end(&mut body)
            .ok()?;
        Some(Page {
            url: head.url,
            content_type: head.content_type,
            content_language: head.content_language,
            etag: None,
            last_modified: None,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_comes_back_as_it_was_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PageCache::new(dir.path().join("pages"));
        let page = Page {
            url: "http://news.example/b".into(),
            content_type: Some("text/html; charset=euc-kr".into()),
            content_language: None,
            etag: None,
            last_modified: None,
            body: b"<p>\xbc\xad\xbf\xef</p>".to_vec(),
        };
        assert!(cache.load("http://news.example/a").is_none());
        cache.store("http://news.example/a", &page).unwrap();
        assert_eq!(cache.load("http://news.example/a"), Some(page));
        assert!(cache.load("http://news.example/other").is_none());
    }
}
