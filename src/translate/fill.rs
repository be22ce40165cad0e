//! Filling an article's missing translations with an engine, and writing the file back with
//! its comments and layout kept (toml_edit): each machine-translated paragraph gets
//! `machine = true`, the article `machine_translation = { engine, kind, model, date }`. A
//! `[body]` article becomes `[[paragraphs]]` (its pairs are the aligner's); the pairs' other
//! facts (`moved_from`, `confidence`, `manual`) and `[alignment]` are kept. The file is replaced
//! atomically and only when every paragraph is translated, so a failure leaves it exactly as it
//! was.

use std::path::Path;

use super::{EngineError, Translator};
use crate::article::Article;

/// What filling did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// Paragraphs translated (from the engine or the cache).
    pub paragraphs: usize,
    /// Stopped before the end: what was ready is written.
    pub cancelled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum FillError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

/// A group's translation, ready: its index, its paragraphs; and how many paragraphs of all
/// are ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupReady {
    pub group: usize,
    pub translation: Vec<String>,
    pub done: usize,
    pub total: usize,
}

/// Translates the groups of `article` that have no translation (every group when `force`) and
/// rewrites its file; `progress` for each group as its translation is ready. Once `cancel` is
/// set, the groups ready so far are written and the rest left as they were.
pub fn fill(
    article: &Article,
    translator: &Translator,
    force: bool,
    progress: &dyn Fn(GroupReady),
    cancel: Option<&std::sync::atomic::AtomicBool>,
) -> Result<Filled, FillError> {
    let todo: Vec<usize> = (0..article.groups.len())
        .filter(|&i| {
            let g = &article.groups[i];
            !g.source.is_empty() && (force || g.translation.is_empty())
        })
        .collect();
    // Which group, and which of its paragraphs, each paragraph to translate is.
    let mut owner: Vec<(usize, usize)> = Vec::new();
    let mut flat: Vec<String> = Vec::new();
    for &g in &todo {
        for (k, p) in article.groups[g].source.iter().enumerate() {
            owner.push((g, k));
            flat.push(p.clone());
        }
    }
    if flat.is_empty() {
        return Ok(Filled { paragraphs: 0, cancelled: false });
    }
    let (source, target) = (&article.meta.source_lang, &article.meta.target_lang);
    let pending: std::sync::Mutex<std::collections::HashMap<usize, Vec<Option<String>>>> = Default::default();
    let on_ready = |i: usize, text: &str, done: usize, total: usize| {
        let (g, k) = owner[i];
        let n = article.groups[g].source.len();
        let Ok(mut pending) = pending.lock() else { return };
        let slots = pending.entry(g).or_insert_with(|| vec![None; n]);
        slots[k] = Some(text.to_string());
        if slots.iter().all(Option::is_some) {
            let translation = slots.iter().flatten().cloned().collect();
            progress(GroupReady { group: g, translation, done, total });
        }
    };
    let results = translator.translate(&flat, source, target, &on_ready, cancel)?;
    let mut groups = article.groups.to_vec();
    let mut translated = 0;
    let mut complete = true;
    let mut at = 0;
    for &g in &todo {
        let n = groups[g].source.len();
        let mine: Vec<Option<String>> = results[at..at + n].to_vec();
        at += n;
        if mine.iter().all(Option::is_some) {
            groups[g].translation = mine.into_iter().flatten().collect();
            groups[g].machine = true;
            translated += n;
        } else {
            complete = false;
        }
    }
    if translated > 0 {
        write(&article.meta.path, &groups, translator.engine.info())?;
    }
    Ok(Filled { paragraphs: translated, cancelled: !complete })
}

/// Rewrites the article file at `path` with `groups`, keeping everything else.
fn write(path: &Path, groups: &[crate::article::Group], info: &super::EngineInfo) -> Result<(), FillError> {
    use toml_edit::{DocumentMut, InlineTable, Item, value};
    let shown = path.display().to_string();
    let err = |m: String| FillError::File { path: shown.clone(), message: m };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let mut doc: DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| err(crate::text::sanitize_line(&e.to_string())))?;
    let joined = |v: &[String]| v.join("\n\n");
    let given = doc.get("paragraphs").and_then(Item::as_array_of_tables).is_some_and(|a| a.len() == groups.len());
    if given {
        let array = doc["paragraphs"].as_array_of_tables_mut().expect("checked above");
        for (table, g) in array.iter_mut().zip(groups) {
            if g.machine {
                table["translation"] = value(joined(&g.translation));
                table["machine"] = value(true);
            }
        }
    } else {
        // Every fact of each pair (`moved_from`, `confidence`, `manual`) is written with it.
        crate::pairing_edit::write_groups(&mut doc, groups);
    }
    let mut mt = InlineTable::new();
    mt.insert("engine", info.name.as_str().into());
    mt.insert("kind", info.kind.as_str().into());
    if let Some(m) = &info.model {
        mt.insert("model", m.as_str().into());
    }
    mt.insert("date", crate::clock::today().into());
    doc["machine_translation"] = value(mt);
    let out = doc.to_string();
    // The file must still be an article (and the same one).
    let parsed = crate::article::parse(out.as_bytes(), "check", path);
    if parsed.article.is_none() {
        return Err(err(format!(
            "the rewritten article would not load: {:?}",
            parsed.diagnostics.first().map(|d| d.message.clone())
        )));
    }
    crate::files::write_atomically(path, out.as_bytes()).map_err(|e| err(e.to_string()))
}

/// Machine-translates the headline of the article at `path`, whose title is in its source
/// language (an article with no edition): the translation becomes `title`, the original
/// `source_title`, the rest of the file as it was. Nothing is written on failure.
pub fn translate_title(article: &Article, translator: &Translator) -> Result<(), FillError> {
    let m = &article.meta;
    let title = [m.title.clone()];
    let got = translator.translate(&title, &m.source_lang, &m.target_lang, &|_, _, _, _| {}, None)?;
    let Some(Some(translated)) = got.into_iter().next() else { return Ok(()) };
    let translated = crate::text::sanitize_line(&translated);
    if translated.is_empty() {
        return Ok(());
    }
    let path = &m.path;
    let shown = path.display().to_string();
    let err = |e: String| FillError::File { path: shown.clone(), message: e };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let mut doc: toml_edit::DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| err(crate::text::sanitize_line(&e.to_string())))?;
    doc["source_title"] = toml_edit::value(m.title.as_str());
    doc["title"] = toml_edit::value(translated);
    crate::files::write_atomically(path, doc.to_string().as_bytes()).map_err(|e| err(e.to_string()))
}
