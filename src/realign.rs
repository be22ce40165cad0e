//! `bitext realign`: pairs an article's paragraphs again with the aligner (and an engine's help,
//! when given), keeping every pair made by hand (`manual = true`) as it is.
//!
//! The pairs made by hand cut the article into runs; each run's paragraphs are aligned on their
//! own, so a pair made by hand is never split, joined or moved. The file is edited as a TOML
//! document: everything besides the `[[paragraphs]]` entries and the `[alignment]` table stays
//! as it was, comments included.

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table, value};

use crate::align::{self, Input, Params};
use crate::article::{Group, Kind};

/// What a re-alignment made.
#[derive(Debug, Clone)]
pub struct Realigned {
    /// The file's new text.
    pub text: String,
    pub groups: Vec<Group>,
    /// Pairs kept because they were made by hand.
    pub kept: usize,
    pub moved: usize,
    pub unsure: usize,
    pub method: String,
    /// Why the pairing looks implausible, when it does.
    pub warning: Option<String>,
    /// The engine could not help: why.
    pub engine_error: Option<String>,
}

impl Realigned {
    /// `12 pairs: 9×1-1, 2×2-1, 1×1-0, 1 moved, 2 kept as made by hand`
    pub fn summary(&self) -> String {
        let kinds = align::Summary::of_kinds(self.groups.iter().map(|g| (g.source.len(), g.translation.len())));
        let mut s = format!("{} pairs: {kinds}", self.groups.len());
        for (n, what) in [(self.moved, "moved"), (self.unsure, "unsure"), (self.kept, "kept as made by hand")] {
            if n > 0 {
                s.push_str(&format!(", {n} {what}"));
            }
        }
        s
    }
}

/// Re-aligns the article in `text` (read from `path`). `engine` translates source paragraphs
/// to help (see [`crate::import::Engine`]).
pub fn realign(text: &str, path: &Path, engine: Option<crate::import::Engine<'_>>) -> Result<Realigned, String> {
    let parsed = crate::article::parse(text.as_bytes(), "article", path);
    let Some(article) = parsed.article else {
        let why = parsed.diagnostics.first().map_or_else(|| "it does not load".to_string(), ToString::to_string);
        return Err(why);
    };
    let groups: &[Group] = &article.groups;
    // The engine's translations of every source paragraph not in a pair made by hand.
    let wanted: Vec<String> = groups.iter().filter(|g| !g.manual).flat_map(|g| g.source.clone()).collect();
    let mut machine: Option<Vec<String>> = None;
    let mut engine_error = None;
    if let Some(e) = engine
        && !wanted.is_empty()
    {
        match (e.translate)(&wanted) {
            Ok(v) if v.len() == wanted.len() => machine = Some(v),
            Ok(v) => {
                engine_error = Some(format!("{}: {} translations for {} paragraphs", e.name, v.len(), wanted.len()))
            }
            Err(why) => engine_error = Some(format!("{}: {why}", e.name)),
        }
    }
    let mut out: Vec<Group> = Vec::new();
    let (mut kept, mut moved, mut unsure) = (0, 0, 0);
    let mut warning = None;
    let (mut weighted, mut weight) = (0.0f64, 0.0f64);
    let mut machine_at = 0;
    // Where each source paragraph stood in the source edition, in the file's order.
    let places = source_places(groups);
    let mut place_at = 0;
    let mut k = 0;
    while k < groups.len() {
        if groups[k].manual {
            out.push(groups[k].clone());
            place_at += groups[k].source.len();
            kept += 1;
            k += 1;
            continue;
        }
        let end = (k..groups.len()).find(|&e| groups[e].manual).unwrap_or(groups.len());
        let run = &groups[k..end];
        let in_file: Vec<(&str, Kind)> =
            run.iter().flat_map(|g| g.source.iter().map(move |p| (p.as_str(), g.kind))).collect();
        // The aligner reads the source in the source edition's order, so that a paragraph the
        // translation moved is found moved again.
        let run_places = &places[place_at..place_at + in_file.len()];
        place_at += in_file.len();
        let mut order: Vec<usize> = (0..in_file.len()).collect();
        order.sort_by_key(|&i| run_places[i]);
        let s: Vec<(&str, Kind)> = order.iter().map(|&i| in_file[i]).collect();
        let t: Vec<(&str, Kind, bool)> =
            run.iter().flat_map(|g| g.translation.iter().map(move |p| (p.as_str(), g.kind, g.machine))).collect();
        let mt = machine.as_ref().map(|m| order.iter().map(|&i| m[machine_at + i].as_str()).collect());
        machine_at += s.len();
        let input = Input {
            source: s.iter().map(|(p, kind)| (*p, crate::pairing_edit::kind_name(*kind))).collect(),
            translation: t.iter().map(|(p, kind, _)| (*p, crate::pairing_edit::kind_name(*kind))).collect(),
            machine: mt,
        };
        let a = align::align_input(&input, &Params::default());
        if warning.is_none() {
            warning = a.warning.clone();
        }
        let size = (s.len() + t.len()) as f64;
        weighted += f64::from(a.overall) * size;
        weight += size;
        for (b, (is_moved, confidence)) in a.beads.iter().zip(a.moved.iter().zip(&a.confidence)) {
            let kinds: Vec<Kind> =
                b.source.clone().map(|i| s[i].1).chain(b.translation.clone().map(|j| t[j].1)).collect();
            let kind = if kinds.iter().all(|x| *x == kinds[0]) { kinds[0] } else { Kind::Text };
            moved += usize::from(*is_moved);
            unsure += usize::from(confidence.is_some_and(|c| c < crate::article::UNSURE));
            out.push(Group {
                kind,
                source: b.source.clone().map(|i| s[i].0.to_string()).collect(),
                translation: b.translation.clone().map(|j| t[j].0.to_string()).collect(),
                machine: b.translation.clone().any(|j| t[j].2),
                moved_from: is_moved.then(|| run_places[order[b.source.start]] as u32 + 1),
                confidence: *confidence,
                manual: false,
            });
        }
        k = end;
    }
    let method = match (engine, &machine) {
        (Some(e), Some(_)) => format!("anchors, lengths and {}", crate::text::sanitize_line(e.name)),
        _ => "anchors and lengths".to_string(),
    };
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    crate::pairing_edit::write_groups(&mut doc, &out);
    let mut table = Table::new();
    table["method"] = value(method.clone());
    if weight > 0.0 {
        table["confidence"] =
            value(crate::pairing_edit::short_float(((weighted / weight) * 100.0).round() as f32 / 100.0));
    }
    match doc.get_mut("alignment") {
        Some(Item::Table(old)) => {
            old.remove("method");
            old.remove("confidence");
            for (key, item) in table.iter() {
                old.insert(key, item.clone());
            }
        }
        _ => {
            doc.insert("alignment", Item::Table(table));
        }
    }
    Ok(Realigned { text: doc.to_string(), groups: out, kept, moved, unsure, method, warning, engine_error })
}

/// Where each source paragraph of `groups` (in the file's order) stood in the source edition,
/// from 0. A pair the translation moved stands where its `moved_from` says, its paragraphs one
/// after another; the others fill the places left in the file's order. Moves that do not fit
/// together (two on one place, or past the end) are not trusted: then the file's order is the
/// source's.
fn source_places(groups: &[Group]) -> Vec<usize> {
    let count: usize = groups.iter().map(|g| g.source.len()).sum();
    let in_file: Vec<usize> = (0..count).collect();
    let mut taken = vec![false; count];
    for g in groups {
        if let Some(from) = g.moved_from {
            for k in 0..g.source.len() {
                match (from as usize - 1).checked_add(k).filter(|&p| p < count) {
                    Some(p) if !taken[p] => taken[p] = true,
                    _ => return in_file,
                }
            }
        }
    }
    let mut free = (0..count).filter(|&p| !taken[p]);
    let mut places = Vec::with_capacity(count);
    for g in groups {
        for k in 0..g.source.len() {
            match g.moved_from {
                Some(from) => places.push(from as usize - 1 + k),
                None => places.push(free.next().expect("as many free places as paragraphs not moved")),
            }
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = r#"# A comment that stays.
title = "Night market"
source_lang = "ko"
target_lang = "en"

[[paragraphs]]
source = "가람시 중앙시장에 야시장이 들어선다. 5월 2일부터 매주 금요일 오후 6시에 연다."
translation = "A night market is coming to Garam's Central Market, opening every Friday at 6 p.m. from May 2."

[[paragraphs]]
source = "판매대 32곳이 들어선다."
translation = "Thirty-two stalls will set up there, and 12 of them will sell handicrafts."
manual = true

[[paragraphs]]
source = "이 가운데 12곳은 수공예품을 판다."

[[paragraphs]]
source = "최영호 상인회장은 \"젊은 손님이 돌아오길 바란다\"고 말했다."

[[paragraphs]]
translation = "\"We hope young customers come back,\" said Choi Young-ho, head of the merchants' association."
"#;

    #[test]
    fn pairs_again_and_keeps_pairs_made_by_hand() {
        let r = realign(ARTICLE, Path::new("a.toml"), None).unwrap();
        assert!(r.text.starts_with("# A comment that stays.\ntitle = \"Night market\""), "{}", r.text);
        assert_eq!(r.kept, 1);
        // The pair made by hand is kept as it was, in its place.
        assert_eq!(r.groups[1].source, vec!["판매대 32곳이 들어선다.".to_string()]);
        assert!(r.groups[1].manual);
        // The quote and its translation, apart in the file, are now one pair.
        let quote = r.groups.iter().find(|g| g.source.iter().any(|p| p.contains("최영호"))).unwrap();
        assert_eq!(quote.translation.len(), 1, "{:?}", r.groups);
        assert!(r.text.contains("[alignment]") && r.text.contains("method = \"anchors and lengths\""), "{}", r.text);
        // The file reads back as the groups.
        let back = crate::article::parse(r.text.as_bytes(), "a", Path::new("a.toml")).article.unwrap();
        assert_eq!(back.groups.len(), r.groups.len());
        assert!(back.groups[1].manual);
    }

    #[test]
    fn an_engine_helps_and_a_failing_one_is_reported() {
        let fine = |texts: &[String]| Ok(texts.to_vec());
        let r = realign(ARTICLE, Path::new("a.toml"), Some(crate::import::Engine { name: "echo", translate: &fine }))
            .unwrap();
        assert!(r.text.contains("anchors, lengths and echo"), "{}", r.text);
        let broken = |_: &[String]| Err("the server said 503".to_string());
        let r = realign(ARTICLE, Path::new("a.toml"), Some(crate::import::Engine { name: "down", translate: &broken }))
            .unwrap();
        assert_eq!(r.engine_error.as_deref(), Some("down: the server said 503"));
        assert!(r.text.contains("method = \"anchors and lengths\""));
    }

    /// An edition whose English moves paragraphs, imported as `bitext import` writes it.
    fn imported_edition() -> String {
        let case: toml::Table = include_str!("../tests/align/editions/ko-edition-heatwave.toml").parse().unwrap();
        let side = |key: &str| crate::import::split_document(case[key].as_str().unwrap());
        let fields = crate::import::Fields {
            title: "Heat".into(),
            source_lang: "ko".into(),
            target_lang: "en".into(),
            ..Default::default()
        };
        crate::import::paired_article(&side("source"), &side("translation"), &fields, None).toml
    }

    fn groups_of(text: &str) -> Vec<Group> {
        crate::article::parse(text.as_bytes(), "a", Path::new("a.toml")).article.unwrap().groups.to_vec()
    }

    fn pairs(groups: &[Group]) -> Vec<(Vec<String>, Vec<String>, Option<u32>)> {
        groups.iter().map(|g| (g.source.clone(), g.translation.clone(), g.moved_from)).collect()
    }

    fn moves(groups: &[Group]) -> Vec<u32> {
        groups.iter().filter_map(|g| g.moved_from).collect()
    }

    #[test]
    fn a_paragraph_the_translation_moved_is_found_moved_again() {
        let text = imported_edition();
        let before = groups_of(&text);
        // The official's advice, source ¶13, opens the English edition; the city's basin,
        // source ¶9, closes it.
        assert_eq!(moves(&before), [13, 9], "the import finds the moves");
        let again = realign(&text, Path::new("a.toml"), None).unwrap();
        assert_eq!(again.moved, 2);
        assert_eq!(pairs(&again.groups), pairs(&before), "a re-alignment of an import changes nothing");
        // And again: the re-aligned file reads back as it was written.
        let twice = realign(&again.text, Path::new("a.toml"), None).unwrap();
        assert_eq!(pairs(&twice.groups), pairs(&before));
    }

    #[test]
    fn a_move_is_numbered_in_the_whole_source_edition_when_a_pair_made_by_hand_comes_first() {
        let text = imported_edition();
        let before = groups_of(&text);
        assert_eq!((before[0].source.len(), before[0].moved_from), (2, None));
        // The first pair (source ¶1 and ¶2) marked as made by hand: the run after it starts at ¶3.
        let marked = text.replacen("[[paragraphs]]\n", "[[paragraphs]]\nmanual = true\n", 1);
        assert!(groups_of(&marked)[0].manual);
        let r = realign(&marked, Path::new("a.toml"), None).unwrap();
        assert_eq!(r.kept, 1);
        assert_eq!(moves(&r.groups), [13, 9], "{:?}", pairs(&r.groups));
        assert_eq!(pairs(&r.groups), pairs(&before));
    }

    #[test]
    fn moves_that_do_not_fit_together_leave_the_file_order() {
        let g = |n: usize, from: Option<u32>| Group {
            kind: Kind::Text,
            source: vec!["가".to_string(); n],
            translation: vec![],
            machine: false,
            moved_from: from,
            confidence: None,
            manual: false,
        };
        assert_eq!(source_places(&[g(1, None), g(2, Some(1)), g(1, None)]), [2, 0, 1, 3]);
        assert_eq!(source_places(&[g(1, Some(2)), g(1, Some(2))]), [0, 1], "two on one place");
        assert_eq!(source_places(&[g(1, None), g(2, Some(3))]), [0, 1, 2], "past the end");
    }

    #[test]
    fn a_broken_file_is_refused() {
        let err = realign("title = ", Path::new("bad.toml"), None).unwrap_err();
        assert!(err.contains("bad.toml"), "{err}");
    }
}
