//! `manifest.json`: the docset's pages, anchor ids, mapping sets and redirects
//! ([`Manifest`]), compact and sorted so two builds of the same input give the same bytes.

use super::{to_compact_json, GENERATOR};
use crate::model::manifest::{
    Manifest, ManifestEntry, ManifestPage, ManifestRedirect, ManifestSet, MANIFEST_VERSION,
};
use crate::model::Site;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;

/// The manifest of `site`.
pub fn manifest(site: &Site) -> Manifest {
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
    // Old paths by the page URL they land on (a fragment or query does not change the page).
    let mut redirected_to: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in &redirects {
        let page = r.to.split(['#', '?']).next().unwrap_or_default();
        redirected_to.entry(page).or_default().push(r.from.clone());
    }
    let mut pages: Vec<ManifestPage> = site
        .pages
        .iter()
        .map(|page| {
            let mut seen = FxHashSet::default();
            // Heading ids first, in document order, then the other ids the page defines.
            let anchors = (page.headings.iter().map(|h| h.id.as_str()))
                .chain(page.anchors.iter().map(|a| a.id.as_str()))
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
            }
        })
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.path.cmp(&b.path)));
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
        pages,
        mappings,
        redirects,
    }
}

/// `manifest.json` as text: compact JSON with a final newline.
pub fn manifest_json(site: &Site) -> String {
    to_compact_json(&manifest(site))
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
