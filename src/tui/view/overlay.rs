//! Popups over the panes: the key help and the list of problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::text::{pad, wrap};
use crate::tui::app::{App, Overlay};

pub fn draw(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    // Inside the border around the panes (the status line is the last row), with a column
    // cleared on each side: that border stays whole and nothing of the panes shows beside it.
    let panes = Rect { height: area.height.saturating_sub(1), ..area };
    let w = panes.width.saturating_sub(4).min(120);
    let h = panes.height.saturating_sub(2);
    let popup = Rect { x: panes.x + (panes.width - w) / 2, y: panes.y + 1, width: w, height: h };
    let margin = Rect { x: popup.x.saturating_sub(1), width: (w + 2).min(panes.width), ..popup };
    let inner_w = usize::from(w.saturating_sub(2));
    let (title, lines): (String, Vec<Line>) = match overlay {
        // Drawn by `super::info`, without a border.
        Overlay::Info => return,
        Overlay::Help => (
            format!(" Keys ({} or {} closes) ", app.key_hint("back"), app.key_hint("cancel")),
            help_lines(app, inner_w),
        ),
        Overlay::Picker(_) => {
            (super::picker::title(app, "Filter by", "Enter picks, again clears"), super::picker::lines(app, inner_w))
        }
        Overlay::FeedPicker(_) => {
            (super::picker::title(app, "Fetch a feed", "Enter fetches"), super::picker::lines(app, inner_w))
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
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border_focused)
        .title(Span::styled(theme.truncate(&title, inner_w), theme.border_focused));
    if let Some(more) = scroll_mark(scroll, visible, lines.len(), theme.symbols.ascii) {
        block = block.title_bottom(Line::styled(more, theme.border_focused).right_aligned());
    }
    frame.render_widget(Clear, margin);
    frame.buffer_mut().set_style(margin, theme.base);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll as u16, 0)).style(theme.overlay), popup);
}

/// Where the popup's view is in a text longer than it, for its bottom border: ` 1–20 of 45 ↓ `
/// (`↑` when there is more above, `↑↓` both ways); none when it all fits.
fn scroll_mark(scroll: usize, visible: usize, total: usize, ascii: bool) -> Option<String> {
    if total <= visible || visible == 0 {
        return None;
    }
    let (up, down) = if ascii { ("^", "v") } else { ("↑", "↓") };
    let dash = if ascii { "-" } else { "–" };
    let last = (scroll + visible).min(total);
    let arrows = match (scroll > 0, last < total) {
        (true, true) => format!("{up}{down}"),
        (true, false) => up.to_string(),
        _ => format!("{down} more"),
    };
    Some(format!(" {}{dash}{last} of {total} {arrows} ", scroll + 1))
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
