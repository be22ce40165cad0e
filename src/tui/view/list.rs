//! The library list: two rows per article.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::text::{truncate, width};
use crate::tui::app::{App, Focus, LIST_ITEM_HEIGHT};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus == Focus::List && app.overlay.is_none();
    let n = app.library.articles.len();
    let title = format!(" Library · {n} article{} ", if n == 1 { "" } else { "s" });
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(title, if focused { theme.border_focused } else { theme.border }));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if n == 0 {
        let mut lines = vec![Line::from("No articles in"), Line::from(app.library.root.display().to_string())];
        if app.library.error_count() > 0 {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!("{} file(s) could not be loaded: press ! to see why", app.library.error_count()),
                theme.warning,
            ));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    let w = usize::from(inner.width);
    let visible = usize::from(inner.height) / LIST_ITEM_HEIGHT;
    let buf = frame.buffer_mut();
    for (slot, (i, article)) in app.library.articles.iter().enumerate().skip(app.list_offset).take(visible).enumerate()
    {
        let y = inner.y + (slot * LIST_ITEM_HEIGHT) as u16;
        let selected = i == app.selected;
        let m = &article.meta;
        let base = if !selected {
            Style::new()
        } else if focused {
            theme.selection
        } else {
            theme.selection_unfocused
        };
        let marker = if selected { "▌" } else { " " };
        let title = Line::from(vec![
            Span::styled(marker, base),
            Span::styled(truncate(&m.title, w.saturating_sub(1)), base.patch(theme.list_title)),
        ]);
        let mut facts =
            vec![m.published.as_ref().map_or("undated".to_string(), |p| p.date().to_string()), m.lang_pair()];
        facts.extend(m.outlet.clone());
        let facts = format!(" {}", facts.join(" · "));
        let mut second = vec![Span::styled(truncate(&facts, w), base.patch(theme.list_meta))];
        if let Some(st) = &m.source_title {
            let room = w.saturating_sub(width(&facts) + 3);
            if room > 3 {
                second.push(Span::styled(format!(" · {}", truncate(st, room)), base.patch(theme.list_meta)));
            }
        }
        let fill = |line: Line<'static>| {
            let pad = w.saturating_sub(line.width());
            let mut spans = line.spans;
            spans.push(Span::styled(" ".repeat(pad), base));
            Line::from(spans)
        };
        buf.set_line(inner.x, y, &fill(title), inner.width);
        buf.set_line(inner.x, y + 1, &fill(Line::from(second)), inner.width);
    }
}
