//! The status line: mode, languages, paragraph N of M, percentage, problems, help hint.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::text::width;
use crate::tui::app::{App, Focus};
use crate::tui::library_view::PromptKind;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    if let Some(p) = &app.prompt {
        // The line being typed, with a block for the cursor; the end stays in view.
        let label = match p.kind {
            PromptKind::Search => "search all: ",
            PromptKind::Find => "find: ",
            PromptKind::AddUrl => "add URL: ",
        };
        let w = usize::from(area.width);
        let room = w.saturating_sub(width(label) + 2);
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
    let mut left = Vec::new();
    if app.reader_visible()
        && let (Some(r), Some(a)) = (app.reader.as_ref(), app.reader_article())
    {
        let mode = if r.layout.fell_back {
            "interleaved (too narrow for side by side)".to_string()
        } else {
            r.layout.mode.label().to_string()
        };
        left.push(mode);
        if app.options.swap && r.layout.mode == crate::render::Mode::SideBySide {
            left.push("swapped".into());
        }
        left.push(theme.ui(&a.meta.lang_pair()).into_owned());
        if let Some((n, m)) = app.paragraph_position() {
            left.push(format!("{} {n}/{m}", theme.symbols.paragraph));
        }
        if let Some(p) = app.percent() {
            left.push(format!("{p}%"));
        }
    }
    if app.focus == Focus::List || left.is_empty() {
        let n = app.view.len();
        if let Some(pos) = app.view_position() {
            left.insert(0, format!("{}/{n}", pos + 1));
        }
    }
    if let Some(l) = &app.loading {
        left.push(l.clone());
    }
    if let Some(a) = &app.adding {
        left.push(theme.ui(a).into_owned());
    }
    if let Some(f) = app.fetch_line() {
        left.push(f);
    }
    if let Some((_, t)) = &app.translating {
        left.push(t.clone());
    }
    if let Some(m) = &app.message {
        crate::logging::status_message(m);
        left.push(theme.ui(m).into_owned());
    }
    let left = format!(" {}", left.join(theme.symbols.status_separator));
    let errors = app.library.error_count();
    let problems = if errors > 0 {
        format!("{errors} file{} with errors (!) ", if errors == 1 { "" } else { "s" })
    } else {
        String::new()
    };
    let right = format!("{} help ", app.key_hint("help"));
    let w = usize::from(area.width);
    let room = w.saturating_sub(width(&problems) + width(&right) + 1);
    let left = theme.truncate(&left, room);
    let pad = w.saturating_sub(width(&left) + width(&problems) + width(&right));
    let line = Line::from(vec![
        Span::styled(left, theme.status),
        Span::styled(" ".repeat(pad), theme.status),
        Span::styled(problems, theme.status.patch(theme.warning)),
        Span::styled(right, theme.status),
    ]);
    frame.buffer_mut().set_line(area.x, area.y, &line, area.width);
}
