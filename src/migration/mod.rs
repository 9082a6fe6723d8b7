//! Migration stage: turns the parsed site into the migration model ([`Migration`]):
//! URL-mapping sets (from mapping tables, YAML mapping files and redirection files), API
//! changes and FAQ pages, with the `mapping-*`, `table-drift` and redirection checks.
//!
//! Pure: no file-system access. YAML data files arrive already loaded
//! ([`data::parse_data_file`]); the result is stored in `Site::migration`.
//! It reads only the model (never renders, never calls `check`).

mod api;
pub(crate) mod cells;
pub mod data;
mod drift;
mod faq;
mod moves;
pub mod redirections;
pub mod resolve;
mod sets;
mod tables;

use crate::diag::Diagnostic;
use crate::model::migration::ApiChange;
use crate::model::migration::{MappingEntry, MappingStatus, Origin};
use crate::model::{Link, LinkKind, LinkList, Migration, Page, Site, TableList};
use crate::settings::ApiColumns;
use data::MappingFile;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;
use tables::TableAt;

pub use data::{parse_data_file, DataFile};
pub use moves::REDIRECTS_SET;
pub use redirections::{parse_redirection_file, Redirection, RedirectionFile};
pub use resolve::{resolve, Match, MatchKind};

/// A set's id and the names of its two systems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetKey {
    /// Set id.
    pub id: String,
    /// Old system name.
    pub source: String,
    /// New system name.
    pub target: String,
}

/// Builds the migration model of `site`. `data` are the site's data files (YAML mapping
/// sets and FAQ files), already loaded and turned into pages where they have one.
pub fn extract(site: &Site, data: &[DataFile]) -> (Migration, Vec<Diagnostic>) {
    // A YAML mapping file shown as a table is read from its YAML; a `YamlMime:FAQ` page's
    // tables (in answers, `summary`, `additionalContent`) are read like any page's, their
    // origin lines already mapped back into the YAML file.
    let mapping_paths: HashSet<&str> = data
        .iter()
        .filter(|d| !d.is_faq)
        .map(|d| d.path.as_str())
        .collect();
    let api_columns = &site.config.migration.api_changes;
    let TableReading {
        mut rows,
        mut diags,
        api_changes,
        may_drift,
    } = read_tables(site, &mapping_paths, api_columns);
    for file in data.iter().filter_map(|d| d.mapping.as_ref()) {
        rows.extend(yaml_rows(site, file));
    }
    // Document order: the file that shows the rows (page path, or the YAML file), then the
    // order they were found in.
    rows.sort_by(|a, b| doc_file(&a.1).cmp(doc_file(&b.1)));
    let mut sets = sets::merge(site, rows, &mut diags);
    let redirection_files: Vec<&RedirectionFile> = data
        .iter()
        .filter_map(|d| d.redirections.as_ref())
        .collect();
    let (redirects, moves) = moves::page_moves(site, &redirection_files, &mut diags);
    if let Some(mut set) = redirects {
        if sets.iter().any(|s| s.id == set.id) {
            // A table set already uses the id: the moves keep a set of their own.
            set.id = format!("openpublishing-{}", set.id);
        }
        sets.push(set);
        sets.sort_by(|a, b| a.id.cmp(&b.id));
    }
    diags.extend(drift::check_drift(&may_drift, |at| {
        api::api_columns(&at.table, api_columns).is_some() || tables::is_mapping_table(site, at)
    }));
    let faq_yaml: HashSet<&str> = data
        .iter()
        .filter(|d| d.is_faq)
        .map(|d| d.path.as_str())
        .collect();
    let faq = (0..site.pages.len())
        .into_par_iter()
        .filter_map(|i| faq::faq_page(site, i, faq_yaml.contains(site.pages[i].path.as_str())))
        .collect();
    (
        Migration {
            sets,
            api_changes,
            faq,
            moves,
        },
        diags,
    )
}

/// What the migration stage takes from the site's tables, each table once: a table
/// included into several pages has one origin (the included file and line) and is read
/// with the first page, in path order, that shows it.
struct TableReading<'s> {
    /// The mapping tables' rows, with the set each belongs to, in table order.
    rows: Vec<(SetKey, MappingEntry)>,
    /// The mapping tables' findings.
    diags: Vec<Diagnostic>,
    /// The API-change tables' rows, in table order.
    api_changes: Vec<ApiChange>,
    /// The tables that share a drift group with another (see [`drift::group_hash`]),
    /// made back for the drift check, in table order.
    may_drift: Vec<TableAt<'s>>,
}

/// What one table yields to a [`TableReading`].
struct TableFacts {
    /// The file and line the table is written at.
    origin: (Arc<str>, u32),
    /// Its place among its page's tables.
    index: usize,
    rows: tables::TableRows,
    api_changes: Vec<ApiChange>,
    group: Option<u64>,
}

/// Reads every table of the site for the migration stage. Each page's tables are made
/// back from their bytes, read and dropped, pages in parallel: the site's tables are never
/// all held at once (that grew the stage's peak with the site). The results are joined in
/// page order, so rows and findings come out as a sequential pass gives them; the few
/// tables the drift check compares are made back again afterwards.
fn read_tables<'s>(
    site: &'s Site,
    skip_files: &HashSet<&str>,
    api_columns: &ApiColumns,
) -> TableReading<'s> {
    let per_page: Vec<Result<Vec<TableFacts>, Diagnostic>> = (site.pages.par_iter().enumerate())
        .map(|(page, p)| {
            if p.tables.is_empty() {
                return Ok(Vec::new());
            }
            let (tables, links) = page_tables(p)?;
            let links = Arc::new(links);
            let facts = (tables.iter().enumerate())
                .map(|(index, table)| {
                    let origin = (Arc::clone(&table.file), table.line);
                    let at = TableAt {
                        page,
                        table,
                        links: Arc::clone(&links),
                    };
                    TableFacts {
                        origin,
                        index,
                        rows: tables::table_rows(site, &at, skip_files),
                        api_changes: api::table_api_changes(site, &at, api_columns),
                        group: drift::group_hash(&at.table),
                    }
                })
                .collect();
            Ok(facts)
        })
        .collect();
    let mut rows = Vec::new();
    let mut diags = Vec::new();
    let mut api_changes = Vec::new();
    let mut grouped: Vec<(u64, usize, usize)> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for (page, facts) in per_page.into_iter().enumerate() {
        let facts = match facts {
            Ok(facts) => facts,
            Err(unreadable) => {
                diags.push(unreadable);
                continue;
            }
        };
        for table in facts {
            if !seen.insert(table.origin) {
                continue;
            }
            let (table_rows, found) = table.rows;
            rows.extend(table_rows);
            diags.extend(found);
            api_changes.extend(table.api_changes);
            if let Some(hash) = table.group {
                grouped.push((hash, page, table.index));
            }
        }
    }
    let mut group_sizes: rustc_hash::FxHashMap<u64, usize> = Default::default();
    for (hash, _, _) in &grouped {
        *group_sizes.entry(*hash).or_default() += 1;
    }
    let wanted: Vec<(usize, usize)> = (grouped.into_iter())
        .filter(|(hash, _, _)| group_sizes[hash] > 1)
        .map(|(_, page, index)| (page, index))
        .collect();
    let mut may_drift = Vec::new();
    for in_page in wanted.chunk_by(|a, b| a.0 == b.0) {
        let page = in_page[0].0;
        let (tables, links) = match page_tables(&site.pages[page]) {
            Ok((tables, links)) => (tables, Arc::new(links)),
            Err(unreadable) => {
                diags.push(unreadable);
                continue;
            }
        };
        let mut indices = in_page.iter().map(|&(_, index)| index).peekable();
        for (index, table) in tables.iter().enumerate() {
            if indices.next_if_eq(&index).is_some() {
                let links = Arc::clone(&links);
                may_drift.push(TableAt { page, table, links });
            }
        }
    }
    TableReading {
        rows,
        diags,
        api_changes,
        may_drift,
    }
}

/// The tables of `page` and its links, which the tables' cells name by index; the finding
/// when either cannot be read back from a one-shot build's scratch file (the page's tables
/// are then not read).
fn page_tables(page: &Page) -> Result<(TableList<'_>, LinkList<'_>), Diagnostic> {
    let unreadable = |what: &str, e: std::io::Error| {
        let message = crate::model::stow::read_error(&page.path, what, &e);
        Diagnostic::new(crate::diag::Code::UnreadableFile, &page.path, 1, 1, message)
    };
    let tables = page.tables.read().map_err(|e| unreadable("tables", e))?;
    let links = page.links.read().map_err(|e| unreadable("links", e))?;
    Ok((tables, links))
}

/// True when [`extract`], or an export of what it finds, may read the document nodes of
/// `page` (`from_yaml`: a page generated from a YAML data file): an FAQ page (its answers)
/// and a page with an API-change table (its impacts). Any other page's nodes are read only
/// by the page's own render and search entry, so a one-shot build need not hold them
/// from the page's parse to its render.
pub fn reads_nodes_of(page: &Page, from_yaml: bool, config: &crate::settings::Config) -> bool {
    let api_columns = &config.migration.api_changes;
    // Called on a page just parsed, whose tables are in memory.
    faq::is_faq(page, from_yaml)
        || (page.tables.read()).is_ok_and(|tables| {
            (tables.iter()).any(|t| api::api_columns(&t, api_columns).is_some())
        })
}

/// True when [`extract`] reads the same from two versions of a Markdown page: the same
/// tables (and links, which table cells point into) and includes (a YAML set is shown by
/// the first page that includes it), neither an FAQ page. Where links point
/// depends on the site's set of files, not on other pages' contents, so a page edit for
/// which this holds leaves the migration model as it was; only checks of mapping targets
/// against the page's anchors may change.
pub fn reads_same(old: &Page, new: &Page) -> bool {
    old.path == new.path
        && old.tables == new.tables
        && (new.tables.is_empty() || old.links == new.links)
        && old.includes == new.includes
        && !faq::is_faq(old, false)
        && !faq::is_faq(new, false)
}

fn doc_file(entry: &MappingEntry) -> &str {
    entry.page.as_deref().unwrap_or(&entry.origin.file)
}

/// The page that shows a YAML set: the YAML file's own page, else the first page that
/// includes it.
fn showing_page(site: &Site, path: &str) -> Option<String> {
    if site.page_by_path(path).is_some() {
        return Some(path.to_string());
    }
    site.pages
        .iter()
        .find(|p| p.includes.iter().any(|i| i == path))
        .map(|p| p.path.clone())
}

/// The heading id above the table a page shows for the YAML file at `path` (none when the
/// page's tables cannot be read back: the page's other readers report that).
fn yaml_section(site: &Site, page: &str, path: &str) -> Option<String> {
    let page = &site.pages[site.page_by_path(page)?];
    page.tables
        .read()
        .ok()?
        .iter()
        .find(|t| &*t.file == path && page.path != path)
        .and_then(|t| t.section.clone())
}

fn yaml_rows(site: &Site, file: &MappingFile) -> Vec<(SetKey, MappingEntry)> {
    let page = showing_page(site, &file.path);
    let section = page
        .as_deref()
        .and_then(|p| yaml_section(site, p, &file.path));
    file.entries
        .iter()
        .map(|e| {
            let origin = Origin {
                file: file.path.clone(),
                line: e.line,
            };
            let mut entry = MappingEntry {
                label: e.label.clone().unwrap_or_else(|| e.source.clone()),
                source_url: e.source.clone(),
                target_url: None,
                status: MappingStatus::Unsupported,
                note: e.note.clone(),
                origin: origin.clone(),
                page: page.clone(),
                target_link: None,
                section: section.clone(),
            };
            if let Some(target) = &e.target {
                if crate::urls::scheme_of(target).is_some() {
                    entry.target_link = tables::site_link(site, target, &origin).map(Box::new);
                    entry.target_url = Some(target.clone());
                } else {
                    let link = Link {
                        kind: LinkKind::Inline,
                        dest: target.clone(),
                        target: crate::model::link::classify(
                            target,
                            &file.path,
                            &site.config.base_path,
                        ),
                        file: file.path.as_str().into(),
                        line: e.line,
                        column: 1,
                        definition_line: None,
                    };
                    entry.target_url = Some(tables::local_url(site, &link));
                    entry.target_link = Some(Box::new(link));
                }
                entry.status = MappingStatus::Mapped;
            }
            (file.key.clone(), entry)
        })
        .collect()
}

impl Migration {
    /// True when an output shows something of the page at `path` beyond the model: the
    /// HTML of an API change or an FAQ answer (exports), or the title of a page a mapping set
    /// comes from (the mapping explorer).
    pub fn shows_page(&self, path: &str) -> bool {
        self.faq.iter().any(|f| f.page == path)
            || self.sets.iter().any(|s| s.page.as_deref() == Some(path))
            || (self.api_changes.iter()).any(|a| a.impact.as_ref().is_some_and(|f| f.page == path))
    }

    /// The links of mapping targets inside the site that no page holds, for the check
    /// stage.
    pub fn target_links(&self) -> Vec<&Link> {
        self.sets
            .iter()
            .flat_map(|s| &s.entries)
            .filter_map(|e| e.target_link.as_deref())
            .collect()
    }
}
