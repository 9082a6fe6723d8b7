//! API-change tables (`API | Change description | Impact`, header names configurable):
//! one [`ApiChange`] per row, with the HTTP verb distributed over the operations.

use super::cells::squash;
use super::tables::{header_names, is_blank, TableAt};
use crate::model::doc_text::nodes_text;
use crate::model::migration::{ApiChange, Fragment, Origin};
use crate::model::{Site, Table};
use crate::settings::ApiColumns;

const VERBS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Splits an API cell into operations: `POST Publish, GoLive, Cancel` → `POST Publish`,
/// `POST GoLive`, `POST Cancel`. Each line (`<br>`) may start with its own verb; a list
/// without a verb is split on commas as written.
pub(crate) fn split_operations(api: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in api.lines() {
        let line = squash(line);
        let (verb, rest) = match line.split_once(' ') {
            Some((v, rest)) if VERBS.contains(&v.to_ascii_uppercase().as_str()) => {
                (Some(v.to_ascii_uppercase()), rest)
            }
            _ => (None, line.as_str()),
        };
        for part in rest.split([',', ';']) {
            let part = part.trim();
            let part = part.strip_prefix("and ").unwrap_or(part).trim();
            if part.is_empty() {
                continue;
            }
            out.push(match &verb {
                Some(v) => format!("{v} {part}"),
                None => part.to_string(),
            });
        }
        if rest.trim().is_empty() {
            if let Some(v) = verb {
                out.push(v);
            }
        }
    }
    out
}

/// The API, change and impact columns of an API-change table; `None` for other tables.
pub(crate) fn api_columns(table: &Table, columns: &ApiColumns) -> Option<(usize, usize, usize)> {
    let names = header_names(table);
    let find = |wanted: &str| {
        names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(wanted.trim()))
    };
    Some((
        find(&columns.api)?,
        find(&columns.change)?,
        find(&columns.impact)?,
    ))
}

/// Every row of an API-change table, in document order (none for any other table).
pub(crate) fn table_api_changes(site: &Site, at: &TableAt, columns: &ApiColumns) -> Vec<ApiChange> {
    let page = &site.pages[at.page];
    let Some((api, change, impact)) = api_columns(&at.table, columns) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in at.table.rows.iter().filter(|r| !is_blank(r)) {
        let cell = |i: usize| row.cells.get(i);
        let text = |i: usize| {
            cell(i)
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default()
        };
        let mut code: Vec<String> = Vec::new();
        for c in [change, impact].into_iter().filter_map(cell) {
            for span in &c.code {
                if !code.contains(span) {
                    code.push(span.clone());
                }
            }
        }
        let api_text = text(api);
        out.push(ApiChange {
            operations: split_operations(&api_text),
            api: squash(&api_text),
            change: squash(&text(change)),
            impact_text: cell(impact)
                .map(|c| nodes_text(page.doc.nodes.get(c.nodes.clone()).unwrap_or_default()))
                .unwrap_or_default(),
            impact: cell(impact).map(|c| Fragment {
                page: page.path.clone(),
                nodes: c.nodes.clone(),
            }),
            code,
            origin: Origin {
                file: at.table.file.to_string(),
                line: row.line,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributes_the_verb() {
        assert_eq!(
            split_operations("POST Publish, GoLive, Cancel"),
            ["POST Publish", "POST GoLive", "POST Cancel"]
        );
        assert_eq!(split_operations("GET Operation"), ["GET Operation"]);
        assert_eq!(
            split_operations("GET Offer\nput Offer, Plan"),
            ["GET Offer", "PUT Offer", "PUT Plan"]
        );
        assert_eq!(
            split_operations("Publish and GoLive, Cancel"),
            ["Publish and GoLive", "Cancel"]
        );
        assert_eq!(split_operations(""), Vec::<String>::new());
    }
}
