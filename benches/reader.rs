//! Reader benchmarks: `cargo bench --bench reader`. Numbers go in BENCHMARKS.md.

use std::path::PathBuf;

use bitext::article::{Article, Group, Kind, Meta, Pairing};
use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{self, Mode, Options};
use bitext::search::SearchEvent;
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App, view};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

const KO: &str = "서울시는 11일 오후 시청 다목적홀에서 제1회 서울 북한인권 포럼을 열었다. 포럼은 7월 14일 북한이탈주민의 날을 앞두고 마련됐으며 국내외 전문가들이 참석했다.";
const EN: &str = "Seoul held its first forum on North Korean human rights at City Hall on the afternoon of the 11th. The forum came ahead of North Korean Defectors' Day on 14 July and drew experts from home and abroad.";

fn article(paragraphs: usize) -> Article {
    Article {
        meta: Meta {
            id: "bench".into(),
            path: PathBuf::from("bench.toml"),
            title: "A very long article".into(),
            source_title: Some("아주 긴 기사".into()),
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
                source: vec![format!("{i} {KO}")],
                translation: vec![format!("{i} {EN}")],
                ..Group::default()
            })
            .collect(),
        pairing: Pairing::Given,
    }
}

fn app(paragraphs: usize, w: u16, h: u16, mode: Mode) -> App {
    let library =
        Library { root: PathBuf::from("."), articles: vec![Box::new(article(paragraphs))], diagnostics: vec![] };
    let config = Config::default();
    let mut app = App::new(library, Theme::from_colors(&config.colors), Options::default(), mode);
    app.update(Action::Resize(w, h));
    app.select(0);
    app.update(Action::Open);
    // A long article is laid out on a worker in the reader: here, at once.
    app.settle();
    app
}

/// Opening an article: laying out 1,000 paragraph pairs.
#[divan::bench(args = [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved])]
fn open_1000_paragraphs(bencher: Bencher, mode: Mode) {
    let a = article(1000);
    bencher.bench(|| render::layout(divan::black_box(&a), mode, 200, &Options::default()));
}

/// One line down and one line up in a 40,000-paragraph article (two steps per iteration).
#[divan::bench(args = [Mode::Translation, Mode::SideBySide])]
fn scroll_step_40000_paragraphs(bencher: Bencher, mode: Mode) {
    let mut app = app(40_000, 200, 60, mode);
    app.update(Action::PageDown);
    bencher.bench_local(|| {
        app.update(Action::Down);
        app.update(Action::Up);
    });
}

/// A paragraph step (the reading cursor) in a 40,000-paragraph article.
#[divan::bench]
fn paragraph_step_40000_paragraphs(bencher: Bencher) {
    let mut app = app(40_000, 200, 60, Mode::SideBySide);
    bencher.bench_local(|| {
        app.update(Action::NextParagraph);
        app.update(Action::PrevParagraph);
    });
}

/// Drawing one frame at 200×60 into a TestBackend.
#[divan::bench(args = [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved])]
fn draw_frame_200x60(bencher: Bencher, mode: Mode) {
    let app = app(200, 200, 60, mode);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    bencher.bench_local(|| {
        terminal.draw(|f| view(&app, f)).unwrap();
    });
}

/// Aligning a 100-paragraph `[body]` article (per call; divide by 200 paragraphs).
#[divan::bench]
fn align_100_paragraph_pairs(bencher: Bencher) {
    let s: Vec<String> = (0..100).map(|i| format!("{i} {KO}")).collect();
    let t: Vec<String> = (0..100).map(|i| format!("{i} {EN}")).collect();
    bencher.bench(|| bitext::align::align(divan::black_box(&s), divan::black_box(&t)));
}

/// The probe's alignment bomb: 20,000 short source paragraphs against 10,000 (a band narrowed
/// to fit the aligner's bound; it used to take about a minute and 1.8 GB).
#[divan::bench(sample_count = 5)]
fn align_bomb_20000_against_10000(bencher: Bencher) {
    let s: Vec<String> = (0..20_000).map(|i| format!("가{}", i % 10)).collect();
    let t: Vec<String> = (0..10_000).map(|i| format!("a{}", i % 10)).collect();
    bencher.bench(|| bitext::align::align(divan::black_box(&s), divan::black_box(&t)));
}

/// The list of 100,000 articles, at 80×24 (the list alone).
fn list_app_100000() -> App {
    let one = article(0);
    let articles = (0..100_000)
        .map(|i| {
            let mut a = one.clone();
            a.meta.id = format!("a{i:06}").into();
            Box::new(a)
        })
        .collect();
    let library = Library { root: PathBuf::from("."), articles, diagnostics: vec![] };
    let config = Config::default();
    let mut app = App::new(library, Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
    app.update(Action::Resize(80, 24));
    app
}

/// A cursor move down and up in a list of 100,000 articles (80×24, the list alone).
#[divan::bench]
fn list_cursor_move_100000(bencher: Bencher) {
    let mut app = list_app_100000();
    app.update(Action::PageDown);
    bencher.bench_local(|| {
        app.update(Action::Down);
        app.update(Action::Up);
    });
}

/// The UI thread's work for one batch of a search over 100,000 articles (256 scanned, 13
/// found, as a search that finds one article in twenty): the results join the list. A search
/// sends about 400 such batches.
#[divan::bench]
fn search_batch_100000(bencher: Bencher) {
    let mut app = list_app_100000();
    app.update(Action::Search);
    app.update(Action::PromptChar('x'));
    app.search_started("x", 1);
    let mut next = 0;
    bencher.bench_local(|| {
        if next + 256 > 100_000 {
            app.update(Action::PromptClear);
            app.update(Action::PromptChar('x'));
            app.search_started("x", 1);
            next = 0;
        }
        let matches = (next..next + 256).step_by(20).collect();
        next += 256;
        app.on_search_event(SearchEvent::Batch {
            generation: 1,
            matches,
            snippets: Vec::new(),
            scanned: next,
            total: 100_000,
        });
    });
}

/// A list of 100,000 articles over about four years, each with its own date, file and id.
fn dated_app_100000() -> App {
    let one = article(0);
    let articles = (0..100_000).map(|i| Box::new(dated(&one, i))).collect();
    let library = Library { root: PathBuf::from("."), articles, diagnostics: vec![] };
    let config = Config::default();
    let mut app = App::new(library, Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
    app.update(Action::Resize(120, 40));
    app
}

/// Article `i` of [`dated_app_100000`], newest first: `i` counts back from the newest.
fn dated(one: &Article, i: usize) -> Article {
    let mut a = one.clone();
    let (day, minute) = (i / 70, i % 70);
    a.meta.id = format!("a{i:06}").into();
    a.meta.path = PathBuf::from(format!("a{i:06}.toml"));
    a.meta.published = Some(bitext::article::Published(
        format!(
            "2026-{:02}-{:02}T{:02}:{:02}:00Z",
            12 - (day / 28) % 12,
            28 - day % 28,
            23 - minute / 60,
            59 - minute % 60
        )
        .into(),
    ));
    a
}

/// The UI thread's work when `count` articles arrive among 100,000 (what a large fetch brings
/// to an open reader), then go again: the list takes them in with the selection and its place
/// kept. Each iteration is one arrival and one departure, at once (the reader takes 25 at a
/// time between keys: `ARRIVING_STEP`); the list is at its end as it began.
#[divan::bench(sample_count = 20, args = [25, 100, 1000])]
fn arrival_among_100000(bencher: Bencher, count: usize) {
    use bitext::library::{Checked, Was};
    let mut app = dated_app_100000();
    app.update(Action::PageDown);
    let one = article(0);
    // New articles, dated among the old ones (a fetch of a few feeds brings the latest days
    // and some older).
    let new: Vec<Article> = (0..count)
        .map(|j| {
            let mut a = dated(&one, j * 37_000 / count);
            a.meta.id = format!("new{j:04}").into();
            a.meta.path = PathBuf::from(format!("new{j:04}.toml"));
            a
        })
        .collect();
    let came = || -> Vec<Checked> {
        new.iter()
            .map(|a| Checked {
                path: a.meta.path.clone(),
                meta: Some(a.meta.clone()),
                diagnostics: vec![],
                changed: true,
                was: Was::Unlisted,
            })
            .collect()
    };
    // Where they are once listed, as the worker that finds them gone says (from the cache).
    app.apply_checked(came());
    let places: std::collections::HashMap<&str, usize> =
        app.library.articles.iter().enumerate().map(|(i, a)| (a.meta.id.as_str(), i)).collect();
    let at: Vec<usize> = new.iter().map(|a| places[a.meta.id.as_str()]).collect();
    drop(places);
    let went = || -> Vec<Checked> {
        new.iter()
            .zip(&at)
            .map(|(a, &i)| Checked {
                path: a.meta.path.clone(),
                meta: None,
                diagnostics: vec![],
                changed: true,
                was: Was::At(i),
            })
            .collect()
    };
    app.apply_checked(went());
    assert_eq!(app.library.articles.len(), 100_000);
    bencher.bench_local(|| {
        app.apply_checked(came());
        app.apply_checked(went());
    });
}

/// Sending a frame after one line of scrolling to the terminal at 120×40 (the reader on the
/// whole width): drawing, finding the scrolled block, and writing what differs (two frames
/// per iteration, one line down and one up).
#[divan::bench(args = [Mode::Translation, Mode::SideBySide])]
fn screen_line_scroll_120x40(bencher: Bencher, mode: Mode) {
    use bitext::tui::screen::Screen;
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};
    let mut app = app(200, 120, 40, mode);
    app.zoom = true;
    app.update(Action::PageDown);
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)) };
    let terminal = Terminal::with_options(CrosstermBackend::new(std::io::sink()), options).unwrap();
    let mut screen = Screen::new(terminal, true);
    screen.draw(|f| view(&app, f)).unwrap();
    bencher.bench_local(|| {
        app.update(Action::Down);
        screen.draw(|f| view(&app, f)).unwrap();
        app.update(Action::Up);
        screen.draw(|f| view(&app, f)).unwrap();
    });
}
