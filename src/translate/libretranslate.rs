//! The `libretranslate` engine: `POST {url}/translate` with a JSON body `{"q": [...], "source",
//! "target", "format": "text", "api_key"}`, answered with `{"translatedText": [...]}` in the same
//! order. 429 and 503 are waited out (their `Retry-After`, else a growing pause) a few times; 403
//! names the environment variable that should hold the key; 413 or a wrong count sends the
//! paragraphs one at a time.

use std::time::Duration;

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
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(120)))
            .http_status_as_error(false)
            .user_agent(crate::web::http::user_agent())
            .proxy(ureq::Proxy::try_from_env())
            .build()
            .into();
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

/// How many times a 429 or 503 is waited out before giving up.
const RETRIES: u32 = 4;

impl Engine for LibreTranslate {
    fn info(&self) -> &EngineInfo {
        &self.info
    }

    fn max_batch(&self) -> usize {
        self.batch
    }

    fn translate_batch(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        let engine = self.info.name.clone();
        let key = match &self.key_env {
            Some(env) => Some(
                std::env::var(env)
                    .ok()
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| EngineError::MissingKey { engine: engine.clone(), env: env.clone() })?,
            ),
            None => None,
        };
        let mut body = serde_json::json!({
            "q": texts,
            "source": code(&self.codes, source),
            "target": code(&self.codes, target),
            "format": "text",
        });
        if let Some(k) = key {
            body["api_key"] = serde_json::Value::String(k);
        }
        let bytes = serde_json::to_vec(&body)
            .map_err(|e| EngineError::Failed { engine: engine.clone(), message: e.to_string() })?;
        let url = format!("{}/translate", self.url);
        let shown = crate::text::sanitize_line(&url);
        let mut attempt = 0;
        loop {
            let network = |e: &dyn std::fmt::Display| EngineError::Network {
                engine: engine.clone(),
                url: shown.clone(),
                message: crate::text::sanitize_line(&e.to_string()),
            };
            let mut response = self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(&bytes[..])
                .map_err(|e| network(&e))?;
            let status = response.status().as_u16();
            match status {
                200 => {
                    let raw = response
                        .body_mut()
                        .with_config()
                        .limit(64 * 1024 * 1024)
                        .read_to_vec()
                        .map_err(|e| network(&e))?;
                    let reply: serde_json::Value = serde_json::from_slice(&raw).map_err(|e| EngineError::Failed {
                        engine: engine.clone(),
                        message: format!("a reply that is not JSON: {}", crate::text::sanitize_line(&e.to_string())),
                    })?;
                    return match &reply["translatedText"] {
                        serde_json::Value::Array(items) => {
                            Ok(items.iter().map(|i| i.as_str().unwrap_or("").to_string()).collect())
                        }
                        serde_json::Value::String(one) if texts.len() == 1 => Ok(vec![one.clone()]),
                        _ => Err(EngineError::Failed { engine, message: "a reply without translatedText".into() }),
                    };
                }
                429 | 503 if attempt < RETRIES => {
                    attempt += 1;
                    let wait = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map_or(Duration::from_millis(500 << attempt), Duration::from_secs)
                        .min(Duration::from_secs(60));
                    tracing::info!("{engine}: HTTP {status}; waiting {} ms", wait.as_millis());
                    std::thread::sleep(wait);
                }
                401 | 403 => {
                    return Err(match &self.key_env {
                        Some(env) => EngineError::Auth { engine, status, env: env.clone() },
                        None => EngineError::NoKey { engine, status },
                    });
                }
                402 | 456 => return Err(EngineError::Quota { engine, status }),
                413 => return Err(EngineError::Mismatch { engine, expected: texts.len(), got: 0 }),
                _ => {
                    return Err(EngineError::Network { engine, url: shown, message: format!("HTTP {status}") });
                }
            }
        }
    }
}
