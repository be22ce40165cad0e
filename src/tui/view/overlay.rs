//! Popups over the panes: the key help and the list of problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::text::{pad, wrap};
use crate::tui::app::{App, Overlay};

pub fn draw(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let w = area.width.saturating_sub(4).min(120);
    let h = area.height.saturating_sub(2);
    let popup = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    let inner_w = usize::from(w.saturating_sub(2));
    let (title, lines): (String, Vec<Line>) = match overlay {
        Overlay::Help => (
            format!(" Keys ({} or {} closes) ", app.key_hint("back"), app.key_hint("cancel")),
            help_lines(app, inner_w),
        ),
        Overlay::Picker(entries) => {
            (" Filter by (Enter picks, again clears; Esc closes) ".into(), picker_lines(app, entries, inner_w))
        }
        Overlay::FeedPicker(entries) => {
            (" Fetch a feed (Enter fetches; Esc closes) ".into(), picker_lines(app, entries, inner_w))
        }
        Overlay::Problems => {
            let errors = app.library.error_count();
            let warnings = app.library.warning_count();
            (
                format!(
                    " Problems: {errors} error(s), {warnings} warning(s) ({} or {} closes) ",
                    app.key_hint("back"),
                    app.key_hint("cancel")
                ),
                problem_lines(app, inner_w),
            )
        }
    };
    let visible = usize::from(h.saturating_sub(2));
    let scroll = match overlay {
        // The picker's cursor stays in view.
        Overlay::Picker(_) | Overlay::FeedPicker(_) => app.overlay_scroll.saturating_sub(visible.saturating_sub(1)),
        _ if app.overlay_scroll == usize::MAX => lines.len().saturating_sub(visible),
        _ => app.overlay_scroll.min(lines.len().saturating_sub(visible)),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border_focused)
        .title(Span::styled(theme.truncate(&title, inner_w), theme.border_focused));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll as u16, 0)).style(theme.overlay), popup);
}

fn help_lines(app: &App, w: usize) -> Vec<Line<'static>> {
    // Two columns when there is room, so every binding fits on one screen.
    if w >= 90 {
        let half = (w - 2) / 2;
        let entries = help_entries(app, half);
        let rows = entries.len().div_ceil(2);
        return (0..rows)
            .map(|i| {
                let mut spans = entries[i].spans.clone();
                let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
                spans.push(Span::raw(" ".repeat(half.saturating_sub(used) + 2)));
                if let Some(right) = entries.get(i + rows) {
                    spans.extend(right.spans.clone());
                }
                Line::from(spans)
            })
            .collect();
    }
    help_entries(app, w)
}

fn help_entries(app: &App, w: usize) -> Vec<Line<'static>> {
    use crate::tui::keymap::Context;
    let key_w = app.keymap.help.iter().map(|(_, k, _)| crate::text::width(k)).max().unwrap_or(0).min(w / 2);
    let mut lines = Vec::new();
    for (context, heading) in
        [(Context::Global, "Everywhere"), (Context::List, "In the list"), (Context::Reader, "In the reader")]
    {
        lines.push(Line::styled(heading.to_string(), app.theme.list_title));
        for (_, keys, help) in app.keymap.help.iter().filter(|(c, _, _)| *c == context) {
            let keys = pad(&app.theme.truncate(keys, key_w), key_w);
            let room = w.saturating_sub(key_w + 2);
            lines.push(Line::from(vec![
                Span::styled(keys, app.theme.border_focused),
                Span::raw("  "),
                Span::raw(app.theme.truncate(help, room)),
            ]));
        }
    }
    lines
}

fn picker_lines(app: &App, entries: &[(crate::tui::library_view::Facet, usize)], w: usize) -> Vec<Line<'static>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, (facet, count))| {
            let active = app.filter.facet.as_ref() == Some(facet);
            let mark = if active { app.theme.symbols.check } else { " " };
            let text = format!("{mark} {} ({count})", app.theme.ui(&facet.label()));
            let style = if i == app.overlay_scroll { app.theme.selection } else { ratatui::style::Style::new() };
            Line::styled(pad(&app.theme.truncate(&text, w), w), style)
        })
        .collect()
}

fn problem_lines(app: &App, w: usize) -> Vec<Line<'static>> {
    if app.library.diagnostics.is_empty() {
        return vec![Line::from("Every file in the library loaded without problems.")];
    }
    let mut lines = Vec::new();
    for d in &app.library.diagnostics {
        let style = if d.is_error() { app.theme.warning } else { ratatui::style::Style::new() };
        for (i, l) in wrap(&app.theme.ui(&d.to_string()), w.max(1)).into_iter().enumerate() {
            lines.push(if i == 0 { Line::styled(l, style) } else { Line::raw(l) });
        }
    }
    lines
}
