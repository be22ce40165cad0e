//! A fetched feed as bitext uses it: RSS 0.9x/1.0/2.0, Atom and JSON Feed, read by `feed-rs`
//! in whatever encoding the document declares (the XML prolog; the HTTP charset or a detector
//! when it declares none), relative links resolved against the feed's address and `xml:base`.
//! Every string that leaves this module is sanitised.

use crate::text::sanitize_line;

/// One item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What the item is known by: its GUID, else its normalised link (see [`key_of`]).
    pub key: String,
    /// The article's address, absolute.
    pub link: Option<String>,
    pub title: Option<String>,
    /// The item's full content, as HTML (`content:encoded`, Atom `<content>`, `content_html`).
    pub content: Option<String>,
    /// Its summary or description, as HTML.
    pub summary: Option<String>,
    /// RFC 3339.
    pub published: Option<String>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
}

/// A feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub title: Option<String>,
    /// Its language, a primary subtag such as `ko`.
    pub lang: Option<String>,
    pub items: Vec<Item>,
}

/// A text-only content type (`text/plain`) is escaped to HTML, so every body is HTML.
fn as_html(body: &str, content_type: &str) -> String {
    if content_type.starts_with("text/plain") {
        let escaped = body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        escaped.split("\n\n").map(|p| format!("<p>{p}</p>")).collect()
    } else {
        body.to_string()
    }
}

/// Parses `bytes` fetched from `url` (its `Content-Type` header, if any).
pub fn parse(bytes: &[u8], content_type: Option<&str>, url: &str) -> Result<Feed, String> {
    let bytes = to_declared_encoding(bytes, content_type);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        // An item without a GUID gets none: it is known by its link, never by a hash of its
        // title (a feed that edits a headline must not make a second article).
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser.parse(&bytes[..]).map_err(|e| describe(&e))?;
    let lang = feed.language.as_deref().and_then(crate::web::extract::primary_language);
    let items = feed
        .entries
        .into_iter()
        .filter_map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .and_then(|l| absolute(&l.href, e.base.as_deref().or(Some(url))));
            let key = key_of(&e.id, link.as_deref())?;
            let content = e.content.as_ref().and_then(|c| {
                c.body.as_deref().filter(|b| !b.trim().is_empty()).map(|b| as_html(b, c.content_type.as_str()))
            });
            let summary = e
                .summary
                .as_ref()
                .filter(|s| !s.content.trim().is_empty())
                .map(|s| as_html(&s.content, s.content_type.as_str()));
            Some(Item {
                key,
                link,
                title: e.title.map(|t| sanitize_line(&html_text(&t.content))).filter(|t| !t.is_empty()),
                content,
                summary,
                published: e.published.or(e.updated).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                authors: e
                    .authors
                    .iter()
                    .filter_map(|p| p.name.as_deref().map(sanitize_line))
                    .filter(|n| !n.is_empty())
                    .collect(),
                lang: e.language.as_deref().and_then(crate::web::extract::primary_language),
            })
        })
        .collect();
    Ok(Feed { title: feed.title.map(|t| sanitize_line(&html_text(&t.content))).filter(|t| !t.is_empty()), lang, items })
}

/// The text of a bit of HTML (titles may carry entities and tags).
fn html_text(s: &str) -> String {
    if s.contains(['<', '&']) { dom_query::Document::fragment(s).root().text().to_string() } else { s.to_string() }
}

/// `href` made absolute against `base`; only http(s) addresses are kept.
fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    let u = match base.and_then(|b| url::Url::parse(b).ok()) {
        Some(b) => b.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// An item's key: its GUID as given, else `link:` and its normalised link; none without either.
pub fn key_of(guid: &str, link: Option<&str>) -> Option<String> {
    let guid = guid.trim();
    if !guid.is_empty() {
        return Some(sanitize_line(guid));
    }
    link.map(|l| format!("link:{}", normalise_link(l)))
}

/// A link as the same article's other spellings write it: no fragment, no tracking
/// parameters (`utm_*`, `fbclid`, `gclid`), scheme and host in lower case (the URL parser
/// does that), no trailing `?`.
pub fn normalise_link(link: &str) -> String {
    let Ok(mut u) = url::Url::parse(link.trim()) else { return link.trim().to_string() };
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && k != "fbclid" && k != "gclid")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    u.to_string()
}

/// feed-rs reads the encoding from the XML prolog. A document that declares none and is not
/// UTF-8 is decoded here (HTTP charset, else a detector) and handed over as UTF-8.
fn to_declared_encoding<'a>(bytes: &'a [u8], content_type: Option<&str>) -> std::borrow::Cow<'a, [u8]> {
    let head = &bytes[..bytes.len().min(200)];
    let declares = head.starts_with(b"<?xml")
        && head.split(|&b| b == b'>').next().is_some_and(|p| p.windows(8).any(|w| w.eq_ignore_ascii_case(b"encoding")));
    if declares || std::str::from_utf8(bytes).is_ok() {
        return bytes.into();
    }
    let decoded = crate::web::decode::decode(bytes, content_type, None);
    decoded.text.into_bytes().into()
}

/// feed-rs's error as one line.
fn describe(e: &feed_rs::parser::ParseFeedError) -> String {
    format!("not a feed bitext can read (RSS, Atom or JSON Feed): {}", crate::text::sanitize_line(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lose_fragments_and_trackers() {
        assert_eq!(normalise_link("HTTPS://News.Test/a/1?utm_source=rss&id=4#top"), "https://news.test/a/1?id=4");
        assert_eq!(normalise_link("https://news.test/a?utm_medium=x"), "https://news.test/a");
    }

    #[test]
    fn an_item_without_guid_is_known_by_its_link_not_its_title() {
        let rss = |title: &str| {
            format!(
                "<rss version=\"2.0\"><channel><title>T</title><item><title>{title}</title>\
                 <link>https://n.test/a?utm_source=x</link></item></channel></rss>"
            )
        };
        let a = parse(rss("First headline").as_bytes(), None, "https://n.test/feed").unwrap();
        let b = parse(rss("Edited headline").as_bytes(), None, "https://n.test/feed").unwrap();
        assert_eq!(a.items[0].key, "link:https://n.test/a");
        assert_eq!(a.items[0].key, b.items[0].key);
    }

    #[test]
    fn an_undeclared_legacy_encoding_is_decoded() {
        // EUC-KR bytes of 서울 with no encoding in the prolog, charset in the header.
        let mut doc = b"<rss version=\"2.0\"><channel><title>".to_vec();
        doc.extend_from_slice(&[0xbc, 0xad, 0xbf, 0xef]);
        doc.extend_from_slice(b"</title><language>ko-KR</language></channel></rss>");
        let feed = parse(&doc, Some("application/rss+xml; charset=euc-kr"), "https://n.test/").unwrap();
        assert_eq!(feed.title.as_deref(), Some("서울"));
        assert_eq!(feed.lang.as_deref(), Some("ko"));
    }

    #[test]
    fn controls_in_titles_are_removed() {
        let rss = "<rss version=\"2.0\"><channel><title>A&#x1b;[31mB</title></channel></rss>";
        let feed = parse(rss.as_bytes(), None, "https://n.test/").unwrap();
        assert!(!feed.title.unwrap().contains('\u{1b}'));
    }

    #[test]
    fn garbage_is_an_error() {
        let e = parse(b"<html><body>not a feed</body></html>", None, "https://n.test/").unwrap_err();
        assert!(e.contains("feed"), "{e}");
    }
}
