//! Paragraph alignment: which source paragraphs and which translation paragraphs say the same
//! thing, for a translation made paragraph by paragraph and for an outlet's two editions of one
//! story, which merge, split, drop, add and move paragraphs.
//!
//! 1. **Anchors** ([`anchors`]): what survives translation, read alike from every language:
//!    numbers with their magnitude (`26조` and `26 trillion`), percentages, years, dates and
//!    times, Latin-script names and acronyms, names through romanisation ([`roman`]),
//!    quotations and questions. Only anchors found on both sides count, each weighted by its
//!    kind and by how rare it is within the article pair.
//! 2. **Machine help** (when an engine is configured): the engine's translation of each source
//!    paragraph is compared with the human edition by chrF ([`chrf`]), measured against the
//!    article's own background level.
//! 3. **A backbone** of confident pairs: pairs that are each other's best match by a clear
//!    margin, the longest chain of them in order. A confident pair that crosses the backbone is
//!    a *moved* paragraph: it is kept as a pair where the translation puts it, and marked.
//! 4. **A length model between them**: a dynamic program in the manner of Gale & Church (1993)
//!    over *beads* of 0–2 paragraphs a side (1-1, 1-0 dropped, 0-1 added, 2-1 merged, 1-2
//!    split, 2-2). A bead costs `-ln P(kind) - ln P(lengths match)`, with the length ratio
//!    estimated from the article itself (Korean, Chinese and Japanese are two to four times
//!    denser than English), less what its shared anchors and machine similarity say, more for
//!    splitting a backbone pair. It runs in a band around the diagonal, so it stays linear in
//!    the number of paragraphs, and within a fixed number of cells whatever the input.
//! 5. **Confidence**: every pair gets a score in 0..=1 from its evidence, and the article a
//!    verdict: when most paragraphs are unpaired or the texts share almost no anchors, the
//!    pairing is implausible and [`Alignment::warning`] says why.

pub mod anchors;
pub mod chrf;
pub mod roman;

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
    /// Cost taken off a bead that keeps a backbone pair together, and added to one that splits
    /// it.
    pub backbone: f64,
    /// The least similarity (0..=1) of a backbone pair, and its least margin over the second
    /// best match of either paragraph.
    pub backbone_min: f64,
    pub backbone_margin: f64,
    /// The least similarity of a pair that crosses the backbone for it to be called moved, and
    /// the least weight of the anchors it shares (one shared name is not enough).
    pub move_min: f64,
    pub move_weight: f64,
    /// Cost added to a bead with both sides for each unit of weight of its paragraphs' figures
    /// that the other side of the article never mentions (a dropped or added paragraph's).
    pub orphan: f64,
    /// Cost taken off a bead per unit of machine similarity (0..=1, above the background).
    pub machine: f64,
    /// Half-width of the band around the backbone, once there is one: the path runs through
    /// the backbone's pairs or close by, so the band can follow them instead of the diagonal.
    pub guide: usize,
}

impl Default for Params {
    fn default() -> Self {
        // Chosen from the middle of a plateau of equally good settings on the tuning sets
        // (`cargo run --release --example align_tune`), not its edge.
        let (dropped, merged) = (0.06, 0.045);
        Params {
            priors: [1.0 - 2.0 * dropped - 2.25 * merged, dropped, dropped, merged, merged, merged / 4.0],
            variance: 4.0,
            anchor_match: 3.0,
            anchor_miss: 1.0,
            band: 12,
            max_cells: 2_000_000,
            cue: 3.0,
            backbone: 2.0,
            backbone_min: 0.35,
            backbone_margin: 0.1,
            move_min: 0.45,
            move_weight: 1.0,
            orphan: 0.5,
            machine: 6.0,
            guide: 6,
        }
    }
}

/// Aligns two lists of paragraphs. Every paragraph appears in exactly one bead; beads come in
/// the translation's order (a moved pair's source paragraph out of the source's order).
pub fn align<S: AsRef<str>, T: AsRef<str>>(source: &[S], translation: &[T]) -> Vec<Bead> {
    align_with(source, translation, &Params::default())
}

/// [`align`] with other constants (for tuning and evaluation).
pub fn align_with<S: AsRef<str>, T: AsRef<str>>(source: &[S], translation: &[T], params: &Params) -> Vec<Bead> {
    align_bounded(source, translation, params).beads
}

/// An alignment, how the aligner's bound shaped it, and how sure it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// In the translation's order.
    pub beads: Vec<Bead>,
    pub bound: Bound,
    /// Per bead: whether its source paragraph was moved by the translation (it stands
    /// elsewhere in the source).
    pub moved: Vec<bool>,
    /// Per bead with both sides: how sure the aligner is, 0..=1.
    pub confidence: Vec<Option<f32>>,
    /// The whole article's pairing, 0..=1.
    pub overall: f32,
    /// Why the pairing looks implausible (two unrelated texts, most paragraphs unpaired).
    pub warning: Option<String>,
}

impl Alignment {
    fn plain(beads: Vec<Bead>, bound: Bound) -> Alignment {
        let k = beads.len();
        Alignment { beads, bound, moved: vec![false; k], confidence: vec![None; k], overall: 0.0, warning: None }
    }
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

/// What the aligner is given: paragraphs with an optional tag each (such as `heading`:
/// paragraphs with the same tag are drawn together like paragraphs that share a number), and
/// the engine's translations of the source paragraphs when an engine is configured.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    pub source: Vec<(&'a str, Option<&'a str>)>,
    pub translation: Vec<(&'a str, Option<&'a str>)>,
    /// One per source paragraph.
    pub machine: Option<Vec<&'a str>>,
}

impl<'a> Input<'a> {
    pub fn new<S: AsRef<str>, T: AsRef<str>>(source: &'a [S], translation: &'a [T]) -> Input<'a> {
        Input {
            source: source.iter().map(|s| (s.as_ref(), None)).collect(),
            translation: translation.iter().map(|t| (t.as_ref(), None)).collect(),
            machine: None,
        }
    }
}

/// [`align_with`], saying whether the size limit narrowed the search. Time and memory are
/// bounded whatever the input: at most [`Params::max_cells`] cells of the dynamic program, one
/// byte each, plus three rows of costs; past that the paragraphs are paired in order.
pub fn align_bounded<S: AsRef<str>, T: AsRef<str>>(source: &[S], translation: &[T], params: &Params) -> Alignment {
    align_input(&Input::new(source, translation), params)
}

/// [`align`] with a tag per paragraph (see [`Input`]).
pub fn align_tagged<S: AsRef<str>, T: AsRef<str>>(
    source: &[(S, Option<&str>)],
    translation: &[(T, Option<&str>)],
) -> Alignment {
    let input = Input {
        source: source.iter().map(|(s, tag)| (s.as_ref(), *tag)).collect(),
        translation: translation.iter().map(|(t, tag)| (t.as_ref(), *tag)).collect(),
        machine: None,
    };
    align_input(&input, &Params::default())
}

/// The aligner, given everything it can use.
pub fn align_input(input: &Input<'_>, params: &Params) -> Alignment {
    let (n, m) = (input.source.len(), input.translation.len());
    let band = match plan_band(n, m, params) {
        Plan::Alone => return Alignment::plain(alone(n, m), Bound::Full),
        Plan::InOrder => return Alignment::plain(in_order(n, m), Bound::InOrder),
        Plan::Band(w, bound) => (w, bound),
    };
    let script = Script::of(input);
    let bytes: usize = input.source.iter().chain(&input.translation).map(|(text, _)| text.len()).sum();
    let (s, t) = read_paras(input, script, bytes >= PARALLEL_BYTES && cores() > 1);
    let machine = input.machine.as_ref().filter(|mt| mt.len() == n && band.1 == Bound::Full).map(|mt| {
        let hyp: Vec<chrf::Profile> = mt.iter().map(|x| chrf::Profile::new(x)).collect();
        let reference: Vec<chrf::Profile> = input.translation.iter().map(|(x, _)| chrf::Profile::new(x)).collect();
        Machine::new(hyp, reference)
    });
    Task::new(s, t, machine, params).align(band.0, band.1)
}

/// Each paragraph of both sides with its anchors; `parallel`, the two sides at once (reading
/// the anchors is half the work of an alignment).
fn read_paras(input: &Input<'_>, script: Script, parallel: bool) -> (Vec<Para>, Vec<Para>) {
    let para = |text: &str, tag: Option<&str>, side| {
        let mut p = Para::new(text, side, script);
        if let Some(tag) = tag {
            p.anchors.push(format!("#{tag}"));
        }
        p
    };
    let sources = || input.source.iter().map(|(text, tag)| para(text, *tag, Side::Source)).collect::<Vec<Para>>();
    let translations =
        || input.translation.iter().map(|(text, tag)| para(text, *tag, Side::Translation)).collect::<Vec<Para>>();
    if !parallel {
        return (sources(), translations());
    }
    std::thread::scope(|scope| match std::thread::Builder::new().spawn_scoped(scope, sources) {
        Ok(s) => {
            let t = translations();
            (s.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), t)
        }
        // No thread to be had: one side after the other.
        Err(_) => (sources(), translations()),
    })
}

/// Text on both sides (bytes) from which the two sides' anchors are read on two threads: a
/// thread costs some tens of microseconds, reading this much text a few hundred.
const PARALLEL_BYTES: usize = 8 * 1024;

/// The cores this process may use, asked once (Linux reads the cgroup's quota for it).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
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

/// The paragraphs most pairs a dense similarity table covers; past it (a very long article) no
/// backbone is sought, no paragraph is called moved and the engine does not help.
const MAX_TABLE: usize = 250_000;

/// The engine's translations of the source paragraphs, as chrF profiles, with the shared
/// n-gram counts of every source–translation pair.
struct Machine {
    hyp: Vec<[u32; chrf::N]>,
    reference: Vec<[u32; chrf::N]>,
    /// `matches[i * m + j]`
    matches: Vec<[u32; chrf::N]>,
    /// The article's background chrF: what an unrelated pair scores (the median pair).
    background: f64,
}

impl Machine {
    fn new(hyp: Vec<chrf::Profile>, reference: Vec<chrf::Profile>) -> Option<Machine> {
        let (n, m) = (hyp.len(), reference.len());
        if n * m > MAX_TABLE || n * m == 0 {
            return None;
        }
        let mut matches = Vec::with_capacity(n * m);
        let mut scores = Vec::with_capacity(n * m);
        for h in &hyp {
            for r in &reference {
                let k = chrf::matches(h, r);
                scores.push(chrf::score(&k, &chrf::totals(h), &chrf::totals(r)));
                matches.push(k);
            }
        }
        scores.sort_by(f64::total_cmp);
        let background = scores[scores.len() / 2];
        Some(Machine {
            hyp: hyp.iter().map(chrf::totals).collect(),
            reference: reference.iter().map(chrf::totals).collect(),
            matches,
            background,
        })
    }

    /// How much more alike than the background the engine's translation of `s` and the edition's
    /// `t` are, 0..=1 (several paragraphs a side add up).
    fn similarity(&self, s: &[usize], t: &[usize]) -> f64 {
        let m = self.reference.len();
        let (mut k, mut h, mut r) = ([0u32; chrf::N], [0u32; chrf::N], [0u32; chrf::N]);
        for &i in s {
            add(&mut h, &self.hyp[i]);
            for &j in t {
                add(&mut k, &self.matches[i * m + j]);
            }
        }
        for &j in t {
            add(&mut r, &self.reference[j]);
        }
        let c = chrf::score(&k, &h, &r);
        ((c - self.background) / (1.0 - self.background).max(0.1) * 2.5).clamp(0.0, 1.0)
    }
}

fn add(into: &mut [u32; chrf::N], from: &[u32; chrf::N]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// One article pair being aligned.
struct Task<'p> {
    s: Vec<Para>,
    t: Vec<Para>,
    /// Weight of each interned anchor: its kind's weight times its rarity in the article.
    weights: Vec<f64>,
    machine: Option<Machine>,
    params: &'p Params,
    /// Translation characters per source character.
    ratio: f64,
    /// Distinct anchors by kind weight: shared by both sides, on the source side, on the
    /// translation side.
    shared: (f64, f64, f64),
    /// Backbone partners, by original index.
    partner_s: Vec<Option<usize>>,
    partner_t: Vec<Option<usize>>,
    /// The anchor weight every source paragraph shares with every translation paragraph,
    /// `[i * m + j]`, once the backbone has been sought (empty before, and for an article too
    /// long for a table).
    pair_matched: Vec<f64>,
}

impl<'p> Task<'p> {
    fn new(mut s: Vec<Para>, mut t: Vec<Para>, machine: Option<Option<Machine>>, params: &'p Params) -> Task<'p> {
        let (weights, shared) = keep_shared_anchors(&mut s, &mut t);
        for side in [&mut s, &mut t] {
            for k in 1..side.len() {
                side[k - 1].with_next = merged(&side[k - 1].ids, &side[k].ids);
            }
        }
        let total_s: usize = s.iter().map(|p| p.len).sum();
        let total_t: usize = t.iter().map(|p| p.len).sum();
        let ratio = if total_s == 0 || total_t == 0 { 1.0 } else { total_t as f64 / total_s as f64 };
        let (n, m) = (s.len(), t.len());
        Task {
            s,
            t,
            weights,
            machine: machine.flatten(),
            params,
            ratio,
            shared,
            partner_s: vec![None; n],
            partner_t: vec![None; m],
            pair_matched: Vec::new(),
        }
    }

    fn align(mut self, band: usize, bound: Bound) -> Alignment {
        let (n, m) = (self.s.len(), self.t.len());
        let moved = if n * m <= MAX_TABLE && bound == Bound::Full { self.backbone() } else { Vec::new() };
        let keep_s: Vec<usize> = (0..n).filter(|i| !moved.iter().any(|&(a, _)| a == *i)).collect();
        let keep_t: Vec<usize> = (0..m).filter(|j| !moved.iter().any(|&(_, b)| b == *j)).collect();
        let Some(mut beads) = self.program(&keep_s, &keep_t, band) else {
            return Alignment::plain(in_order(n, m), Bound::InOrder);
        };
        let mut is_moved = vec![false; beads.len()];
        for &(i, j) in &moved {
            let at =
                beads.iter().position(|b| !b.translation.is_empty() && b.translation.start > j).unwrap_or(beads.len());
            beads.insert(at, Bead { source: i..i + 1, translation: j..j + 1 });
            is_moved.insert(at, true);
        }
        let confidence = self.confidence(&beads, &is_moved);
        // A narrowed search is said so already (see `Bound::warning`); its pairs are not judged.
        let (overall, warning) = match bound {
            Bound::Full => self.verdict(&beads, &confidence),
            _ => (self.verdict(&beads, &confidence).0, None),
        };
        Alignment { beads, bound, moved: is_moved, confidence, overall, warning }
    }

    /// Weighted anchor agreement of some source and some translation paragraphs, 0..=1 (a
    /// Dice coefficient, shrunk towards 0 when there is little weight to go by), with the
    /// shared and total weight.
    fn anchor_agreement(&self, s: &[usize], t: &[usize]) -> (f64, f64, f64) {
        let side = |ps: &[Para], idx: &[usize]| idx.iter().map(|&i| ps[i].weight).sum::<f64>();
        let (on_s, on_t) = (side(&self.s, s), side(&self.t, t));
        let total = on_s + on_t;
        if on_s == 0.0 || on_t == 0.0 {
            return (0.0, 0.0, total);
        }
        if let ([i], [j]) = (s, t)
            && !self.pair_matched.is_empty()
        {
            let matched = self.pair_matched[i * self.t.len() + j];
            return (2.0 * matched / (total + EVIDENCE), matched, total);
        }
        let (a, b) = (ids(&self.s, s), ids(&self.t, t));
        // Both lists sorted: a two-pointer walk, each shared anchor counted as often as both
        // sides have it.
        let (mut x, mut y, mut matched) = (0, 0, 0.0);
        while x < a.len() && y < b.len() {
            match a[x].cmp(&b[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    matched += self.weights[a[x] as usize];
                    x += 1;
                    y += 1;
                }
            }
        }
        (2.0 * matched / (total + EVIDENCE), matched, total)
    }

    /// What [`Task::anchor_agreement`] finds matched for every source–translation pair, read
    /// from each anchor's paragraphs instead of walking every pair's lists: the same sums, in
    /// the same order (by anchor, as often as both paragraphs hold it).
    fn pair_table(&self) -> Vec<f64> {
        let (n, m) = (self.s.len(), self.t.len());
        let k = self.weights.len();
        // Each anchor's paragraphs with how often each holds it, one side at a time, in one
        // flat list per side indexed by the anchor's start.
        let postings = |side: &[Para]| {
            let mut start = vec![0usize; k + 1];
            for p in side {
                for &id in &p.ids {
                    start[id as usize + 1] += 1;
                }
            }
            for a in 0..k {
                start[a + 1] += start[a];
            }
            let mut fill = start.clone();
            let mut list = vec![(0u32, 0u32); start[k]];
            for (at, p) in side.iter().enumerate() {
                let mut x = 0;
                while x < p.ids.len() {
                    let id = p.ids[x] as usize;
                    let run = p.ids[x..].iter().take_while(|&&d| d as usize == id).count();
                    list[fill[id]] = (at as u32, run as u32);
                    fill[id] += 1;
                    x += run;
                }
            }
            (start, fill, list)
        };
        let (s_start, s_end, s_list) = postings(&self.s);
        let (t_start, t_end, t_list) = postings(&self.t);
        let mut table = vec![0.0f64; n * m];
        for a in 0..k {
            let w = self.weights[a];
            for &(i, ci) in &s_list[s_start[a]..s_end[a]] {
                for &(j, cj) in &t_list[t_start[a]..t_end[a]] {
                    let cell = &mut table[i as usize * m + j as usize];
                    for _ in 0..ci.min(cj) {
                        *cell += w;
                    }
                }
            }
        }
        table
    }

    /// How alike source `i` and translation `j` are, 0..=1: their anchors, and the engine's
    /// translation when there is one.
    fn similarity(&self, i: usize, j: usize) -> f64 {
        let anchors = self.anchor_agreement(&[i], &[j]).0;
        match &self.machine {
            Some(mt) => 0.5 * anchors + 0.5 * mt.similarity(&[i], &[j]),
            None => anchors,
        }
    }

    /// How much speaks for pairing source `i` with translation `j`, in anchor weight: the weight
    /// of the anchors they share, and the engine's similarity counted as two anchors' worth.
    fn evidence(&self, i: usize, j: usize) -> f64 {
        let anchors = self.anchor_agreement(&[i], &[j]).1;
        anchors + self.machine.as_ref().map_or(0.0, |mt| 2.0 * mt.similarity(&[i], &[j]))
    }

    /// Finds the backbone (recorded as partners) and returns the moved pairs: confident pairs
    /// that cross it.
    fn backbone(&mut self) -> Vec<(usize, usize)> {
        let (n, m) = (self.s.len(), self.t.len());
        self.pair_matched = self.pair_table();
        let mut sim = vec![0.0f64; n * m];
        for i in 0..n {
            for j in 0..m {
                sim[i * m + j] = self.similarity(i, j);
            }
        }
        let best_two = |values: &mut dyn Iterator<Item = (usize, f64)>| {
            let (mut best, mut first, mut second) = (usize::MAX, 0.0f64, 0.0f64);
            for (k, v) in values {
                if v > first {
                    second = first;
                    first = v;
                    best = k;
                } else if v > second {
                    second = v;
                }
            }
            (best, first, second)
        };
        let rows: Vec<(usize, f64, f64)> = (0..n).map(|i| best_two(&mut (0..m).map(|j| (j, sim[i * m + j])))).collect();
        let cols: Vec<(usize, f64, f64)> = (0..m).map(|j| best_two(&mut (0..n).map(|i| (i, sim[i * m + j])))).collect();
        let p = self.params;
        let candidates: Vec<(usize, usize, f64)> = (0..n)
            .filter_map(|i| {
                let (j, v, second) = rows[i];
                if j == usize::MAX || cols[j].0 != i || v < p.backbone_min {
                    return None;
                }
                (v - second >= p.backbone_margin && v - cols[j].2 >= p.backbone_margin).then_some((i, j, v))
            })
            .collect();
        // The heaviest chain increasing on both sides (candidates are sorted by source).
        let k = candidates.len();
        let mut best = vec![0.0f64; k];
        let mut prev = vec![usize::MAX; k];
        for a in 0..k {
            best[a] = candidates[a].2;
            for b in 0..a {
                if candidates[b].1 < candidates[a].1 && best[b] + candidates[a].2 > best[a] {
                    best[a] = best[b] + candidates[a].2;
                    prev[a] = b;
                }
            }
        }
        let mut in_chain = vec![false; k];
        let mut at = (0..k).max_by(|&a, &b| best[a].total_cmp(&best[b]));
        while let Some(a) = at {
            in_chain[a] = true;
            at = (prev[a] != usize::MAX).then_some(prev[a]);
        }
        let mut moved = Vec::new();
        for (c, &(i, j, v)) in candidates.iter().enumerate() {
            if in_chain[c] {
                self.partner_s[i] = Some(j);
                self.partner_t[j] = Some(i);
            } else if v >= p.move_min && self.evidence(i, j) >= p.move_weight {
                moved.push((i, j));
            }
        }
        moved
    }

    /// The dynamic program over the paragraphs kept (original indices, increasing), in a band
    /// of half-width `band` around the diagonal. Costs are kept for the last three rows only;
    /// the bead that reached each cell is one byte. `None` if no path reaches the end (which
    /// the band's width rules out).
    fn program(&self, ks: &[usize], kt: &[usize], band: usize) -> Option<Vec<Bead>> {
        let (n, m) = (ks.len(), kt.len());
        if n == 0 || m == 0 {
            return Some(alone_at(ks, kt, self.s.len(), self.t.len()));
        }
        let windows = self.windows(ks, kt, band);
        let window = |i: usize| windows[i];
        let mut offsets: Vec<usize> = Vec::with_capacity(n + 2);
        let mut total = 0;
        for i in 0..=n {
            offsets.push(total);
            let (lo, hi) = window(i);
            total += hi - lo + 1;
        }
        offsets.push(total);
        let mut back = vec![u8::MAX; total];
        let mut rows: [(usize, Vec<f64>); 3] = [(0, Vec::new()), (0, Vec::new()), (0, Vec::new())];
        let get = |row: &(usize, Vec<f64>), j: usize| -> f64 {
            if j < row.0 { f64::INFINITY } else { row.1.get(j - row.0).copied().unwrap_or(f64::INFINITY) }
        };
        // Two paragraphs of a side may share a bead only if nothing was taken out between them.
        let priors = self.params.priors.map(|p| -p.ln());
        let joinable_s = |i: usize| ks[i - 1] + 1 == ks[i];
        let joinable_t = |j: usize| kt[j - 1] + 1 == kt[j];
        // A paragraph alone costs the same wherever the other side stands: once each.
        let alone_s: Vec<f64> = ks.iter().map(|&i| self.bead_cost(&[i], &[], priors[1])).collect();
        let alone_t: Vec<f64> = kt.iter().map(|&j| self.bead_cost(&[], &[j], priors[2])).collect();
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
                    if ds > i || dt > j || (ds == 2 && !joinable_s(i - 1)) || (dt == 2 && !joinable_t(j - 1)) {
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
                    let cost = match (ds, dt) {
                        (1, 0) => alone_s[i - 1],
                        (0, 1) => alone_t[j - 1],
                        _ => self.bead_cost(&ks[i - ds..i], &kt[j - dt..j], priors[k]),
                    };
                    let c = prev + cost;
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
            beads.push((i - ds..i, j - dt..j));
            i -= ds;
            j -= dt;
        }
        beads.reverse();
        // Back to the original indices; an empty side sits where it falls.
        let place = |r: Range<usize>, kept: &[usize], total: usize| match (r.start < r.end).then(|| kept[r.start]) {
            Some(a) => a..kept[r.end - 1] + 1,
            None => {
                let at = kept.get(r.start).copied().unwrap_or(total);
                at..at
            }
        };
        Some(
            beads
                .into_iter()
                .map(|(a, b)| Bead { source: place(a, ks, self.s.len()), translation: place(b, kt, self.t.len()) })
                .collect(),
        )
    }

    /// Each row's window of columns, `n + 1` of them: `band` either side of the diagonal or,
    /// when the backbone has pairs among the paragraphs kept, [`Params::guide`] either side of
    /// the line through them (narrower, and closer to where the path runs). Every window
    /// reaches the next: a row's bead advances at most two columns, and within a row only
    /// what the window holds.
    fn windows(&self, ks: &[usize], kt: &[usize], band: usize) -> Vec<(usize, usize)> {
        let (n, m) = (ks.len(), kt.len());
        // The backbone's pairs as cells the path goes through, from (0, 0) to (n, m).
        let mut knots = vec![(0, 0)];
        for (i, &si) in ks.iter().enumerate() {
            if let Some(j) = self.partner_s[si].and_then(|tj| kt.binary_search(&tj).ok()) {
                knots.push((i, j));
                knots.push((i + 1, j + 1));
            }
        }
        knots.push((n, m));
        let guided = knots.len() > 2 && self.params.guide < band;
        let mut windows: Vec<(usize, usize)> = if guided {
            let half = self.params.guide;
            let mut windows = vec![(usize::MAX, 0); n + 1];
            let mut cover = |i: usize, center: usize| {
                let w: &mut (usize, usize) = &mut windows[i];
                *w = (w.0.min(center.saturating_sub(half)), w.1.max((center + half).min(m)));
            };
            for pair in knots.windows(2) {
                let ((ra, ca), (rb, cb)) = (pair[0], pair[1]);
                cover(ra, ca);
                cover(rb, cb);
                for i in ra + 1..rb {
                    cover(i, ca + (i - ra) * (cb - ca) / (rb - ra));
                }
            }
            windows
        } else {
            (0..=n)
                .map(|i| {
                    let center = (i as u128 * m as u128 / n as u128) as usize;
                    (center.saturating_sub(band), (center + band).min(m))
                })
                .collect()
        };
        windows[0].0 = 0;
        windows[n].1 = m;
        // Where the line climbs steeply (paragraphs added), a row reaches right to where the next
        // row's window begins.
        for i in (0..n).rev() {
            windows[i].1 = windows[i].1.max(windows[i + 1].0.saturating_sub(2)).min(m);
        }
        windows
    }

    /// What a bead costs; `prior` is `-ln P(kind)`.
    fn bead_cost(&self, s: &[usize], t: &[usize], prior: f64) -> f64 {
        let params = self.params;
        let mut cost = prior;
        let both = !s.is_empty() && !t.is_empty();
        // A dropped or added paragraph costs its prior only: its length says nothing about it.
        if both {
            let ls: usize = s.iter().map(|&i| self.s[i].len).sum();
            let lt: usize = t.iter().map(|&j| self.t[j].len).sum();
            cost += length_cost(ls as f64, lt as f64 / self.ratio, params.variance);
        }
        let standing_alone =
            s.iter().filter(|&&i| self.s[i].alone).count() + t.iter().filter(|&&j| self.t[j].alone).count();
        if both {
            cost += params.cue * standing_alone as f64;
        } else {
            cost -= params.cue * standing_alone as f64;
        }
        let (_, matched, total) = self.anchor_agreement(s, t);
        if both {
            let orphans: f64 =
                s.iter().map(|&i| self.s[i].orphan).sum::<f64>() + t.iter().map(|&j| self.t[j].orphan).sum::<f64>();
            cost += params.orphan * orphans;
        }
        cost -= params.anchor_match * matched;
        cost += params.anchor_miss * (total - 2.0 * matched);
        for &i in s {
            if let Some(j) = self.partner_s[i] {
                cost += if t.contains(&j) { -params.backbone } else { params.backbone };
            }
        }
        for &j in t {
            if let Some(i) = self.partner_t[j]
                && !s.contains(&i)
            {
                cost += params.backbone;
            }
        }
        if both && let Some(mt) = &self.machine {
            cost -= params.machine * mt.similarity(s, t);
        }
        cost
    }

    /// How sure the aligner is of each bead with both sides: what its anchors, the engine and
    /// its lengths say, the lengths counting for more between two anchored neighbours.
    fn confidence(&self, beads: &[Bead], moved: &[bool]) -> Vec<Option<f32>> {
        let idx = |r: &Range<usize>| r.clone().collect::<Vec<usize>>();
        let evidence: Vec<Option<(f64, bool)>> = beads
            .iter()
            .map(|b| {
                let (s, t) = (idx(&b.source), idx(&b.translation));
                if s.is_empty() || t.is_empty() {
                    return None;
                }
                let anchors = self.anchor_agreement(&s, &t).0;
                let mt = self.machine.as_ref().map_or(0.0, |mt| mt.similarity(&s, &t));
                let backbone = s.iter().any(|&i| self.partner_s[i].is_some_and(|j| t.contains(&j)));
                Some((1.0 - (1.0 - 0.9 * anchors.min(1.0)) * (1.0 - 0.9 * mt), backbone || anchors >= 0.3 || mt >= 0.5))
            })
            .collect();
        let anchored = |k: Option<usize>| k.and_then(|k| evidence.get(k).copied().flatten()).is_none_or(|e| e.1);
        beads
            .iter()
            .enumerate()
            .map(|(k, b)| {
                let (direct, strong) = evidence[k]?;
                if moved[k] || strong {
                    return Some(direct.max(0.8) as f32);
                }
                let ls: usize = b.source.clone().map(|i| self.s[i].len).sum();
                let lt: usize = b.translation.clone().map(|j| self.t[j].len).sum();
                let lengths = (-length_cost(ls as f64, lt as f64 / self.ratio, self.params.variance)).exp();
                let around = [k.checked_sub(1), Some(k + 1)].into_iter().filter(|&x| anchored(x)).count();
                let context = 0.3 + 0.3 * around as f64;
                Some((1.0 - (1.0 - direct) * (1.0 - lengths * context)) as f32)
            })
            .collect()
    }

    /// The article's confidence, and a warning when the pairing is implausible: most
    /// paragraphs unpaired, or two texts that share almost no names, numbers or dates.
    fn verdict(&self, beads: &[Bead], confidence: &[Option<f32>]) -> (f32, Option<String>) {
        let (n, m) = (self.s.len(), self.t.len());
        let paired: usize = beads
            .iter()
            .filter(|b| !b.source.is_empty() && !b.translation.is_empty())
            .map(|b| b.source.len() + b.translation.len())
            .sum();
        let paired_share = paired as f64 / (n + m).max(1) as f64;
        let (mut sum, mut count) = (0.0, 0.0);
        for (b, c) in beads.iter().zip(confidence) {
            if let Some(c) = c {
                let w = (b.source.len() + b.translation.len()) as f64;
                sum += f64::from(*c) * w;
                count += w;
            }
        }
        let mean = if count > 0.0 { sum / count } else { 0.0 };
        let (shared, on_s, on_t) = self.shared;
        let judged = on_s.min(on_t);
        let shared_share = if judged > 0.0 { shared / judged } else { 1.0 };
        let overall = (mean * paired_share.min(1.0) * (shared_share * 3.0).min(1.0)) as f32;
        let warning = if paired_share < 0.5 {
            Some(format!(
                "most paragraphs are unpaired ({} of {}): are these two editions of one story?",
                n + m - paired,
                n + m
            ))
        } else if judged >= UNRELATED_MIN_WEIGHT && shared_share < UNRELATED_SHARE {
            Some(format!(
                "the two texts share almost no names, numbers or dates ({:.0}% of what one side holds): are these two editions of one story?",
                shared_share * 100.0
            ))
        } else if count > 0.0 && overall < WEAK {
            Some(format!("the pairs are weak (confidence {overall:.2}): are these two editions of one story?"))
        } else {
            None
        };
        (overall, warning)
    }
}

/// Below this confidence, the article's pairing as a whole is implausible.
const WEAK: f32 = 0.4;

/// Weight added to the anchors of a pair when judging how alike they are: one shared name
/// alone is weak evidence, however alone it is in both paragraphs.
const EVIDENCE: f64 = 1.5;

/// Below this share of anchors (by weight) in common, two texts are not one story…
const UNRELATED_SHARE: f64 = 0.2;
/// …provided each side has at least this much anchor weight to judge by.
const UNRELATED_MIN_WEIGHT: f64 = 5.0;

/// The paragraphs kept, all alone (one side has none left).
fn alone_at(ks: &[usize], kt: &[usize], n: usize, m: usize) -> Vec<Bead> {
    let mut beads: Vec<Bead> = ks.iter().map(|&i| Bead { source: i..i + 1, translation: m..m }).collect();
    beads.extend(kt.iter().map(|&j| Bead { source: n..n, translation: j..j + 1 }));
    beads
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
    /// Its anchors and the next paragraph's on its side, sorted (for beads of two).
    with_next: Vec<u32>,
    /// The weight of its figures found nowhere on the other side.
    orphan: f64,
    /// The weight of its anchors kept.
    weight: f64,
}

impl Para {
    fn new(text: &str, side: Side, script: Script) -> Para {
        let len = visible_chars(text);
        let anchors = anchors::anchors_with(text, script.names, script.cognates, script.lexicon, script.pinyin);
        Para {
            len,
            alone: stands_alone(text, side),
            anchors,
            ids: Vec::new(),
            with_next: Vec::new(),
            orphan: 0.0,
            weight: 0.0,
        }
    }
}

/// How many chars of a text are not white space, read byte by byte: only a char that may be
/// white space beyond ASCII (a lead byte of U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000) is
/// decoded.
fn visible_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut len = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if b < 0x80 {
            len += usize::from(!matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'));
        } else if b & 0xc0 != 0x80 {
            let maybe_space =
                matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3) && text[at..].chars().next().is_some_and(char::is_whitespace);
            len += usize::from(!maybe_space);
        }
    }
    len
}

/// What the scripts of an article pair call for.
#[derive(Clone, Copy)]
struct Script {
    /// Names are matched by their romanisation: a side is written in Hangul or kana.
    names: bool,
    /// Cognates tie the texts together: both are written in the Latin script.
    cognates: bool,
    /// The lexicon's words tie the texts together: a side is Korean, Japanese or Chinese.
    lexicon: bool,
    /// Names are read in pinyin: a side is written in Han characters with no kana or Hangul
    /// anywhere (Chinese).
    pinyin: bool,
}

impl Script {
    fn of(input: &Input<'_>) -> Script {
        // One pass over each side: Hangul or kana anywhere, Han or Hangul anywhere, and whether
        // most of the first 2,000 letters are Latin.
        let (mut names, mut cjk) = (false, false);
        let mut latin = |side: &[(&str, Option<&str>)]| {
            let (mut letters, mut latin) = (0usize, 0usize);
            for c in side.iter().flat_map(|(t, _)| t.chars()) {
                if c.is_ascii() {
                    if letters < 2_000 && c.is_ascii_alphabetic() {
                        letters += 1;
                        latin += 1;
                    }
                    continue;
                }
                let hangul = ('\u{ac00}'..='\u{d7a3}').contains(&c);
                names |= hangul || ('\u{30a1}'..='\u{30fa}').contains(&c);
                cjk |= hangul || ('\u{4e00}'..='\u{9fff}').contains(&c);
                if letters < 2_000 && c.is_alphabetic() {
                    letters += 1;
                    latin += usize::from(anchors::is_latin_letter(c));
                }
            }
            latin * 2 > letters
        };
        let cognates = latin(&input.source) & latin(&input.translation);
        Script { names, cognates, lexicon: names || cjk, pinyin: cjk && !names }
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
    // The openings are short: only the paragraph's head is lowered (and no char from U+3000 on,
    // Hangul, kana and Han among them: none lowers to a letter any opening has).
    let head = |t: &str| {
        let mut lower = String::with_capacity(64);
        for c in t.chars().take(32) {
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else if c < '\u{3000}' {
                lower.extend(c.to_lowercase());
            } else {
                lower.push(c);
            }
        }
        lower
    };
    match side {
        Side::Source => {
            let lower = head(t);
            let short = t.chars().nth(80).is_none();
            SOURCE_ALONE_OPENINGS.iter().any(|o| lower.starts_with(o))
                || (short && SOURCE_ALONE_ENDINGS.iter().any(|e| t.trim_end_matches(['.', '。']).ends_with(e)))
                || (short && t.split_whitespace().any(|w| w.contains('@') && w.contains('.')))
        }
        Side::Translation => {
            let lower = head(t.trim_start_matches(['*', ' ']));
            TRANSLATION_ALONE_OPENINGS.iter().any(|o| lower.starts_with(o))
        }
    }
}

/// Keeps only anchors that occur on both sides of the article (one on a single side cannot tie
/// anything together: a capitalised sentence start in English, a number written out in words
/// on the other side) and interns them. Returns each interned anchor's weight, its kind's
/// weight times its rarity (an anchor in one paragraph a side weighs fully, one in every
/// paragraph almost nothing), and the kind weight of the distinct anchors shared, on the
/// source side and on the translation side, for telling unrelated texts apart.
fn keep_shared_anchors(s: &mut [Para], t: &mut [Para]) -> (Vec<f64>, (f64, f64, f64)) {
    // foldhash: fast on short keys, and seeded per process, so a page cannot choose collisions.
    use foldhash::HashMap;
    /// What is known of one distinct anchor.
    struct Seen {
        /// 1: on the source side, 2: on the translation side.
        sides: u8,
        /// Paragraphs it occurs in.
        df: usize,
        /// Paragraph it was last counted for.
        last: usize,
        kind: f64,
        related: bool,
        figure: bool,
    }
    let n = s.len();
    let mut seen: Vec<Seen> = Vec::new();
    let mut local: Vec<Vec<u32>> = Vec::with_capacity(n + t.len());
    {
        let mut index: HashMap<&str, u32> = HashMap::default();
        for (k, p) in s.iter().chain(t.iter()).enumerate() {
            let side = if k < n { 1 } else { 2 };
            let mut v = Vec::with_capacity(p.anchors.len());
            for a in &p.anchors {
                let id = *index.entry(a.as_str()).or_insert_with(|| {
                    seen.push(Seen {
                        sides: 0,
                        df: 0,
                        last: usize::MAX,
                        kind: anchors::base_weight(a),
                        related: counts_for_relatedness(a),
                        figure: is_figure(a),
                    });
                    (seen.len() - 1) as u32
                });
                let e = &mut seen[id as usize];
                e.sides |= side;
                if e.last != k {
                    e.last = k;
                    e.df += 1;
                }
                v.push(id);
            }
            local.push(v);
        }
    }
    let (mut shared, mut on_s, mut on_t) = (0.0, 0.0, 0.0);
    for e in seen.iter().filter(|e| e.related) {
        if e.sides == 3 {
            shared += e.kind;
        }
        if e.sides & 1 != 0 {
            on_s += e.kind;
        }
        if e.sides & 2 != 0 {
            on_t += e.kind;
        }
    }
    // Anchors on both sides get dense ids, weighted by kind and rarity.
    let paragraphs = (s.len() + t.len()) as f64;
    let full = ((paragraphs + 1.0) / 2.0).ln().max(f64::EPSILON);
    let mut dense = vec![u32::MAX; seen.len()];
    let mut weights = Vec::new();
    for (id, e) in seen.iter().enumerate() {
        if e.sides == 3 {
            dense[id] = weights.len() as u32;
            weights.push(e.kind * (((paragraphs + 1.0) / e.df as f64).ln() / full).clamp(0.05, 1.0));
        }
    }
    for (p, v) in s.iter_mut().chain(t.iter_mut()).zip(local) {
        p.orphan = v.iter().map(|&id| &seen[id as usize]).filter(|e| e.sides != 3 && e.figure).map(|e| e.kind).sum();
        let mut ids: Vec<u32> = v.iter().map(|&id| dense[id as usize]).filter(|&d| d != u32::MAX).collect();
        ids.sort_unstable();
        p.weight = ids.iter().map(|&d| weights[d as usize]).sum();
        p.ids = ids;
        p.anchors = Vec::new();
    }
    (weights, (shared, on_s, on_t))
}

/// Whether an anchor is a figure that a translation keeps (a number of 10 or more, a
/// percentage, a year, a date, a time): one found on a single side marks a paragraph the other
/// side dropped or added.
fn is_figure(a: &str) -> bool {
    match a.split_once(':') {
        Some(("n", v)) => v.parse::<f64>().is_ok_and(|v| v >= 10.0),
        Some(("%" | "y" | "d" | "t", _)) => true,
        _ => false,
    }
}

/// Whether an anchor says anything about two texts being one story: quotation and question
/// marks, tags and cognates do not (any two articles have them).
fn counts_for_relatedness(a: &str) -> bool {
    !(a == "\"" || a == "?" || a.starts_with('#') || a.starts_with('~'))
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

/// The anchors of some paragraphs of one side, sorted: one paragraph's, two neighbours' (merged
/// once, in [`Task::new`]), or any others' merged here.
fn ids<'a>(side: &'a [Para], idx: &[usize]) -> std::borrow::Cow<'a, [u32]> {
    match *idx {
        [] => std::borrow::Cow::Borrowed(&[]),
        [i] => std::borrow::Cow::Borrowed(&side[i].ids),
        [i, j] if j == i + 1 => std::borrow::Cow::Borrowed(&side[i].with_next),
        _ => {
            let mut all: Vec<u32> = idx.iter().flat_map(|&i| side[i].ids.iter().copied()).collect();
            all.sort_unstable();
            std::borrow::Cow::Owned(all)
        }
    }
}

/// Two sorted lists merged into one.
fn merged(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        if a[x] <= b[y] {
            out.push(a[x]);
            x += 1;
        } else {
            out.push(b[y]);
            y += 1;
        }
    }
    out.extend_from_slice(&a[x..]);
    out.extend_from_slice(&b[y..]);
    out
}

pub(crate) use anchors::MONTHS;

/// A summary such as `9×1-1, 2×2-1, 1×1-0`, most frequent first.
pub struct Summary(pub Vec<((usize, usize), usize)>);

impl Summary {
    pub fn of(beads: &[Bead]) -> Summary {
        Summary::of_kinds(beads.iter().map(Bead::kind))
    }

    /// The summary of groups given by their kinds (`(2, 1)` for two source paragraphs against
    /// one translation paragraph).
    pub fn of_kinds(kinds: impl Iterator<Item = (usize, usize)>) -> Summary {
        let mut counts: Vec<((usize, usize), usize)> = Vec::new();
        for k in kinds {
            match counts.iter_mut().find(|(kind, _)| *kind == k) {
                Some((_, c)) => *c += 1,
                None => counts.push((k, 1)),
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

/// Strict bead precision, recall and F1: a bead counts only if the other alignment has exactly
/// the same bead (the same paragraphs on each side).
pub fn bead_score(predicted: &[Bead], gold: &[Bead]) -> (f64, f64, f64) {
    let hits = beads_shared(predicted, gold) as f64;
    let precision = if predicted.is_empty() { 1.0 } else { hits / predicted.len() as f64 };
    let recall = if gold.is_empty() { 1.0 } else { hits / gold.len() as f64 };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (precision, recall, f1)
}

/// The number of beads two alignments share exactly (see [`bead_score`]).
pub fn beads_shared(predicted: &[Bead], gold: &[Bead]) -> usize {
    let key = |b: &Bead| {
        let side = |r: &Range<usize>| if r.is_empty() { 0..0 } else { r.clone() };
        (side(&b.source), side(&b.translation))
    };
    let g: Vec<_> = gold.iter().map(key).collect();
    predicted.iter().filter(|b| g.contains(&key(b))).count()
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

    /// The two sides read on two threads are read exactly as one after the other, tags and
    /// all, and a long pair is read so.
    #[test]
    fn both_sides_read_at_once_are_read_the_same() {
        let source: Vec<String> =
            (0..60).map(|i| format!("김민준 장관은 {i}일 서울에서 반도체 예산 {}조 원을 발표했다.", i + 2)).collect();
        let translation: Vec<String> = (0..60)
            .map(|i| {
                format!("Minister Kim Min-jun announced a chip budget of {} trillion won in Seoul on the {i}th.", i + 2)
            })
            .collect();
        let mut input = Input::new(&source, &translation);
        input.source[3].1 = Some("quote");
        let bytes: usize = source.iter().chain(&translation).map(String::len).sum();
        assert!(bytes >= PARALLEL_BYTES, "{bytes} bytes: long enough to be read on two threads");
        let script = Script::of(&input);
        let looks = |(s, t): (Vec<Para>, Vec<Para>)| {
            let side = |ps: Vec<Para>| ps.into_iter().map(|p| (p.len, p.alone, p.anchors)).collect::<Vec<_>>();
            (side(s), side(t))
        };
        let serial = looks(read_paras(&input, script, false));
        assert_eq!(looks(read_paras(&input, script, true)), serial);
        assert!(serial.0[3].2.contains(&"#quote".to_string()) && serial.1[0].2.iter().any(|a| a.starts_with("k:")));
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

    /// Plain prose has no anchors: only the engine's translation can tell that the edition moved
    /// the last paragraph up to second place.
    #[test]
    fn the_engine_finds_a_move_the_anchors_cannot() {
        let s = [
            "La feria del pueblo vuelve este fin de semana con puestos de comida y música en la plaza.",
            "Los vecinos llevan semanas preparando los adornos de las calles del casco antiguo.",
            "El ayuntamiento ha pedido a los visitantes que dejen el coche fuera del centro.",
            "Habrá autobuses gratuitos desde la estación hasta la plaza durante todo el día.",
            "Los comerciantes esperan que la feria atraiga a más público que el año pasado.",
            "La alcaldesa dijo que la feria es el corazón de la vida del pueblo y de sus barrios.",
        ];
        let t = [
            "The town fair returns this weekend with food stalls and music in the square.",
            "The mayor said the fair is the heart of the life of the town and of its neighbourhoods.",
            "Residents have spent weeks preparing the decorations for the streets of the old town.",
            "The town hall has asked visitors to leave their cars outside the centre.",
            "There will be free buses from the station to the square throughout the day.",
            "Shopkeepers hope the fair will draw a bigger crowd than last year.",
        ];
        let machine = [
            "The fair of the town returns this weekend with stalls of food and music in the square.",
            "The neighbours have been preparing the decorations of the streets of the old town for weeks.",
            "The town hall has asked the visitors to leave the car outside the centre.",
            "There will be free buses from the station to the square all day.",
            "The shopkeepers hope that the fair attracts more public than last year.",
            "The mayor said that the fair is the heart of the life of the town and of its neighbourhoods.",
        ];
        let plain = align_input(&Input::new(&s, &t), &Params::default());
        assert!(!plain.moved.contains(&true), "{:?}", plain.beads);
        let mut input = Input::new(&s, &t);
        input.machine = Some(machine.to_vec());
        let helped = align_input(&input, &Params::default());
        let at = helped.beads.iter().position(|b| *b == Bead { source: 5..6, translation: 1..2 });
        assert!(at.is_some_and(|k| helped.moved[k]), "{:?} {:?}", helped.beads, helped.moved);
        assert_eq!(helped.beads.len(), 6, "{:?}", helped.beads);
    }

    /// A task over numbered paragraphs: source `k` has the figure `1000 + k`, and so has the
    /// translation paragraph `figure(j)` names (`None`: an added paragraph without one).
    fn numbered_task(n: usize, m: usize, figure: impl Fn(usize) -> Option<usize>, params: &Params) -> Task<'_> {
        let script = Script::of(&Input::new(&["가"], &["a"]));
        let s: Vec<Para> =
            (0..n).map(|k| Para::new(&format!("{}명이 모였다.", 1000 + k), Side::Source, script)).collect();
        let t: Vec<Para> = (0..m)
            .map(|j| {
                let text = figure(j).map_or("More people came.".to_string(), |k| format!("{} people came.", 1000 + k));
                Para::new(&text, Side::Translation, script)
            })
            .collect();
        Task::new(s, t, None, params)
    }

    #[test]
    fn the_band_follows_the_backbone_and_every_row_reaches_the_next() {
        let params = Params::default();
        // 30 source paragraphs, 45 translation paragraphs: the backbone pairs 0–9 straight,
        // then 15 added translation paragraphs, then 10–29 shifted by 15.
        let figure = |j: usize| match j {
            0..10 => Some(j),
            10..25 => None,
            _ => Some(j - 15),
        };
        let mut task = numbered_task(30, 45, figure, &params);
        let pairs: Vec<(usize, usize)> = (0..10).map(|i| (i, i)).chain((10..30).map(|i| (i, i + 15))).collect();
        for &(i, j) in &pairs {
            task.partner_s[i] = Some(j);
            task.partner_t[j] = Some(i);
        }
        let ks: Vec<usize> = (0..30).collect();
        let kt: Vec<usize> = (0..45).collect();
        let band = 30;
        let windows = task.windows(&ks, &kt, band);
        assert_eq!(windows.len(), 31);
        assert_eq!((windows[0].0, windows[30].1), (0, 45));
        for &(i, j) in &pairs {
            assert!(windows[i].0 <= j && j <= windows[i].1, "row {i} misses {j}: {:?}", windows[i]);
            assert!(windows[i + 1].0 <= j + 1 && j < windows[i + 1].1, "row {} misses {}", i + 1, j + 1);
        }
        for r in 0..30 {
            assert!(windows[r + 1].0 <= windows[r].1 + 2, "row {} cannot be reached: {windows:?}", r + 1);
        }
        // Narrower than the diagonal band it replaces.
        let cells: usize = windows.iter().map(|(lo, hi)| hi - lo + 1).sum();
        assert!(cells < 31 * 20, "{cells} cells");
        // And the program finds the path up the 15 added paragraphs and along the backbone.
        let beads = task.program(&ks, &kt, band).expect("a path");
        for &(i, j) in &pairs {
            assert!(beads.iter().any(|b| b.source.contains(&i) && b.translation.contains(&j)), "({i}, {j}): {beads:?}");
        }
    }

    #[test]
    fn the_pair_table_sums_what_the_walk_sums() {
        let params = Params::default();
        let mut task = numbered_task(12, 12, Some, &params);
        // Repeated and shared anchors: a quote in several paragraphs, a figure twice in one.
        task.s[3].ids.extend([0, 0]);
        task.s[3].ids.sort_unstable();
        task.t[5].ids.push(0);
        task.t[5].ids.sort_unstable();
        task.s[3].weight += 2.0 * task.weights[0];
        task.t[5].weight += task.weights[0];
        let table = task.pair_table();
        for i in 0..12 {
            for j in 0..12 {
                let walked = task.anchor_agreement(&[i], &[j]).1;
                assert_eq!(table[i * 12 + j].to_bits(), walked.to_bits(), "({i}, {j})");
            }
        }
        assert!(table[3 * 12 + 5] > 0.0);
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
    fn visible_chars_skip_every_kind_of_white_space() {
        for text in
            ["", "a b\tc\n", "한국어 문장", "日本語\u{3000}です", "x\u{a0}y\u{85}z\u{2009}!", "カナ\u{b}\u{c}\r"]
        {
            assert_eq!(visible_chars(text), text.chars().filter(|c| !c.is_whitespace()).count(), "{text:?}");
        }
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
        let a = |t: &str| anchors::anchors(t);
        for key in ["y:2014", "d:6-22"] {
            assert!(a("2014年6月22日").iter().any(|k| k == key), "{key}");
            assert!(a("On June 22, 2014").iter().any(|k| k == key), "{key}");
        }
        assert_eq!(a("약 1,011㎞"), vec!["n:1011"]);
        let names = a("the UN and Julie Turner");
        assert!(["un", "julie", "turner"].iter().all(|k| names.iter().any(|n| n == k)), "{names:?}");
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
                    let task = Task::new(
                        s.iter()
                            .map(|p| {
                                Para::new(
                                    p,
                                    Side::Source,
                                    Script { names: true, cognates: true, lexicon: true, pinyin: false },
                                )
                            })
                            .collect(),
                        t.iter()
                            .map(|p| {
                                Para::new(
                                    p,
                                    Side::Translation,
                                    Script { names: true, cognates: true, lexicon: true, pinyin: false },
                                )
                            })
                            .collect(),
                        None,
                        &params,
                    );
                    let beads = task.program(&(0..n).collect::<Vec<_>>(), &(0..m).collect::<Vec<_>>(), w);
                    assert!(beads.is_some(), "{n}×{m} with band {w}");
                }
            }
        }
    }

    #[test]
    fn normal_articles_get_the_full_band() {
        let params = Params::default();
        assert!(matches!(plan_band(40, 25, &params), Plan::Band(w, Bound::Full) if w == 12 + 15));
        assert!(matches!(plan_band(3_000, 3_000, &params), Plan::Band(12, Bound::Full)));
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
