//! chrF (Popović 2015): the character n-gram F-score between a machine's translation of a source
//! paragraph and a paragraph of the human edition. It needs no tokeniser and no dictionary, so
//! it works for any target language, and it is robust to the free rewording of an edition.
//!
//! Profiles are built once per paragraph (n-grams of 1 to [`N`] characters, whitespace removed,
//! lower case, hashed), so comparing two paragraphs is a merge of two sorted lists.

/// The longest n-gram, as in the original chrF.
pub const N: usize = 6;

/// β = 2: recall counts twice as much as precision.
const BETA2: f64 = 4.0;

/// A paragraph's character n-grams: sorted (hash, count) pairs, and the total per length.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    grams: Vec<(u64, u32)>,
    totals: [u32; N],
}

impl Profile {
    pub fn new(text: &str) -> Profile {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
        let mut grams: Vec<u64> = Vec::with_capacity(chars.len() * N);
        let mut totals = [0u32; N];
        for start in 0..chars.len() {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for (k, &c) in chars[start..].iter().take(N).enumerate() {
                h = (h ^ c as u64).wrapping_mul(0x0100_0000_01b3);
                // The length goes in the top bits, so n-grams of different lengths never meet.
                grams.push((h >> 3) | ((k as u64) << 61));
                totals[k] += 1;
            }
        }
        grams.sort_unstable();
        let mut counted: Vec<(u64, u32)> = Vec::with_capacity(grams.len());
        for g in grams {
            match counted.last_mut() {
                Some((last, c)) if *last == g => *c += 1,
                _ => counted.push((g, 1)),
            }
        }
        Profile { grams: counted, totals }
    }

    pub fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }
}

/// The shared n-gram counts of two profiles, per length.
pub fn matches(a: &Profile, b: &Profile) -> [u32; N] {
    let mut out = [0u32; N];
    let (mut i, mut j) = (0, 0);
    while i < a.grams.len() && j < b.grams.len() {
        let (x, y) = (a.grams[i], b.grams[j]);
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out[(x.0 >> 61) as usize] += x.1.min(y.1);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// chrF of a hypothesis against a reference given their shared counts and totals (which may be
/// sums over several paragraphs), in 0..=1.
pub fn score(matched: &[u32; N], hyp: &[u32; N], reference: &[u32; N]) -> f64 {
    let (mut p, mut r, mut k) = (0.0, 0.0, 0);
    for n in 0..N {
        if hyp[n] == 0 || reference[n] == 0 {
            continue;
        }
        p += f64::from(matched[n].min(hyp[n])) / f64::from(hyp[n]);
        r += f64::from(matched[n].min(reference[n])) / f64::from(reference[n]);
        k += 1;
    }
    if k == 0 {
        return 0.0;
    }
    let (p, r) = (p / k as f64, r / k as f64);
    if p + r == 0.0 { 0.0 } else { (1.0 + BETA2) * p * r / (BETA2 * p + r) }
}

/// The totals of a profile.
pub fn totals(p: &Profile) -> [u32; N] {
    p.totals
}

/// chrF of two texts, for tests and reports.
pub fn chrf(hypothesis: &str, reference: &str) -> f64 {
    let (h, r) = (Profile::new(hypothesis), Profile::new(reference));
    score(&matches(&h, &r), &h.totals, &r.totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one_and_unrelated_low() {
        assert!((chrf("The market opens at six.", "The market opens at six.") - 1.0).abs() < 1e-9);
        let close = chrf("The night market opens on Friday at six.", "On Fridays the night market opens at 6 p.m.");
        let far = chrf("The night market opens on Friday at six.", "Rain is expected across the south tomorrow.");
        assert!(close > far + 0.2, "{close} {far}");
        assert_eq!(chrf("", "anything"), 0.0);
    }

    #[test]
    fn case_and_spacing_do_not_matter() {
        assert!((chrf("Night  Market", "night market") - 1.0).abs() < 1e-9);
    }
}
