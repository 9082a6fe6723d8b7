//! The `docshift` binary: parse arguments, run the command, map the outcome to an exit code
//! (0 success, 1 findings or failed build, 2 usage or configuration error).

use clap::Parser;
use docshift::cli::Cli;
use docshift::cmd::{run, Outcome};
use std::process::ExitCode;

/// Loading a large docset allocates strings and events per page on every core; glibc's malloc
/// was a fifth of a 10,000-page `diff`'s CPU time, and jemalloc cuts that `diff` from 2.5 s to
/// 2.0 s (docs/benchmarks.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options (its `malloc_conf`, read at start-up; the `_RJEM_MALLOC_CONF`
/// environment variable still overrides them). Freed pages go back to the system after
/// 0.5 s instead of 10 s: a build frees each page's document as it renders it while the
/// search index grows on other threads' arenas, and with the default the freed pages stayed
/// resident until the build was over (10,000 pages: peak RSS about 650 → 570 MiB, same CPU
/// time; docs/benchmarks.md).
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &[u8; 19] = b"dirty_decay_ms:500\0";

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
