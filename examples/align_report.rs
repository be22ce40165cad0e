//! Prints the aligner's scores on the gold standard as a Markdown table for BENCHMARKS.md,
//! and times it: `cargo run --release --example align_report`.

#[path = "../tests/common/align_cases.rs"]
mod align_cases;

use std::time::Instant;

fn main() {
    println!("### Tuning set (tests/align/)\n");
    let tuning = align_cases::load();
    table(&tuning);
    println!("\n### Held-out set (tests/align/heldout/, never used to choose constants)\n");
    table(&align_cases::load_heldout());

    let cases = tuning;
    let paragraphs: usize = cases.iter().map(|c| c.source.len() + c.translation.len()).sum();
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        for c in &cases {
            std::hint::black_box(bitext::align::align(&c.source, &c.translation));
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * paragraphs) as f64;
    println!("\nalignment time: {per:.1} µs per paragraph ({paragraphs} paragraphs, {rounds} rounds)");
}

fn table(cases: &[align_cases::Case]) {
    println!("| case | lang | paragraphs (src/tr) | true beads | aligned P / R / F1 | in-order P / R / F1 |");
    println!("|---|---|---|---|---|---|");
    let (mut ah, mut ap, mut bh, mut bp, mut g) = (0, 0, 0, 0, 0);
    for c in cases {
        let s = align_cases::score(c);
        let f = |x: (f64, f64, f64)| format!("{:.3} / {:.3} / {:.3}", x.0, x.1, x.2);
        println!(
            "| {} | {} | {}/{} | {} | {} | {} |",
            s.name,
            s.source_lang,
            s.paragraphs.0,
            s.paragraphs.1,
            s.gold_summary,
            f(s.aligned),
            f(s.baseline)
        );
        if std::env::var_os("ALIGN_DEBUG").is_some() && s.aligned.2 < 1.0 {
            let predicted = bitext::align::align(&c.source, &c.translation);
            let show = |b: &[bitext::align::Bead]| {
                b.iter().map(|b| format!("{:?}-{:?}", b.source, b.translation)).collect::<Vec<_>>().join(" ")
            };
            eprintln!("{}\n  pred {}\n  gold {}", s.name, show(&predicted), show(&c.gold));
            for (i, p) in c.source.iter().enumerate() {
                eprintln!(
                    "    s{i} {} {}",
                    p.chars().filter(|c| !c.is_whitespace()).count(),
                    p.chars().take(30).collect::<String>()
                );
            }
            for (i, p) in c.translation.iter().enumerate() {
                eprintln!(
                    "    t{i} {} {}",
                    p.chars().filter(|c| !c.is_whitespace()).count(),
                    p.chars().take(40).collect::<String>()
                );
            }
        }
        ah += s.aligned_hits;
        ap += s.predicted_links;
        bh += s.baseline_hits;
        bp += s.baseline_links;
        g += s.gold_links;
    }
    let a = align_cases::overall(ah, ap, g);
    let b = align_cases::overall(bh, bp, g);
    println!(
        "| **overall (links)** | | | | **{:.3} / {:.3} / {:.3}** | {:.3} / {:.3} / {:.3} |",
        a.0, a.1, a.2, b.0, b.1, b.2
    );
}
