//! The manifest: what a docset promises the outside world — its pages, the anchor ids links
//! may name, its mapping sets and its redirects. `build` writes it as `manifest.json`;
//! `docshift diff` compares two of them, and other docsets import it to check their links.
//!
//! Data only: `export` fills it from the site, `diff` reads it. Deliberately small (ids and
//! URLs, no text) so that it stays a few megabytes on a 10,000-page site.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Version of the manifest format; bumped on incompatible changes.
pub const MANIFEST_VERSION: u32 = 1;

/// A docset's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`] for manifests this version of docshift writes.
    pub schema_version: u32,
    /// `docshift <version>`.
    pub generator: String,
    /// The URL path the docset is published under (`/partner-center/`).
    pub base_path: String,
    /// The site's absolute URL, when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Every page, by URL.
    pub pages: Vec<ManifestPage>,
    /// Every mapping set, by id.
    #[serde(default)]
    pub mappings: Vec<ManifestSet>,
    /// Every server redirect (old path → new URL), by old path.
    #[serde(default)]
    pub redirects: Vec<ManifestRedirect>,
}

/// One page of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestPage {
    /// Source path, relative to the content folder (`marketplace/payouts.md`).
    pub path: String,
    /// URL path, with the base path (`/partner-center/marketplace/payouts/`).
    pub url: String,
    /// Title.
    pub title: String,
    /// Every id a link's `#fragment` may name, once each, in document order (heading ids,
    /// explicit anchors, FAQ question ids and their aliases).
    #[serde(default)]
    pub anchors: Vec<String>,
    /// Ids of the page's DocFX tabs (what `?tabs=` and `#tab/` may select).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tabs: Vec<String>,
    /// Old URLs that redirect to this page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirected_from: Vec<String>,
}

/// A mapping set of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSet {
    /// The set id.
    pub id: String,
    /// The old system's name.
    pub source: String,
    /// The new system's name.
    pub target: String,
    /// Entries in document order.
    pub entries: Vec<ManifestEntry>,
}

/// One old URL → new URL entry of a mapping set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The old URL, as written.
    pub source_url: String,
    /// The new URL; `None` when unsupported.
    pub target_url: Option<String>,
    /// `mapped` or `unsupported`.
    pub status: String,
    /// The entry's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A server redirect.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ManifestRedirect {
    /// The old path (with the base path).
    pub from: String,
    /// Where it goes.
    pub to: String,
}

impl Manifest {
    /// Reads a manifest from its JSON text. The error says why it cannot be used: not JSON,
    /// another tool's file, another schema version, or a wrong shape.
    pub fn from_json(text: &str) -> Result<Manifest, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let generator = value.get("generator").and_then(|g| g.as_str());
        if !generator.is_some_and(|g| g.starts_with("docshift")) {
            return Err("not a docshift manifest (no `generator: docshift`)".to_string());
        }
        let version = value.get("schema_version").and_then(|v| v.as_u64());
        if version != Some(u64::from(MANIFEST_VERSION)) {
            return Err(format!(
                "a manifest of schema version {}; this docshift reads version {MANIFEST_VERSION}",
                version.map_or("(none)".to_string(), |v| v.to_string())
            ));
        }
        let mut manifest: Manifest =
            serde_json::from_value(value).map_err(|e| format!("not a valid manifest: {e}"))?;
        // Lookups binary-search pages by URL; a file written by hand may not be sorted.
        manifest.pages.sort_by(|a, b| a.url.cmp(&b.url));
        Ok(manifest)
    }

    /// The page with this URL (`url` without fragment or query).
    pub fn page_by_url(&self, url: &str) -> Option<&ManifestPage> {
        self.pages
            .binary_search_by(|p| p.url.as_str().cmp(url))
            .ok()
            .map(|i| &self.pages[i])
    }
}

/// The changes of one mapping set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetChanges {
    /// The set id.
    pub set: String,
    /// Entries only the new version has.
    pub added: Vec<ManifestEntry>,
    /// Entries only the old version has.
    pub removed: Vec<ManifestEntry>,
    /// Entries both have (by source URL) whose target, status or note differ.
    pub changed: Vec<ChangedEntry>,
}

/// An entry whose target changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedEntry {
    /// The old URL both versions map.
    pub source_url: String,
    /// What the old version said.
    pub before: Target,
    /// What the new version says.
    pub after: Target,
}

/// Where an entry sends its source URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The new URL, `None` when unsupported.
    pub target_url: Option<String>,
    /// `mapped` or `unsupported`.
    pub status: String,
    /// The entry's note.
    pub note: Option<String>,
}

impl Target {
    fn of(e: &ManifestEntry) -> Target {
        Target {
            target_url: e.target_url.clone(),
            status: e.status.clone(),
            note: e.note.clone(),
        }
    }
}

/// Mapping entries added, removed and changed from `old` to `new`, per set with at least
/// one change, by set id.
pub fn mapping_changes(old: &Manifest, new: &Manifest) -> Vec<SetChanges> {
    let old_sets: HashMap<&str, _> = old.mappings.iter().map(|s| (s.id.as_str(), s)).collect();
    let new_sets: HashMap<&str, _> = new.mappings.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut ids: Vec<&str> = old_sets.keys().chain(new_sets.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let before: &[ManifestEntry] = old_sets.get(id).map_or(&[], |s| &s.entries);
        let after: &[ManifestEntry] = new_sets.get(id).map_or(&[], |s| &s.entries);
        let before_by: HashMap<&str, &ManifestEntry> =
            before.iter().map(|e| (e.source_url.as_str(), e)).collect();
        let after_by: HashMap<&str, &ManifestEntry> =
            after.iter().map(|e| (e.source_url.as_str(), e)).collect();
        let changes = SetChanges {
            set: id.to_string(),
            added: (after.iter())
                .filter(|e| !before_by.contains_key(e.source_url.as_str()))
                .cloned()
                .collect(),
            removed: (before.iter())
                .filter(|e| !after_by.contains_key(e.source_url.as_str()))
                .cloned()
                .collect(),
            changed: (after.iter())
                .filter_map(|e| {
                    let was = before_by.get(e.source_url.as_str())?;
                    let (was, now) = (Target::of(was), Target::of(e));
                    (was != now).then(|| ChangedEntry {
                        source_url: e.source_url.clone(),
                        before: was,
                        after: now,
                    })
                })
                .collect(),
        };
        if !(changes.added.is_empty() && changes.removed.is_empty() && changes.changed.is_empty()) {
            out.push(changes);
        }
    }
    out
}
