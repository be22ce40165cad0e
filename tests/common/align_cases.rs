//! The aligner's gold standard (`tests/align/*.toml`) and its scoring, shared by the
//! evaluation test and the `align_report` example that writes the table in BENCHMARKS.md.

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

/// The cases the aligner's constants were chosen on.
pub fn load() -> Vec<Case> {
    load_from(&dir())
}

/// Cases written apart from the aligner and never used to tune it.
pub fn load_heldout() -> Vec<Case> {
    load_from(&dir().join("heldout"))
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
            let mut gold: Vec<Bead> =
                raw.beads.iter().map(|(s, t)| Bead { source: range(s), translation: range(t) }).collect();
            // Empty ranges carry no links; give them their true position for readability.
            let (mut si, mut ti) = (0, 0);
            for b in &mut gold {
                if b.source.is_empty() {
                    b.source = si..si;
                }
                if b.translation.is_empty() {
                    b.translation = ti..ti;
                }
                si = b.source.end;
                ti = b.translation.end;
            }
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

pub struct Scored {
    pub name: String,
    pub source_lang: String,
    pub paragraphs: (usize, usize),
    pub gold_summary: String,
    pub aligned: (f64, f64, f64),
    pub baseline: (f64, f64, f64),
    pub predicted_links: usize,
    pub gold_links: usize,
    pub aligned_hits: usize,
    pub baseline_links: usize,
    pub baseline_hits: usize,
}

pub fn score(case: &Case) -> Scored {
    let predicted = align::align(&case.source, &case.translation);
    let baseline = align::in_order(case.source.len(), case.translation.len());
    let gold_links = align::links(&case.gold);
    let hits = |beads: &[Bead]| align::links(beads).iter().filter(|l| gold_links.contains(l)).count();
    Scored {
        name: case.name.clone(),
        source_lang: case.source_lang.clone(),
        paragraphs: (case.source.len(), case.translation.len()),
        gold_summary: align::Summary::of(&case.gold).to_string(),
        aligned: align::score(&predicted, &case.gold),
        baseline: align::score(&baseline, &case.gold),
        predicted_links: align::links(&predicted).len(),
        gold_links: gold_links.len(),
        aligned_hits: hits(&predicted),
        baseline_links: align::links(&baseline).len(),
        baseline_hits: hits(&baseline),
    }
}

/// Micro-averaged precision, recall and F1 over all links of all cases.
pub fn overall(hits: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let p = hits as f64 / predicted.max(1) as f64;
    let r = hits as f64 / gold.max(1) as f64;
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}
