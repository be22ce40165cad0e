//! Habits from newsboat and less: the next and previous unread article (`]`, `[`) from the list
//! or straight from the reader, marking every listed article read (`A`), Esc in the list
//! clearing the filters with the search, and a key that works only in the other pane saying so.

use ratatui::crossterm::event::KeyEvent;

use super::app::{App, Focus};
use super::keymap::{Context, Key};
use super::library_view::Filter;

impl App {
    /// A search or a filter narrows the list.
    pub fn narrowed(&self) -> bool {
        self.search.is_some() || self.filter != Filter::default()
    }

    /// Esc in the list: the search and every filter (unread, starred, tag, outlet, languages,
    /// feed) go; the selection stays.
    pub(crate) fn clear_narrowing(&mut self) {
        let filtered = self.filter != Filter::default();
        self.filter = Filter::default();
        if self.search.is_some() {
            self.clear_search();
        } else {
            self.rebuild_view();
        }
        if filtered {
            self.message = Some(format!("filters cleared: {} articles listed", self.view.len()));
        }
    }

    /// `]` and `[`: the next (or previous) unread article in the list's order, going round
    /// the end of the list if there is none that way. In the reader it is opened.
    pub(crate) fn step_unread(&mut self, forward: bool) {
        let n = self.view.len();
        let at = self.view_position();
        let unread = |app: &App, p: usize| !app.state.get(&app.library.articles[app.view[p]].meta.id).read;
        // Positions after `at` that way, then round from the other end, `at` itself last of all.
        let order: Vec<usize> = match (at, forward) {
            (Some(p), true) => (1..n).map(|k| (p + k) % n).collect(),
            (Some(p), false) => (1..n).map(|k| (p + n - k) % n).collect(),
            (None, true) => (0..n).collect(),
            (None, false) => (0..n).rev().collect(),
        };
        let Some(target) = order.into_iter().find(|&p| unread(self, p)) else {
            self.message = Some(if n == 0 { "no article is listed".into() } else { "no other unread article".into() });
            return;
        };
        let wrapped = at.is_some_and(|p| if forward { target < p } else { target > p });
        self.select(self.view[target]);
        if self.focus == Focus::Reader {
            self.open_selected();
        }
        if wrapped {
            let (way, end) = if forward { ("below", "top") } else { ("above", "bottom") };
            self.message = Some(format!("no unread article {way}; went round to the {end} of the list"));
        }
    }

    /// `A` in the list: every article the list shows is marked read (`m` marks one unread
    /// again).
    pub(crate) fn mark_all_read(&mut self) {
        let ids: Vec<String> = self
            .view
            .iter()
            .map(|&i| self.library.articles[i].meta.id.to_string())
            .filter(|id| !self.state.get(id).read)
            .collect();
        for id in &ids {
            self.state.set_read(id, true);
        }
        self.count_unread();
        self.message = Some(match ids.len() {
            0 => "every listed article is already read".into(),
            1 => "marked 1 article read".into(),
            n => format!("marked {n} articles read"),
        });
    }

    /// A key that does nothing where it was pressed but something in the other pane: say where
    /// it works and how to get there (`u works in the list (Tab goes there)`).
    pub(crate) fn key_bound_elsewhere(&mut self, key: &KeyEvent) {
        if self.prompt.is_some() || self.overlay.is_some() || self.geometry().too_small {
            return;
        }
        let (other, pane, how) = match self.focus {
            Focus::Reader => (Context::List, "the list", format!("{} goes there", self.pretty_hint("toggle_focus"))),
            Focus::List => (Context::Reader, "the reader", format!("{} opens the article", self.pretty_hint("open"))),
        };
        if self.keymap.action(key, other).is_some() {
            let pressed = pretty_key(&Key::from_event(key).to_string());
            self.message = Some(format!("{pressed} works in {pane} ({how})"));
        }
    }

    /// The first key of action `name`, written as in the README (`Tab`, `Enter`, `Ctrl-n`).
    fn pretty_hint(&self, name: &str) -> String {
        pretty_key(&self.key_hint(name))
    }
}

/// A key as the keymap writes it (`tab`, `ctrl-n`, `u`), capitalised when it is a name
/// (`Tab`, `Ctrl-n`); a single character stays as it is.
fn pretty_key(key: &str) -> String {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(_)) => first.to_uppercase().chain(key.chars().skip(1)).collect(),
        _ => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::pretty_key;

    #[test]
    fn key_names_are_capitalised_and_characters_kept() {
        assert_eq!(pretty_key("tab"), "Tab");
        assert_eq!(pretty_key("ctrl-n"), "Ctrl-n");
        assert_eq!(pretty_key("u"), "u");
        assert_eq!(pretty_key("A"), "A");
        assert_eq!(pretty_key("["), "[");
    }
}
