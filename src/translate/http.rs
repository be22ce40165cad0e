//! What the HTTP engines share: one agent, the key read from its environment variable, and a
//! JSON request whose faults are read the same way: 429 and 503 waited out (their
//! `Retry-After`, else a growing pause) a few times, 401/403 naming the variable that should hold
//! the key, 456 and 402 a used-up quota, 413 a sign to send fewer paragraphs, anything else one
//! line with the URL and the status.

use std::time::Duration;

use super::EngineError;

/// How many times a 429 or 503 is waited out before giving up.
const RETRIES: u32 = 4;

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .user_agent(crate::web::http::user_agent())
        .proxy(ureq::Proxy::try_from_env())
        .build()
        .into()
}

/// The key in the environment variable `env` (if one is configured).
pub fn key(engine: &str, env: Option<&str>) -> Result<Option<String>, EngineError> {
    match env {
        None => Ok(None),
        Some(env) => std::env::var(env)
            .ok()
            .filter(|k| !k.is_empty())
            .map(Some)
            .ok_or_else(|| EngineError::MissingKey { engine: engine.to_string(), env: env.to_string() }),
    }
}

/// POSTs `body` as JSON to `url` with `headers`; the reply as JSON. `key_env` names the
/// variable a refused key came from, for the message; `texts` is how many paragraphs were sent.
pub fn post_json(
    agent: &ureq::Agent,
    engine: &str,
    url: &str,
    headers: &[(&str, String)],
    body: &serde_json::Value,
    key_env: Option<&str>,
    texts: usize,
) -> Result<serde_json::Value, EngineError> {
    let engine = engine.to_string();
    let bytes =
        serde_json::to_vec(body).map_err(|e| EngineError::Failed { engine: engine.clone(), message: e.to_string() })?;
    let shown = crate::text::sanitize_line(url);
    let network = |e: &dyn std::fmt::Display| EngineError::Network {
        engine: engine.clone(),
        url: shown.clone(),
        message: crate::text::sanitize_line(&e.to_string()),
    };
    let mut attempt = 0;
    loop {
        let mut request = agent.post(url).header("Content-Type", "application/json");
        for (k, v) in headers {
            request = request.header(*k, v.as_str());
        }
        let mut response = request.send(&bytes[..]).map_err(|e| network(&e))?;
        let status = response.status().as_u16();
        match status {
            200 => {
                let raw =
                    response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec().map_err(|e| network(&e))?;
                return serde_json::from_slice(&raw).map_err(|e| EngineError::Failed {
                    engine: engine.clone(),
                    message: format!("a reply that is not JSON: {}", crate::text::sanitize_line(&e.to_string())),
                });
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
                return Err(match key_env {
                    Some(env) => EngineError::Auth { engine, status, env: env.to_string() },
                    None => EngineError::NoKey { engine, status },
                });
            }
            402 | 456 => return Err(EngineError::Quota { engine, status }),
            413 => return Err(EngineError::Mismatch { engine, expected: texts, got: 0 }),
            _ => return Err(EngineError::Network { engine, url: shown, message: format!("HTTP {status}") }),
        }
    }
}
