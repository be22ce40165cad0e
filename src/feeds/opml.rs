//! Subscription lists shared with other readers. [`import`] reads an OPML 1.0/2.0 file or a
//! newsboat `urls` file into [`Subscription`]s, with a line for each entry it leaves out;
//! [`export`] writes subscriptions as OPML 2.0 that [`import`] reads back unchanged. bitext's own
//! options travel as attributes in the [`NAMESPACE`] namespace, which other readers ignore.

use std::collections::HashMap;
use std::fmt::Write as _;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};

use super::config::{FullText, Subscription, slug};

/// The namespace of bitext's attributes in OPML (`xmlns:bitext="…"` on the root).
pub const NAMESPACE: &str = "https://bitext.invalid/opml";

/// Why a subscription list could not be read at all. Entries that are merely unusable are left
/// out and listed in [`Imported::skipped`] instead.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not well-formed XML.
    #[error("{origin}:{line}:{column}: malformed XML: {message}")]
    Malformed { origin: String, line: usize, column: usize, message: String },
    /// Well-formed XML whose root element is not `<opml>` (an RSS feed, say).
    #[error("{origin}:{line}:{column}: not an OPML file: the root element is <{root}>, not <opml>")]
    NotOpml { origin: String, line: usize, column: usize, root: String },
}

/// What a subscription list gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The feeds, in the file's order.
    pub feeds: Vec<Subscription>,
    /// One line for each thing left out and why, starting with `origin:line` (OPML:
    /// `origin:line:column`), e.g. "urls:7: `query:` feeds are newsboat's own; left out".
    pub skipped: Vec<String>,
}

/// Reads an OPML 1.0/2.0 file or a newsboat `urls` file, told apart by content: text that starts
/// with `<` after a byte order mark and white space is OPML. `origin` is the file's name, for
/// messages.
pub fn import(text: &str, origin: &str) -> Result<Imported, ImportError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim_start().starts_with('<') { parse_opml(text, origin) } else { Ok(parse_urls(text, origin)) }
}

/// Reads OPML. The text is taken as UTF-8 whatever its XML declaration says.
///
/// - An `outline` is a feed when it has an `xmlUrl` attribute, or a `url` attribute and `type`
///   `rss` or `atom`. Attribute names are matched without regard to case (`xmlUrl`, `xmlurl`).
/// - Every enclosing outline that is not a feed adds its `text` (else `title`) as a tag,
///   outermost first; then the feed's `category` attribute: comma-separated, each entry a path
///   whose parts are tags (`/News/Korea,politics` → `News`, `Korea`, `politics`). Tags are
///   trimmed, empty ones dropped, repeats dropped.
/// - The name is the slug of `title`, else of `text`; empty without either. `language` gives the
///   source language, its primary subtag in lower case (`ko-KR` → `ko`).
/// - Attributes in bitext's namespace (see [`export`]) set the other options. A prefix counts as
///   bitext's when any element of the file binds it to [`NAMESPACE`] (`xmlns:b="…"`), and
///   `bitext` always does; the local name is matched without regard to case. A value that does
///   not fit (`bitext:keepDays="x"`) leaves that option at its default, with a line in `skipped`.
/// - Feeds whose address is not http(s), and repeats of an address already read, are skipped.
pub fn parse_opml(text: &str, origin: &str) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut opml =
        Opml { text, origin, prefixes: Vec::new(), seen: HashMap::new(), root: false, out: Imported::default() };
    let mut reader = Reader::from_str(text);
    let mut open: Vec<Open> = Vec::new();
    loop {
        let at = offset(reader.buffer_position());
        let event = reader.read_event().map_err(|e| opml.malformed(offset(reader.error_position()), &e.to_string()))?;
        match event {
            Event::Start(tag) => {
                let label = opml.element(&tag, at, &open)?;
                open.push(Open { name: tag.name().as_ref().to_string(), at, label });
            }
            Event::Empty(tag) => {
                opml.element(&tag, at, &open)?;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(opml.malformed(unclosed.at, &format!("<{}> is not closed", unclosed.name)));
    }
    Ok(opml.out)
}

/// An element being read, with the tag it gives the outlines inside it (folders only).
struct Open {
    name: String,
    at: usize,
    label: Option<String>,
}

/// One attribute as read: its name as written, its value unescaped.
struct Attr {
    key: String,
    value: String,
}

struct Opml<'a> {
    text: &'a str,
    origin: &'a str,
    /// Prefixes bound to [`NAMESPACE`] anywhere in the file.
    prefixes: Vec<String>,
    /// Addresses read so far, with the `line:column` of their first outline.
    seen: HashMap<String, String>,
    /// Whether the root element has been read.
    root: bool,
    out: Imported,
}

impl Opml<'_> {
    fn malformed(&self, at: usize, message: &str) -> ImportError {
        let (line, column) = crate::article::line_col(self.text, at);
        ImportError::Malformed {
            origin: self.origin.to_string(),
            line,
            column,
            message: crate::text::sanitize_line(message),
        }
    }

    fn place(&self, at: usize) -> String {
        let (line, column) = crate::article::line_col(self.text, at);
        format!("{}:{line}:{column}", self.origin)
    }

    /// Reads one start or empty tag at byte `at`; returns the tag it gives what it contains.
    fn element(&mut self, tag: &BytesStart, at: usize, open: &[Open]) -> Result<Option<String>, ImportError> {
        let attrs = self.attributes(tag, at)?;
        for a in &attrs {
            if let Some(prefix) = a.key.strip_prefix("xmlns:")
                && a.value.trim() == NAMESPACE
                && !self.prefixes.iter().any(|p| p == prefix)
            {
                self.prefixes.push(prefix.to_string());
            }
        }
        let name = tag.name();
        let qname: &str = name.as_ref();
        let local = qname.rsplit(':').next().unwrap_or(qname);
        if !self.root {
            self.root = true;
            if !local.eq_ignore_ascii_case("opml") {
                let (line, column) = crate::article::line_col(self.text, at);
                return Err(ImportError::NotOpml {
                    origin: self.origin.to_string(),
                    line,
                    column,
                    root: crate::text::sanitize_line(qname),
                });
            }
        }
        if !local.eq_ignore_ascii_case("outline") {
            return Ok(None);
        }
        let is_feed_type = plain(&attrs, "type").is_some_and(|t| {
            let t = t.trim();
            t.eq_ignore_ascii_case("rss") || t.eq_ignore_ascii_case("atom")
        });
        let url = plain(&attrs, "xmlUrl").or_else(|| plain(&attrs, "url").filter(|_| is_feed_type));
        match url {
            Some(url) => {
                let url = url.trim().to_string();
                self.feed(&attrs, &url, at, open);
                Ok(None)
            }
            None => Ok(label(&attrs, "text").or_else(|| label(&attrs, "title")).map(str::to_string)),
        }
    }

    /// The tag's attributes, unescaped; an attribute that is not well-formed is an error.
    fn attributes(&self, tag: &BytesStart, at: usize) -> Result<Vec<Attr>, ImportError> {
        let mut out = Vec::new();
        for a in tag.attributes().with_checks(false) {
            let a = a.map_err(|e| {
                let pos = match e {
                    AttrError::ExpectedEq(p)
                    | AttrError::ExpectedValue(p)
                    | AttrError::UnquotedValue(p)
                    | AttrError::ExpectedQuote(p, _)
                    | AttrError::Duplicated(p, _) => p,
                };
                // Positions count from the byte after `<`.
                self.malformed(at + 1 + pos, &e.to_string())
            })?;
            let value = a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| {
                let value_at = offset_in(self.text, &a.value).unwrap_or(at);
                self.malformed(value_at, &format!("in the value of {}: {e}", a.key.as_ref()))
            })?;
            out.push(Attr { key: a.key.as_ref().to_string(), value: value.into_owned() });
        }
        Ok(out)
    }

    /// Reads the feed outline at byte `at` whose address is `url`.
    fn feed(&mut self, attrs: &[Attr], url: &str, at: usize, open: &[Open]) {
        let place = self.place(at);
        let shown = crate::text::sanitize_line(url);
        if url.is_empty() {
            self.out.skipped.push(format!("{place}: a feed outline with an empty address; left out"));
            return;
        }
        if !is_web_address(url) {
            self.out.skipped.push(format!("{place}: {shown} is not an http or https address; left out"));
            return;
        }
        if let Some(first) = self.seen.get(url) {
            self.out.skipped.push(format!("{place}: {shown} is listed already (at {first}); left out"));
            return;
        }
        let (line, column) = crate::article::line_col(self.text, at);
        self.seen.insert(url.to_string(), format!("{line}:{column}"));

        let mut sub = Subscription::new(url);
        if let Some(title) = label(attrs, "title").or_else(|| label(attrs, "text")) {
            sub.name = slug(title);
        }
        let folders: Vec<&str> = open.iter().filter_map(|o| o.label.as_deref()).collect();
        let mut category = Vec::new();
        if let Some(c) = plain(attrs, "category") {
            push_tags(&mut category, category_tags(c));
        }
        let mut exact_tags: Option<Vec<String>> = None;
        let mut exact_source: Option<Option<String>> = None;
        for a in attrs {
            let Some((prefix, local)) = a.key.split_once(':') else { continue };
            if !(prefix.eq_ignore_ascii_case("bitext") || self.prefixes.iter().any(|p| p == prefix)) {
                continue;
            }
            let value = a.value.as_str();
            let bad = |why: &str| {
                format!(
                    "{place}: {}={:?} {why}; that option is left at its default",
                    crate::text::sanitize_line(&a.key),
                    crate::text::sanitize_line(value)
                )
            };
            match local.to_ascii_lowercase().as_str() {
                "name" => sub.name = value.to_string(),
                "sourcelang" | "targetlang" if non_empty(value).is_some_and(|v| !crate::lang::is_valid(&v)) => {
                    self.out.skipped.push(bad("is not a BCP 47 language tag"));
                }
                "sourcelang" => exact_source = Some(non_empty(value).and_then(|v| crate::lang::normalise(&v).ok())),
                "targetlang" => sub.target_lang = non_empty(value).and_then(|v| crate::lang::normalise(&v).ok()),
                "translate" => sub.translate = non_empty(value),
                "selector" => sub.selector = non_empty(value),
                "fulltext" => match value.trim().to_ascii_lowercase().as_str() {
                    "auto" => sub.full_text = FullText::Auto,
                    "always" => sub.full_text = FullText::Always,
                    "never" => sub.full_text = FullText::Never,
                    _ => self.out.skipped.push(bad("is not auto, always or never")),
                },
                "edition" => match value.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => sub.edition = true,
                    "false" | "0" => sub.edition = false,
                    _ => self.out.skipped.push(bad("is not true or false")),
                },
                "keepdays" => match count(value) {
                    Some(n) => sub.keep_days = Some(n),
                    None => self.out.skipped.push(bad("is not a number of days from 1")),
                },
                "maxarticles" => match count(value) {
                    Some(n) => sub.max_articles = Some(n),
                    None => self.out.skipped.push(bad("is not a number of articles from 1")),
                },
                "tags" => match serde_json::from_str::<Vec<String>>(value) {
                    Ok(tags) => exact_tags = Some(tags),
                    Err(_) => self.out.skipped.push(bad("is not a JSON list of strings")),
                },
                _ => self.out.skipped.push(format!(
                    "{place}: {} is not an attribute bitext knows; ignored",
                    crate::text::sanitize_line(&a.key)
                )),
            }
        }
        match exact_source {
            Some(lang) => sub.source_lang = lang,
            None => {
                if let Some(lang) = label(attrs, "language") {
                    match primary_language(lang) {
                        Some(primary) => sub.source_lang = Some(primary),
                        None => self.out.skipped.push(format!(
                            "{place}: language={:?} is not a language tag such as ko or ja-JP; ignored",
                            crate::text::sanitize_line(lang)
                        )),
                    }
                }
            }
        }
        match exact_tags {
            // bitext's exact list stands for the category; folders come first.
            Some(exact) => {
                sub.tags = folders.iter().filter(|f| !exact.iter().any(|t| t == *f)).map(|f| f.to_string()).collect();
                sub.tags.extend(exact);
            }
            None => {
                push_tags(&mut sub.tags, folders);
                push_tags(&mut sub.tags, category);
            }
        }
        self.out.feeds.push(sub);
    }
}

/// A reader position as an index into the text.
fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// Where `part`, a slice of `text`, starts in it.
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start <= text.len()).then_some(start)
}

/// The value of the unprefixed attribute `key` (without regard to case); the first if repeated.
fn plain<'a>(attrs: &'a [Attr], key: &str) -> Option<&'a str> {
    attrs.iter().find(|a| !a.key.contains(':') && a.key.eq_ignore_ascii_case(key)).map(|a| a.value.as_str())
}

/// [`plain`], trimmed, when not empty.
fn label<'a>(attrs: &'a [Attr], key: &str) -> Option<&'a str> {
    plain(attrs, key).map(str::trim).filter(|v| !v.is_empty())
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// A whole number from 1.
fn count(value: &str) -> Option<u32> {
    value.trim().parse::<u32>().ok().filter(|&n| n >= 1)
}

fn is_web_address(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// `zh-CN` → `zh`, `ja_JP` → `ja`, `EN` → `en`; `None` for what is not a language tag.
fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

/// The tags of an OPML `category` value: comma-separated paths, each part a tag.
fn category_tags(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').flat_map(|c| c.split('/'))
}

/// Appends `new` tags, trimmed, leaving out empty ones and ones already there.
fn push_tags<S: AsRef<str>>(tags: &mut Vec<String>, new: impl IntoIterator<Item = S>) {
    for tag in new {
        let tag = tag.as_ref().trim();
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
}

/// Reads a newsboat `urls` file: one feed a line, `URL tag "tag with spaces" ~"Title" !`.
///
/// Tokens are split at white space; a double-quoted part keeps its spaces (`\"` and `\\` inside
/// quotes stand for `"` and `\`). A token starting with `#` outside quotes ends the line, so a
/// line starting with `#` is a comment. A `~` token gives the title (the name is its slug), `!`
/// (hidden in newsboat) is dropped, the other tokens are tags. `query:`, `exec:` and `filter:`
/// entries, addresses that are not http(s) and repeated addresses are skipped.
pub fn parse_urls(text: &str, origin: &str) -> Imported {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Imported::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let tokens = newsboat_tokens(line);
        let Some((url, rest)) = tokens.split_first() else { continue };
        let url = url.trim();
        let shown = crate::text::sanitize_line(url);
        let why = if url.starts_with("query:") {
            Some("`query:` feeds are newsboat's own; left out".to_string())
        } else if url.starts_with("exec:") {
            Some("`exec:` feeds run a command; left out".to_string())
        } else if url.starts_with("filter:") {
            Some("`filter:` feeds pass through a command; left out".to_string())
        } else if !is_web_address(url) {
            Some(format!("{shown} is not an http or https address; left out"))
        } else {
            seen.get(url).map(|first| format!("{shown} is listed already (line {first}); left out"))
        };
        if let Some(why) = why {
            out.skipped.push(format!("{origin}:{n}: {why}"));
            continue;
        }
        seen.insert(url.to_string(), n);
        let mut sub = Subscription::new(url);
        let mut tags = Vec::new();
        for token in rest {
            if let Some(title) = token.strip_prefix('~') {
                if sub.name.is_empty() && !title.trim().is_empty() {
                    sub.name = slug(title);
                }
            } else if token != "!" {
                tags.push(token.as_str());
            }
        }
        push_tags(&mut sub.tags, tags);
        out.feeds.push(sub);
    }
    out
}

/// A `urls` line's tokens (see [`parse_urls`]).
fn newsboat_tokens(line: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut token = String::new();
    let mut in_token = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_token = true;
                while let Some(q) = chars.next() {
                    match q {
                        '\\' if matches!(chars.peek(), Some('"' | '\\')) => token.extend(chars.next()),
                        '"' => break,
                        q => token.push(q),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_token {
                    tokens.push(std::mem::take(&mut token));
                    in_token = false;
                }
            }
            '#' if !in_token => break,
            c => {
                in_token = true;
                token.push(c);
            }
        }
    }
    if in_token {
        tokens.push(token);
    }
    tokens
}

/// Writes OPML 2.0 that [`import`] reads back as the same subscriptions, every field.
///
/// One flat `<outline type="rss">` a feed, with `text` and `title` (the name, or the address
/// when the name is empty), `xmlUrl`, `language` (the source language, when it is a language
/// tag) and `category` (the tags, comma-separated). bitext's options are attributes in
/// [`NAMESPACE`]: `bitext:targetLang`, `bitext:fullText` (auto|always|never),
/// `bitext:edition` (true|false), `bitext:translate`, `bitext:selector`, `bitext:keepDays`,
/// `bitext:maxArticles` and `bitext:name` (the exact name, always written). Options at their
/// default are left out.
///
/// Other readers split `category` at `,` and `/`, so a tag holding either (or spaces at its
/// ends) does not survive there; for such tags the exact list is written too, as
/// `bitext:tags` (a JSON array), and a source language that is not a plain primary subtag
/// (`zh-Hant`) as `bitext:sourceLang`. Control characters cannot be written in XML: tab and
/// line feed become spaces, the others are dropped, so values holding them come back changed
/// (feeds.toml does not allow them in names). An empty `translate`, `selector` or
/// `targetLang` comes back as none.
pub fn export(feeds: &[Subscription], title: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<opml version=\"2.0\" xmlns:bitext=\"{NAMESPACE}\">");
    let _ = writeln!(out, "  <head>\n    <title>{}</title>\n  </head>\n  <body>", escape(title));
    for feed in feeds {
        out.push_str("    <outline");
        for (key, value) in outline_attributes(feed) {
            let _ = write!(out, " {key}=\"{}\"", escape(&value));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// The attributes of a feed's outline, in order.
fn outline_attributes(feed: &Subscription) -> Vec<(&'static str, String)> {
    let shown = if feed.name.is_empty() { &feed.url } else { &feed.name };
    let mut attrs = vec![("type", "rss".to_string()), ("text", shown.clone()), ("title", shown.clone())];
    attrs.push(("xmlUrl", feed.url.clone()));
    if let Some(lang) = &feed.source_lang
        && primary_language(lang).is_some()
    {
        attrs.push(("language", lang.clone()));
    }
    let category = feed.tags.join(",");
    if !feed.tags.is_empty() {
        attrs.push(("category", category.clone()));
    }
    let optional = [
        ("bitext:targetLang", feed.target_lang.clone()),
        ("bitext:fullText", (feed.full_text != FullText::Auto).then(|| feed.full_text.as_str().to_string())),
        ("bitext:edition", (!feed.edition).then(|| "false".to_string())),
        ("bitext:translate", feed.translate.clone()),
        ("bitext:selector", feed.selector.clone()),
        ("bitext:keepDays", feed.keep_days.map(|n| n.to_string())),
        ("bitext:maxArticles", feed.max_articles.map(|n| n.to_string())),
    ];
    attrs.extend(optional.into_iter().filter_map(|(key, value)| Some((key, value?))));
    attrs.push(("bitext:name", feed.name.clone()));
    if let Some(lang) = &feed.source_lang
        && primary_language(lang).as_ref() != Some(lang)
    {
        attrs.push(("bitext:sourceLang", lang.clone()));
    }
    let mut back = Vec::new();
    push_tags(&mut back, category_tags(&category));
    if back != feed.tags {
        attrs.push(("bitext:tags", serde_json::to_string(&feed.tags).unwrap_or_default()));
    }
    attrs
}

/// `text` for an XML attribute value or element: `&<>"` as entities, tab and line feed as
/// spaces, other control characters (and U+FFFE, U+FFFF) dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(' '),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(url: &str, name: &str, tags: &[&str]) -> Subscription {
        let mut s = Subscription::new(url);
        s.name = name.to_string();
        s.tags = tags.iter().map(|t| t.to_string()).collect();
        s
    }

    #[test]
    fn nested_folders_become_tags() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>구독 목록</title></head>
  <body>
    <outline text="한국 뉴스" title="Korean news">
      <outline title="종합지">
        <outline type="rss" text="한겨레 전체기사" xmlUrl="https://www.hankyoreh-daily.example/rss/"/>
        <outline type="rss" text="경향신문" xmlurl="https://www.kyunghyang-daily.example/rss/rssdata/total_news.xml"
                 category="/News/Korea,politics, 한국 뉴스"/>
      </outline>
      <outline text="연합뉴스 최신기사" XMLURL="https://www.yonhap-wire.example/rss/news.xml" language="ko-KR"/>
      <outline text="빈 폴더"/>
      <outline type="link" text="한겨레 홈" url="https://www.hankyoreh-daily.example/"/>
    </outline>
    <outline text="日本のニュース">
      <outline type="atom" text="Google ニュース"
               xmlUrl="https://news-aggregator.example/rss/search?q=%E9%9F%93%E5%9B%BD&amp;hl=ja&#38;gl=JP"/>
    </outline>
  </body>
</opml>
"#;
        let got = parse_opml(text, "subs.opml").unwrap();
        let mut yna = sub("https://www.yonhap-wire.example/rss/news.xml", "연합뉴스-최신기사", &["한국 뉴스"]);
        yna.source_lang = Some("ko".into());
        let want = vec![
            sub("https://www.hankyoreh-daily.example/rss/", "한겨레-전체기사", &["한국 뉴스", "종합지"]),
            sub(
                "https://www.kyunghyang-daily.example/rss/rssdata/total_news.xml",
                "경향신문",
                &["한국 뉴스", "종합지", "News", "Korea", "politics"],
            ),
            yna,
            sub(
                "https://news-aggregator.example/rss/search?q=%E9%9F%93%E5%9B%BD&hl=ja&gl=JP",
                "google-ニュース",
                &["日本のニュース"],
            ),
        ];
        assert_eq!(got.feeds, want);
        assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    }

    #[test]
    fn a_language_that_is_not_a_tag_is_left_out_with_a_note() {
        let text = format!(
            r#"<opml version="2.0" xmlns:bitext="{NAMESPACE}"><body>
<outline text="A" xmlUrl="https://a.test/f" bitext:sourceLang="Korean" bitext:targetLang="EN"/>
</body></opml>"#
        );
        let got = parse_opml(&text, "subs.opml").unwrap();
        assert_eq!(got.feeds[0].source_lang, None);
        assert_eq!(got.feeds[0].target_lang.as_deref(), Some("en"));
        assert!(got.skipped.iter().any(|s| s.contains("\"Korean\" is not a BCP 47 language tag")), "{:?}", got.skipped);
    }

    #[test]
    fn opml_1_flat() {
        let text = r#"<?xml version="1.0"?>
<opml version="1.0">
<head><title>mySubscriptions</title></head>
<body>
<outline title="NHKニュース" text="NHK" type="rss" xmlUrl="https://www3.nhk-world.example/rss/news/cat0.xml" htmlUrl="https://www3.nhk-world.example/news/"/>
<outline title="朝日新聞デジタル" type="rss" xmlUrl="https://www.asahi-shimbun.example/rss/asahi/newsheadlines.rdf"/>
<outline title="Yonhap" type="RSS" url="https://en.yonhap-wire.example/RSS/news.xml"/>
<outline title="古い" type="rss" xmlUrl="ftp://example.org/feed.xml"/>
<outline title="again" type="rss" xmlUrl="https://www3.nhk-world.example/rss/news/cat0.xml"/>
</body>
</opml>"#;
        let got = parse_opml(text, "old.opml").unwrap();
        let want = vec![
            sub("https://www3.nhk-world.example/rss/news/cat0.xml", "nhkニュース", &[]),
            sub("https://www.asahi-shimbun.example/rss/asahi/newsheadlines.rdf", "朝日新聞デジタル", &[]),
            sub("https://en.yonhap-wire.example/RSS/news.xml", "yonhap", &[]),
        ];
        assert_eq!(got.feeds, want);
        assert_eq!(
            got.skipped,
            vec![
                "old.opml:8:1: ftp://example.org/feed.xml is not an http or https address; left out",
                "old.opml:9:1: https://www3.nhk-world.example/rss/news/cat0.xml is listed already (at 5:1); left out",
            ]
        );
    }

    fn varied() -> Vec<Subscription> {
        let full = Subscription {
            url: "https://news-aggregator.example/rss/search?q=%ED%95%9C%EA%B5%AD&hl=ko&gl=KR&ceid=KR:ko".into(),
            name: "구글-뉴스-한국".into(),
            source_lang: Some("ko".into()),
            target_lang: Some("en".into()),
            full_text: FullText::Always,
            edition: false,
            translate: Some("deepl".into()),
            selector: Some(r#"div[data-kind="기사"] > p:not(.ad)"#.into()),
            keep_days: Some(30),
            max_articles: Some(200),
            tags: vec!["한국 뉴스".into(), "경제".into()],
        };
        let mut odd = sub(
            "https://english.hankyoreh-daily.example/rss/?section=politics&lang=<en>",
            "Hankyoreh (English) & co",
            &["서울/경기", "a, b", "politics"],
        );
        odd.source_lang = Some("zh-Hant".into());
        odd.target_lang = Some("ja".into());
        odd.full_text = FullText::Never;
        vec![
            full,
            Subscription::new("https://www.yonhap-wire.example/rss/news.xml"),
            odd,
            sub("http://a.test/f", "ニュース", &["日本"]),
        ]
    }

    #[test]
    fn export_reads_back_the_same() {
        let feeds = varied();
        let text = export(&feeds, "bitext <구독> & more");
        let back = import(&text, "export.opml").unwrap();
        assert_eq!(back.feeds, feeds, "{text}");
        assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        assert_eq!(export(&feeds, "bitext <구독> & more"), text, "the same every time");
        assert!(text.contains(r#"category="서울/경기,a, b,politics""#), "{text}");
        assert!(text.contains("bitext:tags="), "{text}");
        assert!(text.contains(r#"bitext:sourceLang="zh-Hant""#), "{text}");
        assert!(!text.contains("dateCreated"), "{text}");
        // Defaults are left out.
        let plain_line = text.lines().find(|l| l.contains("www.yonhap-wire.example")).unwrap();
        assert_eq!(
            plain_line.trim(),
            r#"<outline type="rss" text="https://www.yonhap-wire.example/rss/news.xml" title="https://www.yonhap-wire.example/rss/news.xml" xmlUrl="https://www.yonhap-wire.example/rss/news.xml" bitext:name=""/>"#
        );

        // Well-formed, every value unescapes, no raw `&`.
        let mut reader = Reader::from_str(&text);
        let mut elements = 0;
        loop {
            match reader.read_event().unwrap() {
                Event::Start(t) | Event::Empty(t) => {
                    elements += 1;
                    for a in t.attributes() {
                        a.unwrap().normalized_value(XmlVersion::Implicit1_0).unwrap();
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(elements, 4 + feeds.len());
        for (i, _) in text.match_indices('&') {
            let rest = &text[i + 1..];
            assert!(["amp;", "lt;", "gt;", "quot;"].iter().any(|e| rest.starts_with(e)), "raw & at {i}: {text}");
        }
    }

    #[test]
    fn control_characters_are_not_written() {
        let text = export(&[sub("https://a.test/f", "a\u{1b}b\tc", &[])], "t\u{7}\nx");
        assert!(!text.chars().any(|c| c < ' ' && c != '\n'), "{text:?}");
        assert!(text.contains("<title>t x</title>") && text.contains(r#"bitext:name="ab c""#), "{text}");
    }

    #[test]
    fn malformed_opml_names_the_place() {
        let unclosed_quote = "<?xml version=\"1.0\"?>\n<opml version=\"2.0\">\n  <body>\n    <outline text=\"한국 뉴스\">\n      <outline xmlUrl=\"x>\n    </outline>\n  </body>\n</opml>\n";
        let e = parse_opml(unclosed_quote, "subs.opml").unwrap_err().to_string();
        assert!(e.starts_with("subs.opml:5:7: malformed XML: "), "{e}");

        let truncated =
            "<opml version=\"2.0\"><body>\n  <outline text=\"뉴스\">\n    <outline xmlUrl=\"https://a.test/f\"/>\n";
        let e = parse_opml(truncated, "subs.opml").unwrap_err().to_string();
        assert_eq!(e, "subs.opml:2:3: malformed XML: <outline> is not closed");

        let mismatched = "<opml>\n<body>\n<outline text=\"a\">\n</body>\n</opml>";
        let e = parse_opml(mismatched, "subs.opml").unwrap_err().to_string();
        assert!(e.starts_with("subs.opml:4:"), "{e}");

        let entity = "<opml>\n<body>\n<outline text=\"a\" xmlUrl=\"https://a.test/?a=1&b=2\"/>\n</body>\n</opml>";
        let e = parse_opml(entity, "subs.opml").unwrap_err().to_string();
        assert!(e.starts_with("subs.opml:3:27: malformed XML: in the value of xmlUrl"), "{e}");

        let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>";
        let e = parse_opml(rss, "feed.xml").unwrap_err().to_string();
        assert_eq!(e, "feed.xml:2:1: not an OPML file: the root element is <rss>, not <opml>");

        let empty = parse_opml("<opml><body><outline text=\"folder\"/></body></opml>", "e.opml").unwrap();
        assert!(empty.feeds.is_empty() && empty.skipped.is_empty());
    }

    #[test]
    fn bitext_attributes_under_any_bound_prefix() {
        let text = r#"<opml version="2.0" xmlns:bt="https://bitext.invalid/opml">
<body>
<outline text="Korea JoongAng Daily" xmlUrl="https://joongang-daily.example/xmls/joins"
  bt:KEEPDAYS="x" bt:fulltext="Always" bt:Edition="false" bt:maxArticles="0" bt:colour="red"
  other:name="nope" xmlns:other="https://other.test/"/>
</body>
</opml>"#;
        let got = parse_opml(text, "b.opml").unwrap();
        let mut want = sub("https://joongang-daily.example/xmls/joins", "korea-joongang-daily", &[]);
        want.full_text = FullText::Always;
        want.edition = false;
        assert_eq!(got.feeds, vec![want]);
        assert_eq!(
            got.skipped,
            vec![
                r#"b.opml:3:1: bt:KEEPDAYS="x" is not a number of days from 1; that option is left at its default"#,
                r#"b.opml:3:1: bt:maxArticles="0" is not a number of articles from 1; that option is left at its default"#,
                "b.opml:3:1: bt:colour is not an attribute bitext knows; ignored",
            ]
        );
    }

    #[test]
    fn newsboat_urls() {
        let text = concat!(
            "# my newsboat feeds\n",
            "\n",
            "https://www.hankyoreh-daily.example/rss/ 한국 \"한국 뉴스\" ~\"한겨레 전체기사\"\n",
            "   \t\n",
            "https://www3.nhk-world.example/rss/news/cat0.xml 日本 ! \"say \\\"hi\\\"\" # NHK\n",
            "\"query:안 읽음:unread = \\\"yes\\\"\" 한국\n",
            "file:///home/me/feed.xml\n",
            "exec:~/bin/feed.sh\n",
            "\"filter:~/bin/f.sh:https://a.test/f\"\n",
            "https://www.hankyoreh-daily.example/rss/ again\n",
            "https://a.test/f#top \"~Fragment Feed\" x x\r\n",
        );
        let got = parse_urls(text, "urls");
        let want = vec![
            sub("https://www.hankyoreh-daily.example/rss/", "한겨레-전체기사", &["한국", "한국 뉴스"]),
            sub("https://www3.nhk-world.example/rss/news/cat0.xml", "", &["日本", "say \"hi\""]),
            sub("https://a.test/f#top", "fragment-feed", &["x"]),
        ];
        assert_eq!(got.feeds, want);
        assert_eq!(
            got.skipped,
            vec![
                "urls:6: `query:` feeds are newsboat's own; left out",
                "urls:7: file:///home/me/feed.xml is not an http or https address; left out",
                "urls:8: `exec:` feeds run a command; left out",
                "urls:9: `filter:` feeds pass through a command; left out",
                "urls:10: https://www.hankyoreh-daily.example/rss/ is listed already (line 3); left out",
            ]
        );
    }

    #[test]
    fn import_tells_the_formats_apart() {
        let opml = "\u{feff}\n  \n<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\
<outline text=\"연합뉴스\" xmlUrl=\"https://www.yonhap-wire.example/rss/news.xml\"/></body></opml>";
        let got = import(opml, "a.opml").unwrap();
        assert_eq!(got.feeds, vec![sub("https://www.yonhap-wire.example/rss/news.xml", "연합뉴스", &[])]);
        let urls = "\u{feff}https://www.yonhap-wire.example/rss/news.xml 한국\n";
        let got = import(urls, "urls").unwrap();
        assert_eq!(got.feeds, vec![sub("https://www.yonhap-wire.example/rss/news.xml", "", &["한국"])]);
    }
}
