//! Migration results as search documents of their own: one per mapping row (old page →
//! new page) and one per API-change row.
//!
//! [`SearchExtra`] is the input type; [`extras_from_migration`] fills it from the migration
//! model (`Site::migration`: mapping sets from tables and YAML, API-change rows). Which
//! tables are mappings is decided by the migration stage alone.

use crate::model::doc_text::squash;
use crate::model::Site;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// What a migration search document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExtraKind {
    /// An old page or URL and the page that replaces it.
    Mapping,
    /// A change of an API between the old and the new portal.
    ApiChange,
}

impl ExtraKind {
    /// Short code used in the index files (`map`, `api`).
    pub fn code(self) -> &'static str {
        match self {
            ExtraKind::Mapping => "map",
            ExtraKind::ApiChange => "api",
        }
    }
}

/// A migration result to index next to the page sections.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SearchExtra {
    /// What it describes.
    pub kind: ExtraKind,
    /// Label: the old page's name, or the API.
    pub title: String,
    /// Old URL (mappings), may be empty.
    pub source_url: String,
    /// New URL or replacement text (mappings), may be empty.
    pub target_url: String,
    /// Other cells: the change, its impact, notes.
    pub body: String,
    /// Index into `Site::pages` of the page that documents it.
    pub page: usize,
    /// Heading id of the section that documents it ("" for the page itself).
    pub anchor: String,
}

/// Migration results from the migration model: one per mapping entry (on the page that shows
/// it, linked to the heading above its table) and one per API-change row (on the first page
/// that shows the row's table). Entries without a page are skipped.
pub fn extras_from_migration(site: &Site) -> Vec<SearchExtra> {
    // Sets and rows in parallel, collected in their order (the same list as one pass).
    let mut out: Vec<SearchExtra> = site
        .migration
        .sets
        .par_iter()
        .flat_map_iter(|set| {
            let systems = set_systems(set);
            set.entries
                .iter()
                .filter_map(move |e| mapping_extra(site, e, &systems))
                .collect::<Vec<_>>()
        })
        .collect();
    out.extend(api_extras(site));
    out
}

/// Where one of a page's migration results comes from: what [`extra_sources_by_page`] keeps
/// for an index built for its files alone, which makes each result only when it indexes
/// the result's page. A mapping result is made again from its entry; the few API-change
/// results, whose pages a pass over the site's tables finds, are made at once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExtraSource {
    /// Entry `entry` of mapping set `set` (indices into `Site::migration`).
    Mapping { set: u32, entry: u32 },
    /// A result already made.
    Made(Box<SearchExtra>),
}

impl ExtraSource {
    /// The result, made (`None` only for a source that names no mapping entry).
    pub(crate) fn make(&self, site: &Site) -> Option<SearchExtra> {
        match self {
            ExtraSource::Mapping { set, entry } => {
                let set = site.migration.sets.get(*set as usize)?;
                let e = set.entries.get(*entry as usize)?;
                mapping_extra(site, e, &set_systems(set))
            }
            ExtraSource::Made(extra) => Some((**extra).clone()),
        }
    }
}

/// [`extras_from_migration`] as the sources of each page's results, indexed like
/// `site.pages`, in the same order: a few bytes for each mapping result instead of its
/// strings (a large migration docset has tens of thousands, all waiting for their pages
/// from the start of the render).
pub(crate) fn extra_sources_by_page(site: &Site) -> Vec<Vec<ExtraSource>> {
    let mut by_page: Vec<Vec<ExtraSource>> = vec![Vec::new(); site.pages.len()];
    for (s, set) in site.migration.sets.iter().enumerate() {
        for (e, entry) in set.entries.iter().enumerate() {
            let Some(page) = (entry.page.as_deref()).and_then(|p| site.page_by_path(p)) else {
                continue;
            };
            let (Ok(set), Ok(entry)) = (u32::try_from(s), u32::try_from(e)) else {
                continue;
            };
            by_page[page].push(ExtraSource::Mapping { set, entry });
        }
    }
    for extra in api_extras(site) {
        if let Some(list) = by_page.get_mut(extra.page) {
            list.push(ExtraSource::Made(Box::new(extra)));
        }
    }
    for list in &mut by_page {
        list.shrink_to_fit();
    }
    by_page
}

/// The two systems of a mapping set, as its results name them.
fn set_systems(set: &crate::model::migration::MappingSet) -> String {
    format!("{} → {}", set.source.name, set.target.name)
}

/// One result per API-change row, on the first page that shows the row's table.
fn api_extras(site: &Site) -> Vec<SearchExtra> {
    let homes = table_homes(
        site,
        (site.migration.api_changes.iter()).map(|a| (a.origin.file.as_str(), a.origin.line)),
    );
    site.migration
        .api_changes
        .par_iter()
        .filter_map(|a| {
            let (page, anchor) = homes
                .get(&(a.origin.file.as_str(), a.origin.line))?
                .clone()?;
            let body = [a.change.as_str(), a.impact_text.as_str()]
                .map(squash)
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>();
            Some(SearchExtra {
                kind: ExtraKind::ApiChange,
                title: squash(&a.api),
                source_url: String::new(),
                target_url: String::new(),
                body: body.join(" · "),
                page,
                anchor,
            })
        })
        .collect()
}

/// The search result of mapping entry `e` of a set between `systems`, when it has a page.
fn mapping_extra(
    site: &Site,
    e: &crate::model::migration::MappingEntry,
    systems: &str,
) -> Option<SearchExtra> {
    let page = e.page.as_deref().and_then(|p| site.page_by_path(p))?;
    let note = e.note.clone().unwrap_or_default();
    Some(SearchExtra {
        kind: ExtraKind::Mapping,
        title: squash(&e.label),
        source_url: e.source_url.clone(),
        target_url: e.target_url.clone().unwrap_or_else(|| note.clone()),
        body: [note.as_str(), systems]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · "),
        page,
        anchor: e.section.clone().unwrap_or_default(),
    })
}

/// For each table row of `rows` (written at `file:line`): the first page (in path order)
/// that shows it, and the heading id above its table there (`None`: no page shows it). One
/// pass over the site's tables, however many rows are asked for: a search of every page for
/// each API-change row was quadratic on a site of many of them.
fn table_homes<'s>(
    site: &'s Site,
    rows: impl Iterator<Item = (&'s str, u32)>,
) -> FxHashMap<(&'s str, u32), Option<(usize, String)>> {
    let mut homes: FxHashMap<(&str, u32), Option<(usize, String)>> =
        rows.map(|row| (row, None)).collect();
    if homes.is_empty() {
        return homes;
    }
    let files: FxHashSet<&str> = homes.keys().map(|(file, _)| *file).collect();
    for (i, page) in site.pages.iter().enumerate() {
        // A one-shot build stows the tables of pages that show no API-change table (see
        // `crate::migration::reads_nodes_of`): none of those holds a row asked for here.
        if page.tables.is_stowed() {
            continue;
        }
        let Ok(tables) = page.tables.read() else {
            continue;
        };
        for table in tables.iter() {
            let Some(&file) = files.get(&*table.file) else {
                continue;
            };
            for row in &table.rows {
                if let Some(home @ None) = homes.get_mut(&(file, row.line)) {
                    *home = Some((i, table.section.clone().unwrap_or_default()));
                }
            }
        }
    }
    homes
}
