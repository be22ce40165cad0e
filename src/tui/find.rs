//! Finding text in the open article: every match highlighted, `n` and `N` step between them.

use super::app::App;
use crate::text::width;

/// One match: a row of the layout, a cell of that row, and the columns it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub row: usize,
    /// Screen column (within the reader's text area) where the match starts.
    pub x: usize,
    /// Its width in columns.
    pub width: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Find {
    pub query: String,
    pub hits: Vec<Hit>,
    /// The hit `n` and `N` last went to.
    pub current: Option<usize>,
}

/// Case-insensitive matches of `query` in the cells of `layout` (both languages), by row.
/// A match does not cross a line break.
pub fn find_hits(layout: &crate::render::Layout, query: &str) -> Vec<Hit> {
    let needle = query.to_lowercase();
    if needle.trim().is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for (row, r) in layout.rows(0..layout.len()).enumerate() {
        for cell in r.cells() {
            if !matches!(
                cell.tone,
                crate::render::Tone::Body(..)
                    | crate::render::Tone::Title
                    | crate::render::Tone::SourceTitle
                    | crate::render::Tone::Meta
            ) {
                continue;
            }
            // Lowercase per character, keeping a map back to the original's byte offsets, so
            // a match found in the lowercase text is placed on the original.
            let mut lower = String::with_capacity(cell.text.len());
            let mut origin = Vec::with_capacity(cell.text.len());
            for (i, c) in cell.text.char_indices() {
                for l in c.to_lowercase() {
                    let start = lower.len();
                    lower.push(l);
                    origin.extend(std::iter::repeat_n(i, lower.len() - start));
                }
            }
            origin.push(cell.text.len());
            let mut from = 0;
            while let Some(at) = lower[from..].find(&needle) {
                let start = origin[from + at];
                let end = origin[from + at + needle.len()].max(start);
                let end = if end == start {
                    cell.text[start..].chars().next().map_or(start, |c| start + c.len_utf8())
                } else {
                    end
                };
                hits.push(Hit { row, x: cell.x + width(&cell.text[..start]), width: width(&cell.text[start..end]) });
                from += at + needle.len();
            }
        }
    }
    hits
}

impl App {
    /// Finds `query` in the open article as it is typed.
    pub(crate) fn set_find(&mut self, query: &str) {
        let Some(r) = &self.reader else { return };
        let hits = find_hits(&r.layout, query);
        self.message = Some(match hits.len() {
            0 => format!("no match for {query:?}"),
            1 => "1 match".into(),
            n => format!("{n} matches"),
        });
        self.find = Some(Find { query: query.to_string(), hits, current: None });
    }

    /// After a new layout (mode, width): the same query, new places.
    pub(crate) fn refresh_find(&mut self) {
        if let (Some(f), Some(r)) = (self.find.as_mut(), self.reader.as_ref()) {
            f.hits = find_hits(&r.layout, &f.query);
            f.current = None;
        }
    }

    /// Moves to the next (or previous) match after (before) the top of the screen, wrapping
    /// around, and puts the reading cursor on its paragraph.
    pub(crate) fn find_step(&mut self, forward: bool) {
        let page = self.page_height();
        let (Some(f), Some(r)) = (self.find.as_mut(), self.reader.as_mut()) else {
            self.message = Some("no search: press / to find".into());
            return;
        };
        if f.hits.is_empty() {
            self.message = Some(format!("no match for {:?}", f.query));
            return;
        }
        let n = f.hits.len();
        let next = match (f.current, forward) {
            (Some(c), true) => (c + 1) % n,
            (Some(c), false) => (c + n - 1) % n,
            (None, true) => f.hits.iter().position(|h| h.row >= r.scroll).unwrap_or(0),
            (None, false) => f.hits.iter().rposition(|h| h.row < r.scroll + page).unwrap_or(n - 1),
        };
        f.current = Some(next);
        let row = f.hits[next].row;
        if row < r.scroll || row >= r.scroll + page {
            r.scroll = row.saturating_sub(page / 3).min(crate::tui::app::max_scroll(r, page));
        }
        if let Some(g) = r.layout.row(row).and_then(|x| x.group).or_else(|| r.layout.group_at(row)) {
            r.current = g;
        }
        let wrapped = n > 1 && if forward { next == 0 } else { next == n - 1 };
        self.message = Some(format!("match {} of {n}{}", next + 1, if wrapped { " (wrapped)" } else { "" }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Layout, Mode, Tone};

    fn layout(lines: &[&str]) -> Layout {
        let mut l = Layout::empty(Mode::Translation);
        let tone = Tone::Body(crate::article::Kind::Text, crate::render::Side::Translation);
        for line in lines {
            l.push_row(Some(0), [(2, *line, tone)]);
        }
        l.group_starts = vec![0];
        l
    }

    #[test]
    fn finds_case_insensitively_in_every_script() {
        let l = layout(&["A TYPHOON hit Seoul.", "태풍이 서울을 강타했다.", "台風が来た。"]);
        assert_eq!(find_hits(&l, "typhoon"), vec![Hit { row: 0, x: 4, width: 7 }]);
        assert_eq!(find_hits(&l, "태풍"), vec![Hit { row: 1, x: 2, width: 4 }]);
        assert_eq!(find_hits(&l, "서울"), vec![Hit { row: 1, x: 9, width: 4 }]);
        assert_eq!(find_hits(&l, "台風").len(), 1);
        assert!(find_hits(&l, "  ").is_empty());
    }

    #[test]
    fn lowercasing_that_changes_length_keeps_positions() {
        // 'İ' lowercases to two characters.
        let l = layout(&["İstanbul and istanbul"]);
        let hits = find_hits(&l, "istanbul");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].x, 2 + 13);
    }
}
