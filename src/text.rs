//! Text at the boundary: sanitising untrusted strings and wrapping them by display width.
//!
//! Everything an article carries is sanitised once, when it is loaded ([`sanitize`] for
//! paragraphs, [`sanitize_line`] for one-line metadata), so no later stage has to think about
//! terminal control sequences. Widths are measured per grapheme with the very function ratatui
//! uses to place cells ([`ratatui::buffer::CellWidth`]), so a wrapped line never disagrees with
//! what the terminal draws.

use ratatui::buffer::CellWidth;
use textwrap::core::Fragment;
use unicode_segmentation::UnicodeSegmentation;

/// Columns a tab advances to (the next multiple of this).
const TAB_STOP: usize = 4;

/// Removes everything that could reach a terminal as a control sequence.
///
/// - Complete escape sequences are removed whole: CSI (`ESC [` … final byte), OSC (`ESC ]` … BEL
///   or ST), DCS, SOS, PM and APC strings (… ST), charset designations and two-byte escapes;
///   the 8-bit C1 introducers (U+009B CSI, U+009D OSC, U+0090 DCS, …) likewise.
/// - Other C0 controls, DEL and C1 controls are removed; `\n` is kept.
/// - A tab becomes spaces up to the next tab stop; `\r\n` becomes `\n` and a lone `\r` a line
///   break, so no text can overwrite a line; U+2028/U+2029 become `\n`.
/// - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed.
///
/// Everything else (right-to-left letters, emoji, combining marks) is kept as it is.
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    let mut column = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\u{2028}' | '\u{2029}' => {
                out.push('\n');
                column = 0;
            }
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                    column = 0;
                }
            }
            '\t' => {
                let n = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
            }
            c if is_removed(c) => {}
            c => {
                out.push(c);
                let mut buf = [0u8; 4];
                column += usize::from(c.encode_utf8(&mut buf).cell_width());
            }
        }
    }
    out
}

/// [`sanitize`] for one-line fields (titles, names, tags): line breaks become spaces and runs of
/// white space are folded into one.
pub fn sanitize_line(input: &str) -> String {
    let clean = sanitize(input);
    let mut out = String::with_capacity(clean.len());
    for word in clean.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True for characters removed outright: C0 and C1 controls, DEL, and bidi controls.
fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skips the rest of an escape sequence whose ESC has been consumed.
fn skip_escape(chars: &mut Chars) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // nF sequences: intermediates (0x20–0x2F) then one final byte, e.g. `ESC ( B`.
        Some('\u{20}'..='\u{2f}') => {
            while chars.next_if(|c| ('\u{20}'..='\u{2f}').contains(c)).is_some() {}
            chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
        }
        // Two-byte escapes such as `ESC 7`, `ESC c`, `ESC M`.
        Some('\u{30}'..='\u{7e}') => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters and intermediates and the final byte. A character that cannot belong to
/// the sequence ends it and is left for the caller.
fn skip_csi(chars: &mut Chars) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{20}'..='\u{3f}' => {
                chars.next();
            }
            '\u{40}'..='\u{7e}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// Skips a control string (OSC, DCS, SOS, PM, APC) up to and including its terminator: BEL,
/// ST (`ESC \`) or U+009C. An unterminated string ends at the next line break, which is kept.
fn skip_string(chars: &mut Chars) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\u{1b}' => {
                chars.next();
                chars.next_if_eq(&'\\');
                return;
            }
            '\n' | '\r' => return,
            _ => {
                chars.next();
            }
        }
    }
}

/// Display width in terminal columns, measured per grapheme exactly as ratatui places cells.
pub fn width(s: &str) -> usize {
    // Sanitised ASCII has no controls: one column a byte.
    if s.is_ascii() {
        return s.len();
    }
    s.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(g: &str) -> usize {
    usize::from(g.cell_width())
}

/// Cuts `s` to at most `max` columns, ending with `…` when anything was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to `columns` display columns (no-op when it is wider).
pub fn pad(s: &str, columns: usize) -> String {
    let w = width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// Joins the lines of one paragraph into flowing text: lines are trimmed and joined with a
/// space, except between two wide (CJK) characters, where a space would be wrong.
pub fn unfold_paragraph(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let (Some(prev), Some(next)) = (out.chars().last(), line.chars().next())
            && !(is_wide(prev) && is_wide(next))
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn is_wide(c: char) -> bool {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf).cell_width() >= 2
}

/// Hangul syllables and jamo: Korean keeps its words whole and breaks at spaces.
fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{a960}'..='\u{a97f}'
        | '\u{ac00}'..='\u{d7af}' | '\u{d7b0}'..='\u{d7ff}')
}

/// One unit the wrapper may not split: a word (up to a break opportunity) and the white space
/// after it.
#[derive(Debug)]
struct Piece<'a> {
    word: &'a str,
    space: &'a str,
    width: usize,
    space_width: usize,
}

impl Fragment for Piece<'_> {
    fn width(&self) -> f64 {
        self.width as f64
    }
    fn whitespace_width(&self) -> f64 {
        self.space_width as f64
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Wraps sanitised text into lines of at most `columns` display columns.
///
/// Breaks follow the Unicode line-breaking algorithm (UAX #14): Chinese and Japanese break
/// between characters but never before closing punctuation such as `。`, `、` or `」`; Latin
/// text breaks at spaces and after hyphens. Korean words are kept whole (CSS `keep-all`), so
/// Korean breaks at spaces. A grapheme cluster (emoji with modifiers, ZWJ sequences, flags,
/// combining marks, jamo sequences) is never split. A word wider than the column is broken
/// hard between graphemes. `\n` starts a new line. Every returned line is at most `columns`
/// wide: a grapheme wider than the whole column (a double-width character in a one-column
/// line) cannot be shown and is replaced by `?`.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    for hard_line in text.split('\n') {
        wrap_line(hard_line, columns, &mut lines);
    }
    lines
}

fn wrap_line(line: &str, columns: usize, out: &mut Vec<String>) {
    if line.trim().is_empty() {
        out.push(String::new());
        return;
    }
    let pieces = pieces(line, columns);
    let widths = [columns as f64];
    for chunk in textwrap::wrap_algorithms::wrap_first_fit(&pieces, &widths) {
        let mut s = String::new();
        for (i, p) in chunk.iter().enumerate() {
            s.push_str(p.word);
            if i + 1 < chunk.len() {
                s.push_str(p.space);
            }
        }
        // A single grapheme wider than the whole column (a double-width character in one
        // column, or a three-column halfwidth-katakana cluster in two) cannot fit anywhere.
        if width(&s) > columns {
            s = s.graphemes(true).map(|g| if grapheme_width(g) > columns { "?" } else { g }).collect();
        }
        out.push(s);
    }
}

/// Splits one line into unbreakable pieces at the allowed break opportunities.
fn pieces(line: &str, columns: usize) -> Vec<Piece<'_>> {
    let boundaries: Vec<usize> =
        line.grapheme_indices(true).map(|(i, _)| i).chain(std::iter::once(line.len())).collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    for (pos, _) in unicode_linebreak::linebreaks(line) {
        if pos < line.len() && !allowed_break(line, pos, &boundaries) {
            continue;
        }
        push_segment(&line[start..pos], columns, &mut pieces);
        start = pos;
    }
    if start < line.len() {
        push_segment(&line[start..], columns, &mut pieces);
    }
    pieces
}

fn allowed_break(line: &str, pos: usize, boundaries: &[usize]) -> bool {
    if !boundaries.is_empty() && boundaries.binary_search(&pos).is_err() {
        return false;
    }
    let before = line[..pos].chars().next_back();
    let after = line[pos..].chars().next();
    match (before, after) {
        (Some(a), Some(b)) => a.is_whitespace() || b.is_whitespace() || !(is_hangul(a) || is_hangul(b)),
        _ => true,
    }
}

/// Turns a segment (a word with its trailing white space) into pieces, splitting a word wider
/// than the column between graphemes.
fn push_segment<'a>(segment: &'a str, columns: usize, pieces: &mut Vec<Piece<'a>>) {
    let word_end = segment.trim_end_matches([' ', '\u{3000}']).len();
    let (word, space) = segment.split_at(word_end);
    let space_width = width(space);
    let word_width = width(word);
    if word_width <= columns {
        pieces.push(Piece { word, space, width: word_width, space_width });
        return;
    }
    let mut chunk_start = 0;
    let mut chunk_width = 0;
    for (i, g) in word.grapheme_indices(true) {
        let w = grapheme_width(g);
        if chunk_width + w > columns && chunk_width > 0 {
            pieces.push(Piece { word: &word[chunk_start..i], space: "", width: chunk_width, space_width: 0 });
            chunk_start = i;
            chunk_width = 0;
        }
        chunk_width += w;
    }
    pieces.push(Piece { word: &word[chunk_start..], space, width: chunk_width, space_width });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_whole_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"), "xlinky");
        assert_eq!(sanitize("x\u{1b}]52;c;aGk=\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}P1$r\u{1b}\\y"), "xy");
        assert_eq!(sanitize("x\u{9b}2Jy"), "xy");
        assert_eq!(sanitize("x\u{9d}0;t\u{9c}y"), "xy");
        assert_eq!(sanitize("x\u{1b}(By\u{1b}7z"), "xyz");
    }

    #[test]
    fn sanitize_controls_tabs_and_bidi() {
        assert_eq!(sanitize("a\u{0}b\u{7}c\u{8}d\u{7f}e\u{85}f"), "abcdef");
        assert_eq!(sanitize("ab\tc"), "ab  c");
        assert_eq!(sanitize("one\r\ntwo\rthree"), "one\ntwo\nthree");
        assert_eq!(sanitize("a\u{202e}b\u{2066}c\u{2069}"), "abc");
    }

    #[test]
    fn sanitize_keeps_ordinary_text() {
        for s in ["שלום עולם", "مرحبا", "👩‍👩‍👧 🇰🇷", "e\u{301}", "서울, 東京。"] {
            assert_eq!(sanitize(s), s);
        }
    }

    #[test]
    fn sanitize_line_folds_whitespace() {
        assert_eq!(sanitize_line("  a\n b\t\tc  "), "a b c");
    }

    #[test]
    fn width_is_display_width() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("한국어"), 6);
        assert_eq!(width("中文。"), 6);
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn korean_keeps_words_whole() {
        let lines = wrap("서울시는 11일 시청에서 북한인권 포럼을 열었다.", 12);
        for l in &lines {
            assert!(width(l) <= 12, "{l}");
        }
        assert!(lines.contains(&"북한인권".to_string()) || lines.iter().any(|l| l.contains("북한인권")));
        for l in &lines {
            assert!(!l.starts_with(' '));
        }
        assert_eq!(lines.join(" "), "서울시는 11일 시청에서 북한인권 포럼을 열었다.");
    }

    #[test]
    fn chinese_breaks_between_characters_not_before_closing_punctuation() {
        let text = "北京市今天发布了新的规定。市民表示欢迎，认为这是好事。";
        let lines = wrap(text, 10);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(width(l) <= 10);
            assert!(!l.starts_with('。') && !l.starts_with('，'), "{l}");
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn long_words_break_hard() {
        let lines = wrap("see https://example.org/a/very/long/path/that/never/ends ok", 10);
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
    }

    #[test]
    fn grapheme_clusters_stay_whole() {
        let text = "👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧 🇰🇷🇯🇵🇨🇳";
        for w in 1..8 {
            for l in wrap(text, w) {
                for g in l.graphemes(true) {
                    assert!(text.contains(g) || g == "?");
                }
            }
        }
    }

    #[test]
    fn a_grapheme_wider_than_the_column_becomes_a_question_mark() {
        // Found by fuzzing: ratatui gives halfwidth katakana with a sound mark three columns.
        assert_eq!(width("ｶﾞ"), 3);
        assert_eq!(wrap("ｶﾞ", 2), vec!["?"]);
        assert_eq!(wrap("ｶﾞ", 3), vec!["ｶﾞ"]);
        assert_eq!(wrap("한", 1), vec!["?"]);
    }

    #[test]
    fn unfold_joins_lines() {
        assert_eq!(unfold_paragraph("one\ntwo "), "one two");
        assert_eq!(unfold_paragraph("中文\n句子"), "中文句子");
    }

    #[test]
    fn truncate_by_width() {
        assert_eq!(truncate("한국어뉴스", 7), "한국어…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
