//! The `docshift` binary: parse arguments, run the command, map the outcome to an exit code
//! (0 success, 1 findings or failed build, 2 usage or configuration error).

use clap::Parser;
use docshift::cli::Cli;
use docshift::cmd::{run, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Failure) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            if let Some(help) = err.help() {
                eprintln!("  help: {help}");
            }
            ExitCode::from(if err.is_usage() { 2 } else { 1 })
        }
    }
}
