//! Command implementations: each wires pipeline stages and prints; no stage logic here.

mod build;
mod check;
mod diff;
mod init;
mod progress;
mod resolve;
mod serve;

use crate::cli::{Command, SiteArgs};
use crate::error::Result;
use crate::settings::{Settings, SiteLocation};
use crate::source::SourceFile;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

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
        Command::Serve(args) => serve::run(&args, &mut out),
        Command::Init(args) => init::run(&args, &mut out),
        Command::Diff(args) => diff::run(&args, &mut out),
    };
    let _ = out.flush();
    outcome
}

/// [`settings_for`] with other docsets' manifests given on the command line.
fn settings_with_manifests(
    site: &SiteArgs,
    manifests: &[crate::settings::ManifestImport],
) -> Result<Settings> {
    Settings::load(&SiteLocation {
        root: Some(site.root.clone()),
        config: site.config.clone(),
        content: site.content.clone(),
        output: None,
        manifests: manifests.to_vec(),
        previous_manifest: None,
    })
}

fn settings_for(site: &SiteArgs, output: Option<PathBuf>) -> Result<Settings> {
    Settings::load(&location(site, output))
}

/// Where the command line says the site is.
fn location(site: &SiteArgs, output: Option<PathBuf>) -> SiteLocation {
    SiteLocation {
        root: Some(site.root.clone()),
        config: site.config.clone(),
        content: site.content.clone(),
        output,
        manifests: Vec::new(),
        previous_manifest: None,
    }
}

/// Reads one line of a content file for report excerpts. Lines are split exactly as the
/// loader splits them (BOM dropped; CRLF, LF and lone CR are each one break), so the excerpt
/// is the line the diagnostic names. Each file is read once.
fn source_line(settings: &Settings) -> impl Fn(&str, u32) -> Option<String> + '_ {
    let cache: RefCell<HashMap<String, Option<SourceFile>>> = RefCell::default();
    move |file: &str, line: u32| {
        let mut cache = cache.borrow_mut();
        let src = cache.entry(file.to_string()).or_insert_with(|| {
            let bytes = std::fs::read(settings.content.join(file)).ok()?;
            Some(SourceFile::from_text(
                file,
                &String::from_utf8_lossy(&bytes),
            ))
        });
        let src = src.as_ref()?;
        (line >= 1 && line as usize <= src.lines.line_count())
            .then(|| src.line_text(line).to_string())
    }
}

/// The content folder as a path prefix for GitHub and SARIF locations (`content/`): relative
/// to the working directory when it lies under it, so annotations name repository paths.
fn content_prefix(settings: &Settings) -> String {
    let content = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            settings
                .content
                .strip_prefix(cwd)
                .ok()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| settings.content.clone());
    let p = content.to_string_lossy().replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p).to_string();
    if p.is_empty() || p == "." {
        String::new()
    } else {
        format!("{}/", p.trim_end_matches('/'))
    }
}

/// How to draw the human report on `stream`: in colour on a colour terminal, unless
/// `NO_COLOR` is set; in colour anywhere with `CLICOLOR_FORCE` (anstream's reading of the
/// conventions at <https://bixense.com/clicolors/> and <https://no-color.org/>).
fn human_options(stream: &impl anstream::stream::RawStream) -> crate::report::HumanOptions {
    crate::report::HumanOptions {
        color: anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
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

/// Says on stderr which settings came from the docset's `docfx.json`, if it has one.
fn say_docfx(settings: &crate::Settings) {
    if let Some(docfx) = &settings.config.docfx {
        eprintln!("{}", docfx.summary());
    }
}
