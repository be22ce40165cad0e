//! Paragraph alignment benchmarks: `cargo bench --bench align`.
//!
//! A 40×40 pair made of the edition test cases' own paragraphs (Korean, Japanese, Chinese and
//! Spanish against English) and one of Chinese alone, aligned from anchors and lengths alone and with an engine's
//! translations (here the edition's own English stands in for them: the cost is the same);
//! and the reliability probe's bombs, which must stay bounded.

#[path = "../tests/common/align_cases.rs"]
#[allow(dead_code)]
mod align_cases;

use bitext::align::{self, Input, Params};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// 40 source and 40 translation paragraphs from the edition cases, end to end.
fn forty() -> (Vec<String>, Vec<String>) {
    let mut cases = align_cases::load_from(&align_cases::dir().join("editions"));
    cases.extend(align_cases::load_from(&align_cases::dir().join("heldout/editions")));
    let s: Vec<String> = cases.iter().flat_map(|c| c.source.clone()).take(40).collect();
    let t: Vec<String> = cases.iter().flat_map(|c| c.translation.clone()).take(40).collect();
    (s, t)
}

#[divan::bench]
fn forty_by_forty(bencher: Bencher) {
    let (s, t) = forty();
    bencher.bench(|| align::align_input(black_box(&Input::new(&s, &t)), &Params::default()));
}

/// 40×40 Chinese paragraphs against English, where every two and three Han characters are
/// also read in pinyin to meet the English spelling of names.
#[divan::bench]
fn chinese_forty_by_forty(bencher: Bencher) {
    let mut cases = Vec::new();
    for (_, sub) in align_cases::SETS {
        cases.extend(
            align_cases::load_from(&align_cases::dir().join(sub))
                .into_iter()
                .filter(|c| c.source_lang.starts_with("zh")),
        );
    }
    let s: Vec<String> = cases.iter().flat_map(|c| c.source.clone()).take(40).collect();
    let t: Vec<String> = cases.iter().flat_map(|c| c.translation.clone()).take(40).collect();
    assert_eq!((s.len(), t.len()), (40, 40));
    bencher.bench(|| align::align_input(black_box(&Input::new(&s, &t)), &Params::default()));
}

#[divan::bench]
fn forty_by_forty_with_engine(bencher: Bencher) {
    let (s, t) = forty();
    // Stand-in machine output of the same size and kind as an engine's English.
    let machine: Vec<String> = t.iter().rev().cloned().collect();
    bencher.bench(|| {
        let mut input = Input::new(&s, &t);
        input.machine = Some(machine.iter().map(String::as_str).collect());
        align::align_input(black_box(&input), &Params::default())
    });
}

/// The probe's bomb: 20,000 short paragraphs against 10,000.
#[divan::bench(sample_count = 5)]
fn unbalanced_bomb(bencher: Bencher) {
    let s: Vec<String> = (0..20_000).map(|i| format!("문단 {i}")).collect();
    let t: Vec<String> = (0..10_000).map(|i| format!("Para {i}")).collect();
    bencher.bench(|| align::align_bounded(black_box(&s), &t, &Params::default()));
}

/// 400×400 paragraphs: the largest pair that still gets a backbone and move detection.
#[divan::bench(sample_count = 5)]
fn four_hundred_square(bencher: Bencher) {
    let (s, t) = forty();
    let s: Vec<String> = s.iter().cycle().take(400).cloned().collect();
    let t: Vec<String> = t.iter().cycle().take(400).cloned().collect();
    bencher.bench(|| align::align_input(black_box(&Input::new(&s, &t)), &Params::default()));
}

/// Reading the anchors of the 80 paragraphs of the 40×40 pair.
#[divan::bench]
fn anchors_of_forty_by_forty(bencher: Bencher) {
    let (s, t) = forty();
    bencher.bench(|| s.iter().chain(&t).map(|p| align::anchors::anchors(black_box(p)).len()).sum::<usize>());
}
