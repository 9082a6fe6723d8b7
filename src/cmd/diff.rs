//! `docshift diff OLD NEW` / `docshift diff --base REV`: load each version (a site folder,
//! a built site, a `manifest.json` or a git revision), compare them and print what changed
//! and what it breaks.

use super::{content_prefix, ignore_broken_pipe, source_line, Outcome};
use crate::cli::DiffArgs;
use crate::diff::Changes;
use crate::error::{Error, Result};
use crate::model::manifest::Manifest;
use crate::pipeline::Checked;
use crate::report::{github, human_diagnostics, sarif, Format};
use crate::settings::{Settings, SiteLocation};
use crate::Severity;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One side of the comparison.
struct Version {
    manifest: Manifest,
    /// The model and settings, when the version was loaded from its sources.
    sources: Option<(Checked, Settings)>,
    /// The checkout of a git revision, deleted when the version is dropped.
    _checkout: Option<tempfile::TempDir>,
}

pub(super) fn run(args: &DiffArgs, out: &mut dyn Write) -> Result<Outcome> {
    let new_input = args.new.clone().unwrap_or_else(|| ".".to_string());
    let site_root = site_root_of(&new_input);
    let load_old = || match (&args.base, &args.old) {
        (Some(rev), _) => load_revision(rev, &site_root),
        (None, Some(old)) => load(old, Some(&site_root)),
        (None, None) => unreachable!("clap requires OLD or --base"),
    };
    // The two versions are loaded side by side: on a large docset loading is the whole cost.
    let (new, old) = std::thread::scope(|scope| {
        let old = scope.spawn(load_old);
        let new = load(&new_input, None);
        let old = old
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (new, old)
    });
    let (new, old) = (new?, old?);
    let new_site = new.sources.as_ref().map(|(checked, _)| &checked.site);
    let changes = crate::diff::diff(&old.manifest, &new.manifest, new_site);
    let diags = &changes.diagnostics;
    let text = match Format::from(args.format) {
        Format::Json => crate::export::to_json_text(&changes),
        Format::Human => {
            let options = super::human_options(&std::io::stdout());
            let findings = match &new.sources {
                Some((_, settings)) => human_diagnostics(diags, &source_line(settings), options),
                None => human_diagnostics(diags, &|_: &str, _: u32| None, options),
            };
            findings + &summary(&changes)
        }
        Format::Github | Format::Sarif => {
            let prefix = (new.sources.as_ref())
                .map(|(_, settings)| content_prefix(settings))
                .unwrap_or_default();
            if Format::from(args.format) == Format::Sarif {
                sarif(diags, &prefix)
            } else {
                let counts = crate::report::Summary::new(
                    diags,
                    new.manifest.pages.len(),
                    Default::default(),
                );
                github(diags, &counts, &prefix)
            }
        }
    };
    ignore_broken_pipe(out.write_all(text.as_bytes()))?;
    let errors = diags.iter().any(|d| d.severity == Severity::Error);
    let warnings = diags.iter().any(|d| d.severity == Severity::Warning);
    Ok(if errors || (args.deny_warnings && warnings) {
        Outcome::Failure
    } else {
        Outcome::Success
    })
}

/// The human summary: counts of each kind of change, then mapping changes per set.
fn summary(changes: &Changes) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let errors = (changes.diagnostics.iter())
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = changes.diagnostics.len() - errors;
    let mut text = format!(
        "{}, {}; pages: {} added, {} removed; {} removed\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        changes.pages.added.len(),
        changes.pages.removed.len(),
        plural(changes.anchors.removed.len(), "anchor"),
    );
    for set in &changes.mappings {
        text.push_str(&format!(
            "mapping set {}: {} added, {} removed, {} changed\n",
            set.set,
            set.added.len(),
            set.removed.len(),
            set.changed.len()
        ));
    }
    text
}

/// The folder a NEW argument names as a site (the current folder by default), for finding
/// the same site inside a git revision.
fn site_root_of(input: &str) -> PathBuf {
    let path = PathBuf::from(input);
    if path.is_dir() {
        path
    } else {
        PathBuf::from(".")
    }
}

fn input_error(input: &str, message: impl Into<String>) -> Error {
    Error::DiffInput {
        input: input.to_string(),
        message: message.into(),
    }
}

/// Loads one version given on the command line. `site_root` is where the site lives in the
/// working tree, for an OLD that is a git revision.
fn load(input: &str, site_root: Option<&Path>) -> Result<Version> {
    let path = Path::new(input);
    if path.is_file() {
        return Ok(Version {
            manifest: read_manifest(path, input)?,
            sources: None,
            _checkout: None,
        });
    }
    if path.is_dir() {
        let built = path.join("manifest.json");
        if path.join(crate::output::MARKER).is_file() && built.is_file() {
            return Ok(Version {
                manifest: read_manifest(&built, input)?,
                sources: None,
                _checkout: None,
            });
        }
        return load_sources(path, input, None);
    }
    match site_root {
        Some(root) if is_revision(input) => load_revision(input, root),
        _ => Err(input_error(
            input,
            "not a site folder, a built site, a manifest.json or a git revision",
        )),
    }
}

/// Loads and checks the site at `root` (a site or docset folder).
fn load_sources(root: &Path, input: &str, checkout: Option<tempfile::TempDir>) -> Result<Version> {
    let settings = Settings::load(&SiteLocation {
        root: Some(root.to_path_buf()),
        ..Default::default()
    })?;
    let checked = crate::pipeline::check_only(&settings)
        .map_err(|e| input_error(input, format!("it does not build: {e}")))?;
    Ok(Version {
        manifest: crate::export::manifest(&checked.site),
        sources: Some((checked, settings)),
        _checkout: checkout,
    })
}

/// Reads a `manifest.json`; another tool's file or another version is an error naming it.
fn read_manifest(path: &Path, input: &str) -> Result<Manifest> {
    let text = std::fs::read_to_string(path).map_err(|e| input_error(input, e.to_string()))?;
    Manifest::from_json(&text)
        .map_err(|why| input_error(input, format!("{} is {why}", path.display())))
}

fn git(args: &[&str], dir: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn is_revision(input: &str) -> bool {
    git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{input}^{{commit}}"),
        ],
        Path::new("."),
    )
    .is_some()
}

/// Loads the site at `site_root` (a folder of the working tree) as it was at git revision
/// `rev`: the revision's files are exported into a temporary folder (`git archive`), so
/// nothing is written into the repository or its working tree.
fn load_revision(rev: &str, site_root: &Path) -> Result<Version> {
    let dir = if site_root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        site_root
    };
    let commit = git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        dir,
    )
    .ok_or_else(|| input_error(rev, "not a git revision of this repository"))?;
    let top = git(&["rev-parse", "--show-toplevel"], dir)
        .ok_or_else(|| input_error(rev, "the site folder is not inside a git repository"))?;
    let prefix = git(&["rev-parse", "--show-prefix"], dir).unwrap_or_default();
    let checkout = tempfile::tempdir().map_err(|e| input_error(rev, e.to_string()))?;
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", &commit])
        .current_dir(&top)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| input_error(rev, format!("cannot run git archive: {e}")))?;
    let tar_status = Command::new("tar")
        .args(["-x", "-f", "-", "-C"])
        .arg(checkout.path())
        .stdin(archive.stdout.take().map_or(Stdio::null(), Stdio::from))
        .stderr(Stdio::null())
        .status();
    let archive_ok = archive.wait().is_ok_and(|s| s.success());
    if !archive_ok || !tar_status.is_ok_and(|s| s.success()) {
        return Err(input_error(rev, "cannot export the revision's files"));
    }
    let root = checkout.path().join(prefix.trim_end_matches('/'));
    if !root.is_dir() {
        return Err(input_error(
            rev,
            format!("the revision has no folder {prefix}"),
        ));
    }
    load_sources(&root, rev, Some(checkout))
}
