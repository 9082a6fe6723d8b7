//! A build session: the one path from sources to output files that `build`, `check` and
//! `serve` share. A session keeps the previous round's model in memory (sources with their
//! stamps, parsed pages, the assembled site, the rendered files), so a later round re-reads
//! only the files it is told changed, re-parses only pages whose inputs changed, re-runs the
//! (pure) check, and re-renders only the affected outputs. `build` is a session with no
//! previous state.

mod fast;
mod steps;

use super::outputs::{Delta, FileMap, RenderInputs, Rendered, Scope, TakenNodes};
use super::sources::{self, parse_one, Generated, PageTexts, ParsedPage, Sources};
use super::spill::NodeSpill;
use super::{apply_severity, stage_done, BuildOptions, Stage};
use crate::check::{check_mapping_targets, check_page, merge_checks, PageCheck};
use crate::diag::{Code, Diagnostic, Severity};
use crate::discover::{discover, Inventory};
use crate::error::{Error, Result};
use crate::migration::{parse_data_file, DataFile};
use crate::model::stow::Stow;
use crate::model::{Asset, LinkCounts, Page, Site};
use crate::output::Staging;
use crate::render::Renderer;
use crate::settings::Settings;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use steps::{assemble, parse_stale, DataFiles, Read};

/// What changed since the previous round, as far as the caller knows.
#[derive(Debug, Clone)]
pub enum Change {
    /// Anything may have changed (first round, configuration or templates): start over.
    Everything,
    /// Only these files changed; every other file is as it was.
    Files(ChangedFiles),
}

/// Changed files, relative to their folder, `/`-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedFiles {
    /// Under the content folder (pages, fragments, assets, or folders).
    pub content: BTreeSet<String>,
    /// Under the site's `static/` folder.
    pub statics: BTreeSet<String>,
}

/// The outcome of one round.
#[derive(Debug)]
pub struct Round {
    /// Every finding, severity overrides applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Link counts.
    pub counts: LinkCounts,
    /// Pages in the site.
    pub pages: usize,
    /// Markdown files that could not be built at all.
    pub failed_pages: usize,
    /// Pages built from their body alone because their front matter is invalid (an error
    /// finding each): the site is written, and `build` still fails.
    pub degraded_pages: usize,
    /// `None` when the round failed (no new output: the previous files stay current).
    pub delta: Option<Delta>,
}

/// Parse findings (`Ok`) or the reason a page cannot be built (`Err`), by page path.
type PageOutcomes = BTreeMap<String, Result<Vec<Diagnostic>, Diagnostic>>;

/// The model of the previous round, with the indices that let a later round find what a
/// change affects without looking at every page.
struct State {
    inventory: Inventory,
    sources: Sources,
    /// The YAML data files, their generated Markdown, and every page path (Markdown pages
    /// and data files that are pages), sorted.
    data: DataFiles,
    /// PageOutcomes of the migration stage (data files, mapping tables, drift).
    migration_findings: Vec<Diagnostic>,
    /// PageOutcomes of the mapping targets that point into the site.
    target_findings: Vec<Diagnostic>,
    /// Findings of the tables of contents' links.
    toc_findings: Vec<Diagnostic>,
    parsed: HashMap<String, ParsedPage>,
    /// Pages whose parse, or whose build failure, produced findings (path order).
    page_outcomes: PageOutcomes,
    /// File → pages whose parse read it (includes).
    dependents: HashMap<String, BTreeSet<String>>,
    site: Site,
    /// Check results, indexed like `site.pages`.
    checks: Vec<PageCheck>,
    /// Page → pages with links to it, indexed like `site.pages`.
    linkers: Linkers,
}

/// Page → the pages with links to it, each list sorted and without repeats. Lists rather
/// than sets: a page has a few dozen linkers, and a B-tree set's nodes held three to four
/// times their entries' bytes (4 MiB at 10,000 pages).
#[derive(Debug, Default)]
struct Linkers(Vec<Vec<usize>>);

impl Linkers {
    /// The linkers of every page, from each page's check (its link targets), indexed like
    /// `checks`.
    fn new(checks: &[PageCheck]) -> Linkers {
        let mut linkers = Linkers(vec![Vec::new(); checks.len()]);
        // In page order, so each insertion is at the end of its list.
        for (i, check) in checks.iter().enumerate() {
            for &t in &check.targets {
                linkers.insert(t, i);
            }
        }
        linkers
    }

    /// The pages with links to page `t`, in page order.
    fn of(&self, t: usize) -> &[usize] {
        self.0.get(t).map_or(&[], Vec::as_slice)
    }

    /// Records a link from page `i` to page `t`.
    fn insert(&mut self, t: usize, i: usize) {
        if let Some(list) = self.0.get_mut(t) {
            if let Err(at) = list.binary_search(&i) {
                list.insert(at, i);
            }
        }
    }

    /// Forgets the links from page `i` to page `t`.
    fn remove(&mut self, t: usize, i: usize) {
        if let Some(list) = self.0.get_mut(t) {
            if let Ok(at) = list.binary_search(&i) {
                list.remove(at);
            }
        }
    }
}

impl State {
    /// Drops what only a later round of the session reads: each page's parse inputs and
    /// check, the reverse link index and the includes' dependents. For a one-shot build,
    /// once its round's findings are collected: its next round, if any, starts from
    /// nothing (see `Session::rebuild`), and the render that follows is the build's peak
    /// (peak RSS at 20,202 pages 194-196 -> 181 MiB, at 10,102 pages 125-127 -> 124-126).
    fn release_later_rounds(&mut self) {
        self.parsed = HashMap::default();
        self.checks = Vec::new();
        self.linkers = Linkers::default();
        self.dependents = HashMap::default();
    }

    /// The outcome of a round that ends here (no output yet).
    fn round(&self) -> Round {
        let (diagnostics, counts, failed_pages) = self.all_findings();
        let degraded_pages = (diagnostics.iter())
            .filter(|d| d.code == Code::InvalidFrontMatter && d.severity == Severity::Error)
            .filter(|d| self.site.page_by_path(&d.file).is_some())
            .count();
        Round {
            pages: self.site.pages.len(),
            diagnostics,
            counts,
            failed_pages,
            degraded_pages,
            delta: None,
        }
    }

    /// Every finding (severity overrides applied, sorted), link counts, failed pages.
    fn all_findings(&self) -> (Vec<Diagnostic>, LinkCounts, usize) {
        let (mut all, failed) = self.load_findings();
        let (found, counts) = merge_checks(&self.checks);
        all.extend(found);
        all.extend(crate::check::check_home_page(&self.site));
        (apply_severity(&self.site, all), counts, failed)
    }

    /// Builds the migration model again from the site and the data files, and checks the
    /// mapping targets it holds.
    fn refresh_migration(&mut self) {
        let (migration, found) = crate::migration::extract(&self.site, &self.data.files);
        self.site.migration = migration;
        self.migration_findings = found;
        self.check_mapping_targets();
    }

    /// Checks the mapping targets that no page links to again (their pages' anchors
    /// changed).
    fn check_mapping_targets(&mut self) {
        self.target_findings = check_mapping_targets(&self.site);
    }

    /// Checks the tables of contents' links again (a page's anchors changed).
    fn check_tocs(&mut self) {
        self.toc_findings = crate::check::check_tocs(&self.site);
    }

    /// Load and parse findings (as found, unsorted) and the number of failed pages.
    fn load_findings(&self) -> (Vec<Diagnostic>, usize) {
        let mut all = self.inventory.diagnostics.clone();
        for path in &self.inventory.fragments {
            if let Some(Err(d)) = self.sources.loaded(path) {
                all.push(d);
            }
        }
        let files = (self.inventory.pages.iter())
            .chain(&self.inventory.fragments)
            .chain(&self.inventory.data);
        for path in files {
            all.extend(self.sources.nul_finding(path).cloned());
        }
        let mut failed = self.data.files.iter().filter(|d| d.failed()).count();
        for d in &self.data.files {
            all.extend(d.diagnostics.iter().cloned());
        }
        all.extend(self.migration_findings.iter().cloned());
        all.extend(self.target_findings.iter().cloned());
        all.extend(self.data.toc_findings.iter().cloned());
        all.extend(self.toc_findings.iter().cloned());
        for result in self.page_outcomes.values() {
            match result {
                Ok(diags) => all.extend(diags.iter().cloned()),
                Err(d) => {
                    failed += 1;
                    all.push(d.clone());
                }
            }
        }
        (all, failed)
    }

    /// Checks page `i` again and keeps the reverse link index in step.
    fn set_check(&mut self, i: usize, check: PageCheck) {
        for &t in &self.checks[i].targets {
            self.linkers.remove(t, i);
        }
        for &t in &check.targets {
            self.linkers.insert(t, i);
        }
        self.checks[i] = check;
    }
}

/// A build session; see the module documentation.
pub struct Session {
    settings: Settings,
    options: BuildOptions,
    /// Drop render-only data after parsing (for `check`, which never renders).
    model_only: bool,
    /// The checked model of the last round that could be loaded.
    state: Option<State>,
    /// The templates and the output files of the last round that rendered.
    output: Option<Output>,
    /// Told how the long steps go (a progress bar on a terminal).
    progress: std::sync::Arc<dyn super::Progress>,
    /// Where a full build writes its files as they are produced (see [`Session::stream_to`]).
    sink: Option<Arc<Staging>>,
    /// The state of the round whose site [`Session::take_site`] took: never read again,
    /// only freed with the session.
    spent: Option<State>,
    /// The last round was streamed and dropped its pages' nodes as it rendered them: its
    /// state cannot serve an in-place round, so the next round starts over.
    streamed: bool,
    /// A one-shot build's pages' nodes, kept on disk from each page's parse to its render
    /// (see [`NodeSpill`]); made by the load, taken by the render.
    spill: Option<Arc<NodeSpill>>,
}

/// The render side of a session: templates loaded once, and the files of the last round
/// that rendered (`None` when rendering failed since the templates were loaded).
struct Output {
    renderer: Renderer,
    rendered: Option<Rendered>,
}

impl Session {
    /// A session with no previous state.
    pub fn new(settings: Settings, options: BuildOptions) -> Session {
        Session {
            settings,
            options,
            model_only: false,
            state: None,
            output: None,
            progress: std::sync::Arc::new(super::NoProgress),
            sink: None,
            spent: None,
            streamed: false,
            spill: None,
        }
    }

    /// Tells `progress` how parsing and rendering go.
    pub fn with_progress(mut self, progress: std::sync::Arc<dyn super::Progress>) -> Session {
        self.progress = progress;
        self
    }

    /// Writes the files of the next round into `staging` as they are produced instead of
    /// keeping them: a one-shot build holds no page in memory after writing it. The
    /// session's output state is then incomplete, so this is for a single full round
    /// (`build`), never for a session that goes on with in-place rounds (`serve`).
    pub fn stream_to(&mut self, staging: Arc<Staging>) {
        self.sink = Some(staging);
    }

    /// Stops writing into the staging folder of [`Session::stream_to`] and lets go of the
    /// session's share of it, so that the caller can commit it.
    pub fn stop_streaming(&mut self) {
        self.sink = None;
    }

    /// A session that only loads and checks: each page's render-only data (`Page::doc`)
    /// is dropped right after parsing, to keep memory down on large sites.
    pub fn model_only(mut self) -> Session {
        self.model_only = true;
        self
    }

    /// The options in use.
    pub fn options(&self) -> BuildOptions {
        self.options
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The site of the last round that could be loaded.
    pub fn site(&self) -> Option<&Site> {
        self.state.as_ref().map(|s| &s.site)
    }

    /// The output files of the last successful round.
    pub fn files(&self) -> Option<&FileMap> {
        let rendered = self.output.as_ref()?.rendered.as_ref()?;
        Some(rendered.files())
    }

    /// Loads and parses only; returns the site, the load and parse findings (as found, no
    /// severity overrides) and the number of pages that could not be built.
    pub fn load_only(mut self) -> Result<(Site, Vec<Diagnostic>, usize)> {
        let state = self.load(&Change::Everything)?;
        let (found, failed) = state.load_findings();
        Ok((state.site, found, failed))
    }

    /// Moves the output files of the last successful round out of the session (its
    /// templates stay): the next round renders every file again.
    pub fn take_rendered(&mut self) -> Option<Rendered> {
        self.output.as_mut()?.rendered.take()
    }

    /// Moves the site of the last round out of the session. The rest of that round's state
    /// (sources, parse and check results) stays in the session unused: the next round starts
    /// from nothing, as in a new session. Freeing it is left to the session's drop, which a
    /// process about to exit can skip (see `docshift check`).
    pub fn take_site(&mut self) -> Option<Site> {
        let mut state = self.state.take()?;
        let empty = Site::new(
            state.site.config.clone(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        let site = std::mem::replace(&mut state.site, empty);
        self.spent = Some(state);
        Some(site)
    }

    /// Consumes the session into its output files and site.
    pub fn into_parts(self) -> (Option<Rendered>, Option<Site>) {
        (
            self.output.and_then(|o| o.rendered),
            self.state.map(|s| s.site),
        )
    }

    /// Loads, checks and renders what `change` affects. `Err` is fatal for this round (bad
    /// configuration, missing content folder, template error); the previous state is kept.
    pub fn rebuild(&mut self, change: &Change) -> Result<Round> {
        let change = match std::mem::take(&mut self.streamed) {
            true => &Change::Everything,
            false => change,
        };
        if let Change::Files(files) = change {
            if let Some(round) = self.rebuild_in_place(files)? {
                return Ok(round);
            }
        }
        let mut state = self.load(change)?;
        let spill = self.spill.take();
        let round = state.round();
        if self.sink.is_some() {
            // A one-shot build (see `stream_to`): the round's findings are collected and
            // rendering never reads a source, so the texts need not stay for the render.
            state.sources.release();
        }
        let fails =
            round.failed_pages > 0 || (self.options.strict && !round.diagnostics.is_empty());
        let round = if fails {
            Ok(round)
        } else if self.sink.is_some() {
            // Each page's nodes are dropped once the page is rendered and indexed.
            self.streamed = true;
            state.release_later_rounds();
            match TakenNodes::take_from(&mut state.site, spill) {
                Ok(nodes) => self.render(&state, change, Some(&nodes), round),
                Err(e) => Err(e),
            }
        } else {
            self.render(&state, change, None, round)
        };
        self.state = Some(state);
        round
    }

    /// Loads and checks only (what `check` needs): no templates, no rendering.
    pub fn check(&mut self) -> Result<Round> {
        let state = self.load(&Change::Everything)?;
        let round = state.round();
        self.state = Some(state);
        Ok(round)
    }

    /// Renders `state` after `change` into the round's output: every page's key is
    /// computed again (templates are loaded again after a full change or a failure).
    fn render(
        &mut self,
        state: &State,
        change: &Change,
        nodes: Option<&TakenNodes>,
        round: Round,
    ) -> Result<Round> {
        let mut output = match self.output.take() {
            Some(output) if !matches!(change, Change::Everything) => output,
            // A failed template load is retried (and reported) on every later round.
            _ => Output {
                renderer: Renderer::new(Some(&self.settings.root.join("templates")))?,
                rendered: None,
            },
        };
        let files = match change {
            Change::Everything => None,
            Change::Files(files) => Some(files),
        };
        let round = render_round(
            &self.settings,
            RenderKnobs {
                live: self.options.live,
                progress: self.progress.as_ref(),
                sink: self.sink.as_deref(),
                nodes,
            },
            &mut output,
            state,
            files,
            Scope::Everything,
            round,
        );
        self.output = Some(output);
        round
    }

    /// The named steps of a round, each taking what the one before produced: discover the
    /// files, load them, parse the pages (reusing every parse whose inputs did not change),
    /// assemble the site, run the migration stage, check. Returns the checked state; the
    /// session's previous state is consumed.
    fn load(&mut self, change: &Change) -> Result<State> {
        if matches!(change, Change::Everything) && self.state.is_some() {
            self.settings = self.settings.reload()?;
            self.state = None;
        }
        let content = self.settings.content.clone();
        match std::fs::metadata(&content) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(Error::NotAFolder {
                    what: "content",
                    path: content,
                })
            }
            Err(_) => {
                return Err(Error::MissingFolder {
                    what: "content",
                    path: content,
                })
            }
        }
        let config = &self.settings.config;
        let prev = self.state.take();
        let changed = match change {
            Change::Files(files) if prev.is_some() => Some(&files.content),
            _ => None,
        };
        // discover
        let inventory = match (&prev, changed) {
            (Some(p), Some(ch)) if !changes_file_set(&p.inventory, ch, &content) => {
                p.inventory.clone()
            }
            _ => {
                let mut inv = discover(&content, config);
                inv.diagnostics
                    .extend(self.settings.findings.iter().cloned());
                inv.pages.sort();
                inv.fragments.sort();
                inv.assets.sort();
                inv.data.sort();
                inv.tocs.sort();
                inv
            }
        };
        let (mut sources, mut parsed, mut pages) = match prev {
            Some(p) => {
                let pages: HashMap<String, Page> = p
                    .site
                    .pages
                    .into_iter()
                    .map(|pg| (pg.path.clone(), pg))
                    .collect();
                (p.sources, p.parsed, pages)
            }
            None => Default::default(),
        };
        let model_only = self.model_only;
        // A one-shot build (see `stream_to`) and a model-only round (`check`, whose report
        // reads its excerpts from disk) read each page's text only to parse it: the parse
        // reads it, and it is released once the page is parsed.
        let release_texts = self.sink.is_some() || model_only;
        let page_texts = match release_texts {
            // The build's choice to spill below weighs the pages' sizes.
            true => PageTexts::OnDemand {
                sized: self.sink.is_some(),
            },
            false => PageTexts::Now,
        };
        // load
        sources.refresh(&content, &inventory, changed, page_texts);
        let data = DataFiles::load(&inventory, &sources, &config.base_path);
        // parse
        parsed.retain(|path, _| data.page_paths.binary_search(path).is_ok());
        let base_path = config.base_path.as_str();
        // A one-shot build of a large site keeps each page's nodes on disk until the page is
        // rendered, unless the migration stage reads them before that (or `site.json` shows
        // every page's tables). Without a scratch file they stay in memory, as in any other
        // round.
        let spill_from = (self.options.spill_nodes_from).unwrap_or(super::SPILL_FROM_BYTES);
        let spill = match &self.sink {
            Some(sink)
                if config.site_json != crate::settings::SiteJsonDetail::Full
                    && sources.total_len(&data.page_paths) >= spill_from =>
            {
                sink.scratch_file()
                    .ok()
                    .map(|f| Arc::new(NodeSpill::new(Arc::new(Stow::new(f)))))
            }
            _ => None,
        };
        let generated = &data.generated;
        parse_stale(
            self.progress.as_ref(),
            &data.page_paths,
            &sources,
            &mut parsed,
            &mut pages,
            |path| {
                let (inputs, mut result) = parse_one(path, &sources, generated, base_path);
                if let (true, Ok((page, _))) = (model_only, &mut result) {
                    // Dropped per page, so the whole site's event streams never coexist.
                    page.doc = Default::default();
                }
                if let (Some(spill), Ok((page, _))) = (&spill, &mut result) {
                    let from_yaml = generated.pages.contains_key(path);
                    // The page's links and tables go to the same file: each reader (the
                    // migration stage, the check, the render, `site.json`) reads a page's
                    // back when it comes to that page. A page whose nodes an export reads
                    // keeps its links and tables beside them, for the export's HTML of its
                    // pieces.
                    if !crate::migration::reads_nodes_of(page, from_yaml, config)
                        && spill.put(path, &page.doc.nodes)
                    {
                        page.doc.nodes = Vec::new();
                        page.links.stow(spill.stow());
                        page.tables.stow(spill.stow());
                    }
                }
                if release_texts {
                    sources.release_text(path);
                }
                (inputs, result)
            },
        );
        self.spill = spill;
        stage_done(Stage::Parse);
        let read = Read {
            inventory,
            sources,
            data,
        };
        let migrated = assemble(config, read, parsed, pages).migrate();
        stage_done(Stage::Migration);
        let checked = migrated.check();
        stage_done(Stage::Check);
        Ok(checked)
    }
}

/// The session's render settings that [`render_round`] passes on.
#[derive(Clone, Copy)]
struct RenderKnobs<'a> {
    /// See [`BuildOptions::live`].
    live: bool,
    /// Told how many pages are rendered.
    progress: &'a dyn super::Progress,
    /// Written as produced instead of kept (see [`Session::stream_to`]).
    sink: Option<&'a Staging>,
    /// With a sink: the pages' nodes taken out of the site (see [`TakenNodes`]).
    nodes: Option<&'a TakenNodes>,
}

/// Renders `state` into `output` after the change `scope` describes (`files`: the changed
/// files, if the caller knows them) and completes `round` with the delta and the render's
/// findings. On `Err` the output state is dropped: the next round renders everything.
fn render_round(
    settings: &Settings,
    knobs: RenderKnobs<'_>,
    output: &mut Output,
    state: &State,
    files: Option<&ChangedFiles>,
    scope: Scope<'_>,
    mut round: Round,
) -> Result<Round> {
    let changed_sources = files.map_or_else(BTreeSet::new, |f| changed_sources(settings, f));
    let body_key = |path: &str| state.parsed.get(path).map_or(0, |p| p.inputs.key());
    let inputs = RenderInputs {
        settings,
        renderer: &output.renderer,
        body_key: &body_key,
        changed_sources: &changed_sources,
        live: knobs.live,
        progress: knobs.progress,
        sink: knobs.sink,
        nodes: knobs.nodes,
    };
    let mut rendered = output.rendered.take().unwrap_or_default();
    let delta = rendered.render(&state.site, &inputs, scope)?;
    let found = rendered.findings();
    if !found.is_empty() {
        round
            .diagnostics
            .extend(apply_severity(&state.site, found.to_vec()));
        crate::diag::sort_diagnostics(&mut round.diagnostics);
    }
    round.delta = Some(delta);
    output.rendered = Some(rendered);
    Ok(round)
}

/// The files a change names, as absolute paths (content and static files).
fn changed_sources(settings: &Settings, files: &ChangedFiles) -> BTreeSet<PathBuf> {
    let statics = settings.root.join("static");
    files
        .content
        .iter()
        .map(|p| settings.content.join(p))
        .chain(files.statics.iter().map(|p| statics.join(p)))
        .collect()
}

fn is_listed(list: &[String], path: &str) -> bool {
    list.binary_search_by(|p| p.as_str().cmp(path)).is_ok()
}

/// True when a change may add or remove files: a changed path that is listed but no longer
/// a file, or not listed but present, or a folder of listed files. A path neither listed nor
/// present (an editor's temporary file, renamed away already) changes nothing.
fn changes_file_set(
    inv: &Inventory,
    changed: &BTreeSet<String>,
    content: &std::path::Path,
) -> bool {
    changed.iter().any(|p| {
        let listed = is_listed(&inv.pages, p)
            || is_listed(&inv.fragments, p)
            || is_listed(&inv.assets, p)
            || is_listed(&inv.data, p)
            || is_listed(&inv.tocs, p);
        let on_disk = content.join(p);
        if listed {
            // A YAML page that names another schema now stops being a page: discovery
            // decides that from its first line.
            let yaml_page = sources::is_yaml_path(p) && is_listed(&inv.pages, p);
            return yaml_page || !on_disk.is_file();
        }
        if on_disk.exists() {
            return true;
        }
        let folder = format!("{p}/");
        [
            &inv.pages,
            &inv.fragments,
            &inv.assets,
            &inv.data,
            &inv.tocs,
        ]
        .iter()
        .any(|list| {
            let at = list.partition_point(|f| f.as_str() < folder.as_str());
            list.get(at).is_some_and(|f| f.starts_with(&folder))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::SiteLocation;

    /// Each page's linkers stay sorted and without repeats through a page's checks
    /// replacing each other, as a set would keep them.
    #[test]
    fn linkers_follow_checks_like_sets() {
        let check = |targets: Vec<usize>| PageCheck {
            targets,
            ..PageCheck::default()
        };
        let mut linkers = Linkers::new(&[check(vec![1, 2]), check(vec![2]), check(vec![1])]);
        assert_eq!(linkers.of(1), [0, 2]);
        assert_eq!(linkers.of(2), [0, 1]);
        assert_eq!(linkers.of(0), [] as [usize; 0]);
        assert_eq!(linkers.of(9), [] as [usize; 0], "no such page");
        // Page 2 now links to pages 0 and 2 instead of page 1; page 1 links to page 2 twice.
        linkers.remove(1, 2);
        linkers.insert(0, 2);
        linkers.insert(2, 2);
        linkers.insert(2, 1);
        linkers.insert(9, 1);
        linkers.remove(9, 1);
        assert_eq!(linkers.of(0), [2]);
        assert_eq!(linkers.of(1), [0]);
        assert_eq!(linkers.of(2), [0, 1, 2]);
        linkers.remove(2, 1);
        linkers.remove(2, 1);
        assert_eq!(linkers.of(2), [0, 2]);
    }

    #[test]
    fn a_check_releases_each_page_text_once_parsed_and_reads_an_included_page_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("guide")).expect("folder");
        // `b.md` includes `a.md`, whose text the check releases once `a.md` is parsed (pages
        // parse in parallel, so the include may come before or after that).
        std::fs::write(
            content.join("guide/a.md"),
            "# A\n\n## Shared part\n\nText.\n",
        )
        .expect("page");
        std::fs::write(
            content.join("guide/b.md"),
            "# B\n\n[!INCLUDE [a](a.md)]\n\n[part](#shared-part) [gone](#nowhere)\n",
        )
        .expect("page");
        let settings = crate::Settings::load(&SiteLocation {
            root: Some(dir.path().to_path_buf()),
            ..Default::default()
        })
        .expect("settings");
        let (checked, session) = crate::pipeline::check_only_keeping_session(
            &settings,
            Arc::new(crate::pipeline::NoProgress),
        )
        .expect("check");
        let broken: Vec<(&str, u32, Option<&str>)> = (checked.diagnostics.iter())
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.file.as_str(), d.line, d.target.as_deref()))
            .collect();
        // The include expanded (its heading is an anchor of `b`); only the missing one is
        // reported.
        assert_eq!(broken, [("guide/b.md", 5, Some("#nowhere"))]);
        let sources = &session.spent.as_ref().expect("the checked state").sources;
        // `a.md` may be held again: read back for the include if `b.md` was parsed after it.
        assert!(!sources.holds_text("guide/b.md"));
    }

    /// A site in a temporary folder whose content folder holds `files` (path, text), and
    /// its settings (output in `public` beside the content).
    fn site_of(files: &[(&str, &str)]) -> (tempfile::TempDir, crate::Settings) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join("content").join(path);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
            std::fs::write(path, text).expect("file");
        }
        let settings = crate::Settings::load(&SiteLocation {
            root: Some(dir.path().to_path_buf()),
            output: Some(dir.path().join("public")),
            ..Default::default()
        })
        .expect("settings");
        (dir, settings)
    }

    #[test]
    fn a_one_shot_build_keeps_on_disk_the_nodes_only_its_render_reads() {
        let pages = [
            ("guide/plain.md", "# Plain\n\nSee [FAQ](faq.md).\n"),
            (
                "guide/moves.md",
                "# Moves\n\n| Area | Old portal link | New portal link |\n|---|---|---|\n| Offers | <https://old.example.com/offers> | [offers](https://new.example.com/offers) |\n",
            ),
            (
                "guide/faq.md",
                "---\nms.topic: faq\n---\n# FAQ\n\n## Where did offers go?\n\nTo Partner Center.\n",
            ),
            (
                "guide/api.md",
                "# API\n\n| API | Change description | Impact |\n|---|---|---|\n| `GET /offers` | Renamed | Use **v2** |\n",
            ),
        ];
        let (_dir, settings) = site_of(&pages);
        let staging = Arc::new(Staging::begin(&settings.output).expect("staging"));
        let small = BuildOptions::default();
        let mut session = Session::new(settings.clone(), small);
        session.stream_to(Arc::clone(&staging));
        session.load(&Change::Everything).expect("load");
        assert!(
            session.spill.is_none(),
            "a small site's nodes stay in memory"
        );
        let spilling = BuildOptions {
            spill_nodes_from: Some(1),
            ..small
        };
        let mut session = Session::new(settings, spilling);
        session.stream_to(Arc::clone(&staging));
        let state = session.load(&Change::Everything).expect("load");
        let spill = session.spill.as_ref().expect("a one-shot build spills");
        // The migration stage read the FAQ answers and the API impacts after the parse.
        assert!(spill.holds("guide/plain.md"));
        assert!(!spill.holds("guide/faq.md"));
        assert!(!spill.holds("guide/api.md"));
        let nodes_of = |path: &str| {
            let i = state.site.page_by_path(path).expect("page");
            &state.site.pages[i].doc.nodes
        };
        assert!(nodes_of("guide/plain.md").is_empty());
        assert!(!nodes_of("guide/faq.md").is_empty());
        assert!(!nodes_of("guide/api.md").is_empty());
        assert_eq!(state.site.migration.faq.len(), 1);
        assert_eq!(state.site.migration.api_changes.len(), 1);
        // The links and tables of a page whose nodes went to disk went there too, and the
        // migration stage read the mapping table back (its cells' links with it).
        let page = |path: &str| &state.site.pages[state.site.page_by_path(path).expect("page")];
        let stowed = |path: &str| (page(path).links.is_stowed(), page(path).tables.is_stowed());
        assert_eq!(
            stowed("guide/plain.md"),
            (true, false),
            "no tables, none stowed"
        );
        assert_eq!(stowed("guide/moves.md"), (true, true));
        assert_eq!(stowed("guide/faq.md"), (false, false));
        assert_eq!(stowed("guide/api.md"), (false, false));
        let entries: Vec<(&str, Option<&str>)> = (state.site.migration.sets.iter())
            .flat_map(|s| &s.entries)
            .map(|e| (e.source_url.as_str(), e.target_url.as_deref()))
            .collect();
        assert_eq!(
            entries,
            [(
                "https://old.example.com/offers",
                Some("https://new.example.com/offers")
            )]
        );
        let plain_links = page("guide/plain.md").links.read().expect("read back");
        assert_eq!(plain_links.get(0).expect("link").dest, "faq.md");
        drop(plain_links);

        // Links that cannot be read back are a finding of the check and of the migration
        // stage, never links silently missing.
        let mut site = state.site;
        let moves = site.page_by_path("guide/moves.md").expect("page");
        let file = tempfile::tempfile().expect("scratch file");
        let stow = Arc::new(Stow::new(file.try_clone().expect("second handle")));
        let links = site.pages[moves].links.read().expect("read back").to_vec();
        site.pages[moves].links = crate::model::PageLinks::new(&links);
        assert!(site.pages[moves].links.stow(&stow));
        file.set_len(0).expect("truncate");
        let unreadable = |found: &[Diagnostic]| {
            (found.iter())
                .filter(|d| d.code == Code::UnreadableFile && d.file == "guide/moves.md")
                .count()
        };
        assert_eq!(unreadable(&check_page(&site, moves).diagnostics), 1);
        let (migration, found) = crate::migration::extract(&site, &[]);
        assert_eq!(unreadable(&found), 1, "{found:?}");
        assert!(migration.sets.iter().all(|s| s.entries.is_empty()));

        // A session that goes on (serve) keeps every page's nodes in memory.
        let mut kept = Session::new(session.settings().clone(), spilling);
        let state = kept.load(&Change::Everything).expect("load");
        assert!(kept.spill.is_none());
        let plain = state.site.page_by_path("guide/plain.md").expect("page");
        assert!(!state.site.pages[plain].doc.nodes.is_empty());
        assert!(!state.site.pages[plain].links.is_stowed());
    }

    #[test]
    fn a_one_shot_build_lets_go_of_what_only_a_later_round_reads() {
        let files = [
            (
                "index.md",
                "# Home\n\nSee [setup](setup.md) and [gone](gone.md).\n",
            ),
            (
                "setup.md",
                "# Setup\n\n[!INCLUDE [note](includes/note.md)]\n",
            ),
            ("includes/note.md", "Back [home](../index.md#home).\n"),
        ];
        let (_dir, settings) = site_of(&files);
        let progress = Arc::new(super::super::NoProgress);
        let options = BuildOptions::default();
        let (built, session) =
            super::super::build_keeping_session(&settings, options, progress).expect("build");
        // The round's findings were collected first.
        assert!(!built.failed);
        let broken: Vec<&str> = (built.checked.diagnostics.iter())
            .filter(|d| d.code == Code::BrokenLink)
            .map(|d| d.file.as_str())
            .collect();
        assert_eq!(broken, ["index.md"]);
        // What the caller may forget instead of freeing: the state the site was taken from.
        let state = session.spent.as_ref().expect("state");
        assert!(state.parsed.is_empty() && state.checks.is_empty());
        assert!(state.linkers.0.is_empty() && state.dependents.is_empty());

        // A session that goes on keeps them for its next round.
        let mut kept = Session::new(settings, options);
        kept.rebuild(&Change::Everything).expect("round");
        let state = kept.state.as_ref().expect("state");
        assert_eq!((state.parsed.len(), state.checks.len()), (2, 2));
        assert!(state.dependents.contains_key("includes/note.md"));
        let home = state.site.page_by_path("index.md").expect("page");
        let setup = state.site.page_by_path("setup.md").expect("page");
        assert_eq!(state.linkers.of(home), [setup]);
    }

    std::thread_local! {
        /// What the stage hook heard on this thread: the hook runs on the thread that runs
        /// the round, so other tests' rounds, on their own threads, do not show here.
        static HEARD: std::cell::RefCell<Vec<Stage>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Takes what the hook heard from this thread's rounds.
    fn heard_here() -> Vec<Stage> {
        HEARD.with_borrow_mut(std::mem::take)
    }

    #[test]
    fn the_stage_hook_hears_the_end_of_each_stage_of_a_build_and_of_a_check() {
        let hear = |stage| HEARD.with_borrow_mut(|heard| heard.push(stage));
        assert!(crate::pipeline::set_stage_hook(hear));
        assert!(
            !crate::pipeline::set_stage_hook(|_| {}),
            "the first hook stays"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).expect("folder");
        std::fs::write(content.join("index.md"), "# Home\n\n## Part\n\nText.\n").expect("page");
        let settings = crate::Settings::load(&SiteLocation {
            root: Some(dir.path().to_path_buf()),
            output: Some(dir.path().join("public")),
            ..Default::default()
        })
        .expect("settings");
        let built = crate::pipeline::build(&settings, BuildOptions::default()).expect("build");
        assert!(!built.failed);
        use Stage::*;
        assert_eq!(
            heard_here(),
            [
                Parse,
                Migration,
                Check,
                Render,
                SearchFiles,
                Exports,
                SiteJson
            ]
        );
        crate::pipeline::check_only(&settings).expect("check");
        assert_eq!(heard_here(), [Parse, Migration, Check]);
    }
}
