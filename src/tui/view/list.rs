//! The library list: two rows per article (title, and the facts line or a search's snippet),
//! or one in the compact style.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::article::Article;
use crate::search::Query;
use crate::text::width;
use crate::tui::app::{App, Focus};
use crate::tui::theme::Theme;

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
    let height = app.list_item_height();
    let visible = usize::from(inner.height) / height;
    // While a search narrows the list, its words are marked in the titles and a snippet of
    // where they matched takes the place of the facts line.
    let query = app.search.as_ref().filter(|_| app.searching()).map(|s| Query::parse(&s.query));
    let buf = frame.buffer_mut();
    for (slot, &i) in app.view.iter().skip(app.list_offset).take(visible).enumerate() {
        let article = &app.library.articles[i];
        let st = app.state.get(&article.meta.id);
        let y = inner.y + (slot * height) as u16;
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
        let mark = base.patch(theme.find_match);
        let fill = |line: Line<'static>| {
            let pad = w.saturating_sub(line.width());
            let mut spans = line.spans;
            spans.push(Span::styled(" ".repeat(pad), base));
            Line::from(spans)
        };
        let mut title = vec![Span::styled(marker, base.patch(theme.list_marker))];
        if height == 1 {
            // Compact: marker, date, title.
            let date = m.published.as_ref().map_or("undated".to_string(), |p| p.date().to_string());
            let date = format!("{date:<10} ");
            title.push(Span::styled(theme.truncate(&date, w.saturating_sub(4)), base.patch(theme.list_meta)));
            let room = w.saturating_sub(4 + width(&date));
            title.extend(marked(theme, &m.title, &[], room, title_style, mark));
            buf.set_line(inner.x, y, &fill(Line::from(title)), inner.width);
            continue;
        }
        let in_title = query.as_ref().map_or_else(Vec::new, |q| q.locate(&m.title));
        title.extend(marked(theme, &m.title, &in_title, w.saturating_sub(4), title_style, mark));
        let meta_style = base.patch(theme.list_meta);
        let second = match &query {
            Some(q) => match snippet_of(app, i, q) {
                Some((text, at)) => {
                    let mut spans = vec![Span::styled("    ", meta_style)];
                    spans.extend(recentred(theme, &text, &at, w.saturating_sub(4), meta_style, mark));
                    spans
                }
                None => facts(app, article, w, meta_style),
            },
            None => facts(app, article, w, meta_style),
        };
        buf.set_line(inner.x, y, &fill(Line::from(title)), inner.width);
        buf.set_line(inner.x, y + 1, &fill(Line::from(second)), inner.width);
    }
}

/// The facts line under a title: date, languages, outlet and tags, then the source title when
/// there is room, cut to `w` columns.
fn facts(app: &App, article: &Article, w: usize, style: Style) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let m = &article.meta;
    let sep = theme.symbols.separator;
    let mut facts = vec![
        m.published.as_ref().map_or("undated".to_string(), |p| p.date().to_string()),
        theme.ui(&m.lang_pair()).into_owned(),
    ];
    facts.extend(m.outlet.as_ref().map(ToString::to_string));
    if !m.tags.is_empty() {
        facts.push(tags(m));
    }
    let facts = format!("    {}", facts.join(sep));
    let mut line = vec![Span::styled(theme.truncate(&facts, w), style)];
    if let Some(st) = &m.source_title {
        let room = w.saturating_sub(width(&facts) + 3);
        if room > 3 {
            line.push(Span::styled(format!("{sep}{}", theme.truncate(st, room)), style));
        }
    }
    line
}

/// `#north-korea #human-rights`: each tag marked, its spaces made hyphens so it reads as one.
fn tags(m: &crate::article::Meta) -> String {
    m.tags.iter().map(|t| format!("#{}", t.replace(' ', "-"))).collect::<Vec<_>>().join(" ")
}

/// What to show under a search result, with where the query matches in it: the body's snippet
/// the search found, else the first field of the metadata other than the title that matches
/// (source title, outlet, tags). `None` when only the title matches: the facts line stays.
fn snippet_of(app: &App, i: usize, q: &Query) -> Option<(String, Vec<Range<usize>>)> {
    let m = &app.library.articles[i].meta;
    let body = app.search.as_ref().and_then(|s| s.snippets.get(&i)).cloned();
    let fields =
        [m.source_title.clone(), m.outlet.as_ref().map(ToString::to_string), (!m.tags.is_empty()).then(|| tags(m))];
    let mut candidates = body.into_iter().chain(fields.into_iter().flatten());
    candidates.find_map(|text| {
        let at = q.locate(&text);
        (!at.is_empty()).then_some((text, at))
    })
}

/// [`marked`], except that when the first range would not be on screen the text is cut on the
/// left (with `…`) so that it is, a quarter of the width in: for snippets (titles keep their
/// start).
fn recentred(
    theme: &Theme,
    text: &str,
    at: &[Range<usize>],
    w: usize,
    style: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    let Some(first) = at.first().filter(|first| width(&text[..first.end]) > w) else {
        return marked(theme, text, at, w, style, mark);
    };
    let keep = w / 4;
    let mut from = first.start;
    for (k, _) in text[..first.start].char_indices().rev() {
        if width(&text[k..first.start]) + 1 > keep {
            break;
        }
        from = k;
    }
    let ellipsis = if theme.symbols.ascii { "..." } else { "…" };
    let cut = format!("{ellipsis}{}", &text[from..]);
    let shift =
        |r: &Range<usize>| (r.start.max(from) - from + ellipsis.len())..(r.end.max(from) - from + ellipsis.len());
    let at: Vec<Range<usize>> = at.iter().filter(|r| r.end > from).map(shift).collect();
    marked(theme, &cut, &at, w, style, mark)
}

/// `text` cut to `w` columns as spans of `style`, its ranges `at` in `mark` on top.
fn marked(theme: &Theme, text: &str, at: &[Range<usize>], w: usize, style: Style, mark: Style) -> Vec<Span<'static>> {
    let shown = theme.truncate(text, w);
    // The part of `text` that `shown` keeps whole (it may end with an ellipsis of its own).
    let mut kept = shown.bytes().zip(text.bytes()).take_while(|(a, b)| a == b).count();
    while !text.is_char_boundary(kept) {
        kept -= 1;
    }
    let mut spans = Vec::new();
    let mut pos = 0;
    for r in at.iter().filter(|r| r.start < kept) {
        let (start, end) = (r.start.max(pos), r.end.min(kept));
        if start >= end {
            continue;
        }
        if start > pos {
            spans.push(Span::styled(text[pos..start].to_string(), style));
        }
        spans.push(Span::styled(text[start..end].to_string(), mark));
        pos = end;
    }
    if pos < kept {
        spans.push(Span::styled(text[pos..kept].to_string(), style));
    }
    if shown.len() > kept {
        spans.push(Span::styled(shown[kept..].to_string(), style));
    }
    spans
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
