//! The library list: two rows per article.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::text::width;
use crate::tui::app::{App, Focus, LIST_ITEM_HEIGHT};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus == Focus::List && app.overlay.is_none();
    let n = app.library.articles.len();
    let sep = theme.symbols.separator;
    // The longest title that fits.
    let unread = app.unread_count();
    let articles = if n == 1 { "article" } else { "articles" };
    let title = [
        format!(" Library{sep}{unread} unread{sep}{n} {articles} "),
        format!(" {unread} unread{sep}{n} {articles} "),
        format!(" {unread}/{n} unread "),
    ]
    .into_iter()
    .find(|t| width(t) + 2 <= usize::from(area.width))
    .unwrap_or_else(|| format!(" {unread}/{n} "));
    let border = if focused { theme.border_focused } else { theme.border };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(border)
        .title(Span::styled(theme.truncate(&title, usize::from(area.width.saturating_sub(2))), border))
        .title_bottom(Span::styled(theme.truncate(&filters(app), usize::from(area.width.saturating_sub(2))), border));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.view.is_empty() && n > 0 {
        let lines = vec![
            Line::from("No article matches."),
            Line::styled("Esc clears the search; u, S and t toggle the filters.", theme.list_meta),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    if n == 0 && app.loading.is_some() {
        let lines = vec![Line::from("Reading the library in"), Line::from(app.library.root.display().to_string())];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
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
    for (slot, &i) in app.view.iter().skip(app.list_offset).take(visible).enumerate() {
        let article = &app.library.articles[i];
        let st = app.state.get(&article.meta.id);
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
        let symbols = &theme.symbols;
        let marker = format!(
            "{}{}{} ",
            if selected { symbols.selected } else { " " },
            if app.is_fresh(&m.id) {
                "N"
            } else if st.read {
                " "
            } else {
                symbols.unread
            },
            if st.starred { symbols.star } else { " " }
        );
        let title_style = if st.read { base } else { base.patch(theme.list_title) };
        let title = Line::from(vec![
            Span::styled(marker, base.patch(theme.list_marker)),
            Span::styled(theme.truncate(&m.title, w.saturating_sub(4)), title_style),
        ]);
        let mut facts = vec![
            m.published.as_ref().map_or("undated".to_string(), |p| p.date().to_string()),
            theme.ui(&m.lang_pair()).into_owned(),
        ];
        facts.extend(m.outlet.clone());
        let facts = format!("    {}", facts.join(symbols.separator));
        let mut second = vec![Span::styled(theme.truncate(&facts, w), base.patch(theme.list_meta))];
        if let Some(st) = &m.source_title {
            let room = w.saturating_sub(width(&facts) + 3);
            if room > 3 {
                second.push(Span::styled(
                    format!("{}{}", symbols.separator, theme.truncate(st, room)),
                    base.patch(theme.list_meta),
                ));
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

/// The active sort, filters and search, for the list's bottom border.
fn filters(app: &App) -> String {
    let mut parts = vec![format!("sort: {}", app.sort.label())];
    if app.filter.unread {
        parts.push("unread only".into());
    }
    if app.filter.starred {
        parts.push("starred only".into());
    }
    if let Some(f) = &app.filter.facet {
        parts.push(app.theme.ui(&f.label()).into_owned());
    }
    if let Some(s) = &app.search {
        let progress = if s.done || s.total == 0 {
            format!("{} found", app.view.len())
        } else {
            format!("searching {}/{}", s.scanned, s.total)
        };
        parts.push(format!("/{} ({progress})", s.query));
    }
    if app.view.len() != app.library.articles.len() {
        parts.push(format!("{} shown", app.view.len()));
    }
    format!(" {} ", parts.join(app.theme.symbols.separator))
}
