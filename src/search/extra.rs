//! Migration results as search documents of their own: one per mapping row (old page →
//! new page) and one per API-change row.
//!
//! [`SearchExtra`] is the input type. [`extras_from_migration`] fills it from the migration
//! model (`Site::migration`: mapping sets from tables and YAML, API-change rows), which is
//! what the build uses; [`extras_from_tables`] is a header-only detection for a model
//! without a migration stage.

use crate::model::{Cell, Site, Table};
use std::collections::BTreeSet;

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
    let mut out = Vec::new();
    for set in &site.migration.sets {
        let systems = format!("{} → {}", set.source.name, set.target.name);
        for e in &set.entries {
            let Some(page) = e.page.as_deref().and_then(|p| site.page_by_path(p)) else {
                continue;
            };
            let note = e.note.clone().unwrap_or_default();
            out.push(SearchExtra {
                kind: ExtraKind::Mapping,
                title: collapse(&e.label),
                source_url: e.source_url.clone(),
                target_url: e.target_url.clone().unwrap_or_else(|| note.clone()),
                body: [note.as_str(), systems.as_str()]
                    .iter()
                    .filter(|t| !t.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · "),
                page,
                anchor: e.section.clone().unwrap_or_default(),
            });
        }
    }
    for a in &site.migration.api_changes {
        let Some((page, anchor)) = table_home(site, &a.origin.file, a.origin.line) else {
            continue;
        };
        let body = [a.change.as_str(), a.impact_text.as_str()]
            .map(collapse)
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>();
        out.push(SearchExtra {
            kind: ExtraKind::ApiChange,
            title: collapse(&a.api),
            source_url: String::new(),
            target_url: String::new(),
            body: body.join(" · "),
            page,
            anchor,
        });
    }
    out
}

/// The first page (in path order) that shows the table row written at `file:line`, and the
/// heading id above that table there.
fn table_home(site: &Site, file: &str, line: u32) -> Option<(usize, String)> {
    site.pages.iter().enumerate().find_map(|(i, page)| {
        page.tables
            .iter()
            .find(|t| t.file == file && t.rows.iter().any(|r| r.line == line))
            .map(|t| (i, t.section.clone().unwrap_or_default()))
    })
}

/// Detects mapping and API-change tables in every page:
///
/// * a **mapping** table has two header cells named `<system> link` or `<system> URL`
///   (`Cloud Partner Portal link | Partner Center link`): the first is the old URL, the
///   second the new one, and the first other column is the label;
/// * an **API-change** table has a header cell `API` and one starting with `Change`.
///
/// Rows repeated through includes are indexed once (first page in path order).
pub fn extras_from_tables(site: &Site) -> Vec<SearchExtra> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (index, page) in site.pages.iter().enumerate() {
        for table in &page.tables {
            for extra in table_extras(index, table) {
                let key = (
                    extra.kind,
                    extra.title.clone(),
                    extra.source_url.clone(),
                    extra.target_url.clone(),
                    extra.body.clone(),
                );
                if seen.insert(key) {
                    out.push(extra);
                }
            }
        }
    }
    out
}

fn header_name(cell: &Cell) -> String {
    cell.text.trim().to_lowercase()
}

fn table_extras(index: usize, table: &Table) -> Vec<SearchExtra> {
    let names: Vec<String> = table.header.iter().map(header_name).collect();
    let is_link = |n: &String| n.ends_with(" link") || n.ends_with(" url") || n.ends_with(" links");
    let links: Vec<usize> = (0..names.len()).filter(|&i| is_link(&names[i])).collect();
    let anchor = table.section.clone().unwrap_or_default();
    let cell = |row: &[Cell], i: usize| row.get(i).map(|c| collapse(&c.text)).unwrap_or_default();
    let others = |row: &[Cell], skip: &[usize]| {
        (0..row.len())
            .filter(|i| !skip.contains(i))
            .map(|i| cell(row, i))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
    };
    let base = |kind, title: String, source_url, target_url, body: Vec<String>| SearchExtra {
        kind,
        title,
        source_url,
        target_url,
        body: body.join(" · "),
        page: index,
        anchor: anchor.clone(),
    };
    if let [old, new, ..] = links[..] {
        let label = (0..names.len()).find(|i| !links.contains(i));
        return table
            .rows
            .iter()
            .map(|row| {
                let (source, target) = (cell(&row.cells, old), cell(&row.cells, new));
                let title = label
                    .map(|l| cell(&row.cells, l))
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| source.clone());
                let skip: Vec<usize> = [Some(old), Some(new), label]
                    .into_iter()
                    .flatten()
                    .collect();
                base(
                    ExtraKind::Mapping,
                    title,
                    source,
                    target,
                    others(&row.cells, &skip),
                )
            })
            .filter(|e| !e.source_url.is_empty() || !e.target_url.is_empty())
            .collect();
    }
    let api = names.iter().position(|n| n == "api");
    let change = names.iter().position(|n| n.starts_with("change"));
    if let (Some(api), Some(_)) = (api, change) {
        return table
            .rows
            .iter()
            .map(|row| {
                base(
                    ExtraKind::ApiChange,
                    cell(&row.cells, api),
                    String::new(),
                    String::new(),
                    others(&row.cells, &[api]),
                )
            })
            .filter(|e| !e.title.is_empty())
            .collect();
    }
    Vec::new()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
