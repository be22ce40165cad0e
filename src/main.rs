use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // glibc raises its threshold for serving a large block from its own map each time such a
    // block is freed, and then serves large blocks (a batch of the index cache, a list growing)
    // from the heap, where what they leave when freed stays in the process: fixed at its
    // starting value, a 100,000-article library holds 13 MB less once loaded and peaks 17 MB
    // lower on a first start (BENCHMARKS.md).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a number of the allocator; nothing has run on other threads yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
    bitext::tui::terminal::install_panic_hook();
    // A shell asking for completions (`COMPLETE=bash bitext -- …`) is answered before anything
    // else runs or writes.
    bitext::completion::answer_and_exit_if_asked();
    let cli = bitext::cli::Cli::parse();
    bitext::logging::init(cli.log_level);
    match bitext::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A usage error is the user's to fix and is said on stderr; only a failure of the
            // machine is logged.
            if !e.is_usage() {
                tracing::error!("{e}");
            }
            bitext::logging::say(&format!("bitext: {e}"));
            ExitCode::from(2)
        }
    }
}
