//! Command implementations: each wires pipeline stages and prints; no stage logic here.

mod build;
mod check;
mod resolve;

use crate::cli::{Command, SiteArgs};
use crate::error::Result;
use crate::settings::{Settings, SiteLocation};
use std::io::Write;
use std::path::PathBuf;

/// How a command ended; `main` turns it into the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: findings or a failed build.
    Failure,
}

/// Runs a parsed command, printing to stdout/stderr.
pub fn run(command: Command) -> Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let outcome = match command {
        Command::Build(args) => build::run(&args, &mut out),
        Command::Check(args) => check::run(&args, &mut out),
        Command::Resolve(args) => resolve::run(&args, &mut out),
    };
    let _ = out.flush();
    outcome
}

fn settings_for(site: &SiteArgs, output: Option<PathBuf>) -> Result<Settings> {
    Settings::load(&SiteLocation {
        root: Some(site.root.clone()),
        config: site.config.clone(),
        content: site.content.clone(),
        output,
    })
}

/// Reads one line of a content file for report excerpts.
fn source_line(settings: &Settings) -> impl Fn(&str, u32) -> Option<String> + '_ {
    move |file: &str, line: u32| {
        let bytes = std::fs::read(settings.content.join(file)).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        text.split('\n')
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.trim_end_matches('\r').to_string())
    }
}

/// The content folder as a path prefix for GitHub and SARIF locations (`content/`).
fn content_prefix(settings: &Settings) -> String {
    let p = settings.content.to_string_lossy().replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p).to_string();
    if p.is_empty() || p == "." {
        String::new()
    } else {
        format!("{}/", p.trim_end_matches('/'))
    }
}

fn ignore_broken_pipe(r: std::io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::error::Error::Write {
            path: PathBuf::from("<stdout>"),
            source: e,
        }),
        _ => Ok(()),
    }
}
