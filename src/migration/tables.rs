//! Mapping tables in pages: which tables are mapping tables (declared in `site.yaml` or
//! detected by their headers) and the mapping entries their rows hold.

use super::cells::{cell_note, cell_url, squash, CellUrl};
use super::SetKey;
use crate::diag::{Code, Diagnostic};
use crate::model::migration::{MappingEntry, MappingStatus, Origin};
use crate::model::{Link, LinkKind, LinkList, LinkTarget, Resolution, Row, Site, Table};
use std::collections::HashSet;
use std::sync::Arc;

/// A table and the first page (in path order) that shows it.
pub(crate) struct TableAt<'s> {
    /// Index into `Site::pages`.
    pub page: usize,
    /// The table, made back from the page's bytes.
    pub table: Table,
    /// The page's links, read once for all its tables: a cell names its links by index.
    pub links: Arc<LinkList<'s>>,
}

/// The header texts of a table, whitespace squashed, markup stripped.
pub(crate) fn header_names(table: &Table) -> Vec<String> {
    table.header.iter().map(|c| squash(&c.text)).collect()
}

/// True when every cell of a row is empty (the `| | |` separator rows of Learn tables).
pub(crate) fn is_blank(row: &Row) -> bool {
    row.cells
        .iter()
        .all(|c| c.text.trim().is_empty() && c.links.is_empty())
}

/// A set id derived from a name: lower-case ASCII letters and digits, other runs → `-`.
/// The same normalisation as `site.yaml` set names ([`crate::settings::system_key`]), so
/// a derived id never depends on header wording beyond the system's name.
pub(crate) fn slugify(name: &str) -> String {
    let out = crate::settings::system_key(name);
    if out.is_empty() {
        "set".to_string()
    } else {
        out
    }
}

/// Header endings that mark a URL column, longest first so that `… page link` loses both
/// words (the 2020 FAQ says `Cloud Partner Portal link`, the 2023 one `Cloud Partner Portal
/// page link`: one system either way).
const URL_HEADER_SUFFIXES: [&str; 5] = [" page link", " page url", " link", " url", " address"];

/// `Cloud Partner Portal link` → `Cloud Partner Portal` (also `… URL`, `… address`,
/// `… page link`, `… page URL`, any case).
pub(crate) fn system_of_header(name: &str) -> Option<String> {
    // A leading space lets a whole header match a suffix (`Page link` names no system).
    let name = format!(" {}", squash(name));
    // ASCII lower-casing keeps byte offsets, so the cut applies to the original text.
    let lower = name.to_ascii_lowercase();
    let cut = URL_HEADER_SUFFIXES
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix).map(str::len))?;
    let system = name[..cut].trim();
    (!system.is_empty()).then(|| system.to_string())
}

/// The roles of a mapping table's columns.
struct Columns {
    label: Option<usize>,
    source: usize,
    target: usize,
    names: Vec<String>,
    set: SetKey,
}

fn declared_columns(site: &Site, table: &Table, names: &[String]) -> Option<Columns> {
    let config = &site.config.migration;
    let find = |wanted: &str| {
        names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(wanted.trim()))
    };
    config
        .rules_for(&table.file, table.section.as_deref())
        .find_map(|rule| {
            let (source, target) = (find(&rule.source)?, find(&rule.target)?);
            let label = match &rule.label {
                Some(l) => find(l),
                None => (0..names.len()).find(|&i| i != source && i != target),
            };
            let naming = config.set_by_id(&rule.set);
            let name_of = |named: Option<&String>, given: &Option<String>, col: usize| {
                named
                    .cloned()
                    .or_else(|| given.clone())
                    .or_else(|| system_of_header(&names[col]))
                    .unwrap_or_else(|| names[col].clone())
            };
            Some(Columns {
                label,
                source,
                target,
                names: names.to_vec(),
                set: SetKey {
                    id: rule.set.clone(),
                    source: name_of(naming.map(|n| &n.source), &rule.source_name, source),
                    target: name_of(naming.map(|n| &n.target), &rule.target_name, target),
                },
            })
        })
}

fn detected_columns(site: &Site, at: &TableAt, names: &[String]) -> Option<Columns> {
    if !site.config.migration.detect {
        return None;
    }
    let url_columns: Vec<(usize, String)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| system_of_header(n).map(|s| (i, s)))
        .collect();
    let [(source, source_name), (target, target_name), ..] = url_columns.as_slice() else {
        return None;
    };
    let (mut filled, mut absolute) = (0, 0);
    for row in at.table.rows.iter().filter(|r| !is_blank(r)) {
        match cell_url(row.cells.get(*source), &at.links) {
            CellUrl::Empty => {}
            CellUrl::Absolute(_) => {
                filled += 1;
                absolute += 1;
            }
            _ => filled += 1,
        }
    }
    if absolute == 0 || absolute * 2 < filled {
        return None;
    }
    let set = match site.config.migration.set_named(source_name, target_name) {
        Some(n) => SetKey {
            id: n.id.clone(),
            source: n.source.clone(),
            target: n.target.clone(),
        },
        None => SetKey {
            id: format!("{}-to-{}", slugify(source_name), slugify(target_name)),
            source: source_name.clone(),
            target: target_name.clone(),
        },
    };
    Some(Columns {
        label: (0..names.len()).find(|i| i != source && i != target),
        source: *source,
        target: *target,
        names: names.to_vec(),
        set,
    })
}

/// True when `at` is a mapping table (declared in `site.yaml` or detected by its headers).
pub(crate) fn is_mapping_table(site: &Site, at: &TableAt) -> bool {
    let names = header_names(&at.table);
    declared_columns(site, &at.table, &names).is_some()
        || detected_columns(site, at, &names).is_some()
}

/// The rows of one table, with their sets, and the table's findings.
pub(crate) type TableRows = (Vec<(SetKey, MappingEntry)>, Vec<Diagnostic>);

/// The rows of one table (none when it is not a mapping table) and its findings. Tables
/// written in `skip_files` (YAML mapping files shown as tables) are not read: the YAML is
/// the source.
pub(crate) fn table_rows(site: &Site, at: &TableAt, skip_files: &HashSet<&str>) -> TableRows {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    if skip_files.contains(&*at.table.file) {
        return (out, diags);
    }
    let names = header_names(&at.table);
    let Some(cols) =
        declared_columns(site, &at.table, &names).or_else(|| detected_columns(site, at, &names))
    else {
        return (out, diags);
    };
    for row in at.table.rows.iter().filter(|r| !is_blank(r)) {
        if let Some(entry) = row_entry(site, at, &cols, row, &mut diags) {
            out.push((cols.set.clone(), entry));
        }
    }
    (out, diags)
}

fn row_entry(
    site: &Site,
    at: &TableAt,
    cols: &Columns,
    row: &Row,
    diags: &mut Vec<Diagnostic>,
) -> Option<MappingEntry> {
    let page = &site.pages[at.page];
    let origin = Origin {
        file: at.table.file.to_string(),
        line: row.line,
    };
    let label = cols
        .label
        .and_then(|i| row.cells.get(i))
        .map(|c| squash(&c.text))
        .unwrap_or_default();
    let column = |i: usize| cols.names[i].as_str();
    let source = match cell_url(row.cells.get(cols.source), &at.links) {
        CellUrl::Absolute(url) => url,
        other => {
            diags.push(invalid_cell(&origin, column(cols.source), &other, true));
            return None;
        }
    };
    let mut entry = MappingEntry {
        label: if label.is_empty() {
            source.clone()
        } else {
            label
        },
        source_url: source,
        target_url: None,
        status: MappingStatus::Unsupported,
        note: None,
        origin: origin.clone(),
        page: Some(page.path.clone()),
        target_link: None,
        section: at.table.section.clone(),
    };
    match cell_url(row.cells.get(cols.target), &at.links) {
        CellUrl::Absolute(url) => {
            entry.target_link = site_link(site, &url, &origin).map(Box::new);
            entry.target_url = Some(url);
            entry.status = MappingStatus::Mapped;
        }
        CellUrl::Local(link) => {
            // A page link: the check stage validates it with the page's other links.
            entry.target_url = Some(local_url(site, &link));
            entry.status = MappingStatus::Mapped;
        }
        CellUrl::Empty => {}
        CellUrl::Text(note) => entry.note = Some(note),
        other => {
            diags.push(invalid_cell(&origin, column(cols.target), &other, false));
            return None;
        }
    }
    // Words written next to a URL (`https://x (preview)`) are the entry's note, source
    // cell first; a target cell of plain text already is the note.
    let notes: Vec<String> = [
        cell_note(row.cells.get(cols.source)),
        entry.note.take(),
        (entry.status == MappingStatus::Mapped)
            .then(|| cell_note(row.cells.get(cols.target)))
            .flatten(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !notes.is_empty() {
        entry.note = Some(notes.join("; "));
    }
    Some(entry)
}

/// `mapping-invalid-url` for a URL cell that holds no usable URL.
pub(crate) fn invalid_cell(
    origin: &Origin,
    column: &str,
    found: &CellUrl,
    is_source: bool,
) -> Diagnostic {
    let (message, target) = match found {
        CellUrl::Empty => (
            format!("the `{column}` cell is empty; a mapping row needs an absolute source URL"),
            None,
        ),
        CellUrl::Text(t) => (format!("`{t}` in the `{column}` column is not a URL"), Some(t)),
        CellUrl::Relative(u) => (
            if is_source {
                format!("`{u}` in the `{column}` column is relative; source URLs must be absolute (`https://…`)")
            } else {
                format!("`{u}` in the `{column}` column is relative; write an absolute URL or link to a page of the site")
            },
            Some(u),
        ),
        CellUrl::Invalid { url, reason } => (
            format!("`{url}` in the `{column}` column is not a valid URL: {reason}"),
            Some(url),
        ),
        CellUrl::Several(urls) => (
            format!(
                "the `{column}` cell holds {} URLs (`{}`); a mapping cell holds exactly one",
                urls.len(),
                urls.join("`, `")
            ),
            urls.first(),
        ),
        CellUrl::Absolute(_) | CellUrl::Local(_) => (
            format!("the `{column}` cell links to a page of this site; source URLs must be absolute (`https://…`)"),
            None,
        ),
    };
    let mut d = Diagnostic::new(
        Code::MappingInvalidUrl,
        &origin.file,
        origin.line,
        1,
        message,
    )
    .with_suggestion(
        "write one absolute URL (`https://…`, bare, in `<…>` or as a Markdown link) per URL cell",
    );
    d.target = target.cloned();
    d
}

/// The URL a local link is published at: the page URL with its fragment, absolute when
/// the site has a `url`.
pub(crate) fn local_url(site: &Site, link: &Link) -> String {
    let href = site.href(link);
    match site.resolve(link) {
        Resolution::Page { .. } | Resolution::Asset { .. } => format!("{}{href}", site.config.url),
        _ => href,
    }
}

/// For an absolute URL under the site's own `url` and base path: a link to the page it
/// names, so the check stage validates it down to the anchor.
pub(crate) fn site_link(site: &Site, url: &str, origin: &Origin) -> Option<Link> {
    let own = &site.config.url;
    if own.is_empty() {
        return None;
    }
    let rest = url.strip_prefix(own.as_str())?;
    let rest = rest.strip_prefix(site.config.base_path.as_str())?;
    let (path, fragment) = match rest.split_once('#') {
        Some((p, f)) => (p, Some(crate::model::link::decode(f))),
        None => (rest, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let url_path = format!("{}{path}", site.config.base_path);
    let target_path = match site.page_by_url(&url_path) {
        Some(i) => site.pages[i].path.clone(),
        None => crate::model::link::decode(path),
    };
    Some(Link {
        kind: LinkKind::Inline,
        dest: url.to_string(),
        target: LinkTarget::Local {
            path: target_path,
            fragment,
            rooted: true,
        },
        file: origin.file.as_str().into(),
        line: origin.line,
        column: 1,
        definition_line: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_systems_and_ids() {
        assert_eq!(
            system_of_header("Cloud Partner Portal link").as_deref(),
            Some("Cloud Partner Portal")
        );
        assert_eq!(
            system_of_header("Partner Center URL").as_deref(),
            Some("Partner Center")
        );
        // The 2023 FAQ's header words name the same systems as the 2020 table's.
        for header in [
            "Cloud Partner Portal page link",
            "cloud partner portal PAGE URL",
            "Cloud Partner Portal address",
            "Cloud  Partner Portal   URL",
        ] {
            assert_eq!(
                system_of_header(header).map(|s| slugify(&s)).as_deref(),
                Some("cloud-partner-portal"),
                "{header}"
            );
        }
        assert_eq!(
            system_of_header("Partner Center page link").as_deref(),
            Some("Partner Center")
        );
        assert_eq!(system_of_header("Cloud Partner Portal page"), None);
        assert_eq!(system_of_header("Page link"), None);
        assert_eq!(system_of_header("Link"), None);
        assert_eq!(system_of_header("Page"), None);
        assert_eq!(
            slugify("Cloud Partner Portal"),
            "cloud-partner-portal".to_string()
        );
        assert_eq!(slugify("ÄÖ"), "set");
    }
}
