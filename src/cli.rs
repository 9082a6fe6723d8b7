//! Command-line arguments (clap derive). Parsing only; `cmd` runs the commands.

use crate::report::Format;
use crate::serve::watch::WatcherKind;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::IpAddr;
use std::path::PathBuf;

/// docshift: build, check and publish portal-migration documentation.
#[derive(Debug, Parser)]
#[command(name = "docshift", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (reports findings; --strict fails on any).
    Build(BuildArgs),
    /// Validate links, anchors and assets and report every finding.
    Check(CheckArgs),
    /// Print the new URL of each old URL, from the site's mapping tables (no build needed).
    Resolve(ResolveArgs),
    /// Build, serve the site over HTTP and rebuild on every change, with live reload.
    Serve(ServeArgs),
    /// Create a new site (site.yaml, content/ with sample pages) in DIR.
    Init(InitArgs),
    /// Compare two versions of a docset: what changed for integrators, and which links the
    /// change breaks.
    Diff(DiffArgs),
}

/// Where the site lives (shared by every command).
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// Site root folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Configuration file (default: site.yaml in the root, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Content folder (default: content/ in the root).
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
}

/// `docshift build`.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// Site location.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder (default: public/ in the root).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Fail the build on any finding, warnings included.
    #[arg(long)]
    pub strict: bool,
    /// The `manifest.json` of the previous published build: the mapping changes since then
    /// are written as `mappings/<set>.changes.json`.
    #[arg(long, value_name = "FILE")]
    pub previous_manifest: Option<PathBuf>,
}

/// `docshift check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Site location.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also list, on stderr, every link into another docset and the pages that no table of
    /// contents lists.
    #[arg(long, short)]
    pub verbose: bool,
    /// Check links into another docset against its manifest: `/azure/=azure/manifest.json`
    /// (repeatable; adds to `links.manifests` in site.yaml).
    #[arg(long = "manifest", value_name = "BASE=FILE", value_parser = parse_manifest_import)]
    pub manifests: Vec<crate::settings::ManifestImport>,
}

/// Parses `BASE=FILE` for `--manifest`.
fn parse_manifest_import(text: &str) -> Result<crate::settings::ManifestImport, String> {
    let (base, file) = text
        .split_once('=')
        .filter(|(base, file)| base.starts_with('/') && !file.is_empty())
        .ok_or_else(|| {
            format!("expected BASE=FILE, with BASE a path such as /azure/, found `{text}`")
        })?;
    Ok(crate::settings::ManifestImport {
        base: base.to_string(),
        file: PathBuf::from(file),
    })
}

/// Output format of `check` (the command line's names for [`Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// rustc-style text with source excerpts.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Sarif => Format::Sarif,
        }
    }
}

/// How `serve` notices changes (the command line's names for [`WatcherKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatcherArg {
    /// The operating system's notifications (inotify, FSEvents, ReadDirectoryChangesW).
    Native,
    /// Scan the folders a few times a second and compare sizes and modification times.
    Poll,
}

impl From<WatcherArg> for WatcherKind {
    fn from(arg: WatcherArg) -> WatcherKind {
        match arg {
            WatcherArg::Native => WatcherKind::Native,
            WatcherArg::Poll => WatcherKind::Poll,
        }
    }
}

/// `docshift diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The old version: a site or docset folder, a built site folder, a `manifest.json` or
    /// a git revision.
    #[arg(value_name = "OLD", required_unless_present = "base")]
    pub old: Option<String>,
    /// The new version, in the same forms (default: the site in the current folder).
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    /// Compare the site in the current folder (or NEW) with this git revision of it
    /// (`--base origin/main`).
    #[arg(long, value_name = "REV", conflicts_with = "old")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Exit with 1 on warnings (`missing-redirect`) too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Output format of `resolve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolveFormat {
    /// The new URL on the first line of each result, then how it matched.
    Human,
    /// One JSON document.
    Json,
}

/// `docshift resolve`.
#[derive(Debug, Clone, Args)]
pub struct ResolveArgs {
    /// Site location.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ResolveFormat::Human)]
    pub format: ResolveFormat,
    /// Old URLs to look up.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,
}

/// `docshift serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Site location.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on (0: any free port; the URL is the first line printed).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but a loopback address exposes the site to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Also answer requests that name this host (repeatable; `.example.test` allows its
    /// subdomains too). The bound address, loopback addresses and `localhost` are always
    /// allowed; requests for any other name get 403, so other sites cannot read the preview.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// How to notice changes: the OS's notifications, or polling (network drives, containers).
    #[arg(long, value_enum, default_value_t = WatcherArg::Native)]
    pub watcher: WatcherArg,
}

/// `docshift init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Folder to create the site in (created when missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
        let cli = Cli::parse_from(["docshift", "serve", "--port", "0", "--watcher", "poll"]);
        let Command::Serve(args) = cli.command else {
            panic!("serve expected")
        };
        assert_eq!(args.port, 0);
        assert!(args.bind.is_loopback(), "binds to loopback by default");
        let cli = Cli::parse_from(["docshift", "init"]);
        assert!(
            matches!(cli.command, Command::Init(InitArgs { dir }) if dir == std::path::Path::new("."))
        );
    }
}
