//! What `check --verbose` lists besides findings: links into other docsets (not findings,
//! but worth a look before they are checked against published manifests) and pages that no
//! table of contents lists (Learn allows them; readers reach them only by links).

use crate::model::{LinkTarget, Site};

/// A link to another docset on the same host, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossDocsetLink {
    /// File it is written in.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The target as written.
    pub dest: String,
}

/// The listings of a checked site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Every link into another docset, in file and line order.
    pub cross_docset: Vec<CrossDocsetLink>,
    /// Source paths of the pages no table of contents lists (empty when the site has none).
    pub outside_tocs: Vec<String>,
}

/// Lists the cross-docset links and the pages missing from every table of contents.
/// Reads the pages' links as `check` holds them: in memory (only a one-shot build stows
/// them, and a page whose links cannot be read has its own `unreadable-file` finding).
pub fn listing(site: &Site) -> Listing {
    let mut cross_docset: Vec<CrossDocsetLink> = (site.pages.iter())
        .flat_map(|p| {
            p.links
                .read()
                .map(|links| links.to_vec())
                .unwrap_or_default()
        })
        .filter(|l| matches!(l.target, LinkTarget::OffSite { .. }))
        .map(|l| CrossDocsetLink {
            file: l.file.to_string(),
            line: l.line,
            column: l.column,
            dest: l.dest.clone(),
        })
        .collect();
    cross_docset.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    // A file included by several pages shows its links once.
    cross_docset.dedup();
    let outside_tocs = match &site.navigation {
        None => Vec::new(),
        Some(navigation) => {
            let mut listed = vec![false; site.pages.len()];
            navigation.walk(|entry| {
                if let Some(page) = entry.page {
                    listed[page] = true;
                }
            });
            (site.pages.iter().zip(listed))
                .filter(|(_, listed)| !listed)
                .map(|(p, _)| p.path.clone())
                .collect()
        }
    };
    Listing {
        cross_docset,
        outside_tocs,
    }
}
