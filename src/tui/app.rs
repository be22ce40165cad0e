//! The reader's state and the one function that changes it.

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::layout::Rect;

use super::action::Action;
use super::find::Find;
use super::keymap::{Context, Keymap};
use super::library_view::{Facet, Filter, Prompt, PromptKind, SearchState, Sort};
use super::theme::Theme;
use crate::article::Article;
use crate::library::Library;
use crate::render::{self, Layout, Mode, Options};
use crate::state::State;

/// Below this many columns the list and the reader are separate full screens.
pub const WIDE_LAYOUT_MIN: u16 = 100;
/// The smallest terminal that gets the real interface.
pub const MIN_SIZE: (u16, u16) = (40, 10);
/// Article bodies kept in memory at once.
pub const BODIES_KEPT: usize = 16;
/// Rows each article takes in the list.
pub const LIST_ITEM_HEIGHT: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Problems,
    /// Choosing a tag, outlet or language pair to filter by; the cursor is in `overlay_scroll`.
    Picker(Vec<(Facet, usize)>),
    /// Choosing a feed to fetch (`F`).
    FeedPicker(Vec<(Facet, usize)>),
    /// Everything known about the selected article (`i`); see [`super::info`].
    Info,
}

/// Something the loop does for `update`, which itself touches neither disk nor terminal.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start a full-text search (an empty query cancels).
    Search(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Open a URL with the configured command.
    Open(String),
    /// Scan the library folder again.
    Reload,
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
    /// Clear the terminal and draw the whole screen again.
    Redraw,
    /// Read and pair the body of the article file at this path, on a worker.
    LoadBody(PathBuf, String),
    /// Lay a long article out on a worker, for the layouts of `generation`.
    LayOut { key: LayoutKey, generation: u64, article: Box<Article> },
    /// Read the reading state again if another session changed it (an article is opened: it
    /// opens at the newest saved place, whichever session saved it).
    SyncState,
    /// Add the article at this URL (or file), on a worker.
    Add(String),
    /// Machine-translate the article of this file, on a worker.
    Translate(PathBuf),
    /// Stop adding it: nothing is written.
    CancelAdd,
    /// Stop translating: what came is kept.
    CancelTranslate,
    /// Fetch the feeds (all, or the one named), on a worker.
    Fetch(Option<String>),
    /// Read the subscriptions for the feed picker.
    PickFeed,
    /// Hand the terminal to `$EDITOR` on this article file, then read the file again.
    Edit(PathBuf),
    /// Change the pairing of one pair in its article file, then show what the file holds.
    EditPairing(super::pairing::PairingEdit),
    /// Put an article file back as it was before a pairing edit.
    UndoPairing(super::pairing::Undo),
}

/// Where everything goes on a screen of a given size; shared by `update` and `view` so they
/// agree on page sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub too_small: bool,
    /// List and reader side by side.
    pub wide: bool,
    /// A wide terminal with the reader on the whole width (the list hidden while reading).
    pub zoomed: bool,
    pub list: Rect,
    pub reader: Rect,
    pub status: Rect,
}

impl Geometry {
    /// The screen of a terminal `width`×`height`; `zoom` gives the reader the whole width of a
    /// wide terminal; `list_width` is the list's width when it sits beside the reader.
    pub fn new(width: u16, height: u16, zoom: bool, list_width: u16) -> Geometry {
        let too_small = width < MIN_SIZE.0 || height < MIN_SIZE.1;
        let main = Rect::new(0, 0, width, height.saturating_sub(1));
        let status = Rect::new(0, height.saturating_sub(1), width, height.min(1));
        let zoomed = zoom && width >= WIDE_LAYOUT_MIN;
        let wide = width >= WIDE_LAYOUT_MIN && !zoomed;
        let (list, reader) = if wide {
            let lw = list_width.min(width);
            (Rect { width: lw, ..main }, Rect { x: lw, width: width - lw, ..main })
        } else {
            (main, main)
        };
        Geometry { too_small, wide, zoomed, list, reader, status }
    }

    /// The text area inside the reader's border.
    pub fn reader_inner(&self) -> Rect {
        inner(self.reader)
    }

    pub fn list_inner(&self) -> Rect {
        inner(self.list)
    }

    /// The columns of each pane that scroll by themselves: the list's and the reader's inside
    /// their borders when they stand side by side; none when one pane has the whole width.
    pub fn panes(&self) -> Vec<std::ops::Range<u16>> {
        if !self.wide {
            return Vec::new();
        }
        [self.list_inner(), self.reader_inner()].iter().map(|r| r.x..r.x + r.width).collect()
    }
}

fn inner(r: Rect) -> Rect {
    Rect { x: r.x + 1, y: r.y + 1, width: r.width.saturating_sub(2), height: r.height.saturating_sub(2) }
}

/// The article in the reader pane, laid out for the current mode and width.
#[derive(Debug, Clone)]
pub struct Reader {
    pub index: usize,
    pub layout: Arc<Layout>,
    /// The first row on screen.
    pub scroll: usize,
    /// The reading cursor: the current paragraph group.
    pub current: usize,
    /// The reader moved since the article was opened (a place saved by another session no
    /// longer moves it).
    pub moved: bool,
    /// Where the last re-layout meant to put the cursor paragraph, while the reader has not
    /// moved since: see [`Anchor`].
    pub anchor: Option<Anchor>,
}

/// The place of the cursor paragraph on screen that re-layouts keep: the screen row of its
/// first line, or, when it starts above the screen, how far into it the top row is. A re-layout
/// that cannot keep it (a shorter screen) records the place it meant, so a re-layout back to
/// the old size restores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// The scroll and cursor the re-layout left; the anchor holds while both are unchanged.
    pub scroll: usize,
    pub current: usize,
    /// The place meant.
    pub place: Place,
}

/// Where a paragraph is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Its first line is on this screen row.
    Row(usize),
    /// It starts above the screen: the top row is `into` of its `rows` rows.
    Into { into: usize, rows: usize },
    /// The top of the article is on screen.
    Top,
}

/// Layouts already made, by article, mode, width and column order, so switching modes back
/// and forth or returning to an article does not wrap it again. At most `LayoutCache::CAPACITY`
/// layouts and about `LayoutCache::ROWS` rows are kept (a very long article's layout alone).
#[derive(Default)]
pub struct LayoutCache {
    entries: Vec<(LayoutKey, Arc<Layout>)>,
    /// Counts the clears: a layout made on a worker for an older generation is dropped.
    pub generation: u64,
}

/// Article index, mode, width, swapped.
pub use crate::jobs::LayoutKey;

impl LayoutCache {
    const CAPACITY: usize = 8;
    const ROWS: usize = 1_000_000;

    /// The layout for `key`, now the most recently used.
    fn get(&mut self, key: LayoutKey) -> Option<Arc<Layout>> {
        let i = self.entries.iter().position(|(k, _)| *k == key)?;
        let entry = self.entries.remove(i);
        let layout = entry.1.clone();
        self.entries.push(entry);
        Some(layout)
    }

    fn insert(&mut self, key: LayoutKey, layout: Arc<Layout>) -> Arc<Layout> {
        self.entries.retain(|(k, _)| *k != key);
        self.entries.push((key, layout.clone()));
        let mut rows: usize = self.entries.iter().map(|(_, l)| l.len()).sum();
        while self.entries.len() > 1 && (self.entries.len() > Self::CAPACITY || rows > Self::ROWS) {
            rows -= self.entries[0].1.len();
            self.entries.remove(0);
        }
        layout
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.generation += 1;
    }

    /// The layouts follow their articles to their new places (`to`); those of articles
    /// taken out (`None`) are dropped.
    pub fn move_articles(&mut self, to: impl Fn(usize) -> Option<usize>) {
        self.entries.retain_mut(|(k, _)| match to(k.0) {
            Some(i) => {
                k.0 = i;
                true
            }
            None => false,
        });
    }

    /// Drops the layouts of article `index`.
    pub fn forget(&mut self, index: usize) {
        self.entries.retain(|(k, _)| k.0 != index);
    }
}

/// Articles with more groups than this are laid out on a worker.
pub const LAYOUT_ON_WORKER: usize = 3_000;

pub struct App {
    pub library: Library,
    pub theme: Theme,
    pub keymap: Keymap,
    pub options: Options,
    pub mode: Mode,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: usize,
    /// The selected article, an index into `library.articles`.
    pub selected: usize,
    /// The articles the list shows (filtered, searched, sorted), as indices into
    /// `library.articles`.
    pub view: Vec<usize>,
    /// The first position of `view` on screen.
    pub list_offset: usize,
    pub reader: Option<Reader>,
    pub layouts: LayoutCache,
    /// The other language of the current paragraph, in a popup (one-language modes).
    pub peek: bool,
    /// A one-line message for the status line, cleared by the next key.
    pub message: Option<String>,
    /// Read, starred and position of every article.
    pub state: State,
    pub filter: Filter,
    pub sort: Sort,
    /// The full-text search of the list, while one is active.
    pub search: Option<SearchState>,
    /// A line being typed (search or find).
    pub prompt: Option<Prompt>,
    /// Matches of a find in the open article.
    pub find: Option<Find>,
    /// Articles whose bodies are in memory, least recently used first.
    pub bodies: std::collections::VecDeque<usize>,
    /// Files over this size are not read.
    pub max_file_size: u64,
    /// Unread articles in the library, counted when the library or the reading state changes.
    pub unread: usize,
    /// Work for the loop, taken by [`App::take_effects`].
    pub effects: Vec<Effect>,
    /// The URL opener is available (not over SSH, a command or $BROWSER is set).
    pub can_open_urls: bool,
    pub size: (u16, u16),
    /// The reader takes the whole width of a wide terminal while it has the focus
    /// (`[reader] full_width`, switched with `z`).
    pub zoom: bool,
    /// The library is still being read: what is being done, for the status line and the list.
    pub loading: Option<String>,
    /// The file whose body a worker is reading.
    pub body_pending: Option<PathBuf>,
    /// The file whose body could not be read, and why (shown in the reader pane).
    pub body_error: Option<(PathBuf, String)>,
    /// The layout a worker is making, and the generation of the layouts it is made for.
    pub layout_pending: Option<(LayoutKey, u64)>,
    /// The article opened before its body came: it becomes read when the body is on screen.
    read_when_shown: Option<PathBuf>,
    /// An article being added from the web: how far it is, for the status line.
    pub adding: Option<String>,
    /// The file of an article just added, to select when the library lists it.
    pub select_when_listed: Option<PathBuf>,
    /// An article being machine-translated: its file, and how far it is for the status line.
    pub translating: Option<(PathBuf, String)>,
    /// Where the reader was in an article whose body is being read again (the library was
    /// read again): the article's id, the cursor, the first row on screen, and whether it moved.
    pub(crate) kept_place: Option<(String, usize, usize, bool)>,
    /// A fetch of the feeds under way.
    pub fetching: Option<super::fetching::FetchStatus>,
    /// The ids of the articles fetched during this session: marked new in the list.
    pub fresh: std::collections::HashSet<String>,
    /// What has been typed into the open picker to narrow its entries.
    pub picker_query: String,
    /// The last find in an article: the default of the next (`/` then Enter or Up).
    pub last_find: Option<String>,
    /// How the list is drawn (`[list]`).
    pub list_options: super::library_view::ListOptions,
    /// Copies also go into tmux's buffer (bitext runs inside tmux).
    pub copy_to_tmux: bool,
    /// The pairing edits of this session that can be undone, the last at the end.
    pub undo: Vec<super::pairing::Undo>,
    /// Files that came, changed or went, waiting to be taken into the list a step at a time
    /// between keys ([`App::arrive`]).
    pub arriving: Vec<crate::library::Checked>,
    pub quit: bool,
}

impl App {
    pub fn new(library: Library, theme: Theme, options: Options, mode: Mode) -> App {
        let mut app = App {
            library,
            theme,
            keymap: Keymap::default(),
            options,
            mode,
            focus: Focus::List,
            overlay: None,
            overlay_scroll: 0,
            selected: 0,
            view: Vec::new(),
            list_offset: 0,
            reader: None,
            layouts: LayoutCache::default(),
            peek: false,
            message: None,
            state: State::empty(),
            filter: Filter::default(),
            sort: Sort::Date,
            search: None,
            prompt: None,
            find: None,
            effects: Vec::new(),
            unread: 0,
            bodies: std::collections::VecDeque::new(),
            max_file_size: crate::library::DEFAULT_MAX_FILE_SIZE,
            can_open_urls: false,
            size: (0, 0),
            zoom: false,
            loading: None,
            body_pending: None,
            body_error: None,
            layout_pending: None,
            read_when_shown: None,
            kept_place: None,
            adding: None,
            select_when_listed: None,
            translating: None,
            fetching: None,
            fresh: Default::default(),
            picker_query: String::new(),
            last_find: None,
            list_options: Default::default(),
            copy_to_tmux: false,
            undo: Vec::new(),
            arriving: Vec::new(),
            quit: false,
        };
        app.rebuild_view();
        app
    }

    /// The effects `update` asked for, in order.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// A key press: through the prompt while one is open, into the picker's filter while one
    /// is open (see [`App::picker_key`]), else through the keymap. A key that does something
    /// only in the other pane says where it works.
    pub fn handle_key(&mut self, key: &ratatui::crossterm::event::KeyEvent) {
        let action = if self.prompt.is_some() {
            super::keymap::prompt_action(key)
        } else if let Some(a) = self.picker_key(key) {
            Some(a)
        } else {
            self.keymap.action(key, self.context())
        };
        match action {
            Some(a) => self.update(a),
            None => self.key_bound_elsewhere(key),
        }
    }

    /// How to press action `name` (its first key in force), for hints such as "? help".
    pub fn key_hint(&self, name: &str) -> String {
        self.keymap.keys_of(name).into_iter().next().unwrap_or_else(|| name.to_string())
    }

    /// The keymap context of the pane with the focus. The article info takes the reader's
    /// keys (`o` opens, `y` and `Y` copy), from the list too.
    pub fn context(&self) -> Context {
        if self.overlay == Some(Overlay::Info) {
            return Context::Reader;
        }
        match self.focus {
            Focus::List => Context::List,
            Focus::Reader => Context::Reader,
        }
    }

    pub fn geometry(&self) -> Geometry {
        Geometry::new(self.size.0, self.size.1, self.zoom && self.focus == Focus::Reader, self.list_width(self.size.0))
    }

    pub fn selected_article(&self) -> Option<&Article> {
        self.library.articles.get(self.selected).map(Box::as_ref)
    }

    pub fn reader_article(&self) -> Option<&Article> {
        self.reader.as_ref().and_then(|r| self.library.articles.get(r.index)).map(Box::as_ref)
    }

    /// Whether the reader pane is on screen.
    pub fn reader_visible(&self) -> bool {
        self.geometry().wide || self.focus == Focus::Reader
    }

    pub(crate) fn page_height(&self) -> usize {
        usize::from(self.geometry().reader_inner().height).max(1)
    }

    fn list_capacity(&self) -> usize {
        (usize::from(self.geometry().list_inner().height) / self.list_item_height()).max(1)
    }

    pub fn update(&mut self, action: Action) {
        // Opening or leaving the reader can widen or narrow it (see `zoom`): lay out again.
        let before = self.geometry();
        self.apply(action);
        let after = self.geometry();
        // Nothing is laid out for a terminal too small to show it: the reader keeps its place
        // for when the terminal grows again.
        if after != before && !after.too_small {
            self.relayout();
            self.keep_selection_visible();
        }
    }

    fn apply(&mut self, action: Action) {
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            if !self.geometry().too_small {
                self.relayout();
                self.keep_selection_visible();
            }
            return;
        }
        if action == Action::Quit {
            self.quit = true;
            return;
        }
        if action == Action::Suspend {
            self.effects.push(Effect::Suspend);
            return;
        }
        if action == Action::Redraw {
            self.effects.push(Effect::Redraw);
            return;
        }
        // Nothing is on screen but "too small": nothing may change unseen. Back quits.
        if self.geometry().too_small {
            if action == Action::Back {
                self.quit = true;
            }
            return;
        }
        self.message = None;
        if self.prompt.is_some() {
            self.update_prompt(action);
            return;
        }
        if self.overlay.is_some() {
            self.update_overlay(action);
            return;
        }
        if self.peek && matches!(action, Action::Back | Action::Cancel | Action::Peek) {
            self.peek = false;
            return;
        }
        match action {
            Action::Back if self.focus == Focus::Reader => self.focus = Focus::List,
            Action::Back => self.quit = true,
            Action::Cancel if self.adding.is_some() => {
                self.adding = None;
                self.effects.push(Effect::CancelAdd);
                self.message = Some("adding the article cancelled; nothing was written".into());
            }
            Action::AddArticle => self.start_prompt(PromptKind::AddUrl),
            Action::Cancel if self.translating.is_some() => {
                self.translating = None;
                self.effects.push(Effect::CancelTranslate);
                self.message = Some("translation stopped; what came is kept".into());
            }
            Action::Translate => self.start_translate(),
            Action::FetchFeeds => self.fetch_all(),
            Action::FetchFeed => self.choose_feed(),
            Action::Cancel if self.focus == Focus::Reader && self.find.is_some() => self.find = None,
            Action::Cancel if self.focus == Focus::List && self.narrowed() => self.clear_narrowing(),
            Action::Cancel => self.focus = Focus::List,
            Action::Help => self.open_overlay(Overlay::Help),
            Action::Problems => self.open_overlay(Overlay::Problems),
            Action::ToggleFocus | Action::Open if self.focus == Focus::List => self.open_selected(),
            Action::ToggleFocus => self.focus = Focus::List,
            Action::Peek => match self.reader.as_ref().map(|r| r.layout.mode) {
                Some(Mode::Translation | Mode::Source) => self.peek = true,
                Some(_) => self.message = Some("both languages are already on screen".into()),
                None => {}
            },
            Action::Open => {}
            Action::CycleMode => self.set_mode(self.mode.next()),
            Action::SetMode(m) => self.set_mode(m),
            Action::Swap => {
                self.options.swap = !self.options.swap;
                self.relayout();
            }
            Action::Zoom if self.size.0 < WIDE_LAYOUT_MIN => {
                self.message = Some(format!("the list and the reader share the screen from {WIDE_LAYOUT_MIN} columns"))
            }
            Action::Zoom => {
                self.zoom = !self.zoom;
                self.message = Some(
                    if self.zoom { "reading on the whole width" } else { "the list stays beside the reader" }.into(),
                );
            }
            Action::ToggleRead => self.toggle_read(),
            Action::ToggleStar => self.toggle_star(),
            Action::Search => self.start_prompt(PromptKind::Search),
            Action::Find => self.start_prompt(PromptKind::Find),
            Action::FilterUnread => {
                self.filter.unread = !self.filter.unread;
                self.rebuild_view();
            }
            Action::FilterStarred => {
                self.filter.starred = !self.filter.starred;
                self.rebuild_view();
            }
            Action::Picker => self.open_picker(),
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.rebuild_view();
            }
            Action::FindNext => self.find_step(true),
            Action::FindPrev => self.find_step(false),
            Action::CopyParagraph => self.copy_paragraph(),
            Action::CopyUrl => self.copy_url(),
            Action::OpenUrl => self.open_url(),
            Action::Info => self.open_info(),
            Action::Edit => self.edit(),
            Action::JoinPair => self.edit_pair(crate::pairing_edit::Edit::Join),
            Action::SplitPair => self.edit_pair(crate::pairing_edit::Edit::Split),
            Action::UnlinkPair => self.edit_pair(crate::pairing_edit::Edit::Unlink),
            Action::UndoPairing => self.undo_pairing(),
            Action::NextUnread => self.step_unread(true),
            Action::PrevUnread => self.step_unread(false),
            Action::MarkAllRead => self.mark_all_read(),
            Action::Reload => {
                self.effects.push(Effect::Reload);
                // Reading an article's body is tried again too (a file may be readable now).
                self.body_error = None;
                self.message = Some("reloading the library…".into());
            }
            _ if self.focus == Focus::List => self.move_selection(action),
            _ => self.scroll(action),
        }
        self.note_position();
    }

    /// Opens the selected article in the reader and marks it read (once its body is on screen:
    /// one that cannot be read is not marked). The reading state is read again if another
    /// session changed it, so the article opens where it was last left.
    pub(crate) fn open_selected(&mut self) {
        if self.view.contains(&self.selected)
            && let Some(a) = self.selected_article()
        {
            let (id, path, loaded) = (a.meta.id.clone(), a.meta.path.clone(), !a.groups.is_empty());
            self.focus = Focus::Reader;
            // A search result opens with the search's words found in it.
            if let Some(q) = self.search.as_ref().map(|s| s.query.clone()).filter(|q| !q.trim().is_empty())
                && self.find.as_ref().is_none_or(|f| f.query != q)
            {
                self.carry_search(&q);
            }
            self.effects.push(Effect::SyncState);
            if loaded && self.reader.is_some() {
                self.state.set_read(&id, true);
                self.count_unread();
            } else {
                self.read_when_shown = Some(path);
            }
        }
    }

    /// Does here, on this thread, the work `update` gave to workers (reading a body, laying out
    /// a long article) and the pairing edits the loop writes, through the same entry points the
    /// loop uses, and drops the other effects. For tests and benchmarks, which drive an `App`
    /// without the loop.
    pub fn settle(&mut self) {
        for _ in 0..4 {
            for effect in self.take_effects() {
                match effect {
                    Effect::LoadBody(path, id) => {
                        let body = Library::read_body(&path, &id, self.max_file_size).map_err(|d| d.to_string());
                        self.body_arrived(path, body);
                    }
                    Effect::LayOut { key, generation, article } => {
                        let layout = crate::jobs::layout_for(&article, key, &self.options);
                        self.layout_arrived(key, generation, Arc::new(layout));
                    }
                    Effect::EditPairing(request) => self.pairing_done(super::pairing::edit(&request)),
                    Effect::UndoPairing(undo) => self.pairing_done(super::pairing::undo(undo)),
                    _ => {}
                }
            }
        }
    }

    /// `T`: machine-translate the open (or selected) article.
    fn start_translate(&mut self) {
        if self.translating.is_some() {
            self.message = Some("an article is being translated; Esc stops it".into());
            return;
        }
        let article = if self.focus == Focus::Reader { self.reader_article() } else { self.selected_article() };
        let Some(a) = article else { return };
        if a.groups.is_empty() {
            self.message = Some("the article is still being read; try again in a moment".into());
            return;
        }
        if a.groups.iter().all(|g| !g.translation.is_empty() || g.source.is_empty()) {
            self.message = Some("every paragraph has a translation".into());
            return;
        }
        let path = a.meta.path.clone();
        self.translating = Some((path.clone(), "translating…".into()));
        self.effects.push(Effect::Translate(path));
    }

    /// A group's machine translation came: it is shown at once, the reading place kept.
    pub fn translation_progress(&mut self, path: PathBuf, ready: crate::translate::fill::GroupReady) {
        if let Some((p, status)) = self.translating.as_mut()
            && *p == path
        {
            *status = format!("translating {}/{}", ready.done, ready.total);
        }
        let Some(i) = self.library.articles.iter().position(|a| a.meta.path == path) else { return };
        let a = &mut self.library.articles[i];
        if ready.group >= a.groups.len() {
            return;
        }
        let mut groups = a.groups.to_vec();
        groups[ready.group].translation = ready.translation;
        groups[ready.group].machine = true;
        a.groups = groups.into();
        self.layouts.forget(i);
        if i == self.selected {
            self.relayout();
        }
    }

    /// Translating ended.
    pub fn translation_finished(&mut self, path: PathBuf, result: Result<String, String>) {
        if self.translating.as_ref().is_some_and(|(p, _)| *p == path) {
            self.translating = None;
        }
        self.message = Some(match result {
            Ok(line) | Err(line) => line,
        });
    }

    /// The body of the file at `path` came from its worker.
    pub fn body_arrived(&mut self, path: PathBuf, result: Result<crate::jobs::Body, String>) {
        if self.body_pending.as_ref() == Some(&path) {
            self.body_pending = None;
        }
        let i = match self.library.articles.get(self.selected) {
            Some(a) if a.meta.path == path => self.selected,
            _ => match self.library.articles.iter().position(|a| a.meta.path == path) {
                Some(i) => i,
                None => return,
            },
        };
        match result {
            Ok(body) => {
                let a = &mut self.library.articles[i];
                if a.groups.is_empty() {
                    a.groups = body.groups;
                    a.pairing = body.pairing;
                    a.meta.summary = body.summary;
                }
                if self.body_error.as_ref().is_some_and(|(p, _)| *p == path) {
                    self.body_error = None;
                }
                self.keep_body(i);
                if i == self.selected {
                    self.relayout();
                }
            }
            Err(message) => {
                if i == self.selected {
                    self.message = Some(message.clone());
                    self.reader = None;
                }
                if self.read_when_shown.as_ref() == Some(&path) {
                    self.read_when_shown = None;
                }
                self.body_error = Some((path, message));
            }
        }
    }

    /// A layout made on a worker.
    pub fn layout_arrived(&mut self, key: LayoutKey, generation: u64, layout: Arc<Layout>) {
        if self.layout_pending == Some((key, generation)) {
            self.layout_pending = None;
        }
        if generation != self.layouts.generation {
            // Made for layouts cleared since (the library changed meanwhile): the reader asks
            // again for what it shows now, unless it already has.
            if key.0 == self.selected {
                self.relayout();
            }
            return;
        }
        self.layouts.insert(key, layout);
        if key.0 == self.selected {
            self.relayout();
        }
    }

    /// The reading state as another session left it on disk: taken in field by field, and an
    /// article just opened (not moved in since) goes to the place saved last, by whichever
    /// session.
    pub fn state_synced(&mut self, entries: &std::collections::BTreeMap<String, crate::state::ArticleState>) {
        if !self.state.absorb(entries) {
            return;
        }
        if self.filter.unread || self.filter.starred {
            self.rebuild_view();
        } else {
            self.count_unread();
        }
        let page = self.page_height();
        if self.focus == Focus::Reader
            && let Some(r) = self.reader.as_mut()
            && !r.moved
            && let Some(a) = self.library.articles.get(r.index)
        {
            let last = r.layout.group_starts.len().saturating_sub(1);
            let saved = self.state.get(&a.meta.id).position.min(last);
            if saved != r.current {
                r.current = saved;
                r.scroll = if saved == 0 { 0 } else { r.layout.group_rows(saved).start.min(max_scroll(r, page)) };
            }
        }
    }

    /// The id of the article `m`, `*`, `y` act on: the open one in the reader, else the selected.
    fn target_id(&self) -> Option<String> {
        let article = if self.focus == Focus::Reader { self.reader_article() } else { self.selected_article() };
        article.filter(|_| !self.view.is_empty() || self.focus == Focus::Reader).map(|a| a.meta.id.to_string())
    }

    fn toggle_read(&mut self) {
        if let Some(id) = self.target_id() {
            let read = self.state.toggle_read(&id);
            self.count_unread();
            self.message = Some(if read { "marked read" } else { "marked unread" }.into());
        }
    }

    fn toggle_star(&mut self) {
        if let Some(id) = self.target_id() {
            let starred = self.state.toggle_star(&id);
            self.message = Some(if starred { "starred" } else { "unstarred" }.into());
        }
    }

    /// Records the reading position of the open article in the reading state.
    fn note_position(&mut self) {
        if self.focus == Focus::Reader
            && let Some(r) = &self.reader
            && let Some(a) = self.library.articles.get(r.index)
        {
            let (id, current) = (a.meta.id.clone(), r.current);
            self.state.set_position(&id, current);
        }
    }

    fn copy_paragraph(&mut self) {
        let Some(r) = &self.reader else { return };
        let Some(g) = self.library.articles.get(r.index).and_then(|a| a.groups.get(r.current)) else { return };
        let mut parts: Vec<&str> = g.source.iter().map(String::as_str).collect();
        parts.extend(g.translation.iter().map(String::as_str));
        let text = parts.join("\n\n");
        let what = format!("paragraph {} ({} characters)", r.current + 1, text.chars().count());
        self.copy(&what, text);
    }

    fn copy_url(&mut self) {
        match self.info_article().and_then(|a| a.meta.url.clone()) {
            Some(url) => self.copy("the URL", url),
            None => self.message = Some("this article has no URL".into()),
        }
    }

    fn open_url(&mut self) {
        match self.info_article().and_then(|a| a.meta.url.clone()) {
            Some(url) if self.can_open_urls => {
                self.message = Some(format!("opening {url}"));
                self.effects.push(Effect::Open(url));
            }
            // Nothing here can open it (over SSH): the article info shows it whole, to select.
            Some(_) => self.show_url(),
            None => self.message = Some("this article has no URL".into()),
        }
    }

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    fn update_overlay(&mut self, action: Action) {
        if let Some(Overlay::Picker(_) | Overlay::FeedPicker(_)) = &self.overlay {
            self.update_picker(action);
            return;
        }
        if self.overlay == Some(Overlay::Info) {
            self.update_info(action);
            return;
        }
        match action {
            Action::Back | Action::Cancel => self.overlay = None,
            Action::Help if self.overlay == Some(Overlay::Help) => self.overlay = None,
            Action::Problems if self.overlay == Some(Overlay::Problems) => self.overlay = None,
            Action::Help => self.open_overlay(Overlay::Help),
            Action::Problems => self.open_overlay(Overlay::Problems),
            Action::Down => self.overlay_scroll = self.overlay_scroll.saturating_add(1),
            Action::Up => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => {
                self.overlay_scroll = self.overlay_scroll.saturating_add(self.page_height() / 2)
            }
            Action::PageUp | Action::HalfPageUp => {
                self.overlay_scroll = self.overlay_scroll.saturating_sub(self.page_height() / 2)
            }
            Action::Top => self.overlay_scroll = 0,
            // The view clamps it to the end.
            Action::Bottom => self.overlay_scroll = usize::MAX,
            _ => {}
        }
        // The view clamps the scroll to the overlay's length.
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        if !matches!(mode, Mode::Translation | Mode::Source) {
            self.peek = false;
        }
        self.relayout();
    }

    fn move_selection(&mut self, action: Action) {
        let n = self.view.len();
        if n == 0 {
            return;
        }
        let page = self.list_capacity();
        let last = n - 1;
        let s = self.view_position().unwrap_or(0);
        let target = match action {
            Action::Down => (s + 1).min(last),
            Action::Up => s.saturating_sub(1),
            Action::PageDown => (s + page).min(last),
            Action::PageUp => s.saturating_sub(page),
            Action::HalfPageDown => (s + page / 2).max(s + 1).min(last),
            Action::HalfPageUp => s.saturating_sub((page / 2).max(1)),
            Action::Top => 0,
            Action::Bottom => last,
            _ => s,
        };
        self.select(self.view[target]);
    }

    /// Where the selected article is in the list.
    pub fn view_position(&self) -> Option<usize> {
        self.view_place(self.selected)
    }

    /// Where the list shows article `i`. In date order the list's places ascend, so they are
    /// halved (a look through 100,000 places costs a key a tenth of a millisecond); a place
    /// found that way is right whatever the order, and one not found is looked for in turn.
    pub(crate) fn view_place(&self, i: usize) -> Option<usize> {
        if self.sort == Sort::Date
            && let Ok(p) = self.view.binary_search(&i)
        {
            return Some(p);
        }
        self.view.iter().position(|&v| v == i)
    }

    /// Selects article `i` (an index into `library.articles`).
    pub fn select(&mut self, i: usize) {
        if i >= self.library.articles.len() {
            return;
        }
        if i != self.selected || self.reader.is_none() {
            if i != self.selected {
                // Coming back to an article that could not be read tries again.
                self.body_error = None;
            }
            self.selected = i;
            self.reader = None;
            self.find = None;
            self.relayout();
        }
        self.keep_selection_visible();
    }

    pub(crate) fn keep_selection_visible(&mut self) {
        let cap = self.list_capacity();
        let pos = self.view_position().unwrap_or(0);
        if pos < self.list_offset {
            self.list_offset = pos;
        } else if pos >= self.list_offset + cap {
            self.list_offset = pos + 1 - cap;
        }
        self.list_offset = self.list_offset.min(self.view.len().saturating_sub(cap));
    }

    /// Keeps at most [`BODIES_KEPT`] bodies in memory, forgetting the least recently used.
    fn keep_body(&mut self, i: usize) {
        self.bodies.retain(|&b| b != i);
        self.bodies.push_back(i);
        while self.bodies.len() > BODIES_KEPT {
            if let Some(old) = self.bodies.pop_front() {
                self.library.drop_body(old);
                self.layouts.forget(old);
            }
        }
    }

    /// Lays the selected article out again for the current size and mode. The current
    /// paragraph keeps its place on screen; a newly selected article opens where it was left.
    /// A body not in memory is read on a worker, and a long article laid out on one: the reader
    /// shows that it is coming, and the keys stay live meanwhile.
    pub fn relayout(&mut self) {
        let Some(article) = self.library.articles.get(self.selected) else {
            self.reader = None;
            return;
        };
        if article.groups.is_empty() {
            let path = &article.meta.path;
            self.reader = None;
            if self.body_error.as_ref().is_none_or(|(p, _)| p != path) && self.body_pending.as_ref() != Some(path) {
                self.body_pending = Some(path.clone());
                self.effects.push(Effect::LoadBody(path.clone(), article.meta.id.to_string()));
            }
            return;
        }
        self.keep_body(self.selected);
        let article = &self.library.articles[self.selected];
        let width = usize::from(self.geometry().reader_inner().width);
        let key = (self.selected, self.mode, width, self.options.swap);
        let layout = match self.layouts.get(key) {
            Some(layout) => layout,
            None if article.groups.len() > LAYOUT_ON_WORKER => {
                let generation = self.layouts.generation;
                if self.layout_pending != Some((key, generation)) {
                    self.layout_pending = Some((key, generation));
                    self.effects.push(Effect::LayOut { key, generation, article: article.clone() });
                }
                // Until it comes, a reader on this article keeps the layout it has.
                if self.reader.as_ref().is_some_and(|r| r.index != self.selected) {
                    self.reader = None;
                }
                return;
            }
            None => self.layouts.insert(key, Arc::new(render::layout(article, self.mode, width, &self.options))),
        };
        let id = article.meta.id.clone();
        let last = layout.group_starts.len().saturating_sub(1);
        let page = self.page_height();
        let (current, scroll, moved, meant) = match &self.reader {
            Some(r) if r.index == self.selected => {
                // The cursor paragraph stays the cursor paragraph, at the place on screen it
                // had (or that the last re-layout meant for it), as near as the screen allows.
                let current = r.current.min(last);
                let place = match r.anchor {
                    Some(a) if a.scroll == r.scroll && a.current == r.current => a.place,
                    _ => place_of(r),
                };
                (current, scroll_for(&layout, current, place, page), r.moved, Some(place))
            }
            _ => match (self.kept_place.take(), self.state.get(&id).position) {
                (Some((kept, current, scroll, moved)), _) if kept == id => {
                    let current = current.min(last);
                    let scroll = if group_visible(&layout, current, scroll, page) {
                        scroll
                    } else {
                        scroll_for(&layout, current, Place::Row(0), page)
                    };
                    (current, scroll, moved, None)
                }
                (_, g) if g > 0 => {
                    let g = g.min(last);
                    (g, layout.group_rows(g).start, false, None)
                }
                _ => (0, 0, false, None),
            },
        };
        let mut reader = Reader { index: self.selected, layout, scroll, current, moved, anchor: None };
        reader.scroll = reader.scroll.min(max_scroll(&reader, page));
        reader.anchor = meant.map(|place| Anchor { scroll: reader.scroll, current, place });
        self.reader = Some(reader);
        self.refresh_find();
        if self.focus == Focus::Reader
            && self.read_when_shown.as_ref() == Some(&self.library.articles[self.selected].meta.path)
        {
            self.read_when_shown = None;
            self.state.set_read(&id, true);
            self.count_unread();
        }
    }

    fn scroll(&mut self, action: Action) {
        let page = self.page_height();
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        r.moved = true;
        let max = max_scroll(r, page);
        let s = r.scroll;
        let last = r.layout.group_starts.len().saturating_sub(1);
        match action {
            Action::NextParagraph => {
                r.current = (r.current + 1).min(last);
                self.show_current();
                return;
            }
            Action::PrevParagraph => {
                r.current = r.current.saturating_sub(1);
                self.show_current();
                return;
            }
            Action::Top => r.current = 0,
            Action::Bottom => r.current = last,
            _ => {}
        }
        r.scroll = match action {
            Action::Down => s + 1,
            Action::Up => s.saturating_sub(1),
            Action::HalfPageDown => s + (page / 2).max(1),
            Action::HalfPageUp => s.saturating_sub((page / 2).max(1)),
            Action::PageDown => s + page.saturating_sub(1).max(1),
            Action::PageUp => s.saturating_sub(page.saturating_sub(1).max(1)),
            Action::Top => 0,
            Action::Bottom => max,
            _ => s,
        }
        .min(max);
        let down = r_scrolled_down(s, self.reader.as_ref());
        if matches!(action, Action::PageDown | Action::PageUp | Action::HalfPageDown | Action::HalfPageUp) {
            self.cursor_to_page(down);
        } else {
            self.keep_current_visible(down);
        }
    }

    /// After a page move: a cursor paragraph that does not start on the new screen moves to the
    /// first paragraph that does, or, when none starts on it, to the paragraph that fills it. So
    /// a page never leaves the cursor on the last line of a paragraph at the top of the screen.
    fn cursor_to_page(&mut self, down: bool) {
        let page = self.page_height();
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let view = r.scroll..r.scroll + page;
        let starts = &r.layout.group_starts;
        if starts.get(r.current).is_some_and(|s| view.contains(s)) {
            return;
        }
        let first = starts.partition_point(|&s| s < view.start);
        let filling = r.layout.group_at(view.start).filter(|&g| group_visible(&r.layout, g, view.start, page));
        if starts.get(first).is_some_and(|s| view.contains(s)) {
            r.current = first;
        } else if let Some(g) = filling {
            r.current = g;
        } else {
            self.keep_current_visible(down);
        }
    }

    /// Scrolls as little as possible to show the whole current paragraph (its start, if it
    /// is taller than the screen).
    pub(crate) fn show_current(&mut self) {
        let page = self.page_height();
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let rows = r.layout.group_rows(r.current);
        let last = r.current + 1 == r.layout.group_starts.len();
        if r.current == 0 && rows.end <= page {
            r.scroll = 0;
        } else if last && rows.len() < page {
            // The last paragraph: show the end of the article.
            r.scroll = max_scroll(r, page);
        } else if rows.start < r.scroll || rows.len() > page {
            r.scroll = rows.start;
        } else if rows.end > r.scroll + page {
            r.scroll = rows.end - page;
        }
        r.scroll = r.scroll.min(max_scroll(r, page));
    }

    /// After the view moved: a cursor that left the screen moves onto it, to the first
    /// paragraph in view when scrolling down and the last when scrolling up.
    fn keep_current_visible(&mut self, down: bool) {
        let page = self.page_height();
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let view = r.scroll..r.scroll + page;
        let visible = |g: usize| {
            let rows = r.layout.group_rows(g);
            rows.start < view.end && rows.end.max(rows.start + 1) > view.start
        };
        if visible(r.current) {
            return;
        }
        // The group at the top (or bottom) row of the screen, or its neighbour when that row is
        // the blank after a group: found by binary search, so this costs nothing on long articles.
        let n = r.layout.group_starts.len();
        let edge = if down { view.start } else { view.end.saturating_sub(1) };
        let at = r.layout.group_at(edge).unwrap_or(0);
        let candidates = if down { [at, at + 1] } else { [at, at.saturating_sub(1)] };
        if let Some(g) = candidates.into_iter().find(|&g| g < n && visible(g)) {
            r.current = g;
        }
    }

    /// The current paragraph group (1-based) and the number of groups.
    pub fn paragraph_position(&self) -> Option<(usize, usize)> {
        let r = self.reader.as_ref()?;
        let total = r.layout.group_starts.len();
        Some(((r.current + 1).min(total), total))
    }

    /// How far through the article the bottom of the screen is, in percent (as `less` shows it).
    pub fn percent(&self) -> Option<usize> {
        let r = self.reader.as_ref()?;
        let rows = r.layout.len().max(1);
        Some(((r.scroll + self.page_height()).min(rows) * 100) / rows)
    }
}

/// Where the reader's cursor paragraph is on its screen.
fn place_of(r: &Reader) -> Place {
    let rows = r.layout.group_rows(r.current);
    if r.scroll == 0 {
        Place::Top
    } else if rows.start >= r.scroll {
        Place::Row(rows.start - r.scroll)
    } else {
        Place::Into { into: r.scroll - rows.start, rows: rows.len() }
    }
}

/// The first row on a screen of `page` rows that puts group `g` of `layout` at `place`, or, when
/// it would not be whole on screen there, as near to it as shows it whole (its start at the top
/// when it is taller than the screen). A paragraph that started above the screen keeps the same
/// share of it above the screen.
fn scroll_for(layout: &Layout, g: usize, place: Place, page: usize) -> usize {
    let rows = layout.group_rows(g);
    let len = rows.len().max(1);
    // The lowest screen row its start may be on with all of it in view.
    let lowest = page.saturating_sub(len);
    match place {
        // The top stays in view while the paragraph is whole on it (the first paragraph: while
        // it starts on it, so the title stays).
        Place::Top if rows.start + len <= page || (g == 0 && rows.start < page) => 0,
        Place::Into { into, rows: before } if before > 0 => rows.start + (into * len / before).min(len - 1),
        Place::Row(row) => rows.start.saturating_sub(row.min(lowest)),
        _ => rows.start.saturating_sub(lowest),
    }
}

/// Whether any row of group `g` is on a screen of `page` rows from row `scroll`.
fn group_visible(layout: &Layout, g: usize, scroll: usize, page: usize) -> bool {
    let rows = layout.group_rows(g);
    rows.start < scroll + page && rows.end.max(rows.start + 1) > scroll
}

fn r_scrolled_down(before: usize, r: Option<&Reader>) -> bool {
    r.is_some_and(|r| r.scroll >= before)
}

/// The last row that may be at the top of the screen: the end of the text fills the last page.
pub fn max_scroll(r: &Reader, page: usize) -> usize {
    r.layout.len().saturating_sub(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    fn app() -> App {
        let library = Library::scan(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/articles"))).unwrap();
        let config = Config::default();
        let mut app = App::new(library, Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
        app.update(Action::Resize(120, 40));
        app.select(0);
        app
    }

    #[test]
    fn enter_opens_and_q_goes_back_then_quits() {
        let mut a = app();
        a.update(Action::Open);
        assert_eq!(a.focus, Focus::Reader);
        a.update(Action::Back);
        assert_eq!(a.focus, Focus::List);
        assert!(!a.quit);
        a.update(Action::Back);
        assert!(a.quit);
    }

    #[test]
    fn list_moves_and_clamps() {
        let mut a = app();
        let n = a.library.articles.len();
        a.update(Action::Up);
        assert_eq!(a.selected, 0);
        a.update(Action::Bottom);
        assert_eq!(a.selected, n - 1);
        a.update(Action::Down);
        assert_eq!(a.selected, n - 1);
        a.update(Action::Top);
        assert_eq!(a.selected, 0);
    }

    #[test]
    fn reader_scrolls_by_line_page_and_paragraph() {
        let mut a = app();
        a.update(Action::Open);
        a.update(Action::Down);
        assert_eq!(a.reader.as_ref().unwrap().scroll, 1);
        a.update(Action::Top);
        a.update(Action::Bottom);
        let page = a.page_height();
        let r = a.reader.as_ref().unwrap();
        assert_eq!(r.scroll, r.layout.len() - page);
        assert_eq!(a.percent(), Some(100));
        a.update(Action::Down);
        assert_eq!(a.reader.as_ref().unwrap().scroll, r_len(&a) - page, "never past the end");
        a.update(Action::PageUp);
        assert_eq!(a.reader.as_ref().unwrap().scroll, r_len(&a) - page - (page - 1));
    }

    fn cursor(a: &App) -> (usize, usize, std::ops::Range<usize>) {
        let r = a.reader.as_ref().unwrap();
        (r.current, r.scroll, r.layout.group_rows(r.current))
    }

    #[test]
    fn cursor_moves_by_paragraph_and_stays_visible() {
        let mut a = app();
        a.update(Action::Open);
        assert_eq!(cursor(&a).0, 0);
        let page = a.page_height();
        for expected in 1..10 {
            a.update(Action::NextParagraph);
            let (current, scroll, rows) = cursor(&a);
            assert_eq!(current, expected);
            assert!(rows.start >= scroll && rows.end <= scroll + page, "paragraph {current} fully on screen");
        }
        a.update(Action::PrevParagraph);
        assert_eq!(cursor(&a).0, 8);
        let (_, scroll, rows) = cursor(&a);
        assert!(rows.start >= scroll);
    }

    #[test]
    fn line_scrolling_carries_the_cursor_along() {
        let mut a = app();
        a.update(Action::Open);
        for _ in 0..3 {
            a.update(Action::PageDown);
        }
        let (current, scroll, rows) = cursor(&a);
        assert!(current > 0);
        assert!(rows.end > scroll, "the cursor moved onto the screen");
        let before = current;
        a.update(Action::Top);
        assert_eq!(cursor(&a).0, 0);
        a.update(Action::Bottom);
        assert!(cursor(&a).0 > before);
    }

    #[test]
    fn peek_opens_only_in_one_language_modes() {
        let mut a = app();
        a.update(Action::Open);
        a.update(Action::Peek);
        assert!(a.peek);
        a.update(Action::NextParagraph);
        assert!(a.peek, "moving keeps the peek open");
        a.update(Action::Cancel);
        assert!(!a.peek);
        assert_eq!(a.focus, Focus::Reader, "Esc closed the peek first");
        a.update(Action::SetMode(Mode::SideBySide));
        a.update(Action::Peek);
        assert!(!a.peek);
        assert!(a.message.is_some());
    }

    fn r_len(a: &App) -> usize {
        a.reader.as_ref().unwrap().layout.len()
    }

    #[test]
    fn mode_change_and_resize_keep_the_paragraph() {
        let mut a = app();
        a.update(Action::Open);
        for _ in 0..10 {
            a.update(Action::NextParagraph);
        }
        let before = a.paragraph_position().unwrap().0;
        let screen_row = |a: &App| {
            let (_, scroll, rows) = cursor(a);
            rows.start as isize - scroll as isize
        };
        let at = screen_row(&a);
        a.update(Action::SetMode(Mode::Source));
        assert_eq!(screen_row(&a), at, "same place on screen after a mode change");
        a.update(Action::Resize(160, 50));
        assert_eq!(screen_row(&a), at, "same place on screen after a resize");
        a.update(Action::SetMode(Mode::SideBySide));
        assert_eq!(a.paragraph_position().unwrap().0, before);
        a.update(Action::Resize(160, 50));
        assert_eq!(a.paragraph_position().unwrap().0, before);
        a.update(Action::CycleMode);
        assert_eq!(a.mode, Mode::Interleaved);
        assert_eq!(a.paragraph_position().unwrap().0, before);
    }

    #[test]
    fn switching_articles_remembers_where_each_was_left() {
        let mut a = app();
        a.update(Action::Open);
        a.update(Action::NextParagraph);
        a.update(Action::NextParagraph);
        a.update(Action::NextParagraph);
        let left_at = a.paragraph_position().unwrap().0;
        a.update(Action::Back);
        a.update(Action::Down);
        assert_eq!(a.paragraph_position().unwrap().0, 1);
        a.update(Action::Up);
        assert_eq!(a.paragraph_position().unwrap().0, left_at);
    }

    #[test]
    fn overlays_open_and_close() {
        let mut a = app();
        a.update(Action::Help);
        assert_eq!(a.overlay, Some(Overlay::Help));
        a.update(Action::Down);
        assert_eq!(a.selected, 0, "keys go to the overlay");
        a.update(Action::Back);
        assert_eq!(a.overlay, None);
        assert!(!a.quit);
        a.update(Action::Problems);
        a.update(Action::Problems);
        assert_eq!(a.overlay, None);
    }
}
