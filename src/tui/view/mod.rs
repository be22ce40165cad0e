//! Drawing. Every function here reads the [`App`] and writes the frame; none changes state.

mod info;
mod list;
mod overlay;
mod picker;
mod reader;
mod status;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::{App, Focus, MIN_SIZE, Overlay};

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    frame.buffer_mut().set_style(area, app.theme.base);
    let g = app.geometry();
    if g.too_small || area.width != app.size.0 || area.height != app.size.1 {
        too_small(app, frame, area);
        return;
    }
    if g.wide {
        list::draw(app, frame, g.list);
        reader::draw(app, frame, g.reader);
    } else if app.focus == Focus::Reader {
        reader::draw(app, frame, g.reader);
    } else {
        list::draw(app, frame, g.list);
    }
    status::draw(app, frame, g.status);
    match &app.overlay {
        Some(Overlay::Info) => info::draw(app, frame, Rect { height: g.status.y, ..area }),
        Some(o) => overlay::draw(app, o, frame, area),
        None => {}
    }
    // A message too long for the status line, above it and over everything else.
    status::draw_above(app, frame, g.status);
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let x = app.theme.symbols.times;
    let text = vec![
        Line::from("Terminal too small"),
        Line::from(format!("{}{x}{}, needs {}{x}{}", area.width, area.height, MIN_SIZE.0, MIN_SIZE.1)),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).style(app.theme.base), area);
}
