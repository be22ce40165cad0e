//! Typing in the pickers (`t` filters the list, `F` fetches a feed): letters narrow the entries
//! to those whose label holds every word typed, Backspace takes one back, the arrows move, Enter
//! picks and Esc closes.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, Overlay};
use super::library_view::Facet;

impl App {
    /// The entries of the open picker that match what was typed, each with its index among
    /// all the picker's entries. The picker's cursor (`overlay_scroll`) is a place in this list.
    pub fn picker_matches(&self) -> Vec<(usize, &(Facet, usize))> {
        let entries = match &self.overlay {
            Some(Overlay::Picker(entries) | Overlay::FeedPicker(entries)) => entries,
            _ => return Vec::new(),
        };
        let words: Vec<String> = self.picker_query.split_whitespace().map(str::to_lowercase).collect();
        entries
            .iter()
            .enumerate()
            .filter(|(_, (facet, _))| {
                let label = facet.label().to_lowercase();
                words.iter().all(|w| label.contains(w.as_str()))
            })
            .collect()
    }

    /// What a key does while a picker is open, before the keymap: a character without Ctrl or
    /// Alt is typed, Backspace takes one back, Ctrl-U clears, Ctrl-N and Ctrl-P move, Enter
    /// picks and Esc closes. `None` for the other keys (the arrows, pages, Ctrl-C), which go
    /// through the keymap.
    pub fn picker_key(&self, key: &KeyEvent) -> Option<Action> {
        if !matches!(self.overlay, Some(Overlay::Picker(_) | Overlay::FeedPicker(_))) {
            return None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('u') if ctrl => Some(Action::PromptClear),
            KeyCode::Char('n') if ctrl => Some(Action::Down),
            KeyCode::Char('p') if ctrl => Some(Action::Up),
            KeyCode::Char(c) if !ctrl && !alt => Some(Action::PromptChar(c)),
            KeyCode::Backspace => Some(Action::PromptBackspace),
            KeyCode::Enter => Some(Action::PromptAccept),
            KeyCode::Esc => Some(Action::PromptCancel),
            _ => None,
        }
    }

    /// An action while a picker is open.
    pub(crate) fn update_picker(&mut self, action: Action) {
        let feeds = matches!(self.overlay, Some(Overlay::FeedPicker(_)));
        let last = self.picker_matches().len().saturating_sub(1);
        match action {
            Action::PromptChar(c) => {
                self.picker_query.push(c);
                self.overlay_scroll = 0;
            }
            Action::PromptBackspace => {
                self.picker_query.pop();
                self.overlay_scroll = 0;
            }
            Action::PromptClear => {
                self.picker_query.clear();
                self.overlay_scroll = 0;
            }
            Action::Down => self.overlay_scroll = (self.overlay_scroll + 1).min(last),
            Action::Up => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Action::Top => self.overlay_scroll = 0,
            Action::Bottom => self.overlay_scroll = last,
            Action::PageDown | Action::HalfPageDown => self.overlay_scroll = (self.overlay_scroll + 10).min(last),
            Action::PageUp | Action::HalfPageUp => self.overlay_scroll = self.overlay_scroll.saturating_sub(10),
            Action::Open | Action::PromptAccept => {
                match self.picker_matches().get(self.overlay_scroll).map(|(i, _)| *i) {
                    Some(i) => {
                        // Picking reads the cursor as an index among all the entries.
                        self.overlay_scroll = i;
                        if feeds { self.pick_feed() } else { self.pick() }
                    }
                    None => self.message = Some(format!("nothing matches \u{201c}{}\u{201d}", self.picker_query)),
                }
            }
            Action::Back | Action::Cancel | Action::PromptCancel | Action::Picker | Action::FetchFeed => {
                self.overlay = None
            }
            _ => {}
        }
        if !matches!(self.overlay, Some(Overlay::Picker(_) | Overlay::FeedPicker(_))) {
            self.picker_query.clear();
        }
    }
}
