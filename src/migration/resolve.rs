//! Looking an old URL up in the mapping sets: the exact source URL first, then the longest
//! source whose fragment is a prefix of the URL's fragment, then the longest source (without
//! a fragment) whose path is a prefix of the URL's path. The redirect page's script
//! (`static/docshift-redirect.js`) follows the same rules.

use super::sets::url_key;
use crate::model::migration::{MappingEntry, MappingSet};
use crate::model::Migration;
use serde::Serialize;

/// How an URL matched a mapping key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// The source URL itself.
    Exact,
    /// A source URL whose fragment is a prefix of the URL's fragment (`#insights` for
    /// `#insights/payout/2020`).
    FragmentPrefix,
    /// A source URL without fragment whose path is a prefix of the URL's path.
    PathPrefix,
}

/// The entry an URL resolved to.
#[derive(Debug, Clone, Copy)]
pub struct Match<'m> {
    /// The set.
    pub set: &'m MappingSet,
    /// The entry.
    pub entry: &'m MappingEntry,
    /// How it matched.
    pub kind: MatchKind,
}

/// An URL split for matching: `scheme://host` lower-cased, path (`/` when empty), query,
/// fragment.
struct Parts {
    origin: String,
    path: String,
    fragment: Option<String>,
}

fn parts(url: &str) -> Parts {
    let key = url_key(url);
    let (before, fragment) = match key.split_once('#') {
        Some((b, f)) => (b.to_string(), Some(f.to_string())),
        None => (key.clone(), None),
    };
    let after_scheme = before.find("://").map_or(0, |i| i + 3);
    let path_at = before[after_scheme..]
        .find('/')
        .map_or(before.len(), |i| after_scheme + i);
    Parts {
        origin: before[..path_at].to_string(),
        path: before[path_at..].to_string(),
        fragment,
    }
}

/// True when `prefix` equals `text` or is followed in it by a separator (`/`, `?`, `&`).
fn is_segment_prefix(prefix: &str, text: &str, separators: &[char]) -> bool {
    match text.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => prefix.ends_with(separators) || rest.starts_with(separators),
        None => false,
    }
}

/// Looks `url` up in every set (sets in id order; the first best match wins).
pub fn resolve<'m>(migration: &'m Migration, url: &str) -> Option<Match<'m>> {
    let wanted = parts(url.trim());
    let wanted_key = url_key(url.trim());
    let entries = || {
        migration
            .sets
            .iter()
            .flat_map(|s| s.entries.iter().map(move |e| (s, e)))
    };
    if let Some((set, entry)) = entries().find(|(_, e)| url_key(&e.source_url) == wanted_key) {
        return Some(Match {
            set,
            entry,
            kind: MatchKind::Exact,
        });
    }
    let mut best: Option<(usize, MatchKind, &MappingSet, &MappingEntry)> = None;
    for (set, entry) in entries() {
        let p = parts(&entry.source_url);
        if p.origin != wanted.origin {
            continue;
        }
        let found = match (&p.fragment, &wanted.fragment) {
            (Some(f), Some(w)) if p.path == wanted.path && !f.is_empty() => {
                is_segment_prefix(f, w, &['/', '?', '&'])
                    .then_some((f.len(), MatchKind::FragmentPrefix))
            }
            (None, _) => is_segment_prefix(&p.path, &wanted.path, &['/', '?'])
                .then_some((p.path.len(), MatchKind::PathPrefix)),
            _ => None,
        };
        let Some((len, kind)) = found else { continue };
        let better = match best {
            None => true,
            Some((blen, bkind, ..)) => {
                (kind == MatchKind::FragmentPrefix && bkind == MatchKind::PathPrefix)
                    || (kind == bkind && len > blen)
            }
        };
        if better {
            best = Some((len, kind, set, entry));
        }
    }
    best.map(|(_, kind, set, entry)| Match { set, entry, kind })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::migration::{MappingStatus, Origin, System};

    fn entry(source: &str, target: &str) -> MappingEntry {
        MappingEntry {
            label: source.into(),
            source_url: source.into(),
            target_url: Some(target.into()),
            status: MappingStatus::Mapped,
            note: None,
            origin: Origin {
                file: "a.md".into(),
                line: 1,
            },
            page: None,
            target_link: None,
            section: None,
        }
    }

    fn migration() -> Migration {
        Migration {
            sets: vec![MappingSet {
                id: "s".into(),
                source: System { name: "A".into() },
                target: System { name: "B".into() },
                entries: vec![
                    entry("https://old.example/#insights", "https://new.example/i"),
                    entry(
                        "https://old.example/#insights/payout",
                        "https://new.example/p",
                    ),
                    entry("https://old.example/docs", "https://new.example/d"),
                    entry("https://old.example/docs/api", "https://new.example/api"),
                ],
                origins: Vec::new(),
                page: None,
                page_url: None,
                moves: false,
            }],
            ..Migration::default()
        }
    }

    fn target(m: &Migration, url: &str) -> Option<(String, MatchKind)> {
        resolve(m, url).map(|r| (r.entry.target_url.clone().unwrap(), r.kind))
    }

    #[test]
    fn exact_then_longest_prefix() {
        let m = migration();
        assert_eq!(
            target(&m, "https://OLD.example#insights/payout"),
            Some(("https://new.example/p".into(), MatchKind::Exact))
        );
        assert_eq!(
            target(&m, "https://old.example/#insights/payout/2020"),
            Some(("https://new.example/p".into(), MatchKind::FragmentPrefix))
        );
        assert_eq!(
            target(&m, "https://old.example/#insights2"),
            None,
            "prefixes stop at segment boundaries"
        );
        assert_eq!(
            target(&m, "https://old.example/docs/api/v2?x=1"),
            Some(("https://new.example/api".into(), MatchKind::PathPrefix))
        );
        assert_eq!(
            target(&m, "https://old.example/docs/other"),
            Some(("https://new.example/d".into(), MatchKind::PathPrefix))
        );
        assert_eq!(target(&m, "https://old.example/#history"), None);
        assert_eq!(target(&m, "https://elsewhere.example/docs"), None);
    }
}
