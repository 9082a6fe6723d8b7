//! The polling fallback (`--watcher poll`): scan the watched folders a few times a second
//! and report what differs, by size and modification time. Native notifications have a
//! history of problems on network drives, containers and some editors' save patterns
//! (mdBook polls by default for that reason); this costs a stat per file per scan.

use super::{Layout, Message};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Time between two scans.
pub const INTERVAL: Duration = Duration::from_millis(250);

/// What a scan records of one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// Size in bytes (0 for folders).
    pub len: u64,
    /// Modification time, when the file system has one.
    pub modified: Option<SystemTime>,
    /// A folder.
    pub is_dir: bool,
}

/// Every path under the watched folders (hidden entries skipped) with its metadata.
pub type Snapshot = BTreeMap<PathBuf, Meta>;

/// Scans the folders and the configuration file of `layout`.
pub fn scan(layout: &Layout) -> Snapshot {
    let mut snap = Snapshot::new();
    for root in [&layout.content, &layout.templates, &layout.statics] {
        let walker = walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !name.starts_with('.')
                || (e.file_type().is_file() && crate::urls::is_redirection_path(&name))
        });
        for entry in walker.filter_map(|e| e.ok()) {
            if let Ok(meta) = entry.metadata() {
                snap.insert(entry.into_path(), meta_of(&meta));
            }
        }
    }
    if let Ok(meta) = std::fs::metadata(&layout.config) {
        snap.insert(layout.config.clone(), meta_of(&meta));
    }
    snap
}

fn meta_of(meta: &std::fs::Metadata) -> Meta {
    Meta {
        len: if meta.is_dir() { 0 } else { meta.len() },
        modified: meta.modified().ok(),
        is_dir: meta.is_dir(),
    }
}

/// Paths added, removed or changed between two scans, in path order.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = new
        .iter()
        .filter(|(p, m)| old.get(*p) != Some(m))
        .map(|(p, _)| p.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    out.sort();
    out
}

/// The polling thread; it stops when this is dropped.
pub struct Poller {
    stop: Arc<AtomicBool>,
}

impl Poller {
    /// Starts scanning `layout` every [`INTERVAL`].
    pub fn start(layout: Layout, tx: Sender<Message>) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            let mut last = scan(&layout);
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(INTERVAL);
                let now = scan(&layout);
                let changed = diff(&last, &now);
                if !changed.is_empty() && tx.send(Message::Paths(changed)).is_err() {
                    return;
                }
                last = now;
            }
        });
        Poller { stop }
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
