//! The `libretranslate` engine: `POST {url}/translate` with a JSON body `{"q": [...], "source",
//! "target", "format": "text", "api_key"}`, answered with `{"translatedText": [...]}` in the same
//! order. 429 and 503 are waited out (their `Retry-After`, else a growing pause) a few times; 403
//! names the environment variable that should hold the key; 413 or a wrong count sends the
//! paragraphs one at a time.

use super::{Engine, EngineConfig, EngineError, EngineInfo, code};

pub struct LibreTranslate {
    info: EngineInfo,
    url: String,
    key_env: Option<String>,
    codes: std::collections::BTreeMap<String, String>,
    batch: usize,
    agent: ureq::Agent,
}

impl LibreTranslate {
    pub fn new(name: &str, cfg: &EngineConfig) -> Result<LibreTranslate, String> {
        let url = cfg.url.clone().ok_or_else(|| format!("[engines.{name}]: a libretranslate engine needs `url`"))?;
        let agent = super::http::agent();
        Ok(LibreTranslate {
            info: EngineInfo {
                name: name.to_string(),
                kind: "libretranslate".into(),
                model: cfg.model.clone(),
                settings: format!("{url} {:?}", cfg.codes),
            },
            url: url.trim_end_matches('/').to_string(),
            key_env: cfg.api_key_env.clone(),
            codes: cfg.codes.clone(),
            batch: cfg.batch.unwrap_or(25),
            agent,
        })
    }
}

impl Engine for LibreTranslate {
    fn info(&self) -> &EngineInfo {
        &self.info
    }

    fn max_batch(&self) -> usize {
        self.batch
    }

    fn translate_batch(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        let engine = self.info.name.clone();
        let key = super::http::key(&engine, self.key_env.as_deref())?;
        let mut body = serde_json::json!({
            "q": texts,
            "source": code(&self.codes, source),
            "target": code(&self.codes, target),
            "format": "text",
        });
        if let Some(k) = key {
            body["api_key"] = serde_json::Value::String(k);
        }
        let url = format!("{}/translate", self.url);
        let reply =
            super::http::post_json(&self.agent, &engine, &url, &[], &body, self.key_env.as_deref(), texts.len())?;
        match &reply["translatedText"] {
            serde_json::Value::Array(items) => Ok(items.iter().map(|i| i.as_str().unwrap_or("").to_string()).collect()),
            serde_json::Value::String(one) if texts.len() == 1 => Ok(vec![one.clone()]),
            _ => Err(EngineError::Failed { engine, message: "a reply without translatedText".into() }),
        }
    }
}
