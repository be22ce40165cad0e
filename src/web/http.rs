//! One HTTP client for every page bitext fetches: explicit timeouts, at most five redirects,
//! a cap on the body after decompression, gzip, only `http` and `https`, a `User-Agent` that
//! says bitext, and proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`. A 429 or 503 with a
//! short `Retry-After` is waited out once. Every failure is one line naming the URL and the
//! HTTP status or the network error.

use std::io::Read;
use std::time::Duration;

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Connecting (and the TLS handshake).
    pub connect_timeout: Duration,
    /// A whole request, redirects and body included.
    pub timeout: Duration,
    pub max_redirects: u32,
    /// The most bytes of a body, after decompression.
    pub body_limit: u64,
    /// The longest `Retry-After` waited out (once) on a 429 or 503.
    pub max_retry_after: Duration,
    /// Use the proxy `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` name (off: connect directly).
    pub proxy_from_env: bool,
    /// At most one request at a time to each host, whatever the number of threads sharing
    /// the client (a fetch of many feeds is polite to each site).
    pub one_per_host: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            body_limit: 8 * 1024 * 1024,
            max_retry_after: Duration::from_secs(30),
            proxy_from_env: true,
            one_per_host: false,
        }
    }
}

/// `bitext/0.1.0 (+terminal reader of translated news)`.
pub fn user_agent() -> String {
    format!("bitext/{} (terminal reader of translated news)", env!("CARGO_PKG_VERSION"))
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where it was found, after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub content_language: Option<String>,
    /// The validators for a conditional request next time.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

/// What a conditional request gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conditional {
    Modified(Page),
    /// 304: what was fetched last time is still current.
    NotModified,
}

/// Why a page could not be had; each says which URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("{url}: not a web address bitext can fetch (only http and https)")]
    Scheme { url: String },
    #[error("{url}: HTTP {status}{}", reason(*status))]
    Status { url: String, status: u16 },
    #[error("{url}: HTTP {status}: the server asks to wait {seconds} s before trying again")]
    RetryLater { url: String, status: u16, seconds: u64 },
    #[error("{url}: the page is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: no answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: more than {max} redirects (a redirect loop?)")]
    Redirects { url: String, max: u32 },
    #[error("{url}: {message}")]
    Network { url: String, message: String },
}

/// ` Not Found` and the like, for the common statuses.
fn reason(status: u16) -> &'static str {
    match status {
        400 => " Bad Request",
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        410 => " Gone",
        429 => " Too Many Requests",
        500 => " Internal Server Error",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}

/// The client. Cheap to clone; requests may be made from several threads.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    options: Options,
    /// Each host's turn, when one request at a time per host.
    hosts: Option<std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, HostTurn>>>>,
}

type HostTurn = std::sync::Arc<std::sync::Mutex<()>>;

impl Client {
    pub fn new(options: Options) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(options.connect_timeout))
            .timeout_global(Some(options.timeout))
            .max_redirects(options.max_redirects)
            .max_redirects_will_error(true)
            .http_status_as_error(false)
            .user_agent(user_agent())
            .proxy(if options.proxy_from_env { ureq::Proxy::try_from_env() } else { None })
            .build();
        let hosts = options.one_per_host.then(Default::default);
        Client { agent: config.into(), options, hosts }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Fetches `url`.
    pub fn get(&self, url: &str) -> Result<Page, FetchError> {
        self.get_with(url, &[])
    }

    /// Fetches `url` with extra request headers.
    pub fn get_with(&self, url: &str, headers: &[(&str, &str)]) -> Result<Page, FetchError> {
        match self.request(url, headers)? {
            Conditional::Modified(page) => Ok(page),
            // Only a conditional request is answered 304.
            Conditional::NotModified => Err(FetchError::Status { url: crate::text::sanitize_line(url), status: 304 }),
        }
    }

    /// Fetches `url` unless it is unchanged since the response that carried `etag` and
    /// `last_modified` (sent back as `If-None-Match` and `If-Modified-Since`).
    pub fn get_if_changed(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        accept: &str,
    ) -> Result<Conditional, FetchError> {
        let mut headers = vec![("Accept", accept)];
        headers.extend(etag.map(|v| ("If-None-Match", v)));
        headers.extend(last_modified.map(|v| ("If-Modified-Since", v)));
        self.request(url, &headers)
    }

    fn request(&self, url: &str, headers: &[(&str, &str)]) -> Result<Conditional, FetchError> {
        let shown = crate::text::sanitize_line(url);
        let parsed =
            url::Url::parse(url).map_err(|e| FetchError::Network { url: shown.clone(), message: e.to_string() })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::Scheme { url: shown });
        }
        // Wait for this host's turn (held until the body is read).
        let turn: Option<HostTurn> = self.hosts.as_ref().map(|hosts| {
            let key = format!("{}:{}", parsed.host_str().unwrap_or(""), parsed.port_or_known_default().unwrap_or(0));
            let mut map = hosts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            map.entry(key).or_default().clone()
        });
        let _turn = turn.as_ref().map(|t| t.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let mut waited = false;
        loop {
            let mut request = self.agent.get(url);
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            let mut response = request.call().map_err(|e| self.error(&shown, e))?;
            let status = response.status().as_u16();
            if matches!(status, 429 | 503) {
                let seconds = retry_after(response.headers().get("retry-after").and_then(|v| v.to_str().ok()));
                match seconds {
                    Some(s) if !waited && Duration::from_secs(s) <= self.options.max_retry_after => {
                        waited = true;
                        std::thread::sleep(Duration::from_secs(s));
                        continue;
                    }
                    Some(s) if !waited => return Err(FetchError::RetryLater { url: shown, status, seconds: s }),
                    _ => return Err(FetchError::Status { url: shown, status }),
                }
            }
            if status == 304 && headers.iter().any(|(k, _)| k.starts_with("If-")) {
                return Ok(Conditional::NotModified);
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status { url: shown, status });
            }
            use ureq::ResponseExt;
            let final_url = response.get_uri().to_string();
            let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
            let (content_type, content_language) = (header("content-type"), header("content-language"));
            let (etag, last_modified) = (header("etag"), header("last-modified"));
            let limit = self.options.body_limit;
            let mut body = Vec::new();
            let reader = response.body_mut().with_config().limit(limit.saturating_add(1)).reader();
            reader.take(limit.saturating_add(1)).read_to_end(&mut body).map_err(|e| {
                match e.get_ref().and_then(|inner| inner.downcast_ref::<ureq::Error>()) {
                    Some(ureq::Error::BodyExceedsLimit(_)) => FetchError::TooLarge { url: shown.clone(), limit },
                    _ => self.io_error(&shown, &e),
                }
            })?;
            if body.len() as u64 > limit {
                return Err(FetchError::TooLarge { url: shown, limit });
            }
            return Ok(Conditional::Modified(Page {
                url: final_url,
                content_type,
                content_language,
                etag,
                last_modified,
                body,
            }));
        }
    }

    fn error(&self, url: &str, e: ureq::Error) -> FetchError {
        let url = url.to_string();
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout { url, seconds: self.options.timeout.as_secs() },
            ureq::Error::TooManyRedirects => FetchError::Redirects { url, max: self.options.max_redirects },
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge { url, limit: self.options.body_limit },
            ureq::Error::StatusCode(status) => FetchError::Status { url, status },
            ureq::Error::HostNotFound => FetchError::Network { url, message: "host not found".into() },
            ureq::Error::ConnectionFailed => FetchError::Network { url, message: "connection failed".into() },
            ureq::Error::Io(io) => self.io_error(&url, &io),
            other => FetchError::Network { url, message: crate::text::sanitize_line(&other.to_string()) },
        }
    }

    fn io_error(&self, url: &str, e: &std::io::Error) -> FetchError {
        let url = url.to_string();
        match e.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                FetchError::Timeout { url, seconds: self.options.timeout.as_secs() }
            }
            std::io::ErrorKind::ConnectionRefused => FetchError::Network { url, message: "connection refused".into() },
            _ => FetchError::Network { url, message: crate::text::sanitize_line(&e.to_string()) },
        }
    }
}

/// Seconds from a `Retry-After` header: a number of seconds, or an HTTP date (taken as "soon":
/// a few seconds, since the clock on both sides is not to be trusted).
fn retry_after(value: Option<&str>) -> Option<u64> {
    let v = value?.trim();
    match v.parse::<u64>() {
        Ok(s) => Some(s),
        Err(_) if !v.is_empty() => Some(5),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(Some("3")), Some(3));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), Some(5));
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn only_http_and_https() {
        let c = Client::new(Options::default());
        assert_eq!(c.get("file:///etc/passwd"), Err(FetchError::Scheme { url: "file:///etc/passwd".into() }));
        assert!(matches!(c.get("ftp://x.example/a"), Err(FetchError::Scheme { .. })));
    }
}
