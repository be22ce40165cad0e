//! Paragraph alignment: which source paragraphs and which translation paragraphs say the same
//! thing.
//!
//! A length-based dynamic program in the manner of Gale & Church (1993), "A program for
//! aligning sentences in bilingual corpora", applied to paragraphs:
//!
//! - The alignment is a sequence of *beads*, each taking 0–2 paragraphs from each side:
//!   1-1, 1-0 (a source paragraph the translator dropped), 0-1 (an added paragraph), 2-1 (two
//!   merged), 1-2 (one split) and 2-2.
//! - A bead costs `-ln P(kind) - ln P(lengths match)`. The length model is Gale & Church's: the
//!   translation's length is normally distributed around the source's length times a ratio `c`,
//!   with variance proportional to the length. The ratio is **estimated from the article
//!   itself** (total translation characters over total source characters), because Korean,
//!   Chinese and Japanese are two to four times denser than English and a fixed ratio fails.
//! - Anchors that survive translation strengthen it: numbers (with month names read as
//!   numbers, so `6月` meets `June`), Latin-script names, URLs and quoted Latin spans. A bead
//!   whose two sides share anchors costs less; an anchor left without its twin on the other
//!   side costs more, which pulls paragraphs with the same numbers into the same bead.
//! - The program runs in a band around the diagonal (wide enough for every article of normal
//!   length to be solved exactly), so it stays linear in the number of paragraphs.

use std::fmt;
use std::ops::Range;

/// One group of the alignment: paragraph index ranges on each side (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    pub source: Range<usize>,
    pub translation: Range<usize>,
}

impl Bead {
    /// `2-1` and the like.
    pub fn kind(&self) -> (usize, usize) {
        (self.source.len(), self.translation.len())
    }
}

/// The bead kinds, in the order [`Params::priors`] gives their probabilities.
const KINDS: [(usize, usize); 6] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2)];

/// The aligner's constants.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Prior probability of each bead kind, in the order of `KINDS`: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2.
    pub priors: [f64; 6],
    /// Variance of the length difference per character (Gale & Church used 6.8 for sentences).
    pub variance: f64,
    /// Cost taken off a bead for each anchor both sides share.
    pub anchor_match: f64,
    /// Cost added for each anchor without a twin on the other side of its bead.
    pub anchor_miss: f64,
    /// Half-width of the band around the diagonal, beyond the difference in paragraph counts.
    pub band: usize,
    /// The most cells of the dynamic program one alignment may fill (a byte each, about 100 ns
    /// each): a long article gets a narrower band, a very long one is paired in order.
    pub max_cells: usize,
    /// How much a paragraph that looks like it stands alone (a photo caption, a byline, a
    /// "related article" link in the source; a translator's or editor's note in the
    /// translation) favours a bead of its own, and resists being paired.
    pub cue: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            // Chosen from the middle of a plateau of equally good settings on the gold set
            // (`cargo run --release --example align_tune`), not its edge.
            priors: [0.818_75, 0.04, 0.04, 0.045, 0.045, 0.011_25],
            variance: 6.8,
            anchor_match: 3.0,
            anchor_miss: 1.0,
            band: 60,
            max_cells: 2_000_000,
            cue: 3.0,
        }
    }
}

/// Aligns two lists of paragraphs. Every paragraph appears in exactly one bead, in order.
pub fn align<S: AsRef<str>, T: AsRef<str>>(source: &[S], translation: &[T]) -> Vec<Bead> {
    align_with(source, translation, &Params::default())
}

/// [`align`] with other constants (for tuning and evaluation).
pub fn align_with<S: AsRef<str>, T: AsRef<str>>(source: &[S], translation: &[T], params: &Params) -> Vec<Bead> {
    align_bounded(source, translation, params).beads
}

/// An alignment, and how the aligner's bound shaped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub beads: Vec<Bead>,
    pub bound: Bound,
}

/// How much of the search the size limit ([`Params::max_cells`]) allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The full band: the alignment is the best the model finds.
    Full,
    /// A long article: the band around the diagonal was narrowed to this half-width.
    Narrowed(usize),
    /// Too long to align at all: paired in order.
    InOrder,
}

impl Bound {
    /// A warning for `bitext check`, when the bound changed anything.
    pub fn warning(self, n: usize, m: usize) -> Option<String> {
        match self {
            Bound::Full => None,
            Bound::Narrowed(w) => Some(format!(
                "{n} source and {m} translation paragraphs: too many to align fully; aligned within {w} paragraphs of the diagonal"
            )),
            Bound::InOrder => {
                Some(format!("{n} source and {m} translation paragraphs: too many to align; paired in order"))
            }
        }
    }
}

/// [`align_with`], saying whether the size limit narrowed the search. Time and memory are
/// bounded whatever the input: at most [`Params::max_cells`] cells of the dynamic program, one
/// byte each, plus three rows of costs; past that the paragraphs are paired in order.
pub fn align_bounded<S: AsRef<str>, T: AsRef<str>>(source: &[S], translation: &[T], params: &Params) -> Alignment {
    let (n, m) = (source.len(), translation.len());
    let band = match plan_band(n, m, params) {
        Plan::Alone => return Alignment { beads: alone(n, m), bound: Bound::Full },
        Plan::InOrder => return Alignment { beads: in_order(n, m), bound: Bound::InOrder },
        Plan::Band(w, bound) => (w, bound),
    };
    let s: Vec<Para> = source.iter().map(|p| Para::new(p.as_ref(), Side::Source)).collect();
    let t: Vec<Para> = translation.iter().map(|p| Para::new(p.as_ref(), Side::Translation)).collect();
    finish(align_paras(s, t, band.0, params), band.1, n, m)
}

/// [`align`] with a tag per paragraph (such as `heading` or `caption`): paragraphs with the
/// same tag are drawn together like paragraphs that share a number.
pub fn align_tagged<S: AsRef<str>, T: AsRef<str>>(
    source: &[(S, Option<&str>)],
    translation: &[(T, Option<&str>)],
) -> Alignment {
    let params = Params::default();
    let (n, m) = (source.len(), translation.len());
    let band = match plan_band(n, m, &params) {
        Plan::Alone => return Alignment { beads: alone(n, m), bound: Bound::Full },
        Plan::InOrder => return Alignment { beads: in_order(n, m), bound: Bound::InOrder },
        Plan::Band(w, bound) => (w, bound),
    };
    let para = |text: &str, tag: Option<&str>, side| {
        let mut p = Para::new(text, side);
        if let Some(tag) = tag {
            p.anchors.push(format!("#{tag}"));
        }
        p
    };
    let s = source.iter().map(|(text, tag)| para(text.as_ref(), *tag, Side::Source)).collect();
    let t = translation.iter().map(|(text, tag)| para(text.as_ref(), *tag, Side::Translation)).collect();
    finish(align_paras(s, t, band.0, &params), band.1, n, m)
}

/// The program's answer, or pairing in order if it found no path (it always should).
fn finish(beads: Option<Vec<Bead>>, bound: Bound, n: usize, m: usize) -> Alignment {
    match beads {
        Some(beads) => Alignment { beads, bound },
        None => Alignment { beads: in_order(n, m), bound: Bound::InOrder },
    }
}

enum Plan {
    /// One side is empty.
    Alone,
    InOrder,
    /// The half-width of the band, and whether it is the full one.
    Band(usize, Bound),
}

/// The smallest half-width that keeps every row of the band reachable from the one before: a
/// row's window moves right by up to `ceil(m / n)` columns, and a bead takes at most two.
fn min_band(n: usize, m: usize) -> usize {
    (m.div_ceil(n.max(1)) / 2 + 1).max(MIN_BAND)
}

/// Narrower than this, the band is not worth searching: pairing in order is as good.
const MIN_BAND: usize = 4;

/// How wide the band may be for `n`×`m` paragraphs within [`Params::max_cells`].
fn plan_band(n: usize, m: usize, params: &Params) -> Plan {
    if n == 0 || m == 0 {
        return Plan::Alone;
    }
    // The band follows the diagonal from (0, 0) to (n, m), so a difference in counts needs no
    // extra width beyond what the paragraphs dropped or added on the way may push the path off
    // it; that extra is itself bounded.
    let wanted = params.band + n.abs_diff(m).min(params.band * 4);
    let afford = params.max_cells / (n + 1) / 2;
    let needed = min_band(n, m);
    if wanted <= afford {
        Plan::Band(wanted.max(needed), Bound::Full)
    } else if afford >= needed {
        Plan::Band(afford, Bound::Narrowed(afford))
    } else {
        Plan::InOrder
    }
}

/// The dynamic program over a band of half-width `band` around the diagonal. Costs are kept
/// for the last three rows only; the bead that reached each cell is one byte. `None` if no
/// path reaches the end (which the band's width rules out).
fn align_paras(mut s: Vec<Para>, mut t: Vec<Para>, band: usize, params: &Params) -> Option<Vec<Bead>> {
    keep_shared_anchors(&mut s, &mut t);
    let (n, m) = (s.len(), t.len());
    let total_s: usize = s.iter().map(|p| p.len).sum();
    let total_t: usize = t.iter().map(|p| p.len).sum();
    let ratio = if total_s == 0 || total_t == 0 { 1.0 } else { total_t as f64 / total_s as f64 };

    let window = |i: usize| {
        let center = (i as u128 * m as u128 / n as u128) as usize;
        (center.saturating_sub(band), (center + band).min(m))
    };
    // Where each row's back pointers start in `back`.
    let mut offsets: Vec<usize> = Vec::with_capacity(n + 2);
    let mut total = 0;
    for i in 0..=n {
        offsets.push(total);
        let (lo, hi) = window(i);
        total += hi - lo + 1;
    }
    offsets.push(total);
    let mut back = vec![u8::MAX; total];
    // Costs of rows i - 2, i - 1 and i, each with the `lo` of its window.
    let mut rows: [(usize, Vec<f64>); 3] = [(0, Vec::new()), (0, Vec::new()), (0, Vec::new())];
    let get = |row: &(usize, Vec<f64>), j: usize| -> f64 {
        if j < row.0 { f64::INFINITY } else { row.1.get(j - row.0).copied().unwrap_or(f64::INFINITY) }
    };
    for i in 0..=n {
        let (lo, hi) = window(i);
        let mut row = std::mem::take(&mut rows[0].1);
        row.clear();
        row.resize(hi - lo + 1, f64::INFINITY);
        let brow = &mut back[offsets[i]..offsets[i + 1]];
        for j in lo..=hi {
            if i == 0 && j == 0 {
                row[0] = 0.0;
                continue;
            }
            for (k, &(ds, dt)) in KINDS.iter().enumerate() {
                if ds > i || dt > j {
                    continue;
                }
                let prev = match ds {
                    0 => row_get(&row, lo, j - dt),
                    1 => get(&rows[2], j - dt),
                    _ => get(&rows[1], j - dt),
                };
                if !prev.is_finite() {
                    continue;
                }
                let c = prev + bead_cost(&s[i - ds..i], &t[j - dt..j], ratio, params.priors[k], params);
                if c < row[j - lo] {
                    row[j - lo] = c;
                    brow[j - lo] = k as u8;
                }
            }
        }
        rows.rotate_left(1);
        rows[2] = (lo, row);
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (lo, hi) = window(i);
        if j < lo || j > hi {
            return None;
        }
        let (ds, dt) = *KINDS.get(usize::from(back[offsets[i] + j - lo]))?;
        beads.push(Bead { source: i - ds..i, translation: j - dt..j });
        i -= ds;
        j -= dt;
    }
    beads.reverse();
    Some(beads)
}

fn row_get(row: &[f64], lo: usize, j: usize) -> f64 {
    if j < lo { f64::INFINITY } else { row.get(j - lo).copied().unwrap_or(f64::INFINITY) }
}

/// Every paragraph on its own, for when one side is empty.
fn alone(n: usize, m: usize) -> Vec<Bead> {
    (0..n)
        .map(|i| Bead { source: i..i + 1, translation: 0..0 })
        .chain((0..m).map(|j| Bead { source: n..n, translation: j..j + 1 }))
        .collect()
}

/// Pairs in order: the i-th with the i-th, the extras of the longer side alone. The baseline.
pub fn in_order(n: usize, m: usize) -> Vec<Bead> {
    let k = n.min(m);
    let mut beads: Vec<Bead> = (0..k).map(|i| Bead { source: i..i + 1, translation: i..i + 1 }).collect();
    beads.extend((k..n).map(|i| Bead { source: i..i + 1, translation: m..m }));
    beads.extend((k..m).map(|j| Bead { source: n..n, translation: j..j + 1 }));
    beads
}

/// What the aligner knows of a paragraph: its length and its anchors.
struct Para {
    len: usize,
    /// Looks like it has no counterpart: see [`stands_alone`].
    alone: bool,
    /// Anchors, as written (until interned).
    anchors: Vec<String>,
    /// Interned anchors kept for this article, sorted.
    ids: Vec<u32>,
}

impl Para {
    fn new(text: &str, side: Side) -> Para {
        let len = text.chars().filter(|c| !c.is_whitespace()).count();
        let mut anchors = anchors(text);
        anchors.sort();
        Para { len, alone: stands_alone(text, side), anchors, ids: Vec::new() }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Source,
    Translation,
}

/// Openings of source paragraphs that are rarely translated: photo captions, credits and
/// "related article" links, in the languages news comes in.
const SOURCE_ALONE_OPENINGS: &[&str] = &[
    "사진",
    "(사진",
    "[사진",
    "▲",
    "△",
    "▶",
    "[관련 기사",
    "[관련기사",
    "관련 기사",
    "관련기사",
    "写真",
    "【写真",
    "（写真",
    "関連記事",
    "【関連",
    "图为",
    "圖為",
    "图：",
    "图/",
    "（图",
    "(图",
    "照片",
    "相关阅读",
    "相关新闻",
    "延伸阅读",
    "photo:",
    "photo :",
    "foto:",
    "bild:",
    "фото:",
    "фото ",
    "read more",
    "read also",
    "lire aussi",
    "à lire aussi",
    "lea también",
    "lee también",
    "lesen sie auch",
    "mehr zum thema",
    "читайте также",
    "см. также",
];

/// Endings of source paragraphs that are credits: `김민지 기자`, `…供图`.
const SOURCE_ALONE_ENDINGS: &[&str] = &["기자", "특파원", "記者", "供图", "摄", "提供", "撮影"];

/// Openings of translation paragraphs the translator added.
const TRANSLATION_ALONE_OPENINGS: &[&str] = &[
    "translator's note",
    "translator’s note",
    "translators' note",
    "editor's note",
    "editor’s note",
    "note from the translator",
    "t/n",
    "tn:",
    "note:",
    "(note",
    "[note",
    "(translator",
    "[translator",
    "(editor",
    "[editor",
];

/// Whether a paragraph looks like it has no counterpart on the other side.
fn stands_alone(text: &str, side: Side) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    match side {
        Side::Source => {
            let short = t.chars().count() <= 80;
            SOURCE_ALONE_OPENINGS.iter().any(|o| lower.starts_with(o))
                || (short && SOURCE_ALONE_ENDINGS.iter().any(|e| t.trim_end_matches(['.', '。']).ends_with(e)))
                || (short && t.split_whitespace().any(|w| w.contains('@') && w.contains('.')))
        }
        Side::Translation => {
            TRANSLATION_ALONE_OPENINGS.iter().any(|o| lower.trim_start_matches(['*', ' ']).starts_with(o))
        }
    }
}

/// Drops anchors that occur on only one side of the whole article: they cannot tie anything
/// together (a capitalised sentence start in English, a number written out in words on the
/// other side) and would only add noise.
fn keep_shared_anchors(s: &mut [Para], t: &mut [Para]) {
    use std::collections::{HashMap, HashSet};
    let in_s: HashSet<&str> = s.iter().flat_map(|p| p.anchors.iter().map(String::as_str)).collect();
    let in_t: HashSet<&str> = t.iter().flat_map(|p| p.anchors.iter().map(String::as_str)).collect();
    let shared: HashSet<String> = in_s.intersection(&in_t).map(|a| a.to_string()).collect();
    let mut ids: HashMap<String, u32> = HashMap::new();
    for p in s.iter_mut().chain(t.iter_mut()) {
        let mut v: Vec<u32> = std::mem::take(&mut p.anchors)
            .into_iter()
            .filter(|a| shared.contains(a))
            .map(|a| {
                let next = ids.len() as u32;
                *ids.entry(a).or_insert(next)
            })
            .collect();
        v.sort_unstable();
        p.ids = v;
    }
}

fn bead_cost(s: &[Para], t: &[Para], ratio: f64, prior: f64, params: &Params) -> f64 {
    let mut cost = -prior.ln();
    // A dropped or added paragraph costs its prior only: its length says nothing about it.
    if !s.is_empty() && !t.is_empty() {
        let ls: usize = s.iter().map(|p| p.len).sum();
        let lt: usize = t.iter().map(|p| p.len).sum();
        cost += length_cost(ls as f64, lt as f64 / ratio, params.variance);
    }
    let standing_alone = s.iter().chain(t).filter(|p| p.alone).count() as f64;
    if s.is_empty() || t.is_empty() {
        cost -= params.cue * standing_alone;
    } else {
        cost += params.cue * standing_alone;
    }
    let (matched, total) = anchor_overlap(s, t);
    cost -= params.anchor_match * matched as f64;
    cost += params.anchor_miss * (total - 2 * matched) as f64;
    cost
}

/// `-ln P(|δ|)` where δ is the standardised difference of the two lengths (the translation's
/// already divided by the ratio).
fn length_cost(ls: f64, lt: f64, variance: f64) -> f64 {
    let mean = (ls + lt) / 2.0;
    if mean == 0.0 {
        return 0.0;
    }
    let delta = (lt - ls) / (variance * mean).sqrt();
    // P(|δ|) = 2 (1 - Φ(|δ|)) = erfc(|δ| / √2)
    -ln_erfc(delta.abs() / std::f64::consts::SQRT_2)
}

/// ln erfc(x) for x ≥ 0, without underflow (Numerical Recipes' Chebyshev fit, error < 1.2e-7).
fn ln_erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() + poly
}

/// Shared anchors (as a multiset) and the total number of anchors in the bead, without
/// allocating: each side is a merge of at most two sorted lists.
fn anchor_overlap(s: &[Para], t: &[Para]) -> (usize, usize) {
    let total: usize = s.iter().chain(t).map(|p| p.ids.len()).sum();
    if total == 0 {
        return (0, 0);
    }
    let mut a = Merge::of(s).peekable();
    let mut b = Merge::of(t).peekable();
    let mut matched = 0;
    while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                a.next();
            }
            std::cmp::Ordering::Greater => {
                b.next();
            }
            std::cmp::Ordering::Equal => {
                matched += 1;
                a.next();
                b.next();
            }
        }
    }
    (matched, total)
}

/// Two sorted lists read as one.
struct Merge<'a> {
    a: &'a [u32],
    b: &'a [u32],
}

impl<'a> Merge<'a> {
    fn of(ps: &'a [Para]) -> Self {
        Merge { a: ps.first().map_or(&[], |p| &p.ids), b: ps.get(1).map_or(&[], |p| &p.ids) }
    }
}

impl Iterator for Merge<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let take_a = match (self.a.first(), self.b.first()) {
            (Some(x), Some(y)) => x <= y,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let list = if take_a { &mut self.a } else { &mut self.b };
        let (first, rest) = list.split_first()?;
        *list = rest;
        Some(*first)
    }
}

/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The tokens of a paragraph that survive translation:
/// - numbers, separators removed (`1,011` → `1011`; `6月` gives `6`), and English month names
///   as their number, so dates meet across scripts;
/// - URLs;
/// - Latin-script words with a capital letter (names, acronyms), accents folded;
/// - Latin-script words of five letters or more as their first five letters, marked `~`:
///   cognates such as *festival*/*Festival*/*festival*, *kilomètres*/*kilometres*, which tie
///   German, French or Spanish paragraphs to their English translations.
///
/// [`align`] keeps only the anchors found on both sides of an article.
pub fn anchors(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let mut num = String::new();
            while i < chars.len() {
                let d = chars[i];
                if d.is_ascii_digit() {
                    num.push(d);
                } else if matches!(d, ',' | '\u{2009}' | '\u{202f}')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                {
                    // a thousands separator: skipped
                } else {
                    break;
                }
                i += 1;
            }
            let trimmed = num.trim_start_matches('0');
            out.push(if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() });
            continue;
        }
        if is_latin_letter(c) {
            let start = i;
            while i < chars.len()
                && (is_latin_letter(chars[i])
                    || chars[i].is_ascii_digit()
                    || matches!(chars[i], ':' | '/' | '.' | '-' | '_' | '?' | '=' | '&' | '%'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_end_matches(['.', ':', '-', '?', '/']);
            if word.contains("://") || word.starts_with("www.") {
                out.push(word.to_lowercase());
                continue;
            }
            for part in word.split(|c: char| !is_latin_letter(c)) {
                let folded: String = part.chars().map(fold_accent).collect::<String>().to_lowercase();
                let letters = folded.chars().count();
                if let Some(m) = MONTHS.iter().position(|&mo| mo == folded) {
                    out.push((m + 1).to_string());
                } else if letters >= 2 && part.chars().any(char::is_uppercase) {
                    out.push(folded);
                } else if letters >= 5 {
                    out.push(format!("~{}", folded.chars().take(5).collect::<String>()));
                }
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Letters of the Latin script (Basic Latin to Latin Extended-B).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{c0}'..='\u{24f}').contains(&c) && c.is_alphabetic())
}

/// The base letter of the common accented Latin letters.
fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'ì'..='ï' | 'ī' | 'į' => 'i',
        'Ì'..='Ï' | 'Ī' | 'Į' => 'I',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => 'O',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        'ß' => 's',
        'š' | 'ś' => 's',
        'Š' | 'Ś' => 'S',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ł' => 'l',
        'Ł' => 'L',
        other => other,
    }
}

/// A summary such as `9×1-1, 2×2-1, 1×1-0`, most frequent first.
pub struct Summary(pub Vec<((usize, usize), usize)>);

impl Summary {
    pub fn of(beads: &[Bead]) -> Summary {
        let mut counts: Vec<((usize, usize), usize)> = Vec::new();
        for b in beads {
            match counts.iter_mut().find(|(k, _)| *k == b.kind()) {
                Some((_, c)) => *c += 1,
                None => counts.push((b.kind(), 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Summary(counts)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|((s, t), c)| format!("{c}×{s}-{t}")).collect();
        f.write_str(&parts.join(", "))
    }
}

/// Links (source index, translation index) of an alignment, for scoring.
pub fn links(beads: &[Bead]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for b in beads {
        for s in b.source.clone() {
            for t in b.translation.clone() {
                out.push((s, t));
            }
        }
    }
    out
}

/// Link precision, recall and F1 of `predicted` against `gold`.
pub fn score(predicted: &[Bead], gold: &[Bead]) -> (f64, f64, f64) {
    let p = links(predicted);
    let g = links(gold);
    let hits = p.iter().filter(|l| g.contains(l)).count() as f64;
    let precision = if p.is_empty() { 1.0 } else { hits / p.len() as f64 };
    let recall = if g.is_empty() { 1.0 } else { hits / g.len() as f64 };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(beads: &[Bead]) -> Vec<(usize, usize)> {
        beads.iter().map(Bead::kind).collect()
    }

    fn covers_everything(beads: &[Bead], n: usize, m: usize) {
        let s: Vec<usize> = beads.iter().flat_map(|b| b.source.clone()).collect();
        let t: Vec<usize> = beads.iter().flat_map(|b| b.translation.clone()).collect();
        assert_eq!(s, (0..n).collect::<Vec<_>>());
        assert_eq!(t, (0..m).collect::<Vec<_>>());
    }

    #[test]
    fn one_to_one_when_lengths_agree() {
        let s =
            ["서울시는 오늘 새 버스 노선을 발표했다.", "노선은 다음 달 1일부터 운행된다.", "시민들의 반응은 엇갈렸다."];
        let t = [
            "The city announced new bus routes today.",
            "The routes will run from the 1st of next month.",
            "Residents' reactions were mixed.",
        ];
        let b = align(&s, &t);
        assert_eq!(kinds(&b), vec![(1, 1); 3]);
    }

    #[test]
    fn finds_a_merge_by_length_ratio() {
        // Korean is about three times denser than English: the ratio comes from the article.
        let s = [
            "서울시가 11일 시청에서 북한인권 포럼을 열었다.",
            "포럼에는 국내외 전문가들이 참석했다.",
            "참석자들은 국제 협력의 필요성을 강조했다.",
            "시는 내년에도 포럼을 열 계획이다.",
        ];
        let t = [
            "Seoul held a forum on North Korean human rights at City Hall on the 11th, attended by experts from home and abroad.",
            "Participants stressed the need for international cooperation.",
            "The city plans to hold the forum again next year.",
        ];
        let b = align(&s, &t);
        assert_eq!(kinds(&b), vec![(2, 1), (1, 1), (1, 1)]);
    }

    #[test]
    fn drops_a_caption_and_keeps_an_added_note() {
        let s = [
            "2014년 6월 22일 대운하가 세계유산에 올랐다.",
            "사진=연합뉴스",
            "운하의 길이는 약 1,011㎞에 이른다.",
            "관광객도 꾸준히 늘고 있다.",
        ];
        let t = [
            "On June 22, 2014, the Grand Canal was inscribed as World Heritage.",
            "The canal is about 1,011 km long.",
            "Translator's note: the listing covers 27 sections and 58 sites along the route, spread over eight provinces.",
            "Visitor numbers keep growing.",
        ];
        let b = align(&s, &t);
        covers_everything(&b, 4, 4);
        assert!(b.contains(&Bead { source: 0..1, translation: 0..1 }), "{b:?}");
        assert!(b.contains(&Bead { source: 2..3, translation: 1..2 }), "{b:?}");
        assert!(
            b.contains(&Bead { source: 1..2, translation: 1..1 })
                || b.contains(&Bead { source: 0..2, translation: 0..1 }),
            "{b:?}"
        );
    }

    #[test]
    fn captions_credits_and_notes_stand_alone() {
        assert!(stands_alone("사진 설명: 지난해 축제를 찾은 시민들", Side::Source));
        assert!(stands_alone("김민지 기자 minji@example.kr", Side::Source));
        assert!(stands_alone("图为工作人员在修复骨架。博物馆供图", Side::Source));
        assert!(stands_alone("Translator's note: WeChat is a messaging app.", Side::Translation));
        assert!(!stands_alone("시는 내년에도 포럼을 열 계획이다.", Side::Source));
        assert!(!stands_alone("The city plans to hold the forum again.", Side::Translation));
    }

    #[test]
    fn one_side_empty() {
        let b = align(&["a", "b"], &[] as &[&str]);
        assert_eq!(kinds(&b), vec![(1, 0), (1, 0)]);
        let b = align(&[] as &[&str], &["a"]);
        assert_eq!(kinds(&b), vec![(0, 1)]);
    }

    #[test]
    fn anchors_survive_translation() {
        assert_eq!(anchors("2014年6月22日"), vec!["2014", "6", "22"]);
        assert_eq!(anchors("On June 22, 2014"), vec!["on", "6", "22", "2014"]);
        assert_eq!(anchors("약 1,011㎞"), vec!["1011"]);
        assert_eq!(anchors("see https://example.org/x."), vec!["https://example.org/x"]);
        assert_eq!(anchors("the UN and Julie Turner"), vec!["un", "julie", "turner"]);
        assert_eq!(anchors("Élodie gagne le festival"), vec!["elodie", "~gagne", "~festi"]);
    }

    #[test]
    fn long_inputs_stay_in_order_and_fast() {
        let s: Vec<String> = (0..3000).map(|i| format!("문단 {i} 내용이다.")).collect();
        let t: Vec<String> = (0..3000).map(|i| format!("Paragraph {i} says this.")).collect();
        let b = align(&s, &t);
        covers_everything(&b, 3000, 3000);
        assert!(b.iter().all(|b| b.kind() == (1, 1)));
    }

    /// The probe's bomb: 20,000 short paragraphs against 10,000. The band no longer grows with
    /// the difference in counts, so the program fills at most `max_cells` cells.
    #[test]
    fn unbalanced_bomb_is_bounded() {
        let s: Vec<String> = (0..20_000).map(|i| format!("문단 {i}")).collect();
        let t: Vec<String> = (0..10_000).map(|i| format!("Para {i}")).collect();
        let params = Params::default();
        let Plan::Band(w, bound) = plan_band(s.len(), t.len(), &params) else { panic!("a band") };
        assert!((s.len() + 1) * (2 * w + 1) <= params.max_cells + s.len() + 1, "{w}");
        assert_eq!(bound, Bound::Narrowed(w));
        let a = align_bounded(&s, &t, &params);
        assert_eq!(a.bound, Bound::Narrowed(w));
        covers_everything(&a.beads, 20_000, 10_000);
        assert!(a.bound.warning(20_000, 10_000).unwrap().contains("20000 source and 10000 translation"));
    }

    #[test]
    fn too_long_to_align_pairs_in_order() {
        let params = Params { max_cells: 10_000, ..Params::default() };
        let s: Vec<String> = (0..5_000).map(|i| format!("문단 {i}")).collect();
        let a = align_bounded(&s, &s, &params);
        assert_eq!(a.bound, Bound::InOrder);
        assert_eq!(a.beads, in_order(5_000, 5_000));
        assert!(a.bound.warning(5_000, 5_000).unwrap().contains("paired in order"));
    }

    /// One paragraph against thousands: every row of a narrowed band still reaches the next,
    /// so the program finds a path (it used to index past its back pointers).
    #[test]
    fn lopsided_counts_always_find_a_path() {
        for (n, m) in [(1, 5_000), (3, 4_000), (5_000, 1), (2, 7), (700, 20_000)] {
            let s: Vec<String> = (0..n).map(|i| format!("문단 {i}")).collect();
            let t: Vec<String> = (0..m).map(|i| format!("Paragraph {i}")).collect();
            for max_cells in [2_000_000, 50_000] {
                let params = Params { max_cells, ..Params::default() };
                let a = align_bounded(&s, &t, &params);
                covers_everything(&a.beads, n, m);
                if let Plan::Band(w, _) = plan_band(n, m, &params) {
                    let beads = align_paras(
                        s.iter().map(|p| Para::new(p, Side::Source)).collect(),
                        t.iter().map(|p| Para::new(p, Side::Translation)).collect(),
                        w,
                        &params,
                    );
                    assert!(beads.is_some(), "{n}×{m} with band {w}");
                }
            }
        }
    }

    #[test]
    fn normal_articles_get_the_full_band() {
        let params = Params::default();
        assert!(matches!(plan_band(40, 25, &params), Plan::Band(w, Bound::Full) if w == 60 + 15));
        assert!(matches!(plan_band(3_000, 3_000, &params), Plan::Band(60, Bound::Full)));
    }

    #[test]
    fn scores_links() {
        let gold = vec![Bead { source: 0..2, translation: 0..1 }, Bead { source: 2..3, translation: 1..2 }];
        let pred = in_order(3, 2);
        let (p, r, f) = score(&pred, &gold);
        assert_eq!((p, r), (0.5, 1.0 / 3.0));
        assert!((f - 0.4).abs() < 1e-9);
        assert_eq!(score(&gold, &gold), (1.0, 1.0, 1.0));
    }

    #[test]
    fn summary_counts_kinds() {
        let b = vec![
            Bead { source: 0..1, translation: 0..1 },
            Bead { source: 1..3, translation: 1..2 },
            Bead { source: 3..4, translation: 2..3 },
            Bead { source: 4..5, translation: 3..3 },
        ];
        assert_eq!(Summary::of(&b).to_string(), "2×1-1, 1×1-0, 1×2-1");
    }
}
