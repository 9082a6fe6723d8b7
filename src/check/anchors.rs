//! Anchor rules: the set of ids each page defines, and `duplicate-anchor`.

use crate::diag::{Code, Diagnostic, Related};
use crate::model::Page;
use rustc_hash::FxHashMap as HashMap;

/// `duplicate-anchor`: an explicit anchor that shares its id with another anchor of the page.
pub(super) fn check_duplicates(page: &Page) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, usize> = HashMap::default();
    let mut out = Vec::new();
    let anchors = page.anchors();
    for (i, a) in anchors.iter().enumerate() {
        match first.get(a.id) {
            None => {
                first.insert(a.id, i);
            }
            Some(&j) => {
                let Some(earlier) = anchors.get(j) else {
                    continue;
                };
                if !a.kind.is_explicit() && !earlier.kind.is_explicit() {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Code::DuplicateAnchor,
                        a.file,
                        a.line,
                        a.column,
                        format!("the id `{}` is defined twice in {}; links to `#{}` reach only the first", a.id, page.path, a.id),
                    )
                    .with_target(format!("#{}", a.id))
                    .with_suggestion(
                        "give one of the two another id, and point the links meant for it there",
                    )
                    .with_related(Related {
                        file: earlier.file.to_string(),
                        line: earlier.line,
                        message: "first defined here".to_string(),
                    }),
                );
            }
        }
    }
    out
}
