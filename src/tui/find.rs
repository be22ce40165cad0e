//! Finding text in the open article: every match highlighted, `n` and `N` step between them.
//!
//! A find looks at both languages whatever the mode: a match in the language the mode hides
//! (the source in translation-only mode, the translation in source-only mode) is a stop of its
//! own, at its paragraph, and the status line says how to see it.

use std::ops::Range;

use super::app::App;
use crate::article::Article;
use crate::render::{Layout, Mode, Side, Tone};
use crate::search::{Query, fold, locate_substring};
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

/// What a find looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needle {
    /// Typed in the reader: this folded text anywhere, as `less` finds it.
    Text(String),
    /// Carried over from the list's search: its words and phrases, matched as the search
    /// matches them (whole words where the script has spaces).
    Words(Query),
}

impl Needle {
    /// The matches in `text`, as byte ranges of it.
    pub fn locate(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            Needle::Text(n) => locate_substring(n, text),
            Needle::Words(q) => q.locate(text),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Needle::Text(n) => n.trim().is_empty(),
            Needle::Words(q) => q.is_empty(),
        }
    }
}

/// A paragraph group whose text in the hidden language matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenHit {
    pub group: usize,
    /// The language the mode hides.
    pub side: Side,
}

/// A place `n` and `N` go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A match on screen: an index into [`Find::hits`].
    Shown(usize),
    /// A paragraph whose hidden language matches: an index into [`Find::hidden`].
    Hidden(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Find {
    /// What was typed (or searched for in the list).
    pub query: String,
    pub needle: Needle,
    /// Matches in the text on screen, by row.
    pub hits: Vec<Hit>,
    /// Paragraph groups whose hidden language matches, in order.
    pub hidden: Vec<HiddenHit>,
    /// The hits and the hidden paragraphs in reading order (a hidden paragraph at its first
    /// row): what `n` and `N` step through.
    pub stops: Vec<Stop>,
    /// The hit `n` and `N` last went to, highlighted as the current one.
    pub current: Option<usize>,
    /// The stop `n` and `N` last went to.
    pub at: Option<usize>,
    /// The first `n` goes to the article's first match rather than the first below the top of
    /// the screen (a find carried over from the list's search).
    pub from_top: bool,
}

impl Find {
    fn new(query: &str, needle: Needle) -> Find {
        Find {
            query: query.to_string(),
            needle,
            hits: Vec::new(),
            hidden: Vec::new(),
            stops: Vec::new(),
            current: None,
            at: None,
            from_top: false,
        }
    }

    /// Finds the needle again in `layout` (of `article`), forgetting where `n` last went.
    fn place(&mut self, layout: &Layout, article: Option<&Article>) {
        self.hits = hits_of(layout, &self.needle);
        self.hidden = article.map_or_else(Vec::new, |a| hidden_hits(layout.mode, a, &self.needle));
        self.stops = merge_stops(layout, &self.hits, &self.hidden);
        self.current = None;
        self.at = None;
    }

    /// The first row of stop `s`.
    fn row(&self, s: Stop, layout: &Layout) -> usize {
        match s {
            Stop::Shown(i) => self.hits[i].row,
            Stop::Hidden(i) => layout.group_rows(self.hidden[i].group).start,
        }
    }
}

/// Case-insensitive matches of `query` (anywhere) in the cells of `layout`, by row.
/// A match does not cross a line break.
pub fn find_hits(layout: &Layout, query: &str) -> Vec<Hit> {
    hits_of(layout, &Needle::Text(fold(query)))
}

/// The matches of `needle` in the text cells of `layout`, by row.
fn hits_of(layout: &Layout, needle: &Needle) -> Vec<Hit> {
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for (row, r) in layout.rows(0..layout.len()).enumerate() {
        for cell in r.cells() {
            if !matches!(cell.tone, Tone::Body(..) | Tone::Title | Tone::SourceTitle | Tone::Meta) {
                continue;
            }
            for m in needle.locate(cell.text) {
                let x = cell.x + width(&cell.text[..m.start]);
                hits.push(Hit { row, x, width: width(&cell.text[m]) });
            }
        }
    }
    hits
}

/// The language `mode` hides, if it hides one.
fn hidden_side(mode: Mode) -> Option<Side> {
    match mode {
        Mode::Translation => Some(Side::Source),
        Mode::Source => Some(Side::Translation),
        Mode::SideBySide | Mode::Interleaved => None,
    }
}

/// The paragraph groups of `article` whose language hidden in `mode` matches `needle`.
fn hidden_hits(mode: Mode, article: &Article, needle: &Needle) -> Vec<HiddenHit> {
    let Some(side) = hidden_side(mode) else { return Vec::new() };
    if needle.is_empty() {
        return Vec::new();
    }
    let matches = |p: &String| match needle {
        Needle::Text(n) => fold(p).contains(n.as_str()),
        Needle::Words(q) => !q.locate(p).is_empty(),
    };
    article
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| if side == Side::Source { &g.source } else { &g.translation }.iter().any(matches))
        .map(|(group, _)| HiddenHit { group, side })
        .collect()
}

/// `hits` and `hidden` in reading order; at the same row a hit comes first.
fn merge_stops(layout: &Layout, hits: &[Hit], hidden: &[HiddenHit]) -> Vec<Stop> {
    let mut stops = Vec::with_capacity(hits.len() + hidden.len());
    let (mut i, mut j) = (0, 0);
    while i < hits.len() || j < hidden.len() {
        let hidden_row = hidden.get(j).map(|h| layout.group_rows(h.group).start);
        match (hits.get(i), hidden_row) {
            (Some(h), Some(r)) if h.row <= r => {
                stops.push(Stop::Shown(i));
                i += 1;
            }
            (Some(_), None) => {
                stops.push(Stop::Shown(i));
                i += 1;
            }
            _ => {
                stops.push(Stop::Hidden(j));
                j += 1;
            }
        }
    }
    stops
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Source => "source",
        Side::Translation => "translation",
    }
}

impl App {
    /// Finds `query` in the open article as it is typed (anywhere, case-insensitively).
    pub(crate) fn set_find(&mut self, query: &str) {
        self.start_find(query, Needle::Text(fold(query)), false);
    }

    /// Finds the words and phrases of the list's search `query` in the article being opened,
    /// as the search matched them; the first `n` goes to the first of them.
    pub(crate) fn carry_search(&mut self, query: &str) {
        self.last_find = Some(query.to_string());
        self.start_find(query, Needle::Words(Query::parse(query)), true);
        // With the body still being read, the matches are found when it comes.
        let placed = self.reader.is_some();
        self.message = Some(match self.find.as_ref().map_or(0, |f| f.stops.len()) {
            0 if placed => format!("no match for {query:?} in this article"),
            _ => format!("finding {query:?}: {} for the first match", self.key_hint("find_next")),
        });
    }

    fn start_find(&mut self, query: &str, needle: Needle, from_top: bool) {
        let mut find = Find::new(query, needle);
        find.from_top = from_top;
        match &self.reader {
            Some(r) => {
                find.place(&r.layout, self.library.articles.get(r.index).map(Box::as_ref));
                self.message = Some(self.find_summary(&find));
            }
            // Placed when the reader has the article's layout (`refresh_find`).
            None if from_top => {}
            None => return,
        }
        self.find = Some(find);
    }

    /// What a new find found, for the status line.
    fn find_summary(&self, f: &Find) -> String {
        let shown = match f.hits.len() {
            1 => "1 match".to_string(),
            n => format!("{n} matches"),
        };
        let Some(side) = f.hidden.first().map(|h| h.side) else {
            return if f.hits.is_empty() { format!("no match for {:?}", f.query) } else { shown };
        };
        let n = f.hidden.len();
        let paragraphs = format!("{n} paragraph{} of the {}", if n == 1 { "" } else { "s" }, side_name(side));
        if f.hits.is_empty() {
            format!("no match on screen; {paragraphs} (hidden): {}", self.how_to_see(side))
        } else {
            format!("{shown}, and {paragraphs} (hidden)")
        }
    }

    /// `press 2 or 3 to see it`, with the keys in force.
    fn how_to_see(&self, side: Side) -> String {
        let one = if side == Side::Source { "mode_source" } else { "mode_translation" };
        format!("press {} or {} to see it", self.key_hint(one), self.key_hint("mode_side_by_side"))
    }

    /// After a new layout (mode, width): the same query, new places.
    pub(crate) fn refresh_find(&mut self) {
        if let (Some(f), Some(r)) = (self.find.as_mut(), self.reader.as_ref()) {
            f.place(&r.layout, self.library.articles.get(r.index).map(Box::as_ref));
        }
    }

    /// Moves to the next (or previous) match after (before) the top of the screen, wrapping
    /// around, and puts the reading cursor on its paragraph. With no find, `n` repeats the last
    /// one.
    pub(crate) fn find_step(&mut self, forward: bool) {
        if self.find.is_none()
            && let Some(last) = self.last_find.clone()
        {
            self.set_find(&last);
        }
        let page = self.page_height();
        let (Some(f), Some(r)) = (self.find.as_mut(), self.reader.as_mut()) else {
            self.message = Some("no search: press / to find".into());
            return;
        };
        let n = f.stops.len();
        if n == 0 {
            self.message = Some(format!("no match for {:?}", f.query));
            return;
        }
        let layout = &r.layout;
        let (next, wrapped) = match (f.at, forward) {
            (Some(c), true) => ((c + 1) % n, n > 1 && c + 1 == n),
            (Some(c), false) => ((c + n - 1) % n, n > 1 && c == 0),
            (None, true) if f.from_top => (0, false),
            (None, true) => match f.stops.iter().position(|&s| f.row(s, layout) >= r.scroll) {
                Some(p) => (p, false),
                None => (0, true),
            },
            (None, false) => match f.stops.iter().rposition(|&s| f.row(s, layout) < r.scroll + page) {
                Some(p) => (p, false),
                None => (n - 1, true),
            },
        };
        f.at = Some(next);
        f.from_top = false;
        let stop = f.stops[next];
        let row = f.row(stop, layout);
        let group = match stop {
            Stop::Shown(i) => {
                f.current = Some(i);
                layout.row(row).and_then(|x| x.group).or_else(|| layout.group_at(row))
            }
            Stop::Hidden(i) => {
                f.current = None;
                Some(f.hidden[i].group)
            }
        };
        if row < r.scroll || row >= r.scroll + page {
            r.scroll = row.saturating_sub(page / 3).min(crate::tui::app::max_scroll(r, page));
        }
        if let Some(g) = group {
            r.current = g;
        }
        let wrapped = if wrapped { " (wrapped)" } else { "" };
        let message = match stop {
            Stop::Shown(_) => format!("match {} of {n}{wrapped}", next + 1),
            Stop::Hidden(i) => {
                let side = f.hidden[i].side;
                format!(
                    "match {} of {n}{wrapped} in the {} (hidden): {}",
                    next + 1,
                    side_name(side),
                    self.how_to_see(side)
                )
            }
        };
        self.message = Some(message);
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

    #[test]
    fn stops_merge_hits_and_hidden_paragraphs_in_reading_order() {
        let mut l = Layout::empty(Mode::Translation);
        let tone = Tone::Body(crate::article::Kind::Text, crate::render::Side::Translation);
        for (g, line) in [(0, "seoul"), (0, "x"), (1, "y"), (2, "seoul")] {
            l.push_row(Some(g), [(0, line, tone)]);
        }
        l.group_starts = vec![0, 2, 3];
        let hits = find_hits(&l, "seoul");
        let hidden = [HiddenHit { group: 0, side: Side::Source }, HiddenHit { group: 1, side: Side::Source }];
        assert_eq!(merge_stops(&l, &hits, &hidden), [Stop::Shown(0), Stop::Hidden(0), Stop::Hidden(1), Stop::Shown(1)]);
    }
}
