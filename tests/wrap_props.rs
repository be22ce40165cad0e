//! Wrapping in every script, as properties over random mixed-script text and widths 1–200, and
//! agreement with the width ratatui gives the same text on screen.

use bitext::text::{sanitize, width, wrap};
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_segmentation::UnicodeSegmentation;

/// Pieces of text from many scripts, including the hard cases: emoji with VS16, ZWJ sequences,
/// flags, skin tones, combining marks, conjoining Hangul jamo, Thai without spaces, long URLs.
const PIECES: &[&str] = &[
    "서울시는",
    "북한인권",
    "포럼을",
    "열었다.",
    "“평화와",
    "인권은”",
    "北京市",
    "今天发布了",
    "新的规定。",
    "市民表示欢迎，",
    "「東京都」",
    "は、",
    "桜の開花を",
    "発表した。",
    "ประเทศไทย",
    "มีฝนตกหนัก",
    "Seoul",
    "City",
    "Hall",
    "well-known",
    "forty-two",
    "e\u{301}te\u{301}",
    "☺\u{fe0f}",
    "❤\u{fe0f}",
    "👩\u{200d}👩\u{200d}👧",
    "🇰🇷",
    "🇯🇵",
    "👍🏽",
    "\u{1100}\u{1161}\u{11a8}",
    "https://news.example/a/very/long/path/that/goes/on?and=on",
    "1,011㎞",
    "12.5%",
    "—",
    "…",
    "Привет",
    "мир",
    "שלום",
    "مرحبا",
    "Straßenbahnhaltestelle",
    "naïve",
    "x",
    "。",
    "、",
    "」",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(PIECES), prop::sample::select(&[" ", "", " ", "  ", "\n"][..])), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(p, sep)| format!("{p}{sep}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn no_line_is_wider_than_the_column(s in text(), w in 1usize..=200) {
        for line in wrap(&s, w) {
            prop_assert!(width(&line) <= w, "{line:?} is {} wide at {w}", width(&line));
        }
    }

    #[test]
    fn nothing_is_lost_and_no_cluster_is_split(s in text(), w in 2usize..=200) {
        let lines = wrap(&s, w);
        let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        prop_assert_eq!(squeeze(&lines.concat()), squeeze(&s));
        let clusters: Vec<&str> = s.graphemes(true).collect();
        for line in &lines {
            for g in line.graphemes(true) {
                prop_assert!(clusters.contains(&g), "{g:?} is not a cluster of the input");
            }
        }
    }

    #[test]
    fn sanitised_text_has_no_controls(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let clean = sanitize(&String::from_utf8_lossy(&bytes));
        for c in clean.chars() {
            prop_assert!(c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)), "{c:?}");
        }
    }
}

/// Where ratatui's cursor ends after writing `s`: the width it gives the text on screen.
fn ratatui_width(s: &str) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, 400, 1));
    let (x, _) = buf.set_stringn(0, 0, s, 400, ratatui::style::Style::new());
    usize::from(x)
}

#[test]
fn widths_agree_with_ratatui() {
    for s in PIECES {
        assert_eq!(width(s), ratatui_width(s), "{s:?}");
    }
    // The case textwrap's own per-character sum gets wrong: an emoji made wide by VS16.
    let vs16 = "☺\u{fe0f}";
    assert_eq!(width(vs16), 2);
    assert_eq!(textwrap::core::display_width(vs16) + 1, width(vs16), "textwrap counts it one column narrower");
}

#[test]
fn korean_breaks_only_at_spaces() {
    let s = "서울시가 11일 오후 서울시청 다목적홀에서 ‘2024 서울 북한인권 포럼’을 열었다.";
    // From the width of the longest word up: narrower columns must break words hard.
    let longest = s.split(' ').map(width).max().unwrap();
    for w in longest..60 {
        for line in wrap(s, w) {
            for word in line.split(' ') {
                assert!(s.split(' ').any(|orig| orig == word), "{word:?} at {w} is not a whole word");
            }
        }
    }
}

#[test]
fn thai_never_overflows() {
    let s = "ประเทศไทยมีฝนตกหนักในหลายจังหวัดทางภาคเหนือและภาคตะวันออกเฉียงเหนือ";
    for w in 1..30 {
        for line in wrap(s, w) {
            assert!(width(&line) <= w);
        }
    }
}

#[test]
fn japanese_keeps_closing_punctuation_off_line_starts() {
    let s = "気象庁は二十四日、東京都心で桜が開花したと発表した。平年より五日早い。「春が来た」と話す人もいた。";
    for w in 6..30 {
        for line in wrap(s, w) {
            let first = line.chars().next().unwrap();
            assert!(!"。、」）".contains(first), "{line:?} at {w}");
        }
    }
}

#[test]
fn tabs_become_spaces_before_wrapping() {
    let clean = sanitize("a\tb");
    assert!(!clean.contains('\t'));
    assert_eq!(wrap(&clean, 80), vec!["a   b"]);
}
