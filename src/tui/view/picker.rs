//! The entries of a picker (`t`, `F`), narrowed to what has been typed, and its title.

use ratatui::text::Line;

use crate::text::pad;
use crate::tui::app::App;

/// ` Filter by: kor (Enter picks; Esc closes) `, or with a hint to type while nothing is typed.
pub fn title(app: &App, what: &str, enter: &str) -> String {
    if app.picker_query.is_empty() {
        format!(" {what} (type to narrow; {enter}; Esc closes) ")
    } else {
        format!(" {what}: {} ({enter}; Backspace; Esc closes) ", app.picker_query)
    }
}

/// One line per entry that matches, the cursor's highlighted, `w` columns wide.
pub fn lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let matches = app.picker_matches();
    if matches.is_empty() {
        let text = format!("nothing matches \u{201c}{}\u{201d}", app.picker_query);
        return vec![Line::styled(app.theme.truncate(&text, w), app.theme.dim)];
    }
    matches
        .iter()
        .enumerate()
        .map(|(i, (_, (facet, count)))| {
            let active = app.filter.facet.as_ref() == Some(facet);
            let mark = if active { app.theme.symbols.check } else { " " };
            let text = format!("{mark} {} ({count})", app.theme.ui(&facet.label()));
            let style = if i == app.overlay_scroll { app.theme.selection } else { ratatui::style::Style::new() };
            Line::styled(pad(&app.theme.truncate(&text, w), w), style)
        })
        .collect()
}
