//! Translation throughput, for BENCHMARKS.md:
//! `cargo build --release && cargo run --release --example translate_measure`.
//!
//! A 25-paragraph Spanish article (written here, about 130 characters a paragraph) is
//! translated to English (medians of 5 runs each):
//! - through bitext's `command` engine as `bitext translate` runs it (the built-in apertium
//!   engine, no cache): paragraphs a blank line apart, 25 to a call;
//! - by calling apertium once per paragraph;
//! - by calling apertium once on the whole text (the floor: one process, no bookkeeping).
//!
//! Then the overhead of the `libretranslate` engine per paragraph, against a server on
//! 127.0.0.1 in this program that answers at once (so only bitext's side is measured).

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SENTENCES: &[&str] = &[
    "El ayuntamiento presentó ayer el plan para renovar el mercado central",
    "Los comerciantes pidieron que las obras no coincidan con las fiestas del verano",
    "La reforma incluye una cubierta nueva y puestos más amplios para los productores locales",
    "Según el alcalde, el mercado seguirá abierto durante casi todo el proyecto",
    "Los vecinos podrán consultar los planos en la biblioteca municipal hasta finales de mes",
];

fn paragraphs() -> Vec<String> {
    (0..25).map(|i| format!("{}, y {}.", SENTENCES[i % 5], SENTENCES[(i + 2) % 5].to_lowercase())).collect()
}

fn apertium(input: &str) -> String {
    let mut child = Command::new("apertium")
        .args(["-u", "spa-eng"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("apertium (apt-get install apertium apertium-eng-spa)");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    use bitext::translate::{Translator, engine};
    let ps = paragraphs();
    let chars: usize = ps.iter().map(|p| p.chars().count()).sum();
    println!("25 paragraphs, {chars} characters");
    let translator = Translator { engine: engine("apertium", &Default::default()).unwrap(), cache: None };
    let bitext = time(5, || {
        translator.translate(&ps, "es", "en", &|_, _, _, _| {}, None).unwrap();
    });
    let each = time(5, || {
        for p in &ps {
            apertium(p);
        }
    });
    let whole = ps.join("\n\n");
    let once = time(5, || {
        apertium(&whole);
    });
    let rate = |d: Duration| 25.0 / d.as_secs_f64();
    println!(
        "bitext (command engine, 25 a call): {:>7.1} ms  {:>6.1} paragraphs/s",
        bitext.as_secs_f64() * 1e3,
        rate(bitext)
    );
    println!(
        "apertium once per paragraph:        {:>7.1} ms  {:>6.1} paragraphs/s",
        each.as_secs_f64() * 1e3,
        rate(each)
    );
    println!(
        "apertium once on the whole text:    {:>7.1} ms  {:>6.1} paragraphs/s",
        once.as_secs_f64() * 1e3,
        rate(once)
    );
    println!("bitext / whole text: {:.2}×", bitext.as_secs_f64() / once.as_secs_f64());

    // The libretranslate engine against a loopback server that answers at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let mut got = Vec::new();
                    // Read the head, then the body by its length.
                    let head_end = loop {
                        let n = match s.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        got.extend_from_slice(&buf[..n]);
                        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&got[..head_end]).to_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                        .unwrap_or(0);
                    while got.len() < head_end + len {
                        match s.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => got.extend_from_slice(&buf[..n]),
                        }
                    }
                    let body: serde_json::Value =
                        serde_json::from_slice(&got[head_end..head_end + len]).unwrap_or_default();
                    let out = serde_json::json!({ "translatedText": body["q"] }).to_string();
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{out}",
                        out.len()
                    );
                    if s.write_all(reply.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    let cfg: bitext::translate::EngineConfig =
        toml::from_str(&format!("kind = \"libretranslate\"\nurl = \"http://127.0.0.1:{port}\"\nbatch = 25\n")).unwrap();
    let engines = std::collections::BTreeMap::from([("libre".to_string(), cfg)]);
    for batch in [1usize, 25] {
        let mut cfg = engines["libre"].clone();
        cfg.batch = Some(batch);
        let engines = std::collections::BTreeMap::from([("libre".to_string(), cfg)]);
        let translator = Translator { engine: engine("libre", &engines).unwrap(), cache: None };
        let d = time(20, || {
            translator.translate(&ps, "es", "en", &|_, _, _, _| {}, None).unwrap();
        });
        println!(
            "libretranslate engine, {batch:>2} a request, loopback: {:>7.3} ms for 25 paragraphs, {:>6.1} µs a paragraph",
            d.as_secs_f64() * 1e3,
            d.as_secs_f64() * 1e6 / 25.0
        );
    }
}
