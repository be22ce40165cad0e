//! The aligner's gold standard (`tests/align/`) and its scoring, shared by the evaluation test
//! and the `align_report` example that writes the tables in BENCHMARKS.md.
//!
//! Four sets: translations paired paragraph by paragraph (`tests/align/*.toml`) and an outlet's
//! two editions of one story (`tests/align/editions/`), each with a held-out part under
//! `heldout/` that no constant was ever chosen on. Beads are listed in the translation's order;
//! a moved paragraph's source index stands out of order.

use std::path::{Path, PathBuf};

use bitext::align::{self, Bead};
use bitext::article::split_paragraphs;

pub struct Case {
    pub name: String,
    pub source_lang: String,
    pub source: Vec<String>,
    pub translation: Vec<String>,
    pub gold: Vec<Bead>,
}

#[derive(serde::Deserialize)]
struct Raw {
    source_lang: String,
    source: String,
    translation: String,
    beads: Vec<(Vec<usize>, Vec<usize>)>,
}

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/align")
}

/// The sets, by name, tuning sets first.
pub const SETS: [(&str, &str); 4] = [
    ("translations", ""),
    ("editions", "editions"),
    ("held-out translations", "heldout"),
    ("held-out editions", "heldout/editions"),
];

/// The cases the aligner's constants were chosen on.
pub fn load() -> Vec<Case> {
    let mut cases = load_from(&dir());
    cases.extend(load_from(&dir().join("editions")));
    cases
}

/// Cases written apart from the aligner and never used to tune it.
pub fn load_heldout() -> Vec<Case> {
    let mut cases = load_from(&dir().join("heldout"));
    cases.extend(load_from(&dir().join("heldout/editions")));
    cases
}

pub fn load_from(dir: &Path) -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let raw: Raw = toml::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let range = |v: &[usize]| match (v.first(), v.last()) {
                (Some(&a), Some(&b)) => a..b + 1,
                _ => 0..0,
            };
            let gold: Vec<Bead> =
                raw.beads.iter().map(|(s, t)| Bead { source: range(s), translation: range(t) }).collect();
            Case {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                source_lang: raw.source_lang,
                source: split_paragraphs(&raw.source),
                translation: split_paragraphs(&raw.translation),
                gold,
            }
        })
        .collect()
}

/// How many gold beads are moved pairs: source paragraphs out of the source's order (beads
/// off the longest chain in order).
pub fn moved(gold: &[Bead]) -> usize {
    let starts: Vec<usize> = gold.iter().filter(|b| !b.source.is_empty()).map(|b| b.source.start).collect();
    let mut chain = vec![1usize; starts.len()];
    for a in 0..starts.len() {
        for b in 0..a {
            if starts[b] < starts[a] {
                chain[a] = chain[a].max(chain[b] + 1);
            }
        }
    }
    starts.len() - chain.iter().max().copied().unwrap_or(0)
}

pub struct Scored {
    pub name: String,
    pub source_lang: String,
    pub paragraphs: (usize, usize),
    pub gold_summary: String,
    pub aligned: (f64, f64, f64),
    pub beads: (f64, f64, f64),
    pub baseline: (f64, f64, f64),
    pub baseline_beads: (f64, f64, f64),
    pub predicted_links: usize,
    pub gold_links: usize,
    pub aligned_hits: usize,
    pub baseline_links: usize,
    pub baseline_hits: usize,
    pub predicted_beads: usize,
    pub gold_beads: usize,
    pub bead_hits: usize,
    pub warning: Option<String>,
}

/// Scores the aligner on a case, with the engine's translations of the source paragraphs when
/// given.
pub fn score_with(case: &Case, machine: Option<&[String]>) -> Scored {
    let mut input = align::Input::new(&case.source, &case.translation);
    input.machine = machine.map(|m| m.iter().map(String::as_str).collect());
    let alignment = align::align_input(&input, &align::Params::default());
    let predicted = alignment.beads;
    let baseline = align::in_order(case.source.len(), case.translation.len());
    let gold_links = align::links(&case.gold);
    let hits = |beads: &[Bead]| align::links(beads).iter().filter(|l| gold_links.contains(l)).count();
    Scored {
        name: case.name.clone(),
        source_lang: case.source_lang.clone(),
        paragraphs: (case.source.len(), case.translation.len()),
        gold_summary: summary(&case.gold),
        aligned: align::score(&predicted, &case.gold),
        beads: align::bead_score(&predicted, &case.gold),
        baseline: align::score(&baseline, &case.gold),
        baseline_beads: align::bead_score(&baseline, &case.gold),
        predicted_links: align::links(&predicted).len(),
        gold_links: gold_links.len(),
        aligned_hits: hits(&predicted),
        baseline_links: align::links(&baseline).len(),
        baseline_hits: hits(&baseline),
        predicted_beads: predicted.len(),
        gold_beads: case.gold.len(),
        bead_hits: align::beads_shared(&predicted, &case.gold),
        warning: alignment.warning,
    }
}

pub fn score(case: &Case) -> Scored {
    score_with(case, None)
}

/// `9×1-1, 2×2-1, 1×1-0`, and `1 moved` when a pair is out of order.
fn summary(gold: &[Bead]) -> String {
    let mut s = align::Summary::of(gold).to_string();
    let moved = moved(gold);
    if moved > 0 {
        s.push_str(&format!(" ({moved} moved)"));
    }
    s
}

/// Micro-averaged precision, recall and F1.
pub fn overall(hits: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let p = hits as f64 / predicted.max(1) as f64;
    let r = hits as f64 / gold.max(1) as f64;
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

/// Overall link and strict bead scores of a set.
pub fn totals(scored: &[Scored]) -> ((f64, f64, f64), (f64, f64, f64)) {
    let sum = |f: fn(&Scored) -> usize| scored.iter().map(f).sum::<usize>();
    (
        overall(sum(|s| s.aligned_hits), sum(|s| s.predicted_links), sum(|s| s.gold_links)),
        overall(sum(|s| s.bead_hits), sum(|s| s.predicted_beads), sum(|s| s.gold_beads)),
    )
}
