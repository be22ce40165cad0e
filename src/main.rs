use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    bitext::tui::terminal::install_panic_hook();
    let cli = bitext::cli::Cli::parse();
    match bitext::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bitext: {e}");
            ExitCode::from(2)
        }
    }
}
