#![allow(dead_code)]
pub mod align_cases;
pub mod http;
pub mod pty;

/// An alignment bomb as the reliability probe made it: a `[body]` of `n` tiny source paragraphs
/// against `m` translation ones (about 160 KB for 20,000 against 10,000).
pub fn bomb(n: usize, m: usize) -> String {
    let mut s = String::from("title = \"Bomb\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[body]\nsource = \"\"\"\n");
    for i in 0..n {
        s.push_str(&format!("가{}\n\n", i % 10));
    }
    s.push_str("\"\"\"\ntranslation = \"\"\"\n");
    for i in 0..m {
        s.push_str(&format!("a{}\n\n", i % 10));
    }
    s.push_str("\"\"\"\n");
    s
}
