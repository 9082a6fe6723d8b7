//! `manifest.json`: the docset's pages, anchor ids, mapping sets and redirects
//! ([`Manifest`]), compact and sorted so two builds of the same input give the same bytes.

use super::{to_compact_json, GENERATOR};
use crate::model::manifest::{
    Manifest, ManifestEntry, ManifestPage, ManifestRedirect, ManifestSet, MANIFEST_VERSION,
};
use crate::model::{Page, Site};
use crate::output::{Contents, OutputFile};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The manifest of `site`.
pub fn manifest(site: &Site) -> Manifest {
    let redirects = redirects(site);
    let redirected_to = redirected_to(&redirects);
    let mut pages: Vec<ManifestPage> = (site.pages.iter())
        .map(|page| manifest_page(page, &redirected_to))
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.path.cmp(&b.path)));
    Manifest {
        pages,
        ..frame(site, redirects)
    }
}

/// The manifest without its pages.
fn frame(site: &Site, redirects: Vec<ManifestRedirect>) -> Manifest {
    let mut mappings: Vec<ManifestSet> = (site.migration.sets.iter())
        .map(|set| ManifestSet {
            id: set.id.clone(),
            source: set.source.name.clone(),
            target: set.target.name.clone(),
            entries: (set.entries.iter())
                .map(|e| ManifestEntry {
                    source_url: e.source_url.clone(),
                    target_url: e.target_url.clone(),
                    status: e.status.as_str().to_string(),
                    note: e.note.clone(),
                })
                .collect(),
        })
        .collect();
    mappings.sort_by(|a, b| a.id.cmp(&b.id));
    Manifest {
        schema_version: MANIFEST_VERSION,
        generator: GENERATOR.to_string(),
        base_path: site.config.base_path.clone(),
        url: (!site.config.url.is_empty()).then(|| site.config.url.clone()),
        pages: Vec::new(),
        mappings,
        redirects,
    }
}

/// The site's server redirects, sorted.
fn redirects(site: &Site) -> Vec<ManifestRedirect> {
    let mut redirects: Vec<ManifestRedirect> = super::redirects::path_redirects(site)
        .into_iter()
        .filter_map(|(_, entry, from)| {
            Some(ManifestRedirect {
                from,
                to: entry.target_url.clone()?,
            })
        })
        .collect();
    redirects.sort();
    redirects
}

/// Old paths by the page URL they land on (a fragment or query does not change the page).
fn redirected_to(redirects: &[ManifestRedirect]) -> FxHashMap<String, Vec<String>> {
    let mut by_page: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for r in redirects {
        let page = r.to.split(['#', '?']).next().unwrap_or_default();
        by_page
            .entry(page.to_string())
            .or_default()
            .push(r.from.clone());
    }
    by_page
}

/// One page's entry: its own parse and the redirects that land on it, nothing else.
fn manifest_page(page: &Page, redirected_to: &FxHashMap<String, Vec<String>>) -> ManifestPage {
    let mut seen = FxHashSet::default();
    // Heading ids first, in document order, then the other ids the page defines.
    let anchors = (page.headings().iter().map(|h| h.id))
        .chain(page.anchors().iter().map(|a| a.id))
        .filter(|id| !id.is_empty() && seen.insert(*id))
        .map(str::to_string)
        .collect();
    ManifestPage {
        path: page.path.clone(),
        url: page.url.clone(),
        title: page.title.clone(),
        anchors,
        tabs: page.tab_ids.clone(),
        redirected_from: redirected_to
            .get(page.url.as_str())
            .cloned()
            .unwrap_or_default(),
        anchor_order: Default::default(),
    }
}

/// `manifest.json` kept in parts — everything before the pages, each page's entry, and
/// everything after them — for `serve`: a page edit re-encodes that page's entry only,
/// where encoding the whole manifest (every anchor id and mapping entry of the site) took
/// about a third of a one-page rebuild at 10,000 pages. The same bytes as
/// [`write_manifest_json`].
#[derive(Debug, Clone)]
pub struct ManifestJson {
    /// `{"schema_version":…,"pages":[`
    head: Arc<[u8]>,
    /// `],"mappings":[…],"redirects":[…]}` and a line break.
    tail: Arc<[u8]>,
    /// `,` between two page entries.
    comma: Arc<[u8]>,
    /// Each page's encoded entry by URL and source path: the file's order.
    pages: BTreeMap<(String, String), Arc<[u8]>>,
    /// The URL each page (by source path) is listed under.
    urls: FxHashMap<String, String>,
    /// Old paths by the page URL they redirect to.
    redirected_to: FxHashMap<String, Vec<String>>,
}

impl ManifestJson {
    /// Encodes the whole manifest.
    pub fn build(site: &Site) -> Self {
        let redirects = redirects(site);
        let redirected_to = redirected_to(&redirects);
        let (head, tail) = frame_parts(site, redirects);
        let mut manifest = ManifestJson {
            head: head.as_bytes().into(),
            tail: tail.as_bytes().into(),
            comma: Arc::from(&b","[..]),
            pages: BTreeMap::new(),
            urls: FxHashMap::default(),
            redirected_to,
        };
        let all: BTreeSet<usize> = (0..site.pages.len()).collect();
        manifest.update(site, &all);
        manifest
    }

    /// Encodes again the entries of pages `changed` (indices into `site.pages`). Only for
    /// a site with the same pages, configuration and migration model as the one last
    /// encoded: an entry depends on its page's parse and the redirects landing on it.
    pub fn update(&mut self, site: &Site, changed: &BTreeSet<usize>) {
        let fresh: Vec<(String, String, Arc<[u8]>)> = changed
            .par_iter()
            .filter_map(|&i| site.pages.get(i))
            .map(|page| {
                let entry = manifest_page(page, &self.redirected_to);
                let bytes = serde_json::to_vec(&entry)
                    .unwrap_or_else(|e| unreachable!("manifest types always serialise: {e}"));
                (page.url.clone(), page.path.clone(), bytes.into())
            })
            .collect();
        for (url, path, bytes) in fresh {
            if let Some(old) = self.urls.insert(path.clone(), url.clone()) {
                self.pages.remove(&(old, path.clone()));
            }
            self.pages.insert((url, path), bytes);
        }
    }

    /// The file, sharing the parts.
    pub fn file(&self) -> OutputFile {
        let mut parts = Vec::with_capacity(self.pages.len() * 2 + 2);
        parts.push(self.head.clone());
        for (n, part) in self.pages.values().enumerate() {
            if n > 0 {
                parts.push(self.comma.clone());
            }
            parts.push(part.clone());
        }
        parts.push(self.tail.clone());
        OutputFile {
            path: "manifest.json".to_string(),
            contents: Contents::Parts(parts),
        }
    }
}

/// The pages key of an encoded manifest without pages.
const PAGES_KEY: &str = "\"pages\":[]";

/// `manifest.json` (compact JSON with a final newline) written to `w` as it is encoded: a
/// large site's manifest is megabytes.
/// Each page's entry is made and written in turn, in the file's order (by URL, then
/// source path): the whole manifest, every page's anchor ids as strings of their own, was
/// made before it was written, and at the end of a large build that grew the peak with the
/// site.
pub fn write_manifest_json(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let redirects = redirects(site);
    let redirected_to = redirected_to(&redirects);
    let (head, tail) = frame_parts(site, redirects);
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    let key = |&i: &usize| (&site.pages[i].url, &site.pages[i].path);
    order.sort_by(|a, b| key(a).cmp(&key(b)));
    w.write_all(head.as_bytes())?;
    for (n, &i) in order.iter().enumerate() {
        if n > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut *w, &manifest_page(&site.pages[i], &redirected_to))?;
    }
    w.write_all(tail.as_bytes())
}

/// The encoded manifest without its pages, split where the pages go: `{…,"pages":[` and
/// `],"mappings":[…],"redirects":[…]}` with a line break.
fn frame_parts(site: &Site, redirects: Vec<ManifestRedirect>) -> (String, String) {
    let mut head = to_compact_json(&frame(site, redirects));
    // The keys before "pages" hold JSON strings, in which a quote is always escaped, so
    // the first `"pages":[]` is the key itself.
    let split = head
        .find(PAGES_KEY)
        .map(|at| at + PAGES_KEY.len() - 1)
        .unwrap_or_else(|| unreachable!("a manifest always lists its pages"));
    let tail = head.split_off(split);
    (head, tail)
}

/// One set's mapping changes since the previous published build.
#[derive(serde::Serialize)]
struct ChangesFile<'a> {
    schema_version: u32,
    generator: &'a str,
    /// The generator of the previous manifest.
    previous_generator: &'a str,
    #[serde(flatten)]
    changes: &'a crate::model::manifest::SetChanges,
}

/// `mappings/<set>.changes.json` for every set whose entries changed since `previous` (a
/// set that disappeared lists its entries as removed).
pub(super) fn changes_files(site: &Site, previous: &Manifest) -> Vec<crate::output::OutputFile> {
    let current = manifest(site);
    crate::model::manifest::mapping_changes(previous, &current)
        .iter()
        .map(|changes| {
            crate::output::OutputFile::text(
                format!("mappings/{}.changes.json", changes.set),
                super::to_json(&ChangesFile {
                    schema_version: super::SCHEMA_VERSION,
                    generator: GENERATOR,
                    previous_generator: &previous.generator,
                    changes,
                }),
            )
        })
        .collect()
}
