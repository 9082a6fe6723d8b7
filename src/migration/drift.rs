//! `table-drift`: two tables (in different places) with the same header and the same
//! first-column keys that disagree in a cell. One table included into several pages has
//! one origin, so it never drifts from itself.

use super::cells::squash;
use super::tables::{header_names, is_blank, TableAt};
use crate::diag::{Code, Diagnostic, Related};
use crate::model::{Row, Table};
use std::collections::{BTreeMap, HashMap};

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

/// Compares every pair of tables with the same header (ignoring case and markup) and the
/// same keys; reports the later table, naming both locations and every differing cell.
pub(crate) fn check_drift(tables: &[TableAt<'_>]) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<String, Vec<Keyed<'_>>> = BTreeMap::new();
    for at in tables {
        if let Some(k) = keyed(at.table) {
            let header = k.names.join("\u{1f}").to_lowercase();
            groups.entry(header).or_default().push(k);
        }
    }
    let mut out = Vec::new();
    for group in groups.values() {
        // Each table is compared with the first table that has its header and its first-column
        // keys (tables are unique by location); a map keeps this linear for large doc sets.
        let mut first_with_keys: HashMap<Vec<&str>, usize> = HashMap::new();
        for (j, later) in group.iter().enumerate() {
            let keys: Vec<&str> = later.rows.keys().map(String::as_str).collect();
            let first = *first_with_keys.entry(keys).or_insert(j);
            if first != j {
                if let Some(d) = compare(&group[first], later) {
                    out.push(d);
                }
            }
        }
    }
    out
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
                file: a.table.file.clone(),
                line: row_a.line,
                message: format!("{what}: {}", excerpt(&ta, at)),
            });
            related.push(Related {
                file: b.table.file.clone(),
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
    let mut d = Diagnostic::new(Code::TableDrift, &b.table.file, b.table.line, 1, message)
        .with_suggestion(format!(
            "make the tables agree, or keep one copy in an include file and `[!INCLUDE]` it in both pages (`{}`)",
            a.table.file
        ));
    d.related = related;
    Some(d)
}
