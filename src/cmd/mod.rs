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
use std::collections::VecDeque;
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
/// is the line the diagnostic names. Findings come sorted by file, so each file is read once.
fn source_line(settings: &Settings) -> impl Fn(&str, u32) -> Option<String> + '_ {
    let lines = SourceLines::new(&settings.content);
    move |file: &str, line: u32| lines.line(file, line)
}

/// Files whose text a report keeps at once for its excerpts: findings come sorted by file,
/// so a few suffice, and a report on a large site does not hold every file with a finding
/// (all of them, before: `check` took 455 MiB to report 150,000 broken anchors in 5,000
/// pages of 48 KB, and takes 235 MiB now; docs/benchmarks.md).
const SOURCE_FILES_KEPT: usize = 8;

/// The lines of content files, read as excerpts ask for them; see [`source_line`].
struct SourceLines<'a> {
    content: &'a Path,
    /// The files read last, newest first: each file's path and text (`None`: unreadable).
    kept: RefCell<VecDeque<(String, Option<SourceFile>)>>,
}

impl<'a> SourceLines<'a> {
    fn new(content: &'a Path) -> SourceLines<'a> {
        SourceLines {
            content,
            kept: RefCell::default(),
        }
    }

    /// Line `line` (1-based) of `file`, `None` when the file cannot be read or is shorter.
    fn line(&self, file: &str, line: u32) -> Option<String> {
        let mut kept = self.kept.borrow_mut();
        let at = match kept.iter().position(|(f, _)| f == file) {
            Some(at) => at,
            None => {
                if kept.len() == SOURCE_FILES_KEPT {
                    kept.pop_back();
                }
                let text = std::fs::read(self.content.join(file))
                    .ok()
                    .map(|bytes| SourceFile::from_text(file, &String::from_utf8_lossy(&bytes)));
                kept.push_front((file.to_string(), text));
                0
            }
        };
        let src = kept[at].1.as_ref()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_from_more_files_than_are_kept_read_each_line_right() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = SOURCE_FILES_KEPT * 2 + 1;
        for i in 0..files {
            let text = format!("\u{feff}# Page {i}\r\nsecond of {i}\rthird of {i}\n");
            std::fs::write(dir.path().join(format!("p{i}.md")), text).expect("write");
        }
        let lines = SourceLines::new(dir.path());
        // Sorted findings (each file once), then files asked for again in any order.
        let order = (0..files).chain([0, files - 1, 3, 0, 3]);
        for i in order {
            let file = format!("p{i}.md");
            assert_eq!(
                lines.line(&file, 1).as_deref(),
                Some(format!("# Page {i}").as_str())
            );
            assert_eq!(
                lines.line(&file, 3).as_deref(),
                Some(format!("third of {i}").as_str())
            );
            // The text ends in a break, so its last line is empty.
            assert_eq!(lines.line(&file, 4).as_deref(), Some(""));
            assert_eq!(lines.line(&file, 5), None);
            assert_eq!(lines.line(&file, 0), None);
            assert!(lines.kept.borrow().len() <= SOURCE_FILES_KEPT);
        }
        assert_eq!(lines.kept.borrow().len(), SOURCE_FILES_KEPT);
        assert_eq!(lines.line("missing.md", 1), None);
    }
}
