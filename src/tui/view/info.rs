//! The article info (`i`): everything known about the selected article, on the screen above
//! the status line and without a border. The URL and the file's path are printed plain from
//! the first column and broken only at the screen's edge, so that a terminal selection of
//! those rows copies them and nothing else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;
use unicode_segmentation::UnicodeSegmentation;

use crate::article::{Article, Pairing};
use crate::text::{width, wrap};
use crate::tui::app::App;

/// Columns of the labels (`Published`, `Translated`) and the space after them.
const LABEL: usize = 12;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    frame.render_widget(Clear, area);
    frame.buffer_mut().set_style(area, theme.base);
    let Some(article) = app.info_article() else { return };
    if area.height < 3 {
        return;
    }
    let w = usize::from(area.width);
    let body = lines(app, article, w);
    let rows = usize::from(area.height) - 2;
    let last = body.len().saturating_sub(rows);
    let scroll = app.overlay_scroll.min(last);
    let sep = theme.symbols.separator;
    let title = theme.ui(&format!(" About this article{sep}{}", article.meta.id)).into_owned();
    let buf = frame.buffer_mut();
    buf.set_stringn(area.x, area.y, theme.truncate(&title, w), w, theme.list_title);
    for (i, line) in body.iter().skip(scroll).take(rows).enumerate() {
        buf.set_line(area.x, area.y + 1 + i as u16, line, area.width);
    }
    let mut keys = vec![
        format!("{} opens the URL", app.key_hint("open_url")),
        format!("{} copies it", app.key_hint("copy_paragraph")),
        format!("{} edits the file", app.key_hint("edit")),
        format!("{} closes", app.key_hint("back")),
    ];
    if last > 0 {
        keys.push(format!("{} {} scroll", app.key_hint("scroll_down"), app.key_hint("scroll_up")));
    }
    let keys = theme.ui(&format!(" {}", keys.join(sep))).into_owned();
    buf.set_stringn(area.x, area.y + area.height - 1, theme.truncate(&keys, w), w, theme.dim);
}

/// The rows of the info for a screen `w` columns wide.
fn lines(app: &App, a: &Article, w: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let m = &a.meta;
    let mut out: Vec<Line<'static>> = Vec::new();
    let text_w = w.saturating_sub(2).max(1);
    for l in wrap(&m.title, text_w) {
        out.push(Line::styled(format!(" {l}"), theme.list_title));
    }
    if let Some(t) = &m.source_title {
        for l in wrap(t, text_w) {
            out.push(Line::styled(format!(" {l}"), theme.source));
        }
    }
    out.push(Line::raw(""));
    // The URL and the file: a label row, then each alone on its rows from the first column.
    match &m.url {
        Some(url) => {
            out.push(Line::styled(" URL".to_string(), theme.accent));
            out.extend(plain(url, w).into_iter().map(Line::raw));
        }
        None => out.push(field(app, "URL", "none", w)),
    }
    out.push(Line::styled(" File".to_string(), theme.accent));
    out.extend(plain(&path_text(&m.path), w).into_iter().map(Line::raw));
    out.push(Line::raw(""));
    let sep = theme.symbols.separator;
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(s) = &m.summary {
        fields.push(("Summary", s.clone()));
    }
    if !m.tags.is_empty() {
        fields.push(("Tags", m.tags.join(", ")));
    }
    fields.push(("Languages", theme.ui(&m.lang_pair()).into_owned()));
    if let Some(o) = &m.outlet {
        fields.push(("Outlet", o.to_string()));
    }
    if let Some(p) = &m.published {
        fields.push(("Published", p.to_string()));
    }
    if !m.authors.is_empty() {
        fields.push(("Authors", m.authors.join(", ")));
    }
    if let Some(t) = &m.translator {
        fields.push(("Translator", t.to_string()));
    }
    fields.push(("Paired", paired(a)));
    if let Some(mt) = &m.machine_translation {
        let mut how = vec![mt.kind.clone()];
        how.extend(mt.model.clone());
        how.extend(mt.date.clone());
        let mut line = format!("by machine: {} ({})", mt.engine, how.join(", "));
        if !a.groups.is_empty() {
            let machine = a.groups.iter().filter(|g| g.machine).count();
            line.push_str(&format!("{sep}{machine} of {} paragraphs", a.groups.len()));
        }
        fields.push(("Translated", line));
    }
    if let Some(f) = &m.feed {
        fields.push(("Feed", f.to_string()));
    }
    for (label, value) in fields {
        out.push(field(app, label, &value, w));
        // A long value goes on over the rows below, under its first row.
        let rest = wrap(&value, w.saturating_sub(LABEL + 1).max(1));
        for l in rest.into_iter().skip(1) {
            out.push(Line::raw(format!("{}{l}", " ".repeat(LABEL + 1))));
        }
    }
    out
}

/// A label and the first row of its value.
fn field(app: &App, label: &str, value: &str, w: usize) -> Line<'static> {
    let first = wrap(value, w.saturating_sub(LABEL + 1).max(1)).into_iter().next().unwrap_or_default();
    Line::from(vec![
        Span::styled(format!(" {label:<width$}", width = LABEL), app.theme.accent),
        Span::styled(first, Style::new()),
    ])
}

/// How the paragraphs were paired, once the body has been read.
fn paired(a: &Article) -> String {
    if a.groups.is_empty() {
        return "known once the article is read".into();
    }
    let n = a.groups.len();
    let how = match &a.pairing {
        Pairing::Given => format!("as the file gives them: {n} paragraph groups"),
        Pairing::Aligned(summary) => format!("by the aligner: {n} groups ({summary})"),
    };
    // What the aligner wrote of it (`[alignment]`).
    match &a.meta.alignment {
        Some(al) => {
            let confidence = al.confidence.map(|c| format!("confidence {c:.2}"));
            let said: Vec<String> =
                [Some(al.method.clone()).filter(|m| !m.is_empty()), confidence].into_iter().flatten().collect();
            if said.is_empty() { how } else { format!("{how}; {}", said.join(", ")) }
        }
        None => how,
    }
}

/// `s` cut into rows of exactly `w` columns (the last shorter), anywhere: a URL or a path has
/// no place it should rather break, and full rows leave nothing but its characters to select.
fn plain(s: &str, w: usize) -> Vec<String> {
    let w = w.max(2);
    let mut rows = vec![String::new()];
    let mut used = 0;
    for g in s.graphemes(true) {
        let gw = width(g);
        if used + gw > w {
            rows.push(String::new());
            used = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push_str(g);
        }
        used += gw;
    }
    rows
}

/// A path as it can be typed from any folder: absolute, and as it is unless it holds what a
/// terminal cannot show, which is escaped (see [`crate::text::escape_unprintable`]).
fn path_text(path: &std::path::Path) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match path.to_str() {
        Some(s) if !s.chars().any(crate::text::is_unprintable) => s.to_string(),
        _ => crate::text::escape_unprintable(path.as_os_str().as_encoded_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn plain_rows_are_full_and_join_back_to_the_text() {
        let url = "https://www.hangang-morning-post.example/news/a-very-long-path-of-an-article-123456.html";
        let rows = plain(url, 20);
        assert!(rows[..rows.len() - 1].iter().all(|r| r.len() == 20), "{rows:?}");
        assert_eq!(rows.concat(), url);
        let wide = plain("서울시청다목적홀", 5);
        assert_eq!(wide, ["서울", "시청", "다목", "적홀"]);
    }
}
