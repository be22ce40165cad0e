//! The command line, run as a user runs it: the real binary, real files, exit codes and output.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use unicode_width::UnicodeWidthStr;

fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

fn broken() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")
}

/// The binary with no user config and no state from the machine it runs on.
fn bitext(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("BITEXT_CONFIG")
        .output()
        .unwrap()
}

fn lib_args<'a>(lib: &'a Path, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--library", lib.to_str().unwrap()];
    v.extend_from_slice(rest);
    v
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn list_prints_one_line_per_article_newest_first() {
    let lib = articles();
    let o = bitext(&lib_args(&lib, &["list"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 8, "{out}");
    // Every article is unread in a fresh state: `●` in the first column.
    assert!(lines.iter().all(|l| l.starts_with("●  ")), "{out}");
    let lines: Vec<&str> = lines.iter().map(|l| l.trim_start_matches("●  ")).collect();
    assert!(lines.iter().any(|l| l.starts_with("ko/seoul-forum-north-korean-human-rights")
        && l.contains("2024-07-11")
        && l.contains("ko→en")));
    let dates: Vec<&str> = lines.iter().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
}

#[test]
fn list_json_has_the_documented_fields() {
    let lib = articles();
    let o = bitext(&lib_args(&lib, &["list", "--json"]));
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert!(items.len() >= 8);
    for item in items {
        for key in
            ["id", "title", "source_title", "source_lang", "target_lang", "outlet", "published", "tags", "paragraphs"]
        {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
        let n = item["paragraphs"].as_u64().unwrap();
        assert!((8..=25).contains(&n), "{}: {n} paragraphs", item["id"]);
    }
    let forum = items.iter().find(|i| i["id"] == "ko/seoul-forum-north-korean-human-rights").unwrap();
    assert_eq!(forum["source_lang"], "ko");
    assert_eq!(forum["published"], "2024-07-11");
}

#[test]
fn sample_library_covers_the_required_languages_and_forms() {
    let lib = articles();
    let o = bitext(&lib_args(&lib, &["list", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let langs: Vec<String> =
        v.as_array().unwrap().iter().map(|i| i["source_lang"].as_str().unwrap().to_string()).collect();
    assert!(langs.iter().filter(|l| *l == "ko").count() >= 3);
    for need in [&["ja"][..], &["zh", "zh-Hans", "zh-Hant"], &["de", "fr"], &["ru", "uk"], &["es"]] {
        assert!(langs.iter().any(|l| need.contains(&l.as_str())), "no article in {need:?}");
    }
    let check = bitext(&lib_args(&lib, &["check"]));
    assert!(check.status.success(), "{}", stdout(&check));
    assert!(stdout(&check).contains("0 file(s) with errors, 0 warning(s)"), "{}", stdout(&check));
}

#[test]
fn show_prints_every_mode_within_the_width() {
    let lib = articles();
    for mode in ["translation", "source", "side-by-side", "interleaved"] {
        for width in ["60", "100", "200"] {
            let o = bitext(&lib_args(
                &lib,
                &["show", "ko/seoul-forum-north-korean-human-rights", "--mode", mode, "--width", width],
            ));
            assert!(o.status.success(), "{mode} {width}: {}", stderr(&o));
            let out = stdout(&o);
            let w: usize = width.parse().unwrap();
            for line in out.lines() {
                assert!(line.width() <= w, "{mode} at {width}: {line:?} is {} wide", line.width());
            }
            assert!(out.contains("Seoul hosts first"), "{mode}: header");
            let has_korean = out.contains("서울시가");
            let has_english = out.contains("The Seoul Metropolitan Government");
            match mode {
                "translation" => assert!(has_english && !has_korean),
                "source" => assert!(has_korean && !has_english),
                _ => assert!(has_english && has_korean),
            }
        }
    }
}

#[test]
fn show_side_by_side_starts_pairs_on_one_line() {
    let lib = articles();
    let o = bitext(&lib_args(
        &lib,
        &["show", "ko/seoul-forum-north-korean-human-rights", "-m", "side-by-side", "-w", "120"],
    ));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.contains("서울시가") && l.contains("The Seoul Metropolitan")), "{out}");
}

#[test]
fn show_without_a_terminal_defaults_to_100_columns() {
    let lib = articles();
    let o = bitext(&lib_args(&lib, &["show", "de/deutschlandticket-start", "-m", "side-by-side"]));
    assert!(o.status.success());
    let widest = stdout(&o).lines().map(|l| l.width()).max().unwrap();
    assert!(widest > 80 && widest <= 100, "widest line {widest}");
}

#[test]
fn show_unknown_id_is_a_clear_error() {
    let lib = articles();
    let o = bitext(&lib_args(&lib, &["show", "no/such-article"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no article with id \"no/such-article\""), "{}", stderr(&o));
}

#[test]
fn show_a_broken_article_names_its_problem() {
    let lib = broken();
    let o = bitext(&lib_args(&lib, &["show", "syntax"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("syntax.toml:3:"), "{}", stderr(&o));
}

/// Copies the broken fixtures and adds what git cannot hold: a folder named `x.toml` and a
/// dangling symlink.
fn broken_library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&broken(), dir.path());
    std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.toml"), dir.path().join("dangling.toml")).unwrap();
    dir
}

#[test]
fn check_reports_every_bad_file_and_exits_1() {
    let dir = broken_library();
    let o = bitext(&lib_args(dir.path(), &["check"]));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let expect = [
        ("syntax.toml:3:15: error: TOML syntax error", ""),
        ("wrong-type.toml:4:8: error: `tags`", "expected an array"),
        ("bad-utf8.toml:1:20: error: not valid UTF-8", ""),
        ("empty.toml: error: the file is empty", ""),
        ("binary.toml: error: binary file", ""),
        ("missing-title.toml", "missing required key `title`"),
        ("both-bodies.toml: error: both", ""),
        ("folder.toml: error: is a folder", ""),
        ("dangling.toml: error: dangling symlink", ""),
        ("sub/typo.toml:2:1: warning: unknown key `tittle`", ""),
        ("sub/typo.toml:9:1: warning: unknown key `transaltion` in paragraph 1", ""),
    ];
    for (needle, also) in expect {
        let line = out.lines().find(|l| l.contains(needle));
        assert!(line.is_some_and(|l| l.contains(also)), "missing {needle:?} in\n{out}");
    }
    assert!(out.contains("2 article(s) loaded, 9 file(s) with errors, 2 warning(s)"), "{out}");
}

#[test]
fn list_still_lists_good_articles_in_a_broken_library() {
    let dir = broken_library();
    let o = bitext(&lib_args(dir.path(), &["list"]));
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("good") && out.contains("sub/typo"), "{out}");
    assert_eq!(out.lines().count(), 2);
    assert!(stderr(&o).contains("9 file(s) could not be loaded"));
}

#[test]
fn missing_library_is_one_line_and_exit_2() {
    let o = bitext(&["--library", "/nonexistent/bitext-library", "list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/bitext-library") && err.contains("does not exist"), "{err}");
    for cmd in ["check", "read"] {
        let o = bitext(&["--library", "/nonexistent/bitext-library", cmd]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
    }
}

#[test]
fn bad_config_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[reader]\nmax_width = \"wide\"\n").unwrap();
    let o = bitext(&["--config", cfg.to_str().unwrap(), "list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:2:13", cfg.display())), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    std::fs::write(&cfg, "[reader\n").unwrap();
    let o = bitext(&["--config", cfg.to_str().unwrap(), "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("{}:1:", cfg.display())), "{}", stderr(&o));

    let o = bitext(&["--config", "/nonexistent/config.toml", "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such file"));
}

#[test]
fn config_file_sets_library_relative_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&broken(), &dir.path().join("news").tap_create());
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[library]\npath = \"news\"\n").unwrap();
    let o = bitext(&["--config", cfg.to_str().unwrap(), "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("A good article among broken ones"));
}

#[test]
fn config_from_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[reader]\nmode = \"source\"\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["--library", articles().to_str().unwrap(), "show", "ko/seoul-forum-north-korean-human-rights"])
        .env("BITEXT_CONFIG", &cfg)
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("서울시가") && !out.contains("The Seoul Metropolitan"), "config mode applies");
}

#[test]
fn reader_refuses_a_pipe_with_a_message() {
    let lib = articles();
    let o = bitext(&lib_args(&lib, &[]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs a terminal"), "{}", stderr(&o));
}

#[test]
fn version_and_help() {
    let o = bitext(&["--version"]);
    assert!(stdout(&o).starts_with("bitext "));
    let o = bitext(&["show", "--help"]);
    let out = stdout(&o);
    for flag in ["--mode", "--width", "--library", "--config"] {
        assert!(out.contains(flag), "{flag}");
    }
}

trait TapCreate {
    fn tap_create(self) -> Self;
}

impl TapCreate for PathBuf {
    fn tap_create(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

fn bitext_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(args)
        .env_remove("BITEXT_CONFIG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

const KO: &str = "서울시, 첫 북한인권 포럼 연다\n\n서울시가 11일 시청에서 포럼을 열었다.\n\n포럼에는 국내외 전문가 40여 명이 참석했다.\n\n사진=서울시\n\n## 배경\n\n이번 포럼은 7월 14일 북한이탈주민의 날을 앞두고 열렸다.\n\n공유하기\n\n";
const EN: &str = "# Seoul to hold first North Korean human rights forum\n\nSeoul held a forum at City Hall on the 11th, attended by some 40 experts from home and abroad.\n\n## Background\n\nThe forum came ahead of North Korean Defectors' Day on July 14.\n\nWas this article helpful? Donate now to support independent journalism!\n";

#[test]
fn import_writes_an_aligned_article_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ko.txt"), KO).unwrap();
    let out = dir.path().to_str().unwrap();
    let o = bitext_stdin(
        &[
            "import",
            "--source",
            dir.path().join("ko.txt").to_str().unwrap(),
            "--translation",
            "-",
            "--source-lang",
            "ko",
            "--target-lang",
            "en",
            "--published",
            "2024-07-11",
            "--outlet",
            "Test Wire",
            "--out",
            out,
        ],
        EN,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stdout(&o);
    let mut lines = printed.lines();
    let path = lines.next().unwrap();
    assert!(path.ends_with("2024-07-11-seoul-to-hold-first-north-korean-human-rights-forum.toml"), "{path}");
    let summary = lines.next().unwrap();
    // The photo credit, the share button and the site's plea are not paragraphs.
    assert_eq!(summary, "3 pairs: 2×1-1, 1×2-1");

    let check = bitext(&lib_args(dir.path(), &["check"]));
    assert!(check.status.success(), "{}", stdout(&check));
    let json = bitext(&lib_args(dir.path(), &["list", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[0]["title"], "Seoul to hold first North Korean human rights forum");
    assert_eq!(v[0]["source_title"], "서울시, 첫 북한인권 포럼 연다");
    assert_eq!(v[0]["outlet"], "Test Wire");
    let id = v[0]["id"].as_str().unwrap();
    let show = bitext(&lib_args(dir.path(), &["show", id, "-m", "side-by-side", "-w", "120"]));
    let text = stdout(&show);
    assert!(
        text.lines().any(|l| l.contains("2:1") && l.contains("서울시가 11일") && l.contains("Seoul held a forum")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.contains("배경") && l.contains("Background")), "headings pair up: {text}");
    assert!(!text.contains("Was this article helpful?") && !text.contains("공유하기"), "site boilerplate is dropped");

    let again = bitext(&[
        "import",
        "--source",
        dir.path().join("ko.txt").to_str().unwrap(),
        "--source-lang",
        "ko",
        "--target-lang",
        "en",
        "--title",
        "Seoul to hold first North Korean human rights forum",
        "--published",
        "2024-07-11",
        "--out",
        out,
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists; use --force"), "{}", stderr(&again));
    let forced = bitext(&[
        "import",
        "--source",
        dir.path().join("ko.txt").to_str().unwrap(),
        "--source-lang",
        "ko",
        "--target-lang",
        "en",
        "--title",
        "Seoul to hold first North Korean human rights forum",
        "--published",
        "2024-07-11",
        "--out",
        out,
        "--force",
    ]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(stdout(&forced).contains("pairs: ") && stdout(&forced).contains("×1-0"));
}

#[test]
fn import_refuses_bad_input_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = bitext(&["import", "--source-lang", "ko", "--target-lang", "en", "--out", out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to import"));
    let o =
        bitext(&["import", "--source", "/nonexistent.txt", "--source-lang", "ko", "--target-lang", "en", "--out", out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent.txt: cannot read"), "{}", stderr(&o));
    std::fs::write(dir.path().join("bad.txt"), b"\xff\xfe junk").unwrap();
    let o = bitext(&[
        "import",
        "--source",
        dir.path().join("bad.txt").to_str().unwrap(),
        "--source-lang",
        "ko",
        "--target-lang",
        "en",
        "--out",
        out,
    ]);
    assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));
    let o = bitext_stdin(
        &[
            "import",
            "--translation",
            "-",
            "--source-lang",
            "ko",
            "--target-lang",
            "en",
            "--published",
            "yesterday",
            "--out",
            out,
        ],
        "x",
    );
    assert!(stderr(&o).contains("not a date"), "{}", stderr(&o));
}

#[test]
fn list_shows_reading_state() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("state/bitext");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("state.json"),
        r#"{"version":1,"articles":{"ko/seoul-forum-north-korean-human-rights":{"read":true,"starred":true,"position":5,"updated":1},"de/deutschlandticket-start":{"read":true,"starred":false,"position":0,"updated":1}}}"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bitext"))
            .args(["--library", articles().to_str().unwrap()])
            .args(args)
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env_remove("BITEXT_CONFIG")
            .output()
            .unwrap()
    };
    let out = stdout(&run(&["list"]));
    let line = |id: &str| out.lines().find(|l| l.contains(id)).unwrap().to_string();
    assert!(line("ko/seoul-forum").starts_with(" ★ "), "{out}");
    assert!(line("de/deutschlandticket").starts_with("   "), "{out}");
    assert!(line("ja/sakura").starts_with("●  "), "{out}");
    let v: serde_json::Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    let find = |id: &str| v.as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    let forum = find("ko/seoul-forum-north-korean-human-rights");
    assert_eq!(
        (forum["read"].as_bool(), forum["starred"].as_bool(), forum["position"].as_u64()),
        (Some(true), Some(true), Some(5))
    );
    let sakura = find("ja/sakura-front-sample-trees");
    assert_eq!(
        (sakura["read"].as_bool(), sakura["starred"].as_bool(), sakura["position"].as_u64()),
        (Some(false), Some(false), Some(0))
    );
}

#[test]
fn corrupt_state_is_moved_aside_with_a_warning() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("state/bitext");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.json"), "{ not json").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["--library", articles().to_str().unwrap(), "list"])
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("BITEXT_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(stderr(&o).contains("moved"), "{}", stderr(&o));
    let aside: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(aside.iter().any(|n| n.starts_with("state.json.corrupt-")), "{aside:?}");
}

/// No byte that a terminal would read as a control: ESC, other C0 controls but newline, DEL,
/// C1 controls (as UTF-8), bidi overrides and isolates.
fn assert_inert(out: &str) {
    for (i, c) in out.char_indices() {
        let bad = (c.is_control() && c != '\n')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c);
        assert!(!bad, "control {c:?} at byte {i} in:\n{out}");
    }
}

#[test]
fn hostile_article_reaches_stdout_inert() {
    let dir = tempfile::tempdir().unwrap();
    let hostile =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/hostile.toml")).unwrap();
    std::fs::write(dir.path().join("hostile.toml"), &hostile).unwrap();
    // The file name itself carries an escape sequence too.
    std::fs::write(dir.path().join("evil\u{1b}]0;NAME\u{7}name.toml"), &hostile).unwrap();
    let lib = dir.path();
    let list = bitext(&lib_args(lib, &["list"]));
    assert!(list.status.success());
    assert_inert(&stdout(&list));
    assert!(stdout(&list).contains("Visible title after OSC 0"));
    // The escape in the name is shown escaped, so the id stays unique and inert.
    assert!(stdout(&list).contains("evil\\u{1b}]0;NAME\\u{7}name"), "{}", stdout(&list));
    let json = bitext(&lib_args(lib, &["list", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for item in v.as_array().unwrap() {
        assert_inert(&item.to_string().replace("\\n", "\n"));
        for field in ["title", "outlet", "url", "summary"] {
            assert_inert(item[field].as_str().unwrap());
        }
    }
    for mode in ["translation", "source", "side-by-side", "interleaved"] {
        let o = bitext(&lib_args(lib, &["show", "hostile", "-m", mode, "-w", "100"]));
        assert!(o.status.success());
        let out = stdout(&o);
        assert_inert(&out);
        assert!(!out.contains("PWNED") && !out.contains("evil.example") && !out.contains("ZXZpbA"), "{out}");
    }
    let sbs = stdout(&bitext(&lib_args(lib, &["show", "hostile", "-m", "side-by-side", "-w", "120"])));
    for visible in [
        "Visible title",
        "First paragraph with cursor moves and erases.",
        "Clipboard write.",
        "שלום",
        "مرحبا",
        "Outletlinked name",
    ] {
        assert!(sbs.contains(visible), "{visible:?} missing from:\n{sbs}");
    }
    let check = bitext(&lib_args(lib, &["check"]));
    assert_inert(&stdout(&check));
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let head = "title = \"x\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n";
    std::fs::write(
        dir.path().join("arrays.toml"),
        format!("{head}a = {}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tables.toml"),
        format!("{head}a = {}1{}\n", "{b=".repeat(100_000), "}".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(dir.path().join("dotted.toml"), format!("{head}{} = 1\n", vec!["a"; 100_000].join("."))).unwrap();
    let o = bitext(&lib_args(dir.path(), &["check"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    for f in ["arrays.toml", "tables.toml", "dotted.toml"] {
        assert!(out.lines().any(|l| l.contains(f) && l.contains("error")), "{f}: {out}");
    }
}

#[test]
fn oversized_files_are_refused_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[library]\nmax_file_size = 1000\n").unwrap();
    let big = format!(
        "title = \"big\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"{}\"\n",
        "가".repeat(2000)
    );
    std::fs::write(dir.path().join("big.toml"), big).unwrap();
    let o = bitext(&["--config", cfg.to_str().unwrap(), "--library", dir.path().to_str().unwrap(), "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("big.toml: error: file is 6") && stdout(&o).contains("over the limit of 1000 bytes"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn symlink_loops_and_unreadable_folders_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    std::fs::write(
        dir.path().join("sub/ok.toml"),
        "title = \"ok\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"가\"\n",
    )
    .unwrap();
    let o = bitext(&lib_args(dir.path(), &["check"]));
    let out = stdout(&o);
    assert!(out.contains("symlink loop"), "{out}");
    assert!(out.contains("1 article(s) loaded"), "{out}");
}

#[test]
fn forty_thousand_paragraphs_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("title = \"Long\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n");
    for i in 0..40_000 {
        text.push_str(&format!("[[paragraphs]]\nsource = \"문단 {i}.\"\ntranslation = \"Paragraph {i}.\"\n"));
    }
    std::fs::write(dir.path().join("long.toml"), text).unwrap();
    let o = bitext(&lib_args(dir.path(), &["list", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["paragraphs"], 40_000);
    let o = bitext(&lib_args(dir.path(), &["show", "long", "-m", "side-by-side", "-w", "100"]));
    assert!(stdout(&o).contains("Paragraph 39999."));
}

#[test]
fn ascii_flag_reaches_printed_output() {
    let lib = articles();
    let out = stdout(&bitext(&lib_args(&lib, &["--ascii", "list"])));
    assert!(out.lines().all(|l| l.starts_with("+  ")), "{out}");
    assert!(!out.contains('●') && !out.contains('→'), "{out}");
    let show =
        stdout(&bitext(&lib_args(&lib, &["--ascii", "show", "de/deutschlandticket-start", "-m", "side-by-side"])));
    for symbol in ['─', '│', '·', '→', '▎'] {
        assert!(!show.contains(symbol), "{symbol} in:\n{show}");
    }
    assert!(show.lines().any(|l| l.contains(" | ")), "{show}");
}

/// Where the library is for an installed bitext: --library, $BITEXT_LIBRARY, the config's
/// `[library] path`, ./articles, else its own folder under $XDG_DATA_HOME, made on first use.
#[test]
fn the_library_is_found_in_order_and_missing_ones_say_where_from() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bitext"));
        cmd.args(args)
            .current_dir(cwd.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env_remove("BITEXT_CONFIG")
            .env_remove("BITEXT_LIBRARY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    // Nowhere else: the default library, made on first use.
    let o = run(&[], &["list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(home.path().join("data/bitext/articles").is_dir());
    // ./articles when there is one.
    std::fs::create_dir(cwd.path().join("articles")).unwrap();
    std::fs::copy(articles().join("ko/seoul-forum-north-korean-human-rights.toml"), cwd.path().join("articles/a.toml"))
        .unwrap();
    let o = run(&[], &["list"]);
    assert!(stdout(&o).contains("Seoul hosts"), "{}", stdout(&o));
    // $BITEXT_LIBRARY before it; a missing one says so and where it came from.
    let o = run(&[("BITEXT_LIBRARY", "/nonexistent/from-env")], &["list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("/nonexistent/from-env does not exist (from $BITEXT_LIBRARY;"), "{err}");
    assert!(err.contains("then ./articles, then $XDG_DATA_HOME/bitext/articles"), "{err}");
    // --library before everything.
    let lib = articles();
    let o = run(&[("BITEXT_LIBRARY", "/nonexistent/from-env")], &["--library", lib.to_str().unwrap(), "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
