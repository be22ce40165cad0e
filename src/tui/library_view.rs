//! What the list shows: filters, sorting, the tag picker, the full-text search and the prompt
//! where searches are typed.

use compact_str::CompactString;
use std::collections::BTreeMap;

use super::action::Action;
use super::app::{App, Effect, Focus, Overlay};
use crate::article::Article;
use crate::search::SearchEvent;

/// How the list is drawn: `[list]` in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListOptions {
    /// The list's width beside the reader, in columns; 0 gives the list what the reader does
    /// not use.
    pub width: u16,
    /// One row per article (marker, date, title) instead of two.
    pub compact: bool,
}

/// The fewest columns the list gets beside the reader when its width is automatic (it also
/// gets at least a fifth of the terminal).
pub const LIST_MIN: u16 = 30;
/// The fewest columns a fixed `[list] width` gives the list.
pub const LIST_FIXED_MIN: u16 = 20;
/// The fewest columns the reader keeps beside the list.
pub const READER_MIN: u16 = 50;

/// Narrowing the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub unread: bool,
    pub starred: bool,
    pub facet: Option<Facet>,
}

/// How the message saying the library's new count begins.
const LIBRARY_COUNT: &str = "library: ";

/// A value to filter by, chosen in the picker.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Facet {
    Tag(CompactString),
    Outlet(CompactString),
    Languages(String),
    /// The subscription an article came from.
    Feed(CompactString),
}

impl Facet {
    pub fn label(&self) -> String {
        match self {
            Facet::Tag(t) => format!("tag: {t}"),
            Facet::Outlet(o) => format!("outlet: {o}"),
            Facet::Languages(l) => format!("languages: {l}"),
            Facet::Feed(f) => format!("feed: {f}"),
        }
    }

    fn matches(&self, a: &Article) -> bool {
        match self {
            Facet::Tag(t) => a.meta.tags.contains(t),
            Facet::Outlet(o) => a.meta.outlet.as_deref() == Some(o.as_str()),
            Facet::Languages(l) => &a.meta.lang_pair() == l,
            Facet::Feed(f) => a.meta.feed.as_deref() == Some(f.as_str()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest first.
    Date,
    Title,
    /// By outlet, then newest first.
    Outlet,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Date => Sort::Title,
            Sort::Title => Sort::Outlet,
            Sort::Outlet => Sort::Date,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Date => "date",
            Sort::Title => "title",
            Sort::Outlet => "outlet",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/` in the list: search every article.
    Search,
    /// `/` in the reader: find in the open article.
    Find,
    /// `a`: the URL of an article to add.
    AddUrl,
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// What Enter on an empty line repeats and Up brings back: the last find.
    pub default: Option<String>,
}

impl Prompt {
    /// The label before the text: `find: `, or `find [서울시]: ` with a default.
    pub fn label(&self) -> String {
        let what = match self.kind {
            PromptKind::Search => "search all",
            PromptKind::Find => "find",
            PromptKind::AddUrl => "add URL",
        };
        match &self.default {
            Some(d) => format!("{what} [{}]: ", crate::text::truncate(d, 24)),
            None => format!("{what}: "),
        }
    }
}

/// A full-text search and what it has found so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchState {
    pub query: String,
    /// The generation of the search whose results count; 0 until the worker has taken it.
    pub generation: u64,
    /// Matching articles (indices into `library.articles`).
    pub matches: Vec<bool>,
    pub scanned: usize,
    pub total: usize,
    pub done: bool,
    /// A stretch of the body around a match, by article (indices into `library.articles`),
    /// for the matches whose body holds a term their metadata lacks.
    pub snippets: std::collections::HashMap<usize, String>,
}

impl App {
    /// The list's width when it shares a terminal `total` columns wide with the reader: a fixed
    /// `[list] width`, else what the reader does not use. The reader wants its widest text
    /// (`[reader] max_width`, twice that and the gap in side by side) with the gutter, a free
    /// column on the right and its border; the list keeps at least [`LIST_MIN`] columns and a
    /// fifth of the terminal, and the reader at least [`READER_MIN`].
    pub fn list_width(&self, total: u16) -> u16 {
        let most = total.saturating_sub(READER_MIN);
        if self.list_options.width > 0 {
            return self.list_options.width.max(LIST_FIXED_MIN).min(most);
        }
        let o = &self.options;
        let text = match self.mode {
            crate::render::Mode::SideBySide => 2 * o.max_width + o.gap,
            _ => o.max_width,
        };
        let reader = text + crate::render::GUTTER + 3;
        let rest = u16::try_from(usize::from(total).saturating_sub(reader)).unwrap_or(total);
        rest.max(LIST_MIN).max(total / 5).min(most)
    }

    /// Rows each article takes in the list: one in the compact style, two otherwise and while
    /// a search shows a snippet under each result.
    pub fn list_item_height(&self) -> usize {
        if self.list_options.compact && !self.searching() { 1 } else { super::app::LIST_ITEM_HEIGHT }
    }

    /// A search narrows the list (its results show snippets).
    pub fn searching(&self) -> bool {
        self.search.as_ref().is_some_and(|s| !s.query.trim().is_empty())
    }

    /// Recomputes the list from the filters, the search and the sort, keeping the selection
    /// when it is still listed.
    pub fn rebuild_view(&mut self) {
        let articles = &self.library.articles;
        let searching = self.searching();
        let mut view: Vec<usize> = (0..articles.len()).filter(|&i| self.admits(i, searching)).collect();
        match self.sort {
            // The library is already newest first.
            Sort::Date => {}
            Sort::Title => view.sort_by_cached_key(|&i| articles[i].meta.title.to_lowercase()),
            Sort::Outlet => {
                view.sort_by_cached_key(|&i| articles[i].meta.outlet.clone().unwrap_or_default().to_lowercase())
            }
        }
        self.view = view;
        self.count_unread();
        if !self.view.contains(&self.selected) {
            match self.view.first() {
                Some(&first) => {
                    self.select(first);
                    if self.focus == Focus::Reader && self.search.is_none() {
                        self.focus = Focus::List;
                    }
                }
                None => {
                    self.reader = None;
                    self.focus = Focus::List;
                }
            }
        } else if self.reader.is_none() {
            self.select(self.selected);
        }
        self.keep_selection_visible();
    }

    /// Whether article `i` passes the filters and, `searching`, the search.
    fn admits(&self, i: usize, searching: bool) -> bool {
        let a = &self.library.articles[i];
        let st = self.state.get(&a.meta.id);
        (!self.filter.unread || !st.read)
            && (!self.filter.starred || st.starred)
            && self.filter.facet.as_ref().is_none_or(|f| f.matches(a))
            && (!searching || self.search.as_ref().is_none_or(|s| s.matches.get(i) == Some(&true)))
    }

    /// Adds the articles a search batch found, `found` in list order and after everything
    /// listed, to a list in date order: what [`App::rebuild_view`] would make, without going
    /// through the whole library again for each batch of a search of a large one.
    fn extend_view(&mut self, found: &[usize]) {
        let was_empty = self.view.is_empty();
        let admitted: Vec<usize> = found.iter().copied().filter(|&i| self.admits(i, true)).collect();
        self.view.extend(admitted);
        if was_empty && let Some(&first) = self.view.first() {
            self.select(first);
        }
        self.keep_selection_visible();
    }

    /// A new scan of the folder: the selection, the open article and its paragraph stay where
    /// they were, as long as they still exist.
    pub fn replace_library(&mut self, library: crate::library::Library) {
        self.replace_library_quietly(library, false);
    }

    /// [`App::replace_library`]; `quiet` keeps the status line as it is (for the check of the
    /// bodies right after start, which only finds what the first quick look could not see).
    pub fn replace_library_quietly(&mut self, library: crate::library::Library, quiet: bool) {
        // What was still to be taken in is in the new library, or gone with the old one.
        self.arriving.clear();
        let kept = self.remember_place();
        self.library = library;
        self.restore_place(kept, quiet);
    }

    /// What a new library must keep: the selection, the reader's place and the bodies in
    /// memory, by article id (indices change).
    fn remember_place(&self) -> KeptPlace {
        KeptPlace {
            selected_id: self.selected_article().map(|a| a.meta.id.to_string()),
            place: self.reader.as_ref().map(|r| (r.current, r.scroll, r.moved)).or_else(|| {
                let selected = self.selected_article().map(|a| a.meta.id.as_str());
                self.kept_place.as_ref().filter(|k| Some(k.0.as_str()) == selected).map(|k| (k.1, k.2, k.3))
            }),
            before: self.library.articles.len(),
            body_ids: self
                .bodies
                .iter()
                .filter_map(|&i| self.library.articles.get(i))
                .map(|a| a.meta.id.to_string())
                .collect(),
        }
    }

    fn restore_place(&mut self, kept: KeptPlace, quiet: bool) {
        let position = |app: &Self, id: &str| app.library.articles.iter().position(|a| a.meta.id == id);
        self.layouts.clear();
        // Bodies still in memory are found again, so they are still dropped in turn.
        self.bodies = kept
            .body_ids
            .iter()
            .filter_map(|id| position(self, id))
            .filter(|&i| !self.library.articles[i].groups.is_empty())
            .collect();
        self.reader = None;
        let n = self.library.articles.len();
        if let Some(s) = self.search.as_mut() {
            s.matches = vec![false; n];
            s.snippets.clear();
            s.done = false;
        }
        let found = kept.selected_id.as_deref().and_then(|id| position(self, id));
        self.selected = found.unwrap_or(0);
        self.rebuild_view();
        if found.is_some()
            && let Some((current, scroll, moved)) = kept.place
        {
            let page = self.page_height();
            match self.reader.as_mut() {
                Some(r) => {
                    r.current = current.min(r.layout.group_starts.len().saturating_sub(1));
                    r.scroll = scroll.min(super::app::max_scroll(r, page));
                    r.moved = moved;
                }
                // The body is being read again: the reader takes its place when it comes.
                None => {
                    self.kept_place = kept.selected_id.clone().map(|id| (id, current, scroll, moved));
                }
            }
        } else if self.focus == Focus::Reader && found.is_none() {
            self.focus = Focus::List;
            self.message = Some("the open article was removed".into());
        }
        self.select_added();
        if !quiet {
            self.say_library_grew(kept.before, n);
        }
    }

    /// `library: 101000 articles (+1000)` when the count changed, unless another message is
    /// up; one such message before it is replaced (files came, then went: the count now).
    pub(crate) fn say_library_grew(&mut self, before: usize, n: usize) {
        let free = self.message.as_deref().is_none_or(|m| m.starts_with(LIBRARY_COUNT));
        if free && n != before {
            self.message = Some(format!("{LIBRARY_COUNT}{n} articles ({:+})", n as i64 - before as i64));
        }
    }

    /// What the check of the bodies after start found, in place of what the list held for
    /// those files; the selection and the reader's place stay (quietly: the status line says
    /// nothing of it).
    ///
    /// Where the list only moved (no search running, no layout awaited, neither the selection
    /// nor the open article among the files changed), everything that names an article by
    /// its place is moved with it, and the articles that came join the list where they sort:
    /// no pass over the whole list that reads its articles.
    pub fn apply_checked(&mut self, changes: Vec<crate::library::Checked>) {
        self.finish_arriving();
        self.take_in(changes);
    }

    /// [`App::apply_checked`] for what a rescan found, a step of [`ARRIVING_STEP`] files now
    /// and the rest by [`App::arrive_step`], one step between keys: the list moves as a whole
    /// for each step (a few copies of its places), so a key waits for one step at most.
    pub fn arrive(&mut self, changes: Vec<crate::library::Checked>) {
        self.finish_arriving();
        self.arriving = changes;
        self.arrive_step();
    }

    /// Takes the next step of the files waiting ([`App::arrive`]) into the list; whether more
    /// wait. Where the list had to be made again (a search running, say), the rest goes in at
    /// once.
    pub fn arrive_step(&mut self) -> bool {
        // From the end: those still waiting stay where they are (a thousand files' records
        // copied for every step cost more than the step).
        let step = self.arriving.split_off(self.arriving.len().saturating_sub(ARRIVING_STEP));
        match self.take_in(step) {
            Some(moves) => {
                for c in &mut self.arriving {
                    if let crate::library::Was::At(i) = c.was {
                        c.was = moves.place(i).map_or(crate::library::Was::Unknown, crate::library::Was::At);
                    }
                }
            }
            None => self.finish_arriving(),
        }
        !self.arriving.is_empty()
    }

    /// Takes every file still waiting into the list at once.
    fn finish_arriving(&mut self) {
        let rest = std::mem::take(&mut self.arriving);
        if !rest.is_empty() {
            self.take_in(rest);
        }
    }

    /// One step of [`App::apply_checked`]: how the list moved, or `None` when the selection
    /// and the rest were found again by id in a list made again.
    fn take_in(&mut self, changes: Vec<crate::library::Checked>) -> Option<crate::library::Moves> {
        let kept = self.remember_place();
        let before = self.library.articles.len();
        let moves = self.library.apply_checked(changes);
        let simple = self.search.is_none() && self.layout_pending.is_none() && self.kept_place.is_none();
        match moves {
            Some(moves) if simple && self.follow_moves(&moves, before) => Some(moves),
            _ => {
                self.restore_place(kept, true);
                None
            }
        }
    }

    /// Moves the selection, the reader, the bodies kept, the layouts and the list with the
    /// articles ([`crate::library::Moves`]), and lists the articles that came where the sort
    /// and the filters put them; `false`, having changed nothing, when something it would move
    /// was taken out (the caller finds things again by id).
    fn follow_moves(&mut self, moves: &crate::library::Moves, before: usize) -> bool {
        if moves.removed.is_empty() && moves.inserted.is_empty() {
            return true;
        }
        let place = |i: usize| moves.place(i);
        let selected = if before == 0 { Some(0) } else { place(self.selected) };
        let reader = self.reader.as_ref().map(|r| place(r.index));
        let Some(selected) = selected else { return false };
        if reader.is_some_and(|r| r.is_none()) {
            return false;
        }
        self.selected = selected;
        if let (Some(r), Some(Some(index))) = (self.reader.as_mut(), reader) {
            r.index = index;
        }
        // A body kept of an article taken out went with it.
        self.bodies = self.bodies.iter().filter_map(|&b| place(b)).collect();
        self.layouts.move_articles(place);
        // The unread count, by what went and what came.
        let gone_unread = moves.removed_ids.iter().filter(|id| !self.state.get(id).read).count();
        let came_unread = moves.added().filter(|&i| !self.state.get(&self.library.articles[i].meta.id).read).count();
        self.unread = (self.unread + came_unread).saturating_sub(gone_unread);
        // The list: what stays, moved (in date order, in one walk); what came and passes the
        // filters, in its place.
        if self.sort == Sort::Date {
            moves.move_ascending(&mut self.view);
        } else {
            self.view.retain_mut(|i| place(*i).map(|j| *i = j).is_some());
        }
        let mut came: Vec<usize> = moves.added().filter(|&i| self.admits(i, false)).collect();
        if !came.is_empty() {
            came.sort_by(|&a, &b| self.list_order(a, b));
            // Each one's place in the list, then the list opened from its end to take them.
            let mut from = 0;
            let places: Vec<usize> = came
                .iter()
                .map(|&a| {
                    from += self.view[from..].partition_point(|&b| self.list_order(b, a).is_lt());
                    from
                })
                .collect();
            let mut end = self.view.len();
            self.view.resize(end + came.len(), 0);
            for (j, (&a, &p)) in came.iter().zip(&places).enumerate().rev() {
                self.view.copy_within(p..end, p + j + 1);
                self.view[p + j] = a;
                end = p;
            }
        }
        if self.view_place(self.selected).is_none() {
            self.rebuild_view();
        } else {
            self.keep_selection_visible();
        }
        self.select_added();
        true
    }

    /// The order of two articles in the list as [`App::rebuild_view`] sorts it (a stable sort
    /// of the list in date order: ties by their places).
    fn list_order(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let articles = &self.library.articles;
        let key = |i: usize| -> String {
            let m = &articles[i].meta;
            match self.sort {
                Sort::Date => String::new(),
                Sort::Title => m.title.to_lowercase(),
                Sort::Outlet => m.outlet.as_deref().unwrap_or_default().to_lowercase(),
            }
        };
        match self.sort {
            Sort::Date => a.cmp(&b),
            _ => key(a).cmp(&key(b)).then(a.cmp(&b)),
        }
    }

    /// The library while it is being read at start: as [`App::replace_library_quietly`],
    /// except that a selection at the top of the list stays at the top as newer articles come
    /// in above it.
    pub fn library_arrived(&mut self, library: crate::library::Library, quiet: bool) {
        self.keeping_top(|app| app.replace_library_quietly(library, quiet));
    }

    /// The end of a library read in batches ([`App::add_articles`]): `library` brings all but
    /// the articles, which the list holds already; the selection and the open article stay
    /// where they were, as in [`App::library_arrived`].
    pub fn library_streamed(&mut self, mut library: crate::library::Library, quiet: bool) {
        self.arriving.clear();
        self.keeping_top(|app| {
            // The place is taken while the list still holds the articles it names.
            let kept = app.remember_place();
            library.articles = std::mem::take(&mut app.library.articles);
            app.library = library;
            app.restore_place(kept, quiet);
        });
    }

    /// More articles of a library still being read, in list order; the selection and the open
    /// article stay where they were (or at the top, as in [`App::library_arrived`]).
    pub fn add_articles<A: Into<Box<crate::article::Article>>>(&mut self, articles: Vec<A>) {
        self.keeping_top(|app| {
            let kept = app.remember_place();
            app.library.extend_sorted(articles);
            app.restore_place(kept, true);
        });
    }

    fn keeping_top(&mut self, change: impl FnOnce(&mut Self)) {
        let at_top = self.focus == Focus::List && self.view_position().is_none_or(|p| p == 0);
        change(self);
        if at_top
            && let Some(&first) = self.view.first()
            && first != self.selected
        {
            self.select(first);
        }
    }

    /// Unread articles among all, for the list's title.
    pub fn unread_count(&self) -> usize {
        self.unread
    }

    /// Counts the unread articles again (after the library or the reading state changed), so
    /// drawing a frame does not walk the whole library.
    pub fn count_unread(&mut self) {
        self.unread = self.count_unread_now();
    }

    fn count_unread_now(&self) -> usize {
        self.library.articles.iter().filter(|a| !self.state.get(&a.meta.id).read).count()
    }

    /// The tags, outlets and language pairs of the library with their counts, most used first.
    pub(crate) fn open_picker(&mut self) {
        let mut counts: BTreeMap<Facet, usize> = BTreeMap::new();
        for a in &self.library.articles {
            for t in &a.meta.tags {
                *counts.entry(Facet::Tag(t.clone())).or_default() += 1;
            }
            if let Some(o) = &a.meta.outlet {
                *counts.entry(Facet::Outlet(o.clone())).or_default() += 1;
            }
            *counts.entry(Facet::Languages(a.meta.lang_pair())).or_default() += 1;
            if let Some(f) = &a.meta.feed {
                *counts.entry(Facet::Feed(f.clone())).or_default() += 1;
            }
        }
        let mut entries: Vec<(Facet, usize)> = counts.into_iter().collect();
        entries.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
        if entries.is_empty() {
            self.message = Some("no tags, outlets or languages to filter by".into());
            return;
        }
        let at = self.filter.facet.as_ref().and_then(|f| entries.iter().position(|(e, _)| e == f)).unwrap_or(0);
        self.overlay = Some(Overlay::Picker(entries));
        self.overlay_scroll = at;
    }

    /// Applies the facet under the picker's cursor; choosing the active one again clears it.
    pub(crate) fn pick(&mut self) {
        if let Some(Overlay::Picker(entries)) = &self.overlay {
            let chosen = entries.get(self.overlay_scroll).map(|(f, _)| f.clone());
            self.filter.facet = if chosen == self.filter.facet { None } else { chosen };
            self.overlay = None;
            self.rebuild_view();
        }
    }

    pub(crate) fn start_prompt(&mut self, kind: PromptKind) {
        if kind == PromptKind::Find && self.reader.is_none() {
            return;
        }
        // A search is edited where it stands; a find starts empty, the last one its default
        // (Enter on the empty line repeats it, Up brings it back), as in `less`.
        let (text, default) = match kind {
            PromptKind::Search => (self.search.as_ref().map(|s| s.query.clone()).unwrap_or_default(), None),
            PromptKind::Find => {
                (String::new(), self.find.as_ref().map(|f| f.query.clone()).or_else(|| self.last_find.clone()))
            }
            PromptKind::AddUrl => (String::new(), None),
        };
        self.prompt = Some(Prompt { kind, text, default });
    }

    /// Enter in the find prompt: the text typed, else the default; a find already showing that
    /// text goes on to its next match.
    fn accept_find(&mut self, text: String, default: Option<String>) {
        let query = if text.trim().is_empty() { default } else { Some(text) };
        let Some(query) = query else {
            self.find = None;
            return;
        };
        if self.find.as_ref().is_none_or(|f| f.query != query) {
            self.set_find(&query);
        }
        self.last_find = Some(query);
        self.find_step(true);
    }

    /// Keys while a prompt is open: typing, Enter keeps, Esc clears.
    pub(crate) fn update_prompt(&mut self, action: Action) {
        let Some(prompt) = self.prompt.as_mut() else { return };
        let kind = prompt.kind;
        match action {
            Action::PromptChar(c) => prompt.text.push(c),
            Action::PromptBackspace => {
                prompt.text.pop();
            }
            Action::PromptClear => prompt.text.clear(),
            Action::PromptRecall => match &prompt.default {
                Some(d) => {
                    prompt.text = d.clone();
                    if kind == PromptKind::Find && self.find.as_ref().is_some_and(|f| f.query == *d) {
                        // The find showing is that one: it stays as it is.
                        return;
                    }
                }
                None => return,
            },
            Action::PromptAccept => {
                let Some(Prompt { text, default, .. }) = self.prompt.take() else { return };
                match kind {
                    PromptKind::AddUrl => self.start_add(text.trim()),
                    PromptKind::Find => self.accept_find(text, default),
                    PromptKind::Search if text.trim().is_empty() => self.clear_query(kind),
                    PromptKind::Search => {}
                }
                return;
            }
            Action::PromptCancel | Action::Cancel => {
                self.prompt = None;
                self.clear_query(kind);
                return;
            }
            _ => return,
        }
        let text = prompt.text.clone();
        match kind {
            PromptKind::Search => self.set_search(&text),
            // An emptied line shows no find; Enter brings the default back.
            PromptKind::Find if text.trim().is_empty() => self.find = None,
            PromptKind::Find => self.set_find(&text),
            PromptKind::AddUrl => {}
        }
    }

    fn clear_query(&mut self, kind: PromptKind) {
        match kind {
            PromptKind::Search => self.clear_search(),
            PromptKind::Find => self.find = None,
            PromptKind::AddUrl => {}
        }
    }

    /// Starts adding the article at `url` in the background.
    fn start_add(&mut self, url: &str) {
        if url.is_empty() {
            return;
        }
        if self.adding.is_some() {
            self.message = Some("an article is being added; Esc cancels it".into());
            return;
        }
        self.adding = Some(format!("fetching {}…", crate::text::sanitize_line(url)));
        self.effects.push(super::app::Effect::Add(url.to_string()));
    }

    /// How adding an article goes (`fetching… · extracting… · aligning…`).
    pub fn add_progress(&mut self, stage: String) {
        if self.adding.is_some() {
            self.adding = Some(stage);
        }
    }

    /// Adding an article ended: the line to show, and the new file (selected once it is
    /// listed), or why it failed.
    pub fn add_finished(&mut self, result: Result<(String, std::path::PathBuf), String>) {
        if self.adding.take().is_none() {
            // Cancelled meanwhile: nothing to say.
            return;
        }
        match result {
            Ok((line, path)) => {
                self.message = Some(line);
                self.select_when_listed = Some(path);
                self.select_added();
            }
            Err(e) => self.message = Some(e),
        }
    }

    /// Selects the article just added, once the library lists it.
    pub(crate) fn select_added(&mut self) {
        let Some(path) = &self.select_when_listed else { return };
        if let Some(i) = self.library.articles.iter().position(|a| &a.meta.path == path) {
            self.select_when_listed = None;
            if !self.view.contains(&i) {
                // A filter or search hides it: show everything.
                self.filter = Filter::default();
                self.search = None;
                self.rebuild_view();
            }
            self.focus = Focus::List;
            self.select(i);
        }
    }

    /// Starts (or restarts) the full-text search for `query`.
    pub fn set_search(&mut self, query: &str) {
        if query.trim().is_empty() {
            self.clear_search();
            return;
        }
        let n = self.library.articles.len();
        self.search = Some(SearchState {
            query: query.to_string(),
            generation: 0,
            matches: vec![false; n],
            scanned: 0,
            total: n,
            done: false,
            snippets: Default::default(),
        });
        self.effects.push(Effect::Search(query.to_string()));
        self.rebuild_view();
    }

    pub fn clear_search(&mut self) {
        if self.search.take().is_some() {
            self.effects.push(Effect::Search(String::new()));
            self.rebuild_view();
        }
    }

    /// The loop started the search for `query` as `generation`.
    pub fn search_started(&mut self, query: &str, generation: u64) {
        if let Some(s) = self.search.as_mut()
            && s.query == query
        {
            s.generation = generation;
        }
    }

    /// Results streaming in from the search worker.
    pub fn on_search_event(&mut self, event: SearchEvent) {
        let Some(s) = self.search.as_mut() else { return };
        match event {
            SearchEvent::Batch { generation, matches, snippets, scanned, total } if generation == s.generation => {
                for &i in &matches {
                    if let Some(m) = s.matches.get_mut(i) {
                        *m = true;
                    }
                }
                s.snippets.extend(snippets);
                s.scanned = scanned;
                s.total = total;
                // Batches come in list order: in date order (the library's), their results go
                // after what is listed.
                let after = |v: &[usize]| matches.first().is_none_or(|&f| v.last().is_none_or(|&l| l < f));
                if self.sort == Sort::Date
                    && self.searching()
                    && matches.windows(2).all(|w| w[0] < w[1])
                    && after(&self.view)
                {
                    self.extend_view(&matches);
                } else {
                    self.rebuild_view();
                }
            }
            SearchEvent::Done { generation, scanned, total } if generation == s.generation => {
                s.scanned = scanned;
                s.total = total;
                s.done = true;
            }
            _ => {}
        }
    }
}

/// How many files that came, changed or went the list takes in at a time between keys
/// ([`App::arrive`]): at 100,000 articles a step costs a few moves of the whole list's places
/// and a little for each file (0.2–0.9 ms in all for 25; 0.5–1.8 ms for 100).
pub const ARRIVING_STEP: usize = 25;

/// Tags first, then outlets, then language pairs.
fn rank(f: &Facet) -> u8 {
    match f {
        Facet::Feed(_) => 0,
        Facet::Tag(_) => 1,
        Facet::Outlet(_) => 2,
        Facet::Languages(_) => 3,
    }
}

/// See [`App::replace_library_quietly`].
struct KeptPlace {
    selected_id: Option<String>,
    /// The reader's cursor, first row and whether it moved.
    place: Option<(usize, usize, bool)>,
    before: usize,
    body_ids: Vec<String>,
}
