//! The in-place round: when a change edits existing content files and nothing else (no
//! file added or removed, no page starting or stopping to build, no navigation label or
//! weight changed, no static file), the work is proportional to the change, not to the
//! site: re-read the changed files, re-parse the pages that read them, re-check those pages
//! and the pages linking to them, re-render those pages. Anything else returns `None` and
//! the caller takes the general path, which recomputes what it must from the whole site.
//! The oracle test holds both paths to the output of a fresh full build.

use super::{changes_file_set, is_listed, ChangedFiles, Round, Session, State};
use crate::check::check_page;
use crate::error::Result;
use crate::model::Page;
use crate::pipeline::outputs::{Scope, Update};
use crate::render::nav::page_label;
use rayon::prelude::*;
use std::collections::BTreeSet;

impl Session {
    /// Rebuilds in place when `files` allows it (see the module documentation).
    pub(super) fn rebuild_in_place(&mut self, files: &ChangedFiles) -> Result<Option<Round>> {
        let content = self.settings.content.clone();
        let (Some(state), Some(output)) = (&mut self.state, &mut self.output) else {
            return Ok(None);
        };
        if output.rendered.is_none() {
            return Ok(None);
        }
        // A YAML data file generates pages and includes: the general path regenerates them.
        // So does a table of contents: it is the navigation of every page.
        let data_changed = files
            .content
            .iter()
            .any(|p| is_listed(&state.inventory.data, p) || is_listed(&state.inventory.tocs, p));
        if self.options.strict
            || data_changed
            || state.site.pages.len() != state.data.page_paths.len()
            || changes_file_set(&state.inventory, &files.content, &content)
        {
            return Ok(None);
        }
        let base_path = self.settings.config.base_path.clone();
        let Some(Reparsed {
            pages: changed,
            dates_changed,
            migration,
        }) = reparse(state, files, &content, &base_path)
        else {
            return Ok(None);
        };
        let recheck: BTreeSet<usize> = changed
            .iter()
            .flat_map(|&i| std::iter::once(i).chain(state.linkers.of(i).iter().copied()))
            .collect();
        let checks: Vec<_> = recheck
            .par_iter()
            .map(|&i| (i, check_page(&state.site, i)))
            .collect();
        for (i, check) in checks {
            state.set_check(i, check);
        }
        // Mapping rows, API changes and FAQ answers come from the whole site; when the
        // changed pages show none of them, only the anchors mapping targets point to may
        // have moved.
        if !state.site.tocs.is_empty() && migration != MigrationImpact::None {
            state.check_tocs();
        }
        match migration {
            MigrationImpact::None => {}
            MigrationImpact::Anchors => state.check_mapping_targets(),
            MigrationImpact::Model => state.refresh_migration(),
        }
        let update = Update {
            dates_changed,
            statics_changed: !files.statics.is_empty(),
            content_changed: &files.content,
            rechecked: &recheck,
        };
        let scope = Scope::Pages {
            changed: &changed,
            update,
        };
        let round = state.round();
        let knobs = super::RenderKnobs {
            live: self.options.live,
            progress: self.progress.as_ref(),
            sink: None,
            nodes: None,
        };
        let round = super::render_round(
            &self.settings,
            knobs,
            output,
            state,
            Some(files),
            scope,
            round,
        )?;
        Ok(Some(round))
    }
}

/// What the re-parsed pages mean for the migration stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MigrationImpact {
    /// Nothing it reads changed.
    None,
    /// Headings, anchors or tab ids changed: mapping targets that point there are checked
    /// again.
    Anchors,
    /// Tables, FAQ content or links of a page with tables changed: the model is rebuilt.
    Model,
}

/// The outcome of [`reparse`].
struct Reparsed {
    /// Indices of the re-parsed pages.
    pages: Vec<usize>,
    /// A re-parsed page changed its date.
    dates_changed: bool,
    migration: MigrationImpact,
}

/// Re-reads the changed Markdown files and re-parses the pages that read them, putting
/// them in place. `None` (nothing replaced) when a page fails or a navigation label or
/// weight changed.
fn reparse(
    state: &mut State,
    files: &ChangedFiles,
    content: &std::path::Path,
    base_path: &str,
) -> Option<Reparsed> {
    let markdown: Vec<&String> = files
        .content
        .iter()
        .filter(|p| {
            is_listed(&state.inventory.pages, p) || is_listed(&state.inventory.fragments, p)
        })
        .collect();
    state.sources.reload(content, &markdown);
    let mut todo: BTreeSet<&String> = BTreeSet::new();
    for path in &markdown {
        if is_listed(&state.inventory.pages, path) {
            todo.insert(path);
        }
        if let Some(pages) = state.dependents.get(*path) {
            todo.extend(pages);
        }
    }
    let sources = &state.sources;
    let generated = &state.data.generated;
    let parsed = &state.parsed;
    let todo: Vec<&String> = todo
        .into_iter()
        .filter(|p| {
            parsed
                .get(*p)
                .is_none_or(|pp| !pp.inputs.still_valid(p, sources))
        })
        .collect();
    let results: Vec<_> = todo
        .par_iter()
        .map(|path| {
            let parsed = super::parse_one(path, sources, generated, base_path);
            (path.to_string(), parsed)
        })
        .collect();
    if results.iter().any(|(_, (_, r))| r.is_err()) {
        return None;
    }
    let mut dates_changed = false;
    let mut migration = MigrationImpact::None;
    let mut targets = Vec::with_capacity(results.len());
    for (path, (_, result)) in &results {
        let (page, _) = result.as_ref().expect("failures return above");
        let i = state
            .site
            .page_by_path(path)
            .expect("a listed page is in the site");
        let old = &state.site.pages[i];
        if page_label(old) != page_label(page) || old.weight != page.weight {
            // Labels and weights order every page's navigation: general path.
            return None;
        }
        dates_changed |= old.date != page.date;
        migration = migration.max(if !crate::migration::reads_same(old, page) {
            MigrationImpact::Model
        } else if old.outline != page.outline || old.tab_ids != page.tab_ids {
            MigrationImpact::Anchors
        } else {
            MigrationImpact::None
        });
        targets.push(i);
    }
    for ((path, (inputs, result)), &i) in results.into_iter().zip(&targets) {
        let (page, diags) = result.expect("failures return above");
        replace_page(state, i, &path, page, inputs, diags);
    }
    Some(Reparsed {
        pages: targets,
        dates_changed,
        migration,
    })
}

/// Puts a re-parsed page in place of the old one and updates the parse indices.
fn replace_page(
    state: &mut State,
    i: usize,
    path: &str,
    page: Page,
    inputs: super::super::sources::ParseInputs,
    diags: Vec<crate::diag::Diagnostic>,
) {
    if let Some(old) = state.parsed.get(path) {
        for dep in old.inputs.deps() {
            if let Some(pages) = state.dependents.get_mut(dep) {
                pages.remove(path);
            }
        }
    }
    for dep in inputs.deps() {
        state
            .dependents
            .entry(dep.clone())
            .or_default()
            .insert(path.to_string());
    }
    if diags.is_empty() {
        state.page_outcomes.remove(path);
    } else {
        state
            .page_outcomes
            .insert(path.to_string(), Ok(diags.clone()));
    }
    state.parsed.insert(
        path.to_string(),
        super::ParsedPage {
            inputs,
            outcome: Ok(diags),
        },
    );
    state.site.pages[i] = page;
}
