//! Terminal output through `Screen`: what the bytes leave on a real terminal emulator (the
//! vt100 parser) must be exactly the frame ratatui drew, cell for cell, after any sequence of
//! keys, and scrolling the reader by a line must cost a few hundred bytes, not a screenful.

#[path = "common/output.rs"]
mod output;
#[path = "common/synth.rs"]
mod synth;

use std::path::Path;

use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::tui::screen::Screen;
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App, view};
use output::Output;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::{Terminal, TerminalOptions, Viewport};
use synth::Rng;
use unicode_width::UnicodeWidthStr;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";

fn app(w: u16, h: u16, theme: Theme) -> App {
    let lib = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap();
    let mut app = App::new(lib, theme, Options::default(), Mode::Translation);
    app.zoom = true;
    app.update(Action::Resize(w, h));
    let i = app.library.articles.iter().position(|a| a.meta.id == FORUM).unwrap();
    app.select(i);
    app
}

/// A screen writing into memory, and a terminal emulator reading what it wrote.
struct Emulated {
    screen: Screen<Output>,
    out: Output,
    vt: vt100::Parser,
}

impl Emulated {
    fn new(w: u16, h: u16, scroll_regions: bool) -> Emulated {
        let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) };
        let out = Output::default();
        let terminal = Terminal::with_options(CrosstermBackend::new(out.clone()), options).unwrap();
        Emulated {
            screen: Screen::new(terminal, scroll_regions),
            out,
            vt: vt100::Parser::new(h.try_into().unwrap(), w.try_into().unwrap(), 0),
        }
    }

    /// Draws `app`; returns the bytes written.
    fn draw(&mut self, app: &App) -> usize {
        self.screen.draw(|f| view(app, f)).unwrap();
        let out = self.out.take();
        self.vt.process(&out);
        out.len()
    }

    /// Every cell the emulator shows against the frame drawn: text, colours and attributes.
    fn assert_matches(&self, what: &str) {
        let buf: &Buffer = self.screen.shown();
        let vt = self.vt.screen();
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                let want = &buf[(x, y)];
                let got = vt.cell(y, x).unwrap();
                let got_text = if got.contents().is_empty() { " ".to_string() } else { got.contents().to_string() };
                assert_eq!(got_text, want.symbol(), "{what}: text at {x},{y}\n{}", vt.contents());
                // Foreground, bold, italic and dim do not show on a blank cell, and terminals keep
                // whatever a wide character left there when half of it is overwritten.
                let visible = want.symbol() != " ";
                if visible {
                    assert_eq!(got.fgcolor(), vt_color(want.fg), "{what}: foreground at {x},{y}");
                    // Bold and dim together: vt100 keeps one intensity, as many terminals do.
                    if want.modifier.contains(Modifier::BOLD | Modifier::DIM) {
                        assert!(got.bold() || got.dim(), "{what}: bold and dim at {x},{y}");
                    } else {
                        assert_eq!(got.bold(), want.modifier.contains(Modifier::BOLD), "{what}: bold at {x},{y}");
                    }
                    assert_eq!(got.italic(), want.modifier.contains(Modifier::ITALIC), "{what}: italic at {x},{y}");
                }
                assert_eq!(got.bgcolor(), vt_color(want.bg), "{what}: background at {x},{y}");
                assert_eq!(got.inverse(), want.modifier.contains(Modifier::REVERSED), "{what}: reverse at {x},{y}");
                assert_eq!(
                    got.underline(),
                    want.modifier.contains(Modifier::UNDERLINED),
                    "{what}: underline at {x},{y}"
                );
                x += want.symbol().width().max(1) as u16;
            }
        }
    }
}

fn vt_color(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Black => vt100::Color::Idx(0),
        Color::Red => vt100::Color::Idx(1),
        Color::Green => vt100::Color::Idx(2),
        Color::Yellow => vt100::Color::Idx(3),
        Color::Blue => vt100::Color::Idx(4),
        Color::Magenta => vt100::Color::Idx(5),
        Color::Cyan => vt100::Color::Idx(6),
        Color::Gray => vt100::Color::Idx(7),
        Color::DarkGray => vt100::Color::Idx(8),
        Color::LightRed => vt100::Color::Idx(9),
        Color::LightGreen => vt100::Color::Idx(10),
        Color::LightYellow => vt100::Color::Idx(11),
        Color::LightBlue => vt100::Color::Idx(12),
        Color::LightMagenta => vt100::Color::Idx(13),
        Color::LightCyan => vt100::Color::Idx(14),
        Color::White => vt100::Color::Idx(15),
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
    }
}

const ACTIONS: &[Action] = &[
    Action::Down,
    Action::Down,
    Action::Down,
    Action::Up,
    Action::PageDown,
    Action::PageUp,
    Action::HalfPageDown,
    Action::NextParagraph,
    Action::PrevParagraph,
    Action::Bottom,
    Action::Top,
    Action::CycleMode,
    Action::Swap,
    Action::Zoom,
    Action::ToggleFocus,
    Action::Peek,
    Action::Cancel,
    Action::Help,
    Action::ToggleStar,
];

/// Random walks through the reader and the list, in every theme, at several sizes: the
/// terminal always shows exactly the frame, whether lines were moved by scrolling regions or
/// written. Wide (Korean) text, colours, reverse video and overlays are all in play.
#[test]
fn the_terminal_always_shows_the_frame() {
    let config = Config::default();
    let themes = ["default", "dark", "light", "sixteen", "mono"];
    let mut rng = Rng::new(7);
    for (round, &(w, h)) in [(120, 40), (80, 24), (200, 50), (101, 30)].iter().enumerate() {
        for name in themes {
            let mut theme_config = config.theme.clone();
            theme_config.name = toml::Value::String(name.into()).try_into().unwrap();
            let theme = Theme::from_config(&theme_config, &config.colors, bitext::tui::theme::ColorSupport::TRUECOLOR);
            let mut app = app(w, h, theme);
            app.update(Action::Open);
            let mut term = Emulated::new(w, h, true);
            term.draw(&app);
            term.assert_matches(&format!("{name} {w}x{h} first frame"));
            for step in 0..60 {
                let action = ACTIONS[(rng.next_u64() % ACTIONS.len() as u64) as usize];
                // Mostly reader keys; leave overlays quickly.
                if app.overlay.is_some() {
                    app.update(Action::Cancel);
                } else {
                    app.update(action);
                }
                if app.focus == bitext::tui::app::Focus::List && step % 3 == 0 {
                    app.update(Action::Open);
                }
                term.draw(&app);
                term.assert_matches(&format!("round {round}, {name} {w}x{h}, step {step} after {action:?}"));
            }
        }
    }
}

/// A line of scrolling in the reader at 120×40 (the reader on the whole width) costs well under
/// the 2 KB budget in every mode; without scrolling regions it costs a screenful.
#[test]
fn one_line_of_scrolling_is_cheap() {
    let theme = Theme::from_colors(&Config::default().colors);
    for mode in [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved] {
        let mut with = Vec::new();
        let mut without = Vec::new();
        for (regions, out) in [(true, &mut with), (false, &mut without)] {
            let mut app = app(120, 40, theme.clone());
            app.update(Action::Open);
            app.update(Action::SetMode(mode));
            let mut term = Emulated::new(120, 40, regions);
            term.draw(&app);
            for _ in 0..5 {
                app.update(Action::Down);
                out.push(term.draw(&app));
                term.assert_matches(&format!("{mode:?}, scrolling regions {regions}"));
            }
        }
        let worst = *with.iter().max().unwrap();
        assert!(worst < 1000, "{mode:?}: a line of scrolling wrote {with:?} bytes");
        let plain = *without.iter().min().unwrap();
        assert!(plain > 3 * worst, "{mode:?}: scrolling regions saved little: {with:?} against {without:?}");
    }
}

/// Korean text is written without a cursor move before every syllable.
#[test]
fn wide_text_is_written_without_a_move_per_character() {
    let theme = Theme::from_colors(&Config::default().colors);
    let mut app = app(120, 40, theme);
    app.update(Action::Open);
    app.update(Action::SetMode(Mode::Source));
    let mut term = Emulated::new(120, 40, true);
    term.screen.draw(|f| view(&app, f)).unwrap();
    let out = String::from_utf8(term.out.take()).unwrap();
    assert!(out.contains("서울시가"), "Korean text written in one run: {out:?}");
}

/// With the reader on the whole width nothing at the sides scrolls with the text, and the
/// scrolling region stays set from one line to the next: a line of scrolling writes the
/// scroll, the line that enters and the status line's new position, and little else: at most
/// 120 B a line in every mode, Korean beside English included (whose text alone is about 100 B
/// a line), so the divider between the columns is drawn in the text's own colours.
#[test]
fn a_line_of_scrolling_writes_little_more_than_the_new_line() {
    let theme = Theme::from_colors(&Config::default().colors);
    for mode in [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved] {
        let mut app = app(120, 40, theme.clone());
        app.update(Action::Open);
        app.update(Action::SetMode(mode));
        let mut term = Emulated::new(120, 40, true);
        term.draw(&app);
        let (mut written, mut text) = (0, 0);
        for step in 0..30 {
            app.update(Action::Down);
            written += term.draw(&app);
            term.assert_matches(&format!("{mode:?}, line {step}"));
            // The row that entered at the bottom of the reader, above its lower border.
            let shown = term.screen.shown();
            let y = shown.area.height - 3;
            let row: String = (0..shown.area.width).map(|x| shown[(x, y)].symbol()).collect();
            text += row.trim().len();
        }
        let (per_line, overhead) = (written / 30, (written - text) / 30);
        assert!(overhead <= 40, "{mode:?}: {per_line} B a line, {overhead} B of it not the new line's text");
        assert!(per_line <= 120, "{mode:?}: {per_line} B a line");
    }
}

/// A page of the reader at 120×40 costs its text and little more: the line the page carries
/// over is moved with the rest of the text scrolled away (one scroll, so no row needs erasing),
/// and the cursor goes from row to row with line feeds rather than a move naming both row and
/// column. The article is a long generated one, as the harness's are.
#[test]
fn a_page_writes_little_more_than_its_text() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let (id, text) = synth::article_toml(3, i);
        let path = dir.path().join(format!("{id}.toml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let theme = Theme::from_colors(&Config::default().colors);
    for mode in [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved] {
        let lib = Library::scan(dir.path()).unwrap();
        let longest = (0..lib.articles.len()).max_by_key(|&i| lib.articles[i].groups.len()).unwrap();
        let mut app = App::new(lib, theme.clone(), Options::default(), mode);
        app.zoom = true;
        app.update(Action::Resize(120, 40));
        app.select(longest);
        app.update(Action::Open);
        let mut term = Emulated::new(120, 40, true);
        term.draw(&app);
        // Each row's text, a wide character once.
        let rows = |term: &Emulated| -> Vec<String> {
            let shown = term.screen.shown();
            (0..shown.area.height)
                .map(|y| {
                    let (mut row, mut x) = (String::new(), 0);
                    while x < shown.area.width {
                        let symbol = shown[(x, y)].symbol();
                        row.push_str(symbol);
                        x += symbol.width().max(1) as u16;
                    }
                    row
                })
                .collect()
        };
        for step in 0..2 {
            let before = rows(&term);
            app.update(Action::PageDown);
            let written = term.draw(&app);
            term.assert_matches(&format!("{mode:?}, page {step}"));
            // The text of the rows that were not on screen before, wherever they were.
            let new: Vec<String> = rows(&term).into_iter().filter(|r| !before.contains(r)).collect();
            let text: usize = new.iter().map(|r| r.trim().len()).sum();
            let overhead = written.saturating_sub(text);
            assert!(new.len() > 20, "{mode:?}: a page of {} new rows", new.len());
            // Two columns a row side by side: the gap between them is a move too.
            let per_row = if mode == Mode::SideBySide { 8 } else { 6 };
            assert!(
                overhead <= per_row * new.len() + 40,
                "{mode:?}, page {step}: {written} B for {text} B of text in {} new rows",
                new.len()
            );
        }
    }
}
