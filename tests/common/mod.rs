#![allow(dead_code)]
pub mod align_cases;
pub mod app_screen;
pub mod http;
pub mod pty;

/// Copies a folder and everything under it.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// An alignment bomb as the reliability probe made it: a `[body]` of `n` tiny source paragraphs
/// against `m` translation ones (about 160 KB for 20,000 against 10,000).
pub fn bomb(n: usize, m: usize) -> String {
    let mut s = String::from("title = \"Bomb\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[body]\nsource = \"\"\"\n");
    for i in 0..n {
        s.push_str(&format!("가{}\n\n", i % 10));
    }
    s.push_str("\"\"\"\ntranslation = \"\"\"\n");
    for i in 0..m {
        s.push_str(&format!("a{}\n\n", i % 10));
    }
    s.push_str("\"\"\"\n");
    s
}

/// Sets `cmd` (which runs the bitext binary) apart from the machine it runs on: its config,
/// state and cache folders under `home`, no `$BITEXT_CONFIG`, and no proxy from the
/// environment, so every request a test makes goes to the server it started on 127.0.0.1.
pub fn isolate<'a>(cmd: &'a mut std::process::Command, home: &std::path::Path) -> &'a mut std::process::Command {
    cmd.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("BITEXT_CONFIG");
    for proxy in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
        cmd.env_remove(proxy);
    }
    cmd
}

/// The bitext binary with `args`, set apart under `home` ([`isolate`]); its output.
pub fn bitext_in(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bitext"));
    isolate(cmd.args(args), home).output().unwrap()
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether apertium and its Spanish–English pair are here. CI installs them (`.ci/run`), and
/// there a missing apertium is a failure; elsewhere the apertium tests say so and stop.
#[allow(dead_code)]
pub fn apertium_spa_eng() -> bool {
    let ok = std::process::Command::new("apertium")
        .args(["-u", "spa-eng"])
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "apertium with spa-eng must be installed in CI (.ci/run)");
        eprintln!("apertium (spa-eng) is not installed: apt-get install apertium apertium-eng-spa");
    }
    ok
}
