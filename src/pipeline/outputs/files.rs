//! The output files of a round and what changed in them: every producer (pages, static
//! files, search, exports) puts its files here, and the changes are recorded as they are
//! put, so a full build and an incremental one report changes the same way.

use crate::output::{Contents, OutputFile, Staging};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Every output file by output path (`guide/setup/index.html`).
pub type FileMap = BTreeMap<String, Arc<OutputFile>>;

/// What changed in the output between two renders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    /// Output paths added or with new contents.
    pub changed: BTreeSet<String>,
    /// Output paths that no longer exist.
    pub removed: BTreeSet<String>,
    /// Pages rendered in this round.
    pub pages_rendered: usize,
    /// Pages whose search documents were indexed again in this round.
    pub pages_indexed: usize,
}

impl Delta {
    /// True when nothing in the output changed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// True when the only changes are new contents of existing stylesheets: a browser can
    /// swap them without reloading the page.
    pub fn is_css_only(&self) -> bool {
        !self.changed.is_empty()
            && self.removed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// The file map of a round being updated, recording every change in its delta.
pub(super) struct Writer<'a> {
    pub(super) files: &'a mut FileMap,
    pub(super) delta: &'a mut Delta,
    /// Source files (absolute) reported changed: copies of them count as changed output.
    pub(super) changed_sources: &'a BTreeSet<PathBuf>,
    /// Files are written here as they are put, and not kept (a one-shot full build).
    pub(super) sink: Option<&'a Staging>,
}

impl Writer<'_> {
    /// Puts a file in place; a change when its contents differ from the file it replaces.
    pub(super) fn put(&mut self, file: OutputFile) {
        if let Some(sink) = self.sink {
            sink.write(&file);
            self.written(&file.path);
            return;
        }
        let file = Arc::new(file);
        let same = (self.files.get(&file.path))
            .is_some_and(|old| same_contents(old, &file, self.changed_sources));
        if !same {
            self.delta.removed.remove(&file.path);
            self.delta.changed.insert(file.path.clone());
        }
        self.files.insert(file.path.clone(), file);
    }

    /// Records a file the producer wrote to the sink itself.
    pub(super) fn written(&mut self, path: &str) {
        self.delta.changed.insert(path.to_string());
    }

    /// Removes a file, if it exists.
    pub(super) fn remove(&mut self, path: &str) {
        if self.files.remove(path).is_some() {
            self.delta.changed.remove(path);
            self.delta.removed.insert(path.to_string());
        }
    }

    /// Replaces the files a producer owns (`owned`, the paths it wrote last time) with
    /// `fresh`: a path it no longer writes is removed.
    pub(super) fn replace_all(&mut self, owned: &mut BTreeSet<String>, fresh: Vec<OutputFile>) {
        let paths: BTreeSet<String> = fresh.iter().map(|f| f.path.clone()).collect();
        for gone in owned.difference(&paths) {
            self.remove(gone);
        }
        if let Some(sink) = self.sink {
            // Many files (the search index's, the exports'): written in parallel rather
            // than one by one after the parallel render.
            fresh.par_iter().for_each(|file| sink.write(file));
            for path in &paths {
                self.written(path);
            }
        } else {
            for file in fresh {
                self.put(file);
            }
        }
        *owned = paths;
    }

    /// Counts a copied file as changed when its source was reported changed.
    pub(super) fn touch_copy(&mut self, path: &str) {
        if matches!(
            self.files.get(path).map(|f| &f.contents),
            Some(Contents::Copy(_))
        ) {
            self.delta.changed.insert(path.to_string());
        }
    }
}

/// True when two versions of an output file have the same contents (a copy is the same when
/// its source was not reported changed).
fn same_contents(
    a: &Arc<OutputFile>,
    b: &Arc<OutputFile>,
    changed_sources: &BTreeSet<PathBuf>,
) -> bool {
    Arc::ptr_eq(a, b)
        || match (&a.contents, &b.contents) {
            (Contents::Bytes(x), Contents::Bytes(y)) => x == y,
            (Contents::Parts(x), Contents::Parts(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| Arc::ptr_eq(p, q) || p == q)
            }
            (Contents::Copy(x), Contents::Copy(y)) => x == y && !changed_sources.contains(y),
            _ => false,
        }
}
