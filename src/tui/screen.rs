//! Output to the terminal: ratatui draws each frame into a buffer, and this module sends the
//! terminal only what changed since the frame it shows, letting the terminal move lines itself
//! when a block of rows scrolled.
//!
//! ratatui's own diff rewrites every cell that changed, so one line of scrolling in a reader
//! that fills the screen rewrites the whole text. Here the frame on screen is kept, and before
//! the diff it is compared with the new one: when a run of whole rows reappears a few rows up
//! or down, a scrolling region (DECSTBM with SU or SD, which every VT100-compatible terminal
//! has) moves them, the kept frame is shifted the same way, and only the rows that are really
//! new are written. Where the terminal also has left and right margins (DECLRMM and DECSLRM:
//! xterm, WezTerm, iTerm2 and others; asked at start, see [`MARGINS_PROBE`]), a block of rows
//! of one pane scrolls without the pane beside it: the reader beside the list.

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
    /// The terminal has left and right margins (see [`MARGINS_PROBE`]).
    pub margins: bool,
    /// The columns of each pane that may scroll by itself (the list and the reader side by
    /// side), set by the caller before a frame; used where the terminal has margins.
    pub panes: Vec<Range<u16>>,
    /// Left and right margins are enabled (DECLRMM): set at the first scroll of a pane, reset
    /// with the region.
    margin_mode: bool,
}

/// A block of rows moved by the terminal: rows `rows` scroll `by` lines, up when positive;
/// only columns `cols` when given (within left and right margins), else whole rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub rows: Range<u16>,
    pub by: i32,
    pub cols: Option<Range<u16>>,
}

/// Asks whether the terminal has left and right margins, by their effect: with the margin mode
/// on (DECLRMM), setting margins (DECSLRM) moves the cursor home; a terminal without them takes
/// the same `CSI 2;4 s` as a save of the cursor, which stays where it was put (row 2, column 3).
/// Followed by a cursor position request; see [`position_report`], [`margins_from_position`]
/// and [`MARGINS_PROBE_END`].
pub const MARGINS_PROBE: &[u8] = b"\x1b[?69h\x1b[2;3H\x1b[2;4s";

/// After the probe: the margins back to the whole width where they were set (`CSI s` with the
/// mode on), and the margin mode off again until a pane scrolls.
pub const MARGINS_PROBE_END: &[u8] = b"\x1b[s\x1b[?69l";

/// Whether the cursor position reported after [`MARGINS_PROBE`] (column and row, from 0) says
/// the terminal has left and right margins.
pub fn margins_from_position(col: u16, row: u16) -> bool {
    (col, row) == (0, 0)
}

/// The first cursor position report (`ESC[row;colR`) in `bytes`: column and row from 0, and
/// where it stands in `bytes`.
pub fn position_report(bytes: &[u8]) -> Option<((u16, u16), Range<usize>)> {
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(2).position(|w| w == b"\x1b[") {
        let start = at + i + 2;
        let rest = &bytes[start..];
        let end = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b';'));
        if let Some(end) = end
            && rest[end] == b'R'
            && let Some((row, col)) = std::str::from_utf8(&rest[..end]).ok().and_then(|s| s.split_once(';'))
            && let (Ok(row), Ok(col)) = (row.parse::<u16>(), col.parse::<u16>())
            && row > 0
            && col > 0
        {
            return Some(((col - 1, row - 1), start - 2..start + end + 1));
        }
        at = start;
    }
    None
}

/// Whether `bytes` end in the beginning of a cursor position report (`ESC [`, digits and `;`).
pub fn report_begun(bytes: &[u8]) -> bool {
    let Some(at) = bytes.iter().rposition(|&b| b == 0x1b) else { return false };
    let tail = &bytes[at + 1..];
    tail.first() == Some(&b'[') && tail[1..].iter().all(|b| b.is_ascii_digit() || *b == b';')
}

impl<W: Write> Screen<W> {
    /// Takes over `terminal`, whose screen must be blank (just cleared).
    pub fn new(mut terminal: Terminal<CrosstermBackend<W>>, scroll_regions: bool) -> Screen<W> {
        let area = terminal.get_frame().area();
        Screen {
            terminal,
            shown: Buffer::empty(area),
            scroll_regions,
            region: None,
            margins: false,
            panes: Vec::new(),
            margin_mode: false,
        }
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
        let width = next.area.width;
        let panes = if self.margins { self.panes.as_slice() } else { &[] };
        let scroll = if self.scroll_regions {
            std::iter::once(0..width)
                .chain(
                    panes.iter().filter(|c| c.start < c.end && c.end <= width && c.len() < usize::from(width)).cloned(),
                )
                .filter_map(|cols| find_scroll_in(&self.shown, &next, cols))
                .max_by_key(|(saved, _)| *saved)
                .map(|(_, scroll)| scroll)
        } else {
            None
        };
        if let Some(scroll) = scroll {
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
            if let Some(cols) = &scroll.cols {
                // The margins only for the scroll, and back to the whole width at once (`CSI
                // s` with the mode on): text written later never meets a margin, where it
                // would wrap.
                if !self.margin_mode {
                    out.write_all(b"\x1b[?69h")?;
                    self.margin_mode = true;
                }
                write!(out, "\x1b[{};{}s\x1b[{}{dir}\x1b[s", cols.start + 1, cols.end, scroll.by.unsigned_abs())?;
            } else {
                write!(out, "\x1b[{}{dir}", scroll.by.unsigned_abs())?;
            }
            shift(&mut self.shown, &scroll);
        }
        let updates = self.shown.diff(&next);
        // Line feeds stop above the bottom of the region, or of the screen.
        let line_feeds_end = self.region.map_or(next.area.height, |(_, bottom)| bottom).saturating_sub(1);
        write_cells(out, &next, &updates, line_feeds_end)?;
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
        self.terminal.backend_mut().write_all(RESET_REGION)?;
        if std::mem::take(&mut self.margin_mode) {
            self.terminal.backend_mut().write_all(RESET_MARGIN_MODE)?;
        }
        Ok(())
    }

    /// Gives the whole screen back to scrolling (a new size makes the old region meaningless).
    fn forget_region(&mut self) -> io::Result<()> {
        if self.region.take().is_some() {
            self.terminal.backend_mut().write_all(RESET_REGION)?;
        }
        if std::mem::take(&mut self.margin_mode) {
            self.terminal.backend_mut().write_all(RESET_MARGIN_MODE)?;
        }
        Ok(())
    }
}

/// DECSTBM with no parameters: the whole screen scrolls. Written before the terminal is given
/// back (see `restore_terminal`).
pub const RESET_REGION: &[u8] = b"\x1b[r";

/// The left and right margin mode off (DECLRMM), which also takes the margins away. Written
/// before the terminal is given back; ignored by a terminal without margins.
pub const RESET_MARGIN_MODE: &[u8] = b"\x1b[?69l";

/// Writes `updates` (cells of `next`, in screen order) with as few bytes as it can: no cursor
/// move where the cursor already is, a short forward move or the unchanged cells themselves
/// to skip a gap, blanks to the end of a row as one erase (EL) and a long run of blanks as one
/// erase of characters (ECH), and only the attributes that change. Ends with the attributes
/// reset.
///
/// A line feed takes the cursor down a row only where it cannot scroll anything: never from
/// row `line_feeds_end` (from 0: the bottom of the scrolling region the terminal has, or the
/// last row of the screen), where it would.
pub fn write_cells(
    out: &mut impl Write,
    next: &Buffer,
    updates: &[(u16, u16, &Cell)],
    line_feeds_end: u16,
) -> io::Result<()> {
    let width = next.area.width;
    // Where the cursor is, when that is known for sure.
    let mut cursor: Option<(u16, u16)> = None;
    let mut style = PLAIN;
    let mut i = 0;
    while i < updates.len() {
        let (x, y, cell) = updates[i];
        if cursor != Some((x, y)) {
            let moves = cursor_move(next, style, cursor, (x, y), line_feeds_end);
            out.write_all(&moves)?;
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
        // SGR with no parameter is the reset (`ESC[0m`), a byte shorter.
        out.write_all(b"\x1b[m")?;
    }
    Ok(())
}

/// The fewest bytes that take the cursor from `from` (when known) to `to`: an absolute move,
/// or from where it is, line feeds down (never from row `line_feeds_end`, where one scrolls)
/// and a move along the row (see [`forward`] for a short gap).
fn cursor_move(
    next: &Buffer,
    style: (Color, Color, Modifier),
    from: Option<(u16, u16)>,
    to: (u16, u16),
    line_feeds_end: u16,
) -> Vec<u8> {
    let (x, y) = to;
    let mut best = if x == 0 { format!("\x1b[{}H", y + 1) } else { format!("\x1b[{};{}H", y + 1, x + 1) }.into_bytes();
    let Some((cx, cy)) = from else { return best };
    // Along row y from column `cx` to `x`.
    let along = |cx: u16| -> Vec<u8> {
        if cx == x {
            return Vec::new();
        }
        if cx > x {
            // Not a carriage return: that is left to text, which is never allowed one.
            return format!("\x1b[{}D", cx - x).into_bytes();
        }
        forward(next, style, cx, x, y)
    };
    let candidate = if cy == y {
        Some(along(cx))
    } else if cy < y && y - cy <= 3 && if cy < line_feeds_end { y <= line_feeds_end } else { cy > line_feeds_end } {
        let mut moves = vec![b'\n'; usize::from(y - cy)];
        moves.extend(along(cx));
        Some(moves)
    } else {
        None
    };
    if let Some(c) = candidate
        && c.len() < best.len()
    {
        best = c;
    }
    best
}

/// From column `cx` forward to `x` on row `y`: the cells between written again when that is
/// shorter and they look the same in the attributes `style` (plain ASCII in those attributes,
/// or spaces on the same background), else a forward move.
fn forward(next: &Buffer, style: (Color, Color, Modifier), cx: u16, x: u16, y: u16) -> Vec<u8> {
    let gap = x - cx;
    // A space shows no foreground colour, nor bold, dim or italic.
    let drawn = Modifier::REVERSED | Modifier::UNDERLINED | Modifier::CROSSED_OUT;
    let fill = (cx..x).map(|gx| &next[(gx, y)]).all(|c| match c.symbol() {
        " " => c.bg == style.1 && c.modifier & drawn == style.2 & drawn,
        s => s.len() == 1 && s.as_bytes()[0].is_ascii_graphic() && cell_style(c) == style,
    });
    let moves = format!("\x1b[{gap}C").into_bytes();
    if fill && usize::from(gap) <= moves.len() {
        (cx..x).flat_map(|gx| next[(gx, y)].symbol().bytes()).collect()
    } else {
        moves
    }
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
/// `to`, whichever is shorter (a reset is needed when an attribute is taken away; `ESC[m` back
/// to plain text is shorter than naming the default colour, `ESC[39m`).
fn write_sgr(out: &mut impl Write, from: (Color, Color, Modifier), to: (Color, Color, Modifier)) -> io::Result<()> {
    if from == to {
        return Ok(());
    }
    let reset = sgr_params(PLAIN, to);
    let params = if (from.2 - to.2).is_empty() {
        let change = sgr_params(from, to);
        // The reset form is no parameter at all, or "0" and its parameters, each after a
        // separator.
        let reset_len: usize = match reset.len() {
            0 => 0,
            _ => 1 + reset.iter().map(|p| p.len() + 1).sum::<usize>(),
        };
        let change_len: usize = change.iter().map(|p| p.len() + 1).sum::<usize>().saturating_sub(1);
        if change_len <= reset_len { change } else { [vec!["0".to_string()], reset].concat() }
    } else {
        [vec!["0".to_string()], reset].concat()
    };
    if params.is_empty() {
        return Ok(());
    }
    if params == ["0"] {
        // SGR with no parameter is the reset.
        return out.write_all(b"\x1b[m");
    }
    write!(out, "\x1b[{}m", params.join(";"))
}

/// The SGR parameters from attributes `from` to `to`, which has every modifier of `from`.
fn sgr_params(from: (Color, Color, Modifier), to: (Color, Color, Modifier)) -> Vec<String> {
    let mut params: Vec<String> = Vec::new();
    let added = to.2 - from.2;
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
    if to.0 != from.0 || bold && added.contains(Modifier::BOLD) && short_colour(to.0, 30).is_some() {
        params.push(colour(to.0, true, bold));
    }
    if to.1 != from.1 {
        params.push(colour(to.1, false, false));
    }
    params
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

/// The scroll that saves the most bytes of writing between `shown` and `next`, if one saves
/// any. Rows are compared by hash: a wrong guess only costs bytes, never correctness, since the
/// diff after the move writes whatever still differs.
///
/// Each row's cost is estimated from what it shows (its visible text, a cursor move, an erase
/// when the row it covers reaches further), so a move pays for itself when the rows it brings
/// back are long, even one of them, and the rows that enter blank need no erasing: a page that
/// keeps its last line at the top is one scroll of the whole text, and then only the text.
pub fn find_scroll(shown: &Buffer, next: &Buffer) -> Option<Scroll> {
    find_scroll_in(shown, next, 0..shown.area.width).map(|(_, scroll)| scroll)
}

/// [`find_scroll`] within columns `cols` of each row (whole rows when they span the width),
/// with the bytes it saves. A scroll of some columns costs the margins set and reset besides.
pub fn find_scroll_in(shown: &Buffer, next: &Buffer, cols: Range<u16>) -> Option<(usize, Scroll)> {
    if shown.area != next.area || shown.area.width == 0 || cols.is_empty() || cols.end > shown.area.width {
        return None;
    }
    let whole = cols.len() == usize::from(shown.area.width);
    if !whole && [shown, next].iter().any(|buf| straddles(buf, &cols)) {
        // A wide character across a margin: terminals differ in what a scroll leaves of it.
        return None;
    }
    let margins_cost = if whole { 0 } else { MARGINS_COST };
    let (old, new) = (row_looks(shown, cols.clone()), row_looks(next, cols.clone()));
    let changed: Vec<bool> = old.iter().zip(&new).map(|(a, b)| a.hash != b.hash).collect();
    let top = changed.iter().position(|&c| c)?;
    let bottom = changed.iter().rposition(|&c| c)? + 1;
    let blank = row_looks(&Buffer::empty(Rect::new(0, 0, shown.area.width, 1)), cols.clone()).remove(0);
    // What writing the rows `rows` costs as they are, and after a move of `by` within them.
    let as_they_are = |rows: Range<usize>| rows.map(|y| write_cost(&old[y], &new[y])).sum::<usize>();
    let moved = |rows: Range<usize>, by: isize| {
        rows.clone()
            .map(|y| {
                let source = y as isize + by;
                let under =
                    if source >= 0 && rows.contains(&(source as usize)) { &old[source as usize] } else { &blank };
                write_cost(under, &new[y])
            })
            .sum::<usize>()
            + SCROLL_COST
            + margins_cost
    };
    let mut best: Option<(usize, Scroll)> = None;
    for k in 1..(bottom - top) {
        for up in [true, false] {
            // The changed rows whose new content is on screen already, k rows below (a scroll
            // up) or above; the blocks tried are the smallest that carries all of them and
            // the whole of what changed.
            let source = |y: usize| if up { y + k } else { y.wrapping_sub(k) };
            let gained = |y: usize| changed[y] && source(y) < old.len() && old[source(y)].hash == new[y].hash;
            let (Some(first), Some(last)) =
                ((0..old.len()).find(|&y| gained(y)), (0..old.len()).rev().find(|&y| gained(y)))
            else {
                continue;
            };
            let carrying = if up { first..last + k + 1 } else { first - k..last + 1 };
            for rows in [carrying, top.min(first)..bottom.max(last + 1)] {
                if rows.len() <= k {
                    continue;
                }
                let by = if up { k as isize } else { -(k as isize) };
                let (before, after) = (as_they_are(rows.clone()), moved(rows.clone(), by));
                let saved = before.saturating_sub(after);
                if saved > 0 && best.as_ref().is_none_or(|(s, _)| saved > *s) {
                    let cols = (!whole).then(|| cols.clone());
                    best = Some((saved, Scroll { rows: rows.start as u16..rows.end as u16, by: by as i32, cols }));
                }
            }
        }
    }
    best
}

/// Whether a wide character on some row of `buf` lies across an edge of columns `cols`.
fn straddles(buf: &Buffer, cols: &Range<u16>) -> bool {
    let wide = |x: u16, y: u16| unicode_width::UnicodeWidthStr::width(buf[(x, y)].symbol()) > 1;
    (0..buf.area.height).any(|y| (cols.start > 0 && wide(cols.start - 1, y)) || wide(cols.end - 1, y))
}

/// What a scroll costs in bytes, a scrolling region set with it (`ESC[2;38r ESC[36S`).
const SCROLL_COST: usize = 12;

/// What margins set for a scroll and reset after it cost (`ESC[38;119s` … `ESC[s`).
const MARGINS_COST: usize = 13;

/// A row as the cost of writing it sees it.
struct RowLook {
    hash: u64,
    /// The bytes of its visible cells (text, and cells with a background or a line).
    ink: usize,
    /// One past the last column that is not blank.
    end: u16,
}

/// About how many bytes it takes to make a row that shows `under` show `row`: nothing when
/// they are the same, else a cursor move, the row's text and an erase when `under` reaches
/// further.
fn write_cost(under: &RowLook, row: &RowLook) -> usize {
    if under.hash == row.hash { 0 } else { 8 + row.ink + if under.end > row.end { 3 } else { 0 } }
}

/// Each row of `buf` within columns `cols`: its hash, its text's bytes and where it ends.
fn row_looks(buf: &Buffer, cols: Range<u16>) -> Vec<RowLook> {
    use std::hash::{Hash, Hasher};
    let width = usize::from(buf.area.width).max(1);
    let cols = usize::from(cols.start)..usize::from(cols.end).min(width);
    buf.content
        .chunks(width)
        .map(|row| &row[cols.clone()])
        .map(|row| {
            let mut h = RowHasher(0);
            row.hash(&mut h);
            let visible = |c: &Cell| *c != Cell::EMPTY;
            let ink = row.iter().filter(|c| visible(c)).map(|c| c.symbol().len().max(1)).sum();
            let end = row.iter().rposition(visible).map_or(0, |x| x as u16 + 1);
            RowLook { hash: h.finish(), ink, end }
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
    if let Some(cols) = &scroll.cols {
        // Within the margins: each row's cells in those columns only.
        let (top, bottom) = (usize::from(scroll.rows.start), usize::from(scroll.rows.end));
        let k = (scroll.by.unsigned_abs() as usize).min(bottom - top);
        let (x0, x1) = (usize::from(cols.start), usize::from(cols.end).min(width));
        let rows: Vec<usize> = if scroll.by > 0 { (top..bottom).collect() } else { (top..bottom).rev().collect() };
        for &y in &rows {
            let from = if scroll.by > 0 { y + k } else { y.wrapping_sub(k) };
            for x in x0..x1 {
                let cell = if (top..bottom).contains(&from) && from != usize::MAX {
                    buf.content[from * width + x].clone()
                } else {
                    Cell::EMPTY
                };
                buf.content[y * width + x] = cell;
            }
        }
        return;
    }
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
        assert_eq!(s, Scroll { rows: 1..5, by: 1, cols: None });
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
        assert_eq!(find_scroll(&shown, &next), Some(Scroll { rows: 1..5, by: -1, cols: None }));
    }

    #[test]
    fn unrelated_changes_are_not_scrolled() {
        let shown = buf(&["t", "a", "b", "c", "d", "s"]);
        let next = buf(&["t", "w", "x", "y", "z", "s"]);
        assert_eq!(find_scroll(&shown, &next), None);
        assert_eq!(find_scroll(&shown, &shown), None);
    }

    /// The written bytes for `next` over a blank screen.
    fn written(next: &Buffer, line_feeds_end: u16) -> String {
        let blank = Buffer::empty(next.area);
        let mut out = Vec::new();
        write_cells(&mut out, next, &blank.diff(next), line_feeds_end).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_cursor_goes_down_by_line_feeds_where_nothing_can_scroll() {
        let mut rows = vec!["      "; 14];
        (rows[9], rows[10], rows[12]) = ("  abc ", "  def ", "  ghi ");
        let next = buf(&rows);
        // Down a row and back to the column the row starts at.
        assert_eq!(written(&next, 13), "\x1b[10;3Habc\n\x1b[3Ddef\n\n\x1b[3Dghi");
        // Never a line feed from the bottom of the scrolling region, which would scroll it.
        assert_eq!(written(&next, 10), "\x1b[10;3Habc\n\x1b[3Ddef\x1b[13;3Hghi");
        assert_eq!(written(&next, 9), "\x1b[10;3Habc\x1b[11;3Hdef\n\n\x1b[3Dghi");
    }

    fn sgr(from: (Color, Color, Modifier), to: (Color, Color, Modifier)) -> String {
        let mut out = Vec::new();
        write_sgr(&mut out, from, to).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn attributes_change_by_the_shorter_sequence() {
        let (grey, cyan) =
            ((Color::DarkGray, Color::Reset, Modifier::empty()), (Color::Cyan, Color::Reset, Modifier::empty()));
        let reversed = (Color::Reset, Color::Reset, Modifier::REVERSED);
        // Back to plain text: the reset, not the default colour named (`ESC[39m`).
        assert_eq!(sgr(grey, PLAIN), "\x1b[m");
        assert_eq!(sgr(PLAIN, grey), "\x1b[90m");
        assert_eq!(sgr(grey, cyan), "\x1b[36m");
        assert_eq!(sgr(PLAIN, PLAIN), "");
        // Keeping reverse video, the colour alone (`ESC[0;7m` is longer).
        assert_eq!(sgr((Color::Cyan, Color::Reset, Modifier::REVERSED), reversed), "\x1b[39m");
        // An attribute taken away needs the reset.
        assert_eq!(
            sgr(
                (Color::Cyan, Color::Reset, Modifier::BOLD | Modifier::ITALIC),
                (Color::Cyan, Color::Reset, Modifier::BOLD)
            ),
            "\x1b[0;1;38;5;6m"
        );
        // Bold in one of the first eight colours keeps the long form after a reset too.
        assert_eq!(sgr(grey, (Color::Cyan, Color::Reset, Modifier::BOLD)), "\x1b[1;38;5;6m");
    }

    #[test]
    fn a_page_carrying_its_last_line_over_is_one_scroll() {
        let shown = buf(&["top", "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd", "eeeeeeeeee", "st1"]);
        let next = buf(&["top", "eeeeeeeeee", "ffff", "gggg", "hhhh", "iiii", "st2"]);
        let s = find_scroll(&shown, &next).unwrap();
        assert_eq!(s, Scroll { rows: 1..6, by: 4, cols: None });
        let mut moved = shown.clone();
        shift(&mut moved, &s);
        // The new rows enter blank: nothing is left to erase.
        assert!(moved.diff(&next).iter().all(|(_, y, c)| *y != 1 && c.symbol() != " "));
    }

    #[test]
    fn a_pane_scrolled_beside_another_is_found_within_its_columns() {
        let shown = buf(&["top       ", "l1|aaaaaa", "l2|bbbbbb", "l3|cccccc", "l4|dddddd", "st1       "]);
        let next = buf(&["top       ", "l1|bbbbbb", "l2|cccccc", "l3|dddddd", "l4|eeeeee", "st2       "]);
        // Whole rows do not move: the list beside stays.
        assert_eq!(find_scroll(&shown, &next), None);
        let (saved, s) = find_scroll_in(&shown, &next, 3..9).unwrap();
        assert_eq!(s, Scroll { rows: 1..5, by: 1, cols: Some(3..9) });
        assert!(saved > 0);
        let mut moved = shown.clone();
        shift(&mut moved, &s);
        assert_eq!(moved, buf(&["top       ", "l1|bbbbbb", "l2|cccccc", "l3|dddddd", "l4|      ", "st1       "]));
        // And down again.
        shift(&mut moved, &Scroll { rows: 1..5, by: -2, cols: Some(3..9) });
        assert_eq!(moved, buf(&["top       ", "l1|      ", "l2|      ", "l3|bbbbbb", "l4|cccccc", "st1       "]));
        // Never with a wide character across an edge of the pane.
        let mut wide = next.clone();
        wide.set_string(8, 5, "가", ratatui::style::Style::new());
        assert_eq!(find_scroll_in(&shown, &wide, 3..9), None);
        wide = next.clone();
        wide.set_string(2, 0, "가", ratatui::style::Style::new());
        assert_eq!(find_scroll_in(&shown, &wide, 3..9), None);
    }

    #[test]
    fn a_cursor_position_report_is_read_among_other_bytes() {
        assert_eq!(position_report(b"\x1b[1;1R"), Some(((0, 0), 0..6)));
        assert_eq!(position_report(b"x\x1b[A\x1b[12;40Rj"), Some(((39, 11), 4..12)));
        // Cut short, or not a report.
        assert_eq!(position_report(b"\x1b[12;4"), None);
        assert_eq!(position_report(b"\x1b[?69;2$y"), None);
        assert_eq!(position_report(b"\x1b[0;0R"), None);
        // Begun, and not yet whole.
        assert!(report_begun(b"j\x1b[12;4") && report_begun(b"\x1b["));
        assert!(!report_begun(b"j") && !report_begun(b"\x1b[12;4R") && !report_begun(b"\x1b[A"));
    }

    #[test]
    fn shift_blanks_the_rows_that_enter() {
        let mut b = buf(&["a", "b", "c", "d"]);
        shift(&mut b, &Scroll { rows: 0..4, by: 2, cols: None });
        assert_eq!(b, buf(&["c", "d", " ", " "]));
        shift(&mut b, &Scroll { rows: 1..3, by: -1, cols: None });
        assert_eq!(b, buf(&["c", " ", "d", " "]));
    }
}
