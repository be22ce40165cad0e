//! Output to the terminal: ratatui draws each frame into a buffer, and this module sends the
//! terminal only what changed since the frame it shows, letting the terminal move lines itself
//! when a block of rows scrolled.
//!
//! ratatui's own diff rewrites every cell that changed, so one line of scrolling in a reader
//! that fills the screen rewrites the whole text. Here the frame on screen is kept, and before
//! the diff it is compared with the new one: when a run of whole rows reappears a few rows up
//! or down, a scrolling region (DECSTBM with SU or SD, which every VT100-compatible terminal
//! has) moves them, the kept frame is shifted the same way, and only the rows that are really
//! new are written. Rows are whole terminal rows, so this helps when the scrolled pane spans
//! the full width, as the reader does while it has the focus.

use std::io::{self, Write};
use std::ops::Range;

use ratatui::backend::{CrosstermBackend, IntoCrossterm};
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::style::{Attribute, Colored};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::{Frame, Terminal};

/// A terminal and the frame it shows.
pub struct Screen<W: Write> {
    terminal: Terminal<CrosstermBackend<W>>,
    /// What the terminal shows now, cell for cell.
    shown: Buffer,
    /// Use scrolling regions (`[terminal] scroll_regions`).
    pub scroll_regions: bool,
    /// The scrolling region the terminal has (top and bottom row, from 1), when one was set:
    /// it stays set between frames, so the next line of scrolling costs only the scroll.
    region: Option<(u16, u16)>,
}

/// A block of rows moved by the terminal: rows `rows` scroll `by` lines, up when positive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub rows: Range<u16>,
    pub by: i32,
}

impl<W: Write> Screen<W> {
    /// Takes over `terminal`, whose screen must be blank (just cleared).
    pub fn new(mut terminal: Terminal<CrosstermBackend<W>>, scroll_regions: bool) -> Screen<W> {
        let area = terminal.get_frame().area();
        Screen { terminal, shown: Buffer::empty(area), scroll_regions, region: None }
    }

    pub fn terminal(&self) -> &Terminal<CrosstermBackend<W>> {
        &self.terminal
    }

    pub fn terminal_mut(&mut self) -> &mut Terminal<CrosstermBackend<W>> {
        &mut self.terminal
    }

    /// What the terminal shows.
    pub fn shown(&self) -> &Buffer {
        &self.shown
    }

    /// Draws a frame: `render` fills it, and the terminal gets what differs from the frame on
    /// screen, moved lines first. The cursor stays hidden.
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        // A new size clears the screen (ratatui does that in `autoresize`).
        self.terminal.autoresize()?;
        let mut frame = self.terminal.get_frame();
        render(&mut frame);
        let next = self.terminal.current_buffer_mut().clone();
        if self.shown.area != next.area {
            self.shown = Buffer::empty(next.area);
            self.forget_region()?;
        }
        let out = self.terminal.backend_mut();
        if self.scroll_regions
            && let Some(scroll) = find_scroll(&self.shown, &next)
        {
            // Set the region (unless the terminal has it already) and scroll it. The region
            // stays: nothing here writes a line feed, and every cursor move is absolute, so it
            // changes nothing but the next scroll. The attributes are reset (every frame ends
            // so), so the rows that enter are blank in the default colours.
            let region = (scroll.rows.start + 1, scroll.rows.end);
            if self.region != Some(region) {
                write!(out, "\x1b[{};{}r", region.0, region.1)?;
                self.region = Some(region);
            }
            let dir = if scroll.by > 0 { 'S' } else { 'T' };
            write!(out, "\x1b[{}{dir}", scroll.by.unsigned_abs())?;
            shift(&mut self.shown, &scroll);
        }
        let updates = self.shown.diff(&next);
        write_cells(out, &next, &updates)?;
        self.shown = next;
        // ratatui's own previous frame is not used for output, but keep it in step, and get a
        // blank buffer for the next frame.
        self.terminal.swap_buffers();
        self.terminal.backend_mut().flush()
    }

    /// Clears the terminal and forgets what it showed, so the next frame is drawn whole (after
    /// the terminal was given back and taken again).
    pub fn redraw_all(&mut self) -> io::Result<()> {
        let size = self.terminal.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        // Clears the screen and ratatui's buffers.
        self.terminal.resize(area)?;
        self.shown = Buffer::empty(area);
        // Whatever ran meanwhile may have set its own region.
        self.region = None;
        self.terminal.backend_mut().write_all(RESET_REGION)
    }

    /// Gives the whole screen back to scrolling (a new size makes the old region meaningless).
    fn forget_region(&mut self) -> io::Result<()> {
        if self.region.take().is_some() {
            self.terminal.backend_mut().write_all(RESET_REGION)?;
        }
        Ok(())
    }
}

/// DECSTBM with no parameters: the whole screen scrolls. Written before the terminal is given
/// back (see `restore_terminal`).
pub const RESET_REGION: &[u8] = b"\x1b[r";

/// Writes `updates` (cells of `next`, in screen order) with as few bytes as it can: no cursor
/// move where the cursor already is, a short forward move or the unchanged cells themselves
/// to skip a gap, blanks to the end of a row as one erase (EL) and a long run of blanks as one
/// erase of characters (ECH), and only the attributes that change. Ends with the attributes
/// reset.
pub fn write_cells(out: &mut impl Write, next: &Buffer, updates: &[(u16, u16, &Cell)]) -> io::Result<()> {
    let width = next.area.width;
    // Where the cursor is, when that is known for sure.
    let mut cursor: Option<(u16, u16)> = None;
    let mut style = PLAIN;
    let mut i = 0;
    while i < updates.len() {
        let (x, y, cell) = updates[i];
        match cursor {
            Some(c) if c == (x, y) => {}
            Some((cx, cy)) if cy == y && cx < x => {
                let gap = x - cx;
                let fill = (cx..x).map(|gx| &next[(gx, y)]).all(|c| {
                    let s = c.symbol();
                    s.len() == 1 && s.as_bytes()[0].is_ascii_graphic() || s == " "
                }) && (cx..x).all(|gx| cell_style(&next[(gx, y)]) == style);
                let forward = format!("\x1b[{gap}C");
                if fill && usize::from(gap) <= forward.len() {
                    for gx in cx..x {
                        out.write_all(next[(gx, y)].symbol().as_bytes())?;
                    }
                } else {
                    out.write_all(forward.as_bytes())?;
                }
            }
            _ => write!(out, "\x1b[{};{}H", y + 1, x + 1)?,
        }
        if blank(cell) {
            // The updates from here that are blanks in a row, one column after another.
            let run = updates[i..]
                .iter()
                .enumerate()
                .take_while(|&(k, &(ux, uy, c))| uy == y && usize::from(ux) == usize::from(x) + k && blank(c))
                .count();
            let in_row = updates[i..].iter().take_while(|&&(_, uy, _)| uy == y).count();
            let to_end = (x..width).all(|gx| blank(&next[(gx, y)]));
            let erase = if to_end && in_row > 3 {
                Some((in_row, "\x1b[K".to_string()))
            } else if run >= 8 {
                Some((run, format!("\x1b[{run}X")))
            } else {
                None
            };
            if let Some((covered, sequence)) = erase {
                // Erased cells take the current background (and, in some terminals, other
                // attributes): only a foreground colour may stay set.
                if style.1 != Color::Reset || !style.2.is_empty() {
                    write_sgr(out, style, PLAIN)?;
                    style = PLAIN;
                }
                out.write_all(sequence.as_bytes())?;
                // Neither erase moves the cursor.
                cursor = Some((x, y));
                i += covered;
                continue;
            }
        }
        let wanted = cell_style(cell);
        if wanted != style {
            write_sgr(out, style, wanted)?;
            style = wanted;
        }
        let symbol = cell.symbol();
        out.write_all(symbol.as_bytes())?;
        cursor = match advance(symbol) {
            Some(w) if x + w < width => Some((x + w, y)),
            _ => None,
        };
        i += 1;
    }
    if style != PLAIN {
        out.write_all(b"\x1b[0m")?;
    }
    Ok(())
}

/// The attributes every frame starts and ends with: default colours, no modifiers.
const PLAIN: (Color, Color, Modifier) = (Color::Reset, Color::Reset, Modifier::empty());

/// A cell that looks the same as an erased one: a space on the default background, with
/// nothing drawn across it.
fn blank(c: &Cell) -> bool {
    c.symbol() == " "
        && c.bg == Color::Reset
        && !c.modifier.intersects(Modifier::REVERSED | Modifier::UNDERLINED | Modifier::CROSSED_OUT)
}

fn cell_style(c: &Cell) -> (Color, Color, Modifier) {
    (c.fg, c.bg, c.modifier)
}

/// How far the cursor moves after `symbol`, where every terminal agrees: one column for a
/// narrow character, two for the common wide ones (Hangul syllables, kana, CJK ideographs,
/// full-width forms: those `text` measures without the segmenter). None for anything else
/// (emoji, combining sequences), after which the cursor is placed again.
fn advance(symbol: &str) -> Option<u16> {
    let mut chars = symbol.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    match unicode_width::UnicodeWidthStr::width(symbol) {
        1 => Some(1),
        2 if crate::text::simple_width(c) == Some(2) => Some(2),
        _ => None,
    }
}

/// One SGR sequence from attributes `from` to `to`: only what changes, or a reset and all of
/// `to` when an attribute is taken away.
fn write_sgr(out: &mut impl Write, from: (Color, Color, Modifier), to: (Color, Color, Modifier)) -> io::Result<()> {
    let mut params: Vec<String> = Vec::new();
    let removed = from.2 - to.2;
    let reset = !removed.is_empty();
    let (old_fg, old_bg, added) = if reset {
        params.push("0".into());
        (Color::Reset, Color::Reset, to.2)
    } else {
        (from.0, from.1, to.2 - from.2)
    };
    const ATTRIBUTES: [(Modifier, Attribute); 9] = [
        (Modifier::BOLD, Attribute::Bold),
        (Modifier::DIM, Attribute::Dim),
        (Modifier::ITALIC, Attribute::Italic),
        (Modifier::UNDERLINED, Attribute::Underlined),
        (Modifier::SLOW_BLINK, Attribute::SlowBlink),
        (Modifier::RAPID_BLINK, Attribute::RapidBlink),
        (Modifier::REVERSED, Attribute::Reverse),
        (Modifier::HIDDEN, Attribute::Hidden),
        (Modifier::CROSSED_OUT, Attribute::CrossedOut),
    ];
    for (m, a) in ATTRIBUTES {
        if added.contains(m) {
            params.push(a.sgr());
        }
    }
    // Bold text in one of the first eight colours is drawn bright by some terminals when the
    // colour is given as 30–37, not when it is given as 38;5;n: bold text keeps the long form,
    // written again when bold comes to a colour already set.
    let bold = to.2.contains(Modifier::BOLD);
    if to.0 != old_fg || bold && added.contains(Modifier::BOLD) && short_colour(to.0, 30).is_some() {
        params.push(colour(to.0, true, bold));
    }
    if to.1 != old_bg {
        params.push(colour(to.1, false, false));
    }
    if params.is_empty() {
        return Ok(());
    }
    write!(out, "\x1b[{}m", params.join(";"))
}

/// The SGR parameter for colour `c`, in the foreground or the background: the short ANSI form
/// (`36`, `94`, `39`) for the sixteen colours, which names the same colours as the 256-colour
/// form in every terminal, unless `long` asks for that form.
fn colour(c: Color, foreground: bool, long: bool) -> String {
    let base = if foreground { 30 } else { 40 };
    match short_colour(c, base) {
        Some(n) if !long || c == Color::Reset => n.to_string(),
        _ if foreground => Colored::ForegroundColor(c.into_crossterm()).to_string(),
        _ => Colored::BackgroundColor(c.into_crossterm()).to_string(),
    }
}

/// `base` (30 or 40) plus the colour for the first eight, `base + 60` plus it for the bright
/// eight, `base + 9` for the default; None for the rest of the 256 and for RGB colours.
fn short_colour(c: Color, base: u8) -> Option<u8> {
    let n = match c {
        Color::Reset => return Some(base + 9),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(n) if n < 16 => n,
        _ => return None,
    };
    Some(if n < 8 { base + n } else { base + 60 + n - 8 })
}

/// The scroll that saves the most rows of writing between `shown` and `next`, if one saves at
/// least two. The block of rows considered is from the first changed row to the last.
pub fn find_scroll(shown: &Buffer, next: &Buffer) -> Option<Scroll> {
    if shown.area != next.area || shown.area.width == 0 {
        return None;
    }
    // Rows are compared by hash: a wrong guess only costs bytes, never correctness, since the
    // diff after the move writes whatever still differs.
    let (old, new) = (row_hashes(shown), row_hashes(next));
    let changed: Vec<bool> = old.iter().zip(&new).map(|(a, b)| a != b).collect();
    let top = changed.iter().position(|&c| c)?;
    let bottom = changed.iter().rposition(|&c| c)? + 1;
    let mut best: Option<(isize, Scroll)> = None;
    for k in 1..(bottom - top) {
        for up in [true, false] {
            // The changed rows whose new content is on screen already, k rows below (a scroll
            // up) or above; the block to move is the smallest that carries all of them.
            let source = |y: usize| if up { y + k } else { y.wrapping_sub(k) };
            let gained: Vec<bool> =
                (0..old.len()).map(|y| changed[y] && source(y) < old.len() && old[source(y)] == new[y]).collect();
            let (Some(first), Some(last)) = (gained.iter().position(|&g| g), gained.iter().rposition(|&g| g)) else {
                continue;
            };
            let rows = if up { first..last + k + 1 } else { first - k..last + 1 };
            // Rows already right that the move would disturb have to be written again.
            let lost = rows.clone().filter(|&y| !changed[y]).count();
            let count = gained.iter().filter(|&&g| g).count();
            let score = count as isize - lost as isize;
            if score >= 2 && best.as_ref().is_none_or(|(s, _)| score > *s) {
                let by = if up { k as i32 } else { -(k as i32) };
                best = Some((score, Scroll { rows: rows.start as u16..rows.end as u16, by }));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// One hash per row of `buf`.
fn row_hashes(buf: &Buffer) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let width = usize::from(buf.area.width).max(1);
    buf.content
        .chunks(width)
        .map(|row| {
            let mut h = RowHasher(0);
            row.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// A small fast hasher (the FxHash mix) for row contents; not for untrusted keys in a table.
struct RowHasher(u64);

impl std::hash::Hasher for RowHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Moves the rows of `buf` as the terminal does for `scroll`: the rows that leave the block
/// are gone and the rows that enter are blank.
pub fn shift(buf: &mut Buffer, scroll: &Scroll) {
    let width = usize::from(buf.area.width);
    let (top, bottom) = (usize::from(scroll.rows.start), usize::from(scroll.rows.end));
    let block = &mut buf.content[top * width..bottom * width];
    let k = (scroll.by.unsigned_abs() as usize).min(bottom - top);
    if scroll.by > 0 {
        block.rotate_left(k * width);
        let len = block.len();
        block[len - k * width..].fill(Cell::EMPTY);
    } else {
        block.rotate_right(k * width);
        block[..k * width].fill(Cell::EMPTY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf(lines: &[&str]) -> Buffer {
        Buffer::with_lines(lines.iter().copied())
    }

    #[test]
    fn a_block_scrolled_up_one_line_is_found() {
        let shown = buf(&["title", "a    ", "b    ", "c    ", "d    ", "stat "]);
        let next = buf(&["title", "b    ", "c    ", "d    ", "e    ", "stat "]);
        let s = find_scroll(&shown, &next).unwrap();
        assert_eq!(s, Scroll { rows: 1..5, by: 1 });
        let mut moved = shown.clone();
        shift(&mut moved, &s);
        // Only the new bottom row is left to write.
        let diff = moved.diff(&next);
        assert!(diff.iter().all(|(_, y, _)| *y == 4), "{diff:?}");
    }

    #[test]
    fn a_block_scrolled_down_is_found() {
        let shown = buf(&["t", "b", "c", "d", "e", "s"]);
        let next = buf(&["t", "a", "b", "c", "d", "s"]);
        assert_eq!(find_scroll(&shown, &next), Some(Scroll { rows: 1..5, by: -1 }));
    }

    #[test]
    fn unrelated_changes_are_not_scrolled() {
        let shown = buf(&["t", "a", "b", "c", "d", "s"]);
        let next = buf(&["t", "w", "x", "y", "z", "s"]);
        assert_eq!(find_scroll(&shown, &next), None);
        assert_eq!(find_scroll(&shown, &shown), None);
    }

    #[test]
    fn shift_blanks_the_rows_that_enter() {
        let mut b = buf(&["a", "b", "c", "d"]);
        shift(&mut b, &Scroll { rows: 0..4, by: 2 });
        assert_eq!(b, buf(&["c", "d", " ", " "]));
        shift(&mut b, &Scroll { rows: 1..3, by: -1 });
        assert_eq!(b, buf(&["c", " ", "d", " "]));
    }
}
