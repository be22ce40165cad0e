//! Writes a synthetic Korean→English library for trying search and scrolling at scale.
//!
//! ```text
//! cargo run --release --example gen_library -- OUT_DIR N [--seed S]
//! ```
//!
//! Article `i` goes to `OUT_DIR/<yyyy>/<mm>/a<i:07>.toml` in the `[[paragraphs]]` form; about
//! 5% of the articles are about a typhoon (`태풍`/`typhoon`). The same seed always gives the same
//! files. Not part of the `bitext` command line.

#[path = "../tests/common/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen_library OUT_DIR N [--seed S]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_library: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut positional = Vec::new();
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                let s = args.next().ok_or(USAGE)?;
                seed = s.parse().map_err(|_| format!("--seed: not a number: {s}"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}\n{USAGE}")),
            _ => positional.push(arg),
        }
    }
    let [out, n] = positional.as_slice() else {
        return Err(USAGE.into());
    };
    let out = PathBuf::from(out);
    let n: usize = n.parse().map_err(|_| format!("N: not a number: {n}"))?;

    let started = Instant::now();
    let mut bytes = 0u64;
    let mut rare = 0usize;
    for i in 0..n {
        let doc = synth::doc(seed, i);
        rare += usize::from(doc.is_rare());
        let text = doc.to_toml();
        bytes += text.len() as u64;
        write(&out.join(doc.rel_path()), &text)?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "wrote {n} files, {bytes} bytes ({:.1} MB, {:.1} KB per file) to {} in {secs:.2} s; {rare} are about a typhoon ({})",
        bytes as f64 / 1e6,
        if n == 0 { 0.0 } else { bytes as f64 / n as f64 / 1e3 },
        out.display(),
        synth::RARE_KO,
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
