//! Merging mapping rows from every table and YAML file of a set, in document order, and the
//! `mapping-conflict` / `mapping-duplicate` checks.

use super::SetKey;
use crate::diag::{Code, Diagnostic, Related};
use crate::model::migration::{MappingEntry, MappingSet, Origin, System};
use crate::model::Site;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The comparison key of a source URL: scheme and host lower-cased, an empty path read as
/// `/`; path, query and fragment compared exactly.
pub(crate) fn url_key(url: &str) -> String {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(split);
    let tail = if tail.starts_with('/') {
        tail.to_string()
    } else {
        format!("/{tail}")
    };
    format!(
        "{}://{}{tail}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    )
}

/// A set being merged: the set, the index of the entry of each source URL key, and the files
/// already listed as its origins.
type Merging = (MappingSet, HashMap<String, usize>, HashSet<String>);

/// Groups rows into sets (ordered by id), keeping document order inside each set.
/// A repeated source URL keeps the first row: the same target is `mapping-duplicate`,
/// another target is `mapping-conflict`; both name the two locations.
pub(crate) fn merge(
    site: &Site,
    rows: Vec<(SetKey, MappingEntry)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<MappingSet> {
    // The comparison keys are computed in parallel; the merge itself follows document order.
    let url_keys: Vec<String> = rows
        .par_iter()
        .map(|(_, entry)| url_key(&entry.source_url))
        .collect();
    // Per set: the set, the index of the entry of each source URL key, and the files
    // already listed as its origins (sets can span thousands of tables).
    let mut sets: BTreeMap<String, Merging> = BTreeMap::new();
    for ((key, entry), url) in rows.into_iter().zip(url_keys) {
        if !sets.contains_key(&key.id) {
            let set = MappingSet {
                id: key.id.clone(),
                source: System { name: key.source },
                target: System { name: key.target },
                entries: Vec::new(),
                origins: Vec::new(),
                page: None,
                page_url: None,
                moves: false,
            };
            sets.insert(
                key.id.clone(),
                (set, HashMap::default(), HashSet::default()),
            );
        }
        let Some((set, seen, origin_files)) = sets.get_mut(&key.id) else {
            continue;
        };
        if !origin_files.contains(entry.origin.file.as_str()) {
            origin_files.insert(entry.origin.file.clone());
            set.origins.push(Origin {
                file: entry.origin.file.clone(),
                line: 0,
            });
        }
        if set.page.is_none() {
            set.page = entry.page.clone();
        }
        match seen.get(&url) {
            Some(&first) => {
                let earlier = &set.entries[first];
                if earlier.origin != entry.origin {
                    diags.push(repeat_diagnostic(&set.id, earlier, &entry));
                }
            }
            None => {
                seen.insert(url, set.entries.len());
                set.entries.push(entry);
            }
        }
    }
    let mut out: Vec<MappingSet> = sets.into_values().map(|(set, _, _)| set).collect();
    out.par_iter_mut().for_each(|set| {
        fix_origin_lines(set);
        let section = set.entries.first().and_then(|e| e.section.clone());
        set.page_url =
            set.page
                .as_deref()
                .and_then(|p| site.page_by_path(p))
                .map(|i| match &section {
                    Some(id) => {
                        format!("{}#{}", site.pages[i].url, crate::urls::encode_fragment(id))
                    }
                    None => site.pages[i].url.clone(),
                });
    });
    out
}

/// A set's origins are its files; the line is the first entry's line in that file.
fn fix_origin_lines(set: &mut MappingSet) {
    let mut first_line: HashMap<&str, u32> = HashMap::default();
    for e in &set.entries {
        let line = first_line
            .entry(e.origin.file.as_str())
            .or_insert(e.origin.line);
        *line = (*line).min(e.origin.line);
    }
    for origin in &mut set.origins {
        origin.line = first_line.get(origin.file.as_str()).copied().unwrap_or(1);
    }
}

fn describe(entry: &MappingEntry) -> String {
    match &entry.target_url {
        Some(url) => format!("`{url}`"),
        None => match &entry.note {
            Some(note) => format!("unsupported (\"{note}\")"),
            None => "unsupported".to_string(),
        },
    }
}

fn repeat_diagnostic(set: &str, first: &MappingEntry, again: &MappingEntry) -> Diagnostic {
    let same = first.target_url == again.target_url && first.status == again.status;
    let (code, message, related, help) = if same {
        (
            Code::MappingDuplicate,
            format!(
                "`{}` is mapped twice in set `{set}` (both to {}); the first row is kept",
                again.source_url,
                describe(again)
            ),
            "first mapped here",
            "delete this row: the first one says the same",
        )
    } else {
        (
            Code::MappingConflict,
            format!(
                "`{}` is mapped to {} here but to {} at {}:{} (set `{set}`); the first row is kept",
                again.source_url,
                describe(again),
                describe(first),
                first.origin.file,
                first.origin.line
            ),
            "the other mapping",
            "keep the row with the right target and delete the other",
        )
    };
    Diagnostic::new(code, &again.origin.file, again.origin.line, 1, message)
        .with_target(again.source_url.clone())
        .with_suggestion(help)
        .with_related(Related {
            file: first.origin.file.clone(),
            line: first.origin.line,
            message: format!("{related}: {}", describe(first)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keys_ignore_host_case_only() {
        assert_eq!(
            url_key("HTTPS://CloudPartner.Azure.com#history"),
            "https://cloudpartner.azure.com/#history"
        );
        assert_ne!(
            url_key("https://a.example/X"),
            url_key("https://a.example/x")
        );
    }
}
