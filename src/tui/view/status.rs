//! The status line: the place (the list's position; the reader's mode, languages, paragraph N
//! of M and percentage), work under way, the last message, problems and the help hint.
//!
//! The place always stays. When the line is short, the long form of the mode goes first
//! (`interleaved (too narrow for side by side)`), then the help hint, the long form of the
//! problems, and the languages. Work under way and the message never push the place out: what
//! does not fit beside it goes on a line of its own above the status line, wrapped over several
//! lines when it is longer than the screen is wide.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::text::{width, wrap};
use crate::tui::app::{App, Focus};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    if let Some(p) = &app.prompt {
        // The line being typed, with a block for the cursor; the end stays in view.
        let label = p.label();
        let w = usize::from(area.width);
        let room = w.saturating_sub(width(&label) + 2);
        let mut text = p.text.clone();
        while width(&text) > room {
            text.remove(0);
        }
        let line = Line::from(vec![
            Span::styled(format!(" {label}"), theme.status),
            Span::raw(text),
            Span::styled(" ", theme.status),
        ]);
        frame.buffer_mut().set_line(area.x, area.y, &line, area.width);
        return;
    }
    if let Some(m) = &app.message {
        crate::logging::status_message(m);
    }
    let status = layout(app, usize::from(area.width));
    let w = usize::from(area.width);
    let pad = w.saturating_sub(width(&status.left) + width(&status.problems) + width(&status.help));
    let line = Line::from(vec![
        Span::styled(status.left, theme.status),
        Span::styled(" ".repeat(pad), theme.status),
        Span::styled(status.problems, theme.status.patch(theme.warning)),
        Span::styled(status.help, theme.status),
    ]);
    frame.buffer_mut().set_line(area.x, area.y, &line, area.width);
}

/// Draws what did not fit on the status line (`area`) in the rows above it, over the bottom of
/// the panes (and of any popup): one row, or up to a third of the screen for a long message.
pub fn draw_above(app: &App, frame: &mut Frame, area: Rect) {
    if app.prompt.is_some() {
        return;
    }
    let w = usize::from(area.width);
    let above = layout(app, w).above;
    if above.is_empty() || area.y == 0 {
        return;
    }
    let text = app.theme.ui(&above.join(app.theme.symbols.status_separator)).into_owned();
    let max_rows = usize::from(area.y).min((usize::from(area.y) + 1) / 3).max(1);
    let mut lines = wrap(&text, w.saturating_sub(2).max(1));
    if lines.len() > max_rows {
        lines.truncate(max_rows);
        if let Some(last) = lines.last_mut() {
            *last = app.theme.truncate(&format!("{last}…"), w.saturating_sub(2));
        }
    }
    let top = area.y - lines.len() as u16;
    for (i, l) in lines.iter().enumerate() {
        let y = top + i as u16;
        let row = format!(" {}", crate::text::pad(l, w.saturating_sub(1)));
        frame.buffer_mut().set_stringn(area.x, y, &row, w, app.theme.status);
    }
}

/// The status line at a width: its three parts, and what goes above it.
#[derive(Debug, Default)]
struct Status {
    /// The place, and what else fits beside it, with a leading space.
    left: String,
    /// `N files with errors (!) `, shorter or empty when there is no room.
    problems: String,
    /// `? help `, or empty when there is no room.
    help: String,
    /// Work under way and the message that did not fit, in that order.
    above: Vec<String>,
}

/// One way of writing the place and the right side, from the fullest to the shortest.
#[derive(Clone, Copy)]
struct Form {
    help: bool,
    /// 0: `interleaved (too narrow for side by side)`; 1: `interleaved (too narrow)`; 2: `interleaved`.
    mode: usize,
    /// 0: `2 files with errors (!)`; 1: `2 errors (!)`; 2: `!2`.
    problems: usize,
    swapped: bool,
    languages: bool,
}

const FORMS: [Form; 8] = [
    Form { help: true, mode: 0, problems: 0, swapped: true, languages: true },
    Form { help: true, mode: 1, problems: 0, swapped: true, languages: true },
    Form { help: false, mode: 1, problems: 0, swapped: true, languages: true },
    Form { help: false, mode: 1, problems: 1, swapped: true, languages: true },
    Form { help: false, mode: 1, problems: 1, swapped: false, languages: true },
    Form { help: false, mode: 2, problems: 1, swapped: false, languages: true },
    Form { help: false, mode: 2, problems: 1, swapped: false, languages: false },
    Form { help: false, mode: 2, problems: 2, swapped: false, languages: false },
];

fn layout(app: &App, w: usize) -> Status {
    let theme = &app.theme;
    let sep = theme.symbols.status_separator;
    let errors = app.library.error_count();
    // The first form whose place and right side fit; the last one however narrow the line.
    let mut status = Status::default();
    let mut place = Vec::new();
    for (i, form) in FORMS.iter().enumerate() {
        place = place_fields(app, *form);
        status.problems = match (errors, form.problems) {
            (0, _) => String::new(),
            (1, 0) => "1 file with errors (!) ".into(),
            (n, 0) => format!("{n} files with errors (!) "),
            (n, 1) => format!("{n} error{} (!) ", if n == 1 { "" } else { "s" }),
            (n, _) => format!("!{n} "),
        };
        status.help = if form.help { format!("{} help ", app.key_hint("help")) } else { String::new() };
        // At least one column between the left and the right part.
        if used(&place, sep) + width(&status.problems) + width(&status.help) < w || i + 1 == FORMS.len() {
            break;
        }
    }
    // Work under way, then the message: each beside the place while it fits, else above.
    let mut extra = Vec::new();
    if let Some(l) = &app.loading {
        extra.push(l.clone());
    }
    if let Some(a) = &app.adding {
        extra.push(theme.ui(a).into_owned());
    }
    if let Some(f) = app.fetch_line() {
        extra.push(f);
    }
    if let Some((_, t)) = &app.translating {
        extra.push(t.clone());
    }
    if let Some(m) = &app.message {
        extra.push(theme.ui(m).into_owned());
    } else if let Some(note) = app.pair_note() {
        extra.push(theme.ui(&note).into_owned());
    }
    let room = w.saturating_sub(width(&status.problems) + width(&status.help) + 1);
    for e in extra {
        place.push(e);
        if !status.above.is_empty() || used(&place, sep) > room {
            status.above.push(place.pop().unwrap_or_default());
        }
    }
    status.left = theme.truncate(&format!(" {}", place.join(sep)), room);
    status
}

/// The width of the left part holding `fields`: a leading space and the fields apart.
fn used(fields: &[String], sep: &str) -> usize {
    1 + width(&fields.join(sep))
}

/// The place in `form`: the list's position, or the reader's mode, languages, paragraph and
/// percentage (both on a wide screen while the list has the focus).
fn place_fields(app: &App, form: Form) -> Vec<String> {
    let theme = &app.theme;
    let mut fields = Vec::new();
    if app.reader_visible()
        && let (Some(r), Some(a)) = (app.reader.as_ref(), app.reader_article())
    {
        let mode = match (r.layout.fell_back, form.mode) {
            (true, 0) => "interleaved (too narrow for side by side)",
            (true, 1) => "interleaved (too narrow)",
            _ => r.layout.mode.label(),
        };
        fields.push(mode.to_string());
        if form.swapped && app.options.swap && r.layout.mode == crate::render::Mode::SideBySide {
            fields.push("swapped".into());
        }
        if form.languages {
            fields.push(theme.ui(&a.meta.lang_pair()).into_owned());
        }
        if let Some((n, m)) = app.paragraph_position() {
            fields.push(format!("{} {n}/{m}", theme.symbols.paragraph));
        }
        if let Some(p) = app.percent() {
            fields.push(format!("{p}%"));
        }
    }
    if app.focus == Focus::List || fields.is_empty() {
        let n = app.view.len();
        if let Some(pos) = app.view_position() {
            fields.insert(0, format!("{}/{n}", pos + 1));
        }
    }
    fields
}
