//! The `deepl` engine: `POST {url}/v2/translate` with `{"text": [...], "source_lang",
//! "target_lang"}` and the key in the `Authorization: DeepL-Auth-Key …` header (never in the
//! URL), answered with `{"translations": [{"text": …}, …]}` in order. At most 50 texts and
//! 128 KiB a request; English and Portuguese targets need a variant (`EN-US`, `PT-PT` unless
//! `codes` says otherwise); 456 (quota used up) is fatal.

use super::{Engine, EngineConfig, EngineError, EngineInfo};

pub struct DeepL {
    info: EngineInfo,
    url: String,
    key_env: String,
    codes: std::collections::BTreeMap<String, String>,
    batch: usize,
    agent: ureq::Agent,
}

impl DeepL {
    pub fn new(name: &str, cfg: &EngineConfig) -> Result<DeepL, String> {
        let key_env = cfg.api_key_env.clone().ok_or_else(|| {
            format!("[engines.{name}]: a deepl engine needs `api_key_env`, the name of the variable holding the key")
        })?;
        let url = cfg.url.clone().unwrap_or_else(|| "https://api-free.deepl.com".into());
        Ok(DeepL {
            info: EngineInfo {
                name: name.to_string(),
                kind: "deepl".into(),
                model: cfg.model.clone(),
                settings: format!("{url} {:?}", cfg.codes),
            },
            url: url.trim_end_matches('/').to_string(),
            key_env,
            codes: cfg.codes.clone(),
            batch: cfg.batch.unwrap_or(50).min(50),
            agent: super::http::agent(),
        })
    }

    /// DeepL's name for a language: upper case, with a variant for the targets that need one.
    fn lang(&self, lang: &str, target: bool) -> String {
        if let Some(c) = self.codes.get(lang) {
            return c.clone();
        }
        match (lang, target) {
            ("en", true) => "EN-US".into(),
            ("pt", true) => "PT-PT".into(),
            (l, _) => l.to_ascii_uppercase(),
        }
    }
}

impl Engine for DeepL {
    fn info(&self) -> &EngineInfo {
        &self.info
    }

    fn max_batch(&self) -> usize {
        self.batch
    }

    fn max_chars(&self) -> usize {
        // 128 KiB a request, less room for the JSON around the texts.
        120 * 1024
    }

    fn translate_batch(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        let engine = self.info.name.clone();
        let key = super::http::key(&engine, Some(&self.key_env))?.unwrap_or_default();
        let body = serde_json::json!({
            "text": texts,
            "source_lang": self.lang(source, false),
            "target_lang": self.lang(target, true),
        });
        let url = format!("{}/v2/translate", self.url);
        let headers = [("Authorization", format!("DeepL-Auth-Key {key}"))];
        let reply =
            super::http::post_json(&self.agent, &engine, &url, &headers, &body, Some(&self.key_env), texts.len())?;
        match &reply["translations"] {
            serde_json::Value::Array(items) => {
                Ok(items.iter().map(|i| i["text"].as_str().unwrap_or("").to_string()).collect())
            }
            _ => Err(EngineError::Failed { engine, message: "a reply without translations".into() }),
        }
    }
}
