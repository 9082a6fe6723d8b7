//! Tables of contents: every `href` and `topicHref` is checked like a link written at the
//! TOC file's line (a missing page is `broken-link`, as in a page), a reference to a TOC
//! file that does not exist is `broken-link`, and a TOC that includes itself is
//! `invalid-data-file`.

use super::links::check_link;
use crate::diag::{sort_diagnostics, Code, Diagnostic};
use crate::model::toc::{toc_href, TocEntry, TocHref};
use crate::model::Site;
use std::collections::HashMap;

/// Checks the links of every TOC file of `site` and the cycles of its navigation; sorted.
pub fn check_tocs(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut targets = Vec::new();
    let by_path: HashMap<&str, usize> = (site.tocs.iter().enumerate())
        .map(|(i, t)| (t.path.as_str(), i))
        .collect();
    for toc in &site.tocs {
        let mut todo: Vec<&TocEntry> = toc.entries.iter().collect();
        while let Some(entry) = todo.pop() {
            todo.extend(&entry.items);
            if let Some(href) = &entry.href {
                match toc_href(href, &by_path, &site.tocs) {
                    TocHref::Toc(_) => {}
                    TocHref::MissingToc(path) => out.push(
                        Diagnostic::new(
                            Code::BrokenLink,
                            &*href.file,
                            href.line,
                            href.column,
                            format!(
                                "table of contents `{}` not found (looked for `{path}`)",
                                href.dest
                            ),
                        )
                        .with_target(href.dest.clone()),
                    ),
                    TocHref::Link => {
                        check_link(site, None, href, &mut out, &mut targets);
                    }
                }
            }
            if let Some(topic) = &entry.topic_href {
                check_link(site, None, topic, &mut out, &mut targets);
            }
        }
    }
    for cycle in site.navigation.iter().flat_map(|n| &n.cycles) {
        let chain = cycle.chain.join(" → ");
        let message = if cycle.too_deep {
            format!(
                "tables of contents nest deeper than {} files ({chain}); the deeper ones are left out",
                crate::model::toc::MAX_TOC_NESTING
            )
        } else {
            format!("table of contents includes itself ({chain}); the repeated part is left out")
        };
        out.push(Diagnostic::new(
            Code::InvalidDataFile,
            &cycle.file,
            cycle.line,
            cycle.column,
            message,
        ));
    }
    sort_diagnostics(&mut out);
    out.dedup();
    out
}
