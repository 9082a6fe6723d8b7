//! `docshift serve`: build once, serve the files from memory, watch the sources and rebuild
//! incrementally through the same [`Session`] as `build`. Three parts joined by an
//! `Arc<Hub>`: the watch loop here, [`http`] (requests and live-reload streams, on a small
//! async runtime of its own) and
//! [`watch`] (events → batches → [`watch::classify`], pure).
//!
//! A round that fails (a page that cannot be built, a template or configuration error)
//! changes nothing that is served: the last good build stays, and the errors go to every
//! open page's overlay and to the terminal.

pub mod http;
pub mod hub;
pub mod watch;

use crate::diag::{Diagnostic, Severity};
use crate::error::Result;
use crate::pipeline::{BuildOptions, Change, Round, Session};
use crate::settings::Settings;
use hub::{Hub, OverlayError};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};
use watch::{Layout, Message, WatcherKind};

/// A batch ends when no event came for this long: long enough for an editor's save
/// (temporary file, rename, backup) to arrive whole, short enough to feel instant.
const QUIET: Duration = Duration::from_millis(30);
/// A batch never waits longer than this after its first event (a stream of saves).
const MAX_BATCH: Duration = Duration::from_millis(150);

/// Options of `serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub bind: IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Host names answered besides the bound address, loopback and `localhost`.
    pub allowed_hosts: Vec<String>,
    /// Open the site in a browser.
    pub open: bool,
    /// How to watch for changes.
    pub watcher: WatcherKind,
}

/// Runs the server until a [`Message::Shutdown`] arrives on `rx`. `tx` feeds the same
/// channel (the watcher gets a clone). The first line written to `out` is the site's URL.
pub fn run(
    settings: Settings,
    options: &ServeOptions,
    channel: (Sender<Message>, Receiver<Message>),
    out: &mut dyn Write,
) -> Result<()> {
    let (tx, rx) = channel;
    let layout = Layout::new(&settings);
    let hub = Arc::new(Hub::new());
    let hosts = http::AllowedHosts::new(options.bind, &options.allowed_hosts);
    let server = http::start(
        SocketAddr::new(options.bind, options.port),
        hub.clone(),
        hosts,
    )?;
    // Watch before the first build reads anything, so no save is ever missed.
    let mut watcher = watch::start(options.watcher, &layout, tx)?;
    let mut session = Session::new(
        settings,
        BuildOptions {
            live: true,
            ..BuildOptions::default()
        },
    );
    let mut terminal = Terminal::default();
    let (first, _) = rebuild(&mut session, &hub, &Change::Everything, &mut terminal);
    let base = session.settings().config.base_path.clone();
    let url = format!("http://{}{base}", server.addr);
    let _ = writeln!(out, "{url}");
    if !options.bind.is_loopback() {
        eprintln!("warning: serving on {} — anyone who can reach this machine can read the site; use --bind 127.0.0.1 to keep it local", server.addr);
    }
    let _ = writeln!(out, "{first}");
    let _ = out.flush();
    if options.open {
        open_browser(&url);
    }
    // After a failed full round (bad configuration, template error, missing content folder)
    // every round is full until one succeeds, so the error is never forgotten.
    let mut retry_full = session.files().is_none();
    while let Some(batch) = watch::next_batch(&rx, QUIET, MAX_BATCH) {
        let mut wanted = watch::classify(&batch.paths, &layout);
        wanted.full |= batch.rescan;
        if wanted.is_empty() {
            continue;
        }
        wanted.full |= retry_full;
        let change = if wanted.full {
            Change::Everything
        } else {
            Change::Files(wanted.files)
        };
        // Watch re-created folders before reading them, so no later save is missed.
        if let Err(e) = watcher.rewatch(&batch.paths, wanted.full) {
            eprintln!("warning: {e}");
        }
        let (line, fatal) = rebuild(&mut session, &hub, &change, &mut terminal);
        retry_full = fatal && wanted.full;
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    hub.shutdown();
    server.stop();
    let _ = writeln!(out, "stopped");
    Ok(())
}

/// Remembers what the terminal was last told, to print diagnostics only when they change.
#[derive(Default)]
struct Terminal {
    shown: Vec<Diagnostic>,
}

/// One round: rebuild, publish to the hub, return the terminal line and whether the round
/// failed with a fatal error.
fn rebuild(
    session: &mut Session,
    hub: &Hub,
    change: &Change,
    terminal: &mut Terminal,
) -> (String, bool) {
    let started = Instant::now();
    let result = session.rebuild(change);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let time = clock();
    match result {
        Ok(round) => {
            if let (Some(delta), Some(files)) = (&round.delta, session.files()) {
                if !delta.is_empty() {
                    let css = delta
                        .is_css_only()
                        .then(|| delta.changed.iter().cloned().collect());
                    hub.publish_files(files.clone(), &session.settings().config.base_path, css);
                }
            }
            // After the files, so a client that sees the errors also gets the new pages.
            hub.publish_errors(overlay_errors(&round.diagnostics, session.settings()));
            if round.diagnostics != terminal.shown {
                for d in &round.diagnostics {
                    eprintln!(
                        "{}:{}:{}: {}[{}]: {}",
                        d.file, d.line, d.column, d.severity, d.code, d.message
                    );
                }
                terminal.shown = round.diagnostics.clone();
            }
            (summary(&time, ms, &round, serving(session)), false)
        }
        Err(e) => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            hub.publish_errors(vec![OverlayError {
                file: String::new(),
                line: None,
                column: None,
                code: "build".to_string(),
                message: message.clone(),
                editor_url: None,
            }]);
            terminal.shown.clear();
            let line = format!(
                "[{time}] build failed in {ms:.0} ms: {message}; {}",
                serving(session)
            );
            (line, true)
        }
    }
}

/// What the browser gets after a failed round.
fn serving(session: &Session) -> &'static str {
    if session.files().is_some() {
        "serving the last good build"
    } else {
        "nothing to serve until it builds"
    }
}

fn summary(time: &str, ms: f64, round: &Round, serving: &str) -> String {
    let counts = crate::diag::count(&round.diagnostics);
    let findings = format!(
        "{} error{}, {} warning{}",
        counts.errors,
        if counts.errors == 1 { "" } else { "s" },
        counts.warnings,
        if counts.warnings == 1 { "" } else { "s" }
    );
    match &round.delta {
        Some(delta) => format!(
            "[{time}] rebuilt in {ms:.0} ms: {} of {} pages rendered, {} re-indexed, {} files changed; {findings}",
            delta.pages_rendered,
            round.pages,
            delta.pages_indexed,
            delta.changed.len() + delta.removed.len(),
        ),
        None => format!(
            "[{time}] build failed in {ms:.0} ms: {} page{} cannot be built; {findings}; {serving}",
            round.failed_pages,
            if round.failed_pages == 1 { "" } else { "s" }
        ),
    }
}

/// Error-severity findings, as the overlay shows them, each with a link to its place in
/// the writer's editor when `site.yaml` sets `editor` (finding files are content-relative).
pub fn overlay_errors(diagnostics: &[Diagnostic], settings: &Settings) -> Vec<OverlayError> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| OverlayError {
            file: d.file.clone(),
            line: Some(d.line),
            column: Some(d.column),
            code: d.code.to_string(),
            message: d.message.clone(),
            editor_url: (!d.file.is_empty())
                .then(|| settings.content.join(&d.file))
                .and_then(|path| {
                    let path = path.to_string_lossy().replace('\\', "/");
                    settings.config.editor_link(&path, d.line, d.column)
                }),
        })
        .collect()
}

/// `HH:MM:SS` (UTC) for terminal lines.
fn clock() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

/// Asks the desktop to open `url`; failures are reported, never fatal.
fn open_browser(url: &str) {
    let result = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = result {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}
