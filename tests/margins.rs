//! Scrolling one pane alone, within left and right margins (DECLRMM, DECSLRM), checked on
//! WezTerm's terminal model: the reader beside the list costs about a line's text a line, as on
//! the whole width, where the terminal has margins; and the screen is the frame drawn, cell for
//! cell. The probe that asks a terminal for margins is checked on WezTerm's model (which has
//! them) and on vt100's (which has not).

use std::path::Path;
use std::sync::Arc;

#[path = "common/output.rs"]
mod output;
#[path = "common/synth.rs"]
mod synth;

use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::tui::screen::{MARGINS_PROBE, MARGINS_PROBE_END, Screen, margins_from_position};
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App, view};
use output::Output;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tattoy_wezterm_term::Intensity;
use tattoy_wezterm_term::color::ColorPalette;
use tattoy_wezterm_term::{TerminalConfiguration, TerminalSize};
use unicode_width::UnicodeWidthStr;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";

#[derive(Debug)]
struct Palette;

impl TerminalConfiguration for Palette {
    fn color_palette(&self) -> ColorPalette {
        ColorPalette::default()
    }
}

fn wezterm(cols: u16, rows: u16, answers: Output) -> tattoy_wezterm_term::Terminal {
    let size = TerminalSize {
        rows: usize::from(rows),
        cols: usize::from(cols),
        pixel_width: usize::from(cols) * 8,
        pixel_height: usize::from(rows) * 16,
        dpi: 0,
    };
    tattoy_wezterm_term::Terminal::new(size, Arc::new(Palette), "bitext-test", "1", Box::new(answers))
}

/// The cursor position a terminal reported (`ESC[row;colR`), from 0, waiting a moment for
/// WezTerm's model, which answers from a thread.
fn reported(answers: &Output) -> Option<(u16, u16)> {
    for _ in 0..200 {
        let got = String::from_utf8_lossy(&answers.peek()).into_owned();
        if let Some(body) = got.strip_prefix("\x1b[").and_then(|r| r.strip_suffix('R')) {
            let (row, col) = body.split_once(';')?;
            return Some((col.parse::<u16>().ok()? - 1, row.parse::<u16>().ok()? - 1));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    None
}

#[test]
fn the_probe_finds_margins_by_their_effect() {
    // WezTerm's model has margins: the cursor goes home.
    let answers = Output::default();
    let mut term = wezterm(80, 24, answers.clone());
    term.advance_bytes(MARGINS_PROBE);
    term.advance_bytes(b"\x1b[6n");
    let (col, row) = reported(&answers).expect("a cursor position report");
    assert!(margins_from_position(col, row), "WezTerm reported {col},{row}");
    // After the probe the margins are gone: a row written to its end does not wrap early.
    term.advance_bytes(MARGINS_PROBE_END);
    term.advance_bytes(b"\x1b[5;1H");
    term.advance_bytes("x".repeat(80).as_bytes());
    assert_eq!(term.cursor_pos().y, 4, "the whole width is one row again");

    // vt100 has none: `CSI 2;4 s` saves the cursor, which stays at row 2, column 3.
    let mut vt = vt100::Parser::new(24.try_into().unwrap(), 80.try_into().unwrap(), 0);
    vt.process(MARGINS_PROBE);
    let (row, col) = vt.screen().cursor_position();
    assert!(!margins_from_position(col, row), "vt100 left the cursor at {col},{row}");
}

/// A screen writing into WezTerm's model.
struct Emulated {
    screen: Screen<Output>,
    out: Output,
    term: tattoy_wezterm_term::Terminal,
    /// What the last frame wrote.
    last: Vec<u8>,
}

impl Emulated {
    fn new(w: u16, h: u16, margins: bool) -> Emulated {
        let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) };
        let out = Output::default();
        let terminal = Terminal::with_options(CrosstermBackend::new(out.clone()), options).unwrap();
        let mut screen = Screen::new(terminal, true);
        screen.margins = margins;
        Emulated { screen, out, term: wezterm(w, h, Output::default()), last: Vec::new() }
    }

    /// Draws `app` with its panes; returns the bytes written.
    fn draw(&mut self, app: &App) -> usize {
        self.screen.panes = app.geometry().panes();
        self.screen.draw(|f| view(app, f)).unwrap();
        self.last = self.out.take();
        self.term.advance_bytes(&self.last);
        self.last.len()
    }

    /// Every cell WezTerm shows against the frame drawn: text, reverse video, bold, italic.
    fn assert_matches(&self, what: &str) {
        let buf = self.screen.shown();
        let screen = self.term.screen();
        let n = screen.scrollback_rows();
        let lines = screen.lines_in_phys_range(n - screen.physical_rows..n);
        for y in 0..buf.area.height {
            let line = &lines[usize::from(y)];
            let mut x = 0;
            while x < buf.area.width {
                let want = &buf[(x, y)];
                let got = line.get_cell(usize::from(x));
                let text = got.as_ref().map_or(" ".to_string(), |c| c.str().to_string());
                let text = if text.is_empty() { " ".to_string() } else { text };
                assert_eq!(text, want.symbol(), "{what}: text at {x},{y}");
                if let Some(c) = got {
                    let attrs = c.attrs();
                    assert_eq!(
                        attrs.reverse(),
                        want.modifier.contains(Modifier::REVERSED),
                        "{what}: reverse at {x},{y}"
                    );
                    if want.symbol() != " " {
                        let bold = attrs.intensity() == Intensity::Bold;
                        if !want.modifier.contains(Modifier::DIM) {
                            assert_eq!(bold, want.modifier.contains(Modifier::BOLD), "{what}: bold at {x},{y}");
                        }
                        assert_eq!(
                            attrs.italic(),
                            want.modifier.contains(Modifier::ITALIC),
                            "{what}: italic at {x},{y}"
                        );
                    }
                }
                x += want.symbol().width().max(1) as u16;
            }
        }
    }
}

/// The bytes of text in `area` of `buf` (each row trimmed, a wide character once) and its rows.
fn pane_text(buf: &ratatui::buffer::Buffer, area: Rect) -> (usize, usize) {
    let text = (area.y..area.y + area.height)
        .map(|y| {
            let (mut row, mut x) = (String::new(), area.x);
            while x < area.x + area.width {
                let symbol = buf[(x, y)].symbol();
                row.push_str(symbol);
                x += symbol.width().max(1) as u16;
            }
            row.trim().len()
        })
        .sum();
    (text, usize::from(area.height))
}

/// The forum article open beside the list, at `w`×`h`.
fn app_beside_the_list(w: u16, h: u16, mode: Mode) -> App {
    let theme = Theme::from_colors(&Config::default().colors);
    let lib = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap();
    let mut app = App::new(lib, theme, Options::default(), mode);
    app.zoom = false;
    app.update(Action::Resize(w, h));
    let i = app.library.articles.iter().position(|a| a.meta.id == FORUM).unwrap();
    app.select(i);
    app.update(Action::Open);
    assert!(app.geometry().wide, "the list beside the reader at {w}x{h}");
    app
}

/// Beside the list, a line of scrolling in the reader costs what it costs on the whole width
/// (at most 120 B a line in every mode) where the terminal has margins, and a screenful of the
/// pane where it has not; a page costs its text and a few bytes a row (a page is mostly new
/// text: with Korean beside English, more than 2 KB of it). WezTerm's screen is the frame throughout.
#[test]
fn beside_the_list_the_reader_scrolls_alone_within_margins() {
    for mode in [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved] {
        let mut per_line = Vec::new();
        for margins in [true, false] {
            let mut app = app_beside_the_list(120, 40, mode);
            let mut term = Emulated::new(120, 40, margins);
            term.draw(&app);
            term.assert_matches(&format!("{mode:?}, first frame"));
            let mut written = 0;
            for step in 0..30 {
                app.update(Action::Down);
                written += term.draw(&app);
                term.assert_matches(&format!("{mode:?}, margins {margins}, line {step}"));
            }
            per_line.push(written / 30);
            for step in 0..2 {
                app.update(Action::PageDown);
                let page = term.draw(&app);
                term.assert_matches(&format!("{mode:?}, margins {margins}, page {step}"));
                if margins {
                    // The text of the reader's rows, and at most 20 B a row besides: a move to
                    // the row, the gap between two columns, and the scrollbar's thumb moved a
                    // page down its track, in its colour.
                    let (text, rows) = pane_text(term.screen.shown(), app.geometry().reader_inner());
                    assert!(page <= text + 20 * rows + 60, "{mode:?}, page {step}: {page} B for {text} B of text");
                }
            }
            for step in 0..10 {
                app.update(Action::Up);
                term.draw(&app);
                term.assert_matches(&format!("{mode:?}, margins {margins}, back up {step}"));
            }
        }
        let (with, without) = (per_line[0], per_line[1]);
        assert!(with <= 120, "{mode:?}: {with} B a line within margins");
        assert!(without > 5 * with, "{mode:?}: {with} B a line within margins, {without} B without");
    }
}

/// The list scrolls alone too, beside the reader (60 generated articles, the selection moved
/// down past the bottom of the list a line at a time), and a full redraw gives the terminal
/// its whole width back (the margin mode off) before anything else is drawn.
#[test]
fn the_list_scrolls_alone_and_a_redraw_takes_the_margins_away() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let (id, text) = synth::article_toml(5, i);
        let path = dir.path().join(format!("{id}.toml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let theme = Theme::from_colors(&Config::default().colors);
    let mut app = App::new(Library::scan(dir.path()).unwrap(), theme, Options::default(), Mode::Translation);
    app.zoom = false;
    app.update(Action::Resize(120, 40));
    assert!(app.geometry().wide);
    let list = app.geometry().panes()[0].clone();
    let mut term = Emulated::new(120, 40, true);
    term.draw(&app);
    let mut list_scrolls = 0;
    for step in 0..40 {
        app.update(Action::Down);
        term.draw(&app);
        term.assert_matches(&format!("list line {step}"));
        let margins = format!("\x1b[{};{}s", list.start + 1, list.end);
        list_scrolls += usize::from(find(&term.last, margins.as_bytes()));
    }
    assert!(list_scrolls > 10, "the list scrolled alone {list_scrolls} times in 40 lines");
    term.screen.redraw_all().unwrap();
    term.draw(&app);
    term.assert_matches("after a redraw");
    // The margin mode is off: a row written to its end does not wrap at an old margin.
    term.term.advance_bytes(b"\x1b[20;1H");
    term.term.advance_bytes("x".repeat(120).as_bytes());
    assert_eq!(term.term.cursor_pos().y, 19);
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
