//! The reader's place: the reading cursor through resizes, mode switches and paging (drawn into
//! ratatui's TestBackend, and the real binary in a pseudo-terminal); popups inside the frame
//! with a scroll indicator; the header's facts, tags and summary.

mod common;

use std::path::Path;

use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{self, Mode, Options, Tone};
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App, view};
use common::app_screen::screen;
use common::pty::{ENTER, SAMPLE_LIBRARY, Spawn, Tui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SAKURA: &str = "ja/sakura-front-sample-trees";
/// The reading cursor's bar in the gutter.
const BAR: &str = "▌";

fn library() -> Library {
    Library::scan(Path::new(SAMPLE_LIBRARY)).unwrap()
}

/// The reader on article `id` in `mode` at `w`×`h`, the list beside it when `zoom` is off on a
/// wide terminal.
fn reader(library: &Library, id: &str, mode: Mode, (w, h): (u16, u16), zoom: bool) -> App {
    let config = Config::default();
    let mut app = App::new(library.clone(), Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
    app.zoom = zoom;
    app.update(Action::Resize(w, h));
    let i = app.library.articles.iter().position(|a| a.meta.id == id).unwrap();
    app.select(i);
    app.settle();
    app.update(Action::Open);
    app.update(Action::SetMode(mode));
    app
}

fn ids(library: &Library) -> Vec<String> {
    library.articles.iter().map(|a| a.meta.id.to_string()).collect()
}

fn page(app: &App) -> usize {
    usize::from(app.geometry().reader_inner().height)
}

/// The cursor, the first row on screen and the cursor paragraph's rows.
fn cursor(app: &App) -> (usize, usize, std::ops::Range<usize>) {
    let r = app.reader.as_ref().expect("the reader is open");
    (r.current, r.scroll, r.layout.group_rows(r.current))
}

fn saved_position(app: &App, id: &str) -> usize {
    app.state.get(id).position
}

/// What a re-layout must keep: the cursor paragraph is the same, on screen, whole when it can
/// be, and its first line on screen row `row` when it can be there.
fn assert_cursor_kept(app: &App, current: usize, row: Option<usize>, what: &str) {
    let (now, scroll, rows) = cursor(app);
    let page = page(app);
    assert_eq!(now, current, "{what}: the cursor paragraph changed");
    assert!(rows.start < scroll + page && rows.end > scroll, "{what}: the cursor paragraph is off screen");
    if rows.len() <= page {
        assert!(rows.start >= scroll && rows.end <= scroll + page, "{what}: the cursor paragraph is not whole");
    }
    // Where it can be there: whole on screen, with enough of the article above and below it.
    let len = app.reader.as_ref().unwrap().layout.len();
    if let Some(row) = row
        && row + rows.len() <= page
        && rows.start >= row
        && rows.start - row <= len.saturating_sub(page)
    {
        assert_eq!(rows.start - scroll, row, "{what}: the cursor paragraph moved on screen");
    }
    assert!(screen(app).iter().any(|r| r.contains(BAR)), "{what}: no cursor bar on screen");
}

/// Sizes a terminal goes through: smaller, larger, too small (nothing changes), and back.
const RESIZES: &[(u16, u16)] =
    &[(80, 24), (200, 50), (100, 30), (60, 16), (120, 40), (30, 8), (41, 10), (80, 24), (160, 45), (120, 40)];

/// Every article, every mode, with the list beside the reader and without: the cursor paragraph
/// stays the cursor paragraph through a run of resizes, on screen and at its row where it fits;
/// the saved position does not move; back at the first size the screen is as it was.
#[test]
fn resizing_keeps_the_cursor_paragraph_in_every_mode() {
    let library = library();
    for id in ids(&library) {
        for mode in Mode::ALL {
            for zoom in [true, false] {
                for steps in [4, 9] {
                    let mut a = reader(&library, &id, mode, (120, 40), zoom);
                    for _ in 0..steps {
                        a.update(Action::NextParagraph);
                    }
                    let (current, scroll, rows) = cursor(&a);
                    // At the top of the article the top stays in view: the header above the
                    // cursor wraps anew, so the paragraph's row may change.
                    let row = (scroll > 0).then(|| rows.start - scroll);
                    let before = screen(&a);
                    for &(w, h) in RESIZES {
                        a.update(Action::Resize(w, h));
                        if a.geometry().too_small {
                            continue;
                        }
                        let what = format!("{id} {mode:?} zoom {zoom}, cursor {current}, at {w}×{h}");
                        assert_cursor_kept(&a, current, row, &what);
                        assert_eq!(saved_position(&a, &id), current, "{what}: the saved position moved");
                    }
                    assert_eq!(screen(&a), before, "{id} {mode:?} zoom {zoom}: back at 120×40");
                }
            }
        }
    }
}

/// A paragraph read partway (it starts above the screen) stays the cursor paragraph through
/// resizes, with about the same share of it above the screen, and back at the first size the
/// screen is as it was.
#[test]
fn a_paragraph_read_partway_keeps_its_place() {
    let library = library();
    for id in ids(&library) {
        for mode in Mode::ALL {
            let mut a = reader(&library, &id, mode, (120, 40), true);
            for _ in 0..3 {
                a.update(Action::NextParagraph);
            }
            // Scroll by lines until the cursor paragraph's first line has left the screen.
            while cursor(&a).2.start >= cursor(&a).1 && cursor(&a).2.len() > 1 {
                a.update(Action::Down);
            }
            let (current, scroll, rows) = cursor(&a);
            if rows.start >= scroll {
                continue;
            }
            let before = screen(&a);
            for &(w, h) in RESIZES {
                a.update(Action::Resize(w, h));
                if a.geometry().too_small {
                    continue;
                }
                let (now, scroll, rows) = cursor(&a);
                let what = format!("{id} {mode:?} at {w}×{h}");
                assert_eq!(now, current, "{what}: the cursor paragraph changed");
                assert!(rows.start < scroll + page(&a) && rows.end > scroll, "{what}: off screen");
                // Unless the end of the article holds the screen lower.
                let max = a.reader.as_ref().unwrap().layout.len().saturating_sub(page(&a));
                assert!(rows.start <= scroll || scroll == max, "{what}: the paragraph read partway moved down");
            }
            assert_eq!(screen(&a), before, "{id} {mode:?}: back at 120×40");
        }
    }
}

/// The report's case: at 120×40 side by side, `J` four times is ¶ 5/18; 80×24 and back keep it.
#[test]
fn the_reported_resize_keeps_paragraph_five() {
    let library = library();
    let mut a = reader(&library, SAKURA, Mode::SideBySide, (120, 40), true);
    for _ in 0..4 {
        a.update(Action::NextParagraph);
    }
    assert_eq!(a.paragraph_position(), Some((5, 18)));
    let before = screen(&a);
    a.update(Action::Resize(80, 24));
    assert_eq!(a.paragraph_position(), Some((5, 18)), "at 80×24");
    assert_cursor_kept(&a, 4, None, "at 80×24");
    a.update(Action::Resize(120, 40));
    assert_eq!(a.paragraph_position(), Some((5, 18)), "back at 120×40");
    assert_eq!(screen(&a), before);
    // A key after the resizes saves the place: still paragraph 5.
    a.update(Action::ToggleStar);
    assert_eq!(saved_position(&a, SAKURA), 4);
}

/// Switching modes keeps the cursor paragraph, whole on screen, and coming back to a mode
/// puts it where it was.
#[test]
fn mode_switches_keep_the_cursor_paragraph() {
    let library = library();
    for id in ids(&library) {
        for size in [(80, 24), (120, 40), (200, 50)] {
            let mut a = reader(&library, &id, Mode::Translation, size, true);
            for _ in 0..6 {
                a.update(Action::NextParagraph);
            }
            let (current, scroll, rows) = cursor(&a);
            let row = (scroll > 0).then(|| rows.start - scroll);
            let before = screen(&a);
            for mode in [Mode::SideBySide, Mode::Interleaved, Mode::Source, Mode::SideBySide, Mode::Translation] {
                a.update(Action::SetMode(mode));
                let what = format!("{id} at {size:?} in {mode:?}");
                assert_cursor_kept(&a, current, row, &what);
                a.update(Action::Resize(size.0 - 1, size.1 - 1));
                assert_cursor_kept(&a, current, None, &format!("{what}, one smaller"));
                a.update(Action::Resize(size.0, size.1));
            }
            assert_eq!(screen(&a), before, "{id} at {size:?}: back in translation");
        }
    }
}

/// After a page move the cursor paragraph starts on the screen, or fills it: never a paragraph
/// of which only the end is left at the top while another starts below it.
fn assert_cursor_starts_on_page(app: &App, what: &str) {
    let r = app.reader.as_ref().unwrap();
    let page = page(app);
    let view = r.scroll..r.scroll + page;
    let rows = r.layout.group_rows(r.current);
    if view.contains(&rows.start) {
        return;
    }
    let starting: Vec<usize> =
        (0..r.layout.group_starts.len()).filter(|&g| view.contains(&r.layout.group_starts[g])).collect();
    assert!(
        starting.is_empty(),
        "{what}: the cursor is on paragraph {} (rows {rows:?}) with the screen at rows {view:?}, where {starting:?} start",
        r.current
    );
    assert!(rows.start < view.start && rows.end > view.start, "{what}: the cursor paragraph is off screen");
}

#[test]
fn paging_puts_the_cursor_on_a_paragraph_that_starts_on_the_screen() {
    let library = library();
    for id in ids(&library) {
        for mode in Mode::ALL {
            for size in [(80, 24), (120, 40), (200, 50)] {
                let mut a = reader(&library, &id, mode, size, true);
                for (down, up) in [(Action::PageDown, Action::PageUp), (Action::HalfPageDown, Action::HalfPageUp)] {
                    a.update(Action::Top);
                    let mut last = None;
                    for n in 0..200 {
                        a.update(down);
                        assert_cursor_starts_on_page(&a, &format!("{id} {mode:?} {size:?} {down:?} ×{}", n + 1));
                        let now = cursor(&a);
                        if last.as_ref() == Some(&now) {
                            break;
                        }
                        last = Some(now);
                    }
                    for n in 0..200 {
                        a.update(up);
                        assert_cursor_starts_on_page(&a, &format!("{id} {mode:?} {size:?} {up:?} ×{}", n + 1));
                        if cursor(&a).1 == 0 {
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// Space moves the cursor on to the first paragraph that starts on the new page, whose start
/// is at most a page below the old top.
#[test]
fn space_moves_the_cursor_to_the_first_paragraph_on_the_new_page() {
    let library = library();
    let mut a = reader(&library, SAKURA, Mode::SideBySide, (120, 40), true);
    a.update(Action::PageDown);
    let (current, scroll, rows) = cursor(&a);
    let r = a.reader.as_ref().unwrap();
    let first = (0..r.layout.group_starts.len()).find(|&g| r.layout.group_starts[g] >= scroll).unwrap();
    assert_eq!(current, first, "rows {rows:?}, screen from {scroll}");
    assert_eq!(saved_position(&a, SAKURA), current, "the saved place is the cursor");
}

/// The report's case in the real binary: 120×40, the first article (the sakura explainer)
/// side by side, `J` ×4, then 80×24 and back: ¶ 5/18 throughout, the screen as it was, and
/// paragraph 5 saved.
#[test]
fn pty_resize_keeps_the_reading_cursor_and_the_saved_place() {
    let state_home = tempfile::tempdir().unwrap();
    let mut tui = Spawn::new(120, 40).state_home(state_home.path()).start();
    tui.wait_for_text("8 articles");
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/18");
    tui.send(b"3");
    tui.wait_for_status("side by side");
    for n in 2..=5 {
        tui.send(b"J");
        tui.wait_for_status(&format!("¶ {n}/18"));
    }
    let before = tui.rows();
    // A frame drawn whole at a size: the reader's rules above and below reach its right edge.
    let framed_at = |t: &Tui, w: usize, h: usize| {
        let rows = t.rows();
        rows.len() == h
            && rows[0].chars().nth(w - 1) == Some('─')
            && rows[h - 2].starts_with('─')
            && rows[h - 2].chars().nth(w - 1) == Some('─')
    };
    tui.resize(80, 24);
    tui.wait_for("a frame at 80×24", |t| framed_at(t, 80, 24));
    assert!(tui.status_fields().iter().any(|f| f == "¶ 5/18"), "the cursor moved at 80×24:\n{}", tui.framed_screen());
    assert!(tui.rows().iter().any(|r| r.contains(BAR)), "no cursor on screen:\n{}", tui.framed_screen());
    tui.resize(120, 40);
    tui.wait_for("a frame at 120×40", |t| framed_at(t, 120, 40));
    tui.wait_for_status("¶ 5/18");
    assert_eq!(tui.rows(), before, "back at 120×40:\n{}", tui.framed_screen());
    tui.send(b"q");
    tui.wait_for_text("8 articles");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    let text = std::fs::read_to_string(state_home.path().join("bitext").join("state.json")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(state["articles"][SAKURA]["position"], 4, "{state:#}");
}

/// The screen as a grid of cell symbols (the cell after a wide character holds `""`).
fn grid(app: &App) -> Vec<Vec<String>> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height).map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect()).collect()
}

/// The popups stay inside the border around the panes (its rows and columns are as without the
/// popup), with a blank column between: nothing of the list shows beside a popup.
#[test]
fn popups_leave_the_frame_whole_and_hide_what_is_beside_them() {
    let library = library();
    for (w, h) in [(80, 24), (120, 40), (200, 50), (40, 10)] {
        for (in_reader, action) in [(false, Action::Help), (false, Action::Picker), (true, Action::Help)] {
            let mut a = reader(&library, SAKURA, Mode::SideBySide, (w, h), true);
            if !in_reader {
                a.update(Action::Back);
            }
            let under = grid(&a);
            a.update(action);
            assert!(a.overlay.is_some(), "{action:?} opened nothing");
            let over = grid(&a);
            let what = format!("{action:?} at {w}×{h}");
            let (w, h) = (usize::from(w), usize::from(h));
            let col = |g: &[Vec<String>], x: usize| g.iter().map(|r| r[x].clone()).collect::<Vec<_>>();
            assert_eq!(over[0], under[0], "{what}: the top border");
            assert_eq!(over[h - 2], under[h - 2], "{what}: the bottom border");
            assert_eq!(over[h - 1], under[h - 1], "{what}: the status line");
            assert_eq!(col(&over, 0), col(&under, 0), "{what}: the left border");
            assert_eq!(col(&over, w - 1), col(&under, w - 1), "{what}: the right border");
            // The popup's own border, and a blank column on each side of it.
            let left = over[1].iter().position(|c| c == "┌").expect("the popup's corner");
            let right = left + over[1][left..].iter().position(|c| c == "┐").expect("the popup's corner");
            assert_eq!(over[h - 3][left], "└", "{what}: the popup ends above the frame's border");
            for (y, row) in over.iter().enumerate().take(h - 2).skip(1) {
                assert_eq!(
                    (row[left - 1].as_str(), row[right + 1].as_str()),
                    (" ", " "),
                    "{what}: beside the popup, row {y}"
                );
            }
        }
    }
}

/// A help longer than its popup says so in its bottom border, and where it is.
#[test]
fn a_long_help_shows_that_it_scrolls() {
    let library = library();
    let mut a = reader(&library, SAKURA, Mode::Translation, (80, 24), true);
    a.update(Action::Help);
    let bottom = |a: &App| screen(a)[21].clone();
    let first = bottom(&a);
    assert!(first.contains("↓ more") && first.contains(" 1–19 of "), "{first}");
    a.update(Action::Down);
    assert!(bottom(&a).contains("2–20 of") && bottom(&a).contains("↑↓"), "{}", bottom(&a));
    a.update(Action::Bottom);
    let end = bottom(&a);
    assert!(end.contains('↑') && !end.contains('↓'), "{end}");
    // Where it all fits, no mark.
    let mut a = reader(&library, SAKURA, Mode::Translation, (200, 50), true);
    a.update(Action::Help);
    let s = screen(&a);
    assert!(!s.iter().any(|r| r.contains("more") || r.contains(" of ")), "{}", s.join("\n"));
}

/// The header's line of facts breaks only between facts, in every bundled article at every
/// width, and reads back as the one-line facts; `show` and the reader print the same header.
#[test]
fn header_facts_break_only_between_facts() {
    let mut library = library();
    let wide = Options { max_width: 1000, ..Options::default() };
    for i in 0..library.articles.len() {
        library.ensure_body(i, bitext::library::DEFAULT_MAX_FILE_SIZE).unwrap();
        let a = &library.articles[i];
        let tone_rows = |l: &render::Layout, tone: Tone| -> Vec<String> {
            l.rows(0..l.len())
                .filter(|r| r.cells().next().is_some_and(|c| c.tone == tone))
                .map(|r| r.cells().map(|c| c.text.to_string()).collect())
                .collect()
        };
        let one_line = tone_rows(&render::layout(a, Mode::Translation, 1000, &wide), Tone::Meta);
        assert_eq!(one_line.len(), 1, "{}: {one_line:?}", a.meta.id);
        let one_line = &one_line[0];
        assert!(a.meta.tags.iter().all(|t| one_line.contains(t.as_str())), "{}: tags in {one_line}", a.meta.id);
        for mode in Mode::ALL {
            for w in 40..=200 {
                let l = render::layout(a, mode, w, &Options::default());
                let lines = tone_rows(&l, Tone::Meta);
                let mut joined = String::new();
                for line in &lines {
                    if !joined.is_empty() {
                        joined.push_str(if joined.ends_with(',') { " " } else { " · " });
                    }
                    joined.push_str(line);
                }
                assert_eq!(&joined, one_line, "{} {mode:?} at {w}: {lines:#?}", a.meta.id);
                let summary = tone_rows(&l, Tone::Summary).concat();
                let squeeze = |s: &str| s.split_whitespace().collect::<String>();
                assert_eq!(squeeze(&summary), squeeze(a.meta.summary.as_deref().unwrap()), "{} at {w}", a.meta.id);
            }
        }
    }
}

/// `bitext show` prints the summary and the tags where the reader shows them.
#[test]
fn show_prints_the_summary_and_the_tags() {
    let home = tempfile::tempdir().unwrap();
    let out = common::bitext_in(home.path(), &["--library", SAMPLE_LIBRARY, "show", SAKURA, "--width", "80"]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let text = common::text(&out.stdout);
    let head: Vec<&str> = text.lines().take_while(|l| !l.trim_start().starts_with('─')).collect();
    let head = head.join("\n");
    assert!(head.contains("tags: cherry blossoms, weather"), "{head}");
    assert!(head.contains("An explainer on how the Japan Meteorological Agency"), "{head}");
}
