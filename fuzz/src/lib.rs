//! The invariants the fuzz targets check, one function per target, each taking the target's raw
//! input bytes and panicking when an invariant fails.
//!
//! This file is shared: the fuzz targets call it through the `bitext_fuzz` library, and
//! `tests/fuzz_regressions.rs` in the main crate includes it with `#[path]`, so a crash input
//! replayed there is checked by exactly the code that found it. It therefore uses nothing but
//! `bitext` and `std`.

use std::path::Path;

use unicode_segmentation::UnicodeSegmentation;

use bitext::align::Bead;
use bitext::article::{self, Pairing};
use bitext::import::{self, Metadata};
use bitext::text;

/// True for the bidirectional embeddings, overrides and isolates the sanitiser removes.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Panics unless `s` is sanitised text: no control character except `\n`, no bidi control.
#[track_caller]
pub fn assert_clean_text(what: &str, s: &str) {
    if let Some(c) = s.chars().find(|&c| (c.is_control() && c != '\n') || is_bidi_control(c)) {
        panic!("{what}: forbidden character {c:?} (U+{:04X}) in {s:?}", c as u32);
    }
}

/// Panics unless `s` is a sanitised single line: [`assert_clean_text`] and no `\n` either.
#[track_caller]
pub fn assert_clean_line(what: &str, s: &str) {
    assert_clean_text(what, s);
    assert!(!s.contains('\n'), "{what}: line break in a one-line string {s:?}");
}

// ---------------------------------------------------------------------------------------------
// parse_article
// ---------------------------------------------------------------------------------------------

/// `article::parse`: any bytes give an article or an error diagnostic, never a panic.
///
/// - no article ⇒ at least one error diagnostic; an article ⇒ no error diagnostic;
/// - every diagnostic message is one clean line (they are printed to the terminal) and every
///   position is 1-based;
/// - every string of an article is sanitised: one-line metadata has no control character at all,
///   paragraphs none but `\n`; no group is empty on both sides;
/// - `article::parse_header` (the fast metadata-only parse the library listing uses) keeps the
///   same invariants, and loads the same metadata whenever `parse` loads the file.
pub fn check_parse_article(data: &[u8]) {
    let path = Path::new("fuzz.toml");
    let full = check_parsed(article::parse(data, "fuzz", path));
    // `parse_header` reads only the metadata (the body is not checked, so it may load a file
    // `parse` rejects), but when `parse` loads the file it must load the same metadata.
    let header = check_parsed(article::parse_header(data, "fuzz", path));
    if let Some(full) = full {
        let header = header.expect("parse loads the file but parse_header does not");
        assert_eq!(header.meta, full.meta, "parse_header read other metadata than parse");
    }
}

/// The invariants of one [`article::Parsed`], giving back the article.
#[track_caller]
pub fn check_parsed(parsed: article::Parsed) -> Option<article::Article> {
    let path = Path::new("fuzz.toml");
    let errors = parsed.diagnostics.iter().filter(|d| d.is_error()).count();
    for d in &parsed.diagnostics {
        assert_clean_line("diagnostic message", &d.message);
        if let Some((line, col)) = d.position {
            assert!(line >= 1 && col >= 1, "diagnostic position {:?} is not 1-based: {d}", d.position);
        }
    }
    for d in &parsed.diagnostics {
        assert_eq!(d.path, path, "a diagnostic names another path");
    }
    let Some(a) = parsed.article else {
        assert!(errors > 0, "no article and no error diagnostic: {:?}", parsed.diagnostics);
        return None;
    };
    assert_eq!(errors, 0, "an article came with error diagnostics: {:?}", parsed.diagnostics);
    let m = &a.meta;
    for (what, s) in [("title", m.title.as_str()), ("source_lang", &m.source_lang), ("target_lang", &m.target_lang)] {
        assert_clean_line(what, s);
        assert!(!s.is_empty(), "required `{what}` is empty in a loaded article");
    }
    for (what, s) in [
        ("source_title", m.source_title.as_deref()),
        ("outlet", m.outlet.as_deref()),
        ("url", m.url.as_deref()),
        ("translator", m.translator.as_deref()),
        ("summary", m.summary.as_deref()),
    ] {
        if let Some(s) = s {
            assert_clean_line(what, s);
        }
    }
    for s in m.authors.iter().chain(&m.tags) {
        assert_clean_line("author or tag", s);
    }
    if let Some(p) = &m.published {
        assert_clean_line("published", &p.0);
    }
    if let Pairing::Aligned(summary) = &a.pairing {
        assert_clean_line("pairing summary", summary);
    }
    for g in a.groups.iter() {
        assert!(!(g.source.is_empty() && g.translation.is_empty()), "a group with neither side: {g:?}");
        for p in g.source.iter().chain(&g.translation) {
            assert_clean_text("paragraph", p);
        }
    }
    Some(a)
}

// ---------------------------------------------------------------------------------------------
// sanitize
// ---------------------------------------------------------------------------------------------

/// `text::sanitize` and `text::sanitize_line` on the input read as (lossy) UTF-8.
///
/// - `sanitize`: no control character except `\n`, no bidi control, no U+2028/U+2029 (they
///   become `\n`), and sanitising again changes nothing;
/// - `sanitize_line`: the same and no `\n`; white space folded (no leading, trailing or doubled
///   white space); idempotent too.
pub fn check_sanitize(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let clean = text::sanitize(&input);
    assert_clean_text("sanitize", &clean);
    assert!(!clean.contains(['\u{2028}', '\u{2029}']), "sanitize kept a Unicode line separator: {clean:?}");
    assert_eq!(text::sanitize(&clean), clean, "sanitize is not idempotent");

    let line = text::sanitize_line(&input);
    assert_clean_line("sanitize_line", &line);
    assert_eq!(line.trim(), line, "sanitize_line left white space at an end");
    let chars: Vec<char> = line.chars().collect();
    assert!(
        !chars.windows(2).any(|w| w[0].is_whitespace() && w[1].is_whitespace()),
        "sanitize_line left a run of white space: {line:?}"
    );
    assert_eq!(text::sanitize_line(&line), line, "sanitize_line is not idempotent");
}

// ---------------------------------------------------------------------------------------------
// wrap
// ---------------------------------------------------------------------------------------------

/// The width and text the `wrap` target derives from its input: the first byte gives the width
/// (1..=200), the rest is read as lossy UTF-8 and sanitised, as every text that reaches the
/// wrapper is.
pub fn wrap_input(data: &[u8]) -> Option<(usize, String)> {
    let (&first, rest) = data.split_first()?;
    Some((1 + usize::from(first) % 200, text::sanitize(&String::from_utf8_lossy(rest))))
}

/// `text::wrap` of sanitised text: every line is at most `columns` wide (`text::width`) and holds
/// no `\n`, and the lines together keep every non-space character of the text in order, except
/// that a grapheme wider than the whole column (which cannot be shown) becomes `?`.
pub fn check_wrap(data: &[u8]) {
    if let Some((columns, text)) = wrap_input(data) {
        check_wrap_text(&text, columns);
    }
}

/// [`check_wrap`] on given text and width (the text is sanitised first).
#[track_caller]
pub fn check_wrap_text(input: &str, columns: usize) {
    let text = text::sanitize(input);
    let lines = text::wrap(&text, columns);
    for line in &lines {
        let w = text::width(line);
        assert!(w <= columns, "line {line:?} is {w} columns wide, more than {columns}; text {text:?}");
        assert!(!line.contains('\n'), "a wrapped line holds a line break: {line:?}");
    }
    // Walk the text's graphemes (white space dropped) along the lines' characters (likewise):
    // each must come back as it was, or as `?` if it is wider than the column.
    let kept: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
    let mut rest = kept.as_str();
    for g in text.graphemes(true) {
        let bare: String = g.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(r) = rest.strip_prefix(bare.as_str()) {
            rest = r;
        } else if text::width(g) > columns
            && let Some(r) = rest.strip_prefix('?')
        {
            rest = r;
        } else {
            panic!("wrapping at {columns} lost or changed {g:?} of the text {text:?}: {lines:?}");
        }
    }
    assert!(rest.is_empty(), "wrapping at {columns} added {rest:?} to the text {text:?}: {lines:?}");
}

// ---------------------------------------------------------------------------------------------
// align
// ---------------------------------------------------------------------------------------------

/// The two paragraph lists the `align` target derives from its input (lossy UTF-8): the source
/// is everything before the first NUL, the translation everything after it (with no NUL, the
/// first and second halves of the text, so TOML seeds with a source and a translation work);
/// each side is split into paragraphs at blank lines (`"\n\n"`). Paragraphs are not sanitised
/// and may be empty: the aligner must cope with any strings.
pub fn align_input(data: &[u8]) -> (Vec<String>, Vec<String>) {
    let input = String::from_utf8_lossy(data);
    let (s, t) = match input.split_once('\0') {
        Some(pair) => pair,
        None => {
            let mut mid = input.len() / 2;
            while !input.is_char_boundary(mid) {
                mid += 1;
            }
            input.split_at(mid)
        }
    };
    let split = |side: &str| -> Vec<String> {
        if side.is_empty() { Vec::new() } else { side.split("\n\n").map(str::to_string).collect() }
    };
    (split(s), split(t))
}

/// Panics unless `beads` cover `0..n` and `0..m` exactly once each, in order, with 0–2
/// paragraphs a side and never an empty bead.
#[track_caller]
pub fn assert_valid_alignment(beads: &[Bead], n: usize, m: usize) {
    // Beads come in the translation's order; a moved pair's source paragraph may stand out of
    // the source's order, but every source paragraph is in exactly one bead.
    let mut j = 0;
    let mut sources = Vec::new();
    for (k, b) in beads.iter().enumerate() {
        if !b.translation.is_empty() {
            assert_eq!(b.translation.start, j, "bead {k} {b:?} does not start at translation paragraph {j}: {beads:?}");
            j = b.translation.end;
        }
        assert!(
            b.source.end >= b.source.start && b.translation.end >= b.translation.start,
            "bead {k} is reversed: {b:?}"
        );
        let (ls, lt) = b.kind();
        assert!(ls <= 2 && lt <= 2, "bead {k} is {ls}-{lt}, more than 2 on a side: {beads:?}");
        assert!(ls + lt > 0, "bead {k} is empty: {beads:?}");
        sources.extend(b.source.clone());
    }
    sources.sort_unstable();
    assert_eq!(sources, (0..n).collect::<Vec<_>>(), "the beads do not cover each source paragraph once: {beads:?}");
    assert_eq!(j, m, "the beads cover {j} of {m} translation paragraphs: {beads:?}");
}

/// `align::align`, and `align::align_tagged` with a tag for paragraphs opening with `#`
/// (heading) or `!` (caption), as `import` tags them: both give valid alignments.
pub fn check_align(data: &[u8]) {
    let (s, t) = align_input(data);
    check_align_paragraphs(&s, &t);
}

/// [`check_align`] on given paragraphs.
#[track_caller]
pub fn check_align_paragraphs<S: AsRef<str>, T: AsRef<str>>(s: &[S], t: &[T]) {
    let beads = bitext::align::align(s, t);
    assert_valid_alignment(&beads, s.len(), t.len());
    let tag = |p: &str| match p.chars().next() {
        Some('#') => Some("heading"),
        Some('!') => Some("caption"),
        _ => None,
    };
    let st: Vec<(&str, Option<&str>)> = s.iter().map(|p| (p.as_ref(), tag(p.as_ref()))).collect();
    let tt: Vec<(&str, Option<&str>)> = t.iter().map(|p| (p.as_ref(), tag(p.as_ref()))).collect();
    let beads = bitext::align::align_tagged(&st, &tt).beads;
    assert_valid_alignment(&beads, s.len(), t.len());
}

// ---------------------------------------------------------------------------------------------
// split_document (and the import it feeds)
// ---------------------------------------------------------------------------------------------

/// `import::split_document` on the input (lossy UTF-8): no block has empty (or all-space) text
/// and every block's text is sanitised and on one line (no control character at all, no bidi
/// control).
///
/// Then the whole `import`, as `bitext import --source A --translation B` runs it (A before the
/// first NUL, B after it; with no NUL the input is the source alone): when it succeeds, its
/// beads are a valid alignment and the TOML it writes loads back with `article::parse` with no
/// diagnostic and one group per bead.
pub fn check_split_document(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let (source, translation) = match input.split_once('\0') {
        Some((s, t)) => (s, Some(t)),
        None => (&*input, None),
    };
    for doc in std::iter::once(source).chain(translation) {
        check_blocks(doc);
    }
    check_import(source, translation);
}

/// The block invariants of [`check_split_document`] for one document.
#[track_caller]
pub fn check_blocks(doc: &str) {
    for (i, b) in import::split_document(doc).iter().enumerate() {
        assert!(!b.text.trim().is_empty(), "block {i} ({:?}) has empty text {:?}; document {doc:?}", b.kind, b.text);
        assert_clean_line("block text", &b.text);
    }
}

/// The import round trip of [`check_split_document`].
#[track_caller]
pub fn check_import(source: &str, translation: Option<&str>) {
    let meta = Metadata { source_lang: "ko".into(), target_lang: "en".into(), ..Default::default() };
    let Ok(out) = import::import(Some(source), translation, &meta, None) else { return };
    let s_blocks = import::split_document(source).len();
    let t_blocks = translation.map_or(0, |t| import::split_document(t).len());
    // The title (and the source title) are taken out of the body; the beads cover the rest.
    let n: usize = out.beads.iter().map(|b| b.source.len()).sum();
    let m: usize = out.beads.iter().map(|b| b.translation.len()).sum();
    assert!(n <= s_blocks && m <= t_blocks, "more paragraphs aligned ({n}, {m}) than split ({s_blocks}, {t_blocks})");
    assert_valid_alignment(&out.beads, n, m);
    assert_clean_line("import title", &out.title);
    let parsed = article::parse(out.toml.as_bytes(), "import", Path::new("import.toml"));
    assert!(
        parsed.diagnostics.is_empty(),
        "the imported file does not load cleanly: {:?}\n{}",
        parsed.diagnostics,
        out.toml
    );
    let a = parsed.article.expect("no diagnostics means an article");
    assert_eq!(a.groups.len(), out.beads.len(), "groups read back differ from the beads written:\n{}", out.toml);
    // Loading folds runs of white space in one-line fields; nothing else may change.
    assert_eq!(a.meta.title, text::sanitize_line(&out.title), "the title read back differs from the one written");
}

// ---------------------------------------------------------------------------------------------
// decode + extract
// ---------------------------------------------------------------------------------------------

/// `web::decode` then `web::extract` on any bytes, as `bitext add` runs them on a page: never a
/// panic; an extracted article has at least one paragraph, and every string in it is clean
/// (one-line fields without any control character, paragraphs likewise); the first byte of the
/// input picks a `Content-Type` charset to declare, so the header path is fuzzed too.
pub fn check_decode_extract(data: &[u8]) {
    use bitext::web::{decode, extract};
    let (declared, page) = match data.split_first() {
        Some((b, rest)) => (
            ["text/html", "text/html; charset=euc-kr", "text/html; charset=shift_jis", "text/html; charset=gb18030"]
                [usize::from(*b % 4)],
            rest,
        ),
        None => ("text/html", data),
    };
    let decoded = decode::decode(page, Some(declared), Some("http://news.example.kr/a"));
    let limits = extract::Limits { max_elements: 5_000 };
    let Ok(e) = extract::extract(&decoded.text, Some("http://news.example.kr/a"), None, limits) else { return };
    assert!(!e.paragraphs.is_empty(), "an article without paragraphs");
    for p in &e.paragraphs {
        assert_clean_line("paragraph", &p.text);
        assert!(!p.text.is_empty());
    }
    for (what, s) in [
        ("title", &e.title),
        ("published", &e.published),
        ("outlet", &e.outlet),
        ("url", &e.url),
        ("summary", &e.summary),
    ] {
        if let Some(s) = s {
            assert_clean_line(what, s);
        }
    }
    for a in &e.authors {
        assert_clean_line("author", a);
    }
}
