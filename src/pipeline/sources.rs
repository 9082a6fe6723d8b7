//! The Markdown sources of a session, each with a stamp (a hash of its bytes), and the
//! parse cache keyed by those stamps. Reading files is the caller's business (`discover`);
//! this file decides what is still valid.

use crate::diag::Diagnostic;
use crate::discover::{decode_source, read_source, Inventory, Loaded};
use crate::parse::{IncludeCache, Unloadable};
use crate::source::SourceFile;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Stamp of a file: a hash of its bytes, `None` when it is absent or cannot be read.
pub(super) type Stamp = Option<u64>;

/// The stamp an include records for a file that exists but cannot be read.
const UNREADABLE: u64 = u64::MAX;

/// One loaded Markdown file.
struct Entry {
    stamp: Stamp,
    loaded: Loaded,
}

/// Every Markdown and data file of the inventory (pages, fragments, YAML data files), loaded.
#[derive(Default)]
pub(super) struct Sources {
    entries: HashMap<String, Entry>,
    /// Included files parsed once for every page that includes them; an entry is used only
    /// for the loaded file it was parsed from, so a reread file is parsed again.
    includes: IncludeCache,
}

fn load(content: &Path, rel: &str) -> Entry {
    match read_source(content, rel) {
        Ok(bytes) => {
            let mut h = DefaultHasher::new();
            h.write(&bytes);
            let loaded = decode_source(rel, bytes);
            Entry {
                stamp: Some(h.finish()),
                loaded,
            }
        }
        Err(d) => Entry {
            stamp: None,
            loaded: Err(d),
        },
    }
}

impl Sources {
    /// Brings the cache in line with `inventory`: files no longer listed are dropped, files
    /// new to the cache are read, and so are the `changed` ones (`None`: every file).
    pub(super) fn refresh(
        &mut self,
        content: &Path,
        inventory: &Inventory,
        changed: Option<&BTreeSet<String>>,
    ) {
        let wanted: BTreeSet<&String> = inventory
            .pages
            .iter()
            .chain(&inventory.fragments)
            .chain(&inventory.data)
            .chain(&inventory.tocs)
            .collect();
        self.entries.retain(|path, _| wanted.contains(path));
        self.includes.retain(|path| self.entries.contains_key(path));
        let to_read: Vec<&String> = wanted
            .into_iter()
            .filter(|p| changed.is_none_or(|c| c.contains(*p)) || !self.entries.contains_key(*p))
            .collect();
        let fresh: Vec<(String, Entry)> = to_read
            .par_iter()
            .map(|p| ((*p).clone(), load(content, p)))
            .collect();
        self.entries.extend(fresh);
    }

    /// Reads these files again (they are known to the inventory).
    pub(super) fn reload(&mut self, content: &Path, paths: &[&String]) {
        let fresh: Vec<(String, Entry)> = paths
            .par_iter()
            .map(|p| ((*p).clone(), load(content, p)))
            .collect();
        self.entries.extend(fresh);
    }

    /// Drops every loaded file and cached include parse: for a round that is the session's
    /// last (a one-shot build), whose texts are never read again once the round's findings
    /// are collected. A later round would simply read every file anew.
    pub(super) fn release(&mut self) {
        self.entries = HashMap::default();
        self.includes = IncludeCache::default();
    }

    /// The stamp of a file (`None`: absent or unreadable).
    pub(super) fn stamp(&self, path: &str) -> Stamp {
        self.entries.get(path).and_then(|e| e.stamp)
    }

    /// The loaded file, or why it could not be loaded.
    pub(super) fn loaded(&self, path: &str) -> Option<&Loaded> {
        self.entries.get(path).map(|e| &e.loaded)
    }

    /// A file for the parser: `None` when absent, `Some(Err)` when it cannot be loaded.
    pub(super) fn get(&self, path: &str) -> Option<Result<Arc<SourceFile>, Unloadable>> {
        self.entries
            .get(path)
            .map(|e| e.loaded.as_ref().map(Arc::clone).map_err(|_| Unloadable))
    }

    /// The state of a file as an include sees it: absent (`None`), unreadable, or its stamp.
    fn dep_stamp(&self, path: &str) -> Stamp {
        self.entries
            .get(path)
            .map(|e| e.stamp.unwrap_or(UNREADABLE))
    }
}

/// Markdown generated from the YAML data files: what `[!INCLUDE]` of a mapping file expands
/// to, and the page of each data file that has one (by content path). The YAML files
/// themselves are in [`Sources`], so their stamps tell when this must be generated again.
#[derive(Debug, Clone, Default)]
pub(super) struct Generated {
    /// Table-only Markdown of mapping files, for includes.
    pub(super) includes: HashMap<String, Arc<SourceFile>>,
    /// Page Markdown of FAQ files and of mapping files with a title.
    pub(super) pages: HashMap<String, Arc<SourceFile>>,
}

impl Generated {
    /// The generated sources of the data files.
    pub(super) fn new(data: &[crate::migration::DataFile]) -> Generated {
        let mut out = Generated::default();
        for d in data {
            if let Some(page) = &d.page {
                out.pages.insert(d.path.clone(), Arc::new(page.clone()));
            }
            if let Some(src) = d.include.as_ref().or(d.page.as_ref()) {
                out.includes.insert(d.path.clone(), Arc::new(src.clone()));
            }
        }
        out
    }

    /// Paths of the data files that are pages, sorted.
    pub(super) fn page_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.pages.keys().cloned().collect();
        paths.sort();
        paths
    }
}

/// What a parse read: the page's own stamp and the stamp of every file it asked for
/// (includes, found or not). The parse is still valid while all of them are unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParseInputs {
    own: Stamp,
    deps: Vec<(String, Stamp)>,
}

impl ParseInputs {
    /// True when every input still has the stamp it had (an unreadable page is read again).
    pub(super) fn still_valid(&self, path: &str, sources: &Sources) -> bool {
        self.own.is_some()
            && self.own == sources.stamp(path)
            && self.deps.iter().all(|(p, s)| sources.dep_stamp(p) == *s)
    }

    /// The files the parse asked for.
    pub(super) fn deps(&self) -> impl Iterator<Item = &String> {
        self.deps.iter().map(|(p, _)| p)
    }

    /// A key that changes whenever the parse would: what the page's HTML body depends on.
    pub(super) fn key(&self) -> u64 {
        let mut h = DefaultHasher::new();
        std::hash::Hash::hash(self, &mut h);
        h.finish()
    }
}

impl std::hash::Hash for ParseInputs {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.own.hash(h);
        self.deps.hash(h);
    }
}

/// The parse of one page: its diagnostics (the page itself lives in the site) or the
/// diagnostic that kept it from being built.
#[derive(Debug, Clone)]
pub(super) struct ParsedPage {
    pub(super) inputs: ParseInputs,
    pub(super) outcome: Result<Vec<Diagnostic>, Diagnostic>,
}

/// True for a `.yml` / `.yaml` path.
pub(super) fn is_yaml_path(path: &str) -> bool {
    path.ends_with(".yml") || path.ends_with(".yaml")
}

/// Parses one page, recording every file the parser looks up. Data files are parsed from
/// their generated Markdown, and includes of mapping files expand to their table.
pub(super) fn parse_one(
    path: &str,
    sources: &Sources,
    generated: &Generated,
    base_path: &str,
) -> (
    ParseInputs,
    Result<(crate::model::Page, Vec<Diagnostic>), Diagnostic>,
) {
    let asked: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let lookup = |p: &str| {
        asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(p.to_string());
        match generated.includes.get(p) {
            Some(src) => Some(Ok(Arc::clone(src))),
            None => sources.get(p),
        }
    };
    let ctx = crate::parse::ParseContext {
        base_path,
        sources: &lookup,
        includes: &sources.includes,
    };
    let result = match (generated.pages.get(path), sources.loaded(path)) {
        (Some(src), _) => Ok(crate::parse::parse_page(src, &ctx)),
        // The YAML files that are pages without generated Markdown: Hub and Landing pages.
        (None, Some(Ok(src))) if is_yaml_path(path) => {
            crate::parse::parse_card_page(src, base_path).map(|page| (page, Vec::new()))
        }
        (None, Some(Ok(src))) => Ok(crate::parse::parse_page(src, &ctx)),
        (None, Some(Err(d))) => Err(d.clone()),
        (None, None) => Err(Diagnostic::new(
            crate::diag::Code::UnreadableFile,
            path,
            1,
            1,
            format!("cannot read {path}"),
        )),
    };
    let mut deps: Vec<String> = asked.into_inner().unwrap_or_else(|e| e.into_inner());
    deps.sort();
    deps.dedup();
    let inputs = ParseInputs {
        own: sources.stamp(path),
        deps: deps
            .into_iter()
            .map(|p| {
                let s = sources.dep_stamp(&p);
                (p, s)
            })
            .collect(),
    };
    (inputs, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_sources_are_read_again_by_the_next_refresh() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.md"), "# A\n").expect("write");
        let inventory = Inventory {
            pages: vec!["a.md".to_string()],
            ..Inventory::default()
        };
        let mut sources = Sources::default();
        sources.refresh(dir.path(), &inventory, None);
        let stamp = sources.stamp("a.md");
        assert!(stamp.is_some());
        sources.release();
        assert!(sources.loaded("a.md").is_none());
        // Nothing is listed as changed: the released file is read all the same.
        sources.refresh(dir.path(), &inventory, Some(&BTreeSet::new()));
        assert_eq!(sources.stamp("a.md"), stamp);
        assert!(matches!(sources.loaded("a.md"), Some(Ok(src)) if src.text == "# A\n"));
    }
}
