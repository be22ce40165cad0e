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

/// Characters an identifier cannot show as they are: those [`sanitize`] removes, and the line and
/// paragraph separators.
pub fn is_unprintable(c: char) -> bool {
    is_removed(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The bytes of a name (a file name, say) as text that shows every one of them and is safe on
/// a terminal: printable characters as they are, a backslash as `\\`, unprintable characters
/// as `\u{1b}`, bytes that are not UTF-8 as `\xff`. Different names give different text.
pub fn escape_unprintable(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if is_unprintable(c) => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
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
    // Text made only of characters that are always clusters of their own needs no segmentation.
    let mut total = 0;
    for c in s.chars() {
        match simple_width(c) {
            Some(w) => total += w,
            None => return s.graphemes(true).map(grapheme_width).sum(),
        }
    }
    total
}

/// The width of `c` when it is one of the common characters that form a grapheme cluster of
/// their own next to any other such character: ASCII, Latin-1 and Latin Extended-A letters,
/// general punctuation, Hangul syllables, CJK ideographs and punctuation, kana and fullwidth
/// forms. `None` for every other character, which needs real segmentation.
///
/// None of these is an extending or spacing mark, a joiner, a prepended or control character
/// (bar ASCII, whose only multi-character cluster is CR LF, and a line never holds LF), a
/// regional indicator, an emoji, an Indic consonant or a conjoining jamo, so two of them always
/// have a cluster boundary between them. The unit tests check every character of the set
/// against the segmenter and against ratatui's width.
#[inline]
pub(crate) fn simple_width(c: char) -> Option<usize> {
    match c {
        '\0'..='\u{7f}'
        | '\u{a0}'..='\u{a8}'
        | '\u{aa}'..='\u{ac}'
        | '\u{af}'..='\u{17f}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{203b}' => Some(1),
        '\u{ac00}'..='\u{d7a3}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a0}'..='\u{30ff}'
        | '\u{ff01}'..='\u{ff60}' => Some(2),
        _ => None,
    }
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
    let mut lines = Vec::new();
    Wrapper::default().wrap_each(text, columns, |l| lines.push(l.to_string()));
    lines
}

/// Marks a byte offset that does not start a grapheme cluster in [`Wrapper::cum`].
const NOT_BOUNDARY: u32 = u32::MAX;

/// The working memory of [`wrap`], kept between calls so that wrapping many paragraphs
/// allocates nothing but the lines themselves.
///
/// Each line is segmented into grapheme clusters once (not at all when it is ASCII) and the
/// width of every cluster is measured once; the width of any run of whole clusters is then a
/// subtraction. The result is exactly that of measuring each word and line with [`width`]: a
/// run that starts and ends at cluster boundaries of the line segments into the same clusters
/// on its own. In the one case where a word does not end at a boundary of the line (a prepended
/// concatenation mark before a space), the line is wrapped by the plain, slower route.
#[derive(Debug, Default)]
pub(crate) struct Wrapper {
    /// For a line that is not ASCII: at each byte offset that starts a cluster (and at the end),
    /// the width of the text before it; [`NOT_BOUNDARY`] at every other offset.
    cum: Vec<u32>,
    /// True when the line in hand is ASCII: every byte a cluster one column wide, no table.
    ascii: bool,
    pieces: Vec<Span>,
}

/// One unbreakable piece of a line: the word `start..word_end` (byte offsets) and the white
/// space after it.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    word_end: usize,
    width: usize,
    space_width: usize,
}

impl Wrapper {
    /// [`wrap`], handing each line to `emit` instead of collecting them.
    pub(crate) fn wrap_each(&mut self, text: &str, columns: usize, mut emit: impl FnMut(&str)) {
        let columns = columns.max(1);
        for hard_line in text.split('\n') {
            if !self.wrap_line(hard_line, columns, &mut emit) {
                let mut lines = Vec::new();
                wrap_line_plain(hard_line, columns, &mut lines);
                lines.iter().for_each(|l| emit(l));
            }
        }
    }

    /// Wraps one line; false (having emitted nothing) when it must take the plain route.
    fn wrap_line(&mut self, line: &str, columns: usize, emit: &mut impl FnMut(&str)) -> bool {
        if line.trim().is_empty() {
            emit("");
            return true;
        }
        // No cluster is wider than its bytes, so widths fit the table (a line of 4 GiB does not).
        if line.len() >= NOT_BOUNDARY as usize {
            return false;
        }
        self.measure(line);
        self.pieces.clear();
        let mut start = 0;
        for (pos, _) in unicode_linebreak::linebreaks(line) {
            if pos < line.len() && !self.allowed_break(line, pos) {
                continue;
            }
            if !self.push_segment(line, start, pos, columns) {
                return false;
            }
            start = pos;
        }
        if start < line.len() && !self.push_segment(line, start, line.len(), columns) {
            return false;
        }
        if self.pieces.is_empty() {
            emit("");
            return true;
        }
        // First fit, as `textwrap::wrap_algorithms::wrap_first_fit` does it.
        let mut first = 0;
        let mut used = 0;
        for i in 0..self.pieces.len() {
            let p = self.pieces[i];
            if used + p.width > columns && i > first {
                self.emit_line(line, first, i - 1, columns, emit);
                first = i;
                used = 0;
            }
            used += p.width + p.space_width;
        }
        self.emit_line(line, first, self.pieces.len() - 1, columns, emit);
        true
    }

    /// Hands on the line made of pieces `first..=last`: a slice of the input from the first
    /// word to the end of the last.
    fn emit_line(&self, line: &str, first: usize, last: usize, columns: usize, emit: &mut impl FnMut(&str)) {
        let (a, b) = (self.pieces[first].start, self.pieces[last].word_end);
        let s = &line[a..b];
        // A single grapheme wider than the whole column (a double-width character in one
        // column, or a three-column halfwidth-katakana cluster in two) cannot fit anywhere.
        if self.span_width(a, b).unwrap_or_else(|| width(s)) > columns {
            let s: String = s.graphemes(true).map(|g| if grapheme_width(g) > columns { "?" } else { g }).collect();
            emit(&s);
        } else {
            emit(s);
        }
    }

    /// Segments `line` into clusters and measures them (nothing to do for ASCII).
    fn measure(&mut self, line: &str) {
        self.ascii = line.is_ascii();
        if self.ascii {
            return;
        }
        self.cum.clear();
        self.cum.resize(line.len() + 1, NOT_BOUNDARY);
        let mut total = 0u32;
        let mut simple = true;
        for (i, c) in line.char_indices() {
            match simple_width(c) {
                Some(w) => {
                    self.cum[i] = total;
                    total += w as u32;
                }
                None => {
                    simple = false;
                    break;
                }
            }
        }
        if !simple {
            self.cum.fill(NOT_BOUNDARY);
            total = 0;
            for (i, g) in line.grapheme_indices(true) {
                self.cum[i] = total;
                total += grapheme_width(g) as u32;
            }
        }
        self.cum[line.len()] = total;
    }

    fn is_boundary(&self, pos: usize) -> bool {
        self.ascii || self.cum[pos] != NOT_BOUNDARY
    }

    /// The width of `line[a..b]`, or `None` unless both ends are cluster boundaries.
    fn span_width(&self, a: usize, b: usize) -> Option<usize> {
        if self.ascii {
            return Some(b - a);
        }
        let (x, y) = (self.cum[a], self.cum[b]);
        (x != NOT_BOUNDARY && y != NOT_BOUNDARY).then(|| (y - x) as usize)
    }

    /// See [`allowed_break`].
    fn allowed_break(&self, line: &str, pos: usize) -> bool {
        if !self.is_boundary(pos) {
            return false;
        }
        if self.ascii {
            return true;
        }
        let before = line[..pos].chars().next_back();
        let after = line[pos..].chars().next();
        match (before, after) {
            // Hangul is not white space: the same test as `allowed_break`, cheapest first.
            (Some(a), Some(b)) => !(is_hangul(a) || is_hangul(b)) || a.is_whitespace() || b.is_whitespace(),
            _ => true,
        }
    }

    /// See [`push_segment`]; false when the word does not end at a cluster boundary.
    fn push_segment(&mut self, line: &str, start: usize, end: usize, columns: usize) -> bool {
        let word_end = start + line[start..end].trim_end_matches([' ', '\u{3000}']).len();
        let (Some(width), Some(space_width)) = (self.span_width(start, word_end), self.span_width(word_end, end))
        else {
            return false;
        };
        if width <= columns {
            self.pieces.push(Span { start, word_end, width, space_width });
            return true;
        }
        let mut chunk_start = start;
        let mut chunk_width = 0;
        let mut g = start;
        while g < word_end {
            let mut next = g + 1;
            while !self.is_boundary(next) {
                next += 1;
            }
            let w = self.span_width(g, next).unwrap_or(0);
            if chunk_width + w > columns && chunk_width > 0 {
                self.pieces.push(Span { start: chunk_start, word_end: g, width: chunk_width, space_width: 0 });
                chunk_start = g;
                chunk_width = 0;
            }
            chunk_width += w;
            g = next;
        }
        self.pieces.push(Span { start: chunk_start, word_end, width: chunk_width, space_width });
        true
    }
}

/// [`wrap`] the plain way, measuring every word and line on its own: the reference the
/// [`Wrapper`] agrees with, and its route for lines it cannot take.
#[cfg(test)]
fn wrap_plain(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    for hard_line in text.split('\n') {
        wrap_line_plain(hard_line, columns, &mut lines);
    }
    lines
}

fn wrap_line_plain(line: &str, columns: usize, out: &mut Vec<String>) {
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

    /// Every character of the simple set is a cluster of its own next to any other (checked
    /// against one or more of each range, both ways round) and has the width ratatui gives it.
    #[test]
    fn simple_characters_are_clusters_of_their_own() {
        let simple: Vec<char> =
            (0..=0x10ffff_u32).filter_map(char::from_u32).filter(|&c| simple_width(c).is_some()).collect();
        let mut reps =
            vec!['\0', '\t', '\u{1b}', ' ', '!', '"', '\'', '(', ')', '-', '.', '0', '?', 'A', 'z', '~', '\u{7f}'];
        reps.extend([
            '\u{a0}', '\u{a8}', '\u{aa}', '\u{ac}', '\u{af}', '\u{b7}', '\u{e9}', '\u{17f}', '\u{2010}', '\u{2018}',
            '\u{2026}', '\u{2027}', '\u{2030}', '\u{203b}', '\u{ac00}', '\u{ac01}', '\u{d7a3}', '\u{4e00}', '\u{9fff}',
            '\u{3000}', '\u{3002}', '\u{3029}', '\u{3041}', '\u{3096}', '\u{30a0}', '\u{30fc}', '\u{30ff}', '\u{ff01}',
            '\u{ff60}',
        ]);
        let mut buf = String::new();
        for &c in &simple {
            let one = c.to_string();
            // (ratatui gives a lone ASCII control one column too, but asserts in debug builds.)
            if !c.is_ascii_control() {
                assert_eq!(simple_width(c), Some(grapheme_width(&one)), "{c:?}");
            }
            for &r in &reps {
                if c == '\r' && r == '\n' {
                    continue;
                }
                for (a, b) in [(c, r), (r, c)] {
                    buf.clear();
                    buf.push(a);
                    buf.push(b);
                    assert_eq!(buf.graphemes(true).count(), 2, "{a:?} {b:?}");
                }
            }
        }
    }

    /// The old definition of [`width`], segmenting every string.
    fn width_by_graphemes(s: &str) -> usize {
        if s.is_ascii() { s.len() } else { s.graphemes(true).map(grapheme_width).sum() }
    }

    /// Pieces of text, among them the cases the fast route must hand to the plain one or get
    /// right by itself: prepended marks before spaces, combining marks after simple letters,
    /// conjoining jamo after syllables, ZWJ sequences, flags, halfwidth sound marks.
    const MIX: &[&str] = &[
        "서울시는",
        "포럼을",
        "열었다.",
        "‘2024",
        "서울’을",
        "北京市",
        "新的规定。",
        "「東京都」",
        "は、",
        "ประเทศไทย",
        "Seoul",
        "well-known",
        "e\u{301}",
        "한\u{1161}",
        "가\u{11a8}",
        "\u{1100}\u{1161}",
        "☺\u{fe0f}",
        "👩\u{200d}👩\u{200d}👧",
        "🇰🇷",
        "👍🏽",
        "ｶﾞ",
        "\u{600}",
        "\u{600} ",
        "\u{110bd}",
        "a\u{200d}",
        "x\u{ad}y",
        "https://example.org/a/very/long/path/that/goes/on",
        "—",
        "…",
        "·",
        "\u{3000}",
        "、",
        "。",
        "Straße",
        "naïve",
        "©",
        "\u{85}",
        "12.5%",
        "1,011㎞",
    ];

    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec(
            (prop::sample::select(MIX), prop::sample::select(&[" ", "", " ", "  ", "\n", "\u{3000}"][..])),
            0..40,
        )
        .prop_map(|parts| parts.into_iter().map(|(p, sep)| format!("{p}{sep}")).collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn wrapping_agrees_with_the_plain_route(s in mixed_text(), w in 1usize..=90) {
            proptest::prop_assert_eq!(wrap(&s, w), wrap_plain(&s, w));
        }

        #[test]
        fn width_agrees_with_segmenting(s in mixed_text()) {
            let s = s.replace('\n', " ");
            proptest::prop_assert_eq!(width(&s), width_by_graphemes(&s));
        }
    }

    #[test]
    fn a_prepended_mark_before_a_space_takes_the_plain_route() {
        for s in ["\u{600} 1", "ab \u{600}  cd \u{600} \u{600} ef", "서울 \u{600} 서울시는"] {
            for w in 1..12 {
                assert_eq!(wrap(s, w), wrap_plain(s, w), "{s:?} at {w}");
            }
        }
    }

    #[test]
    fn truncate_by_width() {
        assert_eq!(truncate("한국어뉴스", 7), "한국어…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
