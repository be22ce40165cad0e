//! Fixing an article's pairing by hand: joining a pair with the next, splitting a pair whose
//! sides hold several paragraphs, unlinking a pair's two sides. Pure: the file's text in, the
//! new text out (the reader writes it, see `crate::tui::pairing`).
//!
//! An edit changes the file's TOML document (toml_edit), so comments, key order, formatting and
//! every other key stay as they were except in the entries it changes. A `[body]` article, which
//! the aligner pairs each time it is read, is first written as the `[[paragraphs]]` the reader
//! shows, so the edit has pairs to change and later reads keep them. Every entry an edit makes
//! is `manual = true` (a later re-alignment keeps it), without the aligner's `confidence`.

use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::article::{Group, Kind};

/// A change to the pairing of one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The pair and the next become one: each side's paragraphs after one another.
    Join,
    /// A pair whose sides hold several paragraphs becomes one pair a paragraph: the i-th source
    /// paragraph against the i-th translation paragraph, the longer side's extra ones alone.
    Split,
    /// A pair's two sides become two entries: the source alone, then the translation alone.
    Unlink,
}

/// Why an edit was not made. The file is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the file changed on disk since it was read; nothing was written")]
    Changed,
    #[error("there is no ¶{0}")]
    NoSuchPair(usize),
    #[error("¶{0} is the last pair: there is none after it to join")]
    NoNext(usize),
    #[error("nothing to split: ¶{0} is one paragraph against one")]
    NothingToSplit(usize),
    #[error("nothing to unlink: ¶{0} has only its {1}")]
    OneSided(usize, &'static str),
    #[error("the file is no longer an article: {0}")]
    NotAnArticle(String),
    #[error("`paragraphs` is an inline array here; pairs are edited in `[[paragraphs]]` tables only")]
    InlineArray,
    #[error("the edited file would not load ({0}); nothing was written")]
    WouldNotLoad(String),
}

/// A file edited: its new text, and what was done (`joined ¶4 and ¶5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub summary: String,
}

/// Makes `edit` on pair `index` (0-based) of the article file `text` at `path`, whose pairs the
/// reader shows as `shown`. Refused when the file no longer holds those pairs (it changed since
/// it was read), when the pair cannot take the edit, or when the result would not load.
pub fn apply(text: &str, path: &Path, shown: &[Group], index: usize, edit: Edit) -> Result<Edited, EditError> {
    let article = crate::article::parse(text.as_bytes(), "edit", path);
    let Some(article) = article.article else {
        return Err(EditError::NotAnArticle(first_error(&article.diagnostics)));
    };
    if *article.groups != *shown {
        return Err(EditError::Changed);
    }
    check(&article.groups, index, edit)?;
    // toml_edit keeps what precedes the first key, but not a byte order mark.
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let mut doc: DocumentMut = body
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::NotAnArticle(crate::text::sanitize_line(e.message())))?;
    let entries = entries(&mut doc, &article.groups)?;
    let g = &article.groups[index];
    let made = match edit {
        Edit::Join => join(entries, index),
        Edit::Split => split(entries, index, g),
        Edit::Unlink => unlink(entries, index),
    };
    let out = format!("{bom}{doc}");
    // A join makes one entry of two; the others make `made` of one.
    let expected = if edit == Edit::Join { article.groups.len() - 1 } else { article.groups.len() + made - 1 };
    let again = crate::article::parse(out.as_bytes(), "edit", path);
    match again.article {
        Some(a) if a.groups.len() == expected => Ok(Edited { text: out, summary: summary(edit, index, made) }),
        Some(a) => Err(EditError::WouldNotLoad(format!("{} pairs where {expected} were meant", a.groups.len()))),
        None => Err(EditError::WouldNotLoad(first_error(&again.diagnostics))),
    }
}

/// Whether `edit` can be made on pair `index` of `groups` (what [`apply`] checks first, for the
/// reader to answer at once).
pub fn check(groups: &[Group], index: usize, edit: Edit) -> Result<(), EditError> {
    let n = index + 1;
    let Some(g) = groups.get(index) else { return Err(EditError::NoSuchPair(n)) };
    match edit {
        Edit::Join if index + 1 >= groups.len() => Err(EditError::NoNext(n)),
        Edit::Split if g.source.len() <= 1 && g.translation.len() <= 1 => Err(EditError::NothingToSplit(n)),
        Edit::Unlink if g.translation.is_empty() => Err(EditError::OneSided(n, "source")),
        Edit::Unlink if g.source.is_empty() => Err(EditError::OneSided(n, "translation")),
        _ => Ok(()),
    }
}

/// What an edit that made `made` entries of pair `index` did, for the status line.
fn summary(edit: Edit, index: usize, made: usize) -> String {
    let n = index + 1;
    match edit {
        Edit::Join => format!("joined ¶{n} and ¶{}", n + 1),
        Edit::Split => format!("split ¶{n} into {made} pairs"),
        Edit::Unlink => format!("unlinked ¶{n}: its source, then its translation"),
    }
}

fn first_error(diagnostics: &[crate::article::Diagnostic]) -> String {
    diagnostics.iter().find(|d| d.is_error()).map_or_else(|| "not a usable article".to_string(), |d| d.message.clone())
}

/// The `[[paragraphs]]` entries of `doc`, one a group. A `[body]` is replaced by `groups`
/// written as entries.
fn entries<'d>(doc: &'d mut DocumentMut, groups: &[Group]) -> Result<&'d mut ArrayOfTables, EditError> {
    if doc.contains_key("body") {
        write_groups(doc, groups);
    }
    match doc.get_mut("paragraphs") {
        Some(Item::ArrayOfTables(array)) => Ok(array),
        Some(_) => Err(EditError::InlineArray),
        None => Err(EditError::NotAnArticle("no `[[paragraphs]]`".into())),
    }
}

/// Writes `groups` as the body of `doc`, `[[paragraphs]]` entries in place of its `[body]` or
/// its entries: where the body stood, with the comments above it.
pub fn write_groups(doc: &mut DocumentMut, groups: &[Group]) {
    let old = doc.remove("body").or_else(|| doc.remove("paragraphs"));
    let mut array = ArrayOfTables::new();
    array.extend(groups.iter().map(entry));
    let old_first = match &old {
        Some(Item::Table(body)) => Some(body),
        Some(Item::ArrayOfTables(entries)) => entries.get(0),
        _ => None,
    };
    if let (Some(old), Some(first)) = (old_first, array.get_mut(0)) {
        first.set_position(old.position());
        *first.decor_mut() = old.decor().clone();
    }
    doc.insert("paragraphs", Item::ArrayOfTables(array));
}

/// A group as a `[[paragraphs]]` entry: what the reader knows of it, in the format's keys.
pub fn entry(g: &Group) -> Table {
    let mut t = Table::new();
    if let Some(k) = kind_name(g.kind) {
        t["kind"] = value(k);
    }
    if !g.source.is_empty() {
        t["source"] = value(g.source.join("\n\n"));
    }
    if !g.translation.is_empty() {
        t["translation"] = value(g.translation.join("\n\n"));
    }
    if g.machine {
        t["machine"] = value(true);
    }
    if let Some(n) = g.moved_from {
        t["moved_from"] = value(i64::from(n));
    }
    if let Some(c) = g.confidence {
        t["confidence"] = value(short_float(c));
    }
    if g.manual {
        t["manual"] = value(true);
    }
    t
}

/// `kind` as the file writes it; none for text, the default.
pub fn kind_name(k: Kind) -> Option<&'static str> {
    match k {
        Kind::Text => None,
        Kind::Heading => Some("heading"),
        Kind::Quote => Some("quote"),
        Kind::Caption => Some("caption"),
    }
}

/// An `f32` as the shortest `f64` that reads back as it (`0.42`, not `0.41999998688697815`).
pub fn short_float(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// One side of an entry as written, trimmed; `None` when it holds no text.
fn side<'t>(t: &'t Table, key: &str) -> Option<&'t str> {
    t.get(key).and_then(Item::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The entry's `kind`, `text` when it has none.
fn kind_of(t: &Table) -> &str {
    t.get("kind").and_then(Item::as_str).unwrap_or("text")
}

/// Marks an entry made by hand: no aligner's confidence, `manual = true`.
fn by_hand(t: &mut Table) {
    t.remove("confidence");
    t["manual"] = value(true);
}

/// Entry `i` and the next become one, each side's paragraphs after one another: a side only one
/// of them has is kept as written; the kind stays when both had it; `machine` when either
/// translation was a machine's; where the source stood is no longer one place. Makes 1 entry.
fn join(entries: &mut ArrayOfTables, i: usize) -> usize {
    let mut next = entries.remove(i + 1);
    let Some(first) = entries.get_mut(i) else { return 1 };
    let machine =
        |t: &Table| t.get("machine").and_then(Item::as_bool) == Some(true) && side(t, "translation").is_some();
    let machine = machine(first) || machine(&next);
    for key in ["source", "translation"] {
        match (side(first, key), side(&next, key)) {
            (Some(a), Some(b)) => {
                let both = format!("{a}\n\n{b}");
                first[key] = value(both);
            }
            (None, Some(_)) => {
                if let Some(item) = next.remove(key) {
                    first.insert(key, item);
                }
            }
            _ => {}
        }
    }
    if kind_of(first) != kind_of(&next) {
        first.remove("kind");
    }
    if machine {
        first["machine"] = value(true);
    }
    first.remove("moved_from");
    by_hand(first);
    1
}

/// Entry `i`, whose group is `g`, becomes one entry a paragraph: the first keeps the entry's
/// comments and other keys; each keeps the kind, `machine` where it has a translation, and the
/// place in the source edition of its source paragraph (the group's run on from its first).
/// Returns how many entries it made.
fn split(entries: &mut ArrayOfTables, i: usize, g: &Group) -> usize {
    let Some(original) = entries.get(i).cloned() else { return 1 };
    let sources = paragraphs_as_written(side(&original, "source"), &g.source);
    let translations = paragraphs_as_written(side(&original, "translation"), &g.translation);
    let machine = original.get("machine").and_then(Item::as_bool) == Some(true);
    let moved_from = original.get("moved_from").and_then(Item::as_integer);
    let n = sources.len().max(translations.len());
    for k in 0..n {
        let mut t = if k == 0 { original.clone() } else { Table::new() };
        if k > 0
            && let Some(kind) = original.get("kind")
        {
            t["kind"] = kind.clone();
        }
        for (key, texts) in [("source", &sources), ("translation", &translations)] {
            match texts.get(k) {
                Some(p) => t[key] = value(p.as_str()),
                None => {
                    t.remove(key);
                }
            }
        }
        t.remove("machine");
        if machine && k < translations.len() {
            t["machine"] = value(true);
        }
        t.remove("moved_from");
        if let Some(from) = moved_from.filter(|_| k < sources.len()) {
            t["moved_from"] = value(from + k as i64);
        }
        by_hand(&mut t);
        if k == 0 {
            entries.replace(i, t);
        } else {
            entries.insert(i + k, t);
        }
    }
    n
}

/// The paragraphs of a side as the file writes them (each paragraph's lines as they are), or,
/// where the text reads otherwise than the reader split it, as the reader shows them.
fn paragraphs_as_written(written: Option<&str>, shown: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in written.unwrap_or("").lines() {
        if crate::text::sanitize(line).trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    if out.len() == shown.len() { out } else { shown.to_vec() }
}

/// Entry `i` keeps its source, and its translation moves to an entry of its own after it (with
/// its kind and `machine`). Makes 2 entries.
fn unlink(entries: &mut ArrayOfTables, i: usize) -> usize {
    let Some(first) = entries.get_mut(i) else { return 1 };
    let mut second = Table::new();
    if let Some(kind) = first.get("kind") {
        second["kind"] = kind.clone();
    }
    if let Some(translation) = first.remove("translation") {
        second.insert("translation", translation);
    }
    if let Some(machine) = first.remove("machine") {
        second.insert("machine", machine);
    }
    by_hand(first);
    by_hand(&mut second);
    entries.insert(i + 1, second);
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "t.toml";

    fn groups(text: &str) -> Vec<Group> {
        let parsed = crate::article::parse(text.as_bytes(), "t", Path::new(PATH));
        parsed.article.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics)).groups.to_vec()
    }

    fn edit(text: &str, index: usize, edit: Edit) -> Result<Edited, EditError> {
        apply(text, Path::new(PATH), &groups(text), index, edit)
    }

    /// The pairs of `text` as (source, translation) paragraphs.
    fn pairs(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
        groups(text).into_iter().map(|g| (g.source, g.translation)).collect()
    }

    fn p(s: &[&str], t: &[&str]) -> (Vec<String>, Vec<String>) {
        (s.iter().map(|x| x.to_string()).collect(), t.iter().map(|x| x.to_string()).collect())
    }

    const GIVEN: &str = r#"# An article with comments everywhere.
title = "T"   # the headline
source_lang = "ko"
target_lang = "en"
tags = [ "a",  "b" ]

[alignment]
method = "anchors and lengths"
confidence = 0.87

# The first pair.
[[paragraphs]]
source = "가"
translation = "A"
confidence = 0.31

# The second pair, moved.
[[paragraphs]]
kind = "quote"
source = "나"
translation = "B"
moved_from = 7
note = "kept"

[[paragraphs]]
source = """
다

라"""
translation = "C and D"
machine = true
# The end.
"#;

    #[test]
    fn join_concatenates_both_sides_and_marks_the_pair_by_hand() {
        let out = edit(GIVEN, 0, Edit::Join).unwrap();
        assert_eq!(out.summary, "joined ¶1 and ¶2");
        assert_eq!(pairs(&out.text), [p(&["가", "나"], &["A", "B"]), p(&["다", "라"], &["C and D"])],);
        let g = &groups(&out.text)[0];
        assert!(g.manual);
        assert_eq!((g.confidence, g.moved_from, g.kind), (None, None, Kind::Text), "kinds differed: dropped");
        // Everything else is as it was, byte for byte.
        let (before, after) = (GIVEN.split("# The first pair.").next(), out.text.split("# The first pair.").next());
        assert_eq!(before, after);
        assert!(out.text.ends_with("translation = \"C and D\"\nmachine = true\n# The end.\n"), "{}", out.text);
        assert!(!out.text.contains("# The second pair"), "the second entry is gone, its comment with it");
    }

    #[test]
    fn join_keeps_a_kind_both_share_and_a_side_only_one_has_as_written() {
        let text = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
                    [[paragraphs]]\nkind = \"quote\"\nsource = '가'\n\
                    [[paragraphs]]\nkind = \"quote\"\ntranslation = 'A'  # literal\nmachine = true\n";
        let out = edit(text, 0, Edit::Join).unwrap();
        let g = &groups(&out.text)[0];
        assert_eq!((g.kind, g.machine, g.manual), (Kind::Quote, true, true));
        assert_eq!(pairs(&out.text), [p(&["가"], &["A"])]);
        assert!(out.text.contains("translation = 'A'  # literal"), "{}", out.text);
    }

    #[test]
    fn split_pairs_the_ith_paragraphs_and_gives_the_rest_their_own_entries() {
        let out = edit(GIVEN, 2, Edit::Split).unwrap();
        assert_eq!(out.summary, "split ¶3 into 2 pairs");
        let after = pairs(&out.text);
        assert_eq!(after[2..], [p(&["다"], &["C and D"]), p(&["라"], &[])]);
        let g = groups(&out.text);
        assert!(g[2].manual && g[3].manual);
        assert!(g[2].machine && !g[3].machine, "machine goes with the translation");
        assert!(out.text.starts_with(&GIVEN[..GIVEN.find("[[paragraphs]]\nsource = \"\"\"").unwrap()]));
        // A moved group's paragraphs run on from where its first stood.
        let moved = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
                     [[paragraphs]]\nsource = \"가\\n\\n나\\n\\n다\"\ntranslation = \"A\\n\\nB\"\nmoved_from = 4\nconfidence = 0.2\n";
        let out = edit(moved, 0, Edit::Split).unwrap();
        let g = groups(&out.text);
        assert_eq!(g.iter().map(|g| g.moved_from).collect::<Vec<_>>(), [Some(4), Some(5), Some(6)]);
        assert!(g.iter().all(|g| g.manual && g.confidence.is_none()));
        assert_eq!(pairs(&out.text), [p(&["가"], &["A"]), p(&["나"], &["B"]), p(&["다"], &[])]);
    }

    #[test]
    fn a_split_paragraph_keeps_its_lines_as_written() {
        let text = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
                    [[paragraphs]]\nsource = \"\"\"\nFirst line\nsecond line\n\nThird\"\"\"\ntranslation = \"One.\"\n";
        let out = edit(text, 0, Edit::Split).unwrap();
        assert!(out.text.contains("source = \"\"\"\nFirst line\nsecond line\"\"\"\n"), "{}", out.text);
        assert_eq!(pairs(&out.text), [p(&["First line second line"], &["One."]), p(&["Third"], &[])]);
    }

    #[test]
    fn unlink_makes_a_source_entry_then_a_translation_entry() {
        let out = edit(GIVEN, 1, Edit::Unlink).unwrap();
        assert_eq!(out.summary, "unlinked ¶2: its source, then its translation");
        let after = pairs(&out.text);
        assert_eq!(after[1..3], [p(&["나"], &[]), p(&[], &["B"])]);
        let g = groups(&out.text);
        assert!(g[1].manual && g[2].manual);
        assert_eq!((g[1].kind, g[2].kind), (Kind::Quote, Kind::Quote));
        assert_eq!((g[1].moved_from, g[2].moved_from), (Some(7), None), "the source still stood at ¶7");
        assert!(out.text.contains("# The second pair, moved.\n[[paragraphs]]\nkind = \"quote\"\nsource = \"나\""));
        assert!(out.text.contains("note = \"kept\""), "keys the format does not know stay: {}", out.text);
    }

    #[test]
    fn refusals_name_the_pair_and_write_nothing() {
        assert_eq!(edit(GIVEN, 2, Edit::Join), Err(EditError::NoNext(3)));
        assert_eq!(edit(GIVEN, 0, Edit::Split), Err(EditError::NothingToSplit(1)));
        assert_eq!(edit(GIVEN, 9, Edit::Unlink), Err(EditError::NoSuchPair(10)));
        let one_sided = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"가\"\n";
        assert_eq!(edit(one_sided, 0, Edit::Unlink), Err(EditError::OneSided(1, "source")));
        assert_eq!(EditError::NothingToSplit(4).to_string(), "nothing to split: ¶4 is one paragraph against one");
    }

    #[test]
    fn a_file_that_changed_since_it_was_read_is_not_edited() {
        let shown = groups(GIVEN);
        let changed = GIVEN.replace("translation = \"B\"", "translation = \"B, revised\"");
        assert_eq!(apply(&changed, Path::new(PATH), &shown, 0, Edit::Join), Err(EditError::Changed));
        // A change that leaves the pairs as they were is no obstacle, and is kept.
        let retitled = GIVEN.replace("title = \"T\"", "title = \"New\"");
        let out = apply(&retitled, Path::new(PATH), &shown, 0, Edit::Join).unwrap();
        assert!(out.text.contains("title = \"New\"   # the headline"));
        let broken = "title = \"T\"\n[[paragraphs]]\n";
        assert!(matches!(apply(broken, Path::new(PATH), &shown, 0, Edit::Join), Err(EditError::NotAnArticle(_))));
    }

    #[test]
    fn paragraphs_written_inline_are_refused() {
        let text = "title = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
                    paragraphs = [{ source = \"가\", translation = \"A\" }, { source = \"나\" }]\n";
        assert_eq!(edit(text, 0, Edit::Join), Err(EditError::InlineArray));
    }

    const BODY: &str = "# Paired by bitext.\ntitle = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\n\
                        # The texts.\n[body]\nsource = \"\"\"\n가.\n\n나.\n\"\"\"\ntranslation = \"\"\"\nA.\n\nB.\n\"\"\"\n\n\
                        [alignment]\nmethod = \"anchors\"\n";

    #[test]
    fn a_body_becomes_the_pairs_the_reader_shows_then_the_edit_is_made() {
        let out = edit(BODY, 0, Edit::Join).unwrap();
        assert!(!out.text.contains("[body]"), "{}", out.text);
        assert!(
            out.text.starts_with("# Paired by bitext.\ntitle = \"T\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n")
        );
        assert!(out.text.contains("# The texts.\n[[paragraphs]]\n"), "the comment above [body] stays: {}", out.text);
        assert!(
            out.text.find("[[paragraphs]]") < out.text.find("[alignment]"),
            "the pairs stand where the body stood: {}",
            out.text
        );
        assert_eq!(pairs(&out.text), [p(&["가.", "나."], &["A.", "B."])]);
        let parsed = crate::article::parse(out.text.as_bytes(), "t", Path::new(PATH)).article.unwrap();
        assert_eq!(parsed.pairing, crate::article::Pairing::Given);
        assert_eq!(parsed.meta.alignment.unwrap().method, "anchors");
        let unlinked = edit(BODY, 1, Edit::Unlink).unwrap();
        assert_eq!(pairs(&unlinked.text), [p(&["가."], &["A."]), p(&["나."], &[]), p(&[], &["B."])]);
        assert!(!groups(&unlinked.text)[0].manual, "the pairs not edited are not marked as made by hand");
    }

    #[test]
    fn entries_write_every_fact_of_a_group() {
        let g = Group {
            kind: Kind::Caption,
            source: vec!["가".into(), "나".into()],
            translation: vec!["A".into()],
            machine: true,
            moved_from: Some(3),
            confidence: Some(0.42),
            manual: true,
        };
        let t = entry(&g).to_string();
        assert_eq!(
            t,
            "kind = \"caption\"\nsource = \"\"\"\n가\n\n나\"\"\"\ntranslation = \"A\"\nmachine = true\nmoved_from = 3\nconfidence = 0.42\nmanual = true\n"
        );
    }

    #[test]
    fn a_byte_order_mark_stays() {
        let text = format!("\u{feff}{GIVEN}");
        let out = edit(&text, 0, Edit::Join).unwrap();
        assert!(out.text.starts_with("\u{feff}# An article"));
    }
}
