//! `bitext import`: plain text or Markdown in, an aligned `[[paragraphs]]` article out.

use serde::Serialize;

use crate::align::{self, Bead, Summary};
use crate::article::Kind;
use crate::text::{sanitize, sanitize_line, unfold_paragraph};

/// One paragraph of an imported text, with what it looks like.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    pub kind: Kind,
    pub text: String,
}

/// Splits a plain-text or Markdown document into paragraphs at blank lines.
///
/// - A Markdown heading (`# …`) or an underlined heading (`===`, `---`) is its own paragraph of
///   kind heading, even without a blank line after it; so is a short line standing alone whose
///   neighbours are paragraphs and which ends without sentence punctuation.
/// - A Markdown image (`![alt](…)`) or a line opening like a photo caption (`Photo:`, `사진`,
///   `写真`, `图为` …) is its own paragraph of kind caption.
/// - A block of `>` lines is a quote.
/// - Markdown emphasis and link syntax are removed; the words stay.
///
/// Everything else, including the junk pasted web pages carry ("Share", "Was this article
/// helpful?"), becomes an ordinary paragraph.
pub fn split_document(input: &str) -> Vec<Block> {
    let text = sanitize(input);
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let flush = |current: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if current.is_empty() {
            return;
        }
        let quote = current.iter().all(|l| l.trim_start().starts_with('>'));
        let joined: Vec<String> = current
            .iter()
            .map(|l| if quote { l.trim_start().trim_start_matches('>').trim().to_string() } else { l.to_string() })
            .collect();
        let para = clean_markdown(&unfold_paragraph(&joined.join("\n")));
        if !para.is_empty() {
            let kind = if quote {
                Kind::Quote
            } else if looks_like_caption(&para) {
                Kind::Caption
            } else {
                Kind::Text
            };
            blocks.push(Block { kind, text: para });
        }
        current.clear();
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut current, &mut blocks);
        } else if let Some(h) = markdown_heading(trimmed) {
            flush(&mut current, &mut blocks);
            if !h.is_empty() {
                blocks.push(Block { kind: Kind::Heading, text: h });
            }
        } else if current.is_empty() && lines.get(i + 1).is_some_and(|next| is_underline(next.trim())) {
            blocks.push(Block { kind: Kind::Heading, text: clean_markdown(trimmed) });
            i += 1;
        } else if let Some(alt) = markdown_image(trimmed) {
            flush(&mut current, &mut blocks);
            if !alt.is_empty() {
                blocks.push(Block { kind: Kind::Caption, text: alt });
            }
        } else {
            current.push(line);
        }
        i += 1;
    }
    flush(&mut current, &mut blocks);
    mark_plain_headings(&mut blocks);
    blocks
}

fn markdown_heading(line: &str) -> Option<String> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Some(clean_markdown(line[hashes..].trim().trim_end_matches('#').trim()))
    } else {
        None
    }
}

fn is_underline(line: &str) -> bool {
    line.len() >= 3 && (line.chars().all(|c| c == '=') || line.chars().all(|c| c == '-'))
}

fn markdown_image(line: &str) -> Option<String> {
    let rest = line.strip_prefix("![")?;
    let end = rest.find("](")?;
    rest.ends_with(')').then(|| clean_markdown(&rest[..end]))
}

/// Photo captions and credits, in the languages news comes in.
pub fn looks_like_caption(text: &str) -> bool {
    const OPENINGS: &[&str] = &[
        "photo:",
        "photo :",
        "photo by",
        "photograph:",
        "image:",
        "caption:",
        "foto:",
        "bild:",
        "фото:",
        "фото ",
        "사진=",
        "사진 =",
        "(사진",
        "[사진",
        "사진 설명",
        "▲",
        "写真=",
        "写真＝",
        "写真：",
        "사진＝",
        "【写真",
        "（写真",
        "图为",
        "图：",
        "（图",
        "圖為",
        "照片：",
    ];
    let lower = text.trim().to_lowercase();
    crate::text::width(text) <= 240 && OPENINGS.iter().any(|o| lower.starts_with(o))
}

/// A one-line paragraph, short, without sentence-ending punctuation, between two longer
/// paragraphs, is a subheading.
fn mark_plain_headings(blocks: &mut [Block]) {
    for i in 1..blocks.len() {
        let b = &blocks[i];
        let next_is_text = blocks
            .get(i + 1)
            .is_some_and(|n| n.kind == Kind::Text && n.text.chars().count() > b.text.chars().count() * 2);
        let ends_like_sentence =
            b.text.ends_with(['.', '!', '?', '。', '！', '？', '…', ':', '：', ',', '，', '"', '”', '»', ')']);
        if b.kind == Kind::Text && next_is_text && !ends_like_sentence && crate::text::width(&b.text) <= 60 {
            blocks[i].kind = Kind::Heading;
        }
    }
}

/// Removes Markdown emphasis and link syntax, keeping the words.
fn clean_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match (after.find("]("), after.find(']')) {
            (Some(close), Some(first_close)) if close == first_close => {
                let link_end = after[close + 2..].find(')').map(|e| close + 2 + e);
                if let Some(end) = link_end {
                    out.push_str(&rest[..open]);
                    out.push_str(&after[..close]);
                    rest = &after[end + 1..];
                    continue;
                }
                out.push_str(&rest[..=open]);
                rest = after;
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out = out.replace("**", "").replace("__", "").replace('`', "");
    out.trim().to_string()
}

/// How a plain text separates its paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Paragraphs {
    /// Decide from the text: one paragraph per line when it has no blank line at all.
    #[default]
    Auto,
    /// Blank lines between paragraphs.
    Blank,
    /// One paragraph per line.
    Lines,
}

/// One side of an import, read: its paragraphs, and what it said about itself (an HTML page's
/// metadata, a Markdown file's front matter, bylines found in the text). The same record a web
/// page gives.
pub use crate::web::extract::Extracted as Side;

/// Reads one side of an import: an HTML page is extracted as `bitext add` extracts pages; a
/// Markdown file's `---` front matter is read as metadata; the rest is split into paragraphs
/// (at blank lines, or one per line), and bylines and credit lines leave the body (a `By …`
/// line or a reporter line gives the author).
pub fn read_side(input: &str, paragraphs: Paragraphs) -> Side {
    if looks_like_html(input)
        && let Ok(e) = crate::web::extract::extract(input, None, None, crate::web::extract::Limits::default())
    {
        return e;
    }
    let (front, body) = front_matter(input);
    let mut side = Side::default();
    for (k, v) in front {
        match k.as_str() {
            "title" | "headline" => side.title = Some(v),
            "date" | "published" => side.published = Some(v),
            "author" | "authors" | "by" => side.authors.extend(v.split(',').map(|a| a.trim().to_string())),
            "outlet" | "source" | "publisher" | "site" => side.outlet = Some(v),
            "url" | "link" | "canonical" => side.url = Some(v),
            "summary" | "description" => side.summary = Some(v),
            "lang" | "language" => side.lang = Some(v),
            _ => {}
        }
    }
    let lines_mode = match paragraphs {
        Paragraphs::Lines => true,
        Paragraphs::Blank => false,
        Paragraphs::Auto => {
            let lines: Vec<&str> = body.trim().lines().collect();
            lines.len() >= 3 && lines.iter().all(|l| !l.trim().is_empty())
        }
    };
    let text = if lines_mode { body.lines().collect::<Vec<_>>().join("\n\n") } else { body.to_string() };
    for block in split_document(&text) {
        if let Some(author) = byline_author(&block.text) {
            side.authors.push(author);
        } else if !is_credit(&block.text) {
            side.paragraphs.push(block);
        }
    }
    let mut seen = std::collections::HashSet::new();
    side.authors.retain(|a| !a.is_empty() && seen.insert(a.clone()));
    side
}

/// Whether a text is an HTML page rather than plain text or Markdown.
fn looks_like_html(input: &str) -> bool {
    let head = input.trim_start_matches('\u{feff}').trim_start();
    let lower: String = head.chars().take(512).collect::<String>().to_lowercase();
    lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || (lower.starts_with('<') && (lower.contains("<p") || lower.contains("<article") || lower.contains("<body")))
}

/// A Markdown file's `---` front matter as `key: value` pairs (keys lowercased, quotes and list
/// dashes removed), and the text after it.
pub fn front_matter(input: &str) -> (Vec<(String, String)>, &str) {
    let text = input.trim_start_matches('\u{feff}');
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (Vec::new(), text);
    };
    let Some(end) = rest.find("\n---") else { return (Vec::new(), text) };
    let block = &rest[..end];
    let after = rest[end + 4..].trim_start_matches(['-']).trim_start_matches(['\r', '\n']);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        let trimmed = line.trim();
        if let Some(item) = trimmed.strip_prefix("- ")
            && let Some((_, v)) = pairs.last_mut()
        {
            if !v.is_empty() {
                v.push_str(", ");
            }
            v.push_str(item.trim().trim_matches(['"', '\'']));
            continue;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            let v = v.trim().trim_matches(['"', '\'']).trim_start_matches('[').trim_end_matches(']');
            let v = v.split(',').map(|p| p.trim().trim_matches(['"', '\''])).collect::<Vec<_>>().join(", ");
            pairs.push((k.trim().to_lowercase(), sanitize_line(&v)));
        }
    }
    (pairs, after)
}

/// The author named by a byline (`By Kim Su-a`, `김수아 기자 sua@…`), if the line is one.
fn byline_author(text: &str) -> Option<String> {
    let t = text.trim();
    if t.chars().count() > 80 {
        return None;
    }
    if let Some(rest) = t.strip_prefix("By ").or_else(|| t.strip_prefix("by ")) {
        let name = rest.split(['|', ',', '(']).next().unwrap_or(rest).trim();
        return (!name.is_empty() && name.split_whitespace().count() <= 5).then(|| name.to_string());
    }
    let words: Vec<&str> = t.split_whitespace().filter(|w| !w.contains('@')).collect();
    match words.as_slice() {
        [name, "기자"] | [name, "특파원"] => Some(name.to_string()),
        _ => None,
    }
}

/// Credit and boilerplate lines: photo credits, a news agency alone in brackets (`(Yonhap)`),
/// `| Outlet / Photographer` lines, copyright and site phrases.
fn is_credit(text: &str) -> bool {
    let t = text.trim();
    let short = t.chars().count() <= 80;
    let bracketed = (t.starts_with('(') && t.ends_with(')')) || (t.starts_with('[') && t.ends_with(']'));
    (short && bracketed && t.split_whitespace().count() <= 3)
        || (short && t.contains(" | ") && t.contains(" / "))
        || crate::web::extract::is_boilerplate(t)
}

/// What the user said about the article.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub title: Option<String>,
    pub source_title: Option<String>,
    pub source_lang: String,
    pub target_lang: String,
    pub outlet: Option<String>,
    pub published: Option<toml::value::Datetime>,
    pub url: Option<String>,
    /// How plain texts separate paragraphs.
    pub paragraphs: Paragraphs,
}

/// A finished import: the file's text, its title, the beads and how plausible they are.
#[derive(Debug, Clone)]
pub struct Imported {
    pub toml: String,
    pub title: String,
    pub beads: Vec<Bead>,
    /// Pairs a translation moved (their source paragraph stands elsewhere).
    pub moved: usize,
    /// Pairs the aligner is unsure of (confidence below [`crate::article::UNSURE`]).
    pub unsure: usize,
    /// Why the pairing looks implausible, when it does: printed as a `warning:` line.
    pub warning: Option<String>,
    /// The engine asked to help could not: why (the texts were paired without it).
    pub engine_error: Option<String>,
}

impl Imported {
    /// `12 pairs: 9×1-1, 2×2-1, 1×1-0, 1 moved, 2 unsure`
    pub fn summary(&self) -> String {
        format!("{} pairs: {}", self.beads.len(), self.pairing())
    }

    /// `9×1-1, 2×2-1, 1×1-0, 1 moved, 2 unsure`
    pub fn pairing(&self) -> String {
        let mut s = Summary::of(&self.beads).to_string();
        if self.moved > 0 {
            s.push_str(&format!(", {} moved", self.moved));
        }
        if self.unsure > 0 {
            s.push_str(&format!(", {} unsure", self.unsure));
        }
        s
    }
}

#[derive(Serialize)]
struct OutArticle<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_title: Option<&'a str>,
    source_lang: &'a str,
    target_lang: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    feed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    guid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alignment: Option<OutAlignment>,
    paragraphs: Vec<OutParagraph>,
}

/// `[alignment]`: how the pairs were made, and how sure the aligner is of the whole.
#[derive(Serialize)]
struct OutAlignment {
    method: String,
    confidence: f64,
}

/// Everything an article file says besides its paragraphs.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub title: String,
    pub source_title: Option<String>,
    pub source_lang: String,
    pub target_lang: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<toml::value::Datetime>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// The subscription it came from, and the item's key in that feed.
    pub feed: Option<String>,
    pub guid: Option<String>,
}

#[derive(Serialize)]
struct OutParagraph {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation: Option<String>,
    /// The source paragraph's place in the source (1-based), for a pair the translation moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    moved_from: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
}

/// Translates paragraphs, one result per paragraph, or says why not.
pub type TranslateFn<'a> = dyn Fn(&[String]) -> Result<Vec<String>, String> + 'a;

/// An engine to translate the source paragraphs with (`bitext import --engine`).
#[derive(Clone, Copy)]
pub struct Engine<'a> {
    pub name: &'a str,
    pub translate: &'a TranslateFn<'a>,
}

/// The engine's translations of the source paragraphs, to help pair them with the edition.
#[derive(Debug, Clone, Copy)]
pub struct Help<'a> {
    /// The engine's name, as the article's `[alignment] method` says it.
    pub engine: &'a str,
    /// One per source paragraph.
    pub translations: &'a [String],
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("nothing to import: give --source, --translation or both")]
    NoInput,
    #[error("the texts hold no paragraphs")]
    Empty,
    #[error("no title: give --title (the translation's first line is used when there is one)")]
    NoTitle,
}

/// Splits, aligns and writes an article from a source text and/or a translation.
pub fn import(
    source: Option<&str>,
    translation: Option<&str>,
    meta: &Metadata,
    engine: Option<Engine<'_>>,
) -> Result<Imported, ImportError> {
    if source.is_none() && translation.is_none() {
        return Err(ImportError::NoInput);
    }
    let read = |text: Option<&str>| text.map(|t| read_side(t, meta.paragraphs)).unwrap_or_default();
    let (mut s, mut t) = (read(source), read(translation));
    if s.paragraphs.is_empty() && t.paragraphs.is_empty() {
        return Err(ImportError::Empty);
    }
    // A side's first line is its headline when it looks like one (short, not a caption) and
    // the side did not name its title otherwise (an HTML page, front matter); taken as a title,
    // it leaves the body. This is the same whether or not --title is given: the flag only
    // chooses the title's words.
    let (s_before, t_before) = (s.paragraphs.clone(), t.paragraphs.clone());
    let headline = |side: &mut Side| {
        if side.title.is_some() {
            return;
        }
        let Some(first) = side.paragraphs.first() else { return };
        let sentence = first.text.ends_with(['.', '。']);
        if crate::text::width(&first.text) <= 200
            && first.kind != Kind::Caption
            && !sentence
            && side.paragraphs.len() > 1
        {
            side.title = Some(side.paragraphs.remove(0).text);
        }
    };
    headline(&mut t);
    headline(&mut s);
    // A text that is nothing but its first line keeps it as its body too.
    if s.paragraphs.is_empty() && t.paragraphs.is_empty() {
        (s.paragraphs, t.paragraphs) = (s_before, t_before);
    }
    let given = |o: &Option<String>| o.as_deref().map(sanitize_line).filter(|v| !v.is_empty());
    // No headline anywhere: the first line is the title, and stays in the body.
    let first_line = || t.paragraphs.first().or(s.paragraphs.first()).map(|b| b.text.clone());
    let title = given(&meta.title)
        .or_else(|| t.title.clone())
        .or_else(|| if t.paragraphs.is_empty() { s.title.clone() } else { None })
        .or_else(first_line)
        .filter(|t| !t.is_empty() && crate::text::width(t) <= 200)
        .ok_or(ImportError::NoTitle)?;
    let source_title = given(&meta.source_title).or_else(|| if translation.is_some() { s.title.clone() } else { None });
    let published = meta.published.or_else(|| {
        s.published.as_deref().or(t.published.as_deref()).and_then(|d| {
            let d = d.trim();
            d.parse().ok().or_else(|| d.get(..10).and_then(|x| x.parse().ok()))
        })
    });
    let fields = Fields {
        title,
        source_title,
        source_lang: meta.source_lang.clone(),
        target_lang: meta.target_lang.clone(),
        outlet: given(&meta.outlet).or_else(|| s.outlet.clone()).or_else(|| t.outlet.clone()),
        url: given(&meta.url).or_else(|| s.url.clone()).or_else(|| t.url.clone()),
        published,
        authors: if s.authors.is_empty() { t.authors.clone() } else { s.authors.clone() },
        summary: t.summary.clone().or_else(|| s.summary.clone()),
        ..Default::default()
    };
    // The engine's translations of the source paragraphs help pair them with the edition.
    let mut machine = None;
    let mut engine_error = None;
    if let Some(engine) = engine
        && !s.paragraphs.is_empty()
        && !t.paragraphs.is_empty()
    {
        let texts: Vec<String> = s.paragraphs.iter().map(|b| b.text.clone()).collect();
        match (engine.translate)(&texts) {
            Ok(v) if v.len() == texts.len() => machine = Some(v),
            Ok(v) => {
                engine_error = Some(format!("{}: {} translations for {} paragraphs", engine.name, v.len(), texts.len()))
            }
            Err(e) => engine_error = Some(format!("{}: {e}", engine.name)),
        }
    }
    let help = engine.zip(machine.as_deref()).map(|(e, translations)| Help { engine: e.name, translations });
    let mut imported = paired_article(&s.paragraphs, &t.paragraphs, &fields, help);
    imported.engine_error = engine_error;
    Ok(imported)
}

/// Aligns source and translation paragraphs (a kind is a tag the aligner pairs alike) and
/// writes the article file's text: `[[paragraphs]]` with kinds, merged paragraphs kept apart
/// by a blank line. Every field is sanitised.
pub fn paired_article(s: &[Block], t: &[Block], fields: &Fields, help: Option<Help<'_>>) -> Imported {
    let tag = |b: &Block| match b.kind {
        Kind::Text => None,
        Kind::Heading => Some("heading"),
        Kind::Quote => Some("quote"),
        Kind::Caption => Some("caption"),
    };
    let s_items: Vec<(&str, Option<&str>)> = s.iter().map(|b| (b.text.as_str(), tag(b))).collect();
    let t_items: Vec<(&str, Option<&str>)> = t.iter().map(|b| (b.text.as_str(), tag(b))).collect();
    let help = help.filter(|h| h.translations.len() == s.len() && !t.is_empty());
    let input = align::Input {
        source: s_items,
        translation: t_items,
        machine: help.map(|h| h.translations.iter().map(String::as_str).collect()),
    };
    let alignment = align::align_input(&input, &align::Params::default());
    let beads = alignment.beads;
    let paired = !s.is_empty() && !t.is_empty();
    let round = |x: f32| (f64::from(x) * 100.0).round() / 100.0;
    let paragraphs = beads
        .iter()
        .enumerate()
        .map(|(k, b)| {
            // Merged paragraphs stay paragraphs: a blank line between them.
            let join = |blocks: &[Block]| {
                (!blocks.is_empty()).then(|| blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n"))
            };
            let sb = &s[b.source.clone()];
            let tb = &t[b.translation.clone()];
            let kinds: Vec<Kind> = sb.iter().chain(tb).map(|b| b.kind).collect();
            let kind = if kinds.iter().all(|k| *k == kinds[0]) { kinds[0] } else { Kind::Text };
            OutParagraph {
                kind: match kind {
                    Kind::Text => None,
                    Kind::Heading => Some("heading"),
                    Kind::Quote => Some("quote"),
                    Kind::Caption => Some("caption"),
                },
                source: join(sb),
                translation: join(tb),
                moved_from: alignment.moved[k].then_some(b.source.start + 1),
                confidence: alignment.confidence[k].map(round),
            }
        })
        .collect();
    let unsure = alignment.confidence.iter().flatten().filter(|&&c| c < crate::article::UNSURE).count();
    let moved = alignment.moved.iter().filter(|&&m| m).count();
    let method = match help {
        Some(h) => format!("anchors, lengths and {}", sanitize_line(h.engine)),
        None => "anchors and lengths".to_string(),
    };
    let clean = |o: &Option<String>| o.as_deref().map(sanitize_line).filter(|s| !s.is_empty());
    let (outlet, url, summary) = (clean(&fields.outlet), clean(&fields.url), clean(&fields.summary));
    let source_title = clean(&fields.source_title);
    let authors: Vec<String> = fields.authors.iter().map(|a| sanitize_line(a)).filter(|a| !a.is_empty()).collect();
    let mut tags: Vec<String> = Vec::new();
    for t in fields.tags.iter().map(|t| sanitize_line(t)) {
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    let (feed, guid) = (clean(&fields.feed), clean(&fields.guid));
    let title = sanitize_line(&fields.title);
    let out = OutArticle {
        title: &title,
        source_title: source_title.as_deref(),
        source_lang: &fields.source_lang,
        target_lang: &fields.target_lang,
        outlet: outlet.as_deref(),
        url: url.as_deref(),
        published: fields.published,
        authors: &authors,
        summary: summary.as_deref(),
        tags: &tags,
        feed: feed.as_deref(),
        guid: guid.as_deref(),
        alignment: paired.then(|| OutAlignment { method, confidence: round(alignment.overall) }),
        paragraphs,
    };
    let toml = toml::to_string(&out).expect("an article always serialises");
    Imported { toml, title, beads, moved, unsure, warning: alignment.warning, engine_error: None }
}

/// A file name for an article: `2024-07-11-seoul-hosts-a-forum` from its date and title.
pub fn file_stem(title: &str, published: Option<&toml::value::Datetime>) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // At most 60 characters, cut at a word boundary.
    if slug.chars().count() > 60 {
        let cut: String = slug.chars().take(61).collect();
        slug = match cut.rfind('-') {
            Some(at) if at > 0 => cut[..at].to_string(),
            _ => cut.chars().take(60).collect(),
        };
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "article" } else { slug };
    match published.and_then(|d| d.date) {
        Some(d) => format!("{d}-{slug}"),
        None => slug.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_markdown_into_kinds() {
        let doc = "# Seoul holds a forum\n\nThe city held a **forum** on the 11th, [reported](https://e.org) here.\nIt was the first.\n\n![Mayor Oh speaks at the forum](img.jpg)\n\n> Peace and human rights are inseparable.\n\nBackground\n\nThe forum came ahead of a new national day for defectors and was widely covered.\n";
        let blocks = split_document(doc);
        let kinds: Vec<Kind> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, vec![Kind::Heading, Kind::Text, Kind::Caption, Kind::Quote, Kind::Heading, Kind::Text]);
        assert_eq!(blocks[1].text, "The city held a forum on the 11th, reported here. It was the first.");
        assert_eq!(blocks[2].text, "Mayor Oh speaks at the forum");
    }

    #[test]
    fn captions_in_many_languages() {
        for c in ["사진=연합뉴스", "Photo: Kim Su-a", "写真＝共同", "图为市民参观展览。"] {
            let blocks = split_document(&format!(
                "Some long first paragraph of text here.\n\n{c}\n\nAnother paragraph of ordinary text."
            ));
            assert_eq!(blocks[1].kind, Kind::Caption, "{c}");
        }
    }

    #[test]
    fn web_junk_is_kept_as_ordinary_paragraphs() {
        let doc = "Share\nTweet\n\nWas this article helpful?\n\nDonate now ❤\u{fe0f} to support journalism!\n\n\u{1b}[31m<script>alert(1)</script>";
        let blocks = split_document(doc);
        assert!(blocks.iter().any(|b| b.text.contains("helpful")));
        assert!(blocks.iter().all(|b| !b.text.contains('\u{1b}')));
    }

    #[test]
    fn import_aligns_and_takes_titles_from_first_lines() {
        let source = "서울시, 첫 북한인권 포럼\n\n서울시가 11일 시청에서 포럼을 열었다.\n\n포럼에는 전문가들이 참석했다.\n\n사진 설명: 포럼에 참석한 전문가들\n\n사진=서울시";
        let translation =
            "Seoul holds its first forum\n\nSeoul held a forum at City Hall on the 11th, attended by experts.";
        let meta = Metadata { source_lang: "ko".into(), target_lang: "en".into(), ..Default::default() };
        let out = import(Some(source), Some(translation), &meta, None).unwrap();
        assert_eq!(out.title, "Seoul holds its first forum");
        assert_eq!(out.summary(), "2 pairs: 1×1-0, 1×2-1");
        let parsed = crate::article::parse(out.toml.as_bytes(), "x", std::path::Path::new("x.toml"));
        let a = parsed.article.expect("the written file loads");
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(a.meta.source_title.as_deref(), Some("서울시, 첫 북한인권 포럼"));
        assert_eq!(a.groups[1].kind, Kind::Caption);
    }

    #[test]
    fn one_sided_import() {
        let meta = Metadata {
            source_lang: "ja".into(),
            target_lang: "en".into(),
            title: Some("T".into()),
            ..Default::default()
        };
        let out = import(Some("一つ目。\n\n二つ目。"), None, &meta, None).unwrap();
        assert_eq!(out.summary(), "2 pairs: 2×1-0");
        assert!(import(None, None, &meta, None).is_err());
    }

    #[test]
    fn a_one_line_text_keeps_its_line_as_the_body() {
        // Found by fuzzing: a source of just `#` became a title and an empty, unloadable body.
        let meta = Metadata { source_lang: "ko".into(), target_lang: "en".into(), ..Default::default() };
        for text in ["#", "Only a headline"] {
            let out = import(Some(text), None, &meta, None).unwrap();
            let parsed = crate::article::parse(out.toml.as_bytes(), "x", std::path::Path::new("x.toml"));
            assert!(parsed.article.is_some(), "{text:?}: {:?}", parsed.diagnostics);
        }
    }

    #[test]
    fn file_stems() {
        let d: toml::value::Datetime = "2024-07-11".parse().unwrap();
        assert_eq!(file_stem("Seoul holds its first forum!", Some(&d)), "2024-07-11-seoul-holds-its-first-forum");
        assert_eq!(file_stem("서울 포럼", None), "서울-포럼");
        assert_eq!(file_stem("!!!", None), "article");
        let long = "Midorino Line to reopen fully on June 1, a year after the landslide that cut it";
        assert_eq!(file_stem(long, None), "midorino-line-to-reopen-fully-on-june-1-a-year-after-the");
    }

    #[test]
    fn front_matter_bylines_and_credits() {
        let text = "---\ntitle: \"Harbour lights\"\ndate: 2025-04-03\nauthors:\n  - Kim Su-a\n  - Lee Min\nsource: Haesol Daily\n---\n\nBy Kim Su-a\n\nThe old lighthouse shines again.\n\nPhoto: Haesol Daily\n\n(Yonhap)\n\nGroup photo of the volunteers | Haesol Daily / Jang Yo-han\n\nIt will burn for four hours a night.";
        let side = read_side(text, Paragraphs::Auto);
        assert_eq!(side.title.as_deref(), Some("Harbour lights"));
        assert_eq!(side.published.as_deref(), Some("2025-04-03"));
        assert_eq!(side.outlet.as_deref(), Some("Haesol Daily"));
        assert_eq!(side.authors, ["Kim Su-a", "Lee Min"]);
        let texts: Vec<&str> = side.paragraphs.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["The old lighthouse shines again.", "It will burn for four hours a night."]);
        let korean = read_side("홍길동 기자 gildong@news.example\n\n등대가 다시 빛난다.", Paragraphs::Auto);
        assert_eq!(korean.authors, ["홍길동"]);
    }

    #[test]
    fn one_paragraph_per_line_is_detected_or_chosen() {
        let lines = "First paragraph.\nSecond paragraph.\nThird paragraph.";
        assert_eq!(read_side(lines, Paragraphs::Auto).paragraphs.len(), 3);
        assert_eq!(read_side(lines, Paragraphs::Blank).paragraphs.len(), 1);
        let blank = "One line\nwrapped.\n\nAnother.";
        assert_eq!(read_side(blank, Paragraphs::Auto).paragraphs.len(), 2);
        assert_eq!(read_side(blank, Paragraphs::Lines).paragraphs.len(), 3);
    }

    #[test]
    fn an_html_page_is_extracted() {
        let page = "<!doctype html><html lang=\"en\"><head><title>Harbour lights | Daily</title><meta property=\"og:site_name\" content=\"Daily\"></head><body><nav><p>Home</p></nav><article><h1>Harbour lights</h1><p>The old lighthouse shines again.</p><p class=\"byline\">By Kim</p><p>It burns four hours a night.</p></article><footer>© Daily</footer></body></html>";
        let side = read_side(page, Paragraphs::Auto);
        assert_eq!(side.title.as_deref(), Some("Harbour lights"));
        assert_eq!(side.outlet.as_deref(), Some("Daily"));
        let texts: Vec<&str> = side.paragraphs.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["The old lighthouse shines again.", "It burns four hours a night."]);
    }

    /// Giving --title chooses the title's words; it does not change what the body is.
    #[test]
    fn the_title_flag_does_not_change_the_body() {
        let translation = "Harbour lights\n\nThe old lighthouse shines again.\n\nIt burns four hours a night.";
        let meta = Metadata { source_lang: "ko".into(), target_lang: "en".into(), ..Default::default() };
        let plain = import(None, Some(translation), &meta, None).unwrap();
        let titled =
            import(None, Some(translation), &Metadata { title: Some("My title".into()), ..meta }, None).unwrap();
        assert_eq!(plain.beads, titled.beads);
        assert_eq!((plain.title.as_str(), titled.title.as_str()), ("Harbour lights", "My title"));
    }
}
