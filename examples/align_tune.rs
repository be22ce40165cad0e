//! Searches the aligner's constants on the tuning sets (tests/align/ and tests/align/editions/,
//! never the held-out ones) and prints the best few settings:
//! `cargo run --release --example align_tune [ROUNDS]`. Used to choose
//! `align::Params::default()`; prefer round values near the top over the single best, which
//! may fit this set too closely.

#[allow(dead_code)]
#[path = "../tests/common/align_cases.rs"]
mod align_cases;

use bitext::align::{self, Params};

/// A small deterministic generator (xorshift), so runs can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick(&mut self, choices: &[f64]) -> f64 {
        choices[(self.next() * choices.len() as f64) as usize % choices.len()]
    }
}

/// Link F1 and strict bead F1 over the cases, and the worst case's link F1.
fn evaluate(cases: &[align_cases::Case], params: &Params) -> (f64, f64, f64) {
    let (mut lh, mut lp, mut lg, mut bh, mut bp, mut bg, mut worst) = (0, 0, 0, 0, 0, 0, f64::INFINITY);
    for c in cases {
        let p = align::align_input(&align::Input::new(&c.source, &c.translation), params).beads;
        let g = align::links(&c.gold);
        let l = align::links(&p);
        lh += l.iter().filter(|x| g.contains(x)).count();
        lp += l.len();
        lg += g.len();
        bh += align::beads_shared(&p, &c.gold);
        bp += p.len();
        bg += c.gold.len();
        worst = worst.min(align::score(&p, &c.gold).2);
    }
    (align_cases::overall(lh, lp, lg).2, align_cases::overall(bh, bp, bg).2, worst)
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(400);
    let cases = align_cases::load();
    let base = Params::default();
    let mut results = vec![(evaluate(&cases, &base), base)];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..rounds {
        let del = rng.pick(&[0.02, 0.03, 0.04, 0.06]);
        let merge = rng.pick(&[0.03, 0.045, 0.06]);
        let two_two = merge / 4.0;
        let params = Params {
            priors: [1.0 - 2.0 * del - 2.0 * merge - two_two, del, del, merge, merge, two_two],
            variance: rng.pick(&[4.0, 6.8, 10.0]),
            anchor_match: rng.pick(&[2.0, 3.0, 4.0, 5.0]),
            anchor_miss: rng.pick(&[0.5, 1.0, 1.5]),
            cue: rng.pick(&[2.0, 3.0, 4.0]),
            backbone: rng.pick(&[0.0, 2.0, 4.0, 6.0]),
            backbone_min: rng.pick(&[0.25, 0.35, 0.45]),
            backbone_margin: rng.pick(&[0.05, 0.1, 0.2]),
            move_min: rng.pick(&[0.35, 0.45, 0.55, 0.65]),
            move_weight: rng.pick(&[1.0, 2.0]),
            orphan: rng.pick(&[0.0, 0.5, 1.0, 1.5]),
            ..base
        };
        results.push((evaluate(&cases, &params), params));
    }
    results.sort_by(|a, b| (b.0.0 + b.0.1).total_cmp(&(a.0.0 + a.0.1)));
    println!("links  beads  worst  del   merge  var   match miss  cue  bb   bb_min bb_marg move mw   orphan");
    for ((l, b, w), p) in results.iter().take(25) {
        println!(
            "{l:.3}  {b:.3}  {w:.3}  {:<5} {:<6} {:<5} {:<5} {:<5} {:<4} {:<4} {:<6} {:<7} {:<4} {:<4} {}",
            p.priors[1],
            p.priors[3],
            p.variance,
            p.anchor_match,
            p.anchor_miss,
            p.cue,
            p.backbone,
            p.backbone_min,
            p.backbone_margin,
            p.move_min,
            p.move_weight,
            p.orphan
        );
    }
    let default = &results.iter().find(|r| r.1.priors == base.priors && r.1.backbone == base.backbone).unwrap().0;
    println!("default: links {:.3} beads {:.3} worst {:.3}", default.0, default.1, default.2);
}
