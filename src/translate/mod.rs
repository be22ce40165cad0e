//! Machine translation that never shifts a paragraph. An [`Engine`] translates a batch of
//! paragraphs and must give back exactly one translation for each, in order: every reply is
//! checked (count, no empty translation for a non-empty paragraph) before it is used, and a
//! batch that comes back wrong is asked for again in halves, down to single paragraphs. Results are cached by a
//! hash of the engine's settings, the languages and the paragraph's text, never by position,
//! and each is stored as soon as it arrives.
//!
//! Engines: `command` (any filter program: text on stdin, translation on stdout; apertium is
//! built in), `libretranslate`, `deepl` and `openai` (chat completions, with ids). Keys come only from environment variables named
//! in the config; they never appear in files, logs or messages.

pub mod cache;
pub mod command;
pub mod deepl;
pub mod fill;
pub mod http;
pub mod libretranslate;
pub mod openai;

use std::collections::BTreeMap;

/// What an engine is, for provenance and for the cache key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineInfo {
    /// The name in `[engines.NAME]` (or `apertium` for the built-in one).
    pub name: String,
    /// `command`, `libretranslate`, …
    pub kind: String,
    pub model: Option<String>,
    /// Everything else that changes the output (the command line, the URL), for the cache key.
    pub settings: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("{engine}: {message}")]
    Failed { engine: String, message: String },
    #[error("{engine}: the server refused the key (HTTP {status}); set the environment variable {env} to a valid key")]
    Auth { engine: String, status: u16, env: String },
    #[error(
        "{engine}: the server refused the request (HTTP {status}) and no key is configured; set api_key_env in [engines.{engine}]"
    )]
    NoKey { engine: String, status: u16 },
    #[error("{engine}: the translation quota is used up (HTTP {status})")]
    Quota { engine: String, status: u16 },
    #[error("{engine}: {url}: {message}")]
    Network { engine: String, url: String, message: String },
    #[error("{engine}: gave {got} translations for {expected} paragraphs")]
    Mismatch { engine: String, expected: usize, got: usize },
    #[error("{engine}: gave an empty translation for a paragraph")]
    Empty { engine: String },
    #[error("{engine}: the environment variable {env} is not set (it should hold the key)")]
    MissingKey { engine: String, env: String },
}

impl EngineError {
    /// Errors that no retry, smaller batch or other paragraph will mend.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            EngineError::Auth { .. }
                | EngineError::NoKey { .. }
                | EngineError::Quota { .. }
                | EngineError::MissingKey { .. }
        )
    }
}

/// A translation engine.
pub trait Engine: Send + Sync {
    fn info(&self) -> &EngineInfo;
    /// Paragraphs per call, at most.
    fn max_batch(&self) -> usize;
    /// Characters per call, at most (a request size limit).
    fn max_chars(&self) -> usize {
        usize::MAX
    }
    /// Translates `texts` from `source` to `target`: one result per text, in order, or an error.
    fn translate_batch(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError>;
}

/// `[engines.NAME]` in the config.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// `command`, `libretranslate`, `deepl` or `openai`.
    pub kind: String,
    /// `command`: the program and its arguments; `{source}` and `{target}` are replaced.
    #[serde(default)]
    pub command: Vec<String>,
    /// This engine's names for languages (`es = "spa"`).
    #[serde(default)]
    pub codes: BTreeMap<String, String>,
    /// HTTP engines: the base URL.
    pub url: Option<String>,
    pub model: Option<String>,
    /// The NAME of the environment variable that holds the key (never the key itself).
    pub api_key_env: Option<String>,
    /// Paragraphs per request (default: the engine's own).
    pub batch: Option<usize>,
}

/// Language codes apertium uses, for the built-in engine.
const APERTIUM_CODES: &[(&str, &str)] = &[
    ("en", "eng"),
    ("es", "spa"),
    ("ca", "cat"),
    ("fr", "fra"),
    ("pt", "por"),
    ("it", "ita"),
    ("de", "deu"),
    ("eo", "epo"),
    ("gl", "glg"),
    ("oc", "oci"),
    ("ro", "ron"),
    ("nl", "nld"),
    ("eu", "eus"),
];

/// The engine named `name`: one of `[engines]`, else a built-in one (`apertium`).
pub fn engine(name: &str, configured: &BTreeMap<String, EngineConfig>) -> Result<Box<dyn Engine>, String> {
    if let Some(cfg) = configured.get(name) {
        return match cfg.kind.as_str() {
            "command" => command::CommandEngine::new(name, cfg).map(|e| Box::new(e) as Box<dyn Engine>),
            "libretranslate" => libretranslate::LibreTranslate::new(name, cfg).map(|e| Box::new(e) as Box<dyn Engine>),
            "deepl" => deepl::DeepL::new(name, cfg).map(|e| Box::new(e) as Box<dyn Engine>),
            "openai" => openai::OpenAi::new(name, cfg).map(|e| Box::new(e) as Box<dyn Engine>),
            other => Err(format!(
                "[engines.{name}]: kind {:?} is not one bitext knows (command, libretranslate, deepl or openai)",
                crate::text::sanitize_line(other)
            )),
        };
    }
    if name == "apertium" {
        let cfg = EngineConfig {
            kind: "command".into(),
            command: vec!["apertium".into(), "-u".into(), "{source}-{target}".into()],
            codes: APERTIUM_CODES.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            ..Default::default()
        };
        return command::CommandEngine::new("apertium", &cfg).map(|e| Box::new(e) as Box<dyn Engine>);
    }
    Err(format!(
        "no engine named {:?}: add [engines.{}] to your config, or use the built-in \"apertium\"",
        crate::text::sanitize_line(name),
        crate::text::sanitize_line(name)
    ))
}

/// An engine with its cache: translates paragraphs, taking what the cache has and asking the
/// engine for the rest in batches, checking every reply.
pub struct Translator {
    pub engine: Box<dyn Engine>,
    pub cache: Option<cache::Cache>,
}

impl std::fmt::Debug for Translator {
    /// The engine's name only: a key never shows.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator").field("engine", &self.engine.info().name).finish_non_exhaustive()
    }
}

impl Translator {
    /// Translates `paragraphs`; `progress(index, translation, done, total)` for each one as it
    /// is ready (from the cache first). Stops between calls once `cancel` is set: the
    /// translations ready so far come back, the others are `None`.
    pub fn translate(
        &self,
        paragraphs: &[String],
        source: &str,
        target: &str,
        progress: &dyn Fn(usize, &str, usize, usize),
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<Vec<Option<String>>, EngineError> {
        let info = self.engine.info();
        let key = |text: &str| cache::key(info, source, target, text);
        let mut out: Vec<Option<String>> = paragraphs
            .iter()
            .map(|p| {
                if p.trim().is_empty() { Some(String::new()) } else { self.cache.as_ref().and_then(|c| c.get(&key(p))) }
            })
            .collect();
        let total = paragraphs.len();
        let mut done = 0;
        for (i, o) in out.iter().enumerate() {
            if let Some(t) = o {
                done += 1;
                progress(i, t, done, total);
            }
        }
        let missing: Vec<usize> = (0..total).filter(|&i| out[i].is_none()).collect();
        // Batches of at most `max_batch` paragraphs and `max_chars` characters.
        let (max_n, max_chars) = (self.engine.max_batch().max(1), self.engine.max_chars());
        let mut chunks: Vec<Vec<usize>> = Vec::new();
        let mut size = 0;
        for &i in &missing {
            let len = paragraphs[i].len();
            match chunks.last_mut() {
                Some(c) if c.len() < max_n && size + len <= max_chars => {
                    c.push(i);
                    size += len;
                }
                _ => {
                    chunks.push(vec![i]);
                    size = len;
                }
            }
        }
        for chunk in &chunks {
            if cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst)) {
                break;
            }
            let texts: Vec<String> = chunk.iter().map(|&i| paragraphs[i].clone()).collect();
            let results = self.halving(&texts, source, target)?;
            for (&i, r) in chunk.iter().zip(results) {
                if let Some(c) = &self.cache
                    && let Err(e) = c.put(&key(&paragraphs[i]), &r)
                {
                    tracing::warn!("translation cache: {e}");
                }
                done += 1;
                progress(i, &r, done, total);
                out[i] = Some(r);
            }
        }
        Ok(out)
    }

    /// `texts` translated: in one call if its reply checks out, else in two halves, each the
    /// same way, down to single paragraphs; so a merged, dropped or shifted paragraph never
    /// lands beside the wrong one.
    fn halving(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        match self.checked(texts, source, target) {
            Ok(r) => Ok(r),
            Err(e) if e.is_fatal() || texts.len() == 1 => Err(e),
            Err(e) => {
                tracing::info!("translate: {e}; asking for the {} paragraphs in two halves", texts.len());
                let (a, b) = texts.split_at(texts.len() / 2);
                let mut out = self.halving(a, source, target)?;
                out.extend(self.halving(b, source, target)?);
                Ok(out)
            }
        }
    }

    /// One call, its reply checked: as many translations as texts, none empty for a non-empty
    /// text, all sanitised.
    fn checked(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        let engine = self.engine.info().name.clone();
        let got = self.engine.translate_batch(texts, source, target)?;
        if got.len() != texts.len() {
            return Err(EngineError::Mismatch { engine, expected: texts.len(), got: got.len() });
        }
        let got: Vec<String> = got.iter().map(|t| crate::text::sanitize_line(t)).collect();
        if texts.iter().zip(&got).any(|(s, t)| !s.trim().is_empty() && t.is_empty()) {
            return Err(EngineError::Empty { engine });
        }
        Ok(got)
    }
}

/// The language code an engine uses for `lang` (its `codes` map, else `lang`).
pub fn code<'a>(codes: &'a BTreeMap<String, String>, lang: &'a str) -> &'a str {
    codes.get(lang).map_or(lang, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// An engine that upper-cases, records its batches, and drops the last translation of any
    /// batch of three or more (a reply that would shift the rest).
    struct Fake {
        info: EngineInfo,
        batches: std::sync::Arc<Mutex<Vec<usize>>>,
        max_chars: usize,
    }

    impl Engine for Fake {
        fn info(&self) -> &EngineInfo {
            &self.info
        }
        fn max_batch(&self) -> usize {
            4
        }
        fn max_chars(&self) -> usize {
            self.max_chars
        }
        fn translate_batch(&self, texts: &[String], _: &str, _: &str) -> Result<Vec<String>, EngineError> {
            self.batches.lock().unwrap().push(texts.len());
            let mut out: Vec<String> = texts.iter().map(|t| t.to_uppercase()).collect();
            if out.len() >= 3 {
                out.pop();
            }
            Ok(out)
        }
    }

    fn fake(max_chars: usize) -> (Translator, std::sync::Arc<Mutex<Vec<usize>>>) {
        let info = EngineInfo { name: "fake".into(), kind: "fake".into(), model: None, settings: String::new() };
        let batches = std::sync::Arc::new(Mutex::new(Vec::new()));
        let engine = Fake { info, batches: batches.clone(), max_chars };
        (Translator { engine: Box::new(engine), cache: None }, batches)
    }

    #[test]
    fn batches_respect_count_and_size_and_a_short_reply_never_shifts() {
        let paragraphs: Vec<String> =
            ["aa", "bb", "cc", "dd", "ee", "ff", "gg"].iter().map(|s| s.to_string()).collect();
        let want: Vec<Option<String>> = paragraphs.iter().map(|p| Some(p.to_uppercase())).collect();
        let (t, batches) = fake(usize::MAX);
        assert_eq!(t.translate(&paragraphs, "x", "y", &|_, _, _, _| {}, None).unwrap(), want, "every one in its place");
        assert_eq!(*batches.lock().unwrap(), [4, 2, 2, 3, 1, 2], "short replies asked for again in halves");
        let (t, batches) = fake(4);
        assert_eq!(t.translate(&paragraphs, "x", "y", &|_, _, _, _| {}, None).unwrap(), want);
        assert_eq!(*batches.lock().unwrap(), [2, 2, 2, 1], "at most four characters a call");
    }
}
