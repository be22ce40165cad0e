//! Fetching feeds from the reader, through the real binary in a pseudo-terminal: `r` fetches every
//! subscription in the background and the list grows in place (the selection and the reading
//! place stay where they were, the new articles are marked `N`), `F` chooses one feed, a missing
//! `feeds.toml` and a failing feed are messages, and the filter picker offers the feed.
//!
//! Every feed is served by the loopback server in `common/http.rs` with its full content inline
//! (`full_text = "never"`, `edition = false`), so no page is ever fetched; `$XDG_CONFIG_HOME`
//! points at a temp folder holding the test's own `bitext/feeds.toml`.

mod common;

use std::path::Path;

use common::http::{Reply, Server};
use common::pty::{ENTER, SAMPLE_LIBRARY, Spawn, Tui, copy_library};

/// The list pane: the left 42 columns of a 120-column screen (`[list] width`, set by `spawn`).
const LIST_WIDTH: u16 = 42;

/// The sample article the `r` test selects: the third in the list (newest first).
const CANAL_TITLE: &str = "Ten years after its World";
/// The newest sample article, unread throughout.
const SAKURA_TITLE: &str = "How Japan decides the cherry";

/// The harbour feed's items: titles, publication dates and paragraphs (a story of a Busan fish
/// market, in Korean). Dated after every sample article, so they come first in the list and the
/// selected article moves down three rows when they arrive.
const HARBOUR: [(&str, &str, &[&str]); 3] = [
    (
        "자갈치 새벽 경매 물량 두 배",
        "Tue, 06 May 2025 05:30:00 +0900",
        &[
            "부산 자갈치시장의 새벽 경매장에 올봄 들어 가장 많은 생선 상자가 쌓였다.",
            "경매사들은 고등어와 갈치가 한꺼번에 들어온 것은 십 년 만이라고 말했다.",
            "상인들은 값이 떨어져도 손님이 늘어 반갑다며 좌판을 일찍 열었다.",
        ],
    ),
    (
        "영도 물양장에 선단 귀항",
        "Mon, 05 May 2025 18:10:00 +0900",
        &[
            "제주 앞바다에서 한 달을 보낸 고등어 선단이 영도 물양장으로 돌아왔다.",
            "선원들은 얼음 창고를 비우자마자 그물을 말리고 엔진을 손보기 시작했다.",
        ],
    ),
    (
        "남항 어판장 지붕 새로 덮어",
        "Sun, 04 May 2025 09:00:00 +0900",
        &[
            "비가 새던 남항 어판장 지붕이 사십 년 만에 새 철판으로 바뀐다.",
            "공사 기간에는 경매가 임시 천막에서 열리며 새벽 시간은 그대로 유지된다.",
            "구청은 장마가 오기 전에 공사를 끝내겠다고 밝혔다.",
        ],
    ),
];

/// The market feed's items, for the test that fetches one feed of two.
const MARKET: [(&str, &str, &[&str]); 2] = [
    (
        "망원시장 떡집의 마지막 날",
        "Tue, 06 May 2025 07:00:00 +0900",
        &["삼십 년 동안 새벽마다 떡을 찌던 망원시장 떡집이 문을 닫았다.", "단골들은 마지막 시루떡을 사려고 줄을 섰다."],
    ),
    (
        "광장시장 빈대떡 줄 다시 길어져",
        "Mon, 05 May 2025 12:00:00 +0900",
        &[
            "연휴를 맞아 광장시장 빈대떡 골목에 다시 긴 줄이 생겼다.",
            "상인들은 녹두 값이 올라도 가격은 그대로 두겠다고 했다.",
        ],
    ),
];

/// An RSS 2.0 document whose items carry their whole text in `<content:encoded>`.
fn rss(channel: &str, slug: &str, items: &[(&str, &str, &[&str])]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n\
         <channel>\n<title>{channel}</title>\n<link>https://news.example/{slug}</link>\n\
         <description>{channel}</description>\n<language>ko</language>\n"
    );
    for (i, (title, date, paragraphs)) in items.iter().enumerate() {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        xml.push_str(&format!(
            "<item>\n<title>{title}</title>\n<link>https://news.example/{slug}/{i}</link>\n\
             <guid>https://news.example/{slug}/{i}</guid>\n<pubDate>{date}</pubDate>\n\
             <description>{}</description>\n<content:encoded><![CDATA[{body}]]></content:encoded>\n</item>\n",
            paragraphs[0]
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn rss_reply(body: String) -> Reply {
    Reply::ok("application/rss+xml; charset=utf-8", body)
}

/// Writes `config_home/bitext/feeds.toml` with one subscription per `(name, url)`.
fn write_feeds(config_home: &Path, feeds: &[(&str, String)]) {
    let mut toml = String::from("# Feeds for the PTY tests.\n");
    for (name, url) in feeds {
        toml.push_str(&format!(
            "\n[[feeds]]\nurl = \"{url}\"\nname = \"{name}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
             full_text = \"never\"\nedition = false\n"
        ));
    }
    let dir = config_home.join("bitext");
    std::fs::create_dir_all(&dir).expect("create the config folder");
    std::fs::write(dir.join("feeds.toml"), toml).expect("write feeds.toml");
}

/// A copy of the sample articles, which the fetched articles join.
fn sample_library() -> tempfile::TempDir {
    let lib = tempfile::tempdir().expect("temp library");
    copy_library(Path::new(SAMPLE_LIBRARY), lib.path());
    lib
}

/// bitext at 120×40 on `library`, its config in `config_home` (a list [`LIST_WIDTH`] wide), with
/// no proxy from the environment: every request goes straight to the loopback server.
fn spawn(library: &Path, config_home: &Path) -> Tui {
    let dir = config_home.join("bitext");
    std::fs::create_dir_all(&dir).expect("create the config folder");
    std::fs::write(dir.join("config.toml"), format!("[list]\nwidth = {LIST_WIDTH}\n")).expect("write config.toml");
    let mut spawn = Spawn::new(120, 40).library(library).env("XDG_CONFIG_HOME", config_home);
    for proxy in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
        spawn = spawn.env(proxy, "");
    }
    spawn.env("NO_PROXY", "*").env("no_proxy", "*").start()
}

/// The rows of the list pane.
fn list_rows(tui: &Tui) -> Vec<String> {
    tui.columns(0, LIST_WIDTH)
}

/// The list row holding `title`.
fn row_of(tui: &Tui, title: &str) -> Option<String> {
    list_rows(tui).into_iter().find(|r| r.contains(title))
}

/// The selected article's title row: the one with the selection bar.
fn selected_row(tui: &Tui) -> String {
    list_rows(tui).into_iter().find(|r| r.contains('▌')).unwrap_or_default()
}

/// The marker columns of a list row: what lies between the border and selection bar on the left
/// and the title (unread ●, new N, starred ★).
fn markers(row: &str, title: &str) -> String {
    let title_at = row.find(title).unwrap_or(0);
    row[..title_at].chars().skip(2).collect()
}

/// The status line's first field (the list position, `N/M`, while the list has the focus).
fn position(tui: &Tui) -> String {
    tui.status_fields().first().cloned().unwrap_or_default()
}

/// The status line's paragraph field, `¶ n/m`.
fn paragraph(tui: &Tui) -> Option<String> {
    tui.status_fields().into_iter().find(|f| f.starts_with("¶ "))
}

/// `r` fetches the subscription in the background; the three new articles come into the list in
/// place, marked `N`, while the selected article stays selected and the reader keeps its place.
#[test]
fn r_fetches_in_place_keeping_selection_and_place() {
    let server = Server::start(vec![("/harbour.xml", vec![rss_reply(rss("부산 항구 소식", "harbour", &HARBOUR))])]);
    let lib = sample_library();
    let config = tempfile::tempdir().expect("temp config home");
    write_feeds(config.path(), &[("harbour", server.url("/harbour.xml"))]);
    let mut tui = spawn(lib.path(), config.path());
    tui.wait_for_text("8 articles");

    tui.send(b"j");
    tui.send(b"j");
    tui.wait_for_status("3/8");
    let before = selected_row(&tui);
    assert!(before.contains(CANAL_TITLE), "the third article is not selected:\n{}", tui.framed_screen());

    tui.send(ENTER);
    tui.wait_for("the article in the reader", |t| paragraph(t).is_some_and(|p| p.starts_with("¶ 1/")));
    tui.send(b"J");
    tui.wait_for("a paragraph further", |t| paragraph(t).is_some_and(|p| p.starts_with("¶ 2/")));
    tui.send(b"J");
    tui.wait_for("two paragraphs further", |t| paragraph(t).is_some_and(|p| p.starts_with("¶ 3/")));
    let place = paragraph(&tui).expect("a paragraph field");

    tui.send(b"\t");
    tui.wait_for("the focus back on the list", |t| position(t) == "3/8");
    assert_eq!(paragraph(&tui).as_deref(), Some(place.as_str()), "{}", tui.framed_screen());
    let mut reader_before = tui.columns(LIST_WIDTH, 120 - LIST_WIDTH);

    tui.send(b"r");
    tui.wait_for_message("1 feed: 3 new articles");
    tui.wait_for("the new articles in the list", |t| {
        t.contents().contains("11 articles") && HARBOUR.iter().all(|(title, _, _)| row_of(t, title).is_some())
    });

    let after = selected_row(&tui);
    assert!(after.contains(CANAL_TITLE), "the selection moved off {before:?}:\n{}", tui.framed_screen());
    assert_eq!(position(&tui), "6/11", "the selection is not the same article:\n{}", tui.framed_screen());
    assert_eq!(paragraph(&tui).as_deref(), Some(place.as_str()), "the reader moved:\n{}", tui.framed_screen());
    let mut reader_after = tui.columns(LIST_WIDTH, 120 - LIST_WIDTH);
    // The status line says what the fetch did; the reader pane above it is unchanged.
    reader_before.pop();
    reader_after.pop();
    assert_eq!(reader_after, reader_before, "the reader pane changed:\n{}", tui.framed_screen());
    for (title, _, _) in HARBOUR {
        let row = row_of(&tui, title).unwrap_or_default();
        let marks = markers(&row, title);
        assert!(marks.contains('N'), "no N on {row:?}:\n{}", tui.framed_screen());
        assert!(!marks.contains('●'), "the unread dot instead of N on {row:?}:\n{}", tui.framed_screen());
    }
    // The articles that were there before are not new: the one just read has no marker, the
    // others keep their unread dot.
    let canal = markers(&after, CANAL_TITLE);
    assert!(!canal.contains('N') && !canal.contains('●'), "markers of {after:?}:\n{}", tui.framed_screen());
    let sakura = row_of(&tui, SAKURA_TITLE).unwrap_or_default();
    let marks = markers(&sakura, SAKURA_TITLE);
    assert!(marks.contains('●') && !marks.contains('N'), "markers of {sakura:?}:\n{}", tui.framed_screen());
    // The files went into the feed's folder.
    let folder: Vec<_> = std::fs::read_dir(lib.path().join("harbour")).expect("the feed's folder").flatten().collect();
    assert_eq!(folder.len(), 3, "{folder:?}");

    // Reopening the article: the same paragraph.
    tui.send(ENTER);
    tui.wait_for("the reader again", |t| t.status_fields().first().is_some_and(|f| !f.contains('/')));
    tui.wait_for_status(&place);
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

/// `F` lists the subscriptions; Enter on the second fetches that feed only.
#[test]
fn f_picks_one_feed_to_fetch() {
    let server = Server::start(vec![
        ("/harbour.xml", vec![rss_reply(rss("부산 항구 소식", "harbour", &HARBOUR))]),
        ("/market.xml", vec![rss_reply(rss("서울 시장 이야기", "market", &MARKET))]),
    ]);
    let lib = sample_library();
    let config = tempfile::tempdir().expect("temp config home");
    write_feeds(config.path(), &[("harbour", server.url("/harbour.xml")), ("market", server.url("/market.xml"))]);
    let mut tui = spawn(lib.path(), config.path());
    tui.wait_for_text("8 articles");

    tui.send(b"F");
    tui.wait_for_text("Fetch a feed");
    tui.wait_for("both feeds in the picker", |t| {
        let text = t.contents();
        text.contains("feed: harbour") && text.contains("feed: market")
    });
    let rows = tui.rows();
    let harbour_at = rows.iter().position(|r| r.contains("feed: harbour"));
    let market_at = rows.iter().position(|r| r.contains("feed: market"));
    assert!(harbour_at < market_at, "the feeds out of order:\n{}", tui.framed_screen());

    tui.send(b"\x1b[B");
    tui.send(ENTER);
    tui.wait_for_gone("Fetch a feed");
    tui.wait_for_message("1 feed: 2 new articles");
    tui.wait_for("the market's articles in the list", |t| {
        t.contents().contains("10 articles") && MARKET.iter().all(|(title, _, _)| row_of(t, title).is_some())
    });
    let text = tui.contents();
    for (title, _, _) in HARBOUR {
        assert!(!text.contains(title), "the harbour feed was fetched too:\n{}", tui.framed_screen());
    }
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/market.xml"], "only the chosen feed is requested");
    assert!(!lib.path().join("harbour").exists(), "the harbour feed has a folder");

    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

/// The list still moves, and `q` quits with status 0.
fn keeps_working_and_quits(tui: &mut Tui) {
    tui.send(b"j");
    tui.wait_for_status("2/8");
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
}

/// `r` with no `feeds.toml` says there are no subscriptions, and the reader goes on.
#[test]
fn r_without_subscriptions_says_so() {
    let lib = sample_library();
    let config = tempfile::tempdir().expect("temp config home");
    let mut tui = spawn(lib.path(), config.path());
    tui.wait_for_text("8 articles");
    tui.send(b"r");
    tui.wait_for_message("no subscriptions");
    keeps_working_and_quits(&mut tui);
}

/// A feed whose server answers 500: the status line says which feed failed and why, and the
/// reader goes on.
#[test]
fn r_with_a_failing_feed_reports_it() {
    let server = Server::start(vec![("/harbour.xml", vec![Reply::status(500)])]);
    let lib = sample_library();
    let config = tempfile::tempdir().expect("temp config home");
    write_feeds(config.path(), &[("harbour", server.url("/harbour.xml"))]);
    let mut tui = spawn(lib.path(), config.path());
    tui.wait_for_text("8 articles");
    tui.send(b"r");
    tui.wait_for("the feed's failure in the status line", |t| {
        let status = t.status_text();
        status.contains("harbour") && status.contains("HTTP 500")
    });
    assert!(server.requests().iter().all(|r| r.path == "/harbour.xml"), "{:?}", server.requests());
    assert!(tui.contents().contains("8 articles"), "{}", tui.framed_screen());
    keeps_working_and_quits(&mut tui);
}

/// After a fetch the filter picker offers `feed: NAME`; choosing it shows that feed's articles
/// only.
#[test]
fn filter_picker_offers_the_feed() {
    let server = Server::start(vec![("/harbour.xml", vec![rss_reply(rss("부산 항구 소식", "harbour", &HARBOUR))])]);
    let lib = sample_library();
    let config = tempfile::tempdir().expect("temp config home");
    write_feeds(config.path(), &[("harbour", server.url("/harbour.xml"))]);
    let mut tui = spawn(lib.path(), config.path());
    tui.wait_for_text("8 articles");
    tui.send(b"r");
    tui.wait_for_message("1 feed: 3 new articles");
    tui.wait_for_text("11 articles");

    tui.send(b"t");
    tui.wait_for_text("Filter by");
    tui.wait_for_text("feed: harbour (3)");
    let rows = tui.rows();
    let top = rows.iter().position(|r| r.contains("Filter by")).expect("the picker's title");
    let at = rows.iter().position(|r| r.contains("feed: harbour (3)")).expect("the feed's entry");
    assert!(at > top, "{}", tui.framed_screen());
    for _ in 0..at - top - 1 {
        tui.send(b"\x1b[B");
    }
    tui.send(ENTER);
    tui.wait_for_gone("Filter by");
    tui.wait_for("the list narrowed to the feed", |t| {
        let list = list_rows(t).join("\n");
        list.contains("feed: harbour") && list.contains("3 shown")
    });
    tui.wait_for_status("1/3");
    let list = list_rows(&tui).join("\n");
    for (title, _, _) in HARBOUR {
        assert!(list.contains(title), "{title} is not in the list:\n{}", tui.framed_screen());
    }
    assert!(!list.contains(CANAL_TITLE), "a sample article is still listed:\n{}", tui.framed_screen());
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}
