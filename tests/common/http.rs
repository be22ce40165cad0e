//! A small HTTP/1.1 server on 127.0.0.1 for tests: each path answers with a list of canned
//! responses (the last one repeats), every request is recorded, the number of requests is
//! bounded, and the server stops when dropped. Nothing here reaches the internet.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One canned answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (a server that never answers in time).
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: None,
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), body: format!("status {status}").into_bytes(), delay: None }
    }

    pub fn redirect(to: &str) -> Reply {
        Reply { status: 302, headers: vec![("Location".into(), to.into())], body: Vec::new(), delay: None }
    }

    pub fn status_code(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }

    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = Some(d);
        self
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
    accept: Option<thread::JoinHandle<()>>,
}

/// At most this many requests in one test: a loop in the code under test ends, not hangs.
const MAX_REQUESTS: usize = 200;

/// Answers a request (a server that computes its replies, such as a translation API).
pub type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

impl Server {
    pub fn start(routes: Vec<(&str, Vec<Reply>)>) -> Server {
        Server::start_with(routes, None)
    }

    /// A server whose every request is answered by `handler`.
    pub fn start_fn(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with(Vec::new(), Some(Arc::new(handler)))
    }

    fn start_with(routes: Vec<(&str, Vec<Reply>)>, handler: Option<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<HashMap<String, (Vec<Reply>, AtomicUsize)>> =
            Arc::new(routes.into_iter().map(|(p, r)| (p.to_string(), (r, AtomicUsize::new(0)))).collect());
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (stop.clone(), seen.clone());
        let accept = thread::spawn(move || {
            for (count, stream) in listener.incoming().enumerate() {
                if s.load(Ordering::SeqCst) || count >= MAX_REQUESTS {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (routes, seen, handler) = (routes.clone(), r.clone(), handler.clone());
                thread::spawn(move || serve(stream, &routes, handler.as_ref(), &seen));
            }
        });
        Server { port, stop, seen, accept: Some(accept) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn serve(
    stream: TcpStream,
    routes: &HashMap<String, (Vec<Reply>, AtomicUsize)>,
    handler: Option<&Handler>,
    seen: &Mutex<Vec<Seen>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request = Seen { method, path: path.clone(), headers, body };
        seen.lock().unwrap().push(request.clone());
        let reply = match (handler, routes.get(&path)) {
            (Some(h), _) => h(&request),
            (None, Some((replies, next))) => {
                let i = next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
                replies[i].clone()
            }
            (None, None) => Reply::status(404),
        };
        if let Some(d) = reply.delay {
            thread::sleep(d);
        }
        let mut head = format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\n", reply.status, reply.body.len());
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(&reply.body)).is_err() {
            return;
        }
        let _ = writer.flush();
    }
}
