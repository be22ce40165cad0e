//! Machine translation: a real offline engine (apertium, installed by `.ci/run`) through the
//! built-in engine and a `command` engine, the cache (no engine call the second time), and a
//! LibreTranslate-protocol server on 127.0.0.1 that records every request (batches, the key
//! only where it belongs, 429 waited out, 403 naming the variable, a reply missing a paragraph).

mod common;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::http::{Reply, Server};
use common::text;

/// A Spanish article with no translation: five paragraphs, one a heading, the last with a
/// translation a person wrote.
const ARTICLE: &str = "# Una feria del libro, escrita para las pruebas.
title = \"La feria del libro vuelve a la plaza\"
source_lang = \"es\"
target_lang = \"en\"

[[paragraphs]]
source = \"La feria del libro vuelve este sábado a la plaza mayor después de dos años.\"

[[paragraphs]]
kind = \"heading\"
source = \"Más casetas que nunca\"

[[paragraphs]]
source = \"Este año participan cuarenta librerías y doce editoriales de la región.\"

[[paragraphs]]
source = \"El ayuntamiento ha instalado toldos para proteger a los lectores del sol.\"

[[paragraphs]]
source = \"Los organizadores esperan a veinte mil visitantes.\"
translation = \"The organisers expect twenty thousand visitors.\"
";

fn sources() -> Vec<&'static str> {
    vec![
        "La feria del libro vuelve este sábado a la plaza mayor después de dos años.",
        "Más casetas que nunca",
        "Este año participan cuarenta librerías y doce editoriales de la región.",
        "El ayuntamiento ha instalado toldos para proteger a los lectores del sol.",
    ]
}

struct Lib {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Lib {
    fn new() -> Lib {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("feria.toml"), ARTICLE).unwrap();
        Lib { dir, home: tempfile::tempdir().unwrap() }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("feria.toml")
    }

    fn config(&self, text: &str) -> PathBuf {
        let p = self.home.path().join("config.toml");
        std::fs::write(&p, text).unwrap();
        p
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bitext"));
        cmd.arg("--library").arg(self.dir.path()).args(args);
        common::isolate(&mut cmd, self.home.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    fn article(&self) -> bitext::article::Article {
        let parsed = bitext::article::parse(&std::fs::read(self.file()).unwrap(), "feria", &self.file());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.article.unwrap()
    }
}

fn apertium() -> bool {
    common::apertium_spa_eng()
}

/// apertium's own translation of one paragraph.
fn apertium_of(text: &str) -> String {
    use std::io::Write;
    let mut child =
        Command::new("apertium").args(["-u", "spa-eng"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap().trim().to_string()
}

/// The built-in engine: every paragraph without a translation gets apertium's translation of
/// that very paragraph, in its place, marked as a machine's; the person's translation stays.
#[test]
fn apertium_fills_each_paragraph_in_its_place() {
    if !apertium() {
        return;
    }
    let lib = Lib::new();
    let o = lib.run(&["translate", "feria", "--engine", "apertium"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "translated feria: 4 paragraphs · apertium\n");
    let a = lib.article();
    for (g, source) in a.groups.iter().zip(sources()) {
        assert_eq!(g.source, [source]);
        assert_eq!(g.translation, [apertium_of(source)], "{source}");
        assert!(g.machine);
    }
    assert_eq!(a.groups[4].translation, ["The organisers expect twenty thousand visitors."]);
    assert!(!a.groups[4].machine, "a person's translation is not a machine's");
    let mt = a.meta.machine_translation.clone().unwrap();
    assert_eq!((mt.engine.as_str(), mt.kind.as_str()), ("apertium", "command"));
    // The comment at the top of the file is still there.
    assert!(std::fs::read_to_string(lib.file()).unwrap().starts_with("# Una feria del libro"));
    // `list --json` says who translated.
    let o = lib.run(&["list", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v[0]["translation"].as_str(), v[0]["engine"].as_str()), (Some("mixed"), Some("apertium")));
    // The reader's header names the engine.
    let o = lib.run(&["show", "feria", "-w", "120"], &[]);
    assert!(text(&o.stdout).contains("machine translation · apertium"), "{}", text(&o.stdout));
}

/// A `command` engine from the config, wrapped to count its calls: several paragraphs go in
/// one call, and translating again (even with --force) calls it no more: the cache answers.
#[test]
fn a_command_engine_and_the_cache() {
    if !apertium() {
        return;
    }
    let lib = Lib::new();
    let calls = lib.home.path().join("calls");
    let script = lib.home.path().join("counted-apertium.sh");
    std::fs::write(&script, format!("#!/bin/sh\necho call >> '{}'\nexec apertium -u \"$1\"\n", calls.display()))
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cfg = lib.config(&format!(
        "[translate]\nengine = \"counted\"\n\n[engines.counted]\nkind = \"command\"\ncommand = [\"{}\", \"{{source}}-{{target}}\"]\ncodes = {{ es = \"spa\", en = \"eng\" }}\n",
        script.display()
    ));
    let config = cfg.to_str().unwrap();
    let o = lib.run(&["--config", config, "translate", "feria"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let count = || std::fs::read_to_string(&calls).unwrap_or_default().lines().count();
    assert_eq!(count(), 1, "four paragraphs, one call (one a line)");
    let first = lib.article();
    for (g, source) in first.groups.iter().zip(sources()) {
        assert_eq!(g.translation, [apertium_of(source)]);
    }
    let o = lib.run(&["--config", config, "translate", "feria", "--force"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(count(), 2, "--force translates the person's paragraph too, and only it is new");
    let before = count();
    let o = lib.run(&["--config", config, "translate", "feria", "--force"], &[]);
    assert!(o.status.success());
    assert_eq!(count(), before, "everything from the cache: no engine call");
    let o = lib.run(&["--config", config, "translate", "feria", "--force", "--no-cache"], &[]);
    assert!(o.status.success());
    assert_eq!(count(), before + 1, "--no-cache asks the engine");
}

/// `--untranslated` finds, through the index cache, the articles nobody translated, and only
/// those are written: one translated by a person and one half done are left byte for byte.
#[test]
fn untranslated_finds_only_what_nobody_translated() {
    let lib = Lib::new();
    let nada =
        "title = \"Nada\"\nsource_lang = \"es\"\ntarget_lang = \"en\"\n\n[[paragraphs]]\nsource = \"Hola a todos.\"\n";
    let hecho = "title = \"Hecho\"\nsource_lang = \"es\"\ntarget_lang = \"en\"\n\n[[paragraphs]]\nsource = \"Adiós.\"\ntranslation = \"Goodbye.\"\n";
    std::fs::create_dir(lib.dir.path().join("sub")).unwrap();
    std::fs::write(lib.dir.path().join("sub/nada.toml"), nada).unwrap();
    std::fs::write(lib.dir.path().join("hecho.toml"), hecho).unwrap();
    let script = lib.home.path().join("prefix.sh");
    std::fs::write(&script, "#!/bin/sh\nsed 's/^/EN: /'\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cfg = lib.config(&format!(
        "[translate]\nengine = \"prefix\"\n\n[engines.prefix]\nkind = \"command\"\ncommand = [\"{}\"]\n",
        script.display()
    ));
    let feria = std::fs::read(lib.file()).unwrap();
    // Twice: with no index cache, then with one the first run left.
    for round in 0..2 {
        std::fs::write(lib.dir.path().join("sub/nada.toml"), nada).unwrap();
        let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "--untranslated"], &[]);
        assert!(o.status.success(), "round {round}: {}", text(&o.stderr));
        assert_eq!(text(&o.stdout), "translated sub/nada: 1 paragraphs · prefix\n", "round {round}");
        let done = std::fs::read_to_string(lib.dir.path().join("sub/nada.toml")).unwrap();
        assert!(done.contains("EN: Hola a todos."), "{done}");
        assert_eq!(std::fs::read(lib.file()).unwrap(), feria, "half done by a person: not touched");
        assert_eq!(std::fs::read_to_string(lib.dir.path().join("hecho.toml")).unwrap(), hecho);
    }
}

/// A server speaking LibreTranslate's protocol: `POST /translate` with `q` as a list, answered
/// in order with `translatedText`. It translates by putting `EN:` before each text; the first
/// request gets a 429 with Retry-After; requests are recorded.
fn libretranslate(key: &'static str, fail_first: bool, drop_one: bool) -> (Server, Arc<Mutex<Vec<serde_json::Value>>>) {
    let bodies: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let seen = bodies.clone();
    let n = AtomicUsize::new(0);
    let server = Server::start_fn(move |req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        if req.method != "POST" || req.path != "/translate" {
            return Reply::status(404);
        }
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        seen.lock().unwrap().push(body.clone());
        if fail_first && i == 0 {
            return Reply::status(429).header("Retry-After", "1");
        }
        if body["api_key"].as_str() != Some(key) {
            return Reply::ok("application/json", r#"{"error":"Invalid API key"}"#).status_code(403);
        }
        let q: Vec<String> =
            body["q"].as_array().unwrap().iter().map(|v| format!("EN: {}", v.as_str().unwrap())).collect();
        let mut out = q;
        if drop_one && out.len() > 1 {
            out.pop();
        }
        Reply::ok("application/json", serde_json::json!({ "translatedText": out }).to_string())
    });
    (server, bodies)
}

fn libre_config(lib: &Lib, server: &Server) -> PathBuf {
    lib.config(&format!(
        "[translate]\nengine = \"libre\"\n\n[engines.libre]\nkind = \"libretranslate\"\nurl = \"{}\"\napi_key_env = \"LT_TEST_KEY\"\nbatch = 2\n",
        server.origin()
    ))
}

#[test]
fn libretranslate_batches_sends_the_key_only_in_the_request_and_waits_out_429() {
    let lib = Lib::new();
    let (server, bodies) = libretranslate("s3cr3t-key", true, false);
    let cfg = libre_config(&lib, &server);
    let o = lib.run(
        &["--config", cfg.to_str().unwrap(), "--log-level", "debug", "translate", "feria"],
        &[("LT_TEST_KEY", "s3cr3t-key")],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let bodies = bodies.lock().unwrap().clone();
    let sizes: Vec<usize> = bodies.iter().map(|b| b["q"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [2, 2, 2], "a 429 waited out, then batches of two: {bodies:?}");
    assert!(bodies.iter().all(|b| b["source"] == "es" && b["target"] == "en" && b["format"] == "text"));
    let a = lib.article();
    for (g, source) in a.groups.iter().zip(sources()) {
        assert_eq!(g.translation, [format!("EN: {source}")]);
    }
    // The key is nowhere but in the requests.
    let file = std::fs::read_to_string(lib.file()).unwrap();
    let log = std::fs::read_to_string(lib.home.path().join("state/bitext/bitext.log")).unwrap_or_default();
    let config = lib.run(&["--config", cfg.to_str().unwrap(), "config"], &[("LT_TEST_KEY", "s3cr3t-key")]);
    for (what, s) in [
        ("file", file),
        ("stdout", text(&o.stdout)),
        ("stderr", text(&o.stderr)),
        ("log", log),
        ("config", text(&config.stdout)),
    ] {
        assert!(!s.contains("s3cr3t-key"), "the key is in the {what}");
    }
    // Again with --force: only the person's paragraph is new; the rest comes from the cache.
    let before = server.requests().len();
    let o = lib
        .run(&["--config", cfg.to_str().unwrap(), "translate", "feria", "--force"], &[("LT_TEST_KEY", "s3cr3t-key")]);
    assert!(o.status.success());
    assert_eq!(server.requests().len(), before + 1);
}

#[test]
fn a_refused_key_names_the_variable_and_leaves_the_file_alone() {
    let lib = Lib::new();
    let (server, _) = libretranslate("right", false, false);
    let cfg = libre_config(&lib, &server);
    let before = std::fs::read(lib.file()).unwrap();
    let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "feria"], &[("LT_TEST_KEY", "wrong")]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("HTTP 403") && err.contains("LT_TEST_KEY"), "{err}");
    assert!(!err.contains("wrong"), "the key itself is not shown: {err}");
    assert_eq!(std::fs::read(lib.file()).unwrap(), before, "the file is exactly as it was");
    // No key at all: the same, before any request.
    let requests = server.requests().len();
    let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "feria"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("LT_TEST_KEY is not set"), "{}", text(&o.stderr));
    assert_eq!(server.requests().len(), requests);
}

/// Translating rewrites the file's pairs: each keeps where its source stood, the aligner's
/// confidence and `manual`, and `[alignment]` stays; a `[body]` article becomes `[[paragraphs]]`
/// with its `[alignment]` kept.
#[test]
fn translating_keeps_the_pairing_facts_and_the_alignment_table() {
    let lib = Lib::new();
    let given = ARTICLE.replace(
        "[[paragraphs]]\nsource = \"La feria",
        "[alignment]\nmethod = \"anchors and lengths\"\nconfidence = 0.87\n\n[[paragraphs]]\nmoved_from = 3\nconfidence = 0.42\nmanual = true\nsource = \"La feria",
    );
    std::fs::write(lib.file(), &given).unwrap();
    let (server, _) = libretranslate("k", false, false);
    let cfg = libre_config(&lib, &server);
    let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "feria"], &[("LT_TEST_KEY", "k")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let a = lib.article();
    let g = &a.groups[0];
    assert_eq!(g.translation, [format!("EN: {}", sources()[0])]);
    assert_eq!((g.moved_from, g.confidence, g.manual, g.machine), (Some(3), Some(0.42), true, true));
    let alignment = a.meta.alignment.clone().unwrap();
    assert_eq!((alignment.method.as_str(), alignment.confidence), ("anchors and lengths", Some(0.87)));
    // A `[body]`: written as pairs, `[alignment]` kept.
    let body = "title = \"Feria\"\nsource_lang = \"es\"\ntarget_lang = \"en\"\n\n[alignment]\nmethod = \"anchors\"\n\n\
                [body]\nsource = \"\"\"\nLa feria vuelve.\n\nHay cuarenta librerías.\n\"\"\"\n";
    std::fs::write(lib.file(), body).unwrap();
    let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "feria"], &[("LT_TEST_KEY", "k")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let file = std::fs::read_to_string(lib.file()).unwrap();
    assert!(!file.contains("[body]") && file.contains("[alignment]\nmethod = \"anchors\"\n"), "{file}");
    let a = lib.article();
    assert_eq!(a.meta.alignment.unwrap().method, "anchors");
    assert_eq!(a.groups.len(), 2);
    assert_eq!(a.groups[1].translation, ["EN: Hay cuarenta librerías."]);
}

/// A reply one translation short: the batch is not used; its paragraphs are asked for one at a
/// time, so no translation lands beside the wrong paragraph.
#[test]
fn a_reply_missing_a_paragraph_never_shifts_the_rest() {
    let lib = Lib::new();
    let (server, bodies) = libretranslate("k", false, true);
    let cfg = libre_config(&lib, &server);
    let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "feria"], &[("LT_TEST_KEY", "k")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let a = lib.article();
    for (g, source) in a.groups.iter().zip(sources()) {
        assert_eq!(g.translation, [format!("EN: {source}")], "in its place");
    }
    let sizes: Vec<usize> = bodies.lock().unwrap().iter().map(|b| b["q"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [2, 1, 1, 2, 1, 1], "each short batch retried one by one");
    drop(server);
}

/// `T` in the reader: the paragraphs fill in as they come, the status line counts, the
/// reading place stays, and the file gets them.
#[test]
fn t_in_the_reader_translates_in_place() {
    use common::pty::{ENTER, Spawn};
    if !apertium() {
        return;
    }
    let lib = Lib::new();
    let mut tui = Spawn::new(120, 40).library(lib.dir.path()).cache_home(lib.home.path().join("cache")).start();
    tui.wait_for_text("1 article ");
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/5");
    tui.wait_for_text("(no translation: press T to translate)");
    tui.send(b"}}");
    tui.wait_for_status("¶ 3/5");
    tui.send(b"T");
    tui.wait_for("the translation done", |t| t.status_row().contains("translated 4 paragraphs · apertium"));
    assert!(tui.status_fields().iter().any(|f| f == "¶ 3/5"), "the place stayed:\n{}", tui.framed_screen());
    let first = apertium_of(sources()[0]);
    let words: String = first.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    tui.wait_for("the machine translation on screen", |t| {
        t.contents().contains(&words) && t.contents().contains(" mt ")
    });
    tui.send(b"qq");
    assert!(tui.wait_exit().success());
    let a = lib.article();
    assert!(a.groups[..4].iter().all(|g| g.machine && g.translation.len() == 1));
}

/// `bitext add URL --translate`: a page with no English edition is added and translated.
#[test]
fn add_with_translate_fills_what_no_edition_has() {
    if !apertium() {
        return;
    }
    let page = "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>La feria del libro | Diario del Valle</title></head><body><nav><p>Portada</p></nav><article><h1>La feria del libro vuelve a la plaza</h1><p>La feria del libro vuelve este sábado a la plaza mayor después de dos años.</p><p>Este año participan cuarenta librerías y doce editoriales de la región.</p></article></body></html>";
    let server = Server::start(vec![("/es/feria.html", vec![Reply::ok("text/html", page)])]);
    let lib = Lib::new();
    std::fs::remove_file(lib.file()).unwrap();
    let o = lib.run(&["add", &server.url("/es/feria.html"), "--translate", "apertium"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("2 source, 0 translation paragraphs, source only"), "{out}");
    assert!(out.contains("translated es/") && out.contains(": 2 paragraphs · apertium"), "{out}");
    let path = std::fs::read_dir(lib.dir.path().join("es")).unwrap().next().unwrap().unwrap().path();
    let parsed = bitext::article::parse(&std::fs::read(&path).unwrap(), "x", &path);
    let a = parsed.article.unwrap();
    for g in a.groups.iter() {
        assert_eq!(g.translation, [apertium_of(&g.source[0])]);
        assert!(g.machine);
    }
}

/// A server speaking DeepL's v2 protocol: the key in the Authorization header, `text` as a
/// list, `translations` answered in order; 456 once the quota is "used up".
#[test]
fn deepl_sends_the_key_in_the_header_and_at_most_fifty_texts() {
    type Seen = Vec<(Option<String>, String, serde_json::Value)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let log = seen.clone();
    let quota_left = Arc::new(AtomicUsize::new(usize::MAX));
    let quota = quota_left.clone();
    let server = Server::start_fn(move |req| {
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        log.lock().unwrap().push((req.header("authorization").map(str::to_string), req.path.clone(), body.clone()));
        if req.path != "/v2/translate" {
            return Reply::status(404);
        }
        if req.header("authorization") != Some("DeepL-Auth-Key dl-key-42") {
            return Reply::status(403);
        }
        if quota.fetch_sub(1, Ordering::SeqCst) == 0 {
            return Reply::status(456);
        }
        let out: Vec<serde_json::Value> = body["text"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| serde_json::json!({ "detected_source_language": "ES", "text": format!("EN: {}", t.as_str().unwrap()) }))
            .collect();
        Reply::ok("application/json", serde_json::json!({ "translations": out }).to_string())
    });
    let lib = Lib::new();
    let mut many = String::from("title = \"Muchos\"\nsource_lang = \"es\"\ntarget_lang = \"en\"\n");
    for i in 0..60 {
        many.push_str(&format!("\n[[paragraphs]]\nsource = \"Párrafo número {i}.\"\n"));
    }
    std::fs::write(lib.dir.path().join("muchos.toml"), &many).unwrap();
    let cfg = lib.config(&format!(
        "[engines.dl]\nkind = \"deepl\"\nurl = \"{}\"\napi_key_env = \"DL_TEST_KEY\"\n",
        server.origin()
    ));
    let o = lib.run(
        &["--config", cfg.to_str().unwrap(), "translate", "muchos", "--engine", "dl"],
        &[("DL_TEST_KEY", "dl-key-42")],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let requests = seen.lock().unwrap().clone();
    let sizes: Vec<usize> = requests.iter().map(|(_, _, b)| b["text"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [50, 10]);
    for (auth, path, body) in &requests {
        assert_eq!(auth.as_deref(), Some("DeepL-Auth-Key dl-key-42"));
        assert!(!path.contains("dl-key-42"), "the key is never in the URL");
        assert_eq!((body["source_lang"].as_str(), body["target_lang"].as_str()), (Some("ES"), Some("EN-US")));
        assert!(body.get("auth_key").is_none());
    }
    let parsed = bitext::article::parse(&std::fs::read(lib.dir.path().join("muchos.toml")).unwrap(), "m", &lib.file());
    let a = parsed.article.unwrap();
    assert_eq!(a.groups[59].translation, ["EN: Párrafo número 59."]);
    // The quota used up: fatal at once, the file untouched.
    quota_left.store(0, Ordering::SeqCst);
    let before = std::fs::read(lib.file()).unwrap();
    let o = lib.run(
        &["--config", cfg.to_str().unwrap(), "translate", "feria", "--engine", "dl"],
        &[("DL_TEST_KEY", "dl-key-42")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("quota is used up (HTTP 456)"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(lib.file()).unwrap(), before);
}

/// An OpenAI-compatible server: the paragraphs go as a JSON object of ids; this one refuses the
/// JSON-schema reply format (the engine falls back to a JSON object), cuts a reply of four off at
/// `finish_reason: "length"` and drops an id from a reply of two, so the engine asks again in
/// halves until every paragraph comes back under its own id.
#[test]
fn an_openai_compatible_server_is_checked_and_halved() {
    type Formats = Vec<(Option<String>, usize)>;
    let formats: Arc<Mutex<Formats>> = Arc::default();
    let log = formats.clone();
    let server = Server::start_fn(move |req| {
        if req.path != "/v1/chat/completions" {
            return Reply::status(404);
        }
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        let format = body["response_format"]["type"].as_str().map(str::to_string);
        let input: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(body["messages"][1]["content"].as_str().unwrap_or("{}")).unwrap_or_default();
        log.lock().unwrap().push((format.clone(), input.len()));
        if req.header("authorization") != Some("Bearer llm-key") || body["model"] != "tiny-model" {
            return Reply::status(401);
        }
        if format.as_deref() == Some("json_schema") {
            return Reply::status(400);
        }
        let mut out: serde_json::Map<String, serde_json::Value> = input
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(format!("EN: {}", v.as_str().unwrap()))))
            .collect();
        let finish = if input.len() >= 4 { "length" } else { "stop" };
        if input.len() == 2 {
            out.remove("p2");
        }
        let content = serde_json::Value::Object(out).to_string();
        Reply::ok(
            "application/json",
            serde_json::json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}]})
                .to_string(),
        )
    });
    let lib = Lib::new();
    let cfg = lib.config(&format!(
        "[engines.llm]\nkind = \"openai\"\nurl = \"{}\"\nmodel = \"tiny-model\"\napi_key_env = \"LLM_TEST_KEY\"\n",
        server.origin()
    ));
    let o = lib.run(
        &["--config", cfg.to_str().unwrap(), "translate", "feria", "--engine", "llm"],
        &[("LLM_TEST_KEY", "llm-key")],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let a = lib.article();
    for (g, source) in a.groups.iter().zip(sources()) {
        assert_eq!(g.translation, [format!("EN: {source}")], "in its place");
    }
    let seen = formats.lock().unwrap().clone();
    assert_eq!(seen[0], (Some("json_schema".to_string()), 4), "the schema asked for first");
    let rest: Vec<(Option<&str>, usize)> = seen[1..].iter().map(|(f, n)| (f.as_deref(), *n)).collect();
    let o = Some("json_object");
    assert_eq!(rest, [(o, 4), (o, 2), (o, 1), (o, 1), (o, 2), (o, 1), (o, 1)], "then a JSON object, in halves");
}

/// A server error and a reply that is not JSON: one line each naming the engine, and the file
/// exactly as it was.
#[test]
fn server_errors_and_broken_replies_leave_the_file_alone() {
    for (reply, says) in [
        (Reply::status(500), "HTTP 500"),
        (Reply::ok("application/json", "{\"translatedText\": [\"EN: La fe"), "not JSON"),
    ] {
        let server = Server::start(vec![("/translate", vec![reply])]);
        let lib = Lib::new();
        let cfg = lib.config(&format!("[engines.libre]\nkind = \"libretranslate\"\nurl = \"{}\"\n", server.origin()));
        let before = std::fs::read(lib.file()).unwrap();
        let o = lib.run(&["--config", cfg.to_str().unwrap(), "translate", "feria", "--engine", "libre"], &[]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(err.contains("libre") && err.contains(says) && err.lines().count() == 1, "{err}");
        assert_eq!(std::fs::read(lib.file()).unwrap(), before);
    }
}
