//! Articles: the types the reader works with, and parsing one TOML file into them with
//! diagnostics that name the file, line and column.
//!
//! The format is documented in `docs/article-format.md`. Every string is sanitised here, where
//! it enters the program (see [`crate::text::sanitize`]).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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

/// One row group of the reader: the source paragraphs and the translation paragraphs that say
/// the same thing. Given pairs hold at most one of each; either side may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    pub kind: Kind,
    pub source: Vec<String>,
    pub translation: Vec<String>,
    /// The translation is a machine's (`machine = true` in the file).
    pub machine: bool,
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
pub struct Published(pub String);

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Meta {
    /// Path relative to the library, without `.toml`, with `/` separators; what cannot be
    /// shown is escaped (see [`crate::library::article_id`]).
    pub id: String,
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    pub title: String,
    pub source_title: Option<String>,
    pub source_lang: String,
    pub target_lang: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<Published>,
    pub authors: Vec<String>,
    pub translator: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// The engine that translated the paragraphs marked `machine`, if any.
    #[serde(default)]
    pub machine_translation: Option<MachineTranslation>,
    /// The subscription the article came from (`bitext fetch`), by name.
    #[serde(default)]
    pub feed: Option<String>,
    /// What the feed knows the item by: its GUID, or `link:` and its link.
    #[serde(default)]
    pub guid: Option<String>,
}

impl Meta {
    /// `ko→en`
    pub fn lang_pair(&self) -> String {
        format!("{}→{}", self.source_lang, self.target_lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The file as serde sees it, before validation.
#[derive(Deserialize)]
struct RawArticle {
    title: String,
    source_lang: String,
    target_lang: String,
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
    paragraphs: Option<Vec<RawParagraph>>,
    body: Option<RawBody>,
}

#[derive(Deserialize)]
struct RawParagraph {
    source: Option<String>,
    translation: Option<String>,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    machine: bool,
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
/// header in TOML): the metadata, with empty groups, for listing a large library fast. A file
/// whose header cannot be told apart is parsed whole. Problems in the body are not seen.
pub fn parse_header(bytes: &[u8], id: &str, path: &Path) -> Parsed {
    match header_end(bytes) {
        Some(end) => {
            let parsed = parse_with(&bytes[..end], id, path, true);
            if parsed.article.is_some() { parsed } else { parse(bytes, id, path) }
        }
        None => parse(bytes, id, path),
    }
}

/// Where the first table header starts, outside multi-line strings.
fn header_end(bytes: &[u8]) -> Option<usize> {
    let mut offset = 0;
    let (mut basic, mut literal) = (false, false);
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let trimmed = line.trim_ascii_start();
        if !basic && !literal && trimmed.first() == Some(&b'[') {
            return Some(offset);
        }
        let count = |pat: &[u8]| line.windows(3).filter(|w| *w == pat).count();
        if count(b"\"\"\"") % 2 == 1 && !literal {
            basic = !basic;
        }
        if count(b"'''") % 2 == 1 && !basic {
            literal = !literal;
        }
        offset += line.len();
    }
    None
}

fn parse_with(bytes: &[u8], id: &str, path: &Path, header_only: bool) -> Parsed {
    let mut diagnostics = Vec::new();
    let article = parse_inner(bytes, id, path, header_only, &mut diagnostics);
    if article.is_none() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(Diagnostic::error(path, "not a usable article"));
    }
    Parsed { article, diagnostics }
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

    let deserializer = match toml::de::Deserializer::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let message = describe_toml_error(text, e.message(), e.span());
            error(diags, at(e.span().map(|s| s.start), text), format!("TOML syntax error: {message}"));
            return None;
        }
    };
    let mut unknown = Vec::new();
    let mut on_unknown = |p: serde_ignored::Path| unknown.push(p.to_string());
    let ignoring = serde_ignored::Deserializer::new(deserializer, &mut on_unknown);
    let raw: RawArticle = match serde_path_to_error::deserialize(ignoring) {
        Ok(r) => r,
        Err(e) => {
            let key = describe_key(&e.path().to_string());
            let message = friendly(e.inner().message());
            let message = if key.is_empty() { message } else { format!("{key}: {message}") };
            error(diags, at(e.inner().span().map(|s| s.start), text), message);
            return None;
        }
    };
    for key in unknown {
        diags.push(Diagnostic {
            path: path.to_path_buf(),
            position: find_key(text, &key),
            severity: Severity::Warning,
            message: format!("unknown key {} (ignored)", describe_key(&key)),
        });
    }

    let (groups, pairing) = match (raw.paragraphs, raw.body) {
        _ if header_only => (Default::default(), Pairing::Given),
        (Some(_), Some(_)) => {
            error(
                diags,
                None,
                "both `[[paragraphs]]` and `[body]` are present; an article has exactly one body".into(),
            );
            return None;
        }
        (None, None) => {
            error(diags, None, "no body: add `[[paragraphs]]` entries or a `[body]` table".into());
            return None;
        }
        (Some(paragraphs), None) => (given_groups(paragraphs, path, text, diags)?.into(), Pairing::Given),
        (None, Some(body)) => aligned_groups(body, path, diags),
    };
    if !header_only && groups.is_empty() {
        error(diags, find_key(text, "source"), "`[body]` holds no paragraphs".into());
        return None;
    }

    let mut required = |value: String, key: &str| {
        let clean = sanitize_line(&value);
        if clean.is_empty() {
            error(diags, find_key(text, key), format!("`{key}` is empty"));
        }
        clean
    };
    let title = required(raw.title, "title");
    let source_lang = required(raw.source_lang, "source_lang");
    let target_lang = required(raw.target_lang, "target_lang");
    if title.is_empty() || source_lang.is_empty() || target_lang.is_empty() {
        return None;
    }

    let published = match raw.published {
        None => None,
        Some(toml::Value::Datetime(d)) => Some(Published(d.to_string())),
        Some(toml::Value::String(s)) => match s.trim().parse::<toml::value::Datetime>() {
            Ok(d) => {
                diags.push(Diagnostic {
                    path: path.to_path_buf(),
                    position: find_key(text, "published"),
                    severity: Severity::Warning,
                    message: "`published` is a string; write it as a TOML date without quotes".into(),
                });
                Some(Published(d.to_string()))
            }
            Err(_) => {
                error(
                    diags,
                    find_key(text, "published"),
                    format!("`published` is not a date: {:?}", sanitize_line(&s)),
                );
                return None;
            }
        },
        Some(other) => {
            error(
                diags,
                find_key(text, "published"),
                format!("`published` must be a TOML date, found {}", other.type_str()),
            );
            return None;
        }
    };

    let opt = |s: Option<String>| s.map(|s| sanitize_line(&s)).filter(|s| !s.is_empty());
    let list = |v: Vec<String>| v.iter().map(|s| sanitize_line(s)).filter(|s| !s.is_empty()).collect();
    // Ids come from `library::article_id`, already escaped; anything else is escaped here, never
    // folded or dropped, so two files never share an id.
    let id = if id.chars().any(crate::text::is_unprintable) {
        crate::text::escape_unprintable(id.as_bytes())
    } else {
        id.to_string()
    };
    let meta = Meta {
        id,
        path: path.to_path_buf(),
        title,
        source_title: opt(raw.source_title),
        source_lang,
        target_lang,
        outlet: opt(raw.outlet),
        url: opt(raw.url),
        published,
        authors: list(raw.authors),
        translator: opt(raw.translator),
        tags: list(raw.tags),
        summary: opt(raw.summary),
        machine_translation: raw.machine_translation.map(|m| MachineTranslation {
            engine: sanitize_line(&m.engine),
            kind: sanitize_line(&m.kind),
            model: m.model.map(|x| sanitize_line(&x)).filter(|x| !x.is_empty()),
            date: m.date.map(|d| match d {
                toml::Value::String(s) => sanitize_line(&s),
                other => sanitize_line(&other.to_string()),
            }),
        }),
        feed: opt(raw.feed),
        guid: opt(raw.guid),
    };
    Some(Article { meta, groups, pairing })
}

fn given_groups(
    paragraphs: Vec<RawParagraph>,
    path: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Group>> {
    let mut groups = Vec::with_capacity(paragraphs.len());
    for (i, p) in paragraphs.into_iter().enumerate() {
        // A side may hold several paragraphs, separated by blank lines (a merged group).
        let side = |s: Option<String>| s.as_deref().map(split_paragraphs).unwrap_or_default();
        let (source, translation) = (side(p.source), side(p.translation));
        if source.is_empty() && translation.is_empty() {
            diags.push(Diagnostic {
                path: path.to_path_buf(),
                position: nth_table_header(text, "[[paragraphs]]", i),
                severity: Severity::Error,
                message: format!("paragraph {} has neither `source` nor `translation`", i + 1),
            });
            return None;
        }
        groups.push(Group { kind: p.kind, source, translation, machine: p.machine });
    }
    if groups.is_empty() {
        diags.push(Diagnostic::error(path, "`paragraphs` is empty"));
        return None;
    }
    Some(groups)
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

fn aligned_groups(body: RawBody, path: &Path, diags: &mut Vec<Diagnostic>) -> (std::sync::Arc<[Group]>, Pairing) {
    let source = body.source.as_deref().map(split_paragraphs).unwrap_or_default();
    let translation = body.translation.as_deref().map(split_paragraphs).unwrap_or_default();
    let (n, m) = (source.len(), translation.len());
    let alignment = crate::align::align_bounded(&source, &translation, &crate::align::Params::default());
    if let Some(w) = alignment.bound.warning(n, m) {
        diags.push(Diagnostic { path: path.to_path_buf(), position: None, severity: Severity::Warning, message: w });
    }
    let (groups, summary) = groups_from_beads(source, translation, &alignment.beads);
    (groups, Pairing::Aligned(summary))
}

/// Turns an alignment into row groups, with its summary. The paragraphs are moved, not copied.
pub fn groups_from_beads(
    source: Vec<String>,
    translation: Vec<String>,
    beads: &[crate::align::Bead],
) -> (std::sync::Arc<[Group]>, String) {
    let (mut s, mut t) = (source.into_iter(), translation.into_iter());
    let groups = beads
        .iter()
        .map(|b| Group {
            kind: Kind::Text,
            source: s.by_ref().take(b.source.len()).collect(),
            translation: t.by_ref().take(b.translation.len()).collect(),
            machine: false,
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

    #[test]
    fn published_date_and_string() {
        let p = parse_str(&format!("{HEAD}published = 2024-07-11\n[[paragraphs]]\nsource = \"a\"\n"));
        assert_eq!(p.article.unwrap().meta.published.unwrap().date(), "2024-07-11");
        let s = parse_str(&format!("{HEAD}published = \"2024-07-11\"\n[[paragraphs]]\nsource = \"a\"\n"));
        assert!(s.article.is_some());
        assert_eq!(s.diagnostics[0].severity, Severity::Warning);
    }
}
