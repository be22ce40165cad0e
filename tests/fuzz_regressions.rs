//! The fuzz targets' invariants (fuzz/src/lib.rs, included here as it is) on hand-written hard
//! inputs, and every input a failure was found with, as plain tests. Fuzzing itself is not part
//! of CI (see FUZZING.md); these tests are.
//!
//! A finding's test replays the exact bytes libFuzzer saved (minimised with `cargo fuzz tmin`)
//! through the same check the target runs, numbered as in FUZZING.md. Should a finding ever be
//! left unfixed, mark its test `#[ignore = "finding N, not fixed yet"]` so `cargo test` stays
//! green, and remove the `#[ignore]` with the fix.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

// ---------------------------------------------------------------------------------------------
// parse_article
// ---------------------------------------------------------------------------------------------

const HEAD: &str = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n";

#[test]
fn parse_article_hand_written() {
    let nested = format!("a = {}{}", "[".repeat(5000), "]".repeat(5000));
    let inputs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b" \n\t\r\n".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xef\xbb\xbf\n".to_vec(),
        b"\0".to_vec(),
        b"title = \"\xe2\x82\"".to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        b"title = \"T".to_vec(),
        b"[[paragraphs]]".to_vec(),
        nested.into_bytes(),
        format!("{HEAD}paragraphs = []\n").into_bytes(),
        format!("{HEAD}[body]\n").into_bytes(),
        format!("{HEAD}[body]\nsource = \"\"\ntranslation = \"\\n\\n \\n\"\n").into_bytes(),
        format!("{HEAD}[[paragraphs]]\nsource = \"\\u001b[2J\"\n").into_bytes(),
        format!("{HEAD}[[paragraphs]]\nsource = \"a\"\n\"k\\u001b]0;x\\u0007\\u202e\" = 1\n").into_bytes(),
        format!("{HEAD}[[paragraphs]]\nsource = \"a\"\n[[paragraphs]]\nkind = \"\\u001b[31m\"\n").into_bytes(),
        format!("{HEAD}published = \"\\u009b2J\\u2066\"\n[[paragraphs]]\nsource = \"a\"\n").into_bytes(),
        format!("{HEAD}published = [1]\n[[paragraphs]]\nsource = \"a\"\n").into_bytes(),
        "title = \"\\u202e\\u2066\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"a\"\n"
            .as_bytes()
            .to_vec(),
        format!("{HEAD}tags = [\"\\t\", \"a\\u2028b\"]\nauthors = [\"\\u0085\"]\n[body]\nsource = \"1\\r\\r2\\u2029\\u2029three\"\n")
            .into_bytes(),
        format!("{HEAD}[[paragraphs]]\nsource = \"a\"\n[[paragraphs]]\n").into_bytes(),
        include_bytes!("fixtures/hostile/hostile.toml").to_vec(),
    ];
    for input in &inputs {
        checks::check_parse_article(input);
    }
}

// ---------------------------------------------------------------------------------------------
// sanitize
// ---------------------------------------------------------------------------------------------

#[test]
fn sanitize_hand_written() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\x1b",
        b"a\x1b",
        b"\x1b[",
        b"\x1b[31",
        b"\x1b[\xe2\x80\xae",
        b"\x1b]0;title",
        b"\x1b]0;title\nnext",
        b"\x1b]8;;\x1b",
        b"\x1bP",
        b"\x1b(",
        b"\x1b\x1b\x1b[[",
        b"\xc2\x9b2J",
        b"\xc2\x9d0;t",
        b"\xc2\x9d0;t\r\xc2\x9c",
        b"\r\r\n\r",
        b"\t\xe4\xb8\xad\t\xcc\x81\t",
        b"\xe2\x80\xa8\xe2\x80\xa9",
        b"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
        b"\xc2\x80\xc2\x85\xc2\x9f\x7f\x00\x01",
        b"\xff\xfe\xc0\xaf\xed\xa0\x80",
        b" \xe3\x80\x80 \xc2\xa0\n \t ",
        b"\xe1\x9a\x80a\xe2\x80\x8bb",
    ];
    for input in inputs {
        checks::check_sanitize(input);
    }
}

// ---------------------------------------------------------------------------------------------
// wrap
// ---------------------------------------------------------------------------------------------

#[test]
fn wrap_hand_written() {
    let texts = [
        "",
        " ",
        "\n\n",
        "a",
        "中",
        "中文。中文。」」」」",
        "서울시는 11일 시청에서 북한인권포럼을열었다",
        "👩\u{200d}👩\u{200d}👧👩\u{200d}👩\u{200d}👧 🇰🇷🇯🇵",
        "e\u{301}\u{301}\u{301} a \u{301}b",
        "\u{3000}\u{3000}中\u{3000}\u{3000}文",
        "https://news.example/a/very/long/path/that/never/ends?and=on&on=and",
        "a - b -- c --- d ---------------------------------",
        "ประเทศไทยมีฝนตกหนักประเทศไทยมีฝนตกหนัก",
        "\u{600}1 \u{600} a",
        "x\u{200b}y\u{200b}z\u{2060}w",
        "\t\ttab",
        "ｶ ｷ ｸ",
    ];
    for text in texts {
        for columns in [1, 2, 3, 4, 5, 7, 10, 80, 200] {
            checks::check_wrap_text(text, columns);
        }
    }
    // The byte form the target reads: first byte gives the width.
    checks::check_wrap(b"");
    checks::check_wrap(b"\x00");
    checks::check_wrap(b"\xc7\xe4\xb8\xad");
}

// ---------------------------------------------------------------------------------------------
// align
// ---------------------------------------------------------------------------------------------

#[test]
fn align_hand_written() {
    let none: [&str; 0] = [];
    checks::check_align_paragraphs(&none, &none);
    checks::check_align_paragraphs(&["a"], &none);
    checks::check_align_paragraphs(&none, &["a", "b", "c"]);
    checks::check_align_paragraphs(&["", "", ""], &["", ""]);
    checks::check_align_paragraphs(&["2025", "2025", "2025"], &["2025"]);
    checks::check_align_paragraphs(&["#", "!", "#h"], &["!c", "#"]);
    let many: Vec<String> = (0..300).map(|i| format!("paragraph {i} of many")).collect();
    checks::check_align_paragraphs(&many, &["one"]);
    checks::check_align_paragraphs(&["one"], &many);
    checks::check_align_paragraphs(&many, &many[..150]);
    let long = "word ".repeat(20_000);
    checks::check_align_paragraphs(&[long.as_str(), "x"], &["y", long.as_str(), "z"]);
    // The byte forms the target reads.
    for input in [&b""[..], b"\0", b"a\0", b"\0a", b"\n\n\n\n\0\n\n", b"\xff\xfe\0\xfd", b"a\n\nb\n\nc"] {
        checks::check_align(input);
    }
    checks::check_align(include_bytes!("align/ja-typhoon.toml"));
}

// ---------------------------------------------------------------------------------------------
// split_document
// ---------------------------------------------------------------------------------------------

#[test]
fn split_document_hand_written() {
    let inputs: &[&str] = &[
        "",
        "\n\n\n",
        "#",
        "# ",
        "#######",
        "# #",
        "![](x.png)",
        "![alt](x.png",
        ">",
        "> \n>\n>",
        "[](x)",
        "``",
        "****",
        "\u{1b}[31m\n\n\u{1b}]0;x\u{7}",
        "Title\n---",
        "Title\n===\n",
        "\r\n\r\n\u{2028}\u{2029}",
        "\u{202e}\u{2066}\n\n\u{2069}",
        "a\n\nb\n\n# c\n\nd",
        "Short\n\nA much longer paragraph follows the short line here.",
        "사진=연합뉴스\n\nPhoto: x",
        "[link](https://e.org) and [broken](",
        "**bold** __under__ `code`",
    ];
    for input in inputs {
        checks::check_blocks(input);
        // One-sided imports of a single paragraph are finding 2.
        checks::check_import(&format!("Title\n\nBody text.\n\n{input}"), None);
        checks::check_import(input, Some(input));
        checks::check_import("Title\n\nBody text.", Some(input));
    }
    checks::check_split_document(include_bytes!("../README.md"));
    checks::check_split_document(b"# T\n\nsource\0# T\n\ntranslation");
}

// ---------------------------------------------------------------------------------------------
// Findings (numbered as in FUZZING.md)
// ---------------------------------------------------------------------------------------------

/// Finding 1 (wrap, found by the `wrap` target; fixed in 454f631): a grapheme cluster wider
/// than the column overflowed the line. A Hangul choseong from Jamo Extended-A followed by a
/// precomposed syllable (U+A974 U+C914) is one cluster that `width` measures as 4 columns;
/// halfwidth katakana voiced sound marks (U+FF9E, U+FF9F) extend a cluster and ratatui counts
/// each as one more column (`ｶﾞ` is 3); Indic spacing marks add up the same way (`काााा` is 5).
/// `wrap` split only between graphemes and replaced a too-wide one with `?` only at width 1, so
/// at widths 2 and more such a cluster made a line wider than the width.
#[test]
fn finding_1_wide_grapheme_overflows_the_line() {
    // The `wrap` target's input as libFuzzer found and minimised it: width byte 0x01 (2 columns),
    // then U+A974 U+C914. Panicked: line "ꥴ줔" is 4 columns wide, more than 2.
    checks::check_wrap(b"\x01\xea\xa5\xb4\xec\xa4\x94");
    checks::check_wrap_text("\u{a974}\u{c914}", 3);
    checks::check_wrap_text("ｶﾞ", 2);
    checks::check_wrap_text("ﾞﾞﾞ", 5);
    checks::check_wrap_text("काााा", 4);
}

/// Finding 2 (import, found by the `split_document` target's invariants on a hand-written input
/// before that target was fuzzed; fixed in 454f631): when the text's only paragraph was taken
/// as the title, `import` succeeded and wrote `paragraphs = []`, which `article::parse` rejects
/// ("`paragraphs` is empty"), so `bitext import` wrote an article bitext could not open. `import`
/// checked for an empty body before it took the title out, not after.
#[test]
fn finding_2_one_paragraph_import_writes_an_unloadable_file() {
    // The `split_document` target's input: the source text `#` and no translation (one byte, so
    // already minimal). Panicked: the imported file does not load cleanly: `paragraphs` is empty.
    checks::check_split_document(b"#");
    checks::check_import("Seoul holds a forum", None);
    checks::check_import("Seoul holds a forum", Some(""));
    checks::check_import("", Some("Seoul holds a forum"));
}

/// The decode and extract path on hand-written inputs: every fixture page, truncated at many
/// points, and pages built to hurt (nesting, junk, declared encodings that lie).
#[test]
fn decode_extract_hand_written() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = std::fs::read(&path).unwrap();
        for declared in [0u8, 3] {
            for cut in (0..page.len()).step_by(4_001).chain([page.len()]) {
                let input = [&[declared][..], &page[..cut]].concat();
                checks::check_decode_extract(&input);
            }
        }
    }
    let nested = format!("\0{}<p>deep</p>{}", "<div>".repeat(500), "</div>".repeat(500));
    for input in [
        &b""[..],
        b"\x01<article><p>\x1b]0;x\x07 one</p><p>\x9b31m two</p></article>",
        b"\x02<meta charset=utf-16><article><p>\xff\xfe\x00a</p></article>",
        b"\x03<script type='application/ld+json'>{\"@graph\":[{\"@type\":[\"NewsArticle\"],\"author\":[[[]]]}]}</script><article><p>x</p></article>",
        nested.as_bytes(),
    ] {
        checks::check_decode_extract(input);
    }
}
