//! Diff stage: two versions of a docset, each a [`Manifest`] (and, when the new one was
//! loaded from its sources, its [`Site`]) → what changed for integrators (pages, anchors,
//! mapping entries) and what the change breaks: inbound links to removed pages and anchors
//! (`removed-page-linked`, `removed-anchor-linked`) and removed pages nothing redirects
//! (`missing-redirect`).
//!
//! Link checkers look at a page's outbound links; when a page is deleted or a heading
//! renamed, the links that break are the ones pointing in. The new version's own pages,
//! its mapping tables and its redirects are where those links are known.
//!
//! Pure and linear: every lookup goes through a hash map built once.

use crate::diag::{Code, Diagnostic};
use crate::model::manifest::{mapping_changes, Manifest, ManifestPage, SetChanges};
use crate::model::site::Resolution;
use crate::model::Site;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// What changed between two versions, and the findings about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// Always 1 (the version of this JSON shape).
    pub schema_version: u32,
    /// Mapping changes, per set with at least one change, by set id.
    pub mappings: Vec<SetChanges>,
    /// Pages added and removed (URLs, sorted).
    pub pages: PageChanges,
    /// Anchors removed from pages both versions have.
    pub anchors: AnchorChanges,
    /// `removed-anchor-linked`, `removed-page-linked` and `missing-redirect` findings,
    /// sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
}

/// Pages only one version has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageChanges {
    /// URLs of pages only the new version has.
    pub added: Vec<String>,
    /// URLs of pages only the old version has.
    pub removed: Vec<String>,
}

/// Anchors only the old version defines, on pages both have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnchorChanges {
    /// `(page URL, id)` pairs, by page then document order.
    pub removed: Vec<RemovedAnchor>,
}

/// An anchor the new version of a page no longer defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedAnchor {
    /// URL of the page.
    pub page: String,
    /// The id.
    pub id: String,
}

/// Compares `old` with `new`. `new_site` is the new version's model when it was loaded from
/// its sources: its pages' links are then checked against what was removed, at their
/// file:line:column; without it only the new manifest's mapping entries and redirects are.
pub fn diff(old: &Manifest, new: &Manifest, new_site: Option<&Site>) -> Changes {
    let index = Index::new(old, new);
    let mut diagnostics = Vec::new();
    if let Some(site) = new_site {
        inbound_from_pages(site, &index, &mut diagnostics);
        inbound_from_sets(site, &index, &mut diagnostics);
    } else {
        inbound_from_manifest(new, &index, &mut diagnostics);
    }
    for page in &index.removed_pages {
        if !index.is_redirected(&page.url) {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingRedirect,
                    &page.path,
                    1,
                    1,
                    format!(
                        "{} ({}) was removed and nothing redirects it",
                        page.url, page.path
                    ),
                )
                .with_target(page.url.clone())
                .with_suggestion(redirect_suggestion(page, new)),
            );
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, a.code.as_str()).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            b.code.as_str(),
        ))
    });
    // A link in an included file is a link of every page that includes it: report it once.
    diagnostics.dedup_by(|a, b| {
        (a.code, &a.file, a.line, a.column, &a.target)
            == (b.code, &b.file, b.line, b.column, &b.target)
    });
    Changes {
        schema_version: 1,
        mappings: mapping_changes(old, new),
        pages: PageChanges {
            added: (new.pages.iter())
                .filter(|p| !index.old_by_url.contains_key(p.url.as_str()))
                .map(|p| p.url.clone())
                .collect(),
            removed: index.removed_pages.iter().map(|p| p.url.clone()).collect(),
        },
        anchors: AnchorChanges {
            removed: (index.removed_anchors.iter())
                .flat_map(|(page, ids)| {
                    ids.iter().map(|id| RemovedAnchor {
                        page: page.to_string(),
                        id: id.to_string(),
                    })
                })
                .collect(),
        },
        diagnostics,
    }
}

/// Lookups built once over both manifests.
struct Index<'a> {
    old_by_url: HashMap<&'a str, &'a ManifestPage>,
    old_by_path: HashMap<&'a str, &'a ManifestPage>,
    new_by_url: HashMap<&'a str, &'a ManifestPage>,
    /// Old pages the new version does not have, by URL.
    removed_pages: Vec<&'a ManifestPage>,
    /// Per page both have (by URL): the ids only the old version defines, in its order.
    removed_anchors: Vec<(&'a str, Vec<&'a str>)>,
    removed_anchor_set: HashSet<(&'a str, &'a str)>,
    /// Old URLs (paths) the new version redirects or maps somewhere.
    redirected: HashSet<&'a str>,
    base_path: &'a str,
    site_url: Option<&'a str>,
}

impl<'a> Index<'a> {
    fn new(old: &'a Manifest, new: &'a Manifest) -> Index<'a> {
        let old_by_url: HashMap<&str, &ManifestPage> =
            old.pages.iter().map(|p| (p.url.as_str(), p)).collect();
        let old_by_path = old.pages.iter().map(|p| (p.path.as_str(), p)).collect();
        let new_by_url: HashMap<&str, &ManifestPage> =
            new.pages.iter().map(|p| (p.url.as_str(), p)).collect();
        let removed_pages: Vec<&ManifestPage> = (old.pages.iter())
            .filter(|p| !new_by_url.contains_key(p.url.as_str()))
            .collect();
        let mut removed_anchors = Vec::new();
        let mut removed_anchor_set = HashSet::new();
        for page in &old.pages {
            let Some(now) = new_by_url.get(page.url.as_str()) else {
                continue;
            };
            let kept: HashSet<&str> = now.anchors.iter().map(String::as_str).collect();
            let gone: Vec<&str> = (page.anchors.iter())
                .map(String::as_str)
                .filter(|id| !kept.contains(id))
                .collect();
            if !gone.is_empty() {
                for id in &gone {
                    removed_anchor_set.insert((page.url.as_str(), *id));
                }
                removed_anchors.push((page.url.as_str(), gone));
            }
        }
        let mut redirected: HashSet<&str> = new.redirects.iter().map(|r| r.from.as_str()).collect();
        for page in &new.pages {
            redirected.extend(page.redirected_from.iter().map(String::as_str));
        }
        for set in &new.mappings {
            redirected.extend(
                (set.entries.iter())
                    .filter(|e| e.target_url.is_some())
                    .map(|e| e.source_url.as_str()),
            );
        }
        Index {
            old_by_url,
            old_by_path,
            new_by_url,
            removed_pages,
            removed_anchors,
            removed_anchor_set,
            redirected,
            base_path: &new.base_path,
            site_url: new.url.as_deref().filter(|u| !u.is_empty()),
        }
    }

    /// True when the new version sends the old page's URL somewhere (a redirect or a
    /// mapping entry whose source is that URL, with or without the site's origin).
    fn is_redirected(&self, url: &str) -> bool {
        if self.redirected.contains(url) {
            return true;
        }
        let bare = url.trim_end_matches('/');
        if !bare.is_empty() && self.redirected.contains(bare) {
            return true;
        }
        self.site_url
            .is_some_and(|origin| self.redirected.contains(format!("{origin}{url}").as_str()))
    }

    /// The site path and fragment of a URL the new version links to, when it is one of
    /// this docset's (`/base/x/#f`, or absolute under the site's origin).
    fn local<'u>(&self, url: &'u str) -> Option<(&'u str, Option<&'u str>)> {
        let path = match self.site_url {
            Some(origin) => url.strip_prefix(origin).unwrap_or(url),
            None => url,
        };
        if !path.starts_with(self.base_path) {
            return None;
        }
        let (path, fragment) = match path.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (path, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        Some((path, fragment.filter(|f| !f.is_empty())))
    }

    /// The finding for a link to `url#fragment`, when it names something removed.
    fn finding(
        &self,
        url: &str,
        fragment: Option<&str>,
        at: (&str, u32, u32),
        written: &str,
    ) -> Option<Diagnostic> {
        let (file, line, column) = at;
        let with_slash;
        let url = if url.ends_with('/') || self.old_by_url.contains_key(url) {
            url
        } else {
            with_slash = format!("{url}/");
            with_slash.as_str()
        };
        if !self.new_by_url.contains_key(url) {
            let old = self.old_by_url.get(url)?;
            if self.is_redirected(url) {
                return None;
            }
            return Some(self.removed_page(old, (file, line, column), written));
        }
        let fragment = fragment?;
        let old = self.old_by_url.get(url)?;
        if !self.removed_anchor_set.contains(&(url, fragment)) {
            return None;
        }
        let new = self.new_by_url.get(url)?;
        let mut d = Diagnostic::new(
            Code::RemovedAnchorLinked,
            file,
            line,
            column,
            format!("`#{fragment}` was removed from {url} and is still linked here"),
        )
        .with_target(written.to_string());
        if let Some(suggestion) = pin_suggestion(old, new, fragment) {
            d = d.with_suggestion(suggestion);
        }
        Some(d)
    }

    fn removed_page(&self, old: &ManifestPage, at: (&str, u32, u32), written: &str) -> Diagnostic {
        Diagnostic::new(
            Code::RemovedPageLinked,
            at.0,
            at.1,
            at.2,
            format!(
                "{} ({}) was removed and is still linked here",
                old.url, old.path
            ),
        )
        .with_target(written.to_string())
    }
}

/// Links of the new version's pages and tables of contents to removed pages and anchors.
fn inbound_from_pages(site: &Site, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let mut toc_links = Vec::new();
    for toc in &site.tocs {
        let mut todo: Vec<&crate::model::toc::TocEntry> = toc.entries.iter().collect();
        while let Some(entry) = todo.pop() {
            toc_links.extend(entry.href.iter().chain(entry.topic_href.iter()));
            todo.extend(entry.items.iter());
        }
    }
    // A page's links are made back from its bytes (held in memory: `diff` loads the site
    // as `check` does); the tables of contents' are borrowed.
    let page_links = (site.pages.iter())
        .flat_map(|p| {
            p.links
                .read()
                .map(|links| links.to_vec())
                .unwrap_or_default()
        })
        .map(Cow::Owned);
    for link in page_links.chain(toc_links.into_iter().map(Cow::Borrowed)) {
        let link = &*link;
        let at = (&*link.file, link.line, link.column);
        match site.resolve(link) {
            Resolution::Page {
                page: target,
                fragment,
            } => {
                let url = &site.pages[target].url;
                out.extend(index.finding(url, fragment.as_deref(), at, &link.dest));
            }
            Resolution::Missing { path, .. } => {
                let Some(old) = index
                    .old_by_path
                    .get(path.as_str())
                    .or_else(|| index.old_by_path.get(format!("{}index.md", path).as_str()))
                else {
                    continue;
                };
                if !index.is_redirected(&old.url) {
                    out.push(index.removed_page(old, at, &link.dest));
                }
            }
            _ => {}
        }
    }
}

/// Mapping entries of the new version whose target is a removed page or anchor, at the
/// line of their row.
fn inbound_from_sets(site: &Site, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    for set in &site.migration.sets {
        for e in &set.entries {
            // A target cell that is a page's link is checked with the page's links.
            if e.target_link.is_none() {
                continue;
            }
            let Some(target) = &e.target_url else {
                continue;
            };
            let Some((url, fragment)) = index.local(target) else {
                continue;
            };
            let at = (e.origin.file.as_str(), e.origin.line, 1);
            out.extend(index.finding(url, fragment, at, target));
        }
    }
}

/// Mapping entries and redirects of a new version known only by its manifest.
fn inbound_from_manifest(new: &Manifest, index: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let targets = (new.mappings.iter())
        .flat_map(|s| s.entries.iter().filter_map(|e| e.target_url.as_deref()))
        .chain(new.redirects.iter().map(|r| r.to.as_str()));
    for target in targets {
        if let Some((url, fragment)) = index.local(target) {
            out.extend(index.finding(url, fragment, ("manifest.json", 1, 1), target));
        }
    }
}

/// When the new page has, where the removed id stood, an id the old page did not have
/// (a renamed heading), how to keep the old links working.
fn pin_suggestion(old: &ManifestPage, new: &ManifestPage, removed: &str) -> Option<String> {
    let position = old.anchors.iter().position(|a| a == removed)?;
    let before: HashSet<&str> = old.anchors.iter().map(String::as_str).collect();
    let fresh: Vec<(usize, &str)> = (new.anchors.iter().enumerate())
        .map(|(i, a)| (i, a.as_str()))
        .filter(|(_, a)| !before.contains(a))
        .collect();
    let words: HashSet<&str> = removed.split('-').filter(|w| !w.is_empty()).collect();
    let shared = |id: &str| id.split('-').filter(|w| words.contains(w)).count();
    // Same position first; else the new id sharing the most words with the old one.
    let renamed = fresh
        .iter()
        .find(|(i, _)| *i == position)
        .or_else(|| {
            fresh
                .iter()
                .filter(|(_, id)| shared(id) > 0)
                .max_by_key(|(i, id)| (shared(id), std::cmp::Reverse(i.abs_diff(position))))
        })
        .map(|(_, id)| *id)?;
    Some(format!(
        "if `#{renamed}` is the renamed heading, keep the old id: end the heading with `{{#{removed}}}` or start it with `<a name=\"{removed}\"></a>`"
    ))
}

/// A redirection entry for a removed page, ready to paste into the docset's
/// `.openpublishing.redirection.json`: to a new page with the same file name when there is
/// one (a move), else to the docset's home page.
fn redirect_suggestion(old: &ManifestPage, new: &Manifest) -> String {
    let name = old.path.rsplit('/').next().unwrap_or(&old.path);
    let moved =
        (new.pages.iter()).find(|p| p.path.rsplit('/').next() == Some(name) && p.path != old.path);
    let target = moved.map_or(new.base_path.as_str(), |p| p.url.as_str());
    // Written by hand to keep the keys in the order Learn's files use.
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        "add to .openpublishing.redirection.json: {{\"source_path\": {}, \"redirect_url\": {}, \"redirect_document_id\": false}}",
        quote(&old.path),
        quote(target)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, path: &str, anchors: &[&str]) -> ManifestPage {
        ManifestPage {
            path: path.to_string(),
            url: url.to_string(),
            title: path.to_string(),
            anchors: anchors.iter().map(|a| a.to_string()).collect(),
            tabs: Vec::new(),
            redirected_from: Vec::new(),
            anchor_order: Default::default(),
        }
    }

    fn manifest(pages: Vec<ManifestPage>) -> Manifest {
        Manifest {
            schema_version: 1,
            generator: "docshift test".to_string(),
            base_path: "/docs/".to_string(),
            url: None,
            pages,
            mappings: Vec::new(),
            redirects: Vec::new(),
        }
    }

    #[test]
    fn a_renamed_heading_gets_the_pin_suggestion() {
        let old = page("/docs/a/", "a.md", &["a", "tax-forms", "payments"]);
        let new = page("/docs/a/", "a.md", &["a", "tax-documents", "payments"]);
        let hint = pin_suggestion(&old, &new, "tax-forms").unwrap();
        assert!(hint.contains("`#tax-documents`"), "{hint}");
        assert!(hint.contains("{#tax-forms}"), "{hint}");
        let gone = page("/docs/a/", "a.md", &["a", "payments"]);
        assert_eq!(pin_suggestion(&old, &gone, "tax-forms"), None);
    }

    #[test]
    fn removed_pages_without_a_redirect_are_found_once() {
        let old = manifest(vec![
            page("/docs/a/", "a.md", &[]),
            page("/docs/b/", "b.md", &[]),
        ]);
        let new = manifest(vec![page("/docs/a/", "a.md", &[])]);
        let changes = diff(&old, &new, None);
        assert_eq!(changes.pages.removed, ["/docs/b/"]);
        let codes: Vec<&str> = changes
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["missing-redirect"]);
        let mut redirected = new.clone();
        redirected.pages[0]
            .redirected_from
            .push("/docs/b/".to_string());
        assert!(diff(&old, &redirected, None).diagnostics.is_empty());
    }
}
