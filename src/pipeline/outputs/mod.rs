//! The output files of a site, computed incrementally. The set of output files is a
//! function of the site; every page's HTML carries a key of what it depends on (its parse
//! inputs, the part of the navigation it shows, where its links point), and only files
//! whose key changed are rendered again. With no previous state everything is rendered:
//! that is the full build, and the oracle every incremental result must equal.

use super::spill::NodeSpill;
use super::{stage_done, Stage};
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::export::{ManifestJson, SiteJson};
use crate::model::doc::Node;
use crate::model::Site;
use crate::output::{Contents, OutputFile, Staging};
use crate::render::lower::Fragments;
use crate::render::{nav::Nav, Renderer};
use crate::search::{IndexDelta, SearchIndex};
use crate::settings::Settings;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

mod files;

pub use files::{Delta, FileMap};

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

impl PageKey {
    /// The key of a page in a streamed build: its output path only.
    fn streamed(page: &crate::model::Page) -> Self {
        PageKey {
            output: page.output.clone(),
            body: 0,
            nav: 0,
            links: 0,
            migration: 0,
        }
    }
}

/// The rendered site plus the keys needed to tell what a later change affects. Each
/// producer's files are tracked by path, so a file a producer stops writing is removed.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    files: FileMap,
    pages: HashMap<String, PageKey>,
    /// The navigation of the last full key pass (valid while no label, weight or page
    /// path changes).
    nav: Option<Nav>,
    /// Output path of the shared navigation script last written.
    nav_script: Option<String>,

    not_found: Option<u64>,
    file_set: u64,
    /// [`sets_key`] of the model the exports were last computed from.
    sets: u64,
    /// Source paths of the pages that show the mapping explorer.
    explorers: BTreeSet<String>,
    /// Output paths of the static files and assets.
    site_paths: BTreeSet<String>,
    /// Findings of the last listing of the static files.
    site_findings: Vec<Diagnostic>,
    /// The search index kept in memory (`None` when search is off or not built yet).
    search: Option<SearchIndex>,
    /// Output paths of the search index.
    search_paths: BTreeSet<String>,
    /// Output paths of the migration exports.
    export_paths: BTreeSet<String>,
    /// The migration model the migration exports were last computed from.
    exported: Option<crate::model::Migration>,
    /// `site.json` in parts.
    site_json: Option<SiteJson>,
    /// `manifest.json` in parts.
    manifest: Option<ManifestJson>,
}

/// Which pages a round rendered and which disappeared: what an output derived from many
/// pages (the sitemap; a search index) needs to update itself.
#[derive(Debug, Clone, Default)]
struct PageChanges {
    /// Indices into `Site::pages` of the pages rendered in this round.
    rendered: Vec<usize>,
    /// Source paths of pages that no longer exist.
    removed: Vec<String>,
    /// True when derived outputs must be computed from the whole site.
    all: bool,
    /// A rendered page changed its date (the sitemap shows dates).
    dates_changed: bool,
}

/// What a round changed, as far as the outputs can tell.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Anything may have changed: every page's key is computed again. A full build is this
    /// round on an empty [`Rendered`].
    Everything,
    /// Only the pages `changed` (indices into `Site::pages`) were parsed again, in a round
    /// in which the set of content files and the navigation did not change; `update` says
    /// what else changed.
    Pages {
        /// The re-parsed pages.
        changed: &'a [usize],
        /// What else changed.
        update: Update<'a>,
    },
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
    /// The navigation script keeps a fixed name (see [`crate::pipeline::BuildOptions::live`]).
    pub live: bool,
    /// Told how many pages are rendered.
    pub progress: &'a dyn crate::pipeline::Progress,
    /// A one-shot full build: every file is written here as soon as it is produced and not
    /// kept (pages straight from the parallel render), so memory does not grow with the
    /// site's output. The state is then not usable for a later in-place round.
    pub sink: Option<&'a Staging>,
    /// With a sink: the pages' document nodes, taken out of the site (see [`TakenNodes`]),
    /// each dropped once its page is rendered and indexed.
    pub nodes: Option<&'a TakenNodes>,
}

/// The document nodes of a one-shot build's pages, taken out of the site before the render
/// so that each page's can be dropped as soon as the page is rendered and indexed for search
/// (the render and the index read them in one pass, see [`PageStream`]): the nodes are most
/// of a parsed page, and the whole site's need not be held while the index grows. The
/// pages whose nodes a later output reads (FAQ answers and API-change impacts in the
/// exports; every table cell in a `full` `site.json`) keep theirs in the site.
#[derive(Debug, Default)]
pub struct TakenNodes {
    /// By page index; `None`: kept in the site, spilled, or already dropped.
    slots: Vec<Mutex<Option<Vec<Node>>>>,
    /// The nodes of the pages that were kept on disk since their parse.
    spill: Option<Arc<NodeSpill>>,
}

impl TakenNodes {
    /// Takes the nodes of every page whose nodes nothing reads after its own render and
    /// index out of `site` (their `Doc`'s other fields stay); `spill` holds the nodes of
    /// pages that were kept on disk since their parse (read back into the site for the
    /// pages whose nodes a later output reads).
    pub(in crate::pipeline) fn take_from(
        site: &mut Site,
        spill: Option<Arc<NodeSpill>>,
    ) -> Result<TakenNodes> {
        let full = site.config.site_json == crate::settings::SiteJsonDetail::Full;
        let migration = &site.migration;
        let read_later: BTreeSet<String> = (migration.faq.iter())
            .map(|f| f.page.clone())
            .chain(
                (migration.api_changes.iter())
                    .filter_map(|a| a.impact.as_ref().map(|f| f.page.clone())),
            )
            .collect();
        let mut slots = Vec::with_capacity(site.pages.len());
        for page in &mut site.pages {
            // A full `site.json` shows every table cell's HTML, from every page's nodes.
            let kept = full || read_later.contains(&page.path);
            if let (true, Some(spill)) = (kept, &spill) {
                if let Some(nodes) = spill.take(&page.path) {
                    page.doc.nodes = nodes?;
                }
            }
            let spilled = spill.as_ref().is_some_and(|s| s.holds(&page.path));
            let taken = (!kept && !spilled).then(|| std::mem::take(&mut page.doc.nodes));
            slots.push(Mutex::new(taken));
        }
        Ok(TakenNodes { slots, spill })
    }

    /// True when pages' nodes are kept on disk (a large site).
    fn spills(&self) -> bool {
        self.spill.is_some()
    }

    /// Takes the nodes of page `i` at `path` (`Ok(None)`: they are in the site).
    fn take(&self, i: usize, path: &str) -> Result<Option<Vec<Node>>> {
        let slot = self.slots.get(i);
        if let Some(nodes) = slot.and_then(|s| s.lock().unwrap_or_else(|e| e.into_inner()).take()) {
            return Ok(Some(nodes));
        }
        match &self.spill {
            Some(spill) => spill.take(path).transpose(),
            None => Ok(None),
        }
    }
}

/// The export files of a streamed build, written to its sink as they are made; the paths
/// are kept to record them as written.
struct SinkExports<'a> {
    sink: &'a Staging,
    paths: Mutex<Vec<String>>,
}

impl SinkExports<'_> {
    fn record(&self, path: String) {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path);
    }
}

impl crate::export::ExportSink for SinkExports<'_> {
    fn put(&self, file: OutputFile) {
        self.sink.write(&file);
        self.record(file.path);
    }

    fn put_stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        self.sink.write_stream(&path, |w| fill(w));
        self.record(path);
    }
}

/// A streamed build's page render, done as the search index reads each page's nodes (or in
/// one parallel pass when search is off): each page is rendered, written, indexed and its
/// taken nodes dropped by one worker, in one go.
struct PageStream<'a> {
    site: &'a Site,
    inputs: &'a RenderInputs<'a>,
    sink: &'a Staging,
    nav: &'a Nav,
    /// By page index: the page is to be rendered (its key changed).
    render: Vec<bool>,
    /// The first render error, by page index.
    error: Mutex<Option<(usize, crate::error::Error)>>,
}

impl PageStream<'_> {
    /// Renders and writes page `i` if due, then hands its nodes to `read`; nodes taken out
    /// of the site are dropped after that.
    fn lend(&self, i: usize, read: &mut dyn FnMut(&[Node])) {
        let site = self.site;
        let taken = match self.inputs.nodes.map(|n| n.take(i, &site.pages[i].path)) {
            Some(Err(e)) => {
                self.fail(i, e);
                return read(&[]);
            }
            Some(Ok(taken)) => taken,
            None => None,
        };
        let nodes = taken.as_deref().unwrap_or(&site.pages[i].doc.nodes);
        if self.render.get(i).copied().unwrap_or(false) {
            let html = (self.inputs.renderer).render_page_from(
                site,
                self.nav,
                i,
                nodes,
                head_extra(site, i),
            );
            match html {
                Ok(html) => self
                    .sink
                    .write(&OutputFile::text(site.pages[i].output.clone(), html)),
                Err(e) => self.fail(i, e),
            }
            self.inputs.progress.advance();
        }
        read(nodes);
    }

    /// Keeps the error of page `i` if it is the first, by page index.
    fn fail(&self, i: usize, e: crate::error::Error) {
        let mut first = self.error.lock().unwrap_or_else(|e| e.into_inner());
        if first.as_ref().is_none_or(|(at, _)| i < *at) {
            *first = Some((i, e));
        }
    }

    /// Renders every due page (for a site without search, whose index would otherwise do it).
    fn render_all(&self) {
        (0..self.site.pages.len())
            .into_par_iter()
            .for_each(|i| self.lend(i, &mut |_| {}));
    }

    /// The first render error, if any.
    fn finish(self) -> Result<()> {
        match self.error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

impl Rendered {
    /// Every output file.
    pub fn files(&self) -> &FileMap {
        &self.files
    }

    /// Findings of the render (static files that could not be listed).
    pub fn findings(&self) -> &[Diagnostic] {
        &self.site_findings
    }

    /// Consumes the state into a list of files (without copying their contents).
    pub fn into_files(self) -> Vec<OutputFile> {
        self.files
            .into_values()
            .map(|f| Arc::try_unwrap(f).unwrap_or_else(|shared| (*shared).clone()))
            .collect()
    }

    /// Brings every output file up to date with `site` after the change `scope` describes,
    /// rendering only the pages whose key changed, and returns what changed. On `Err` the
    /// state is only partly updated: drop it (the next round starts from nothing).
    pub fn render(
        &mut self,
        site: &Site,
        inputs: &RenderInputs<'_>,
        scope: Scope<'_>,
    ) -> Result<Delta> {
        if inputs.sink.is_some() {
            // Streamed files are not kept: start from nothing and render everything.
            *self = Rendered::default();
        }
        // An in-place round needs the navigation of an earlier full key pass.
        let scope = match scope {
            Scope::Pages { .. } if self.nav.is_none() => Scope::Everything,
            other => other,
        };
        let (changed, update) = match scope {
            Scope::Everything => (None, None),
            Scope::Pages { changed, update } => (Some(changed), Some(update)),
        };
        // The exports show the HTML of FAQ answers and API-change impacts: a change to a
        // page they come from changes them even when the model reads the same.
        let migration_changed = changed.is_none_or(|changed| {
            self.exported.as_ref() != Some(&site.migration)
                || (changed.iter()).any(|&i| site.migration.shows_page(&site.pages[i].path))
        });
        // A streamed build keeps no state for a later round, so the keys it would compare
        // there are not computed (the mapping sets' key is a serial pass over all of them).
        if migration_changed && inputs.sink.is_none() {
            self.sets = sets_key(site);
        }
        let mut delta = Delta::default();
        let mut files = std::mem::take(&mut self.files);
        let mut out = files::Writer {
            files: &mut files,
            delta: &mut delta,
            changed_sources: inputs.changed_sources,
            sink: inputs.sink,
        };
        let result = self.render_into(site, inputs, changed, update, migration_changed, &mut out);
        self.files = files;
        result.map(|()| delta)
    }

    fn render_into(
        &mut self,
        site: &Site,
        inputs: &RenderInputs<'_>,
        changed: Option<&[usize]>,
        update: Option<Update<'_>>,
        migration_changed: bool,
        out: &mut files::Writer<'_>,
    ) -> Result<()> {
        let changes = self.render_pages(site, inputs, changed, out)?;
        out.delta.pages_rendered = changes.rendered.len();
        // A streamed build renders its pages here, as the search index reads them: each
        // page's nodes are read once and dropped (see `TakenNodes`).
        let mut index = None;
        if let Some(sink) = inputs.sink {
            let nav = self
                .nav
                .take()
                .unwrap_or_else(|| unreachable!("set by a full round"));
            let mut render = vec![false; site.pages.len()];
            for &i in &changes.rendered {
                render[i] = true;
            }
            let stream = PageStream {
                site,
                inputs,
                sink,
                nav: &nav,
                render,
                error: Mutex::new(None),
            };
            if site.config.search {
                // A site large enough to keep its nodes on disk keeps its search postings
                // there too (without a scratch file, in memory).
                let scratch = (inputs.nodes)
                    .is_some_and(TakenNodes::spills)
                    .then(|| sink.scratch_file().ok())
                    .flatten();
                let lend = |i: usize, read: &mut dyn FnMut(&[Node])| stream.lend(i, read);
                // Each group of pages' result chunks is written as soon as it is encoded.
                let write = |file: crate::search::IndexFile| {
                    sink.write(&OutputFile {
                        path: file.path,
                        contents: Contents::Bytes(file.bytes),
                    });
                };
                let files = SearchIndex::files_lending(site, &lend, scratch, Some(&write));
                index = Some(files.map_err(|source| crate::error::Error::Write {
                    path: inputs.settings.output.join("search"),
                    source,
                })?);
            } else {
                stream.render_all();
            }
            let finished = stream.finish();
            self.nav = Some(nav);
            finished?;
        }
        stage_done(Stage::Render);
        let changes = PageChanges {
            dates_changed: changes.all || update.is_some_and(|u| u.dates_changed),
            ..changes
        };
        if changes.all || update.is_some_and(|u| u.statics_changed) {
            let (fresh, findings) = crate::render::site_files(
                &inputs.settings.root.join("static"),
                &inputs.settings.content,
                site,
            );
            out.replace_all(&mut self.site_paths, fresh);
            self.site_findings = findings;
        }
        // The sitemap protocol requires absolute <loc> URLs: without `url` there is no
        // origin to give them, so no sitemap is written (a relative one would be invalid).
        let sitemap_due = changes.all || changes.dates_changed || !changes.removed.is_empty();
        if sitemap_due && !site.config.url.is_empty() {
            out.put(OutputFile::text(
                "sitemap.xml",
                crate::export::sitemap_xml(site),
            ));
        }
        self.refresh_search(site, &changes, migration_changed, index, out);
        stage_done(Stage::SearchFiles);
        let fragments = Fragments { site };
        if migration_changed {
            match inputs.sink {
                // Written as they are made: a large mapping set's files are megabytes each.
                Some(sink) => {
                    let streamed = SinkExports {
                        sink,
                        paths: Mutex::new(Vec::new()),
                    };
                    crate::export::write_export_files(site, &fragments, &streamed);
                    let paths = streamed
                        .paths
                        .into_inner()
                        .unwrap_or_else(|e| e.into_inner());
                    for path in &paths {
                        out.written(path);
                    }
                    self.export_paths = paths.into_iter().collect();
                }
                None => {
                    let exports = crate::export::export_files(site, &fragments);
                    out.replace_all(&mut self.export_paths, exports);
                }
            }
            // Kept to tell whether a later round changed the model: not for a streamed build.
            if inputs.sink.is_none() {
                self.exported = Some(site.migration.clone());
            }
        }
        stage_done(Stage::Exports);
        // A streamed build writes the manifest as it is encoded, beside `site.json` when
        // there is one (a serial pass over the pages, done meanwhile).
        let write_manifest = |sink: &Staging| {
            sink.write_stream("manifest.json", |w| {
                crate::export::write_manifest_json(site, w)
            });
        };
        if site.config.site_json == crate::settings::SiteJsonDetail::Off {
            self.site_json = None;
            if let Some(sink) = inputs.sink {
                write_manifest(sink);
            }
        } else if let Some(sink) = inputs.sink {
            // Written as encoded: its parts are kept only to update it in place.
            rayon::join(
                || sink.write_stream("site.json", |w| SiteJson::write(site, &fragments, w)),
                || write_manifest(sink),
            );
            out.written("site.json");
        } else {
            let site_json = match (&mut self.site_json, update) {
                (Some(json), Some(update)) => {
                    json.update(site, &fragments, update.rechecked, migration_changed);
                    json
                }
                (json, _) => json.insert(SiteJson::build(site, &fragments)),
            };
            out.put(site_json.file());
        }
        if inputs.sink.is_some() {
            out.written("manifest.json");
        } else {
            // Any page edit can change it (a heading id, a title): kept in parts, so a round
            // re-encodes the entries of the pages it re-parsed.
            let manifest = match (&mut self.manifest, update) {
                (Some(manifest), Some(update)) if !migration_changed => {
                    let parsed = changed.iter().flat_map(|c| c.iter().copied());
                    let pages: BTreeSet<usize> =
                        parsed.chain(update.rechecked.iter().copied()).collect();
                    manifest.update(site, &pages);
                    manifest.file()
                }
                (manifest, _) => manifest.insert(ManifestJson::build(site)).file(),
            };
            out.put(manifest);
        }
        stage_done(Stage::SiteJson);
        for path in update.iter().flat_map(|u| u.content_changed) {
            out.touch_copy(path);
        }
        Ok(())
    }

    /// Renders the pages whose key changed (every page's key in a full round; the changed
    /// pages' and the explorer pages' otherwise) and the 404 page.
    fn render_pages(
        &mut self,
        site: &Site,
        inputs: &RenderInputs<'_>,
        changed: Option<&[usize]>,
        out: &mut files::Writer<'_>,
    ) -> Result<PageChanges> {
        let mut removed = Vec::new();
        let keys: Vec<(usize, PageKey)> = match changed {
            None => {
                let nav = Nav::new(site, inputs.live);
                let file_set = hash_of((
                    site.pages.iter().map(|p| &p.path).collect::<Vec<_>>(),
                    site.assets.iter().map(|a| &a.path).collect::<Vec<_>>(),
                    &site.fragments,
                    &site.unbuilt,
                ));
                // Every page of a streamed build is rendered and its keys are never
                // compared (the state is not used for a later round): only the output
                // path is kept, sparing every link's resolution for a key.
                let keys = (0..site.pages.len())
                    .into_par_iter()
                    .map(|i| match inputs.sink {
                        Some(_) => (i, PageKey::streamed(&site.pages[i])),
                        None => (i, self.page_key(site, &nav, i, file_set, inputs)),
                    })
                    .collect();
                removed = (self.pages.keys())
                    .filter(|path| site.page_by_path(path).is_none())
                    .cloned()
                    .collect();
                removed.sort();
                for path in &removed {
                    if let Some(key) = self.pages.remove(path) {
                        out.remove(&key.output);
                    }
                }
                self.explorers = (site.pages.par_iter())
                    .filter(|p| shows_explorer(p))
                    .map(|p| p.path.clone())
                    .collect();
                // Its name may be fixed (serve): write it whenever the tree changed.
                let (path, script) = nav.script_file();
                if let Some(old) = self.nav_script.take().filter(|old| old != path) {
                    out.remove(&old);
                }
                out.put(OutputFile::text(path.to_string(), script.to_string()));
                self.nav_script = Some(path.to_string());
                self.nav = Some(nav);
                self.file_set = file_set;
                keys
            }
            Some(changed) => {
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
                let which: BTreeSet<usize> = changed.iter().copied().chain(explorers).collect();
                which
                    .into_iter()
                    .map(|i| (i, self.changed_page_key(site, i, inputs)))
                    .collect()
            }
        };
        let dirty: Vec<(usize, PageKey)> = keys
            .into_iter()
            .filter(|(i, key)| self.pages.get(&site.pages[*i].path) != Some(key))
            .collect();
        let nav = self
            .nav
            .as_ref()
            .unwrap_or_else(|| unreachable!("set above"));
        inputs
            .progress
            .start(crate::pipeline::Step::Render, dirty.len());
        // With a sink each page is rendered and written later, by the thread that indexes it
        // (see `PageStream`), so neither the site's HTML nor its nodes sit in memory at once
        // (`None`: written there).
        let fresh: Vec<(usize, PageKey, Option<String>)> = match inputs.sink {
            Some(_) => dirty.into_iter().map(|(i, key)| (i, key, None)).collect(),
            None => dirty
                .into_par_iter()
                .map(|(i, key)| {
                    let html = inputs
                        .renderer
                        .render_page(site, nav, i, head_extra(site, i))?;
                    inputs.progress.advance();
                    Ok((i, key, Some(html)))
                })
                .collect::<Result<_>>()?,
        };
        let mut rendered = Vec::with_capacity(fresh.len());
        for (i, key, html) in fresh {
            let page = &site.pages[i];
            if let Some(old) = self.pages.insert(page.path.clone(), key) {
                if old.output != page.output {
                    out.remove(&old.output);
                }
            }
            match html {
                Some(html) => out.put(OutputFile::text(page.output.clone(), html)),
                None => out.written(&page.output),
            }
            rendered.push(i);
        }
        let all = changed.is_none();
        if all {
            let not_found = nav.key_for(site, None);
            if self.not_found != Some(not_found) || !out.files.contains_key("404.html") {
                let html = inputs.renderer.render_not_found(site, nav)?;
                out.put(OutputFile::text("404.html", html));
                self.not_found = Some(not_found);
            }
            // A site without a root page still answers at its address. (When a root page
            // appears it writes `index.html` itself; when it goes, this takes its place.)
            if crate::render::nav::home_page(site).is_none() && !site.pages.is_empty() {
                let html = inputs.renderer.render_generated_home(site, nav)?;
                out.put(OutputFile::text("index.html", html));
            }
        }
        Ok(PageChanges {
            rendered,
            removed,
            all,
            dates_changed: false,
        })
    }

    /// The key of page `i` in a full round: its parse inputs, the navigation it shows and
    /// where its links point. Link targets are resolved again only when the set of files
    /// changed or the page did.
    fn page_key(
        &self,
        site: &Site,
        nav: &Nav,
        i: usize,
        file_set: u64,
        inputs: &RenderInputs<'_>,
    ) -> PageKey {
        let page = &site.pages[i];
        let body = (inputs.body_key)(&page.path);
        let old =
            (self.pages.get(&page.path)).filter(|k| self.file_set == file_set && k.body == body);
        let links = match old {
            Some(k) => k.links,
            None => links_key(site, page),
        };
        PageKey {
            output: page.output.clone(),
            body,
            nav: nav.key_for(site, Some(i)),
            links,
            migration: migration_key(page, self.sets),
        }
    }

    /// The key of page `i` in an in-place round: the navigation is the one it had.
    fn changed_page_key(&self, site: &Site, i: usize, inputs: &RenderInputs<'_>) -> PageKey {
        let page = &site.pages[i];
        PageKey {
            output: page.output.clone(),
            body: (inputs.body_key)(&page.path),
            nav: self.pages.get(&page.path).map_or(0, |k| k.nav),
            links: links_key(site, page),
            migration: migration_key(page, self.sets),
        }
    }

    /// Brings the search index up to date: re-indexes the pages rendered in this round (and
    /// those whose migration results moved), or builds it from scratch when there is none
    /// yet or the set of pages changed; no index and no files when search is off. A streamed
    /// build passes the index it `built` while rendering.
    fn refresh_search(
        &mut self,
        site: &Site,
        changes: &PageChanges,
        migration_changed: bool,
        built: Option<IndexDelta>,
        out: &mut files::Writer<'_>,
    ) {
        let delta = if !site.config.search {
            self.search = None;
            IndexDelta {
                complete: true,
                ..IndexDelta::default()
            }
        } else {
            match &mut self.search {
                // A changed list of pages is detected by the index itself.
                Some(index) => index.update(site, &changes.rendered, migration_changed),
                // Written as it is: the index is kept only to update it in place (`serve`),
                // so with a sink it is moved into its files.
                None if out.sink.is_some() => {
                    built.unwrap_or_else(|| SearchIndex::build(site).into_complete())
                }
                None => self.search.insert(SearchIndex::build(site)).complete(),
            }
        };
        out.delta.pages_indexed = delta.pages;
        let fresh = delta.changed.into_iter().map(|f| OutputFile {
            path: f.path,
            contents: Contents::Bytes(f.bytes),
        });
        if delta.complete {
            out.replace_all(&mut self.search_paths, fresh.collect());
            // Already in the sink (only a streamed build's index writes its own files).
            for path in delta.written {
                out.written(&path);
                self.search_paths.insert(path);
            }
        } else {
            for gone in delta.removed {
                out.remove(&gone);
                self.search_paths.remove(&gone);
            }
            for file in fresh {
                self.search_paths.insert(file.path.clone());
                out.put(file);
            }
        }
    }
}

/// Where the links of `page` point: a kept round's pages hold their links in memory (only
/// a one-shot build, which keeps no keys, stows them), so the read does not fail.
fn links_key(site: &Site, page: &crate::model::Page) -> u64 {
    let links = page
        .links
        .read()
        .map(|links| links.to_vec())
        .unwrap_or_default();
    hash_of(links.iter().map(|l| site.href(l)).collect::<Vec<_>>())
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A key of what the mapping explorer shows: the site's mapping sets and the titles of the
/// pages they come from.
fn sets_key(site: &Site) -> u64 {
    let titles: Vec<Option<&str>> = (site.migration.sets.iter())
        .map(|s| {
            let page = site.page_by_path(s.page.as_deref()?)?;
            Some(site.pages[page].title.as_str())
        })
        .collect();
    hash_of((
        serde_json::to_string(&site.migration.sets).unwrap_or_default(),
        titles,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::SiteLocation;

    #[test]
    fn nodes_a_later_output_reads_come_back_into_the_site_and_the_others_come_from_disk() {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).expect("folder");
        std::fs::write(
            content.join("faq.md"),
            "---\nms.topic: faq\n---\n# FAQ\n\n## Where did offers go?\n\nTo Partner Center.\n",
        )
        .expect("page");
        std::fs::write(content.join("plain.md"), "# Plain\n\nText.\n").expect("page");
        let settings = crate::Settings::load(&SiteLocation {
            root: Some(dir.path().to_path_buf()),
            ..Default::default()
        })
        .expect("settings");
        let (mut site, _, _) = crate::pipeline::load_site(&settings).expect("load");
        assert_eq!(site.migration.faq.len(), 1);
        let faq = site.page_by_path("faq.md").expect("faq");
        let plain = site.page_by_path("plain.md").expect("plain");
        let (faq_nodes, plain_nodes) = (
            site.pages[faq].doc.nodes.clone(),
            site.pages[plain].doc.nodes.clone(),
        );
        // Both pages spilled, as if the FAQ had not been known to be one at parse time.
        let file = tempfile::tempfile().expect("scratch file");
        let spill = NodeSpill::new(Arc::new(crate::model::stow::Stow::new(file)));
        for i in [faq, plain] {
            assert!(spill.put(&site.pages[i].path, &site.pages[i].doc.nodes));
            site.pages[i].doc.nodes = Vec::new();
        }
        let taken = TakenNodes::take_from(&mut site, Some(Arc::new(spill))).expect("taken");
        assert_eq!(
            site.pages[faq].doc.nodes, faq_nodes,
            "the exports read them"
        );
        assert!(site.pages[plain].doc.nodes.is_empty());
        assert_eq!(taken.take(faq, "faq.md").expect("read"), None);
        let read = taken.take(plain, "plain.md").expect("read");
        assert_eq!(read, Some(plain_nodes));
        assert_eq!(
            taken.take(plain, "plain.md").expect("read"),
            None,
            "read once"
        );
    }
}
