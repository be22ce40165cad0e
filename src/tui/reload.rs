//! What `R` found: the line that says the reload is done counts the articles that came, went
//! and changed.

use std::collections::HashMap;

use super::app::App;
use crate::library::Library;

/// How a library read again differs from the one before it, article by article (by id).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LibraryChanges {
    /// Articles in the new library.
    pub articles: usize,
    /// Articles with an id the old library did not have.
    pub new: usize,
    /// Articles whose title, languages, date or other metadata changed.
    pub changed: usize,
    /// Articles of the old library the new one does not have.
    pub gone: usize,
}

impl LibraryChanges {
    pub fn between(old: &Library, new: &Library) -> LibraryChanges {
        let before: HashMap<&str, &crate::article::Meta> =
            old.articles.iter().map(|a| (a.meta.id.as_str(), &a.meta)).collect();
        let mut changes = LibraryChanges { articles: new.articles.len(), ..Default::default() };
        let mut kept = 0;
        for a in &new.articles {
            match before.get(a.meta.id.as_str()) {
                None => changes.new += 1,
                Some(m) => {
                    kept += 1;
                    if !m.same_listing(&a.meta) {
                        changes.changed += 1;
                    }
                }
            }
        }
        changes.gone = before.len() - kept.min(before.len());
        changes
    }
}

impl App {
    /// The reload `R` asked for is done: say so, and what changed
    /// (`library reloaded: 9 articles (1 new, 2 changed, 1 gone), 1 file with errors`).
    pub fn reloaded(&mut self, changes: LibraryChanges) {
        let LibraryChanges { articles, new, changed, gone } = changes;
        let mut what: Vec<String> = Vec::new();
        if new > 0 {
            what.push(format!("{new} new"));
        }
        if changed > 0 {
            what.push(format!("{changed} changed"));
        }
        if gone > 0 {
            what.push(format!("{gone} gone"));
        }
        let what = if what.is_empty() { ", as before".to_string() } else { format!(" ({})", what.join(", ")) };
        let noun = if articles == 1 { "article" } else { "articles" };
        let errors = match self.library.error_count() {
            0 => String::new(),
            1 => ", 1 file with errors".into(),
            n => format!(", {n} files with errors"),
        };
        self.message = Some(format!("library reloaded: {articles} {noun}{what}{errors}"));
    }
}
