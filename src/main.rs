use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = bitext::cli::Cli::parse();
    match bitext::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bitext: {e}");
            ExitCode::from(2)
        }
    }
}
