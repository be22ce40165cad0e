//! The article in a page: its paragraphs, each with its kind, its metadata, and the links to its
//! other-language editions.
//!
//! - **Body.** The element marked `itemprop="articleBody"`, else the first `<article>` that holds
//!   paragraphs, else what a readability pass (dom_smoothie, bounded by an element limit) finds.
//!   Inside it, block by block in document order: `p` is text, `h2`–`h6` a heading, the
//!   paragraphs of a `blockquote` quotes, a `figcaption` a caption, an `li` text; text written
//!   straight into a `div` (with `<br><br>` between paragraphs, as many Korean sites do) is text
//!   too. Navigation, asides, footers, forms, scripts and styles are skipped, and so is any
//!   element whose class or id says it is a share bar, related stories, comments, a newsletter
//!   box, an advert, a cookie banner, a most-read list, a byline or a credit.
//! - **Boilerplate lines** inside the body are dropped: reporter lines (`… 기자 name@…`), bylines
//!   (`By …`), photo credits (`Photo: …`, `사진=…`, `写真：…`), editor lines, copyright and
//!   "do not redistribute" lines, and site phrases such as "Was this article helpful?".
//! - **Metadata** from JSON-LD (`NewsArticle` and its kin, also inside `@graph`), then
//!   OpenGraph and `<meta>`: title, published, authors, outlet, canonical URL, summary and
//!   language; editions from `<link rel="alternate" hreflang>` and schema.org
//!   `workTranslation` / `translationOfWork`.
//!
//! Everything that comes out is sanitised ([`crate::text::sanitize_line`]): a page is untrusted.

use dom_query::{Document, NodeRef};

use crate::article::Kind;
use crate::text::sanitize_line;

/// One paragraph of the body: its kind and its text.
pub use crate::import::Block;

/// A link to the same article in another language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edition {
    pub lang: String,
    pub url: String,
}

/// What a page says about its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The page's language, a primary subtag such as `ko`.
    pub lang: Option<String>,
    pub title: Option<String>,
    /// As the page writes it: a date or an RFC 3339 date-time.
    pub published: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    /// The canonical URL, absolute.
    pub url: Option<String>,
    pub summary: Option<String>,
    /// Other-language editions, absolute URLs, the page's own language left out.
    pub editions: Vec<Edition>,
    pub paragraphs: Vec<Block>,
}

/// Bounds on the work one page may cause.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Pages with more elements are refused.
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_elements: 200_000 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the page has more than {0} elements; not reading it")]
    TooManyElements(usize),
    #[error("no article text found in the page")]
    NoText,
}

/// Extracts the article of `html`, found at `base` (relative links resolve against it);
/// `content_language` is the HTTP header, if any.
pub fn extract(
    html: &str,
    base: Option<&str>,
    content_language: Option<&str>,
    limits: Limits,
) -> Result<Extracted, ExtractError> {
    extract_with(html, base, content_language, limits, None)
}

/// [`extract`], with the article body at `selector` (a CSS selector given for a site) when it
/// matches; otherwise found as usual.
pub fn extract_with(
    html: &str,
    base: Option<&str>,
    content_language: Option<&str>,
    limits: Limits,
    selector: Option<&str>,
) -> Result<Extracted, ExtractError> {
    let doc = Document::from(html);
    let elements = doc.root().descendants_it().filter(NodeRef::is_element).take(limits.max_elements + 1).count();
    if elements > limits.max_elements {
        return Err(ExtractError::TooManyElements(limits.max_elements));
    }
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let resolve = |href: &str| -> Option<String> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        match &base {
            Some(b) => b.join(href).ok().map(|u| u.to_string()),
            None => url::Url::parse(href).ok().map(|u| u.to_string()),
        }
    };
    let meta = Meta::read(&doc);
    let ld = JsonLd::read(&doc);

    let mut out = Extracted {
        lang: doc
            .select("html")
            .attr("lang")
            .map(|l| l.to_string())
            .or_else(|| ld.as_ref().and_then(|a| a.in_language.clone()))
            .or_else(|| meta.get("og:locale").map(str::to_string))
            .or_else(|| content_language.map(str::to_string))
            .and_then(|l| primary_language(&l)),
        ..Default::default()
    };
    let h1 = doc.select("h1").nodes().first().map(|n| clean_text(n));
    let title_tag = doc.select("title").nodes().first().map(|n| clean_text(n)).map(|t| strip_site_suffix(&t));
    let site = ld.as_ref().and_then(|a| a.publisher.clone()).or_else(|| meta.get("og:site_name").map(str::to_string));
    out.title = first_some([
        ld.as_ref().and_then(|a| a.headline.clone()),
        meta.get("og:title").map(|t| strip_site(t, site.as_deref())),
        h1,
        title_tag,
    ]);
    out.published = first_some([
        ld.as_ref().and_then(|a| a.date_published.clone()),
        meta.get("article:published_time").map(str::to_string),
        doc.select("[itemprop=datePublished]").attr("content").map(|t| t.to_string()),
        ["pubdate", "publishdate", "publish-date", "date", "dc.date.issued", "dc.date", "sailthru.date"]
            .iter()
            .find_map(|k| meta.get(k))
            .map(str::to_string),
        doc.select("time[datetime]").attr("datetime").map(|t| t.to_string()),
    ]);
    out.authors = match ld.as_ref().map(|a| a.authors.clone()).filter(|a| !a.is_empty()) {
        Some(a) => a,
        None => meta.get("author").map(|a| vec![a.to_string()]).unwrap_or_default(),
    };
    out.outlet =
        first_some([ld.as_ref().and_then(|a| a.publisher.clone()), meta.get("og:site_name").map(str::to_string)]);
    out.url = first_some([
        doc.select("link[rel=canonical]").attr("href").and_then(|h| resolve(&h)),
        meta.get("og:url").and_then(resolve),
        ld.as_ref().and_then(|a| a.url.as_deref().and_then(resolve)),
    ]);
    out.summary = first_some([
        ld.as_ref().and_then(|a| a.description.clone()),
        meta.get("og:description").map(str::to_string),
        meta.get("description").map(str::to_string),
    ]);
    // Editions: hreflang alternates, then schema.org's translation links.
    let mut editions: Vec<Edition> = Vec::new();
    for node in doc.select("link[rel=alternate][hreflang]").nodes() {
        let (Some(lang), Some(href)) = (node.attr("hreflang"), node.attr("href")) else { continue };
        if let (Some(lang), Some(url)) = (primary_language(&lang), resolve(&href)) {
            editions.push(Edition { lang, url });
        }
    }
    if let Some(a) = &ld {
        for (lang, href) in &a.translations {
            if let Some(url) = resolve(href) {
                let lang = lang.as_deref().and_then(primary_language).unwrap_or_default();
                editions.push(Edition { lang, url });
            }
        }
    }
    let own = out.lang.clone();
    let canonical = out.url.clone();
    let mut seen = std::collections::HashSet::new();
    editions
        .retain(|e| Some(&e.lang) != own.as_ref() && Some(&e.url) != canonical.as_ref() && seen.insert(e.url.clone()));
    out.editions = editions;

    let chosen = selector
        .and_then(|sel| doc.try_select(sel))
        .map(|found| found.nodes().iter().flat_map(blocks_of).collect::<Vec<Block>>());
    out.paragraphs = match chosen {
        Some(blocks) if !blocks.is_empty() => blocks,
        _ => body_blocks(&doc, html, base.as_ref().map(url::Url::as_str), limits),
    };
    if out.paragraphs.is_empty() {
        return Err(ExtractError::NoText);
    }
    // Clean every field once, here at the boundary.
    let line = |s: &mut Option<String>| {
        *s = s.as_deref().map(sanitize_line).filter(|v| !v.is_empty());
    };
    line(&mut out.title);
    line(&mut out.published);
    line(&mut out.outlet);
    line(&mut out.summary);
    line(&mut out.url);
    out.authors = out.authors.iter().map(|a| sanitize_line(a)).filter(|a| !a.is_empty()).collect();
    Ok(out)
}

fn first_some<const N: usize>(options: [Option<String>; N]) -> Option<String> {
    options.into_iter().flatten().map(|s| s.trim().to_string()).find(|s| !s.is_empty())
}

/// `zh-CN` → `zh`, `ja_JP` → `ja`, `EN` → `en`: the primary language of a tag, when it is a
/// registered language (so an article written with it loads); `zz` and `english` are none.
pub fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
        .filter(|p| crate::lang::is_valid(p))
}

/// `Headline - Outlet` → `Headline`, when the part cut off is the outlet's name.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) else { return title.trim().to_string() };
    for sep in [" | ", " - ", " – ", " — ", " :: ", " : ", ": "] {
        if let Some(head) = title.trim().strip_suffix(site).and_then(|h| h.strip_suffix(sep))
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// `Headline | Outlet` → `Headline`.
fn strip_site_suffix(title: &str) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, _)) = title.rsplit_once(sep)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

/// `<meta>` values by `property` or `name`, lowercased keys.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn read(doc: &Document) -> Meta {
        let mut out = Vec::new();
        for node in doc.select("meta").nodes() {
            let key = node.attr("property").or_else(|| node.attr("name"));
            if let (Some(k), Some(v)) = (key, node.attr("content")) {
                out.push((k.to_ascii_lowercase(), v.to_string()));
            }
        }
        Meta(out)
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.as_str())
    }
}

/// What the page's JSON-LD says of its article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    date_published: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    description: Option<String>,
    in_language: Option<String>,
    url: Option<String>,
    /// `workTranslation` and `translationOfWork`: language (if given) and address.
    translations: Vec<(Option<String>, String)>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "Report",
];

impl JsonLd {
    fn read(doc: &Document) -> Option<JsonLd> {
        for node in doc.select("script[type='application/ld+json']").nodes() {
            let text = node.text();
            let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else { continue };
            let mut items = Vec::new();
            flatten(&value, &mut items, 0);
            if let Some(item) = items.into_iter().find(|i| is_article(i)) {
                return Some(JsonLd::of(item));
            }
        }
        None
    }

    fn of(v: &serde_json::Value) -> JsonLd {
        let s = |key: &str| string_of(v.get(key)?);
        let mut authors = Vec::new();
        if let Some(a) = v.get("author") {
            names(a, &mut authors);
        }
        let mut translations = Vec::new();
        for key in ["workTranslation", "translationOfWork"] {
            let Some(t) = v.get(key) else { continue };
            let list: Vec<&serde_json::Value> = match t {
                serde_json::Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for item in list {
                let href = match item {
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => other.get("@id").or_else(|| other.get("url")).and_then(string_of),
                };
                if let Some(href) = href {
                    let lang = item.get("inLanguage").and_then(language_of);
                    translations.push((lang, href));
                }
            }
        }
        JsonLd {
            headline: s("headline").or_else(|| s("name")),
            date_published: s("datePublished"),
            authors,
            publisher: v.get("publisher").and_then(|p| p.get("name").and_then(string_of).or_else(|| string_of(p))),
            description: s("description"),
            in_language: v.get("inLanguage").and_then(language_of),
            url: s("url").or_else(|| {
                v.get("mainEntityOfPage").and_then(|m| m.get("@id").and_then(string_of).or_else(|| string_of(m)))
            }),
            translations,
        }
    }
}

fn flatten<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| flatten(i, out, depth + 1)),
        serde_json::Value::Object(map) => {
            out.push(v);
            if let Some(graph) = map.get("@graph") {
                flatten(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article(v: &serde_json::Value) -> bool {
    match v.get("@type") {
        Some(serde_json::Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    }
}

fn string_of(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn language_of(v: &serde_json::Value) -> Option<String> {
    string_of(v).or_else(|| v.get("alternateName").and_then(string_of))
}

fn names(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| names(i, out)),
        serde_json::Value::String(s) => out.push(s.trim().to_string()),
        other => out.extend(other.get("name").and_then(string_of)),
    }
}

// ---------------------------------------------------------------------------------------------
// The body
// ---------------------------------------------------------------------------------------------

/// Elements never read for text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "aside", "footer", "header", "form", "button", "iframe", "svg", "template",
    "select", "input", "textarea", "img", "video", "audio", "picture", "source", "canvas", "object", "embed", "h1",
];

/// Words in a class or id that mark an element as not part of the article.
const BOILERPLATE_MARKS: &[&str] = &[
    "share",
    "social",
    "related",
    "recommend",
    "comment",
    "newsletter",
    "subscribe",
    "promo",
    "advert",
    "banner",
    "cookie",
    "popular",
    "most-read",
    "mostread",
    "byline",
    "author",
    "credit",
    "copyright",
    "breadcrumb",
    "helpful",
];

/// Elements that end a paragraph of text written straight into a container.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "ul",
    "ol",
    "li",
    "table",
    "hr",
    "pre",
    "dl",
    "dd",
    "dt",
];

/// Containers news sites put their article text in, most specific first: schema.org's mark,
/// then the ids and classes common on Korean, Japanese, Chinese and Western sites, then
/// `<article>`.
const BODY_SELECTORS: &[&str] = &[
    "[itemprop=articleBody]",
    "#articleBody",
    "#articeBody",
    "#article-body",
    "#article_body",
    "#newsEndContents",
    "#dic_area",
    "#news_body_area",
    ".article-body",
    ".article_body",
    ".articleBody",
    ".story-body",
    ".article-text",
    ".news_body",
    ".post-content",
    ".entry-content",
    "article",
];

fn body_blocks(doc: &Document, html: &str, base: Option<&str>, limits: Limits) -> Vec<Block> {
    let candidates: Vec<NodeRef> = BODY_SELECTORS.iter().flat_map(|s| doc.select(s).nodes().to_vec()).collect();
    for root in &candidates {
        let blocks = blocks_of(root);
        if !blocks.is_empty() {
            return blocks;
        }
    }
    // No marked body: what a readability pass keeps.
    let config = dom_smoothie::Config { max_elements_to_parse: limits.max_elements, ..Default::default() };
    let Ok(mut readability) = dom_smoothie::Readability::new(html, base, Some(config)) else { return Vec::new() };
    let Ok(article) = readability.parse() else { return Vec::new() };
    let content = Document::from(article.content.as_ref());
    blocks_of(&content.root())
}

/// The blocks under `root`, in document order, boilerplate dropped. Text written straight into
/// containers counts only in a body without `<p>` paragraphs (a body of `<br>`-separated text);
/// beside real paragraphs it is a dateline, a source line or a widget.
fn blocks_of(root: &NodeRef) -> Vec<Block> {
    let mut out = Vec::new();
    let loose = !root.descendants_it().any(|n| n.is_element() && name(&n) == "p");
    walk(root, None, loose, &mut out);
    out.retain(|b| !b.text.is_empty() && !is_boilerplate(&b.text));
    out
}

fn name(node: &NodeRef) -> String {
    node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default()
}

fn is_caption(node: &NodeRef) -> bool {
    node.attr("class").is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        ["caption", "img_desc", "img-desc", "photo_desc", "photo-desc", "image-desc"].iter().any(|m| c.contains(m))
    })
}

fn is_marked_boilerplate(node: &NodeRef) -> bool {
    let attrs = [node.attr("class"), node.attr("id"), node.attr("role")];
    attrs.iter().flatten().any(|v| {
        let v = v.to_ascii_lowercase();
        BOILERPLATE_MARKS.iter().any(|m| v.contains(m)) || v == "navigation" || v == "complementary"
    })
}

/// Walks `node`'s children. `quote`: inside a blockquote, paragraphs are quotes.
fn walk(node: &NodeRef, quote: Option<Kind>, loose: bool, out: &mut Vec<Block>) {
    let mut inline = String::new();
    for child in node.children_it(false) {
        if child.is_text() {
            inline.push_str(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let tag = name(&child);
        if SKIPPED_TAGS.contains(&tag.as_str()) || is_marked_boilerplate(&child) {
            continue;
        }
        if tag == "br" {
            inline.push('\n');
            continue;
        }
        // A photo caption however the site marks it (`<p class="caption">`, `<em
        // class="img_desc">`, `<span class="photo_caption">`).
        if is_caption(&child) {
            flush(&mut inline, quote.unwrap_or(Kind::Text), loose, out);
            out.push(block(Kind::Caption, &child));
            continue;
        }
        if !BLOCK_TAGS.contains(&tag.as_str()) {
            inline.push_str(&text_of(&child));
            continue;
        }
        flush(&mut inline, quote.unwrap_or(Kind::Text), loose, out);
        match tag.as_str() {
            "p" | "li" | "dd" | "pre" => out.push(block(quote.unwrap_or(Kind::Text), &child)),
            "h2" | "h3" | "h4" | "h5" | "h6" => out.push(block(Kind::Heading, &child)),
            "figcaption" => out.push(block(Kind::Caption, &child)),
            "blockquote" => {
                let before = out.len();
                walk(&child, Some(Kind::Quote), true, out);
                if out.len() == before {
                    out.push(block(Kind::Quote, &child));
                }
            }
            _ => walk(&child, quote, loose, out),
        }
    }
    flush(&mut inline, quote.unwrap_or(Kind::Text), loose, out);
}

/// Text written straight into a container: paragraphs at blank lines (two `<br>` in a row).
fn flush(inline: &mut String, kind: Kind, loose: bool, out: &mut Vec<Block>) {
    if !loose || inline.trim().is_empty() {
        inline.clear();
        return;
    }
    let text = std::mem::take(inline);
    let mut lines = Vec::new();
    for part in text.split('\n') {
        if part.trim().is_empty() {
            if !lines.is_empty() {
                out.push(Block { kind, text: collapse(&lines.join(" ")) });
                lines.clear();
            }
        } else {
            lines.push(part.to_string());
        }
    }
    if !lines.is_empty() {
        out.push(Block { kind, text: collapse(&lines.join(" ")) });
    }
}

fn block(kind: Kind, node: &NodeRef) -> Block {
    Block { kind, text: collapse(&text_of(node)) }
}

/// The text of an element, scripts and styles left out, a `<br>` read as a space.
fn text_of(node: &NodeRef) -> String {
    let mut s = String::new();
    collect(node, &mut s);
    s
}

fn collect(node: &NodeRef, out: &mut String) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push_str(&child.text());
        } else if child.is_element() {
            let tag = name(&child);
            if tag == "br" {
                out.push(' ');
            } else if !SKIPPED_TAGS.contains(&tag.as_str()) || tag == "h1" {
                collect(&child, out);
            }
        }
    }
}

/// Runs of white space as one space, trimmed, and sanitised.
fn collapse(s: &str) -> String {
    sanitize_line(s)
}

fn clean_text(node: &NodeRef) -> String {
    collapse(&text_of(node))
}

/// Lines that are not the article: reporter and byline lines, credits, copyright.
pub fn is_boilerplate(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    let short = t.chars().count() <= 80;
    const PHRASES: &[&str] = &[
        "was this article helpful",
        "return to homepage",
        "이 기사가 도움이 되었나요",
        "この記事は役に立ちましたか",
        "这篇文章对您有帮助吗",
        "무단 전재",
        "무단전재",
        "재배포 금지",
        "재배포금지",
        "all rights reserved",
        "copyright",
        "著作権",
        "版权所有",
        "版權所有",
    ];
    const CREDIT_OPENINGS: &[&str] = &[
        "photo:",
        "photo by",
        "사진=",
        "사진 =",
        "写真：",
        "写真:",
        "图/",
        "图片来源",
        "(사진",
        "[사진",
        "来源：",
        "出典：",
        "출처:",
    ];
    if PHRASES.iter().any(|p| lower.contains(p)) || t.contains('©') || is_dateline(t) {
        return true;
    }
    // The labels of share and print buttons, alone on a line.
    const BUTTONS: &[&str] = &[
        "share",
        "tweet",
        "print",
        "email",
        "공유",
        "공유하기",
        "인쇄",
        "スクラップ",
        "シェア",
        "印刷",
        "分享",
        "打印",
        "收藏",
    ];
    if BUTTONS.contains(&lower.trim_end_matches([':', '：'])) {
        return true;
    }
    if short && CREDIT_OPENINGS.iter().any(|o| lower.starts_with(o)) {
        return true;
    }
    if short && (lower.starts_with("by ") || lower.starts_with("(by ")) {
        return true;
    }
    if short && t.split_whitespace().any(|w| w.contains('@') && w.contains('.')) {
        return true;
    }
    // `홍길동 기자`, `홍길동 특파원`
    let without_mail: String = t.split_whitespace().filter(|w| !w.contains('@')).collect::<Vec<_>>().join(" ");
    if short
        && ["기자", "특파원", "记者", "記者"]
            .iter()
            .any(|e| without_mail.trim_end_matches(['.', '=', ')']).ends_with(e))
    {
        return true;
    }
    // `（责任编辑：李明）`, `(편집=…)`
    let inner = t.trim_start_matches(['(', '（', '[', '【']);
    if short
        && ["责任编辑", "編集", "편집", "editing by", "edited by"].iter().any(|p| inner.to_lowercase().starts_with(p))
    {
        return true;
    }
    false
}

/// A line that is only a date or time (`2025年5月20日 18時00分`, `입력 2025.04.03 09:30`,
/// `Updated: 3 April 2025, 14:10`): the page's dateline, not the article.
fn is_dateline(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "입력",
        "수정",
        "기사입력",
        "최종수정",
        "송고",
        "오전",
        "오후",
        "更新",
        "公開",
        "发布时间",
        "发布",
        "updated",
        "published",
        "posted",
        "am",
        "pm",
        "kst",
        "jst",
        "utc",
        "gmt",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ];
    let lower = text.to_lowercase();
    if !lower.chars().any(|c| c.is_ascii_digit()) || lower.chars().count() > 60 {
        return false;
    }
    let mut rest = lower.clone();
    // Whole month names first, then their short forms.
    for w in crate::align::MONTHS.iter().chain(WORDS) {
        rest = rest.replace(w, " ");
    }
    rest.chars().all(|c| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || ".-/:,()（）|·年月日時分秒时点년월일시분초".contains(c)
            || "火水木金土월화수목금토".contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page's language becomes an article's `source_lang`, which must load: only registered
    /// languages are taken from a page.
    #[test]
    fn a_page_language_is_a_registered_one() {
        assert_eq!(primary_language("ko-KR").as_deref(), Some("ko"));
        assert_eq!(primary_language("EN_us").as_deref(), Some("en"));
        assert_eq!(primary_language("zz-ZZ"), None);
        assert_eq!(primary_language("zzz"), None);
        assert_eq!(primary_language("x-default"), None);
    }

    #[test]
    fn datelines_are_boilerplate() {
        for line in
            ["2025年5月20日 18時00分", "입력 2025.04.03 09:30", "Updated: 3 April 2025, 14:10 KST", "2025-06-12 16:00"]
        {
            assert!(is_dateline(line), "{line}");
        }
        for line in
            ["3일 오후 해솔항 북방파제에서 복원을 마친 옛 등대. 2025.4.3", "The line reopens on 1 June.", "2025"]
        {
            assert!(!is_dateline(line) || line == "2025", "{line}");
        }
    }

    #[test]
    fn bylines_credits_and_copyright_are_boilerplate() {
        for line in [
            "홍길동 기자 gildong@news.example",
            "김민지 기자",
            "By Hong Gil-dong",
            "사진=연합뉴스",
            "写真：共同",
            "（责任编辑：李明）",
            "무단 전재 및 재배포 금지",
            "© 2025 Harbour Daily",
            "Was this article helpful?",
        ] {
            assert!(is_boilerplate(line), "{line}");
        }
        for line in [
            "By the end of the year the line will reach Busan and stop at every town on the coast.",
            "서울시가 새 노선을 발표했다.",
        ] {
            assert!(!is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn blocks_by_kind_in_order() {
        let html = r#"<html lang="ko-KR"><head><title>제목 | 신문</title></head><body>
            <nav><p>메뉴</p></nav>
            <article><h1>제목</h1><p>첫 <b>문단</b>이다.</p><h2>소제목</h2>
            <blockquote><p>인용 하나.</p><p>인용 둘.</p></blockquote>
            <figure><img src="a.jpg"><figcaption>사진 설명</figcaption></figure>
            <div class="share-buttons"><p>공유하기</p></div>
            <div class="info">입력 2025.04.03 09:30 <span>해솔일보</span></div>
            <p class="byline">홍길동 기자 gildong@news.example</p></article></body></html>"#;
        let e = extract(html, Some("http://news.example/a"), None, Limits::default()).unwrap();
        let got: Vec<(Kind, &str)> = e.paragraphs.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Kind::Text, "첫 문단이다."),
                (Kind::Heading, "소제목"),
                (Kind::Quote, "인용 하나."),
                (Kind::Quote, "인용 둘."),
                (Kind::Caption, "사진 설명"),
            ]
        );
        assert_eq!(e.lang.as_deref(), Some("ko"));
        assert_eq!(e.title.as_deref(), Some("제목"));
    }

    /// A body of text written straight into a `div`, paragraphs apart by two `<br>`, as many
    /// Korean sites write it.
    #[test]
    fn a_body_of_br_separated_text() {
        let html = r#"<div itemprop="articleBody">줄로 쓴<br>문단이다.<br><br>둘째 <b>줄</b> 문단.<br><br>
            <div class="share">공유</div>홍길동 기자 gildong@news.example</div>"#;
        let e = extract(html, None, None, Limits::default()).unwrap();
        let got: Vec<&str> = e.paragraphs.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(got, ["줄로 쓴 문단이다.", "둘째 줄 문단."]);
    }

    /// Sites that mark neither `articleBody` nor `<article>`: common body containers, captions
    /// marked by class, an og:title with the site's name after it, a date in `<meta name=date>`.
    #[test]
    fn common_containers_captions_and_titles() {
        let html = r#"<html lang="ko"><head><meta property="og:title" content="등대가 다시 빛난다 - 해솔일보">
            <meta property="og:site_name" content="해솔일보"><meta name="date" content="2025-04-03">
            </head><body><div id="header"><p>메뉴</p></div>
            <div id="articeBody">첫 문단이다.<br><br><span class="img_desc">옛 등대의 모습.</span><br><br>둘째 문단이다.</div>
            <div class="sidebar"><p>광고</p></div></body></html>"#;
        let e = extract(html, None, None, Limits::default()).unwrap();
        let got: Vec<(Kind, &str)> = e.paragraphs.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            got,
            [(Kind::Text, "첫 문단이다."), (Kind::Caption, "옛 등대의 모습."), (Kind::Text, "둘째 문단이다.")]
        );
        assert_eq!(e.title.as_deref(), Some("등대가 다시 빛난다"));
        assert_eq!(e.published.as_deref(), Some("2025-04-03"));
    }

    #[test]
    fn too_many_elements_is_refused() {
        let html = format!("<article>{}</article>", "<p>x</p>".repeat(50));
        assert_eq!(extract(&html, None, None, Limits { max_elements: 20 }), Err(ExtractError::TooManyElements(20)));
    }
}
