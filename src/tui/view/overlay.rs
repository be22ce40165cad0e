//! Popups over the panes: the key help and the list of problems.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::text::{pad, truncate, wrap};
use crate::tui::app::{App, Overlay};

pub fn draw(app: &App, overlay: Overlay, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2);
    let popup = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    let inner_w = usize::from(w.saturating_sub(2));
    let (title, lines): (String, Vec<Line>) = match overlay {
        Overlay::Help => (" Keys (q or Esc closes) ".into(), help_lines(app, inner_w)),
        Overlay::Problems => {
            let errors = app.library.error_count();
            let warnings = app.library.warning_count();
            (
                format!(" Problems: {errors} error(s), {warnings} warning(s) (q or Esc closes) "),
                problem_lines(app, inner_w),
            )
        }
    };
    let visible = usize::from(h.saturating_sub(2));
    let scroll = app.overlay_scroll.min(lines.len().saturating_sub(visible));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Span::styled(truncate(&title, inner_w), theme.border_focused));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll as u16, 0)).style(theme.overlay), popup);
}

fn help_lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let key_w = app.keymap.help.iter().map(|(k, _)| crate::text::width(k)).max().unwrap_or(0).min(w / 2);
    let mut lines = Vec::new();
    for (keys, help) in &app.keymap.help {
        let keys = pad(&truncate(keys, key_w), key_w);
        let room = w.saturating_sub(key_w + 2);
        lines.push(Line::from(vec![
            Span::styled(keys, app.theme.border_focused),
            Span::raw("  "),
            Span::raw(truncate(help, room)),
        ]));
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
        for (i, l) in wrap(&d.to_string(), w.max(1)).into_iter().enumerate() {
            lines.push(if i == 0 { Line::styled(l, style) } else { Line::raw(l) });
        }
    }
    lines
}
