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
    /// `anchors` in id order, made by the first [`ManifestPage::has_anchor`] or
    /// [`ManifestPage::anchors_near`] on a page of many anchors.
    #[serde(skip)]
    pub anchor_order: super::names::NameOrder,
}

impl ManifestPage {
    /// True when a link's `#fragment` may name `id` on this page (see
    /// [`crate::model::names`]: a binary search on a page of many anchors).
    pub fn has_anchor(&self, id: &str) -> bool {
        let at = |i: usize| self.anchors[i].as_str();
        super::names::contains(self.anchors.len(), at, &self.anchor_order, id)
    }

    /// The page's anchors nearest to `id` in alphabetical order, at most `limit` of them:
    /// where a suggestion for a broken anchor is sought.
    pub fn anchors_near<'p>(&'p self, id: &str, limit: usize) -> impl Iterator<Item = &'p str> {
        let at = |i: usize| self.anchors[i].as_str();
        super::names::nearest(self.anchors.len(), at, &self.anchor_order, id, limit)
    }
}

/// A mapping set of a manifest.
///
/// Written in a compact form (see [`WireSet`]): mapping entries are most of a migration
/// docset's manifest, and their URLs share long prefixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "WireSet", try_from = "WireSet")]
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

/// A mapping set as `manifest.json` holds it: the URLs' common prefixes once per set, and each
/// entry as an array `[source rest, target rest or null, status, note]` whose last two items
/// are left out when they are `mapped` and absent. On the 10,000-page corpus (30,000 entries)
/// this is 0.7 MB instead of 3.5 MB with one object per entry.
#[derive(Serialize, Deserialize)]
struct WireSet {
    id: String,
    source: String,
    target: String,
    /// What every source URL starts with.
    source_base: String,
    /// What every target URL starts with.
    target_base: String,
    entries: Vec<Vec<Option<String>>>,
}

/// The status an entry has when its array leaves it out.
const DEFAULT_STATUS: &str = "mapped";

/// The longest prefix of all `urls` that ends with `/` (so that what remains of each URL is
/// still readable: a path, a `#fragment`), or `""`.
fn common_base<'a>(mut urls: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = urls.next() else {
        return String::new();
    };
    let mut len = first.len();
    for url in urls {
        len = first.as_bytes()[..len]
            .iter()
            .zip(url.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
    }
    // Bytes, not `str`: the common length may end inside a multi-byte character; `/` is
    // ASCII, so the cut after it is a character boundary.
    (first.as_bytes()[..len].iter())
        .rposition(|&b| b == b'/')
        .map_or(String::new(), |slash| first[..=slash].to_string())
}

impl From<ManifestSet> for WireSet {
    fn from(set: ManifestSet) -> WireSet {
        let source_base = common_base(set.entries.iter().map(|e| e.source_url.as_str()));
        let target_base = common_base(set.entries.iter().filter_map(|e| e.target_url.as_deref()));
        let entries = (set.entries.into_iter())
            .map(|entry| {
                let mut item = vec![
                    Some(entry.source_url[source_base.len()..].to_string()),
                    entry.target_url.map(|t| t[target_base.len()..].to_string()),
                ];
                if entry.note.is_some() || entry.status != DEFAULT_STATUS {
                    item.push(Some(entry.status));
                }
                if let Some(note) = entry.note {
                    item.push(Some(note));
                }
                item
            })
            .collect();
        WireSet {
            id: set.id,
            source: set.source,
            target: set.target,
            source_base,
            target_base,
            entries,
        }
    }
}

impl TryFrom<WireSet> for ManifestSet {
    type Error = String;

    fn try_from(wire: WireSet) -> Result<ManifestSet, String> {
        let entries = (wire.entries.into_iter().enumerate())
            .map(|(index, item)| {
                let bad = |why: &str| format!("set `{}`, entry {index}: {why}", wire.id);
                if !(2..=4).contains(&item.len()) {
                    return Err(bad("expected 2 to 4 items"));
                }
                let mut items = item.into_iter();
                let source = items.next().flatten().ok_or_else(|| bad("no source URL"))?;
                let target = items.next().flatten();
                let status = match items.next() {
                    Some(status) => status.ok_or_else(|| bad("a null status"))?,
                    None => DEFAULT_STATUS.to_string(),
                };
                Ok(ManifestEntry {
                    source_url: format!("{}{source}", wire.source_base),
                    target_url: target.map(|t| format!("{}{t}", wire.target_base)),
                    status,
                    note: items.next().flatten(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ManifestSet {
            id: wire.id,
            source: wire.source,
            target: wire.target,
            entries,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        source: &str,
        target: Option<&str>,
        status: &str,
        note: Option<&str>,
    ) -> ManifestEntry {
        ManifestEntry {
            source_url: source.to_string(),
            target_url: target.map(str::to_string),
            status: status.to_string(),
            note: note.map(str::to_string),
        }
    }

    fn set(entries: Vec<ManifestEntry>) -> ManifestSet {
        ManifestSet {
            id: "cpp-to-pc".to_string(),
            source: "CPP".to_string(),
            target: "PC".to_string(),
            entries,
        }
    }

    #[test]
    fn a_set_is_written_with_its_url_prefixes_once_and_read_back_unchanged() {
        let original = set(vec![
            entry(
                "https://cpp.azure.com/#/offers",
                Some("https://partner.microsoft.com/dashboard/offers"),
                "mapped",
                None,
            ),
            entry(
                "https://cpp.azure.com/#/publishers",
                Some("https://partner.microsoft.com/dashboard/account"),
                "mapped",
                Some("Sign in first."),
            ),
            entry(
                "https://cpp.azure.com/#/insights",
                None,
                "unsupported",
                None,
            ),
        ]);
        let json = serde_json::to_value(&original).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "cpp-to-pc", "source": "CPP", "target": "PC",
                "source_base": "https://cpp.azure.com/#/",
                "target_base": "https://partner.microsoft.com/dashboard/",
                "entries": [
                    ["offers", "offers"],
                    ["publishers", "account", "mapped", "Sign in first."],
                    ["insights", null, "unsupported"],
                ]
            })
        );
        let back: ManifestSet = serde_json::from_value(json).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn the_common_base_ends_at_a_slash_or_is_empty() {
        assert_eq!(
            common_base(["https://a.com/x/1", "https://a.com/x/2"].into_iter()),
            "https://a.com/x/"
        );
        assert_eq!(
            common_base(["https://a.com/x/"].into_iter()),
            "https://a.com/x/"
        );
        assert_eq!(common_base(["https://a.com/x", "http://b"].into_iter()), "");
        assert_eq!(common_base(["a", "b"].into_iter()), "");
        assert_eq!(common_base(std::iter::empty()), "");
        // Multi-byte characters before the split point stay whole.
        assert_eq!(
            common_base(["https://é.com/ü/a", "https://é.com/ü/b"].into_iter()),
            "https://é.com/ü/"
        );
        assert_eq!(
            common_base(["https://a.com/é", "https://a.com/è"].into_iter()),
            "https://a.com/"
        );
    }

    #[test]
    fn a_malformed_entry_is_an_error_not_a_panic() {
        for entries in [
            serde_json::json!([["only-one"]]),
            serde_json::json!([[null, "x"]]),
            serde_json::json!([["a", "b", null]]),
            serde_json::json!([["a", "b", "mapped", "note", "extra"]]),
        ] {
            let json = serde_json::json!({
                "id": "s", "source": "A", "target": "B",
                "source_base": "", "target_base": "", "entries": entries,
            });
            let error = serde_json::from_value::<ManifestSet>(json)
                .unwrap_err()
                .to_string();
            assert!(error.contains("set `s`, entry 0"), "{error}");
        }
    }
}
