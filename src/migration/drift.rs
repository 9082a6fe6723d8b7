//! `table-drift`: two tables (in different places) that are copies of one fact and
//! disagree in a cell. One table included into several pages has one origin, so it never
//! drifts from itself.
//!
//! Tables are copies when they have the same header (ignoring case and markup), the same
//! first-column keys and at least [`COPY_SHARE`] of their other cells identical. Tables
//! that merely share a header (API-reference pages whose one-row `Method | Request URI`
//! tables all have the key `GET`) are different facts, not drift. Mapping and API-change
//! tables keep the plain rule (same header and keys is enough): they state one migration,
//! so any difference between two of them is worth a look.

use super::cells::squash;
use super::tables::{header_names, is_blank, TableAt};
use crate::diag::{Code, Diagnostic, Related};
use crate::model::{Row, Table};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// Longest cell excerpt quoted in a message.
const EXCERPT: usize = 90;

struct Keyed<'s> {
    table: &'s Table,
    names: Vec<String>,
    rows: BTreeMap<String, &'s Row>,
}

fn cell_text(row: &Row, col: usize) -> String {
    row.cells
        .get(col)
        .map(|c| squash(&c.text))
        .unwrap_or_default()
}

fn keyed<'s>(table: &'s Table) -> Option<Keyed<'s>> {
    let names = header_names(table);
    if names.len() < 2 {
        return None;
    }
    let mut rows = BTreeMap::new();
    for row in table.rows.iter().filter(|r| !is_blank(r)) {
        let key = cell_text(row, 0);
        if rows.insert(key, row).is_some() {
            return None; // repeated keys: rows cannot be paired
        }
    }
    (!rows.is_empty()).then_some(Keyed { table, names, rows })
}

/// The part of `text` around char `at` (where it starts to differ from the other cell),
/// quoted, with `…` where it is cut.
fn excerpt(text: &str, at: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let start = at.saturating_sub(EXCERPT / 3);
    let end = (start + EXCERPT).min(chars.len());
    let mut out = String::from("\"");
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out.push('"');
    out
}

/// Char index of the first difference of two texts.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The share of value cells (every column but the key column) two tables with the same
/// header and keys must have identical to be copies of one fact: three quarters.
const COPY_SHARE: (usize, usize) = (3, 4);

/// How many distinct tables of one header-and-keys group a table is compared with. Copies
/// of a fact usually number a handful; the bound keeps the check linear on doc sets where
/// hundreds of unrelated tables share a header and keys.
const MAX_ORIGINALS: usize = 8;

/// A hash of the group [`check_drift`] puts `table` in (its header and first-column
/// keys), `None` when it joins no group. Only tables that share a hash with another can
/// drift, so the migration stage keys every table while it reads it and makes back only
/// those for the check: the site's tables are never all held at once.
pub(crate) fn group_hash(table: &Table) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let k = keyed(table)?;
    let mut hasher = rustc_hash::FxHasher::default();
    group_key(&k).hash(&mut hasher);
    Some(hasher.finish())
}

/// The header (lower case) and first-column keys that group copies of one table.
fn group_key(k: &Keyed<'_>) -> (String, Vec<String>) {
    let header = k.names.join("\u{1f}").to_lowercase();
    (header, k.rows.keys().cloned().collect())
}

/// Groups tables by header and first-column keys (hashing, so the check stays linear) and
/// reports each table that drifted from an earlier copy, naming both locations and every
/// differing cell. `plain_rule` tables (mapping and API-change tables) drift from the first
/// table of their group whatever share of cells differs.
pub(crate) fn check_drift(
    tables: &[TableAt],
    plain_rule: impl Fn(&TableAt) -> bool + Sync,
) -> Vec<Diagnostic> {
    let mut groups: HashMap<(String, Vec<String>), Vec<usize>> = HashMap::default();
    let mut order: Vec<(String, Vec<String>)> = Vec::new();
    // Keying reads every cell: done in parallel, collected in table order.
    let keyed_all: Vec<(Keyed<'_>, &TableAt, String, Vec<String>)> = tables
        .par_iter()
        .filter_map(|at| {
            let k = keyed(&at.table)?;
            let (header, keys) = group_key(&k);
            Some((k, at, header, keys))
        })
        .collect();
    let mut keyed_tables = Vec::with_capacity(keyed_all.len());
    for (k, at, header, keys) in keyed_all {
        let group = groups.entry((header, keys)).or_insert_with_key(|key| {
            order.push(key.clone());
            Vec::new()
        });
        group.push(keyed_tables.len());
        keyed_tables.push((k, at));
    }
    // Groups in the order their first table appears: the report is sorted later, but the
    // choice of which copy is "earlier" must not depend on hashing. Groups are independent,
    // so they are compared in parallel and their findings joined in that order.
    let per_group: Vec<Vec<Diagnostic>> = order
        .par_iter()
        .map(|key| {
            let group = &groups[key];
            // Only the first table of a group is classified: the rule is the group's.
            let (first, at) = &keyed_tables[group[0]];
            if plain_rule(at) {
                return group[1..]
                    .iter()
                    .filter_map(|&j| compare(first, &keyed_tables[j].0))
                    .collect();
            }
            copies_that_drifted(group, &keyed_tables)
        })
        .collect();
    per_group.into_iter().flatten().collect()
}

/// In one header-and-keys group: each table that is a copy of an earlier distinct table
/// (compared with at most [`MAX_ORIGINALS`] of them) and differs from it.
fn copies_that_drifted(group: &[usize], tables: &[(Keyed<'_>, &TableAt)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut originals: Vec<&Keyed<'_>> = Vec::new();
    let mut seen_contents: HashSet<Vec<String>> = HashSet::default();
    for &j in group {
        let table = &tables[j].0;
        if !seen_contents.insert(contents(table)) {
            continue; // an identical copy: nothing drifted
        }
        match originals.iter().find(|o| is_copy(o, table)) {
            Some(original) => out.extend(compare(original, table)),
            None if originals.len() < MAX_ORIGINALS => originals.push(table),
            None => {}
        }
    }
    out
}

/// Every value cell of a table, row by row in key order.
fn contents(table: &Keyed<'_>) -> Vec<String> {
    table
        .rows
        .values()
        .flat_map(|row| (1..table.names.len()).map(|col| cell_text(row, col)))
        .collect()
}

/// True when at least [`COPY_SHARE`] of the value cells of `a` and `b` (same header and
/// keys) are identical.
fn is_copy(a: &Keyed<'_>, b: &Keyed<'_>) -> bool {
    let (total, same) = a.rows.iter().fold((0, 0), |(total, same), (key, row_a)| {
        let row_b = b.rows[key];
        let cols = 1..a.names.len();
        let equal = cols
            .clone()
            .filter(|&col| cell_text(row_a, col) == cell_text(row_b, col))
            .count();
        (total + cols.len(), same + equal)
    });
    total > 0 && same * COPY_SHARE.1 >= total * COPY_SHARE.0
}

fn compare(a: &Keyed<'_>, b: &Keyed<'_>) -> Option<Diagnostic> {
    let mut cells = Vec::new();
    let mut related = Vec::new();
    for (key, row_a) in &a.rows {
        let row_b = b.rows[key];
        for col in 1..a.names.len() {
            let (ta, tb) = (cell_text(row_a, col), cell_text(row_b, col));
            if ta == tb {
                continue;
            }
            let what = format!("row `{key}`, column `{}`", b.names[col]);
            let at = first_difference(&ta, &tb);
            related.push(Related {
                file: a.table.file.to_string(),
                line: row_a.line,
                message: format!("{what}: {}", excerpt(&ta, at)),
            });
            related.push(Related {
                file: b.table.file.to_string(),
                line: row_b.line,
                message: format!("{what}: {}", excerpt(&tb, at)),
            });
            cells.push(what);
        }
    }
    if cells.is_empty() {
        return None;
    }
    let message = format!(
        "this table has the same header and rows as the table at {}:{} but {} {} differ{}: {}",
        a.table.file,
        a.table.line,
        cells.len(),
        if cells.len() == 1 { "cell" } else { "cells" },
        if cells.len() == 1 { "s" } else { "" },
        cells.join("; ")
    );
    let mut d = Diagnostic::new(Code::TableDrift, &*b.table.file, b.table.line, 1, message)
        .with_suggestion(format!(
            "make the tables agree, or keep one copy in an include file and `[!INCLUDE]` it in both pages (`{}`)",
            a.table.file
        ));
    d.related = related;
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    fn cell(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            markdown: text.to_string(),
            ..Cell::default()
        }
    }

    /// A table in `file` at line 1: `header`, then one row per `rows` item.
    fn table(file: &str, header: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            file: file.into(),
            line: 1,
            section: None,
            header: header.iter().map(|h| cell(h)).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Row {
                    line: i as u32 + 3,
                    cells: r.iter().map(|c| cell(c)).collect(),
                })
                .collect(),
        }
    }

    fn drifted(tables: &[Table], plain: bool) -> Vec<(String, String)> {
        let no_links = crate::model::PageLinks::default();
        let links = std::sync::Arc::new(no_links.read().expect("held"));
        let at: Vec<TableAt> = tables
            .iter()
            .map(|table| TableAt {
                page: 0,
                table: table.clone(),
                links: std::sync::Arc::clone(&links),
            })
            .collect();
        check_drift(&at, |_| plain)
            .into_iter()
            .map(|d| (d.file, d.related[0].file.clone()))
            .collect()
    }

    const HEADER: [&str; 3] = ["Setting", "Default", "Maximum"];

    #[test]
    fn one_row_tables_sharing_a_header_and_key_are_not_copies() {
        let tables: Vec<Table> = (0..20)
            .map(|i| {
                let uri = format!("https://api.example/v1/things/{i}");
                table(
                    &format!("api/{i}.md"),
                    &["Method", "Request URI"],
                    &[&["GET", &uri]],
                )
            })
            .collect();
        assert_eq!(drifted(&tables, false), []);
        // Under the plain rule (API-change and mapping tables) they would all drift.
        assert_eq!(drifted(&tables, true).len(), 19);
    }

    #[test]
    fn a_copy_drifts_from_the_table_it_copies_not_from_the_first_of_its_header() {
        let rows_a: [&[&str]; 2] = [&["Offers", "1", "2"], &["Plans", "3", "4"]];
        let rows_b: [&[&str]; 2] = [&["Offers", "10", "500"], &["Plans", "10", "100"]];
        let rows_c: [&[&str]; 2] = [&["Offers", "10", "500"], &["Plans", "10", "200"]];
        let tables = [
            table("a.md", &HEADER, &rows_a),
            table("b.md", &HEADER, &rows_b),
            table("c.md", &HEADER, &rows_c),
            // An identical copy of `b.md`: nothing differs.
            table("d.md", &HEADER, &rows_b),
        ];
        assert_eq!(drifted(&tables, false), [("c.md".into(), "b.md".into())]);
    }

    #[test]
    fn three_quarters_of_cells_identical_make_a_copy() {
        let rows_a: [&[&str]; 2] = [&["Offers", "10", "500"], &["Plans", "10", "100"]];
        let one_differs: [&[&str]; 2] = [&["Offers", "10", "500"], &["Plans", "10", "200"]];
        let two_differ: [&[&str]; 2] = [&["Offers", "10", "600"], &["Plans", "10", "200"]];
        let copy = [
            table("a.md", &HEADER, &rows_a),
            table("b.md", &HEADER, &one_differs),
        ];
        assert_eq!(drifted(&copy, false).len(), 1);
        let not_copy = [
            table("a.md", &HEADER, &rows_a),
            table("b.md", &HEADER, &two_differ),
        ];
        assert_eq!(drifted(&not_copy, false), []);
    }
}
