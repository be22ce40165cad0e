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
}

/// A finished import: the file's text, its title and the bead summary.
#[derive(Debug, Clone)]
pub struct Imported {
    pub toml: String,
    pub title: String,
    pub beads: Vec<Bead>,
}

impl Imported {
    /// `12 pairs: 9×1-1, 2×2-1, 1×1-0`
    pub fn summary(&self) -> String {
        format!("{} pairs: {}", self.beads.len(), Summary::of(&self.beads))
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
    paragraphs: Vec<OutParagraph>,
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
}

#[derive(Serialize)]
struct OutParagraph {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation: Option<String>,
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
pub fn import(source: Option<&str>, translation: Option<&str>, meta: &Metadata) -> Result<Imported, ImportError> {
    if source.is_none() && translation.is_none() {
        return Err(ImportError::NoInput);
    }
    let mut s = source.map(split_document).unwrap_or_default();
    let mut t = translation.map(split_document).unwrap_or_default();
    if s.is_empty() && t.is_empty() {
        return Err(ImportError::Empty);
    }
    // The first line of the translation is the title, unless one was given; the source's first
    // line is then its title too. Taken as titles, they leave the body.
    let mut title = meta.title.clone().map(|t| sanitize_line(&t));
    let mut source_title = meta.source_title.clone().map(|t| sanitize_line(&t));
    if title.is_none() {
        let headline = |blocks: &mut Vec<Block>| -> Option<String> {
            let first = blocks.first()?;
            let short = crate::text::width(&first.text) <= 200;
            (short && first.kind != Kind::Caption).then(|| blocks.remove(0).text)
        };
        let (s_before, t_before) = (s.clone(), t.clone());
        title = headline(&mut t).or_else(|| if t.is_empty() { headline(&mut s) } else { None });
        if source_title.is_none() && !t.is_empty() && title.is_some() {
            source_title = headline(&mut s);
        }
        // A text that is nothing but its first line keeps it as its body too.
        if s.is_empty() && t.is_empty() {
            (s, t) = (s_before, t_before);
        }
    }
    let title = title.filter(|t| !t.is_empty()).ok_or(ImportError::NoTitle)?;
    let fields = Fields {
        title,
        source_title,
        source_lang: meta.source_lang.clone(),
        target_lang: meta.target_lang.clone(),
        outlet: meta.outlet.clone(),
        url: meta.url.clone(),
        published: meta.published,
        authors: Vec::new(),
        summary: None,
    };
    Ok(paired_article(&s, &t, &fields))
}

/// Aligns source and translation paragraphs (a kind is a tag the aligner pairs alike) and
/// writes the article file's text: `[[paragraphs]]` with kinds, merged paragraphs kept apart
/// by a blank line. Every field is sanitised.
pub fn paired_article(s: &[Block], t: &[Block], fields: &Fields) -> Imported {
    let tag = |b: &Block| match b.kind {
        Kind::Text => None,
        Kind::Heading => Some("heading"),
        Kind::Quote => Some("quote"),
        Kind::Caption => Some("caption"),
    };
    let s_items: Vec<(&str, Option<&str>)> = s.iter().map(|b| (b.text.as_str(), tag(b))).collect();
    let t_items: Vec<(&str, Option<&str>)> = t.iter().map(|b| (b.text.as_str(), tag(b))).collect();
    let beads = align::align_tagged(&s_items, &t_items).beads;
    let paragraphs = beads
        .iter()
        .map(|b| {
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
            }
        })
        .collect();
    let clean = |o: &Option<String>| o.as_deref().map(sanitize_line).filter(|s| !s.is_empty());
    let (outlet, url, summary) = (clean(&fields.outlet), clean(&fields.url), clean(&fields.summary));
    let source_title = clean(&fields.source_title);
    let authors: Vec<String> = fields.authors.iter().map(|a| sanitize_line(a)).filter(|a| !a.is_empty()).collect();
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
        paragraphs,
    };
    let toml = toml::to_string(&out).expect("an article always serialises");
    Imported { toml, title, beads }
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
        if slug.chars().count() >= 60 {
            break;
        }
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
        let source = "서울시, 첫 북한인권 포럼\n\n서울시가 11일 시청에서 포럼을 열었다.\n\n포럼에는 전문가들이 참석했다.\n\n사진=서울시";
        let translation =
            "Seoul holds its first forum\n\nSeoul held a forum at City Hall on the 11th, attended by experts.";
        let meta = Metadata { source_lang: "ko".into(), target_lang: "en".into(), ..Default::default() };
        let out = import(Some(source), Some(translation), &meta).unwrap();
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
        let out = import(Some("一つ目。\n\n二つ目。"), None, &meta).unwrap();
        assert_eq!(out.summary(), "2 pairs: 2×1-0");
        assert!(import(None, None, &meta).is_err());
    }

    #[test]
    fn a_one_line_text_keeps_its_line_as_the_body() {
        // Found by fuzzing: a source of just `#` became a title and an empty, unloadable body.
        let meta = Metadata { source_lang: "ko".into(), target_lang: "en".into(), ..Default::default() };
        for text in ["#", "Only a headline"] {
            let out = import(Some(text), None, &meta).unwrap();
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
    }
}
