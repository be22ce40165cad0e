//! The reader drawn into ratatui's TestBackend: every mode at common sizes, the narrow layout,
//! the too-small message, overlays, and colours.

use std::path::Path;

use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::tui::app::Focus;
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use unicode_width::UnicodeWidthStr;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";

fn app_for(lib: &Path, w: u16, h: u16) -> App {
    app_with(Library::scan(lib).unwrap(), w, h)
}

fn app_with(library: Library, w: u16, h: u16) -> App {
    let config = Config::default();
    let mut app = App::new(library, Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
    app.update(Action::Resize(w, h));
    app.select(0);
    app
}

fn settle(app: &mut App) {
    app.settle();
}

fn app(w: u16, h: u16) -> App {
    app_for(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles"), w, h)
}

fn select_id(app: &mut App, id: &str) {
    let i = app.library.articles.iter().position(|a| a.meta.id == id).unwrap();
    app.select(i);
}

fn draw(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    t.backend().buffer().clone()
}

/// The screen as text rows, wide characters counted once.
fn rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = 0;
            while x < area.width {
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                x += sym.width().max(1) as u16;
            }
            s
        })
        .collect()
}

fn screen(app: &App) -> Vec<String> {
    rows(&draw(app))
}

#[test]
fn every_mode_renders_at_80x24_and_160x50() {
    for (w, h) in [(80, 24), (160, 50)] {
        for mode in Mode::ALL {
            let mut a = app(w, h);
            select_id(&mut a, FORUM);
            a.update(Action::Open);
            a.update(Action::SetMode(mode));
            let s = screen(&a);
            let status = s.last().unwrap();
            assert!(status.contains(mode.label()), "{w}x{h} {mode:?}: {status}");
            assert!(status.contains("ko→en") && status.contains("¶ 1/17"), "{status}");
            let body = s.join("\n");
            match mode {
                Mode::Translation => assert!(body.contains("Seoul") && !body.contains("서울시가")),
                Mode::Source => assert!(body.contains("서울시가") && !body.contains("The Seoul Metropolitan")),
                _ => assert!(body.contains("서울시가") && body.contains("The Seoul")),
            }
            for r in &s {
                assert_eq!(r.width(), usize::from(w), "every row fits: {r:?}");
            }
        }
    }
}

#[test]
fn side_by_side_shows_both_languages_on_one_row() {
    for (w, h) in [(80, 24), (160, 50)] {
        let mut a = app(w, h);
        select_id(&mut a, FORUM);
        a.update(Action::Open);
        a.update(Action::SetMode(Mode::SideBySide));
        let s = screen(&a);
        assert!(s.iter().any(|r| r.contains("서울시가") && r.contains("The Seoul")), "{w}x{h}:\n{}", s.join("\n"));
    }
}

#[test]
fn wide_layout_shows_list_and_reader_together() {
    let a = app(160, 50);
    let s = screen(&a).join("\n");
    assert!(s.contains("8 articles"));
    let first = &a.library.articles[0].meta;
    assert!(s.contains(first.id.as_str()), "the reader previews the selected article");
}

#[test]
fn narrow_layout_has_separate_screens() {
    let mut a = app(80, 24);
    let s = screen(&a).join("\n");
    assert!(s.contains("8 articles"));
    a.update(Action::Open);
    assert_eq!(a.focus, Focus::Reader);
    let s = screen(&a).join("\n");
    assert!(!s.contains("Library ·"), "the reader takes the whole screen");
    a.update(Action::Cancel);
    assert!(screen(&a).join("\n").contains("Library ·"));
}

#[test]
fn too_small_terminal_shows_a_message() {
    for (w, h) in [(39, 24), (80, 9), (20, 5)] {
        let a = app(w, h);
        let s = screen(&a).join("\n");
        assert!(s.contains("too small"), "{w}x{h}: {s}");
    }
    let a = app(40, 10);
    assert!(!screen(&a).join("\n").contains("too small"));
}

#[test]
fn renders_at_every_small_size_without_panicking() {
    let library = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap();
    for w in 0..=45 {
        for h in 0..=14 {
            let mut a = app_with(library.clone(), w, h);
            a.update(Action::Open);
            a.update(Action::SetMode(Mode::SideBySide));
            a.update(Action::Bottom);
            a.update(Action::Help);
            let _ = draw(&a);
        }
    }
}

#[test]
fn every_article_in_every_mode_scrolls_to_the_end() {
    let mut a = app(120, 40);
    let n = a.library.articles.len();
    for i in 0..n {
        a.select(i);
        a.update(Action::Open);
        for mode in Mode::ALL {
            a.update(Action::SetMode(mode));
            a.update(Action::Top);
            let _ = draw(&a);
            for _ in 0..40 {
                a.update(Action::NextParagraph);
            }
            let s = screen(&a);
            let (p, m) = a.paragraph_position().unwrap();
            assert!(p <= m);
            assert!(s.last().unwrap().contains("100%"), "{}", s.last().unwrap());
        }
        a.update(Action::Back);
    }
}

#[test]
fn missing_translation_shows_a_placeholder_in_its_column() {
    let mut a = app(160, 50);
    select_id(&mut a, "ko/jeju-haenyeo-unesco");
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    let buf = draw(&a);
    let s = rows(&buf);
    let y = s.iter().position(|r| r.contains("(no translation)")).expect("placeholder shown");
    let x = (0..buf.area.width).find(|&x| buf[(x, y as u16)].symbol() == "(").unwrap();
    assert!(x > a.geometry().reader.x + a.geometry().reader.width / 2, "in the right-hand column");
    assert_eq!(buf[(x, y as u16)].fg, Color::DarkGray, "dimmed");
}

#[test]
fn selected_article_is_highlighted_in_the_configured_colours() {
    let a = app(160, 50);
    let buf = draw(&a);
    let inner = a.geometry().list_inner();
    let cell = &buf[(inner.x + 2, inner.y)];
    assert_eq!(cell.bg, Color::Cyan);
    let next = &buf[(inner.x + 2, inner.y + 2)];
    assert_eq!(next.bg, Color::Reset);
}

#[test]
fn help_overlay_lists_the_bindings_in_force() {
    let mut a = app(120, 40);
    a.update(Action::Help);
    let s = screen(&a).join("\n");
    for (_, keys, help) in &a.keymap.help {
        assert!(s.contains(help), "{help} missing:\n{s}");
        assert!(s.contains(keys.as_str()), "{keys} missing");
    }
}

#[test]
fn problems_are_counted_and_listed() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut a = app_for(&lib, 120, 40);
    let s = screen(&a);
    assert!(s.last().unwrap().contains("7 files with errors (!)"), "{}", s.last().unwrap());
    a.update(Action::Problems);
    let s = screen(&a).join("\n");
    assert!(s.contains("syntax.toml:3:15"), "{s}");
    assert!(s.contains("the file is empty"));
    assert!(s.contains("Problems: 7 error(s), 2 warning(s)"));
}

#[test]
fn swap_puts_the_translation_on_the_left() {
    let mut a = app(160, 50);
    select_id(&mut a, FORUM);
    a.update(Action::SetMode(Mode::SideBySide));
    a.update(Action::Swap);
    let s = screen(&a);
    let row = s.iter().find(|r| r.contains("서울시가")).unwrap();
    assert!(row.find("The Seoul").unwrap() < row.find("서울시가").unwrap(), "{row}");
    assert!(s.last().unwrap().contains("swapped"));
}

#[test]
fn reading_cursor_is_drawn_beside_both_columns_and_moves() {
    let mut a = app(160, 50);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    a.update(Action::NextParagraph);
    let buf = draw(&a);
    let r = a.reader.as_ref().unwrap();
    let inner = a.geometry().reader_inner();
    let row = r.layout.group_rows(r.current).start - r.scroll;
    let y = inner.y + row as u16;
    let bar = &buf[(inner.x + r.layout.bar.unwrap() as u16, y)];
    assert_eq!(bar.symbol(), "▌");
    assert_eq!(bar.fg, Color::Cyan, "the cursor bar uses the accent colour");
    let divider = &buf[(inner.x + r.layout.divider.unwrap() as u16, y)];
    assert_eq!(divider.fg, Color::Cyan, "the divider is lit beside the current paragraph");
    let other = r.layout.group_rows(r.current + 1).start - r.scroll;
    assert_ne!(buf[(inner.x + r.layout.bar.unwrap() as u16, inner.y + other as u16)].symbol(), "▌");
    assert!(rows(&buf).last().unwrap().contains("¶ 2/17"));
}

#[test]
fn peek_shows_the_other_language_of_the_current_paragraph() {
    let mut a = app(120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::Translation));
    assert!(!screen(&a).join("\n").contains("서울시가"));
    a.update(Action::Peek);
    let s = screen(&a).join("\n");
    assert!(s.contains("source · ko"), "{s}");
    assert!(s.contains("서울시가"), "the Korean of the first paragraph: {s}");
    a.update(Action::NextParagraph);
    a.update(Action::SetMode(Mode::Source));
    let s = screen(&a).join("\n");
    assert!(s.contains("translation · en"), "the peek stays open and follows the mode: {s}");
    a.update(Action::Peek);
    assert!(!screen(&a).join("\n").contains("translation · en"), "p again closes it");
}

#[test]
fn gutter_marks_groups_without_a_partner() {
    let mut a = app(160, 50);
    select_id(&mut a, "ko/jeju-haenyeo-unesco");
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    let s = screen(&a);
    assert!(s.iter().any(|r| r.contains("1:0") && r.contains("(no translation)")), "{}", s.join("\n"));
}

#[test]
fn aligned_article_says_how_it_was_paired() {
    let mut a = app(160, 50);
    select_id(&mut a, "ko/cheonggyecheon-restoration");
    a.update(Action::Open);
    let s = screen(&a).join("\n");
    assert!(s.contains("aligned: "), "{s}");
}

#[test]
fn side_by_side_falls_back_when_narrow_and_comes_back() {
    let mut a = app(60, 24);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    let s = screen(&a);
    assert!(s.last().unwrap().contains("interleaved (too narrow"), "{}", s.last().unwrap());
    a.update(Action::Resize(120, 40));
    let s = screen(&a);
    let status = s.last().unwrap();
    assert!(status.contains("side by side") && !status.contains("too narrow"), "{status}");
}

fn ids_in_view(a: &App) -> Vec<String> {
    a.view.iter().map(|&i| a.library.articles[i].meta.id.to_string()).collect()
}

#[test]
fn unread_and_starred_filters() {
    let mut a = app(120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::Back);
    a.update(Action::ToggleStar);
    a.update(Action::FilterUnread);
    assert!(!ids_in_view(&a).contains(&FORUM.to_string()), "the read article is hidden");
    assert_eq!(a.view.len(), 7);
    assert!(screen(&a).join("\n").contains("unread only"));
    a.update(Action::FilterUnread);
    a.update(Action::FilterStarred);
    assert_eq!(ids_in_view(&a), vec![FORUM.to_string()]);
    assert!(screen(&a).join("\n").contains("starred only"));
}

#[test]
fn list_marks_unread_and_starred_and_counts_them() {
    let mut a = app(120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::ToggleStar);
    a.update(Action::Back);
    let s = screen(&a).join("\n");
    assert!(s.contains("7 unread · 8 articles"), "{s}");
    // The list pane only: the reader beside it repeats the title.
    let w = usize::from(a.geometry().list.width);
    let rows: Vec<String> = screen(&a).iter().map(|r| r.chars().take(w).collect()).collect();
    let forum = rows.iter().find(|r| r.contains("Seoul hosts first")).unwrap();
    assert!(forum.contains("▌ ★ Seoul") || forum.contains(" ★ Seoul"), "{forum}");
    let other = rows.iter().find(|r| r.contains("How Japan decides")).unwrap();
    assert!(other.contains("●  How Japan"), "{other}");
}

#[test]
fn sort_cycles_through_date_title_outlet() {
    let mut a = app(120, 40);
    let titles = |a: &App| a.view.iter().map(|&i| a.library.articles[i].meta.title.to_lowercase()).collect::<Vec<_>>();
    a.update(Action::CycleSort);
    let t = titles(&a);
    let mut sorted = t.clone();
    sorted.sort();
    assert_eq!(t, sorted);
    assert!(screen(&a).join("\n").contains("sort: title"));
    a.update(Action::CycleSort);
    let outlets: Vec<String> = a
        .view
        .iter()
        .map(|&i| a.library.articles[i].meta.outlet.as_deref().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = outlets.clone();
    sorted.sort();
    assert_eq!(outlets, sorted);
    a.update(Action::CycleSort);
    assert!(screen(&a).join("\n").contains("sort: date"));
}

#[test]
fn picker_filters_by_tag_outlet_or_languages() {
    let mut a = app(120, 40);
    a.update(Action::Picker);
    let s = screen(&a).join("\n");
    assert!(s.contains("Filter by") && s.contains("tag: unesco (4)"), "{s}");
    let entries = match &a.overlay {
        Some(bitext::tui::app::Overlay::Picker(e)) => e.clone(),
        _ => panic!("picker not open"),
    };
    assert!(entries.iter().any(|(f, n)| f.label() == "languages: ko→en" && *n == 3));
    let at = entries.iter().position(|(f, _)| f.label() == "languages: ko→en").unwrap();
    for _ in 0..at {
        a.update(Action::Down);
    }
    a.update(Action::Open);
    assert!(a.overlay.is_none());
    assert_eq!(a.view.len(), 3);
    assert!(ids_in_view(&a).iter().all(|id| id.starts_with("ko/")));
    assert!(screen(&a).join("\n").contains("languages: ko→en"));
    // Picking it again clears it.
    a.update(Action::Picker);
    a.update(Action::Open);
    assert_eq!(a.view.len(), 8);
}

#[test]
fn search_results_stream_into_the_list() {
    use bitext::search::{SearchEvent, SearchIndex};
    // Wide enough for the list's bottom border to show the whole search line.
    let mut a = app(160, 40);
    a.update(Action::Search);
    for c in "태풍".chars().chain(" ".chars()) {
        a.update(Action::PromptChar(c));
    }
    a.update(Action::PromptBackspace);
    for c in "HAENYEO".chars() {
        a.update(Action::PromptChar(c));
    }
    let effects = a.take_effects();
    assert!(matches!(effects.last(), Some(bitext::tui::app::Effect::Search(q)) if q == "태풍HAENYEO"), "{effects:?}");
    // Type the query the test means, and feed the worker's answer for it.
    a.update(Action::PromptClear);
    for c in "haenyeo".chars() {
        a.update(Action::PromptChar(c));
    }
    a.search_started("haenyeo", 7);
    assert!(a.view.is_empty(), "nothing until results arrive");
    assert!(screen(&a).join("\n").contains("searching 0/8"));
    let index = SearchIndex::build(&a.library.articles);
    let matches = index.search(&bitext::search::Query::parse("haenyeo"));
    a.on_search_event(SearchEvent::Batch {
        generation: 6,
        matches: vec![0, 1, 2],
        snippets: Vec::new(),
        scanned: 8,
        total: 8,
    });
    assert!(a.view.is_empty(), "a stale search's results are ignored");
    a.on_search_event(SearchEvent::Batch {
        generation: 7,
        matches: matches.clone(),
        snippets: Vec::new(),
        scanned: 8,
        total: 8,
    });
    a.on_search_event(SearchEvent::Done { generation: 7, scanned: 8, total: 8 });
    assert_eq!(ids_in_view(&a), vec!["ko/jeju-haenyeo-unesco".to_string()]);
    a.update(Action::PromptAccept);
    assert!(a.prompt.is_none());
    assert_eq!(a.view.len(), 1, "Enter keeps the filter");
    assert!(screen(&a).join("\n").contains("/haenyeo (1 found)"));
    a.update(Action::Cancel);
    assert_eq!(a.view.len(), 8, "Esc clears it");
}

/// A search's batches add their results to the list as they come (in date order, after what is
/// listed), and the list is what rebuilding it from the whole library gives, filters included.
#[test]
fn search_batches_extend_the_list_as_a_rebuild_would() {
    use bitext::search::SearchEvent;
    let mut a = app(120, 40);
    // One article read, and only unread ones listed: the filter applies to what a batch finds.
    a.select(3);
    a.update(Action::ToggleRead);
    a.update(Action::FilterUnread);
    assert!(a.filter.unread);
    a.update(Action::Search);
    a.update(Action::PromptChar('x'));
    a.search_started("x", 3);
    assert!(a.view.is_empty());
    for (batch, scanned) in [(vec![0, 2], 3), (vec![], 4), (vec![3, 5], 6), (vec![6, 7], 8)] {
        a.on_search_event(SearchEvent::Batch {
            generation: 3,
            matches: batch,
            snippets: Vec::new(),
            scanned,
            total: 8,
        });
        let (view, selected) = (a.view.clone(), a.selected);
        a.rebuild_view();
        assert_eq!((view, selected), (a.view.clone(), a.selected), "after {scanned} scanned");
    }
    assert_eq!(a.view, vec![0, 2, 5, 6, 7], "the read one is not listed");
}

#[test]
fn find_in_article_highlights_and_steps_through_matches() {
    let mut a = app(120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    a.update(Action::Find);
    for c in "서울".chars() {
        a.update(Action::PromptChar(c));
    }
    let hits = a.find.as_ref().unwrap().hits.len();
    assert!(hits > 3, "{hits}");
    a.update(Action::PromptAccept);
    let f = a.find.as_ref().unwrap();
    assert_eq!(f.current, Some(0));
    let first = f.hits[0];
    let buf = draw(&a);
    let r = a.reader.as_ref().unwrap();
    let inner = a.geometry().reader_inner();
    let cell = &buf[(inner.x + first.x as u16, inner.y + (first.row - r.scroll) as u16)];
    assert_eq!(cell.bg, Color::LightRed, "the current match stands out");
    a.update(Action::FindNext);
    assert_eq!(a.find.as_ref().unwrap().current, Some(1));
    a.update(Action::FindPrev);
    a.update(Action::FindPrev);
    assert_eq!(a.find.as_ref().unwrap().current, Some(hits - 1), "wraps around");
    assert!(a.message.as_deref().unwrap().contains("wrapped"));
    a.update(Action::Cancel);
    assert!(a.find.is_none());
    assert_eq!(a.focus, bitext::tui::app::Focus::Reader, "Esc clears the find before leaving");
}

#[test]
fn copy_and_open_ask_the_loop_for_effects() {
    use bitext::tui::app::Effect;
    let mut a = app(120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    assert_eq!(a.take_effects(), vec![Effect::SyncState], "opening reads the state again if it changed");
    a.update(Action::CopyParagraph);
    let effects = a.take_effects();
    match effects.as_slice() {
        [Effect::Copy(text)] => {
            assert!(text.contains("서울시가") && text.contains("The Seoul Metropolitan Government"))
        }
        other => panic!("{other:?}"),
    }
    assert!(a.message.as_deref().unwrap().starts_with("paragraph 1 ("), "{:?}", a.message);
    a.update(Action::CopyUrl);
    assert!(a.take_effects().is_empty());
    assert_eq!(a.message.as_deref(), Some("this article has no URL"));
    // An article with a URL: the article info shows it when there is no opener (over SSH),
    // it is opened otherwise.
    let i = a.reader.as_ref().unwrap().index;
    a.library.articles[i].meta.url = Some("https://news.example/forum".into());
    a.update(Action::OpenUrl);
    assert!(a.take_effects().is_empty());
    assert_eq!(a.overlay, Some(bitext::tui::app::Overlay::Info));
    let rows = screen(&a);
    assert!(rows.iter().any(|r| r.trim_end() == "https://news.example/forum"), "{}", rows.join("\n"));
    a.update(Action::Cancel);
    a.can_open_urls = true;
    a.update(Action::OpenUrl);
    assert_eq!(a.take_effects(), vec![Effect::Open("https://news.example/forum".into())]);
}

#[test]
fn a_rescanned_library_keeps_selection_and_paragraph() {
    let dir = copied_library();
    let mut a = app_for(dir.path(), 120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    for _ in 0..5 {
        a.update(Action::NextParagraph);
    }
    std::fs::remove_file(dir.path().join("ja/sakura-front-sample-trees.toml")).unwrap();
    a.replace_library(Library::scan(dir.path()).unwrap());
    assert_eq!(a.library.articles.len(), 7);
    assert_eq!(a.selected_article().unwrap().meta.id, FORUM);
    assert_eq!(a.paragraph_position().unwrap().0, 6);
    assert_eq!(a.focus, bitext::tui::app::Focus::Reader);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn every_screen_renders_at_sizes_up_to_300x100() {
    let library = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap();
    let mut a = app_with(library, 80, 24);
    select_id(&mut a, FORUM);
    let mut t = Terminal::new(TestBackend::new(1, 1)).unwrap();
    let screens: [&[Action]; 5] = [
        &[],
        &[Action::Open, Action::SetMode(Mode::SideBySide), Action::NextParagraph],
        &[Action::Open, Action::SetMode(Mode::Translation), Action::Peek],
        &[Action::Help],
        &[Action::Picker],
    ];
    for (k, actions) in screens.iter().enumerate() {
        let mut a = app(80, 24);
        select_id(&mut a, FORUM);
        for act in actions.iter() {
            a.update(*act);
        }
        for w in (0..=300u16).step_by(13).chain([1, 2, 39, 40, 99, 100, 300]) {
            for h in (0..=100u16).step_by(9).chain([1, 9, 10, 100]) {
                a.update(Action::Resize(w, h));
                t.backend_mut().resize(w, h);
                t.resize(ratatui::layout::Rect::new(0, 0, w, h)).unwrap();
                t.draw(|f| view(&a, f)).unwrap_or_else(|e| panic!("screen {k} at {w}x{h}: {e}"));
            }
        }
    }
}

#[test]
fn hostile_text_never_reaches_a_cell() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    for mode in Mode::ALL {
        let mut a = app_for(&lib, 160, 50);
        a.update(Action::Open);
        a.update(Action::SetMode(mode));
        let buf = draw(&a);
        for cell in buf.content() {
            for c in cell.symbol().chars() {
                assert!(
                    !c.is_control()
                        && !('\u{202a}'..='\u{202e}').contains(&c)
                        && !('\u{2066}'..='\u{2069}').contains(&c),
                    "{c:?} in a cell ({mode:?})"
                );
            }
        }
        let s = rows(&buf).join("\n");
        assert!(s.contains("Visible title after OSC 0"));
        assert!(!s.contains("PWNED"));
    }
}

/// One article of `paragraphs` short pairs: long enough to be laid out on a worker.
fn long_library(paragraphs: usize) -> Library {
    use bitext::article::{Article, Group, Kind, Meta, Pairing};
    let article = Article {
        meta: Meta {
            id: "long".into(),
            path: "long.toml".into(),
            title: "Long".into(),
            source_title: None,
            source_lang: "ko".into(),
            target_lang: "en".into(),
            outlet: None,
            url: None,
            published: None,
            authors: vec![],
            translator: None,
            tags: vec![],
            summary: None,
            machine_translation: None,
            feed: None,
            guid: None,
            alignment: None,
        },
        groups: (0..paragraphs)
            .map(|i| Group {
                kind: Kind::Text,
                source: vec![format!("문단 {i}.")],
                translation: vec![format!("Paragraph {i}.")],
                ..Group::default()
            })
            .collect(),
        pairing: Pairing::Given,
    };
    Library { root: ".".into(), articles: vec![Box::new(article)], diagnostics: vec![] }
}

#[test]
fn forty_thousand_paragraphs_scroll() {
    let library = long_library(40_000);
    let mut a = app_with(library, 120, 40);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    // A long article is laid out on a worker; until then the reader says it is coming.
    assert!(a.take_effects().iter().any(|e| matches!(e, bitext::tui::app::Effect::LayOut { .. })));
    assert!(screen(&a).join("\n").contains("laying the article out…"));
    a.update(Action::SetMode(Mode::SideBySide));
    a.update(Action::Down);
    assert!(a.take_effects().is_empty(), "the same layout is not asked for twice");
    a.update(Action::SetMode(Mode::Interleaved));
    a.update(Action::SetMode(Mode::SideBySide));
    settle(&mut a);
    a.update(Action::Bottom);
    assert_eq!(a.paragraph_position(), Some((40_000, 40_000)));
    assert!(screen(&a).join("\n").contains("Paragraph 39999."));
    a.update(Action::PageUp);
    a.update(Action::PrevParagraph);
    assert!(a.paragraph_position().unwrap().0 < 40_000);
}

/// The library changes (the check of the bodies after start, say) while a worker lays out the
/// open long article: the layout made for the old library is dropped, and the reader asks for
/// a new one rather than waiting for ever.
#[test]
fn a_layout_asked_for_before_the_library_changed_is_asked_for_again() {
    use bitext::tui::app::Effect;
    let library = long_library(5_000);
    let mut a = app_with(library.clone(), 120, 40);
    a.update(Action::Open);
    let first = a.take_effects();
    let stale = first.into_iter().find(|e| matches!(e, Effect::LayOut { .. })).expect("a layout asked for");
    a.replace_library(library);
    let again = a.take_effects();
    assert!(again.iter().any(|e| matches!(e, Effect::LayOut { .. })), "the new library's layout is asked for");
    let Effect::LayOut { key, generation, article } = stale else { unreachable!() };
    let layout = bitext::jobs::layout_for(&article, key, &Options::default());
    a.layout_arrived(key, generation, std::sync::Arc::new(layout));
    assert!(screen(&a).join("\n").contains("laying the article out…"), "the old layout is not shown");
    for effect in again {
        if let Effect::LayOut { key, generation, article } = effect {
            let layout = bitext::jobs::layout_for(&article, key, &Options::default());
            a.layout_arrived(key, generation, std::sync::Arc::new(layout));
        }
    }
    assert!(screen(&a).join("\n").contains("Paragraph 0."));
}

/// On a wide terminal the reader takes the whole width while it has the focus (when `zoom` is
/// on, as `[reader] full_width` sets it); the list comes back with the focus, and `z` switches.
#[test]
fn reader_takes_the_whole_width_while_reading() {
    let mut a = app(120, 40);
    a.zoom = true;
    select_id(&mut a, FORUM);
    let split = a.geometry();
    assert!(split.wide && split.list.width > 0);
    let text = rows(&draw(&a)).join("\n");
    assert!(text.contains("8 articles"), "the list beside the reader while browsing:\n{text}");

    let beside = a.reader.as_ref().unwrap().layout.clone();
    a.update(Action::Open);
    let g = a.geometry();
    assert!(g.zoomed && !g.wide);
    assert_eq!((g.reader.x, g.reader.width), (0, 120));
    let text = rows(&draw(&a)).join("\n");
    assert!(!text.contains("8 articles"), "no list while reading:\n{text}");
    // The article was laid out again for the wider pane.
    let r = a.reader.as_ref().unwrap();
    let first_x = |l: &bitext::render::Layout| l.rows(0..l.len()).flat_map(|row| row.cells().next()).map(|c| c.x).max();
    assert!(first_x(&r.layout) > first_x(&beside), "the text is centred in the wider pane");

    // z: the list beside the reader again; back to the list keeps the split.
    a.update(Action::Zoom);
    assert!(a.geometry().wide);
    assert!(rows(&draw(&a)).join("\n").contains("8 articles"));
    a.update(Action::Zoom);
    assert!(a.geometry().zoomed);
    a.update(Action::ToggleFocus);
    assert!(a.geometry().wide, "the list has the focus: both panes");

    // Below 100 columns there is nothing to widen: z says so.
    let mut narrow = app(80, 24);
    narrow.update(Action::Zoom);
    assert!(narrow.message.as_deref().unwrap_or("").contains("100 columns"), "{:?}", narrow.message);
}

/// While the library is read, the first screen says so (with the count the loader reports),
/// rather than "No articles".
#[test]
fn the_first_screen_says_the_library_is_being_read() {
    let root = Path::new("/srv/news");
    let mut a = app_with(Library { root: root.into(), ..Default::default() }, 100, 30);
    a.loading = Some("reading the library: 3200 of 10000 files".into());
    let s = screen(&a).join("\n");
    assert!(s.contains("Reading the library in") && s.contains("/srv/news"), "{s}");
    assert!(s.contains("reading the library: 3200 of 10000 files"), "{s}");
    assert!(!s.contains("No articles"), "{s}");
    a.loading = None;
    let s = screen(&a).join("\n");
    assert!(s.contains("No articles in"), "{s}");
}

/// The bundled library, and an app that has read only its Korean articles so far, with the
/// second of them open; the rest of the articles and the id of the one open.
fn opened_while_loading() -> (Library, App, Vec<bitext::article::Article>, compact_str::CompactString) {
    let full = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap();
    let (first, rest): (Vec<_>, Vec<_>) = full.articles.iter().cloned().partition(|a| a.meta.id.starts_with("ko/"));
    let rest = rest.into_iter().map(|a| *a).collect();
    let partial = Library { root: full.root.clone(), articles: first, diagnostics: Vec::new() };
    let mut a = app_with(partial, 120, 40);
    a.update(Action::Down);
    let chosen = a.selected_article().unwrap().meta.id.clone();
    a.update(Action::Open);
    (full, a, rest, chosen)
}

/// Articles arriving while the library is read join the list in order; the selection and the
/// open article stay where they were.
#[test]
fn articles_arriving_while_loading_keep_the_selection() {
    let (full, mut a, rest, chosen) = opened_while_loading();
    a.add_articles(rest);
    assert_eq!(a.library.articles.len(), full.articles.len());
    let order = |l: &[Box<bitext::article::Article>]| l.iter().map(|x| x.meta.id.clone()).collect::<Vec<_>>();
    assert_eq!(order(&a.library.articles), order(&full.articles), "in list order");
    assert_eq!(a.selected_article().unwrap().meta.id, chosen);
    assert_eq!(a.reader_article().unwrap().meta.id, chosen, "the open article is still open");
    // Its body is still counted among those kept, so it is dropped in turn later.
    assert!(
        a.bodies.iter().any(|&i| a.library.articles[i].meta.id == chosen && !a.library.articles[i].groups.is_empty())
    );
    assert_eq!(a.unread_count(), full.articles.len() - 1, "all but the one opened");
    a.update(Action::Down);
    assert!(a.reader.is_some());
}

/// The end of a library read in batches (a first start, no index cache) brings its problems
/// and leaves the list to the articles it holds: the article open meanwhile stays open, with
/// its place, and its body is still kept.
#[test]
fn the_end_of_a_first_read_keeps_the_open_article() {
    let (full, mut a, rest, chosen) = opened_while_loading();
    a.update(Action::Down);
    let place = a.reader.as_ref().map(|r| (r.current, r.scroll)).unwrap();
    assert_ne!(place, (0, 0), "moved in the article");
    a.add_articles(rest);
    let broken = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")).unwrap();
    let problems = broken.diagnostics.len();
    assert!(problems > 0);
    let end = Library { root: full.root.clone(), articles: Vec::new(), diagnostics: broken.diagnostics };
    a.library_streamed(end, true);
    assert_eq!(a.library.articles.len(), full.articles.len(), "the list keeps what came in batches");
    assert_eq!(a.library.diagnostics.len(), problems, "the problems come with the end");
    assert_eq!(a.focus, Focus::Reader, "{:?}", a.message);
    assert_eq!(a.reader_article().unwrap().meta.id, chosen, "the open article is still open");
    assert_eq!(a.reader.as_ref().map(|r| (r.current, r.scroll)), Some(place), "at its place");
    assert!(a.message.as_deref().is_none_or(|m| !m.contains("removed")), "{:?}", a.message);
    assert!(a.bodies.iter().any(|&i| a.library.articles[i].meta.id == chosen));
}

/// A selection at the top of the list stays at the top while newer articles come in.
#[test]
fn a_selection_at_the_top_stays_at_the_top_while_loading() {
    let full = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap();
    let (old, new): (Vec<_>, Vec<_>) =
        full.articles.iter().cloned().partition(|a| a.meta.id != full.articles[0].meta.id);
    let partial = Library { root: full.root.clone(), articles: old, diagnostics: Vec::new() };
    let mut a = app_with(partial, 120, 40);
    assert_eq!(a.view_position(), Some(0));
    a.add_articles(new);
    assert_eq!(a.view_position(), Some(0));
    assert_eq!(a.selected_article().unwrap().meta.id, full.articles[0].meta.id, "the newest, now on top");
}

/// A narrow list keeps its counts whole: the title drops words before numbers.
#[test]
fn the_list_title_keeps_its_counts_when_narrow() {
    let one = Library::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")).unwrap().articles[0].clone();
    let articles = (0..12345)
        .map(|i| {
            let mut a = one.clone();
            a.meta.id = format!("x/{i}").into();
            a
        })
        .collect();
    let mut a = app_with(Library { root: "lib".into(), articles, diagnostics: Vec::new() }, 100, 30);
    a.list_options.width = 35;
    a.update(Action::Resize(100, 30));
    let top = rows(&draw(&a))[0].clone();
    assert!(top.contains("12345 unread · 12345 articles") && !top.contains('…'), "{top}");
}

/// Ctrl-L asks the loop to clear the terminal and draw everything again, from the list and the
/// reader alike.
#[test]
fn ctrl_l_redraws_the_screen() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut a = app(120, 40);
    let ctrl_l = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
    a.handle_key(&ctrl_l);
    assert_eq!(a.take_effects(), vec![bitext::tui::app::Effect::Redraw]);
    a.update(Action::Open);
    a.take_effects();
    a.handle_key(&ctrl_l);
    assert_eq!(a.take_effects(), vec![bitext::tui::app::Effect::Redraw]);
}

/// At 20×5 only "Terminal too small" is on screen: keys change nothing unseen (no star, no
/// read mark, no move); `q` quits.
#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let mut a = app(120, 40);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    for _ in 0..3 {
        a.update(Action::NextParagraph);
    }
    let place = a.paragraph_position();
    a.update(Action::Resize(20, 5));
    a.update(Action::Resize(22, 6));
    let (selected, focus) = (a.selected, a.focus);
    for action in [
        Action::Down,
        Action::Down,
        Action::Open,
        Action::ToggleStar,
        Action::NextParagraph,
        Action::NextParagraph,
        Action::ToggleRead,
        Action::Search,
    ] {
        a.update(action);
    }
    assert_eq!((a.selected, a.focus), (selected, focus));
    let starred = a.state.entries().values().filter(|s| s.starred).count();
    assert_eq!(starred, 0, "{:?}", a.state.entries());
    let id = a.library.articles[a.selected].meta.id.clone();
    assert!(a.state.get(&id).read, "`m` did not mark the open article unread unseen");
    assert!(a.prompt.is_none());
    assert!(screen(&a).join("\n").contains("Terminal too small"));
    a.update(Action::Resize(120, 40));
    assert_eq!(a.paragraph_position(), place, "the reading place survives a spell at 20×5");
    assert!(a.state.entries().values().all(|s| !s.starred));
    a.update(Action::Resize(20, 5));
    a.update(Action::Back);
    assert!(a.quit, "q quits from the too-small screen");
}

/// A body that cannot be read when the article is opened: the reader says why, and the
/// article is not marked read.
#[test]
fn a_body_that_fails_shows_the_error_and_is_not_marked_read() {
    let dir = tempfile::tempdir().unwrap();
    for (name, title) in [("a.toml", "First"), ("b.toml", "Second")] {
        std::fs::write(
            dir.path().join(name),
            format!(
                "title = \"{title}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\npublished = 2024-01-0{}\n[[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\n",
                if title == "First" { 2 } else { 1 }
            ),
        )
        .unwrap();
    }
    // Only the headers are read, as the reader's loader does; then the file goes.
    let library = Library::load(dir.path(), 1 << 20, bitext::library::Depth::Header).unwrap();
    let mut a = app_with(library, 80, 24);
    settle(&mut a);
    std::fs::remove_file(dir.path().join("b.toml")).unwrap();
    a.update(Action::Down);
    a.update(Action::Open);
    assert!(a.reader.is_none(), "the body is read on a worker");
    settle(&mut a);
    assert_eq!(a.focus, Focus::Reader);
    let id = a.library.articles[a.selected].meta.id.clone();
    assert!(!a.state.get(&id).read, "an article whose body could not be read is not marked read");
    let shown = screen(&a).join("\n");
    assert!(shown.contains("cannot open: not found"), "{shown}");
    // The first article opens and is marked read once its body is on screen.
    a.update(Action::Back);
    a.update(Action::Up);
    a.update(Action::Open);
    settle(&mut a);
    assert!(a.reader.is_some());
    assert!(a.state.get("a").read);
}

/// The check of the bodies after start replaces what the list holds for the files where it
/// found something: the selection stays on its article (it used to jump to the first), and a
/// body already read is kept when only a warning was found.
#[test]
fn the_body_check_keeps_the_selection_and_the_bodies() {
    let dir = tempfile::tempdir().unwrap();
    for (name, date, extra) in [("a", "02", ""), ("b", "01", "tittle = \"typo\"\n")] {
        std::fs::write(
            dir.path().join(format!("{name}.toml")),
            format!("title = \"{name}\"\n{extra}source_lang = \"ko\"\ntarget_lang = \"en\"\npublished = 2024-01-{date}\n[[paragraphs]]\nsource = \"가\"\ntranslation = \"a\"\n"),
        )
        .unwrap();
    }
    let library = Library::load(dir.path(), 1 << 20, bitext::library::Depth::Full).unwrap();
    let mut a = app_with(library, 120, 40);
    a.update(Action::Down);
    let selected = a.library.articles[a.selected].meta.id.clone();
    assert_eq!(selected, "b");
    let path = a.library.articles[a.selected].meta.path.clone();
    let (articles, diagnostics) = {
        let parsed = bitext::article::parse(&std::fs::read(&path).unwrap(), "b", &path);
        (parsed.article, parsed.diagnostics)
    };
    assert!(!diagnostics.is_empty(), "the typo is a warning");
    a.apply_checked(vec![bitext::library::Checked {
        path,
        meta: articles.map(|x| x.meta),
        diagnostics,
        changed: false,
        was: bitext::library::Was::At(a.selected),
    }]);
    assert_eq!(a.library.articles[a.selected].meta.id, "b", "the selection stayed");
    assert!(!a.library.articles[a.selected].groups.is_empty(), "the body read is kept");
    assert!(a.reader.is_some());
}

/// The bundled library copied into a temporary folder.
fn copied_library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    for e in walk(&lib) {
        let rel = e.strip_prefix(&lib).unwrap();
        std::fs::create_dir_all(dir.path().join(rel).parent().unwrap()).unwrap();
        std::fs::copy(&e, dir.path().join(rel)).unwrap();
    }
    dir
}

fn fetched_article(dir: &Path, feed: &str, stem: &str, title: &str) -> String {
    std::fs::create_dir_all(dir.join(feed)).unwrap();
    let text = format!(
        "title = \"{title}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\nfeed = \"{feed}\"\nguid = \"{stem}\"\n\
         tags = [\"{feed}\"]\n\n[[paragraphs]]\nsource = \"부산항에 새 부두가 열렸다.\"\ntranslation = \"A new pier opened.\"\n"
    );
    std::fs::write(dir.join(feed).join(format!("{stem}.toml")), text).unwrap();
    format!("{feed}/{stem}")
}

#[test]
fn fetching_counts_in_the_status_line_and_marks_what_came_new_without_moving_the_selection() {
    use bitext::feeds::fetch::{FeedReport, Outcome, Progress, Summary};
    use bitext::tui::app::Effect;
    let dir = copied_library();
    let mut a = app_for(dir.path(), 120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::FetchFeeds);
    assert_eq!(a.take_effects(), vec![Effect::Fetch(None)]);
    a.fetch_started(Ok(2));
    assert!(screen(&a).last().unwrap().contains("fetching 0/2 · 0 new"), "{:?}", screen(&a).last());
    // A second r while fetching starts nothing.
    a.update(Action::FetchFeeds);
    assert!(a.take_effects().is_empty());
    assert!(a.message.as_deref().unwrap().starts_with("already fetching"));

    let id = fetched_article(dir.path(), "busan", "2026-12-01-pier", "Busan opens a new pier");
    let path = dir.path().join(format!("{id}.toml"));
    a.fetch_progress(Progress::Added { feed: "busan".into(), id: id.clone(), path, done: 1, total: 1 });
    let report = FeedReport { name: "busan".into(), outcome: Outcome::Fetched, new: 1, failed_items: 0, removed: 0 };
    a.fetch_progress(Progress::Finished(report.clone()));
    assert!(screen(&a).last().unwrap().contains("fetching 1/2 · 1 new"));
    // The folder watcher brings the file in: the selection stays on the same article.
    a.library_arrived(Library::scan(dir.path()).unwrap(), true);
    assert_eq!(a.selected_article().unwrap().meta.id, FORUM);
    let row = screen(&a).into_iter().find(|r| r.contains("Busan opens a new pier")).unwrap();
    assert!(row.contains("│ N  Busan opens a new pier"), "{row}");
    let failed = FeedReport {
        name: "bad".into(),
        outcome: Outcome::Failed("http://127.0.0.1:9/bad.xml: HTTP 500".into()),
        new: 0,
        ..report.clone()
    };
    // The new article's pairing looked implausible: the summary names it.
    a.fetch_progress(Progress::Warning {
        feed: "busan".into(),
        message: format!("{id}: the two texts share almost no names, numbers or dates"),
    });
    a.fetch_finished(Ok(Summary { reports: vec![report, failed] }));
    assert!(a.fetching.is_none());
    // Too long for the status line, the summary has the row above it.
    let rows = screen(&a);
    let status = rows[rows.len() - 2].clone();
    assert!(
        status.contains(&format!(
            "bad failed: HTTP 500 · 2 feeds: 1 new article, 1 feed failed · check the pairing of {id}"
        )),
        "{status}"
    );
    // Read, it is no longer new.
    let i = a.library.articles.iter().position(|x| x.meta.id == id).unwrap();
    a.select(i);
    a.update(Action::Open);
    a.settle();
    a.update(Action::Back);
    let row = screen(&a).into_iter().find(|r| r.contains("Busan opens a new pier")).unwrap();
    assert!(!row.contains(" N "), "{row}");
}

#[test]
fn the_feed_picker_fetches_the_chosen_feed_and_the_filter_picker_narrows_to_a_feed() {
    use bitext::tui::app::{Effect, Overlay};
    let dir = copied_library();
    let id = fetched_article(dir.path(), "busan", "pier", "Busan opens a new pier");
    let mut a = app_for(dir.path(), 120, 40);
    a.update(Action::FetchFeed);
    assert_eq!(a.take_effects(), vec![Effect::PickFeed]);
    a.open_feed_picker(Ok(vec!["busan".into(), "nhk".into()]));
    assert!(screen(&a).join("\n").contains("Fetch a feed"));
    assert!(screen(&a).join("\n").contains("feed: nhk"));
    a.update(Action::Down);
    a.update(Action::Open);
    assert_eq!(a.take_effects(), vec![Effect::Fetch(Some("nhk".into()))]);
    assert!(a.overlay.is_none());
    a.open_feed_picker(Ok(vec![]));
    assert!(a.message.as_deref().unwrap().starts_with("no subscriptions"));

    a.update(Action::Picker);
    let Some(Overlay::Picker(entries)) = &a.overlay else { panic!("no picker") };
    let at = entries.iter().position(|(f, _)| f.label() == "feed: busan").expect("the feed is a facet");
    for _ in 0..at {
        a.update(Action::Down);
    }
    a.update(Action::Open);
    assert_eq!(a.view.len(), 1);
    assert_eq!(a.selected_article().unwrap().meta.id, id);
}

/// `n` articles with bodies, dated over a few days, with titles and outlets in no order.
fn dated_library(n: usize) -> Library {
    let mut library = long_library(3);
    let one = library.articles.pop().unwrap();
    let articles = (0..n).map(|i| Box::new(dated_article(&one, i, "x"))).collect();
    let mut library = Library { articles, ..library };
    library.articles.sort_by(|a, b| {
        b.meta.published.cmp(&a.meta.published).then(a.meta.title.cmp(&b.meta.title)).then(a.meta.id.cmp(&b.meta.id))
    });
    library
}

fn dated_article(one: &bitext::article::Article, i: usize, prefix: &str) -> bitext::article::Article {
    let mut a = one.clone();
    a.meta.id = format!("{prefix}{i:03}").into();
    a.meta.path = format!("{prefix}{i:03}.toml").into();
    a.meta.title = ["Rates", "rail", "Heat", "Harbour", "ports"][(i * 7) % 5].to_string() + &format!(" {}", i % 11);
    a.meta.outlet = Some(["Hankyoreh", "asahi", "Caixin"][i % 3].into());
    a.meta.published =
        Some(bitext::article::Published(format!("2026-11-{:02}T{:02}:00:00Z", 1 + i % 9, i % 24).into()));
    a
}

/// `n` files new to the list, as a rescan hands them over: `new000` and on, every `every`th
/// date of [`dated_article`]'s.
fn new_files(one: &bitext::article::Article, n: usize, every: usize) -> Vec<bitext::library::Checked> {
    (0..n)
        .map(|j| {
            let meta = dated_article(one, j * every, "new").meta;
            bitext::library::Checked {
                path: meta.path.clone(),
                meta: Some(meta),
                diagnostics: vec![],
                changed: true,
                was: bitext::library::Was::Unlisted,
            }
        })
        .collect()
}

/// Files that come, change and go while an article is open, under every sort and the unread
/// filter: the list is what a rebuild would make of the new library, the unread count what a
/// count would give, the open article stays open at its place, and nothing is made again (the
/// layouts are kept: the list was moved, not rebuilt).
#[test]
fn files_that_come_and_go_while_reading_move_the_list_without_a_rebuild() {
    use bitext::library::{Checked, Was};
    for (sorts, unread_only) in [(0, false), (1, false), (2, false), (0, true), (1, true)] {
        let library = dated_library(120);
        let one = library.articles[0].as_ref().clone();
        let mut a = app_with(library, 120, 40);
        for i in (0..120).step_by(3) {
            a.state.set_read(&format!("x{i:03}"), true);
        }
        a.state.set_read("new008", true);
        a.count_unread();
        for _ in 0..sorts {
            a.update(Action::CycleSort);
        }
        if unread_only {
            a.update(Action::FilterUnread);
        }
        for _ in 0..20 {
            a.update(Action::Down);
        }
        a.update(Action::Open);
        settle(&mut a);
        a.update(Action::Down);
        let open = a.reader_article().unwrap().meta.id.clone();
        let place = a.reader.as_ref().map(|r| (r.current, r.scroll));
        let generation = a.layouts.generation;
        let mut changes = new_files(&one, 15, 8);
        for (k, i) in (0..a.library.articles.len()).step_by(9).enumerate() {
            let old = &a.library.articles[i];
            if old.meta.id == open {
                continue;
            }
            // Every other one changed (another date and title), the rest gone.
            let meta = (k % 2 == 0).then(|| {
                let mut m = dated_article(&one, 500 + k, "x").meta;
                (m.id, m.path) = (old.meta.id.clone(), old.meta.path.clone());
                m
            });
            changes.push(Checked {
                path: old.meta.path.clone(),
                meta,
                diagnostics: vec![],
                changed: true,
                was: Was::At(i),
            });
        }
        a.apply_checked(changes);
        let case = format!("{sorts} sorts, unread only {unread_only}");
        assert_eq!(a.reader_article().map(|r| r.meta.id.clone()), Some(open.clone()), "{case}");
        assert_eq!(a.selected_article().unwrap().meta.id, open, "{case}");
        assert_eq!(a.reader.as_ref().map(|r| (r.current, r.scroll)), place, "{case}");
        assert_eq!(a.layouts.generation, generation, "{case}: the layouts were cleared");
        let unread = a.unread_count();
        a.count_unread();
        assert_eq!(unread, a.unread_count(), "{case}");
        // (The open article, read now, stays listed under the unread filter until the list is
        // made again, as it does when it is opened.)
        let ids = |a: &App| {
            a.view
                .iter()
                .map(|&i| a.library.articles[i].meta.id.to_string())
                .filter(|id| *id != open)
                .collect::<Vec<_>>()
        };
        let moved = ids(&a);
        assert!(moved.iter().any(|id| id.starts_with("new")), "{case}");
        assert_eq!(moved.iter().any(|id| id == "new008"), !unread_only, "{case}: read before it came");
        a.rebuild_view();
        assert_eq!(moved, ids(&a), "{case}");
    }
}

/// A rescan's files go into the list a step at a time between keys: after each step the list is
/// whole and in order, the open article stays open, and the places the later files were said to
/// be at follow the steps before them; the end is the list all of them at once would make.
#[test]
fn a_large_rescan_goes_into_the_list_a_step_at_a_time() {
    use bitext::library::{Checked, Was};
    use bitext::tui::library_view::ARRIVING_STEP;
    let library = dated_library(400);
    let one = library.articles[0].as_ref().clone();
    let changes = |a: &App| -> Vec<Checked> {
        // The new files first, the ones gone last: their places are those of the list before
        // any step, as the rescan says them.
        let mut c = new_files(&one, 2 * ARRIVING_STEP + 30, 3);
        c.extend((0..a.library.articles.len()).step_by(7).skip(1).map(|i| Checked {
            path: a.library.articles[i].meta.path.clone(),
            meta: None,
            diagnostics: vec![],
            changed: true,
            was: Was::At(i),
        }));
        c
    };
    let mut at_once = app_with(library.clone(), 120, 40);
    let all = changes(&at_once);
    at_once.apply_checked(all);
    let mut stepped = app_with(library, 120, 40);
    stepped.update(Action::Open);
    settle(&mut stepped);
    let open = stepped.reader_article().unwrap().meta.id.clone();
    let all = changes(&stepped);
    let total = all.len();
    stepped.arrive(all);
    let mut waiting = vec![stepped.arriving.len()];
    while stepped.arrive_step() {
        waiting.push(stepped.arriving.len());
        let l = &stepped.library.articles;
        assert!(l.windows(2).all(|w| w[0].meta.published >= w[1].meta.published), "in order after each step");
        assert_eq!(stepped.reader_article().unwrap().meta.id, open);
        // The places still name the files they were said for.
        assert!(stepped.arriving.iter().all(|c| match c.was {
            Was::At(i) => l[i].meta.path == c.path,
            _ => c.meta.is_some(),
        }));
    }
    assert_eq!(waiting[0], total - ARRIVING_STEP, "one step at first");
    assert!(waiting.windows(2).all(|w| w[1] + ARRIVING_STEP == w[0]), "{waiting:?}");
    let ids = |a: &App| a.library.articles.iter().map(|x| x.meta.id.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&stepped), ids(&at_once));
    let view = |a: &App| a.view.iter().map(|&i| a.library.articles[i].meta.id.to_string()).collect::<Vec<_>>();
    assert_eq!(view(&stepped), view(&at_once));
    assert_eq!(stepped.reader_article().unwrap().meta.id, open);
}
