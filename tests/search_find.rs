//! The library search (whole words, phrases, snippets under the results, the query carried into
//! the article opened), find in an article (an empty prompt with the last find as its default,
//! both languages whatever the mode), and the list beside the reader (its width from the text
//! width, `[list] width`, the compact style, tags on the facts line): the App drawn into
//! ratatui's TestBackend at 80×24, 120×40 and 200×50, and the real binary in a PTY.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::search::{Query, SearchEvent, SearchIndex, Searcher};
use bitext::tui::app::Focus;
use bitext::tui::library_view::ListOptions;
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App, view};
use common::pty::{ENTER, SAMPLE_LIBRARY, Spawn, copy_library};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";
const JEJU: &str = "ko/jeju-haenyeo-unesco";
const CANAL: &str = "zh/grand-canal-heritage-decade";
const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

fn library() -> Library {
    Library::scan(Path::new(SAMPLE_LIBRARY)).unwrap()
}

fn app_with(library: Library, w: u16, h: u16, list: ListOptions) -> App {
    let config = Config::default();
    let mut app = App::new(library, Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
    app.list_options = list;
    app.update(Action::Resize(w, h));
    app.select(0);
    app.settle();
    app
}

fn app(w: u16, h: u16) -> App {
    app_with(library(), w, h, ListOptions::default())
}

fn select_id(app: &mut App, id: &str) {
    let i = app.library.articles.iter().position(|a| a.meta.id == id).unwrap();
    app.select(i);
    app.settle();
}

fn open(app: &mut App, id: &str) {
    select_id(app, id);
    app.update(Action::Open);
    app.settle();
}

fn draw(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    t.backend().buffer().clone()
}

/// Row `y` of columns `x0..x1`, wide characters counted once, with the column each character
/// starts at.
fn row_cells(buf: &Buffer, y: u16, x0: u16, x1: u16) -> (String, Vec<u16>) {
    let (mut s, mut at) = (String::new(), Vec::new());
    let mut x = x0;
    while x < x1 {
        let sym = buf[(x, y)].symbol();
        for c in sym.chars() {
            s.push(c);
            at.push(x);
        }
        x += sym.width().max(1) as u16;
    }
    (s, at)
}

/// The screen's rows in columns `x0..x1`.
fn rows_in(buf: &Buffer, x0: u16, x1: u16) -> Vec<String> {
    (0..buf.area.height).map(|y| row_cells(buf, y, x0, x1).0).collect()
}

fn screen(app: &App) -> Vec<String> {
    let buf = draw(app);
    rows_in(&buf, 0, buf.area.width)
}

/// The list pane's rows.
fn list_rows(app: &App) -> Vec<String> {
    let buf = draw(app);
    let g = app.geometry();
    rows_in(&buf, g.list.x, g.list.x + g.list.width)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::PromptChar(c));
    }
}

/// Runs `query` on the searcher the reader uses (an on-disk index: bodies read from the files,
/// snippets made from them) and hands every event to `app`, as the loop does.
fn search(app: &mut App, query: &str) {
    app.update(Action::Search);
    app.update(Action::PromptClear);
    type_text(app, query);
    let index = Arc::new(SearchIndex::on_disk(&app.library.articles));
    let (tx, rx) = mpsc::channel();
    let searcher = Searcher::with_threads(index, 1, move |e| {
        let _ = tx.send(e);
    });
    let generation = searcher.start(query);
    app.search_started(query, generation);
    loop {
        let e = rx.recv_timeout(Duration::from_secs(10)).expect("the search ends");
        let done = matches!(e, SearchEvent::Done { .. });
        app.on_search_event(e);
        if done {
            break;
        }
    }
    app.update(Action::PromptAccept);
}

fn ids_in_view(app: &App) -> Vec<String> {
    app.view.iter().map(|&i| app.library.articles[i].meta.id.to_string()).collect()
}

fn message(app: &App) -> String {
    app.message.clone().unwrap_or_default()
}

// Item 8: the library search.

/// `Oh Se` found the Grand Canal article for its `Doha` and `several`; words match whole now.
#[test]
fn search_matches_whole_words_not_fragments() {
    let lib = library();
    let index = SearchIndex::on_disk(&lib.articles);
    let ids = |q: &str| -> Vec<String> {
        index.search(&Query::parse(q)).into_iter().map(|i| lib.articles[i].meta.id.to_string()).collect()
    };
    assert_eq!(ids("Oh Se"), [FORUM]);
    assert_eq!(ids("doha several"), [CANAL], "whole words still match");
    assert!(ids("oha").is_empty() && ids("evera").is_empty());
    // Korean: a word matches at the start of a word, its endings free.
    assert!(ids("서울").contains(&FORUM.to_string()));
    assert_eq!(ids("해녀"), [JEJU], "`해녀들은`, `해녀문화` start with `해녀`");
    assert!(ids("녀들").is_empty(), "but not in the middle of one");
}

#[test]
fn quoted_phrases_need_their_words_in_sequence() {
    let lib = library();
    let index = SearchIndex::on_disk(&lib.articles);
    let ids = |q: &str| -> Vec<String> {
        index.search(&Query::parse(q)).into_iter().map(|i| lib.articles[i].meta.id.to_string()).collect()
    };
    assert_eq!(ids("\"welcome address\""), [FORUM]);
    assert!(ids("\"address welcome\"").is_empty());
    assert_eq!(ids("address welcome"), [FORUM], "unquoted, the words may be anywhere");
    assert_eq!(ids("\"mayor oh se-hoon\""), [FORUM]);
}

/// A result whose body holds the query shows where, under its title, the words marked.
#[test]
fn results_show_a_snippet_with_the_match_marked() {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        // In the body only: the title, source title, outlet and tags do not have it.
        search(&mut a, "불턱");
        assert_eq!(ids_in_view(&a), [JEJU]);
        let buf = draw(&a);
        let g = a.geometry();
        let (x0, x1) = (g.list.x, g.list.x + g.list.width);
        let y = (0..h).find(|&y| row_cells(&buf, y, x0, x1).0.contains("불턱")).unwrap_or_else(|| {
            panic!("{w}x{h}: no snippet with 불턱 in the list:\n{}", rows_in(&buf, x0, x1).join("\n"))
        });
        let (text, at) = row_cells(&buf, y, x0, x1);
        assert!(text.contains("Five years after") || rows_in(&buf, x0, x1)[usize::from(y) - 1].contains("Five years"));
        let k = text.char_indices().position(|(i, _)| text[i..].starts_with("불턱")).unwrap();
        for x in [at[k], at[k + 1]] {
            assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED), "{w}x{h}: 불턱 marked at column {x}");
        }
        assert!(!buf[(at[0], y)].modifier.contains(Modifier::REVERSED));
        assert_eq!(text.width(), usize::from(x1 - x0), "{w}x{h}: the snippet fits: {text:?}");
    }
}

/// A match in the metadata shows the field it is in; one in the title is marked in the title.
#[test]
fn results_matched_in_the_metadata_mark_the_field() {
    let mut a = app(200, 50);
    search(&mut a, "숨비소리로");
    assert_eq!(ids_in_view(&a), [JEJU]);
    let rows = list_rows(&a);
    assert!(rows.iter().any(|r| r.contains("유네스코 등재 5년…숨비소리로")), "the source title:\n{}", rows.join("\n"));
    search(&mut a, "haenyeo");
    let buf = draw(&a);
    let g = a.geometry();
    let y =
        (0..50).find(|&y| row_cells(&buf, y, g.list.x, g.list.x + g.list.width).0.contains("Jeju's haenyeo")).unwrap();
    let (text, at) = row_cells(&buf, y, g.list.x, g.list.x + g.list.width);
    let k = text.char_indices().position(|(i, _)| text[i..].starts_with("haenyeo")).unwrap();
    assert!(buf[(at[k], y)].modifier.contains(Modifier::REVERSED), "haenyeo marked in the title: {text}");
}

/// Opening a search result finds the query in it; `n` goes to the first match of the article
/// even when the article opens further down, where it was left.
#[test]
fn opening_a_result_carries_the_query_into_the_reader() {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        let jeju = a.library.articles.iter().position(|x| x.meta.id == JEJU).unwrap();
        a.state.set_position(JEJU, 9);
        search(&mut a, "haenyeo");
        a.select(jeju);
        a.update(Action::Open);
        a.settle();
        assert_eq!(a.focus, Focus::Reader);
        let f = a.find.as_ref().expect("a find for the search's query");
        assert_eq!(f.query, "haenyeo");
        assert!(f.hits.len() > 3, "{w}x{h}: matches highlighted: {}", f.hits.len());
        assert!(message(&a).contains("finding \"haenyeo\""), "{}", message(&a));
        let scroll = a.reader.as_ref().unwrap().scroll;
        assert!(scroll > 0 || h == 50, "{w}x{h}: the article opened where it was left");
        a.update(Action::FindNext);
        let f = a.find.as_ref().unwrap();
        assert_eq!(f.current, Some(0), "{w}x{h}: n goes to the first match");
        assert!(scroll == 0 || f.hits[0].row < scroll, "the first match is above where the article opened");
        assert_eq!(message(&a), format!("match 1 of {}", f.stops.len()), "no (wrapped): nothing wrapped");
        let r = a.reader.as_ref().unwrap();
        assert!(
            r.scroll <= f.hits[0].row && f.hits[0].row < r.scroll + usize::from(a.geometry().reader_inner().height),
            "on screen"
        );
    }
}

// Item 9: find in an article.

#[test]
fn slash_starts_empty_with_the_last_find_as_its_default() {
    let mut a = app(120, 40);
    open(&mut a, FORUM);
    a.update(Action::Find);
    type_text(&mut a, "해녀");
    a.update(Action::PromptAccept);
    a.update(Action::Find);
    let p = a.prompt.as_ref().unwrap();
    assert_eq!((p.text.as_str(), p.default.as_deref()), ("", Some("해녀")));
    type_text(&mut a, "서울시");
    assert_eq!(a.prompt.as_ref().unwrap().text, "서울시", "typing does not append to the old find");
    assert_eq!(a.find.as_ref().unwrap().query, "서울시");
    let status = screen(&a).pop().unwrap();
    assert!(status.contains("find [해녀]: 서울시"), "{status}");
    assert!(!status.contains("해녀서울시"), "{status}");
    a.update(Action::PromptAccept);
    assert_eq!(a.last_find.as_deref(), Some("서울시"));
}

#[test]
fn enter_on_the_empty_line_repeats_the_find_and_up_recalls_it() {
    let mut a = app(120, 40);
    open(&mut a, FORUM);
    a.update(Action::SetMode(Mode::SideBySide));
    a.update(Action::Find);
    type_text(&mut a, "Seoul");
    a.update(Action::PromptAccept);
    let n = a.find.as_ref().unwrap().stops.len();
    assert!(n > 3);
    assert_eq!(message(&a), format!("match 1 of {n}"));
    a.update(Action::Find);
    a.update(Action::PromptAccept);
    assert_eq!(message(&a), format!("match 2 of {n}"), "Enter on the empty line: the next match");
    a.update(Action::Find);
    a.update(Action::PromptRecall);
    assert_eq!(a.prompt.as_ref().unwrap().text, "Seoul");
    a.update(Action::PromptAccept);
    assert_eq!(message(&a), format!("match 3 of {n}"), "the recalled find goes on");
    // With no find at all (Esc cleared it), the default is the last one still.
    a.update(Action::Cancel);
    assert!(a.find.is_none());
    a.update(Action::Find);
    assert_eq!(a.prompt.as_ref().unwrap().default.as_deref(), Some("Seoul"));
    a.update(Action::PromptAccept);
    assert_eq!(a.find.as_ref().map(|f| f.query.as_str()), Some("Seoul"));
    assert!(message(&a).starts_with("match ") && message(&a).ends_with(&format!(" of {n}")), "{}", message(&a));
}

/// In translation-only mode a Korean word is found in the hidden source: the cursor goes to
/// its paragraph, and the status line says how to see it.
#[test]
fn find_looks_in_the_hidden_language_too() {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        open(&mut a, FORUM);
        assert_eq!(a.reader.as_ref().unwrap().layout.mode, Mode::Translation);
        a.update(Action::Find);
        type_text(&mut a, "다목적홀");
        let f = a.find.as_ref().unwrap();
        assert!(f.hits.is_empty(), "nothing on screen");
        let groups: Vec<usize> = f.hidden.iter().map(|h| h.group).collect();
        assert!(!groups.is_empty());
        assert!(message(&a).contains("of the source (hidden): press 2 or 3 to see it"), "{}", message(&a));
        a.update(Action::PromptAccept);
        let expected = format!("match 1 of {} in the source (hidden): press 2 or 3 to see it", groups.len());
        assert_eq!(message(&a), expected);
        assert_eq!(a.reader.as_ref().unwrap().current, groups[0], "{w}x{h}: the cursor is on its pair");
        let body = a.library.articles[a.reader.as_ref().unwrap().index].groups[groups[0]].source.join(" ");
        assert!(body.contains("다목적홀"));
        // Side by side shows it, highlighted.
        a.update(Action::SetMode(Mode::SideBySide));
        let f = a.find.as_ref().unwrap();
        assert!(!f.hits.is_empty() && f.hidden.is_empty(), "{w}x{h}");
        // In source-only mode the English is hidden and found the same way.
        a.update(Action::SetMode(Mode::Source));
        a.update(Action::Find);
        type_text(&mut a, "multipurpose hall");
        a.update(Action::PromptAccept);
        assert!(message(&a).contains("in the translation (hidden): press 1 or 3 to see it"), "{}", message(&a));
    }
}

#[test]
fn the_first_find_says_wrapped_only_when_it_wrapped() {
    let mut a = app(120, 40);
    open(&mut a, JEJU);
    a.update(Action::Find);
    type_text(&mut a, "haenyeo");
    a.update(Action::PromptAccept);
    let n = a.find.as_ref().unwrap().stops.len();
    assert!(n > 1);
    assert_eq!(message(&a), format!("match 1 of {n}"));
    a.update(Action::FindPrev);
    assert_eq!(message(&a), format!("match {n} of {n} (wrapped)"));
    a.update(Action::FindNext);
    assert_eq!(message(&a), format!("match 1 of {n} (wrapped)"));
    // From the bottom, the next match is above: that wraps.
    a.update(Action::Bottom);
    a.update(Action::Find);
    type_text(&mut a, "haenyeo");
    a.update(Action::PromptAccept);
    let last_row = a.find.as_ref().unwrap().hits.last().unwrap().row;
    if last_row < a.reader.as_ref().unwrap().scroll {
        assert!(message(&a).ends_with("(wrapped)"), "{}", message(&a));
    }
}

// Item 5: the list beside the reader.

#[test]
fn the_list_gets_what_the_reader_does_not_use() {
    let mut a = app(200, 50);
    // Translation: the reader wants 80 columns of text, the gutter, a free column and its border.
    assert_eq!((a.geometry().list.width, a.geometry().reader.width), (113, 87));
    let title = &a.library.articles.iter().find(|x| x.meta.id == FORUM).unwrap().meta.title.clone();
    assert!(list_rows(&a).iter().any(|r| r.contains(title.as_str())), "the whole title is readable");
    a.update(Action::SetMode(Mode::SideBySide));
    assert_eq!(a.geometry().list.width, 40, "side by side wants 170: the list keeps a fifth");
    a.update(Action::SetMode(Mode::Interleaved));
    assert_eq!(a.geometry().list.width, 113);
    let a = app(120, 40);
    assert_eq!((a.geometry().list.width, a.geometry().reader.width), (33, 87));
    let a = app(100, 30);
    assert_eq!(a.geometry().list.width, 30, "at least 30 columns");
    assert!(!app(80, 24).geometry().wide);
    // The reader's text is not cut: a full 80 columns beside the list.
    let mut a = app(200, 50);
    select_id(&mut a, FORUM);
    let r = a.reader.as_ref().unwrap();
    let widest = r
        .layout
        .rows(0..r.layout.len())
        .flat_map(|row| row.cells().map(|c| c.x + c.text.width()).collect::<Vec<_>>())
        .max();
    assert!(widest.unwrap() <= usize::from(a.geometry().reader_inner().width));
    assert!(r.layout.plain_lines().iter().any(|l| l.trim().width() > 70), "lines are as wide as max_width allows");
}

#[test]
fn list_width_can_be_fixed() {
    let fixed = |w: u16, h: u16, width: u16| app_with(library(), w, h, ListOptions { width, compact: false });
    assert_eq!(fixed(200, 50, 60).geometry().list.width, 60);
    assert_eq!(fixed(200, 50, 150).geometry().list.width, 150);
    assert_eq!(fixed(120, 40, 150).geometry().list.width, 70, "the reader keeps 50 columns");
    assert_eq!(fixed(120, 40, 5).geometry().list.width, 20, "at least 20");
    let a = fixed(120, 40, 60);
    let rows = list_rows(&a);
    assert!(rows.iter().all(|r| r.width() == 60), "the list is drawn 60 wide");
}

/// Compact rows: marker, date, title on one row; about twenty articles on 80×24.
#[test]
fn compact_list_has_one_row_per_article() {
    let dir = tempfile::tempdir().unwrap();
    for copy in ["a", "b", "c"] {
        copy_library(Path::new(SAMPLE_LIBRARY), &dir.path().join(copy));
    }
    let lib = Library::scan(dir.path()).unwrap();
    assert_eq!(lib.articles.len(), 24);
    for (w, h) in SIZES {
        let a = app_with(lib.clone(), w, h, ListOptions { width: 0, compact: true });
        let rows = list_rows(&a);
        let dated: Vec<&String> = rows.iter().filter(|r| r.contains("-0") || r.contains("-1")).collect();
        let expected = usize::from(h - 3).min(24);
        assert_eq!(dated.len(), expected, "{w}x{h}: one row each:\n{}", rows.join("\n"));
        let newest = rows.iter().find(|r| r.contains("How Japan")).unwrap_or_else(|| panic!("{}", rows.join("\n")));
        assert!(newest.contains("●  2025-03-24 How Japan"), "{newest}");
        let two_rows = app_with(lib.clone(), w, h, ListOptions::default());
        assert_eq!(two_rows.list_item_height(), 2);
        assert_eq!(a.list_item_height(), 1);
    }
    // Moving a page moves as many articles as the list shows.
    let mut a = app_with(lib, 80, 24, ListOptions { width: 0, compact: true });
    a.update(Action::PageDown);
    assert_eq!(a.view_position(), Some(21));
    // A search shows its snippets on a second row.
    search(&mut a, "불턱");
    assert_eq!(a.list_item_height(), 2);
    assert!(list_rows(&a).iter().any(|r| r.contains("불턱")));
}

// Item 6: tags on the facts line.

#[test]
fn tags_follow_the_outlet_on_the_facts_line() {
    let a = app(200, 50);
    let rows = list_rows(&a);
    let facts = rows.iter().find(|r| r.contains("#north-korea")).unwrap_or_else(|| panic!("{}", rows.join("\n")));
    assert!(facts.contains("Hangang Morning Post · #north-korea #human-rights #seoul #defectors"), "{facts}");
    for (w, h) in [(80, 24), (120, 40)] {
        let a = app(w, h);
        let rows = list_rows(&a);
        let facts = rows.iter().find(|r| r.contains("2024-07-11 ·")).unwrap();
        assert_eq!(facts.width(), usize::from(a.geometry().list.width), "{w}x{h}: cut to the list: {facts}");
        assert!(facts.contains('…') || facts.contains("#north-korea"), "{facts}");
    }
    // Wide (CJK) tags are cut by display width.
    let dir = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), dir.path());
    let file: PathBuf = dir.path().join("ko/seoul-forum-north-korean-human-rights.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "tags = [\"north korea\"",
        "tags = [\"북한인권\", \"탈북민\", \"서울시\", \"북한이탈주민의날\", \"north korea\"",
    );
    std::fs::write(&file, text).unwrap();
    // 48 columns before the tags, 58 inside the list's border: the tags are cut after 10.
    let a = app_with(Library::scan(dir.path()).unwrap(), 200, 50, ListOptions { width: 60, compact: false });
    let rows = list_rows(&a);
    let facts = rows.iter().find(|r| r.contains("#북한인권")).unwrap_or_else(|| panic!("{}", rows.join("\n")));
    assert_eq!(facts.width(), 60, "{facts}");
    assert!(facts.contains("Post · #북한인권 …") || facts.contains("Post · #북한인권…"), "{facts}");
}

// Configuration.

#[test]
fn list_config_keys_have_ranges() {
    let l = bitext::config::load_layer("[list]\nwidth = 60\ncompact = true\n", Path::new("c.toml")).unwrap();
    assert_eq!((l.config.list.width, l.config.list.compact), (60, true));
    let d = Config::default();
    assert_eq!((d.list.width, d.list.compact), (0, false));
    let e = bitext::config::load_layer("[list]\nwidth = 2000\n", Path::new("c.toml")).err().unwrap();
    assert!(e.to_string().contains("`list.width` = 2000 is out of range: use a whole number from 0 to 1000"), "{e}");
}

// The real binary.

fn config_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn pty_compact_list_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config_file(dir.path(), "[list]\ncompact = true\n");
    let mut tui = Spawn::new(80, 24).env("BITEXT_CONFIG", &cfg).start();
    tui.wait_for_text("8 articles");
    tui.wait_for("every article on a row of its own, date and title", |t| {
        t.rows().iter().filter(|r| r.contains("20") && r.contains('-')).count() >= 8
            && t.rows().iter().any(|r| r.contains("2024-07-11 Seoul hosts first"))
    });
}

#[test]
fn pty_search_snippet_and_the_query_carried_into_the_article() {
    // 80 columns: the list alone on the screen, so the snippet is the list's.
    let mut tui = Spawn::new(80, 24).start();
    tui.wait_for_text("8 articles");
    tui.send(b"/");
    tui.send("oh se".as_bytes());
    tui.wait_for_text("(1 found)");
    tui.wait_for("the snippet of the forum's body under its title", |t| t.contents().contains("Mayor Oh Se-hoon"));
    assert!(!tui.contents().contains("Grand Canal"), "Doha and several are not Oh and Se:\n{}", tui.framed_screen());
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for_text("finding \"oh se\"");
    tui.send(b"n");
    tui.wait_for_text("match 1 of");
}
