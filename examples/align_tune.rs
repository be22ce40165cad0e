//! Searches the aligner's constants on the gold standard and prints the best few settings:
//! `cargo run --release --example align_tune`. Used to choose `align::Params::default()`;
//! prefer round values near the top over the single best, which may fit this set too closely.

#[allow(dead_code)]
#[path = "../tests/common/align_cases.rs"]
mod align_cases;

use bitext::align::{self, Params};

fn main() {
    let cases = align_cases::load();
    let mut results = Vec::new();
    for &del in &[0.01, 0.02, 0.04, 0.06] {
        for &merge in &[0.02, 0.045, 0.08] {
            for &variance in &[3.0, 6.8, 12.0, 25.0] {
                for &(anchor_match, anchor_miss) in &[(2.0, 1.0), (3.0, 1.0), (4.0, 2.0)] {
                    let two_two = merge / 4.0;
                    let one = 1.0 - 2.0 * del - 2.0 * merge - two_two;
                    let params = Params {
                        priors: [one, del, del, merge, merge, two_two],
                        variance,
                        anchor_match,
                        anchor_miss,
                        ..Params::default()
                    };
                    let (mut hits, mut predicted, mut gold, mut worst) = (0, 0, 0, f64::INFINITY);
                    for c in &cases {
                        let p = align::align_with(&c.source, &c.translation, &params);
                        let g = align::links(&c.gold);
                        let l = align::links(&p);
                        hits += l.iter().filter(|x| g.contains(x)).count();
                        predicted += l.len();
                        gold += g.len();
                        let base = align::score(&align::in_order(c.source.len(), c.translation.len()), &c.gold).2;
                        worst = worst.min(align::score(&p, &c.gold).2 - base);
                    }
                    let f1 = align_cases::overall(hits, predicted, gold).2;
                    results.push((f1, worst, del, merge, variance, anchor_match, anchor_miss));
                }
            }
        }
    }
    results.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("F1     worst-vs-baseline  del   merge  variance  match  miss");
    for r in results.iter().take(25) {
        println!("{:.3}  {:+.3}             {:<5} {:<6} {:<9} {:<6} {}", r.0, r.1, r.2, r.3, r.4, r.5, r.6);
    }
}
