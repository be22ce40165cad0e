//! Prints the aligner's scores on the gold standard as Markdown tables for BENCHMARKS.md, and
//! times it: `cargo run --release --example align_report`. With `--engine apertium` the
//! cases whose language the engine translates are also scored with its help (the real engine,
//! run here; cases it cannot translate are left out of that table).

#[allow(dead_code)]
#[path = "../tests/common/align_cases.rs"]
mod align_cases;

use std::time::Instant;

use bitext::align;

fn main() {
    let engine = std::env::args().skip_while(|a| a != "--engine").nth(1);
    for (name, sub) in align_cases::SETS {
        println!("\n### {name} (tests/align/{sub})\n");
        let cases = align_cases::load_from(&align_cases::dir().join(sub));
        table(&cases, None);
        if let Some(engine) = &engine {
            let translated = translate(&cases, engine);
            if !translated.is_empty() {
                println!("\nwith {engine}:\n");
                let (cases, machine): (Vec<_>, Vec<_>) = translated.into_iter().unzip();
                table(&cases, Some(&machine));
            }
        }
    }
    if std::env::var_os("ALIGN_NO_TIME").is_none() {
        timing();
    }
}

/// The cases the engine can translate, with its translations of their source paragraphs.
fn translate(cases: &[align_cases::Case], engine: &str) -> Vec<(align_cases::Case, Vec<String>)> {
    let Ok(e) = bitext::translate::engine(engine, &Default::default()) else { return Vec::new() };
    let translator = bitext::translate::Translator { engine: e, cache: None };
    cases
        .iter()
        .filter_map(|c| {
            let out = translator.translate(&c.source, &c.source_lang, "en", &|_, _, _, _| {}, None).ok()?;
            let machine: Option<Vec<String>> = out.into_iter().collect();
            Some((
                align_cases::Case {
                    name: c.name.clone(),
                    source_lang: c.source_lang.clone(),
                    source: c.source.clone(),
                    translation: c.translation.clone(),
                    gold: c.gold.clone(),
                },
                machine?,
            ))
        })
        .collect()
}

fn table(cases: &[align_cases::Case], machine: Option<&[Vec<String>]>) {
    println!(
        "| case | lang | paragraphs (src/tr) | true beads | links P / R / F1 | strict bead F1 | in-order links F1 / beads F1 |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut scored = Vec::new();
    for (k, c) in cases.iter().enumerate() {
        let s = align_cases::score_with(c, machine.map(|m| m[k].as_slice()));
        let f = |x: (f64, f64, f64)| format!("{:.3} / {:.3} / {:.3}", x.0, x.1, x.2);
        println!(
            "| {} | {} | {}/{} | {} | {} | {:.3} | {:.3} / {:.3} |{}",
            s.name,
            s.source_lang,
            s.paragraphs.0,
            s.paragraphs.1,
            s.gold_summary,
            f(s.aligned),
            s.beads.2,
            s.baseline.2,
            s.baseline_beads.2,
            s.warning.as_deref().map(|w| format!(" warning: {w}")).unwrap_or_default()
        );
        if std::env::var_os("ALIGN_DEBUG").is_some() && s.beads.2 < 1.0 {
            debug(c, machine.map(|m| m[k].as_slice()));
        }
        scored.push(s);
    }
    let (links, beads) = align_cases::totals(&scored);
    let base_links = align_cases::overall(
        scored.iter().map(|s| s.baseline_hits).sum(),
        scored.iter().map(|s| s.baseline_links).sum(),
        scored.iter().map(|s| s.gold_links).sum(),
    );
    println!(
        "| **overall** | | | | **{:.3} / {:.3} / {:.3}** | **{:.3}** | {:.3} / |",
        links.0, links.1, links.2, beads.2, base_links.2
    );
}

fn debug(c: &align_cases::Case, machine: Option<&[String]>) {
    let mut input = align::Input::new(&c.source, &c.translation);
    input.machine = machine.map(|m| m.iter().map(String::as_str).collect());
    let a = align::align_input(&input, &align::Params::default());
    let show = |b: &[align::Bead]| {
        b.iter().map(|b| format!("{:?}-{:?}", b.source, b.translation)).collect::<Vec<_>>().join(" ")
    };
    eprintln!("{}\n  pred {}\n  gold {}", c.name, show(&a.beads), show(&c.gold));
    eprintln!("  moved {:?}\n  conf {:?}", a.moved, a.confidence);
    for (i, p) in c.source.iter().enumerate() {
        eprintln!("    s{i} {} {:?}", p.chars().take(30).collect::<String>(), align::anchors::anchors(p));
    }
    for (i, p) in c.translation.iter().enumerate() {
        eprintln!("    t{i} {} {:?}", p.chars().take(40).collect::<String>(), align::anchors::anchors(p));
    }
}

/// Time per paragraph over every case, and for one 40×40 pair.
fn timing() {
    let mut cases = align_cases::load();
    cases.extend(align_cases::load_heldout());
    let paragraphs: usize = cases.iter().map(|c| c.source.len() + c.translation.len()).sum();
    let rounds = 100;
    let start = Instant::now();
    for _ in 0..rounds {
        for c in &cases {
            std::hint::black_box(align::align_bounded(&c.source, &c.translation, &align::Params::default()));
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * paragraphs) as f64;
    println!("\nalignment time: {per:.1} µs per paragraph ({paragraphs} paragraphs, {rounds} rounds)");
    // 40×40: three editions' paragraphs end to end.
    let (s, t): (Vec<String>, Vec<String>) = {
        let mut s = Vec::new();
        let mut t = Vec::new();
        for c in cases.iter().filter(|c| c.name.contains("edition")) {
            s.extend(c.source.iter().cloned());
            t.extend(c.translation.iter().cloned());
        }
        (s.into_iter().take(40).collect(), t.into_iter().take(40).collect())
    };
    let start = Instant::now();
    let rounds = 200;
    for _ in 0..rounds {
        std::hint::black_box(align::align_bounded(&s, &t, &align::Params::default()));
    }
    let each = start.elapsed().as_secs_f64() * 1e3 / rounds as f64;
    println!("40×40 paragraphs (edition text): {each:.3} ms per alignment");
}
