//! Check stage: validates the assembled [`Site`] and returns diagnostics. Pure: no I/O,
//! no rendering, no second parse; existence is answered by the site's path index.

mod anchors;
mod links;
mod listing;
mod toc;

pub use listing::{listing, CrossDocsetLink, Listing};
pub use toc::check_tocs;
// The "did you mean" helpers live in a leaf module so configuration errors can use them too.
pub use crate::suggest::{closest, edit_distance};

use crate::diag::{sort_diagnostics, Diagnostic};
use crate::model::{LinkCounts, Site};
use rayon::prelude::*;

/// What checking one page found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageCheck {
    /// Findings in the page (and in the files it includes).
    pub diagnostics: Vec<Diagnostic>,
    /// Its link counts.
    pub counts: LinkCounts,
    /// Indices of the pages its links resolve to (sorted, deduplicated): its findings can
    /// change when one of them changes its anchors.
    pub targets: Vec<usize>,
}

/// Runs every rule on page `index`. Depends only on that page, the site's set of files
/// and the anchors and tab ids of the pages in [`PageCheck::targets`].
pub fn check_page(site: &Site, index: usize) -> PageCheck {
    let mut diagnostics = anchors::check_duplicates(&site.pages[index]);
    let mut targets = Vec::new();
    let counts = links::check_links(site, index, &mut diagnostics, &mut targets);
    targets.sort_unstable();
    targets.dedup();
    PageCheck {
        diagnostics,
        counts,
        targets,
    }
}

/// Merges per-page results: findings sorted, counts summed. A file included by several
/// pages is checked with each of them; a finding it gives the same way each time (same
/// file, position and message) is listed once, however many pages show the file.
pub fn merge_checks<'a>(
    checks: impl IntoIterator<Item = &'a PageCheck>,
) -> (Vec<Diagnostic>, LinkCounts) {
    let mut all = Vec::new();
    let mut counts = LinkCounts::default();
    for c in checks {
        all.extend(c.diagnostics.iter().cloned());
        counts += c.counts;
    }
    sort_diagnostics(&mut all);
    all.dedup();
    (all, counts)
}

/// Checks the mapping targets that are not written as a page's link (targets of YAML
/// mapping entries, absolute URLs into the site itself) like page links: `broken-link`,
/// `broken-anchor`, ... The result is sorted.
pub fn check_mapping_targets(site: &Site) -> Vec<Diagnostic> {
    // Links are independent (large migration sites hold tens of thousands): checked in
    // parallel chunks, then sorted, so the result does not depend on the split.
    let target_links = site.migration.target_links();
    let mut out: Vec<Diagnostic> = target_links
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut found = Vec::new();
            let mut targets = Vec::new();
            for link in chunk {
                links::check_link(site, None, link, &mut found, &mut targets);
            }
            found
        })
        .collect();
    sort_diagnostics(&mut out);
    out
}

/// `missing-home-page`: a docset (a site with a `docfx.json`) whose base path no page
/// serves, because it has neither an `index.md` nor an `index.yml` at its root. Reported on
/// `docfx.json`, the file that makes the folder a docset.
pub fn check_home_page(site: &Site) -> Option<Diagnostic> {
    site.config.docfx.as_ref()?;
    if site.page_by_url(&site.config.base_path).is_some() {
        return None;
    }
    let message = format!(
        "the docset has no root page: {} shows a generated list of its pages",
        site.config.base_path
    );
    Some(
        Diagnostic::new(
            crate::diag::Code::MissingHomePage,
            crate::settings::docfx::DOCFX_JSON,
            1,
            1,
            message,
        )
        .with_suggestion("add an `index.yml` Hub page (or an `index.md`) at the docset's root"),
    )
}
