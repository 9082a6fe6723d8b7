//! The output files of a site, computed incrementally. The set of output files is a
//! function of the site; every page's HTML carries a key of what it depends on (its parse
//! inputs, the part of the navigation it shows, where its links point), and only files
//! whose key changed are rendered again. With no previous state everything is rendered:
//! that is the full build, and the oracle every incremental result must equal.

use crate::error::Result;
use crate::export::SiteJson;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::render::lower::Fragments;
use crate::render::{highlight, nav::Nav, Renderer, DEFAULT_STATIC};
use crate::search::{IndexDelta, SearchIndex};
use crate::settings::Settings;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

/// Every output file by output path (`guide/setup/index.html`).
pub type FileMap = BTreeMap<String, Arc<OutputFile>>;

/// What one page's HTML was rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageKey {
    output: String,
    body: u64,
    nav: u64,
    links: u64,
    /// The mapping sets, for pages that show the mapping explorer (0 for the others).
    migration: u64,
}

/// The rendered site plus the keys needed to tell what a later change affects.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    files: FileMap,
    pages: HashMap<String, PageKey>,
    /// Output paths of the static files and assets.
    site_paths: BTreeSet<String>,
    /// The navigation of the last full key pass (valid while no label, weight or page
    /// path changes).
    nav: Option<Nav>,
    /// Output paths of the migration exports (recomputed every round).
    export_paths: BTreeSet<String>,
    /// Source paths of the pages that show the mapping explorer.
    explorers: BTreeSet<String>,
    not_found: Option<u64>,
    file_set: u64,
    /// The search index kept in memory (`None` when search is off or not built yet).
    search: Option<SearchIndex>,
    /// `site.json` in parts.
    site_json: Option<SiteJson>,
    /// The migration model the migration exports were last computed from.
    exported: Option<crate::model::Migration>,
    /// [`sets_key`] of that model.
    sets: u64,
}

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

/// Which pages a round rendered and which disappeared: what an output derived from many
/// pages (the sitemap; a search index) needs to update itself.
#[derive(Debug, Clone, Default)]
pub struct PageChanges {
    /// Indices into `Site::pages` of the pages rendered in this round (all of them in a
    /// full build).
    pub rendered: Vec<usize>,
    /// Source paths of pages that no longer exist.
    pub removed: Vec<String>,
    /// True when derived outputs must be computed from the whole site (no previous state,
    /// or the set of pages changed).
    pub all: bool,
    /// A rendered page changed its date (the sitemap shows dates).
    pub dates_changed: bool,
}

/// What an in-place update knows besides the re-rendered pages.
#[derive(Debug, Clone, Copy)]
pub struct Update<'a> {
    /// A re-rendered page changed its date.
    pub dates_changed: bool,
    /// A file in the site's `static/` folder changed, appeared or disappeared.
    pub statics_changed: bool,
    /// Changed content files (content-relative), for copied assets.
    pub content_changed: &'a BTreeSet<String>,
    /// Pages whose links were checked again (the changed pages and the pages linking to
    /// them): where their links point may have changed.
    pub rechecked: &'a BTreeSet<usize>,
}

/// What a render reads besides the site.
pub struct RenderInputs<'a> {
    /// Folders.
    pub settings: &'a Settings,
    /// Templates, built once per session.
    pub renderer: &'a Renderer,
    /// The key of a page's parse inputs by source path (equal keys: equal body).
    pub body_key: &'a (dyn Fn(&str) -> u64 + Sync),
    /// Source files (absolute) reported changed: copies of them count as changed output.
    pub changed_sources: &'a BTreeSet<PathBuf>,
}

impl Rendered {
    /// Every output file.
    pub fn files(&self) -> &FileMap {
        &self.files
    }

    /// Consumes the state into a list of files (without copying their contents).
    pub fn into_files(self) -> Vec<OutputFile> {
        self.files
            .into_values()
            .map(|f| Arc::try_unwrap(f).unwrap_or_else(|shared| (*shared).clone()))
            .collect()
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Renders what changed since `prev` (everything when `prev` is `None`). The search index
/// kept in `prev` moves to the result (if this fails, the next round builds it again).
pub fn render(
    prev: Option<&mut Rendered>,
    site: &Site,
    inputs: &RenderInputs<'_>,
) -> Result<(Rendered, Delta)> {
    let mut prev = prev;
    let mut search_state = prev.as_deref_mut().and_then(|p| p.search.take());
    let prev = prev.map(|p| &*p);
    let nav = Nav::new(site);
    let file_set = hash_of((
        site.pages.iter().map(|p| &p.path).collect::<Vec<_>>(),
        site.assets.iter().map(|a| &a.path).collect::<Vec<_>>(),
        &site.fragments,
        &site.unbuilt,
    ));
    let sets = sets_key(site);
    let keys: Vec<PageKey> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| page_key(prev, site, &nav, i, file_set, inputs, sets))
        .collect();
    let dirty: Vec<usize> = (0..site.pages.len())
        .filter(|&i| prev.and_then(|p| p.pages.get(&site.pages[i].path)) != Some(&keys[i]))
        .collect();
    let mut files = render_pages(site, &nav, &dirty, inputs)?;
    let mut pages = HashMap::with_capacity(site.pages.len());
    for (page, key) in site.pages.iter().zip(keys) {
        if !files.contains_key(&page.output) {
            if let Some(old) = prev.and_then(|p| p.files.get(&page.output)) {
                files.insert(page.output.clone(), old.clone());
            }
        }
        pages.insert(page.path.clone(), key);
    }
    let not_found = nav.key_for(None, "");
    let page_404 = match prev.filter(|p| p.not_found == Some(not_found)) {
        Some(p) if p.files.contains_key("404.html") => p.files["404.html"].clone(),
        _ => Arc::new(OutputFile::text(
            "404.html",
            inputs.renderer.render_not_found(site, &nav)?,
        )),
    };
    files.insert("404.html".to_string(), page_404);
    let changes = PageChanges {
        removed: prev.map(|p| removed_pages(p, site)).unwrap_or_default(),
        all: true,
        dates_changed: true,
        rendered: dirty,
    };
    let mut site_paths = BTreeSet::new();
    for file in site_files(inputs.settings, site) {
        site_paths.insert(file.path.clone());
        files.insert(file.path.clone(), Arc::new(file));
    }
    for file in derived_files(site, &changes) {
        files.insert(file.path.clone(), Arc::new(file));
    }
    let search_delta = refresh_search(site, &mut search_state, &changes, true);
    let pages_indexed = search_delta.pages;
    if let Some(p) = prev.filter(|_| !search_delta.complete) {
        let removed: BTreeSet<&str> = search_delta.removed.iter().map(String::as_str).collect();
        for (path, file) in p.files.range::<str, _>((
            std::ops::Bound::Included("search/"),
            std::ops::Bound::Excluded("search0"),
        )) {
            if !removed.contains(path.as_str()) {
                files.insert(path.clone(), file.clone());
            }
        }
    }
    for f in search_delta.changed {
        files.insert(
            f.path.clone(),
            Arc::new(OutputFile {
                path: f.path,
                contents: Contents::Bytes(f.bytes),
            }),
        );
    }
    let explorers: BTreeSet<String> = site
        .pages
        .par_iter()
        .filter(|p| shows_explorer(p))
        .map(|p| p.path.clone())
        .collect();
    let mut export_paths = BTreeSet::new();
    let fragments = Fragments { site };
    for file in crate::export::export_files(site, &fragments) {
        export_paths.insert(file.path.clone());
        files.insert(file.path.clone(), Arc::new(file));
    }
    let site_json = SiteJson::build(site, &fragments);
    files.insert("site.json".to_string(), Arc::new(site_json.file()));
    let next = Rendered {
        files,
        pages,
        site_paths,
        nav: Some(nav),
        export_paths,
        explorers,
        not_found: Some(not_found),
        file_set,
        search: search_state,
        site_json: Some(site_json),
        exported: Some(site.migration.clone()),
        sets,
    };
    let mut delta = diff(prev.map(|p| &p.files), &next.files, inputs.changed_sources);
    delta.pages_rendered = changes.rendered.len();
    delta.pages_indexed = pages_indexed;
    Ok((next, delta))
}

/// Renders pages `which` into output files.
fn render_pages(
    site: &Site,
    nav: &Nav,
    which: &[usize],
    inputs: &RenderInputs<'_>,
) -> Result<FileMap> {
    let fresh: Vec<(usize, String)> = which
        .par_iter()
        .map(|&i| {
            inputs
                .renderer
                .render_page(site, nav, i, head_extra(site, i))
                .map(|html| (i, html))
        })
        .collect::<Result<_>>()?;
    Ok(fresh
        .into_iter()
        .map(|(i, html)| {
            let output = site.pages[i].output.clone();
            (output.clone(), Arc::new(OutputFile::text(output, html)))
        })
        .collect())
}

/// Source paths of the pages of `prev` that `site` no longer has, sorted.
fn removed_pages(prev: &Rendered, site: &Site) -> Vec<String> {
    let mut gone: Vec<String> = prev
        .pages
        .keys()
        .filter(|path| site.page_by_path(path).is_none())
        .cloned()
        .collect();
    gone.sort();
    gone
}

impl Rendered {
    /// Renders pages `changed` again in place. Only for rounds in which the set of content
    /// files and the navigation did not change: then no other page's key can have changed
    /// (see [`render`]), and the work is proportional to the change. `update` says what else
    /// changed.
    pub fn update(
        &mut self,
        site: &Site,
        inputs: &RenderInputs<'_>,
        changed: &[usize],
        update: &Update<'_>,
    ) -> Result<Delta> {
        // The exports show the HTML of FAQ answers and API-change impacts: a change to a
        // page they come from changes them even when the model reads the same.
        let migration_changed = self.exported.as_ref() != Some(&site.migration)
            || (changed.iter()).any(|&i| site.migration.shows_page(&site.pages[i].path));
        let sets = if migration_changed {
            sets_key(site)
        } else {
            self.sets
        };
        self.sets = sets;
        // Pages that show the mapping explorer depend on every page's mapping tables.
        for &i in changed {
            let page = &site.pages[i];
            if shows_explorer(page) {
                self.explorers.insert(page.path.clone());
            } else {
                self.explorers.remove(&page.path);
            }
        }
        let explorers = self.explorers.iter().filter_map(|p| site.page_by_path(p));
        let changed: BTreeSet<usize> = changed.iter().copied().chain(explorers).collect();
        let keys: Vec<(usize, PageKey)> = changed
            .iter()
            .map(|&i| {
                let page = &site.pages[i];
                let nav = self.pages.get(&page.path).map_or(0, |k| k.nav);
                let links = hash_of(page.links.iter().map(|l| site.href(l)).collect::<Vec<_>>());
                let body = (inputs.body_key)(&page.path);
                let key = PageKey {
                    output: page.output.clone(),
                    body,
                    nav,
                    links,
                    migration: migration_key(page, sets),
                };
                (i, key)
            })
            .filter(|(i, key)| self.pages.get(&site.pages[*i].path) != Some(key))
            .collect();
        let fresh: Vec<(usize, PageKey, String)> = keys
            .into_par_iter()
            .map(|(i, key)| {
                let nav = self.nav.as_ref().expect("set by every full key pass");
                inputs
                    .renderer
                    .render_page(site, nav, i, head_extra(site, i))
                    .map(|html| (i, key, html))
            })
            .collect::<Result<_>>()?;
        let mut delta = Delta::default();
        let mut changes = PageChanges {
            dates_changed: update.dates_changed,
            ..Default::default()
        };
        for (i, key, html) in fresh {
            let page = &site.pages[i];
            let file = Arc::new(OutputFile::text(page.output.clone(), html));
            if let Some(old) = self.files.insert(page.output.clone(), file.clone()) {
                if !same_contents(&old, &file, inputs.changed_sources) {
                    delta.changed.insert(page.output.clone());
                }
            }
            self.pages.insert(page.path.clone(), key);
            changes.rendered.push(i);
        }
        delta.pages_rendered = changes.rendered.len();
        // The migration exports depend on the migration model and the configuration only
        // (the configuration is the same in an in-place round).
        let exports = if !migration_changed {
            Vec::new()
        } else {
            let exports = crate::export::export_files(site, &Fragments { site });
            let paths: BTreeSet<String> = exports.iter().map(|f| f.path.clone()).collect();
            for gone in self.export_paths.difference(&paths) {
                self.files.remove(gone);
                delta.removed.insert(gone.clone());
            }
            self.export_paths = paths;
            self.exported = Some(site.migration.clone());
            exports
        };
        let fragments = Fragments { site };
        let site_json = (self.site_json).get_or_insert_with(|| SiteJson::build(site, &fragments));
        site_json.update(site, &fragments, update.rechecked, migration_changed);
        let exports = exports.into_iter().chain(std::iter::once(site_json.file()));
        let derived = derived_files(site, &changes);
        let search = refresh_search(site, &mut self.search, &changes, migration_changed);
        delta.pages_indexed = search.pages;
        let stale: Vec<String> = if search.complete {
            let fresh: BTreeSet<&str> = search.changed.iter().map(|f| f.path.as_str()).collect();
            self.files
                .range::<str, _>((
                    std::ops::Bound::Included("search/"),
                    std::ops::Bound::Excluded("search0"),
                ))
                .map(|(p, _)| p)
                .filter(|p| !fresh.contains(p.as_str()))
                .cloned()
                .collect()
        } else {
            search.removed
        };
        for gone in stale {
            if self.files.remove(&gone).is_some() {
                delta.removed.insert(gone);
            }
        }
        let search_files = search.changed.into_iter().map(|f| OutputFile {
            path: f.path,
            contents: Contents::Bytes(f.bytes),
        });
        for file in derived.into_iter().chain(search_files).chain(exports) {
            let file = Arc::new(file);
            if let Some(old) = self.files.insert(file.path.clone(), file.clone()) {
                if !same_contents(&old, &file, inputs.changed_sources) {
                    delta.changed.insert(file.path.clone());
                }
            }
        }
        if update.statics_changed {
            self.update_site_files(site, inputs, &mut delta);
        }
        for path in update.content_changed {
            if matches!(
                self.files.get(path).map(|f| &f.contents),
                Some(Contents::Copy(_))
            ) {
                delta.changed.insert(path.clone());
            }
        }
        Ok(delta)
    }

    /// Lists the static files and assets again (a file in `static/` changed).
    fn update_site_files(&mut self, site: &Site, inputs: &RenderInputs<'_>, delta: &mut Delta) {
        let fresh = site_files(inputs.settings, site);
        let paths: BTreeSet<String> = fresh.iter().map(|f| f.path.clone()).collect();
        for gone in self.site_paths.difference(&paths) {
            self.files.remove(gone);
            delta.removed.insert(gone.clone());
        }
        for file in fresh {
            let file = Arc::new(file);
            let same = self
                .files
                .get(&file.path)
                .is_some_and(|old| same_contents(old, &file, inputs.changed_sources));
            if !same {
                delta.changed.insert(file.path.clone());
            }
            self.files.insert(file.path.clone(), file);
        }
        self.site_paths = paths;
    }
}

/// The key of page `i`: its parse inputs, the navigation it shows and where its links point.
/// Link targets are resolved again only when the set of files changed or the page did.
fn page_key(
    prev: Option<&Rendered>,
    site: &Site,
    nav: &Nav,
    i: usize,
    file_set: u64,
    inputs: &RenderInputs<'_>,
    sets: u64,
) -> PageKey {
    let page = &site.pages[i];
    let body = (inputs.body_key)(&page.path);
    let old = prev
        .filter(|p| p.file_set == file_set)
        .and_then(|p| p.pages.get(&page.path))
        .filter(|k| k.body == body);
    let links = match old {
        Some(k) => k.links,
        None => hash_of(page.links.iter().map(|l| site.href(l)).collect::<Vec<_>>()),
    };
    PageKey {
        output: page.output.clone(),
        body,
        nav: nav.key_for(Some(i), &page.path),
        links,
        migration: migration_key(page, sets),
    }
}

/// A key of the site's mapping sets (what the mapping explorer shows).
fn sets_key(site: &Site) -> u64 {
    hash_of(serde_json::to_string(&site.migration.sets).unwrap_or_default())
}

/// True when the page shows the mapping explorer.
fn shows_explorer(page: &crate::model::Page) -> bool {
    page.doc.shows_mapping_explorer
}

/// The part of a page's key that depends on the mapping sets.
fn migration_key(page: &crate::model::Page, sets: u64) -> u64 {
    if shows_explorer(page) {
        sets
    } else {
        0
    }
}

/// Extra `<head>` HTML of page `i`: schema.org `FAQPage` data for FAQ pages.
fn head_extra(site: &Site, i: usize) -> String {
    crate::export::faq_json_ld(site, &Fragments { site }, &site.pages[i].path)
}

/// Outputs derived from the pages as a whole, recomputed when `changes` says they may
/// differ: the sitemap.
fn derived_files(site: &Site, changes: &PageChanges) -> Vec<OutputFile> {
    let mut files = Vec::new();
    if changes.all || changes.dates_changed || !changes.removed.is_empty() {
        files.push(OutputFile::text("sitemap.xml", super::sitemap(site)));
    }
    files
}

/// Brings the search index in `state` up to date: re-indexes the pages rendered in this
/// round (and those whose migration results moved), or builds it from scratch when there
/// is none yet or the set of pages changed. `None` and no files when search is off.
/// `migration_changed`: the migration model may differ from the last round's.
fn refresh_search(
    site: &Site,
    state: &mut Option<SearchIndex>,
    changes: &PageChanges,
    migration_changed: bool,
) -> IndexDelta {
    if !site.config.search {
        *state = None;
        return IndexDelta {
            complete: true,
            ..IndexDelta::default()
        };
    }
    match state {
        // A changed list of pages is detected by the index itself.
        Some(index) => index.update(site, &changes.rendered, migration_changed),
        None => state.insert(SearchIndex::build(site)).complete(),
    }
}

/// Static files and assets: copies, listed again when the set of files may have changed.
fn site_files(settings: &Settings, site: &Site) -> Vec<OutputFile> {
    let mut files = vec![OutputFile::text(
        "static/syntax.css",
        highlight::stylesheet(),
    )];
    let own_static = settings.root.join("static");
    for (name, text) in DEFAULT_STATIC {
        if !own_static.join(name).is_file() {
            files.push(OutputFile::text(format!("static/{name}"), text));
        }
    }
    if own_static.is_dir() {
        for entry in walkdir::WalkDir::new(&own_static)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(&own_static) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    files.push(OutputFile {
                        path: format!("static/{rel}"),
                        contents: Contents::Copy(entry.path().to_path_buf()),
                    });
                }
            }
        }
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.path.clone(),
            contents: Contents::Copy(settings.content.join(&asset.path)),
        });
    }
    files
}

/// Output paths whose contents differ between two renders.
fn diff(old: Option<&FileMap>, new: &FileMap, changed_sources: &BTreeSet<PathBuf>) -> Delta {
    let mut delta = Delta::default();
    for (path, file) in new {
        let same = old
            .and_then(|o| o.get(path))
            .is_some_and(|before| same_contents(before, file, changed_sources));
        if !same {
            delta.changed.insert(path.clone());
        }
    }
    if let Some(old) = old {
        delta.removed = old
            .keys()
            .filter(|p| !new.contains_key(*p))
            .cloned()
            .collect();
    }
    delta
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
