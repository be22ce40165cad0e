//! Every style the views use, in one place, built from the `[colors]` of the config.

use ratatui::style::{Color, Modifier, Style};

use crate::article::Kind;
use crate::config::Colors;
use crate::render::{Side, Tone};

#[derive(Debug, Clone)]
pub struct Theme {
    pub accent: Color,
    pub source: Color,
    pub dim: Color,
    pub selection: Style,
    pub selection_unfocused: Style,
    pub status: Style,
    pub warning: Style,
    pub border: Style,
    pub border_focused: Style,
    pub list_title: Style,
    pub list_meta: Style,
    /// The unread and star markers.
    pub list_marker: Style,
    /// Every match of a find in the reader, and the one `n` went to.
    pub find_match: Style,
    pub find_current: Style,
    pub overlay: Style,
    /// The reading cursor's bar.
    pub cursor: Style,
    /// The background of the peek popup.
    pub peek_bg: Color,
}

impl Theme {
    pub fn from_colors(c: &Colors) -> Theme {
        Theme {
            accent: c.accent.0,
            source: c.source.0,
            dim: c.dim.0,
            selection: Style::new().fg(c.selection_fg.0).bg(c.selection_bg.0),
            selection_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            status: Style::new().fg(c.status_fg.0).bg(c.status_bg.0),
            warning: Style::new().fg(c.warning.0).add_modifier(Modifier::BOLD),
            border: Style::new().fg(c.dim.0),
            border_focused: Style::new().fg(c.accent.0),
            list_title: Style::new().add_modifier(Modifier::BOLD),
            list_meta: Style::new().fg(c.dim.0),
            list_marker: Style::new().fg(c.accent.0),
            find_match: Style::new().add_modifier(Modifier::REVERSED),
            find_current: Style::new().fg(c.selection_fg.0).bg(c.warning.0).add_modifier(Modifier::BOLD),
            overlay: Style::new(),
            cursor: Style::new().fg(c.accent.0),
            peek_bg: Color::Reset,
        }
    }

    /// The style of a piece of article text. `colour_source` is set where both languages share
    /// one column, so the source stands apart.
    pub fn tone(&self, tone: Tone, colour_source: bool) -> Style {
        let dim = Style::new().fg(self.dim);
        match tone {
            Tone::Title => Style::new().fg(self.accent).add_modifier(Modifier::BOLD),
            Tone::SourceTitle | Tone::Meta | Tone::Rule | Tone::Divider | Tone::Gutter => dim,
            Tone::Placeholder => dim.add_modifier(Modifier::ITALIC),
            Tone::Body(kind, side) => {
                let base =
                    if side == Side::Source && colour_source { Style::new().fg(self.source) } else { Style::new() };
                match kind {
                    Kind::Text => base,
                    Kind::Heading => base.fg(self.accent).add_modifier(Modifier::BOLD),
                    Kind::Quote => base.add_modifier(Modifier::ITALIC),
                    Kind::Caption => base.add_modifier(Modifier::ITALIC | Modifier::DIM),
                }
            }
        }
    }
}
