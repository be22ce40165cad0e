//! Articles: the types the reader works with, and parsing one TOML file into them with
//! diagnostics that name the file, line and column.
//!
//! The format is documented in `docs/article-format.md`. Every string is sanitised here, where
//! it enters the program (see [`crate::text::sanitize`]).

use std::fmt;
use std::path::{Path, PathBuf};

use compact_str::CompactString;
use serde::Deserialize;

use crate::config::Segment;
use crate::text::{sanitize, sanitize_line, unfold_paragraph};

/// What a paragraph is, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Text,
    Heading,
    Quote,
    Caption,
}

/// Below this confidence a pair is unsure, and the reader flags it (`?` in the gutter).
pub const UNSURE: f32 = 0.5;

/// One row group of the reader: the source paragraphs and the translation paragraphs that say
/// the same thing. Given pairs hold at most one of each; either side may be empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub kind: Kind,
    pub source: Vec<String>,
    pub translation: Vec<String>,
    /// The translation is a machine's (`machine = true` in the file).
    pub machine: bool,
    /// The source paragraph stands at this paragraph (1-based) of the source edition: the
    /// translation moved it here (`moved_from = 7`; the file lists pairs in the translation's
    /// order).
    pub moved_from: Option<u32>,
    /// How sure the aligner is of this pair, 0..=1 (`confidence = 0.42`); below [`UNSURE`] the
    /// pair is unsure. Never NaN.
    pub confidence: Option<f32>,
    /// The pair was made by hand (`manual = true`): a later re-alignment keeps it as it is.
    pub manual: bool,
}

impl Group {
    /// The aligner was not sure of this pair (its confidence is below [`UNSURE`]).
    pub fn is_unsure(&self) -> bool {
        self.confidence.is_some_and(|c| c < UNSURE)
    }
}

/// Who translated an article's paragraphs: nobody yet, a machine, a person, or some of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
pub enum Translated {
    None,
    Machine,
    Mixed,
    Human,
}

impl Translated {
    pub fn of(groups: &[Group]) -> Translated {
        let mut translated = groups.iter().filter(|g| !g.translation.is_empty()).map(|g| g.machine).peekable();
        if translated.peek().is_none() {
            return Translated::None;
        }
        let (mut machine, mut human) = (false, false);
        for m in translated {
            machine |= m;
            human |= !m;
        }
        match (machine, human) {
            (true, false) => Translated::Machine,
            (true, true) => Translated::Mixed,
            _ => Translated::Human,
        }
    }

    /// `none`, `machine`, `mixed`, `human`: as `bitext list --json` says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Translated::None => "none",
            Translated::Machine => "machine",
            Translated::Mixed => "mixed",
            Translated::Human => "human",
        }
    }
}

/// What a listing says of an article's body, kept in the index cache so that listing does not
/// read the body again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct BodySummary {
    pub paragraphs: u32,
    pub translated: Translated,
}

impl BodySummary {
    pub fn of(groups: &[Group]) -> BodySummary {
        BodySummary { paragraphs: u32::try_from(groups.len()).unwrap_or(u32::MAX), translated: Translated::of(groups) }
    }
}

/// How the article was paired, as the aligner wrote it (`[alignment]`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct AlignmentInfo {
    /// Free text: `anchors and lengths`, `anchors, lengths and apertium`; may be empty.
    pub method: String,
    /// The whole article's, 0..=1.
    pub confidence: Option<f32>,
}

/// Which engine machine-translated an article's paragraphs, and when
/// (`machine_translation = { engine = "apertium", kind = "command", date = 2026-12-02 }`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct MachineTranslation {
    pub engine: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// How the groups of an article came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pairing {
    /// Written as `[[paragraphs]]`: the author paired them.
    Given,
    /// Written as `[body]`: paired by the aligner; the summary reads like `9×1-1, 2×2-1, 1×1-0`.
    Aligned(String),
}

/// A publication date as written in the file (`2024-07-11` or a date-time).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, Deserialize)]
pub struct Published(pub CompactString);

impl Published {
    /// The date part, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        self.0.get(..10).unwrap_or(&self.0)
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything about an article except its body.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, Deserialize)]
pub struct Meta {
    /// Path relative to the library, without `.toml`, with `/` separators; what cannot be
    /// shown is escaped (see [`crate::library::article_id`]).
    pub id: CompactString,
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    pub title: String,
    pub source_title: Option<String>,
    pub source_lang: CompactString,
    pub target_lang: CompactString,
    pub outlet: Option<CompactString>,
    pub url: Option<String>,
    pub published: Option<Published>,
    pub authors: Vec<CompactString>,
    pub translator: Option<CompactString>,
    pub tags: Vec<CompactString>,
    pub summary: Option<String>,
    /// The engine that translated the paragraphs marked `machine`, if any. (Boxed, as is
    /// `alignment`: most articles have none, and the list holds every article's metadata.)
    #[serde(default)]
    pub machine_translation: Option<Box<MachineTranslation>>,
    /// The subscription the article came from (`bitext fetch`), by name.
    #[serde(default)]
    pub feed: Option<CompactString>,
    /// What the feed knows the item by: its GUID, or `link:` and its link.
    #[serde(default)]
    pub guid: Option<String>,
    /// How the article was paired (`[alignment]`), if the aligner said.
    #[serde(default)]
    pub alignment: Option<Box<AlignmentInfo>>,
}

impl Meta {
    /// The metadata as a list holds it: without the summary, which is read with the body (the
    /// summaries of 100,000 articles are 12 MB, and only the article on screen shows its own).
    pub fn listed(mut self) -> Meta {
        self.summary = None;
        self
    }

    /// Whether two metadata say the same but perhaps for the summary (one of them listed).
    pub fn same_listing(&self, other: &Meta) -> bool {
        // Every field named, so a new one is not forgotten here.
        let Meta {
            id,
            path,
            title,
            source_title,
            source_lang,
            target_lang,
            outlet,
            url,
            published,
            authors,
            translator,
            tags,
            summary: _,
            machine_translation,
            feed,
            guid,
            alignment,
        } = self;
        *id == other.id
            && *path == other.path
            && *title == other.title
            && *source_title == other.source_title
            && *source_lang == other.source_lang
            && *target_lang == other.target_lang
            && *outlet == other.outlet
            && *url == other.url
            && *published == other.published
            && *authors == other.authors
            && *translator == other.translator
            && *tags == other.tags
            && *machine_translation == other.machine_translation
            && *feed == other.feed
            && *guid == other.guid
            && *alignment == other.alignment
    }

    /// `ko→en`
    pub fn lang_pair(&self) -> String {
        format!("{}→{}", self.source_lang, self.target_lang)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub meta: Meta,
    /// Empty until the body is read (see [`crate::library::Library::ensure_body`]); shared, so a
    /// worker can lay a long article out without a copy.
    pub groups: std::sync::Arc<[Group]>,
    pub pairing: Pairing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, Deserialize)]
pub enum Severity {
    Warning,
    Error,
}

/// A problem with one file, as `bitext check` and the problems view show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Diagnostic {
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    /// 1-based line and column, where the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: &Path, message: impl Into<String>) -> Self {
        Self { path: path.to_path_buf(), position: None, severity: Severity::Error, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message`, the form editors and compilers use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use std::os::unix::ffi::OsStrExt;
        write!(f, "{}", crate::text::escape_unprintable(self.path.as_os_str().as_bytes()))?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {label}: {}", self.message)
    }
}

/// Paths as their bytes in serde formats (the index cache), so a file name that is not UTF-8
/// is stored like any other instead of failing the whole cache.
pub(crate) mod path_bytes {
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    pub fn serialize<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(path.as_os_str().as_bytes())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        let bytes: serde_bytes_buf::Buf = serde::Deserialize::deserialize(d)?;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(&bytes.0)))
    }

    /// Bytes from `serialize_bytes`, or from a sequence of numbers.
    mod serde_bytes_buf {
        pub struct Buf(pub Vec<u8>);

        impl<'de> serde::Deserialize<'de> for Buf {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Buf, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = Buf;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("the bytes of a path")
                    }
                    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Buf, E> {
                        Ok(Buf(v.to_vec()))
                    }
                    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Buf, E> {
                        Ok(Buf(v))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Buf, E> {
                        Ok(Buf(v.as_bytes().to_vec()))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Buf, A::Error> {
                        let mut v = Vec::new();
                        while let Some(b) = seq.next_element::<u8>()? {
                            v.push(b);
                        }
                        Ok(Buf(v))
                    }
                }
                d.deserialize_byte_buf(V)
            }
        }
    }
}

/// The keys of an article file, each of its type. Read straight from the text when every key
/// has the right type (the usual case, and the fast one); else built key by key, a key of the
/// wrong type (or a paragraph with one) left out with its error reported.
#[derive(Deserialize, Default)]
struct RawArticle {
    title: Option<String>,
    source_lang: Option<String>,
    target_lang: Option<String>,
    source_title: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    published: Option<toml::Value>,
    #[serde(default)]
    authors: Vec<String>,
    translator: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    summary: Option<String>,
    machine_translation: Option<RawMachine>,
    feed: Option<String>,
    guid: Option<String>,
    alignment: Option<RawAlignment>,
    /// A paragraph that could not be read is `None` (its error is reported).
    paragraphs: Option<Vec<Option<RawParagraph>>>,
    body: Option<RawBody>,
}

/// A `[[paragraphs]]` entry, once its table holds the right types.
#[derive(Deserialize)]
struct RawParagraph {
    source: Option<String>,
    translation: Option<String>,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    machine: bool,
    /// Read wide, so a number out of range is reported in the format's words.
    moved_from: Option<i64>,
    confidence: Option<f64>,
    #[serde(default)]
    manual: bool,
}

/// `[alignment]`, once its table holds the right types.
#[derive(Deserialize)]
struct RawAlignment {
    #[serde(default)]
    method: String,
    confidence: Option<f64>,
}

#[derive(Deserialize)]
struct RawMachine {
    engine: String,
    #[serde(default)]
    kind: String,
    model: Option<String>,
    date: Option<toml::Value>,
}

#[derive(Deserialize)]
struct RawBody {
    source: Option<String>,
    translation: Option<String>,
}

/// The outcome of parsing one file: the article if it is usable, and every diagnostic.
#[derive(Debug)]
pub struct Parsed {
    pub article: Option<Article>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the bytes of one article file. `id` and `path` are recorded in the article and
/// the diagnostics.
pub fn parse(bytes: &[u8], id: &str, path: &Path) -> Parsed {
    parse_with(bytes, id, path, false)
}

/// Parses only what comes before the body (every top-level key precedes the first table
/// header in TOML), and the `[alignment]` table wherever it is: the metadata, with empty
/// groups, for listing a large library fast. A file whose header cannot be told apart is
/// parsed whole. Problems in the body are not seen.
pub fn parse_header(bytes: &[u8], id: &str, path: &Path) -> Parsed {
    match header_end(bytes) {
        Some(end) => {
            let parsed = parse_with(&with_alignment(bytes, end), id, path, true);
            if parsed.article.is_some() { parsed } else { parse(bytes, id, path) }
        }
        None => parse(bytes, id, path),
    }
}

/// Where the first table header starts, outside multi-line strings.
fn header_end(bytes: &[u8]) -> Option<usize> {
    table_headers(bytes).next()
}

/// The offsets of the lines that start a table header (`[body]`, `[[paragraphs]]`), outside
/// multi-line strings.
fn table_headers(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut offset = 0;
    let (mut basic, mut literal) = (false, false);
    bytes.split_inclusive(|&b| b == b'\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_ascii_start();
        if !basic && !literal && trimmed.first() == Some(&b'[') {
            return Some(start);
        }
        let count = |pat: &[u8]| line.windows(3).filter(|w| *w == pat).count();
        if count(b"\"\"\"") % 2 == 1 && !literal {
            basic = !basic;
        }
        if count(b"'''") % 2 == 1 && !basic {
            literal = !literal;
        }
        None
    })
}

/// The header (the text before `end`) with the `[alignment]` table added, if the file has one
/// after it: the lines between are left blank, so every line keeps its number for diagnostics.
fn with_alignment(bytes: &[u8], end: usize) -> std::borrow::Cow<'_, [u8]> {
    const HEADER: &[u8] = b"[alignment]";
    let header = &bytes[..end];
    // Most files have none: one fast look before reading the body line by line.
    if memchr::memmem::find(&bytes[end..], HEADER).is_none() {
        return header.into();
    }
    let mut starts = table_headers(bytes).skip_while(|&s| !bytes[s..].trim_ascii_start().starts_with(HEADER));
    let Some(start) = starts.next() else { return header.into() };
    let stop = starts.next().unwrap_or(bytes.len());
    let mut out = header.to_vec();
    out.extend(bytes[end..start].iter().filter(|&&b| b == b'\n'));
    out.extend_from_slice(&bytes[start..stop]);
    out.into()
}

fn parse_with(bytes: &[u8], id: &str, path: &Path, header_only: bool) -> Parsed {
    let mut diagnostics = Vec::new();
    let article = parse_inner(bytes, id, path, header_only, &mut diagnostics);
    if article.is_none() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(Diagnostic::error(path, "not a usable article"));
    }
    diagnostics.sort_by_key(|d| d.position);
    Parsed { article, diagnostics }
}

/// At most this many diagnostics are kept for one file; the rest are counted in one more.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 50;

/// Collects the diagnostics of one file, each at its place: the file is parsed into a span
/// tree once, on the first diagnostic that needs a place.
struct Report<'a> {
    text: &'a str,
    path: &'a Path,
    spans: std::cell::OnceCell<Option<toml::de::DeTable<'a>>>,
    diagnostics: &'a mut Vec<Diagnostic>,
    errors: usize,
    /// Diagnostics past [`MAX_DIAGNOSTICS_PER_FILE`], and whether any of them is an error.
    dropped: usize,
    dropped_error: bool,
}

impl<'a> Report<'a> {
    fn new(text: &'a str, path: &'a Path, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Report {
            text,
            path,
            spans: std::cell::OnceCell::new(),
            diagnostics,
            errors: 0,
            dropped: 0,
            dropped_error: false,
        }
    }

    /// The line and column of the value at `at` (or of its key, with `key`).
    fn place(&self, at: &[Segment], key: bool) -> Option<(usize, usize)> {
        let root = self.spans.get_or_init(|| toml::de::DeTable::parse(self.text).ok().map(|t| t.into_inner()));
        root.as_ref().and_then(|r| locate_in(r, at, key)).map(|o| line_col(self.text, o))
    }

    fn push(&mut self, severity: Severity, position: Option<(usize, usize)>, message: String) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        if self.diagnostics.len() >= MAX_DIAGNOSTICS_PER_FILE {
            self.dropped += 1;
            self.dropped_error |= severity == Severity::Error;
            return;
        }
        self.diagnostics.push(Diagnostic { path: self.path.to_path_buf(), position, severity, message });
    }

    fn error(&mut self, position: Option<(usize, usize)>, message: String) {
        self.push(Severity::Error, position, message);
    }

    /// An error about the value at `at`, pointed at.
    fn error_at(&mut self, at: &[Segment], message: String) {
        let position = self.place(at, false);
        self.error(position, message);
    }

    fn unknown_key(&mut self, at: Vec<Segment>) {
        let dotted = dotted(&at);
        let position = self.place(&at, true).or_else(|| find_key(self.text, &dotted));
        self.push(Severity::Warning, position, format!("unknown key {} (ignored)", describe_key(&dotted)));
    }

    /// `value` as a `T`: `None` (with an error at its place) when it is not one; keys `T` does
    /// not know are warnings. `at` is where the value is in the file. A table is tried again
    /// without each key that was wrong, so every wrong key of it is reported.
    fn convert<T: serde::de::DeserializeOwned>(&mut self, value: toml::Value, at: &[Segment]) -> Option<T> {
        let mut value = value;
        let mut ignored: Vec<String> = Vec::new();
        let mut failed = false;
        let converted = loop {
            let again = value.is_table().then(|| value.clone());
            let result = {
                let mut on_ignored = |p: serde_ignored::Path| {
                    let p = p.to_string();
                    if !ignored.contains(&p) {
                        ignored.push(p);
                    }
                };
                serde_path_to_error::deserialize::<_, T>(serde_ignored::Deserializer::new(value, &mut on_ignored))
            };
            let e = match result {
                Ok(v) => break Some(v),
                Err(e) => e,
            };
            failed = true;
            let mut place = at.to_vec();
            for s in e.path().iter() {
                match s {
                    serde_path_to_error::Segment::Map { key } => place.push(Segment::Key(key.clone())),
                    serde_path_to_error::Segment::Seq { index } => place.push(Segment::Index(*index)),
                    _ => {}
                }
            }
            let message = friendly(e.inner().message());
            // A missing key is named in the message; a file without it points at its start.
            let missing = message.starts_with("missing required key");
            let key = describe_key(&dotted(&place));
            let message = if key.is_empty() { message } else { format!("{key}: {message}") };
            let position = self.place(&place, false).or_else(|| missing.then_some((1, 1)));
            self.error(position, message);
            let wrong = match place.get(at.len()) {
                Some(Segment::Key(k)) => k.clone(),
                _ => break None,
            };
            let Some(toml::Value::Table(mut table)) = again else { break None };
            if table.remove(&wrong).is_none() {
                break None;
            }
            value = toml::Value::Table(table);
        };
        for inner in ignored {
            let mut key = at.to_vec();
            key.extend(segments(&inner));
            self.unknown_key(key);
        }
        if failed { None } else { converted }
    }

    /// Removes `key` from `table` and converts it: `None` when it is absent or not a `T`.
    fn take<T: serde::de::DeserializeOwned>(&mut self, table: &mut toml::Table, key: &str) -> Option<T> {
        let value = table.remove(key)?;
        self.convert(value, &[Segment::Key(key.to_string())])
    }

    /// Counts what was left out, in one more diagnostic.
    fn finish(&mut self) {
        if self.dropped > 0 {
            let severity = if self.dropped_error { Severity::Error } else { Severity::Warning };
            let message = format!("{} more problem(s) in this file are not listed", self.dropped);
            self.diagnostics.push(Diagnostic { path: self.path.to_path_buf(), position: None, severity, message });
        }
    }
}

/// `a.b.0.c` as segments (numbers are list indexes).
fn segments(dotted: &str) -> Vec<Segment> {
    dotted
        .split('.')
        .filter(|p| !p.is_empty() && *p != "?")
        .map(|p| p.parse::<usize>().map_or_else(|_| Segment::Key(p.to_string()), Segment::Index))
        .collect()
}

/// Segments as a dotted key, as [`describe_key`] reads it.
fn dotted(at: &[Segment]) -> String {
    at.iter()
        .map(|s| match s {
            Segment::Key(k) => k.clone(),
            Segment::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn parse_inner(bytes: &[u8], id: &str, path: &Path, header_only: bool, diags: &mut Vec<Diagnostic>) -> Option<Article> {
    let at = |offset: Option<usize>, text: &str| offset.map(|o| line_col(text, o));
    let error = |diags: &mut Vec<Diagnostic>, position, message: String| {
        diags.push(Diagnostic { path: path.to_path_buf(), position, severity: Severity::Error, message });
    };

    if bytes.iter().all(u8::is_ascii_whitespace) {
        error(diags, None, "the file is empty".into());
        return None;
    }
    if bytes.contains(&0) {
        error(diags, None, "binary file (contains NUL bytes), not a TOML article".into());
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            error(
                diags,
                at(Some(offset), &String::from_utf8_lossy(&bytes[..offset])),
                format!("not valid UTF-8 (bad byte at offset {offset})"),
            );
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    // A syntax error is the one error of a file: what follows it cannot be read reliably.
    let deserializer = match toml::de::Deserializer::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let message = describe_toml_error(text, e.message(), e.span());
            error(diags, at(e.span().map(|s| s.start), text), format!("TOML syntax error: {message}"));
            return None;
        }
    };
    let mut report = Report::new(text, path, diags);
    let mut unknown = Vec::new();
    let typed: Result<RawArticle, _> = {
        let mut on_unknown = |p: serde_ignored::Path| unknown.push(p.to_string());
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(deserializer, &mut on_unknown))
    };
    let raw = match typed {
        Ok(raw) => {
            for key in unknown {
                report.unknown_key(segments(&key));
            }
            raw
        }
        // A key of the wrong type: read the file again key by key, to report every one.
        Err(_) => match toml::from_str::<toml::Table>(text) {
            Ok(table) => key_by_key(table, &mut report),
            Err(e) => {
                report.error(at(e.span().map(|s| s.start), text), friendly(e.message()));
                RawArticle::default()
            }
        },
    };
    let article = check_article(raw, id, path, header_only, &mut report);
    report.finish();
    article
}

/// The keys of `table` converted one by one: each of the wrong type is reported and left out,
/// as is each paragraph with one; unknown keys are warnings.
fn key_by_key(mut table: toml::Table, report: &mut Report<'_>) -> RawArticle {
    let mut raw = RawArticle {
        title: report.take(&mut table, "title"),
        source_lang: report.take(&mut table, "source_lang"),
        target_lang: report.take(&mut table, "target_lang"),
        source_title: report.take(&mut table, "source_title"),
        outlet: report.take(&mut table, "outlet"),
        url: report.take(&mut table, "url"),
        published: table.remove("published"),
        authors: report.take(&mut table, "authors").unwrap_or_default(),
        translator: report.take(&mut table, "translator"),
        tags: report.take(&mut table, "tags").unwrap_or_default(),
        summary: report.take(&mut table, "summary"),
        machine_translation: report.take(&mut table, "machine_translation"),
        feed: report.take(&mut table, "feed"),
        guid: report.take(&mut table, "guid"),
        alignment: report.take(&mut table, "alignment"),
        paragraphs: None,
        body: report.take(&mut table, "body"),
    };
    if let Some(value) = table.remove("paragraphs") {
        let at = [Segment::Key("paragraphs".to_string())];
        // Not an array: reported once, as the one problem of the body.
        let entries: Option<Vec<toml::Value>> = report.convert(value, &at);
        raw.paragraphs = entries.map(|entries| {
            let place = |i| [at[0].clone(), Segment::Index(i)];
            entries.into_iter().enumerate().map(|(i, entry)| report.convert(entry, &place(i))).collect()
        });
    }
    let unknown: Vec<String> = table.keys().cloned().collect();
    for k in unknown {
        report.unknown_key(vec![Segment::Key(k)]);
    }
    raw
}

/// The article's values checked, every problem reported: the article when there was no error
/// (here or while its keys were read).
fn check_article(
    raw: RawArticle,
    id: &str,
    path: &Path,
    header_only: bool,
    report: &mut Report<'_>,
) -> Option<Article> {
    let key = |k: &str| [Segment::Key(k.to_string())];
    // The keys every article has: present and not empty. One of the wrong type was reported.
    let required = |report: &mut Report<'_>, value: Option<String>, k: &str| -> Option<String> {
        let Some(value) = value else {
            if report.place(&key(k), true).is_none() {
                report.error(Some((1, 1)), format!("missing required key `{k}`"));
            }
            return None;
        };
        let clean = sanitize_line(&value);
        if clean.is_empty() {
            report.error_at(&key(k), format!("`{k}` is empty"));
            return None;
        }
        Some(clean)
    };
    let title = required(report, raw.title, "title");
    let source_lang = required(report, raw.source_lang, "source_lang");
    let target_lang = required(report, raw.target_lang, "target_lang");
    // Language tags in the registry's case; anything else is an error at the value.
    let tag = |report: &mut Report<'_>, value: Option<String>, k: &str| {
        value.and_then(|v| match crate::lang::normalise(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                report.error_at(&key(k), format!("`{k}`: {e}"));
                None
            }
        })
    };
    let source_lang = tag(report, source_lang, "source_lang");
    let target_lang = tag(report, target_lang, "target_lang");

    let published = match raw.published {
        None => None,
        Some(toml::Value::Datetime(d)) => Some(Published(d.to_string().into())),
        Some(toml::Value::String(s)) => match s.trim().parse::<toml::value::Datetime>() {
            Ok(d) => {
                let position = report.place(&key("published"), false);
                report.push(
                    Severity::Warning,
                    position,
                    "`published` is a string; write it as a TOML date without quotes".into(),
                );
                Some(Published(d.to_string().into()))
            }
            Err(_) => {
                report.error_at(&key("published"), format!("`published` is not a date: {:?}", sanitize_line(&s)));
                None
            }
        },
        Some(other) => {
            report.error_at(&key("published"), format!("`published` must be a TOML date, found {}", other.type_str()));
            None
        }
    };

    let alignment = raw.alignment.and_then(|a| alignment_info(a, report)).map(Box::new);
    let body = match (raw.paragraphs, raw.body) {
        _ if header_only => None,
        (Some(_), Some(_)) => {
            report
                .error(None, "both `[[paragraphs]]` and `[body]` are present; an article has exactly one body".into());
            None
        }
        (None, None) => {
            // A body of the wrong type was reported already.
            if report.place(&key("paragraphs"), true).is_none() && report.place(&key("body"), true).is_none() {
                report.error(None, "no body: add `[[paragraphs]]` entries or a `[body]` table".into());
            }
            None
        }
        (Some(paragraphs), None) => given_groups(paragraphs, report).map(|g| (g.into(), Pairing::Given)),
        (None, Some(body)) => aligned_groups(body, report),
    };
    if report.errors > 0 {
        return None;
    }
    let (groups, pairing) = match body {
        Some(b) => b,
        None if header_only => (Default::default(), Pairing::Given),
        None => return None,
    };
    let (source_title, outlet, url, authors, translator, tags, summary, machine, feed, guid) = (
        raw.source_title,
        raw.outlet,
        raw.url,
        raw.authors,
        raw.translator,
        raw.tags,
        raw.summary,
        raw.machine_translation,
        raw.feed,
        raw.guid,
    );

    let opt = |s: Option<String>| s.map(|s| sanitize_line(&s)).filter(|s| !s.is_empty());
    let short = |s: Option<String>| opt(s).map(CompactString::from);
    let list = |v: Vec<String>| v.iter().map(|s| sanitize_line(s)).filter(|s| !s.is_empty()).map(Into::into).collect();
    // Ids come from `library::article_id`, already escaped; anything else is escaped here, never
    // folded or dropped, so two files never share an id.
    let id = if id.chars().any(crate::text::is_unprintable) {
        crate::text::escape_unprintable(id.as_bytes()).into()
    } else {
        CompactString::from(id)
    };
    let meta = Meta {
        id,
        path: path.to_path_buf(),
        title: title?,
        source_title: opt(source_title),
        source_lang: source_lang?.into(),
        target_lang: target_lang?.into(),
        outlet: short(outlet),
        url: opt(url),
        published,
        authors: list(authors),
        translator: short(translator),
        tags: list(tags),
        summary: opt(summary),
        machine_translation: machine.map(|m| {
            Box::new(MachineTranslation {
                engine: sanitize_line(&m.engine),
                kind: sanitize_line(&m.kind),
                model: m.model.map(|x| sanitize_line(&x)).filter(|x| !x.is_empty()),
                date: m.date.map(|d| match d {
                    toml::Value::String(s) => sanitize_line(&s),
                    other => sanitize_line(&other.to_string()),
                }),
            })
        }),
        feed: short(feed),
        guid: opt(guid),
        alignment,
    };
    Some(Article { meta, groups, pairing })
}

/// `[alignment]` checked: its confidence in 0..=1 (else an error at it), its method one line.
fn alignment_info(raw: RawAlignment, report: &mut Report<'_>) -> Option<AlignmentInfo> {
    let at = [Segment::Key("alignment".into()), Segment::Key("confidence".into())];
    let confidence = match raw.confidence.map(checked_confidence) {
        Some(Err(message)) => {
            report.error_at(&at, format!("`alignment.confidence`: {message}"));
            return None;
        }
        Some(Ok(c)) => Some(c),
        None => None,
    };
    Some(AlignmentInfo { method: sanitize_line(&raw.method), confidence })
}

/// A confidence as the format allows it: a number from 0 to 1.
fn checked_confidence(c: f64) -> Result<f32, String> {
    if (0.0..=1.0).contains(&c) { Ok(c as f32) } else { Err(format!("must be a number from 0 to 1, found {c}")) }
}

/// A `moved_from` as the format allows it: a paragraph number of the source edition, from 1.
fn checked_moved_from(n: i64) -> Result<u32, String> {
    match u32::try_from(n) {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("must be a paragraph number of the source edition, 1 or more, found {n}")),
    }
}

/// The groups of a `[[paragraphs]]` array: every entry checked, each problem reported (an entry
/// that could not be read, `None`, was reported already).
fn given_groups(paragraphs: Vec<Option<RawParagraph>>, report: &mut Report<'_>) -> Option<Vec<Group>> {
    if paragraphs.is_empty() {
        report.error_at(&[Segment::Key("paragraphs".into())], "`paragraphs` is empty".into());
        return None;
    }
    let mut groups = Vec::with_capacity(paragraphs.len());
    for (i, p) in paragraphs.into_iter().enumerate() {
        let Some(p) = p else { continue };
        // A side may hold several paragraphs, separated by blank lines (a merged group).
        let side = |s: Option<String>| s.as_deref().map(split_paragraphs).unwrap_or_default();
        let (source, translation) = (side(p.source), side(p.translation));
        if source.is_empty() && translation.is_empty() {
            let place = [Segment::Key("paragraphs".into()), Segment::Index(i)];
            let position = nth_table_header(report.text, "[[paragraphs]]", i).or_else(|| report.place(&place, false));
            report.error(position, format!("paragraph {} has neither `source` nor `translation`", i + 1));
            continue;
        }
        let place = |key: &str| [Segment::Key("paragraphs".into()), Segment::Index(i), Segment::Key(key.into())];
        let moved_from = match p.moved_from.map(checked_moved_from) {
            Some(Err(message)) => {
                report.error_at(&place("moved_from"), format!("`moved_from` in paragraph {}: {message}", i + 1));
                None
            }
            other => other.and_then(Result::ok),
        };
        let confidence = match p.confidence.map(checked_confidence) {
            Some(Err(message)) => {
                report.error_at(&place("confidence"), format!("`confidence` in paragraph {}: {message}", i + 1));
                None
            }
            other => other.and_then(Result::ok),
        };
        groups.push(Group {
            kind: p.kind,
            source,
            translation,
            machine: p.machine,
            moved_from,
            confidence,
            manual: p.manual,
        });
    }
    (report.errors == 0).then_some(groups)
}

/// Splits a `[body]` text into paragraphs at blank lines.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    let clean = sanitize(text);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in clean.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(unfold_paragraph(&current));
                current.clear();
            }
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.is_empty() {
        paragraphs.push(unfold_paragraph(&current));
    }
    paragraphs
}

/// A `[body]` table's texts split and paired; an error when they hold no paragraph at all.
fn aligned_groups(body: RawBody, report: &mut Report<'_>) -> Option<(std::sync::Arc<[Group]>, Pairing)> {
    let source = body.source.as_deref().map(split_paragraphs).unwrap_or_default();
    let translation = body.translation.as_deref().map(split_paragraphs).unwrap_or_default();
    if source.is_empty() && translation.is_empty() {
        let position = report.place(&[Segment::Key("body".into()), Segment::Key("source".into())], false);
        report.error(position, "`[body]` holds no paragraphs".into());
        return None;
    }
    // Aligning is the costly part: only for a file with no error.
    if report.errors > 0 {
        return None;
    }
    let (n, m) = (source.len(), translation.len());
    let alignment = crate::align::align_bounded(&source, &translation, &crate::align::Params::default());
    if let Some(w) = alignment.bound.warning(n, m) {
        report.push(Severity::Warning, None, w);
    }
    if let Some(w) = &alignment.warning {
        report.push(Severity::Warning, None, format!("pairing: {w}"));
    }
    let (groups, summary) = groups_from_beads(source, translation, &alignment);
    Some((groups, Pairing::Aligned(summary)))
}

/// Turns an alignment into row groups, with its summary: beads in the translation's order (a
/// moved pair's source paragraph out of the source's), their confidence and moves. The
/// paragraphs are moved, not copied.
pub fn groups_from_beads(
    source: Vec<String>,
    translation: Vec<String>,
    alignment: &crate::align::Alignment,
) -> (std::sync::Arc<[Group]>, String) {
    let mut s: Vec<Option<String>> = source.into_iter().map(Some).collect();
    let mut t: Vec<Option<String>> = translation.into_iter().map(Some).collect();
    let take = |side: &mut Vec<Option<String>>, r: &std::ops::Range<usize>| -> Vec<String> {
        r.clone().filter_map(|i| side.get_mut(i).and_then(Option::take)).collect()
    };
    let beads = &alignment.beads;
    let groups = beads
        .iter()
        .enumerate()
        .map(|(k, b)| Group {
            source: take(&mut s, &b.source),
            translation: take(&mut t, &b.translation),
            moved_from: alignment.moved.get(k).copied().unwrap_or(false).then(|| b.source.start as u32 + 1),
            confidence: alignment.confidence.get(k).copied().flatten(),
            ..Group::default()
        })
        .collect();
    (groups, crate::align::Summary::of(beads).to_string())
}

/// A TOML parser's message in words that name what the file says: a duplicate key is named
/// with its table (`duplicate key `max_width` in [reader]`), a value the parser refused is
/// named with its key and written as it stands in the file.
pub fn describe_toml_error(text: &str, message: &str, span: Option<std::ops::Range<usize>>) -> String {
    let message = one_line(message);
    let Some(span) =
        span.filter(|s| s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end))
    else {
        return message;
    };
    if message.starts_with("duplicate key") {
        let key = crate::text::escape_unprintable(text[span.clone()].trim().as_bytes());
        let table = text[..span.start]
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| l.starts_with('['))
            .map(|l| {
                format!(" in {}", crate::text::escape_unprintable(l.split('#').next().unwrap_or(l).trim().as_bytes()))
            })
            .unwrap_or_default();
        return format!("duplicate key `{key}`{table}: a key may be set only once");
    }
    match key_at(text, span.start) {
        Some(key) => format!("`{key}` = {}: {message}", value_text(text, span.start)),
        None => message,
    }
}

/// The dotted key of the value that starts at `offset` (or contains it), if the text can be
/// read as TOML around it.
pub fn key_at(text: &str, offset: usize) -> Option<String> {
    use toml::de::{DeTable, DeValue};
    fn walk(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
        for (k, v) in table.iter() {
            path.push(k.get_ref().to_string());
            // A table's span may be its header only: look inside it whatever its span.
            if let DeValue::Table(t) = v.get_ref()
                && walk(t, offset, path)
            {
                return true;
            }
            let span = v.span();
            if span.start <= offset && offset < span.end.max(span.start + 1) {
                return true;
            }
            path.pop();
        }
        false
    }
    let (root, _) = DeTable::parse_recoverable(text);
    let mut path = Vec::new();
    walk(root.get_ref(), offset, &mut path).then(|| crate::text::escape_unprintable(path.join(".").as_bytes()))
}

/// The byte offset of the value at `path` in a parsed file, or of its key when `key` is set:
/// `[reader] max_width`, `keys.quit` written as a dotted key or an inline table, the second
/// element of `scroll_down = ["j", "x"]`, the third `[[paragraphs]]` table. A path into a list
/// that was written as a single value stops at that value.
pub fn locate_in(root: &toml::de::DeTable<'_>, path: &[Segment], key: bool) -> Option<usize> {
    use toml::de::DeValue;
    let mut table = root;
    let mut value: Option<&toml::Spanned<DeValue>> = None;
    let mut key_at: Option<usize> = None;
    for segment in path {
        match segment {
            Segment::Key(k) => {
                if let Some(v) = value {
                    let DeValue::Table(t) = v.get_ref() else { return None };
                    table = t;
                }
                let (name, v) = table.iter().find(|(name, _)| name.get_ref().as_ref() == k.as_str())?;
                key_at = Some(name.span().start);
                value = Some(v);
            }
            Segment::Index(i) => {
                if let DeValue::Array(items) = value?.get_ref() {
                    value = Some(items.get(*i)?);
                    key_at = None;
                }
            }
        }
    }
    let value_at = value.map(|v| v.span().start);
    if key { key_at.or(value_at) } else { value_at }
}

/// The text of the value at `offset` as the file writes it (to the end of the line, without a
/// comment), short and escaped for one line of output.
pub fn value_text(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    let line = rest.lines().next().unwrap_or("");
    let value = if line.starts_with(['"', '\'', '[', '{']) { line } else { line.split('#').next().unwrap_or(line) };
    let value = value.trim();
    let short: String = value.chars().take(60).collect();
    let ellipsis = if short.len() < value.len() { "…" } else { "" };
    let shown: String = short.chars().map(|c| if crate::text::is_unprintable(c) { '?' } else { c }).collect();
    format!("{shown}{ellipsis}")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where a key is written, for warnings serde gives no span for. `key` may be a dotted path
/// such as `paragraphs.3.transaltion`; the last part is searched at the start of a line.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let last = key.rsplit('.').next().unwrap_or(key);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(last)
            && rest.trim_start().starts_with('=')
        {
            let col = line.len() - trimmed.len();
            return Some(line_col(text, offset + col));
        }
        offset += line.len();
    }
    None
}

fn nth_table_header(text: &str, header: &str, n: usize) -> Option<(usize, usize)> {
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(header) {
            if seen == n {
                return Some(line_col(text, offset));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

fn one_line(s: &str) -> String {
    sanitize_line(s)
}

/// `paragraphs.?.2.kind` or `paragraphs[2].kind` → ``kind` in paragraph 3``; `tags` → `` `tags` ``.
fn describe_key(path: &str) -> String {
    let path = path.replace('[', ".").replace(']', "");
    let parts: Vec<&str> = path.split('.').filter(|p| *p != "?" && !p.is_empty()).collect();
    match parts.as_slice() {
        [] => String::new(),
        ["paragraphs", n, rest @ ..] if n.parse::<usize>().is_ok() => {
            let n = n.parse::<usize>().unwrap_or(0) + 1;
            if rest.is_empty() {
                format!("paragraph {n}")
            } else {
                format!("`{}` in paragraph {n}", sanitize_line(&rest.join(".")))
            }
        }
        _ => format!("`{}`", sanitize_line(&parts.join("."))),
    }
}

/// serde's wording in the words of the article format.
fn friendly(message: &str) -> String {
    one_line(message)
        .replace("missing field", "missing required key")
        .replace("expected a sequence", "expected an array")
        .replace("unknown variant", "unknown value")
        .replace("expected i64", "expected an integer")
        .replace("expected f64", "expected a number")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Parsed {
        parse(s.as_bytes(), "t", Path::new("t.toml"))
    }

    const HEAD: &str = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n";

    #[test]
    fn paragraphs_form() {
        let p = parse_str(&format!(
            "{HEAD}[[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\n[[paragraphs]]\nkind = \"caption\"\nsource = \"나\"\n"
        ));
        let a = p.article.unwrap();
        assert_eq!(a.groups.len(), 2);
        assert_eq!(a.groups[1].kind, Kind::Caption);
        assert!(a.groups[1].translation.is_empty());
        assert_eq!(a.pairing, Pairing::Given);
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn body_form_is_aligned() {
        let p = parse_str(&format!(
            "{HEAD}[body]\nsource = \"\"\"\n서울시가 2025년 새 버스 노선 12개를 발표했다.\n\n노선은 다음 달부터 운행된다.\n\n사진=시청\n\"\"\"\ntranslation = \"\"\"\nSeoul announced 12 new bus routes for 2025.\n\nThe routes will run from next month.\n\"\"\"\n"
        ));
        let a = p.article.unwrap();
        assert_eq!(a.groups.len(), 3);
        assert_eq!(a.groups[2].source, vec!["사진=시청"]);
        assert!(a.groups[2].translation.is_empty());
        assert_eq!(a.pairing, Pairing::Aligned("2×1-1, 1×1-0".into()));
    }

    #[test]
    fn unknown_key_is_a_warning_with_line() {
        let p = parse_str(&format!("tittle = \"x\"\n{HEAD}[[paragraphs]]\nsource = \"a\"\n"));
        assert!(p.article.is_some());
        let d = &p.diagnostics[0];
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("tittle"));
        assert_eq!(d.position, Some((1, 1)));
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let p = parse_str("title = \"T\"\nsource_lang = ko\n");
        assert!(p.article.is_none());
        let d = &p.diagnostics[0];
        assert_eq!(d.position.map(|p| p.0), Some(2));
        assert!(d.to_string().starts_with("t.toml:2:"), "{d}");
    }

    #[test]
    fn wrong_type_has_position() {
        let p = parse_str(&format!("{HEAD}tags = \"a\"\n[[paragraphs]]\nsource = \"a\"\n"));
        let d = &p.diagnostics[0];
        assert!(d.is_error());
        assert_eq!(d.position.map(|p| p.0), Some(4), "{d}");
    }

    #[test]
    fn missing_required_key() {
        let p = parse_str("title = \"T\"\nsource_lang = \"ko\"\n[[paragraphs]]\nsource = \"a\"\n");
        assert!(p.diagnostics[0].message.contains("target_lang"), "{}", p.diagnostics[0]);
    }

    #[test]
    fn both_and_neither_bodies() {
        let both = parse_str(&format!("{HEAD}[[paragraphs]]\nsource = \"a\"\n[body]\nsource = \"a\"\n"));
        assert!(both.diagnostics[0].message.contains("both"));
        let neither = parse_str(HEAD);
        assert!(neither.diagnostics[0].message.contains("no body"));
    }

    #[test]
    fn empty_binary_and_invalid_utf8() {
        let empty = parse(b"", "t", Path::new("t.toml"));
        assert!(empty.diagnostics[0].message.contains("empty"));
        let binary = parse(b"\x00\x01\x02", "t", Path::new("t.toml"));
        assert!(binary.diagnostics[0].message.contains("binary"));
        let bad = parse(b"title = \"\xff\"", "t", Path::new("t.toml"));
        assert!(bad.diagnostics[0].message.contains("UTF-8"));
        assert_eq!(bad.diagnostics[0].position, Some((1, 10)));
    }

    #[test]
    fn empty_paragraph_and_bad_kind() {
        let p = parse_str(&format!("{HEAD}[[paragraphs]]\nsource = \"a\"\n[[paragraphs]]\nkind = \"text\"\n"));
        assert!(p.diagnostics[0].message.contains("paragraph 2"));
        assert_eq!(p.diagnostics[0].position, Some((6, 1)));
        let k = parse_str(&format!("{HEAD}[[paragraphs]]\nsource = \"a\"\nkind = \"poem\"\n"));
        assert!(
            k.diagnostics[0].message.contains("poem") || k.diagnostics[0].message.contains("variant"),
            "{}",
            k.diagnostics[0]
        );
    }

    #[test]
    fn strings_are_sanitised_on_load() {
        let p = parse_str(
            "title = \"a\\u001b]0;pwned\\u0007b\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"x\\u001b[2Jy\"\n",
        );
        let a = p.article.unwrap();
        assert_eq!(a.meta.title, "ab");
        assert_eq!(a.groups[0].source[0], "xy");
    }

    /// A file with several problems has each of them listed at its own place, in the order
    /// they come in the file: wrong types, a bad date, bad paragraphs and unknown keys alike.
    #[test]
    fn every_problem_of_a_file_is_listed_at_its_place() {
        let text = "title = 7\nsource_lang = \"ko\"\ntarget_lang = \"en\"\ntags = \"one\"\nauthors = [\"A\", 2]\n\
                    published = \"last week\"\nsubtitle = \"x\"\n\
                    [[paragraphs]]\nsource = \"가\"\n\
                    [[paragraphs]]\nkind = \"poem\"\nsource = \"나\"\n\
                    [[paragraphs]]\nkind = \"text\"\n\
                    [[paragraphs]]\nsource = 3\ntransaltion = \"d\"\n";
        let p = parse_str(text);
        assert!(p.article.is_none());
        let shown: Vec<String> = p.diagnostics.iter().map(ToString::to_string).collect();
        let expected = [
            "t.toml:1:9: error: `title`: invalid type: integer `7`, expected a string",
            "t.toml:4:8: error: `tags`: invalid type: string \"one\", expected an array",
            "t.toml:5:17: error: `authors.1`: invalid type: integer `2`, expected a string",
            "t.toml:6:13: error: `published` is not a date: \"last week\"",
            "t.toml:7:1: warning: unknown key `subtitle` (ignored)",
            "t.toml:11:8: error: `kind` in paragraph 2: unknown value `poem`",
            "t.toml:13:1: error: paragraph 3 has neither `source` nor `translation`",
            "t.toml:16:10: error: `source` in paragraph 4: invalid type: integer `3`, expected a string",
            "t.toml:17:1: warning: unknown key `transaltion` in paragraph 4 (ignored)",
        ];
        assert_eq!(shown.len(), expected.len(), "{shown:#?}");
        for (line, want) in shown.iter().zip(expected) {
            assert!(line.starts_with(want), "{line:?} does not start with {want:?}\n{shown:#?}");
        }
    }

    #[test]
    fn missing_keys_are_each_reported() {
        let p = parse_str("outlet = \"x\"\n[[paragraphs]]\nsource = \"a\"\n");
        let missing: Vec<&str> =
            p.diagnostics.iter().filter_map(|d| d.message.strip_prefix("missing required key ")).collect();
        assert_eq!(missing, ["`title`", "`source_lang`", "`target_lang`"]);
    }

    #[test]
    fn a_file_with_a_great_many_problems_lists_the_first_and_counts_the_rest() {
        let mut text = HEAD.to_string();
        for _ in 0..200 {
            text.push_str("[[paragraphs]]\nkind = \"text\"\n");
        }
        let p = parse_str(&text);
        assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
        let last = p.diagnostics.iter().find(|d| d.position.is_none()).unwrap();
        assert_eq!(last.message, "150 more problem(s) in this file are not listed");
    }

    #[test]
    fn language_tags_are_checked_and_normalised() {
        let ok = parse_str(
            "title = \"T\"\nsource_lang = \"zh-hans\"\ntarget_lang = \"EN\"\n[[paragraphs]]\nsource = \"a\"\n",
        );
        let meta = ok.article.unwrap().meta;
        assert_eq!((meta.source_lang.as_str(), meta.target_lang.as_str()), ("zh-Hans", "en"));
        let bad = parse_str(
            "title = \"T\"\nsource_lang = \"Korean\"\ntarget_lang = \"english!!\"\n[[paragraphs]]\nsource = \"a\"\n",
        );
        assert!(bad.article.is_none());
        let shown: Vec<String> = bad.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:#?}");
        assert!(
            shown[0].starts_with("t.toml:2:15: error: `source_lang`: \"Korean\" is not a BCP 47 language tag"),
            "{shown:#?}"
        );
        assert!(shown[1].starts_with("t.toml:3:15: error: `target_lang`: \"english!!\" is not a BCP 47"), "{shown:#?}");
        // The header-only parse, which lists a large library, checks them too.
        let header = parse_header(
            b"title = \"T\"\nsource_lang = \"Korean\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"a\"\n",
            "t",
            Path::new("t.toml"),
        );
        assert!(header.article.is_none() && header.diagnostics[0].message.contains("Korean"));
    }

    #[test]
    fn pairing_facts_are_read_from_each_entry_and_the_alignment_table() {
        let p = parse_str(&format!(
            "{HEAD}[alignment]\nmethod = \"anchors and lengths\"\nconfidence = 0.87\n\
             [[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\nmoved_from = 7\nconfidence = 0.42\n\
             [[paragraphs]]\nsource = \"나\"\nmanual = true\nconfidence = 1\n"
        ));
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let a = p.article.unwrap();
        let (g0, g1) = (&a.groups[0], &a.groups[1]);
        assert_eq!((g0.moved_from, g0.confidence, g0.manual), (Some(7), Some(0.42), false));
        assert!(g0.is_unsure() && !g1.is_unsure());
        assert_eq!((g1.moved_from, g1.confidence, g1.manual), (None, Some(1.0), true));
        let alignment = a.meta.alignment.unwrap();
        assert_eq!((alignment.method.as_str(), alignment.confidence), ("anchors and lengths", Some(0.87)));
        // None of it: nothing is made up.
        let plain = parse_str(&format!("{HEAD}[[paragraphs]]\nsource = \"가\"\n")).article.unwrap();
        assert_eq!(plain.groups[0], Group { source: vec!["가".into()], ..Group::default() });
        assert_eq!(plain.meta.alignment, None);
    }

    /// A value of the wrong type or out of range is an error at its line and column, each.
    #[test]
    fn pairing_facts_out_of_range_are_errors_at_their_place() {
        let text = format!(
            "{HEAD}[alignment]\nmethod = \"m\\u001b[2J\"\nconfidence = 1.5\n\
             [[paragraphs]]\nsource = \"가\"\nmoved_from = 0\nconfidence = nan\n\
             [[paragraphs]]\nsource = \"나\"\nmoved_from = \"7\"\nconfidence = -0.1\nmanual = \"yes\"\n\
             [[paragraphs]]\nsource = \"다\"\nmoved_from = 5000000000\nconfidence = 0.5\n"
        );
        let p = parse_str(&text);
        assert!(p.article.is_none());
        let shown: Vec<String> = p.diagnostics.iter().map(ToString::to_string).collect();
        let expected = [
            "t.toml:6:14: error: `alignment.confidence`: must be a number from 0 to 1, found 1.5",
            "t.toml:9:14: error: `moved_from` in paragraph 1: must be a paragraph number of the source edition, 1 or more, found 0",
            "t.toml:10:14: error: `confidence` in paragraph 1: must be a number from 0 to 1, found NaN",
            "t.toml:13:14: error: `moved_from` in paragraph 2: invalid type: string \"7\", expected an integer",
            "t.toml:14:14: error: `confidence` in paragraph 2: invalid type",
            "t.toml:15:10: error: `manual` in paragraph 2: invalid type: string \"yes\", expected a boolean",
            "t.toml:18:14: error: `moved_from` in paragraph 3: must be a paragraph number of the source edition, 1 or more, found 5000000000",
        ];
        assert_eq!(shown.len(), expected.len() - 1, "{shown:#?}");
        // A paragraph with a key of the wrong type is left out whole: its confidence is not
        // checked on top.
        let expected: Vec<&str> = expected.into_iter().filter(|e| !e.starts_with("t.toml:14:")).collect();
        for (line, want) in shown.iter().zip(expected) {
            assert!(line.starts_with(want), "{line:?} does not start with {want:?}\n{shown:#?}");
        }
        // The method is sanitised as every string is.
        let ok = parse_str(&format!("{HEAD}[alignment]\nmethod = \"m\\u001b[2Jx\"\n[[paragraphs]]\nsource = \"가\"\n"));
        assert_eq!(ok.article.unwrap().meta.alignment.unwrap().method, "mx");
    }

    /// The list reads only the header of each file; `[alignment]` is read with it wherever it
    /// stands, and a warning in it keeps its line.
    #[test]
    fn the_header_parse_reads_the_alignment_table_after_the_body() {
        let text = format!(
            "{HEAD}[[paragraphs]]\nsource = \"\"\"\n[alignment]\n\"\"\"\n\
             [[paragraphs]]\nsource = \"나\"\n\n[alignment]\nmethod = \"anchors\"\nconfidense = 0.9\n"
        );
        let header = parse_header(text.as_bytes(), "t", Path::new("t.toml"));
        let whole = parse_str(&text);
        assert_eq!(header.article.as_ref().unwrap().meta, whole.article.as_ref().unwrap().meta);
        assert_eq!(header.article.unwrap().meta.alignment.unwrap().method, "anchors");
        assert_eq!(header.diagnostics, whole.diagnostics);
        assert_eq!(whole.diagnostics[0].position, Some((13, 1)), "{:?}", whole.diagnostics);
        // Without one, the header is the text before the first table, as before.
        assert_eq!(with_alignment(HEAD.as_bytes(), HEAD.len()).as_ref(), HEAD.as_bytes());
    }

    #[test]
    fn published_date_and_string() {
        let p = parse_str(&format!("{HEAD}published = 2024-07-11\n[[paragraphs]]\nsource = \"a\"\n"));
        assert_eq!(p.article.unwrap().meta.published.unwrap().date(), "2024-07-11");
        let s = parse_str(&format!("{HEAD}published = \"2024-07-11\"\n[[paragraphs]]\nsource = \"a\"\n"));
        assert!(s.article.is_some());
        assert_eq!(s.diagnostics[0].severity, Severity::Warning);
    }
}
