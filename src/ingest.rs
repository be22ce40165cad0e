//! The one path from web pages to an article file: fetch (or read) the page, decode it,
//! extract the article, find and fetch its other-language edition, align the two, and write the
//! file atomically into the library. Used by `bitext add`.

use std::path::{Path, PathBuf};

use crate::web::extract::{self, Block, Extracted};
use crate::web::http::{Client, FetchError};

/// What to add.
#[derive(Debug, Clone)]
pub struct Request {
    /// A URL, a saved page (`.html`), or `-` for standard input.
    pub page: String,
    /// The other edition, explicitly: a URL or a file.
    pub translation: Option<String>,
    /// The page's language when the page does not say.
    pub source_lang: Option<String>,
    /// The reading language.
    pub target_lang: String,
    pub library: PathBuf,
    /// Write the file even when it would not change.
    pub force: bool,
    /// Set by someone else to stop: nothing is written after it is set.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Where fetched pages are kept (none: not kept).
    pub pages: Option<crate::web::pages::PageCache>,
    /// Read web pages from `pages` only, never from the network.
    pub offline: bool,
    /// The folder of the library to write into (default: the source language's, `ko/`).
    pub folder: Option<String>,
    /// A CSS selector for the article body on this site.
    pub selector: Option<String>,
    /// Look for the page's other-language edition (when `translation` is not given).
    pub edition: bool,
    /// What a feed says of the page: its content (then the page is not fetched) and the
    /// metadata the page may lack.
    pub item: Option<ItemHints>,
    /// Tags, and the subscription and item key, for the article file.
    pub tags: Vec<String>,
    pub feed: Option<String>,
    pub guid: Option<String>,
    /// Whether the library already holds an article with this page's URL, when the caller
    /// knows (a fetch looks once for all its items); `None`: look.
    pub existing: Option<Option<PathBuf>>,
    /// Wait for the disk before the file takes its name (off: the caller syncs many files at
    /// once, [`crate::files::sync_filesystem`]).
    pub durable: bool,
    /// An engine whose translations of the source paragraphs help pair them with the edition
    /// (cached, so filling what the edition lacks later costs nothing more).
    pub helper: Option<std::sync::Arc<crate::translate::Translator>>,
}

impl Request {
    /// Adding `page` to `library` in `target_lang`, every other option at its default.
    pub fn new(page: &str, target_lang: &str, library: &Path) -> Request {
        Request {
            page: page.to_string(),
            translation: None,
            source_lang: None,
            target_lang: target_lang.to_string(),
            library: library.to_path_buf(),
            force: false,
            cancel: None,
            pages: None,
            offline: false,
            folder: None,
            selector: None,
            edition: true,
            item: None,
            tags: Vec::new(),
            feed: None,
            guid: None,
            helper: None,
            existing: None,
            durable: true,
        }
    }
}

/// A feed item's own view of its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemHints {
    /// The full content as HTML: the article is made from it, the page is not fetched.
    pub content: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    pub summary: Option<String>,
}

/// How far an add has come, for a progress line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Fetching(String),
    Extracting,
    FetchingEdition(String),
    Aligning,
    Writing,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stage::Fetching(url) => write!(f, "fetching {url}…"),
            Stage::Extracting => write!(f, "extracting…"),
            Stage::FetchingEdition(lang) => write!(f, "fetching the {lang} edition…"),
            Stage::Aligning => write!(f, "aligning…"),
            Stage::Writing => write!(f, "writing…"),
        }
    }
}

/// What an add did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub id: String,
    pub path: PathBuf,
    pub source_paragraphs: usize,
    pub translation_paragraphs: usize,
    /// `aligned 10×1-1, 1×2-1`, or `source only`.
    pub pairing: String,
    /// Why the pairing looks implausible, when it does.
    pub warning: Option<String>,
    /// An article with the same URL was in the library: it was rewritten in place.
    pub replaced: bool,
    /// The file was already exactly this.
    pub unchanged: bool,
}

impl std::fmt::Display for Added {
    /// `added ja/2025-04-01-kamogawa-lantern-walk: 12 source, 11 translation paragraphs, aligned 10×1-1, 1×2-1`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.unchanged {
            "unchanged"
        } else if self.replaced {
            "updated"
        } else {
            "added"
        };
        write!(
            f,
            "{verb} {}: {} source, {} translation paragraphs, {}",
            self.id, self.source_paragraphs, self.translation_paragraphs, self.pairing
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{what}: cannot read: {reason}")]
    Read { what: String, reason: String },
    #[error("{what}: {error}")]
    Extract { what: String, error: extract::ExtractError },
    #[error("{what}: cannot tell the page's language; give --source-lang")]
    NoLanguage { what: String },
    #[error("{path}: cannot write: {reason}")]
    Write { path: String, reason: String },
    #[error("{0}")]
    Library(#[from] crate::library::LibraryError),
    #[error("cancelled; nothing was written")]
    Cancelled,
}

/// A page as read: its text (decoded) and where it came from.
struct Loaded {
    extracted: Extracted,
    /// The address it was fetched from (after redirects), if it came from the web.
    url: Option<String>,
    what: String,
}

fn is_web(s: &str) -> bool {
    s.contains("://")
}

fn load(client: &Client, request: &Request, what: &str) -> Result<Loaded, IngestError> {
    let shown = crate::text::sanitize_line(what);
    let hints = request.item.as_ref().filter(|_| what == request.page);
    let given = hints.and_then(|h| h.content.as_deref());
    let (bytes, content_type, content_language, url) = if let Some(html) = given {
        let doc = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><article>{html}</article></body></html>"
        );
        (doc.into_bytes(), Some("text/html; charset=utf-8".to_string()), None, is_web(what).then(|| what.to_string()))
    } else if is_web(what) {
        let page = if request.offline {
            request.pages.as_ref().and_then(|p| p.load(what)).ok_or_else(|| IngestError::Read {
                what: shown.clone(),
                reason: "not in the page cache (fetch it once without --offline)".into(),
            })?
        } else {
            let page = client.get(what)?;
            if let Some(pages) = &request.pages
                && let Err(e) = pages.store(what, &page)
            {
                tracing::warn!("page cache: cannot keep {shown}: {e}");
            }
            page
        };
        (page.body, page.content_type, page.content_language, Some(page.url))
    } else {
        let limit = client.options().body_limit;
        let mut bytes = Vec::new();
        use std::io::Read;
        let result = if what == "-" {
            std::io::stdin().take(limit + 1).read_to_end(&mut bytes)
        } else {
            std::fs::File::open(what).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        };
        let what_shown = if what == "-" { "standard input".to_string() } else { shown.clone() };
        result.map_err(|e| IngestError::Read { what: what_shown.clone(), reason: e.to_string() })?;
        if bytes.len() as u64 > limit {
            return Err(IngestError::Read { what: what_shown, reason: format!("over the limit of {limit} bytes") });
        }
        (bytes, None, None, None)
    };
    // Decoding and extracting are bounded (an element limit); a page that still makes them
    // panic is one bad page, not a crash.
    let extracted = crate::jobs::caught(|| {
        let decoded = crate::web::decode::decode(&bytes, content_type.as_deref(), url.as_deref());
        extract::extract_with(
            &decoded.text,
            url.as_deref(),
            content_language.as_deref(),
            extract::Limits::default(),
            request.selector.as_deref(),
        )
    })
    .map_err(|m| IngestError::Read {
        what: shown.clone(),
        reason: format!("internal error while reading the page: {m}"),
    })?
    .map_err(|error| IngestError::Extract { what: shown.clone(), error })?;
    let mut extracted = extracted;
    // What the page does not say, the feed may.
    if let Some(h) = hints {
        let clean = |s: &Option<String>| s.as_deref().map(crate::text::sanitize_line).filter(|v| !v.is_empty());
        let e = &mut extracted;
        e.title = e.title.take().or_else(|| clean(&h.title));
        e.published = e.published.take().or_else(|| clean(&h.published));
        e.lang = e.lang.take().or_else(|| h.lang.clone());
        e.summary = e.summary.take().or_else(|| {
            h.summary.as_deref().map(|s| crate::text::sanitize_line(&html_text(s))).filter(|v| !v.is_empty())
        });
        if e.authors.is_empty() {
            e.authors = h.authors.iter().map(|a| crate::text::sanitize_line(a)).filter(|a| !a.is_empty()).collect();
        }
        if given.is_some() && e.url.is_none() {
            e.url = url.clone();
        }
    }
    Ok(Loaded { extracted, url, what: shown })
}

/// The text of an HTML fragment (a feed's summary) on one line: blocks apart by a space, inline
/// elements joined as they are (no space inside a Korean word set in bold).
fn html_text(s: &str) -> String {
    let mut spaced = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        spaced.push_str(&rest[..at]);
        let tag: String =
            rest[at + 1..].trim_start_matches('/').chars().take(12).collect::<String>().to_ascii_lowercase();
        if ["p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "td"]
            .iter()
            .any(|t| tag.starts_with(t) && tag[t.len()..].starts_with(['>', ' ', '/', '\n']))
        {
            spaced.push(' ');
        }
        spaced.push('<');
        rest = &rest[at + 1..];
    }
    spaced.push_str(rest);
    let text = dom_query::Document::fragment(spaced).root().text().to_string();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The language of `blocks`, by a detector, as a two-letter code.
pub fn detect_language(blocks: &[Block]) -> Option<String> {
    let text: String = blocks.iter().take(20).map(|b| b.text.as_str()).collect::<Vec<_>>().join(" ");
    let info = whatlang::detect(&text)?;
    Some(iso_639_1(info.lang().code()).to_string()).filter(|l| crate::lang::is_valid(l))
}

/// Two-letter codes for the three-letter ones a detector gives (the common ones; others as
/// they are).
fn iso_639_1(code: &str) -> &str {
    match code {
        "kor" => "ko",
        "jpn" => "ja",
        "cmn" => "zh",
        "eng" => "en",
        "spa" => "es",
        "fra" => "fr",
        "deu" => "de",
        "ita" => "it",
        "por" => "pt",
        "rus" => "ru",
        "ukr" => "uk",
        "tha" => "th",
        "vie" => "vi",
        "ind" => "id",
        "ara" => "ar",
        "tur" => "tr",
        "pol" => "pl",
        "nld" => "nl",
        other => other,
    }
}

/// Adds the article at `request.page` to the library.
pub fn add(client: &Client, request: &Request, progress: &dyn Fn(Stage)) -> Result<Added, IngestError> {
    crate::library::Library::check_root(&request.library)?;
    progress(Stage::Fetching(crate::text::sanitize_line(&request.page)));
    let first = load(client, request, &request.page)?;
    progress(Stage::Extracting);
    let target = request.target_lang.clone();
    let lang = first
        .extracted
        .lang
        .clone()
        .or_else(|| request.source_lang.clone())
        .or_else(|| detect_language(&first.extracted.paragraphs))
        .ok_or_else(|| IngestError::NoLanguage { what: first.what.clone() })?;
    // The page in the reading language is the translation; its original is the source.
    let editions: &[extract::Edition] = if request.edition { &first.extracted.editions } else { &[] };
    let (source, translation) = if lang == target {
        let wanted = request.source_lang.as_deref();
        let original = match &request.translation {
            Some(other) => Some(other.clone()),
            None => {
                editions.iter().find(|e| e.lang != target && wanted.is_none_or(|w| e.lang == w)).map(|e| e.url.clone())
            }
        };
        match original {
            Some(other) => {
                progress(Stage::FetchingEdition(String::from("original")));
                (load(client, request, &other)?, Some(first))
            }
            None => (first, None),
        }
    } else {
        let edition =
            request.translation.clone().or_else(|| editions.iter().find(|e| e.lang == target).map(|e| e.url.clone()));
        match edition {
            Some(other) => {
                progress(Stage::FetchingEdition(target.clone()));
                let t = load(client, request, &other)?;
                (first, Some(t))
            }
            None => (first, None),
        }
    };
    let source_lang = source
        .extracted
        .lang
        .clone()
        .filter(|l| *l != target)
        .or_else(|| request.source_lang.clone())
        .or_else(|| detect_language(&source.extracted.paragraphs))
        .unwrap_or_else(|| lang.clone());
    progress(Stage::Aligning);
    let s = &source.extracted;
    let t_blocks: &[Block] = translation.as_ref().map_or(&[], |t| &t.extracted.paragraphs);
    let title = translation
        .as_ref()
        .and_then(|t| t.extracted.title.clone())
        .or_else(|| s.title.clone())
        .unwrap_or_else(|| s.paragraphs.first().map(|b| b.text.clone()).unwrap_or_default());
    let source_title = translation.as_ref().and(s.title.clone());
    let url = s.url.clone().or_else(|| source.url.clone());
    let published = s
        .published
        .as_deref()
        .or(translation.as_ref().and_then(|t| t.extracted.published.as_deref()))
        .and_then(parse_date);
    let fields = crate::import::Fields {
        title,
        source_title,
        source_lang: source_lang.clone(),
        target_lang: target.clone(),
        outlet: s.outlet.clone().or_else(|| translation.as_ref().and_then(|t| t.extracted.outlet.clone())),
        url: url.clone(),
        published,
        authors: s.authors.clone(),
        summary: translation.as_ref().and_then(|t| t.extracted.summary.clone()).or_else(|| s.summary.clone()),
        tags: request.tags.clone(),
        feed: request.feed.clone(),
        guid: request.guid.clone(),
    };
    // With an engine, its translations of the source help pair the two editions.
    let mut machine: Option<Vec<String>> = None;
    if let Some(helper) = request.helper.as_deref()
        && !t_blocks.is_empty()
        && !s.paragraphs.is_empty()
    {
        let texts: Vec<String> = s.paragraphs.iter().map(|b| b.text.clone()).collect();
        match helper.translate(&texts, &source_lang, &target, &|_, _, _, _| {}, request.cancel.as_deref()) {
            Ok(out) => machine = out.into_iter().collect(),
            Err(e) => tracing::warn!("add: {e}; the editions are paired without the engine"),
        }
    }
    let help = request
        .helper
        .as_deref()
        .zip(machine.as_deref())
        .map(|(h, translations)| crate::import::Help { engine: &h.engine.info().name, translations });
    let written = crate::import::paired_article(&s.paragraphs, t_blocks, &fields, help);
    let pairing =
        if translation.is_some() { format!("aligned {}", written.pairing()) } else { "source only".to_string() };

    if request.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst)) {
        return Err(IngestError::Cancelled);
    }
    progress(Stage::Writing);
    // The same article (by its URL) is updated in place: same file, same id, same reading state.
    let existing = match &request.existing {
        Some(known) => known.clone(),
        None => url.as_deref().and_then(|u| find_by_url(&request.library, u)),
    };
    let folder = request.folder.as_deref().unwrap_or(&source_lang);
    // A new file's name is held until it is written.
    let (path, _held) = match &existing {
        Some(p) => (p.clone(), None),
        None => {
            let (p, held) = free_path(&request.library, folder, &written.title, published.as_ref());
            (p, Some(held))
        }
    };
    let unchanged = existing.is_some() && std::fs::read_to_string(&path).is_ok_and(|old| old == written.toml);
    if !unchanged || request.force {
        let written = if request.durable {
            crate::files::write_atomically(&path, written.toml.as_bytes())
        } else {
            crate::files::write_atomically_later_synced(&path, written.toml.as_bytes())
        };
        written.map_err(|e| IngestError::Write { path: path.display().to_string(), reason: e.to_string() })?;
    }
    Ok(Added {
        id: crate::library::article_id(&request.library, &path),
        path,
        source_paragraphs: s.paragraphs.len(),
        translation_paragraphs: t_blocks.len(),
        pairing,
        warning: written.warning.clone(),
        replaced: existing.is_some(),
        unchanged: unchanged && !request.force,
    })
}

/// A page's date as a TOML date or date-time: RFC 3339 as it is, else its first ten characters
/// if they are a date.
fn parse_date(s: &str) -> Option<toml::value::Datetime> {
    let s = s.trim();
    s.parse().ok().or_else(|| s.get(..10).and_then(|d| d.parse().ok()))
}

/// The article file in `library` whose `url` is `url`, if any.
fn find_by_url(library: &Path, url: &str) -> Option<PathBuf> {
    let lib =
        crate::library::Library::load(library, crate::library::DEFAULT_MAX_FILE_SIZE, crate::library::Depth::Header)
            .ok()?;
    lib.articles.into_iter().find(|a| a.meta.url.as_deref() == Some(url)).map(|a| a.meta.path)
}

/// `library/ko/2025-04-03-slug.toml`, with `-2`, `-3`… if that is taken.
/// The name is held (in this process) until the [`Reserved`] is dropped, so that articles
/// added at the same time with the same title and date never take the same file.
fn free_path(
    library: &Path,
    folder: &str,
    title: &str,
    published: Option<&toml::value::Datetime>,
) -> (PathBuf, Reserved) {
    let dir = library.join(folder);
    let stem = crate::import::file_stem(title, published);
    let mut reserved = RESERVED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut path = dir.join(format!("{stem}.toml"));
    let mut n = 2;
    while path.exists() || reserved.contains(&path) {
        path = dir.join(format!("{stem}-{n}.toml"));
        n += 1;
    }
    reserved.insert(path.clone());
    (path.clone(), Reserved(path))
}

/// The names of article files being written by this process.
static RESERVED: std::sync::Mutex<std::collections::BTreeSet<PathBuf>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// A file name held for an article being written.
struct Reserved(PathBuf);

impl Drop for Reserved {
    fn drop(&mut self) {
        RESERVED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&self.0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_summary_keeps_blocks_apart_and_words_whole() {
        assert_eq!(
            super::html_text("<p>해운대에서 축제가 <b>시작</b>되었다.</p><p>31일까지 이어진다.</p><br/>끝"),
            "해운대에서 축제가 시작되었다. 31일까지 이어진다. 끝"
        );
    }
}
