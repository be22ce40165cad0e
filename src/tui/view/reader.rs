//! The reader pane: the laid-out rows of the selected article, and a scrollbar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::render::Mode;
use crate::text::{truncate, width};
use crate::tui::app::{App, Focus, max_scroll};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus == Focus::Reader && app.overlay.is_none();
    let border = if focused { theme.border_focused } else { theme.border };
    let mut block = Block::default().borders(Borders::ALL).border_style(border);
    if let Some(a) = app.reader_article() {
        let title = format!(" {} ", a.meta.id);
        block = block.title(Span::styled(truncate(&title, usize::from(area.width.saturating_sub(4))), border));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = app.reader.as_ref() else { return };
    let colour_source = r.layout.mode != Mode::SideBySide;
    let buf = frame.buffer_mut();
    let height = usize::from(inner.height);
    for (dy, row) in r.layout.rows.iter().skip(r.scroll).take(height).enumerate() {
        let y = inner.y + dy as u16;
        for cell in &row.cells {
            let x = cell.x.min(usize::from(inner.width)) as u16;
            let room = usize::from(inner.width - x);
            if room == 0 {
                continue;
            }
            let style = theme.tone(cell.tone, colour_source);
            buf.set_stringn(inner.x + x, y, &cell.text, room.min(width(&cell.text)), style);
        }
    }
    let max = max_scroll(r, height);
    if max > 0 {
        let mut state = ScrollbarState::new(max).position(r.scroll.min(max)).viewport_content_length(height);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight).style(border).begin_symbol(None).end_symbol(None);
        let track = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
        frame.render_stateful_widget(bar, track, &mut state);
    }
}
