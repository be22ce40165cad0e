//! The aligner against its gold standard (tests/align/: translations and editions, each with a
//! held-out part never used to choose a constant), and its verdict on unrelated texts.

mod common;

use bitext::align;
use common::align_cases::{Case, Scored, load, load_heldout, score, totals};

#[test]
fn gold_set_is_large_and_varied_enough() {
    let cases = load();
    assert!(cases.len() >= 14, "{} cases", cases.len());
    let mut langs: Vec<&str> = cases.iter().map(|c| c.source_lang.as_str()).collect();
    langs.sort();
    langs.dedup();
    assert!(langs.len() >= 4, "{langs:?}");
    for set in [load(), load_heldout()] {
        let kinds: Vec<(usize, usize)> = set.iter().flat_map(|c| c.gold.iter().map(|b| b.kind())).collect();
        for k in [(2, 1), (1, 2), (1, 0), (0, 1)] {
            assert!(kinds.contains(&k), "no {k:?} bead in a set");
        }
        let moved: usize = set.iter().map(|c| common::align_cases::moved(&c.gold)).sum();
        assert!(moved >= 4, "{moved} moved paragraphs in a set");
        for c in &set {
            let mut s: Vec<usize> = c.gold.iter().flat_map(|b| b.source.clone()).collect();
            let t: Vec<usize> = c.gold.iter().flat_map(|b| b.translation.clone()).collect();
            s.sort();
            assert_eq!(s, (0..c.source.len()).collect::<Vec<_>>(), "{}: beads cover every source paragraph", c.name);
            assert_eq!(t, (0..c.translation.len()).collect::<Vec<_>>(), "{}: translation in order", c.name);
        }
    }
}

/// Scores a set, after checking no article falls below in-order pairing.
fn scored(cases: &[Case]) -> Vec<Scored> {
    let scored: Vec<_> = cases.iter().map(score).collect();
    for s in &scored {
        assert!(
            s.aligned.2 >= s.baseline.2,
            "{}: aligned F1 {:.3} below in-order {:.3}",
            s.name,
            s.aligned.2,
            s.baseline.2
        );
    }
    scored
}

#[test]
fn aligner_beats_in_order_pairing_on_the_tuning_sets() {
    let (links, beads) = totals(&scored(&load()));
    eprintln!("tuning: link F1 {:.3}, strict bead F1 {:.3}", links.2, beads.2);
    // Measured 0.994 and 0.984.
    assert!(links.2 >= 0.985, "overall link F1 {:.3}", links.2);
    assert!(beads.2 >= 0.97, "overall strict bead F1 {:.3}", beads.2);
}

#[test]
fn aligner_generalises_to_the_held_out_sets() {
    let cases = load_heldout();
    assert!(cases.len() >= 14);
    // Measured 0.970 and 0.942 (the goal is 0.97 and 0.90); this guards against regressions.
    let (links, beads) = totals(&scored(&cases));
    eprintln!("held-out: link F1 {:.3}, strict bead F1 {:.3}", links.2, beads.2);
    assert!(links.2 >= 0.965, "held-out link F1 {:.3}", links.2);
    assert!(beads.2 >= 0.93, "held-out strict bead F1 {:.3}", beads.2);
}

/// Editions moved paragraphs: the aligner finds at least half of them (those tied by names in
/// kanji or hanzi alone need an engine), and calls few pairs moved that are not.
#[test]
fn moved_paragraphs_are_found() {
    let (mut found, mut wrong, mut total) = (0, 0, 0);
    for c in load().iter().chain(&load_heldout()) {
        let a = align::align_input(&align::Input::new(&c.source, &c.translation), &align::Params::default());
        let gold_moved = common::align_cases::moved(&c.gold);
        total += gold_moved;
        for (b, &m) in a.beads.iter().zip(&a.moved) {
            if m {
                if c.gold.contains(b) { found += 1 } else { wrong += 1 }
            }
        }
    }
    assert!(found * 2 >= total, "{found} of {total} moved paragraphs found");
    assert!(wrong <= 1, "{wrong} pairs called moved wrongly");
}

/// Two real editions never warn; a source paired with another story's translation always does.
#[test]
fn unrelated_texts_warn_and_real_editions_do_not() {
    let mut cases = load();
    cases.extend(load_heldout());
    let params = align::Params::default();
    for c in &cases {
        let a = align::align_input(&align::Input::new(&c.source, &c.translation), &params);
        assert_eq!(a.warning, None, "{}", c.name);
        assert!(a.overall >= 0.5, "{}: confidence {}", c.name, a.overall);
    }
    for (k, c) in cases.iter().enumerate() {
        for step in [1, 5, 11] {
            let other = &cases[(k + step) % cases.len()];
            let a = align::align_input(&align::Input::new(&c.source, &other.translation), &params);
            let w = a.warning.unwrap_or_else(|| panic!("{} with {}: no warning", c.name, other.name));
            assert!(w.contains("one story"), "{w}");
            assert!(a.overall < 0.5, "{} with {}: confidence {}", c.name, other.name, a.overall);
        }
    }
}

/// Right pairs are sure and wrong ones mostly unsure: the confidence means something. A pair
/// is wrong when none of its links is right; one that joins a paragraph too many (a 2-2 for
/// two 1-1s) still pairs the texts it shows, and is neither. Both parts of the gold standard
/// are pooled: the aligner now gets so few pairs wrong that one part alone holds one or two.
#[test]
fn confidence_separates_right_pairs_from_wrong_ones() {
    let (mut right, mut right_sure, mut wrong, mut wrong_unsure) = (0, 0, 0, 0);
    for c in load().into_iter().chain(load_heldout()) {
        let a = align::align_input(&align::Input::new(&c.source, &c.translation), &align::Params::default());
        let gold = align::links(&c.gold);
        for (b, conf) in a.beads.iter().zip(&a.confidence) {
            let Some(conf) = conf else { continue };
            if c.gold.contains(b) {
                right += 1;
                right_sure += usize::from(*conf >= bitext::article::UNSURE);
            } else if align::links(std::slice::from_ref(b)).iter().all(|l| !gold.contains(l)) {
                wrong += 1;
                wrong_unsure += usize::from(*conf < bitext::article::UNSURE);
            }
        }
    }
    assert!(wrong >= 3, "only {wrong} wrong pairs to judge by");
    assert!(right_sure * 10 >= right * 9, "{right_sure} of {right} right pairs sure");
    assert!(wrong_unsure * 3 >= wrong, "{wrong_unsure} of {wrong} wrong pairs unsure");
}
