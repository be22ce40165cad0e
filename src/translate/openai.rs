//! The `openai` engine: OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp's server,
//! vLLM). Paragraphs go as a JSON object of ids (`{"p1": "…", "p2": "…"}`) and must come back
//! as an object with exactly those ids. The reply format is asked for as a JSON schema; a server
//! that refuses that gets `json_object`, and one that refuses that a plain instruction (the
//! format that worked is remembered). Every reply is checked: all ids present and no other, each
//! translation of a plausible length, the numbers of source and translation the same; a reply
//! that fails, or stops at `finish_reason: "length"`, is an error the translator answers by
//! asking for the batch in halves, down to single paragraphs. Small batches by default: 6
//! paragraphs or 2,000 characters.

use std::sync::atomic::{AtomicU8, Ordering};

use super::{Engine, EngineConfig, EngineError, EngineInfo};

pub struct OpenAi {
    info: EngineInfo,
    url: String,
    model: String,
    key_env: Option<String>,
    batch: usize,
    agent: ureq::Agent,
    /// 0: JSON schema, 1: JSON object, 2: a plain instruction.
    format: AtomicU8,
}

impl OpenAi {
    pub fn new(name: &str, cfg: &EngineConfig) -> Result<OpenAi, String> {
        let model = cfg.model.clone().ok_or_else(|| format!("[engines.{name}]: an openai engine needs `model`"))?;
        let url = cfg.url.clone().unwrap_or_else(|| "https://api.openai.com".into());
        Ok(OpenAi {
            info: EngineInfo {
                name: name.to_string(),
                kind: "openai".into(),
                model: Some(model.clone()),
                settings: url.clone(),
            },
            url: url.trim_end_matches('/').trim_end_matches("/v1").to_string(),
            model,
            key_env: cfg.api_key_env.clone(),
            batch: cfg.batch.unwrap_or(6),
            agent: super::http::agent(),
            format: AtomicU8::new(0),
        })
    }

    fn request(&self, texts: &[String], source: &str, target: &str, format: u8) -> serde_json::Value {
        let ids: Vec<String> = (1..=texts.len()).map(|i| format!("p{i}")).collect();
        let input: serde_json::Map<String, serde_json::Value> =
            ids.iter().cloned().zip(texts.iter().map(|t| serde_json::Value::String(t.clone()))).collect();
        let system = format!(
            "You translate news paragraphs from the language with code {source} to the language with code {target}. \
             You receive a JSON object whose values are paragraphs. Answer with one JSON object with exactly the same \
             keys, each mapped to the translation of its paragraph: keep every number, name and fact, add nothing, \
             merge and split nothing. Answer with the JSON object only."
        );
        let mut body = serde_json::json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": serde_json::Value::Object(input).to_string()},
            ],
        });
        match format {
            0 => {
                let properties: serde_json::Map<String, serde_json::Value> =
                    ids.iter().map(|id| (id.clone(), serde_json::json!({"type": "string"}))).collect();
                body["response_format"] = serde_json::json!({
                    "type": "json_schema",
                    "json_schema": {
                        "name": "translations",
                        "strict": true,
                        "schema": {"type": "object", "properties": properties, "required": ids, "additionalProperties": false},
                    },
                });
            }
            1 => body["response_format"] = serde_json::json!({"type": "json_object"}),
            _ => {}
        }
        body
    }
}

/// The numbers of a text (digit runs, separators dropped), sorted.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if matches!(c, ',' | '.') && !current.is_empty() && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            // a separator inside a number
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.sort();
    out
}

/// A translation of a plausible length for its source: not under a tenth, not over five times
/// (plus room for short texts), counted in characters.
fn plausible(source: &str, translation: &str) -> bool {
    let (s, t) = (source.chars().count(), translation.chars().count());
    t * 10 + 20 >= s && t <= s * 5 + 40
}

impl Engine for OpenAi {
    fn info(&self) -> &EngineInfo {
        &self.info
    }

    fn max_batch(&self) -> usize {
        self.batch
    }

    fn max_chars(&self) -> usize {
        2_000
    }

    fn translate_batch(&self, texts: &[String], source: &str, target: &str) -> Result<Vec<String>, EngineError> {
        let engine = self.info.name.clone();
        let key = super::http::key(&engine, self.key_env.as_deref())?;
        let headers: Vec<(&str, String)> = key.iter().map(|k| ("Authorization", format!("Bearer {k}"))).collect();
        let url = format!("{}/v1/chat/completions", self.url);
        let reply = loop {
            let format = self.format.load(Ordering::SeqCst);
            let body = self.request(texts, source, target, format);
            match super::http::post_json(
                &self.agent,
                &engine,
                &url,
                &headers,
                &body,
                self.key_env.as_deref(),
                texts.len(),
            ) {
                // A server that does not take this reply format: the next, simpler one.
                Err(EngineError::Network { message, .. }) if message == "HTTP 400" && format < 2 => {
                    tracing::info!("{engine}: the server refused response format {format}; trying a simpler one");
                    self.format.store(format + 1, Ordering::SeqCst);
                }
                other => break other?,
            }
        };
        let choice = &reply["choices"][0];
        let bad = |why: String| EngineError::Failed { engine: engine.clone(), message: why };
        if choice["finish_reason"].as_str() == Some("length") {
            return Err(EngineError::Mismatch { engine, expected: texts.len(), got: 0 });
        }
        let content = choice["message"]["content"].as_str().ok_or_else(|| bad("a reply without content".into()))?;
        let content =
            content.trim().trim_start_matches("```json").trim_start_matches("```").trim_end_matches("```").trim();
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(content)
            .map_err(|_| EngineError::Mismatch { engine: engine.clone(), expected: texts.len(), got: 0 })?;
        let ids: Vec<String> = (1..=texts.len()).map(|i| format!("p{i}")).collect();
        let got: Vec<Option<&str>> = ids.iter().map(|id| object.get(id).and_then(|v| v.as_str())).collect();
        if got.iter().any(Option::is_none) || object.len() != ids.len() {
            let present = got.iter().filter(|g| g.is_some()).count();
            return Err(EngineError::Mismatch { engine, expected: texts.len(), got: present.min(object.len()) });
        }
        let got: Vec<String> = got.into_iter().flatten().map(str::to_string).collect();
        for (s, t) in texts.iter().zip(&got) {
            if !plausible(s, t) {
                return Err(bad(format!(
                    "a translation of implausible length ({} characters for {})",
                    t.chars().count(),
                    s.chars().count()
                )));
            }
            if numbers(s) != numbers(t) {
                return Err(bad(format!(
                    "the numbers of a translation differ from its paragraph's: {:?} against {:?}",
                    numbers(t),
                    numbers(s)
                )));
            }
        }
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lengths() {
        assert_eq!(numbers("On 11 July, 1,200 people came."), ["11", "1200"]);
        assert_eq!(numbers("7월 11일 1,200명이 왔다."), ["11", "1200", "7"]);
        assert!(plausible("Hola.", "Hello."));
        assert!(!plausible(&"palabra ".repeat(50), "Hi."));
        assert!(!plausible("Hola.", &"hello ".repeat(100)));
    }
}
