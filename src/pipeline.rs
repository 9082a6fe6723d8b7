//! Wires the stages together: load → parse → assemble → check → render → output.
//! `build`, `check` and `serve` all go through one [`Session`], so they cannot disagree:
//! `build` is a session with no previous state, `serve` keeps one and feeds it changes.

pub mod outputs;
pub mod session;
mod sources;
mod spill;
pub use spill::SPILL_FROM_BYTES;

use crate::diag::{sort_diagnostics, Diagnostic};
use crate::error::Result;
use crate::model::LinkCounts;
use crate::model::Site;
use crate::output::{OutputFile, Staging};
use crate::settings::Settings;
use rayon::prelude::*;
use std::sync::Arc;

pub use outputs::{Delta, FileMap, Rendered, Scope, TakenNodes};
pub(crate) use progress::stage_done;
pub use progress::{set_stage_hook, NoProgress, Progress, Stage, Step};

mod progress;
pub use session::{Change, ChangedFiles, Round, Session};

/// A loaded and validated site.
#[derive(Debug)]
pub struct Checked {
    /// The model.
    pub site: Site,
    /// Every finding (load, parse and check), severity overrides applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Link counts.
    pub counts: LinkCounts,
    /// Markdown files that could not be built at all.
    pub failed_pages: usize,
    /// Pages built from their body alone because their front matter is invalid.
    pub degraded_pages: usize,
}

impl Checked {
    fn from_round(site: Option<Site>, round: Round) -> Checked {
        Checked {
            site: site.expect("a round that returns Ok has a site"),
            diagnostics: round.diagnostics,
            counts: round.counts,
            failed_pages: round.failed_pages,
            degraded_pages: round.degraded_pages,
        }
    }
}

/// Loads, parses and assembles the site; returns load and parse diagnostics too, and the
/// number of pages that could not be built.
pub fn load_site(settings: &Settings) -> Result<(Site, Vec<Diagnostic>, usize)> {
    Session::new(settings.clone(), BuildOptions::default()).load_only()
}

/// Loads the site and runs every check (no templates, no rendering).
pub fn check(settings: &Settings) -> Result<Checked> {
    let mut session = Session::new(settings.clone(), BuildOptions::default());
    let round = session.check()?;
    let (_, site) = session.into_parts();
    Ok(Checked::from_round(site, round))
}

/// [`check`] for callers that never render (the `check` command): the same findings, but each
/// page's render-only data (`Page::doc`) is dropped right after the page is
/// parsed, which keeps memory, and so time, down on large sites.
pub fn check_only(settings: &Settings) -> Result<Checked> {
    check_only_with_progress(settings, std::sync::Arc::new(NoProgress))
}

/// [`check_only`], telling `progress` how parsing goes.
pub fn check_only_with_progress(
    settings: &Settings,
    progress: std::sync::Arc<dyn Progress>,
) -> Result<Checked> {
    check_only_keeping_session(settings, progress).map(|(checked, _)| checked)
}

/// [`check_only_with_progress`], also returning the session that made the result (its site
/// taken, see [`Session::take_site`]): a caller about to exit can `std::mem::forget` it
/// instead of freeing the per-page state of a large site one allocation at a time.
pub fn check_only_keeping_session(
    settings: &Settings,
    progress: std::sync::Arc<dyn Progress>,
) -> Result<(Checked, Session)> {
    let mut session = Session::new(settings.clone(), BuildOptions::default())
        .model_only()
        .with_progress(progress);
    let round = session.check()?;
    let site = session.take_site();
    Ok((Checked::from_round(site, round), session))
}

/// Applies the configured severity overrides (dropping codes turned off) and sorts.
pub fn apply_severity(site: &Site, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.severity = site.config.severity_of(d.code)?;
            Some(d)
        })
        .collect();
    sort_diagnostics(&mut out);
    out
}

/// Options of `build`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Any finding fails the build.
    pub strict: bool,
    /// The output is served as it is built (`serve`, which sends every file with
    /// `Cache-Control: no-cache`): the shared navigation script keeps one name instead of a
    /// content-hashed one, so a change to the navigation re-renders only the pages whose
    /// breadcrumb it changes, not every page that names the script.
    pub live: bool,
    /// A one-shot build keeps its pages' parsed nodes on disk, from each page's parse to
    /// its render, when the pages' Markdown comes to at least this many bytes; `None`:
    /// [`SPILL_FROM_BYTES`]. Tests set a small value to go through the spill on small sites.
    pub spill_nodes_from: Option<u64>,
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The checked site.
    pub checked: Checked,
    /// Files written (0 when the build failed).
    pub files_written: usize,
    /// True when the build failed (output untouched).
    pub failed: bool,
}

/// Builds the site: a session with no previous state, written atomically.
pub fn build(settings: &Settings, options: BuildOptions) -> Result<Built> {
    build_with_progress(settings, options, std::sync::Arc::new(NoProgress))
}

/// [`build`], telling `progress` how parsing and rendering go.
pub fn build_with_progress(
    settings: &Settings,
    options: BuildOptions,
    progress: std::sync::Arc<dyn Progress>,
) -> Result<Built> {
    build_keeping_session(settings, options, progress).map(|(built, _)| built)
}

/// [`build_with_progress`], also returning the session that made the build (its site and
/// output files taken): a caller about to exit can `std::mem::forget` it instead of freeing
/// the per-page state of a large site one allocation at a time.
pub fn build_keeping_session(
    settings: &Settings,
    options: BuildOptions,
    progress: std::sync::Arc<dyn Progress>,
) -> Result<(Built, Session)> {
    // Refused before the render, not after it.
    crate::output::check_output_folder(
        &settings.output,
        &settings.content,
        settings.config.output_inside.as_deref(),
    )?;
    // Pages are written as they are rendered, into a folder beside the output that is
    // swapped in at the end (and removed if the build fails).
    let staging = Arc::new(Staging::begin(&settings.output)?);
    let mut session = Session::new(settings.clone(), options).with_progress(progress);
    session.stream_to(Arc::clone(&staging));
    let round = session.rebuild(&Change::Everything)?;
    let failed = round.delta.is_none();
    let rendered = session.take_rendered();
    let site = session.take_site();
    session.stop_streaming();
    let checked = Checked::from_round(site, round);
    let rest = match rendered {
        Some(r) if !failed => r.into_files(),
        _ => {
            let built = Built {
                checked,
                files_written: 0,
                failed: true,
            };
            return Ok((built, session));
        }
    };
    rest.par_iter().for_each(|f| staging.write(f));
    let staging = Arc::try_unwrap(staging)
        .unwrap_or_else(|_| unreachable!("the session that shared it was consumed"));
    let files_written = staging.written();
    staging.commit()?;
    let built = Built {
        files_written,
        checked,
        failed: false,
    };
    Ok((built, session))
}

/// Renders every output file of the site (pages, 404, sitemap, static files, assets): the
/// full build, as a list.
pub fn render_site(settings: &Settings, site: &Site) -> Result<Vec<OutputFile>> {
    let renderer = crate::render::Renderer::new(Some(&settings.root.join("templates")))?;
    let inputs = outputs::RenderInputs {
        settings,
        renderer: &renderer,
        body_key: &|_| 0,
        changed_sources: &Default::default(),
        live: false,
        progress: &NoProgress,
        sink: None,
        nodes: None,
    };
    let mut rendered = Rendered::default();
    rendered.render(site, &inputs, Scope::Everything)?;
    Ok(rendered.into_files())
}
