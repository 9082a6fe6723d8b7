//! Watching the site: file-system events (notify, or the polling fallback in [`poll`]) are
//! batched ([`next_batch`]: block on the first event, then drain until things are quiet) and
//! classified ([`classify`], pure) into what to rebuild. Editors' save patterns (temporary
//! file + rename, backup files, several events per save) collapse into one rebuild here and
//! in the session, which ignores files that are neither known nor present.

pub mod poll;

use crate::error::{Error, Result};
use crate::pipeline::ChangedFiles;
use crate::settings::Settings;
use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// The folders and files of a site that `serve` watches, as absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Site root.
    pub root: PathBuf,
    /// Content folder.
    pub content: PathBuf,
    /// `templates/` in the root.
    pub templates: PathBuf,
    /// `static/` in the root.
    pub statics: PathBuf,
    /// The configuration file (watched even before it exists).
    pub config: PathBuf,
    /// The output folder of `build` (never a source).
    pub output: PathBuf,
}

/// The real path when it exists (notify reports resolved paths on some systems, macOS's
/// `/tmp` → `/private/tmp` for one), else the absolute path.
fn absolute(p: &Path) -> PathBuf {
    p.canonicalize()
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

impl Layout {
    /// The layout of a site.
    pub fn new(settings: &Settings) -> Layout {
        let root = absolute(&settings.root);
        let config = settings.config_path();
        let config = match (config.parent(), config.file_name()) {
            (Some(dir), Some(name)) => absolute(dir).join(name),
            _ => absolute(&config),
        };
        Layout {
            content: absolute(&settings.content),
            templates: root.join("templates"),
            statics: root.join("static"),
            config,
            output: absolute(&settings.output),
            root,
        }
    }
}

/// What a batch of changed paths asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuild {
    /// Configuration, templates or the content folder itself changed: start over.
    pub full: bool,
    /// Changed files and folders.
    pub files: ChangedFiles,
}

impl Rebuild {
    /// True when nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        !self.full && self.files.content.is_empty() && self.files.statics.is_empty()
    }
}

/// Sorts changed paths into a [`Rebuild`]. Pure: it looks only at the paths.
pub fn classify(paths: &[PathBuf], layout: &Layout) -> Rebuild {
    let mut out = Rebuild::default();
    for path in paths {
        if *path == layout.config {
            out.full = true;
        } else if path.starts_with(&layout.output) {
            continue;
        } else if let Some(rel) = relative(path, &layout.templates) {
            out.full |= rel.is_empty() || !is_ignored(&rel);
        } else if let Some(rel) = relative(path, &layout.statics) {
            if rel.is_empty() || !is_ignored(&rel) {
                out.files.statics.insert(rel);
            }
        } else if let Some(rel) = relative(path, &layout.content) {
            // A docset's `docfx.json` is configuration: its settings are read again.
            if rel.is_empty() || rel == crate::settings::docfx::DOCFX_JSON {
                out.full = true;
            } else if !is_ignored(&rel) {
                out.files.content.insert(rel);
            }
        }
    }
    out
}

/// `path` relative to `base`, `/`-separated ("" for `base` itself).
fn relative(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    Some(parts?.join("/"))
}

/// True for paths that are never sources: hidden files and folders (skipped by discovery
/// too; a redirection file is the one dot-file that is a source) and the temporary, swap and backup files editors write around a save.
pub fn is_ignored(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let folders = rel.strip_suffix(name).unwrap_or_default();
    folders.split('/').any(|s| s.starts_with('.'))
        || (name.starts_with('.') && !crate::urls::is_redirection_path(name))
        || is_editor_temp(rel.rsplit('/').next().unwrap_or(rel))
}

/// Editors' temporary and backup file names: `name~` (Emacs, Vim, Kate backups), `#name#`
/// (Emacs auto-save), `*.swp`/`*.swo`/`*.swx` (Vim swap), `4913` and other all-digit names
/// (Vim's write test), `*.tmp`, `*___jb_tmp___`/`*___jb_old___` (JetBrains safe write),
/// `*.crswap` (Chromium file system access), `*.kate-swp`, `~$name` (Office locks).
pub fn is_editor_temp(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || matches!(
            ext.as_deref(),
            Some("swp" | "swo" | "swx" | "swpx" | "tmp" | "crswap" | "kate-swp")
        )
}

/// A message for the serve loop.
#[derive(Debug)]
pub enum Message {
    /// Paths that changed.
    Paths(Vec<PathBuf>),
    /// Events were lost: rebuild everything.
    Rescan,
    /// Ctrl+C: stop.
    Shutdown,
}

/// One debounced batch of changes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Every path reported, deduplicated.
    pub paths: Vec<PathBuf>,
    /// Events were lost.
    pub rescan: bool,
}

/// Blocks until the first message, then collects more until none arrived for `quiet` (or
/// `max` passed since the first). `None`: shut down (Ctrl+C or every sender gone).
pub fn next_batch(rx: &Receiver<Message>, quiet: Duration, max: Duration) -> Option<Batch> {
    let mut batch = Batch::default();
    let mut seen = BTreeSet::new();
    let mut add = |batch: &mut Batch, msg: Message| -> bool {
        match msg {
            Message::Paths(paths) => {
                for p in paths {
                    if seen.insert(p.clone()) {
                        batch.paths.push(p);
                    }
                }
            }
            Message::Rescan => batch.rescan = true,
            Message::Shutdown => return false,
        }
        true
    };
    let first = rx.recv().ok()?;
    if !add(&mut batch, first) {
        return None;
    }
    let started = Instant::now();
    loop {
        let left = max.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Some(batch);
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(msg) => {
                if !add(&mut batch, msg) {
                    return None;
                }
            }
            Err(RecvTimeoutError::Timeout) => return Some(batch),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// How to learn about changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WatcherKind {
    /// The operating system's notifications (inotify, FSEvents, ReadDirectoryChangesW).
    #[default]
    Native,
    /// Scan the folders a few times a second and compare sizes and modification times.
    Poll,
}

/// A running watcher; dropping it stops it.
pub enum Watcher {
    /// Native notifications.
    Native {
        /// The notify watcher.
        inner: notify::RecommendedWatcher,
        /// What is watched.
        layout: Layout,
    },
    /// The polling fallback.
    Poll(poll::Poller),
}

/// Starts watching `layout`, sending [`Message`]s to `tx`.
pub fn start(kind: WatcherKind, layout: &Layout, tx: Sender<Message>) -> Result<Watcher> {
    match kind {
        WatcherKind::Poll => Ok(Watcher::Poll(poll::Poller::start(layout.clone(), tx))),
        WatcherKind::Native => {
            let inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let msg = match event {
                    // Reads (the rebuild's own) are not changes.
                    Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => return,
                    Ok(e) if e.need_rescan() => Message::Rescan,
                    Ok(e) => Message::Paths(e.paths),
                    Err(_) => Message::Rescan,
                };
                let _ = tx.send(msg);
            })
            .map_err(|e| watch_error(&layout.root, e))?;
            let mut watcher = Watcher::Native {
                inner,
                layout: layout.clone(),
            };
            watcher.rewatch(&[], true)?;
            Ok(watcher)
        }
    }
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::Watch {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

impl Watcher {
    /// Watches folders again after they were created, deleted or replaced (`all`: every
    /// folder). The polling fallback needs nothing: it scans by path.
    pub fn rewatch(&mut self, changed: &[PathBuf], all: bool) -> Result<()> {
        let Watcher::Native { inner, layout } = self else {
            return Ok(());
        };
        let recursive = [&layout.content, &layout.templates, &layout.statics];
        for dir in recursive {
            if (all || changed.contains(dir)) && dir.is_dir() {
                inner
                    .watch(dir, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(dir, e))?;
            }
        }
        if all {
            // Parents, to see the configuration file and the folders above appear.
            let mut parents: Vec<&Path> = [&layout.config, &layout.content]
                .into_iter()
                .filter_map(|p| p.parent())
                .chain([layout.root.as_path()])
                .collect();
            parents.sort();
            parents.dedup();
            for dir in parents.into_iter().filter(|d| d.is_dir()) {
                inner
                    .watch(dir, RecursiveMode::NonRecursive)
                    .map_err(|e| watch_error(dir, e))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
