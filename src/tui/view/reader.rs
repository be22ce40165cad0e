//! The reader pane: the laid-out rows of the selected article, and a scrollbar beside the list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::article::Article;
use crate::render::{Mode, Side, Tone};
use crate::text::{width, wrap};
use crate::tui::app::{App, Focus, max_scroll};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus == Focus::Reader && app.overlay.is_none();
    let border = if focused { theme.border_focused } else { theme.border };
    // On the whole width of the terminal the reader is framed above and below only, as less
    // or a pager shows a text, and the status line says where it is: nothing at the sides
    // scrolls with the text, so a line of scrolling is the new line alone.
    let whole_width = area.x == 0 && area.width == app.size.0;
    let sides = if whole_width { Borders::TOP | Borders::BOTTOM } else { Borders::ALL };
    let mut block = Block::default().borders(sides).border_set(theme.symbols.border).border_style(border);
    if whole_width {
        block = block.padding(ratatui::widgets::Padding::horizontal(1));
    }
    if let Some(a) = app.reader_article() {
        let title = format!(" {} ", a.meta.id);
        block = block.title(Span::styled(theme.truncate(&title, usize::from(area.width.saturating_sub(4))), border));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = app.reader.as_ref() else {
        waiting(app, frame, inner);
        return;
    };
    let colour_source = r.layout.mode != Mode::SideBySide;
    let buf = frame.buffer_mut();
    let height = usize::from(inner.height);
    for (dy, row) in r.layout.rows(r.scroll..r.scroll + height).enumerate() {
        let y = inner.y + dy as u16;
        for cell in row.cells() {
            let x = cell.x.min(usize::from(inner.width)) as u16;
            let room = usize::from(inner.width - x);
            if room == 0 {
                continue;
            }
            let style = theme.tone(cell.tone, colour_source);
            let text = theme.cell(cell.tone, cell.text);
            buf.set_stringn(inner.x + x, y, &text, room.min(width(&text)), style);
        }
    }
    // Matches of a find, over the text just drawn.
    if let Some(f) = &app.find {
        for (k, hit) in f.hits.iter().enumerate() {
            if hit.row < r.scroll || hit.row >= r.scroll + height || hit.x >= usize::from(inner.width) {
                continue;
            }
            let y = inner.y + (hit.row - r.scroll) as u16;
            let style = if f.current == Some(k) { theme.find_current } else { theme.find_match };
            let end = (hit.x + hit.width).min(usize::from(inner.width));
            buf.set_style(Rect { x: inner.x + hit.x as u16, y, width: (end - hit.x) as u16, height: 1 }, style);
        }
    }
    // The reading cursor: a bar beside the current paragraph, and the divider lit beside it.
    let current = r.layout.group_rows(r.current);
    for row in current.start.max(r.scroll)..current.end.min(r.scroll + height) {
        let y = inner.y + (row - r.scroll) as u16;
        for x in [r.layout.bar, r.layout.divider].into_iter().flatten() {
            if x < usize::from(inner.width) {
                let symbol = if Some(x) == r.layout.bar { theme.symbols.cursor } else { theme.symbols.divider };
                buf.set_stringn(inner.x + x as u16, y, symbol, 1, theme.cursor);
            }
        }
    }
    let max = max_scroll(r, height);
    if max > 0 && !whole_width {
        let mut state = ScrollbarState::new(max).position(r.scroll.min(max)).viewport_content_length(height);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .symbols(theme.symbols.scrollbar.clone())
            .style(border)
            .begin_symbol(None)
            .end_symbol(None);
        let track = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
        frame.render_stateful_widget(bar, track, &mut state);
    }
    if app.peek
        && let Some(article) = app.reader_article()
    {
        // Over the half of the pane the current paragraph is not in.
        let at = r.layout.group_rows(r.current).start.saturating_sub(r.scroll);
        let top = at > height / 2;
        peek(app, article, r.current, r.layout.mode, frame, inner, top);
    }
}

/// The other language of the current paragraph group, in a box over the lower half.
fn peek(app: &App, article: &Article, current: usize, mode: Mode, frame: &mut Frame, inner: Rect, top: bool) {
    let Some(group) = article.groups.get(current) else { return };
    let (paragraphs, lang, what) = match mode {
        Mode::Source => (&group.translation, &article.meta.target_lang, "translation"),
        _ => (&group.source, &article.meta.source_lang, "source"),
    };
    let w = inner.width.min(app.options.max_width as u16 + 4).saturating_sub(2);
    let text_w = usize::from(w.saturating_sub(4)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    if paragraphs.is_empty() {
        lines.push(Line::styled(format!("(no {what} for this paragraph)"), app.theme.tone(Tone::Placeholder, false)));
    }
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        let style = app
            .theme
            .tone(Tone::Body(group.kind, if what == "source" { Side::Source } else { Side::Translation }), true);
        lines.extend(wrap(p, text_w).into_iter().map(|l| Line::styled(l, style)));
    }
    let h = (lines.len() as u16 + 2).min(inner.height / 2).max(3.min(inner.height));
    let y = if top { inner.y } else { inner.y + inner.height - h };
    let area = Rect { x: inner.x + (inner.width - w) / 2, y, width: w, height: h };
    let sep = app.theme.symbols.separator;
    let title = format!(" {what}{sep}{lang}{sep}{} or {} closes ", app.key_hint("peek"), app.key_hint("cancel"));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.symbols.border)
        .border_style(app.theme.border_focused)
        .title(Span::styled(app.theme.truncate(&title, usize::from(w.saturating_sub(2))), app.theme.border_focused));
    frame.render_widget(Clear, area);
    let block = block.padding(ratatui::widgets::Padding::horizontal(1));
    frame.render_widget(Paragraph::new(lines).block(block).style(app.theme.overlay), area);
}

/// The reader without a layout: the body or the layout is coming from a worker, or the body
/// could not be read (the error says why).
fn waiting(app: &App, frame: &mut Frame, inner: Rect) {
    let Some(a) = app.selected_article() else { return };
    let (text, style) = match &app.body_error {
        Some((path, error)) if *path == a.meta.path => (error.clone(), app.theme.warning),
        _ if app.view.is_empty() => return,
        _ if app.body_pending.as_ref() == Some(&a.meta.path) => {
            ("reading the article…".to_string(), app.theme.tone(Tone::Placeholder, false))
        }
        _ => ("laying the article out…".to_string(), app.theme.tone(Tone::Placeholder, false)),
    };
    let w = usize::from(inner.width.saturating_sub(2)).max(1);
    let lines: Vec<Line> = wrap(&text, w).into_iter().map(|l| Line::styled(l, style)).collect();
    let area = Rect {
        x: inner.x + 1,
        y: inner.y + 1,
        width: inner.width.saturating_sub(2),
        height: inner.height.saturating_sub(1),
    };
    frame.render_widget(Paragraph::new(lines), area);
}
