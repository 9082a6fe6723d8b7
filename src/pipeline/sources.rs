//! The Markdown sources of a session, each with a stamp (a hash of its bytes), and the
//! parse cache keyed by those stamps. Reading files is the caller's business (`discover`);
//! this file decides what is still valid.

use crate::diag::Diagnostic;
use crate::discover::{decode_source, nul_finding, read_source, Inventory, Loaded};
use crate::parse::{IncludeCache, Unloadable};
use crate::source::SourceFile;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Stamp of a file: a hash of its bytes, `None` when it is absent or cannot be read.
pub(super) type Stamp = Option<u64>;

/// The stamp an include records for a file that exists but cannot be read.
const UNREADABLE: u64 = u64::MAX;

/// When a refresh reads the Markdown pages of the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageTexts {
    /// At once, in parallel: for a round that keeps them (`serve` parses again only the
    /// pages whose stamps changed).
    Now,
    /// When the parse asks for them, for a round that reads each page's text only to parse
    /// it: the texts of the whole site are then never in memory at once. Read all up front,
    /// a site's Markdown was the peak of a build whose pages have much prose and few links
    /// (5,000 pages of 48 KB, `synth-corpus 5000 DIR prose`: 276 MiB, against 115 MiB when
    /// each page is read by its parse; `check`: 287 against 69 MiB).
    OnDemand {
        /// Take each page's size on disk now, for [`Sources::total_len`] (one `stat` a page).
        sized: bool,
    },
}

/// One Markdown or data file of the inventory.
struct Entry {
    /// What its first read found; set on loading, or for a deferred page (see
    /// [`Sources::refresh`]) when something first asks for the file.
    first_read: OnceLock<FirstRead>,
    /// The file, or why it could not be loaded; `None` until a deferred page is read, and
    /// once released (see [`Sources::release_text`]). A lock, as pages release their text
    /// while others parse.
    loaded: Mutex<Option<Loaded>>,
    /// Its size in bytes on disk when listed (0 when it cannot be read, or for a page read
    /// on demand without its size).
    len: u64,
}

/// What the first read of a file found, kept after its text is released.
struct FirstRead {
    stamp: Stamp,
    /// The file's `invalid-character` finding.
    nul: Option<Diagnostic>,
}

impl FirstRead {
    fn of(stamp: Stamp, loaded: &Loaded) -> FirstRead {
        FirstRead {
            stamp,
            nul: loaded.as_ref().ok().and_then(|src| nul_finding(src)),
        }
    }
}

/// Every Markdown and data file of the inventory (pages, fragments, YAML data files), loaded.
#[derive(Default)]
pub(super) struct Sources {
    entries: HashMap<String, Entry>,
    /// Included files parsed once for every page that includes them; an entry is used only
    /// for the loaded file it was parsed from, so a reread file is parsed again.
    includes: IncludeCache,
    /// The content folder the files were read from, to read a released file again.
    content: PathBuf,
}

/// Reads one file: its stamp, its text (or why it cannot be loaded) and its size in bytes.
fn read(content: &Path, rel: &str) -> (Stamp, Loaded, u64) {
    match read_source(content, rel) {
        Ok(bytes) => {
            let stamp = xxhash_rust::xxh3::xxh3_64(&bytes);
            let len = bytes.len() as u64;
            (Some(stamp), decode_source(rel, bytes), len)
        }
        Err(d) => (None, Err(d), 0),
    }
}

fn load(content: &Path, rel: &str) -> Entry {
    let (stamp, loaded, len) = read(content, rel);
    Entry {
        first_read: OnceLock::from(FirstRead::of(stamp, &loaded)),
        loaded: Mutex::new(Some(loaded)),
        len,
    }
}

/// An entry for a file read only when something asks for it, with its size on disk now
/// when `sized`.
fn defer(content: &Path, rel: &str, sized: bool) -> Entry {
    let len = match sized {
        true => std::fs::metadata(content.join(rel)).map_or(0, |m| m.len()),
        false => 0,
    };
    Entry {
        first_read: OnceLock::new(),
        loaded: Mutex::new(None),
        len,
    }
}

impl Entry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Loaded>> {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sources {
    /// Brings the cache in line with `inventory`: files no longer listed are dropped, files
    /// new to the cache are read, and so are the `changed` ones (`None`: every file). Its
    /// Markdown pages are read when `pages` says; fragments, data files and TOCs at once.
    pub(super) fn refresh(
        &mut self,
        content: &Path,
        inventory: &Inventory,
        changed: Option<&BTreeSet<String>>,
        pages: PageTexts,
    ) {
        self.content = content.to_path_buf();
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
        let is_page = |p: &str| {
            !is_yaml_path(p)
                && (inventory.pages)
                    .binary_search_by(|x| x.as_str().cmp(p))
                    .is_ok()
        };
        let fresh: Vec<(String, Entry)> = to_read
            .par_iter()
            .map(|p| {
                let entry = match pages {
                    PageTexts::OnDemand { sized } if is_page(p) => defer(content, p, sized),
                    _ => load(content, p),
                };
                ((*p).clone(), entry)
            })
            .collect();
        self.entries.extend(fresh);
    }

    /// Reads these files again (they are known to the inventory).
    pub(super) fn reload(&mut self, content: &Path, paths: &[&String]) {
        self.content = content.to_path_buf();
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

    /// Drops the text of one file, for a one-shot build or a `check` once its page is
    /// parsed: nothing after the parse reads a page's text (its `invalid-character` finding
    /// is kept; report excerpts are read from disk), so the texts of the whole site need
    /// not be held at once. Should another page include the file later, it is read again
    /// from disk.
    pub(super) fn release_text(&self, path: &str) {
        if let Some(e) = self.entries.get(path) {
            let text = e.lock().take();
            drop(text);
        }
    }

    /// The stamp of a file (`None`: absent or unreadable).
    pub(super) fn stamp(&self, path: &str) -> Stamp {
        self.first_read(path).and_then(|f| f.stamp)
    }

    /// What the first read of a listed file found, reading a deferred page now if nothing
    /// has asked for it yet (its text is then held until released).
    fn first_read(&self, path: &str) -> Option<&FirstRead> {
        let e = self.entries.get(path)?;
        if e.first_read.get().is_none() {
            self.loaded(path);
        }
        e.first_read.get()
    }

    /// The loaded file, or why it could not be loaded (a deferred or released text is read
    /// now). A file read again keeps the stamp and finding of its first read.
    pub(super) fn loaded(&self, path: &str) -> Option<Loaded> {
        let e = self.entries.get(path)?;
        let mut loaded = e.lock();
        Some(
            loaded
                .get_or_insert_with(|| {
                    let (stamp, loaded, _) = read(&self.content, path);
                    e.first_read.get_or_init(|| FirstRead::of(stamp, &loaded));
                    loaded
                })
                .clone(),
        )
    }

    /// True while the text of `path` is held (not released).
    #[cfg(test)]
    pub(super) fn holds_text(&self, path: &str) -> bool {
        self.entries.get(path).is_some_and(|e| e.lock().is_some())
    }

    /// The size in bytes on disk of each of `paths` when it was listed, summed (a page read on
    /// demand counts only when sized, see [`PageTexts`]).
    pub(super) fn total_len<'p>(&self, paths: impl IntoIterator<Item = &'p String>) -> u64 {
        (paths.into_iter())
            .filter_map(|p| self.entries.get(p))
            .map(|e| e.len)
            .sum()
    }

    /// The `invalid-character` finding of a listed file (a deferred page is read for it).
    pub(super) fn nul_finding(&self, path: &str) -> Option<&Diagnostic> {
        self.first_read(path)?.nul.as_ref()
    }

    /// A file for the parser: `None` when absent, `Some(Err)` when it cannot be loaded.
    pub(super) fn get(&self, path: &str) -> Option<Result<Arc<SourceFile>, Unloadable>> {
        self.loaded(path).map(|l| l.map_err(|_| Unloadable))
    }

    /// The state of a file as an include sees it: absent (`None`), unreadable, or its stamp.
    fn dep_stamp(&self, path: &str) -> Stamp {
        self.first_read(path).map(|f| f.stamp.unwrap_or(UNREADABLE))
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
/// diagnostic that kept it from being built. Every page has one for the whole build, and
/// few fail: the failure is boxed (176 → 64 bytes a page).
#[derive(Debug, Clone)]
pub(super) struct ParsedPage {
    pub(super) inputs: ParseInputs,
    pub(super) outcome: Result<Vec<Diagnostic>, Box<Diagnostic>>,
}

/// The finding of a file that cannot be read.
fn unreadable(path: &str) -> Diagnostic {
    Diagnostic::new(
        crate::diag::Code::UnreadableFile,
        path,
        1,
        1,
        format!("cannot read {path}"),
    )
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
    let result = match generated.pages.get(path) {
        Some(src) => Ok(crate::parse::parse_page(src, &ctx)),
        None => match sources.loaded(path) {
            // The YAML files that are pages without generated Markdown: Hub and Landing pages.
            Some(Ok(src)) if is_yaml_path(path) => {
                crate::parse::parse_card_page(&src, base_path).map(|page| (page, Vec::new()))
            }
            Some(Ok(src)) => Ok(crate::parse::parse_page(&src, &ctx)),
            Some(Err(d)) => Err(d),
            None => Err(unreadable(path)),
        },
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

    /// A content folder holding one page, `a.md` with `text`, loaded.
    fn one_page(text: &str) -> (tempfile::TempDir, Inventory, Sources) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.md"), text).expect("write");
        let inventory = Inventory {
            pages: vec!["a.md".to_string()],
            ..Inventory::default()
        };
        let mut sources = Sources::default();
        sources.refresh(dir.path(), &inventory, None, PageTexts::Now);
        (dir, inventory, sources)
    }

    /// A content folder with two pages and a fragment, listed (sorted) but not yet loaded.
    fn two_pages_and_a_fragment() -> (tempfile::TempDir, Inventory) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.md"), "# A\n\n[!INCLUDE [b](b.md)]\n").expect("write");
        std::fs::write(dir.path().join("b.md"), "# B\u{0}\n").expect("write");
        std::fs::write(dir.path().join("part.md"), "Shared.\n").expect("write");
        let inventory = Inventory {
            pages: vec!["a.md".to_string(), "b.md".to_string()],
            fragments: vec!["part.md".to_string()],
            ..Inventory::default()
        };
        (dir, inventory)
    }

    /// New sources of every file of `inventory`, pages read as `pages` says.
    fn refreshed(content: &Path, inventory: &Inventory, pages: PageTexts) -> Sources {
        let mut sources = Sources::default();
        sources.refresh(content, inventory, None, pages);
        sources
    }

    #[test]
    fn deferred_pages_are_read_when_asked_for_with_the_stamps_and_findings_of_a_full_load() {
        let (dir, inventory) = two_pages_and_a_fragment();
        let eager = refreshed(dir.path(), &inventory, PageTexts::Now);
        let lazy = refreshed(dir.path(), &inventory, PageTexts::OnDemand { sized: true });
        // No page is read up front; the fragment is. Sizes come from the disk.
        assert!(!lazy.holds_text("a.md") && !lazy.holds_text("b.md"));
        assert!(lazy.holds_text("part.md"));
        let all: Vec<String> = ["a.md", "b.md", "part.md"].map(String::from).into();
        assert_eq!(lazy.total_len(&all), eager.total_len(&all));
        assert_eq!(lazy.total_len(&all), 26 + 5 + 8);
        // A parse asks for `a.md`: read now, with the stamp a full load gives it.
        assert!(matches!(lazy.get("a.md"), Some(Ok(src)) if src.text.starts_with("# A")));
        assert!(lazy.holds_text("a.md") && !lazy.holds_text("b.md"));
        assert_eq!(lazy.stamp("a.md"), eager.stamp("a.md"));
        // An include's stamp, or a finding, asked for before `b.md` is parsed reads it too.
        assert_eq!(lazy.dep_stamp("b.md"), eager.dep_stamp("b.md"));
        assert!(lazy.holds_text("b.md"));
        lazy.release_text("b.md");
        assert_eq!(
            lazy.nul_finding("b.md").map(|d| d.line),
            eager.nul_finding("b.md").map(|d| d.line)
        );
        assert!(lazy.nul_finding("b.md").is_some());
        // Unlisted files stay unknown.
        assert_eq!(lazy.stamp("c.md"), None);
        assert_eq!(lazy.dep_stamp("c.md"), None);
    }

    #[test]
    fn a_deferred_page_that_is_gone_when_asked_for_is_unreadable() {
        let (dir, inventory) = two_pages_and_a_fragment();
        let lazy = refreshed(dir.path(), &inventory, PageTexts::OnDemand { sized: false });
        assert_eq!(lazy.total_len(&inventory.pages), 0);
        std::fs::remove_file(dir.path().join("a.md")).expect("remove");
        assert!(matches!(lazy.get("a.md"), Some(Err(_))));
        assert_eq!(lazy.stamp("a.md"), None);
        assert_eq!(lazy.dep_stamp("a.md"), Some(UNREADABLE));
    }

    #[test]
    fn released_sources_are_read_again_by_the_next_refresh() {
        let (dir, inventory, mut sources) = one_page("# A\n");
        let stamp = sources.stamp("a.md");
        assert!(stamp.is_some());
        sources.release();
        assert!(sources.loaded("a.md").is_none());
        // Nothing is listed as changed: the released file is read all the same.
        sources.refresh(
            dir.path(),
            &inventory,
            Some(&BTreeSet::new()),
            PageTexts::Now,
        );
        assert_eq!(sources.stamp("a.md"), stamp);
        assert!(matches!(sources.loaded("a.md"), Some(Ok(src)) if src.text == "# A\n"));
    }

    #[test]
    fn a_released_text_is_read_again_when_asked_for_and_keeps_its_finding() {
        let (_dir, _, sources) = one_page("# A\u{0}\n");
        let stamp = sources.stamp("a.md");
        assert!(sources.nul_finding("a.md").is_some());
        sources.release_text("a.md");
        assert!(sources.entries["a.md"].lock().is_none());
        // The finding outlives the text, and so does the stamp.
        assert!(sources.nul_finding("a.md").is_some());
        assert_eq!(sources.stamp("a.md"), stamp);
        // Another page including the file reads it again.
        assert!(matches!(sources.get("a.md"), Some(Ok(src)) if src.text == "# A\u{fffd}\n"));
    }
}
