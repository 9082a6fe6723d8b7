//! "Did you mean" suggestions: the known name closest to a mistyped one (anchors, tabs,
//! `site.yaml` keys). A leaf: it knows nothing of the model.

use rapidfuzz::distance::levenshtein;

/// Edit distance between two strings (for "did you mean" suggestions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    levenshtein::distance(a.chars(), b.chars())
}

/// True when `a` and `b` are equal but for letter case (compared without allocating: this
/// runs once per candidate of every suggestion).
fn eq_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo.
///
/// `check` asks this for every broken anchor, against up to hundreds of a page's ids, so a
/// page of tens of thousands of broken links makes millions of comparisons: `wanted` is
/// prepared once for a bit-parallel distance, each candidate is compared as a slice of
/// characters, and each comparison stops as soon as the candidate cannot beat the best one
/// so far.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 3).max(2);
    let comparator = levenshtein::BatchComparator::new(wanted.chars());
    let mut chars: Vec<char> = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        chars.clear();
        chars.extend(c.chars());
        let d = if eq_ignoring_case(c, wanted) {
            0
        } else if chars.len().abs_diff(wanted_len) > limit {
            // The distance is at least the difference in length: too far.
            continue;
        } else {
            // Only a distance at most the best one's can change the answer (a tie goes to
            // the candidate first in alphabetical order).
            let cutoff = best.map_or(limit, |(bd, _)| bd.min(limit));
            let args = levenshtein::Args::default().score_cutoff(cutoff);
            match comparator.distance_with_args(chars.iter().copied(), &args) {
                Some(d) => d,
                None => continue,
            }
        };
        if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_anchors_only() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("fqa", ["faq", "setup"]), Some("faq"));
        assert_eq!(closest("FAQ", ["faq"]), Some("faq"));
        assert_eq!(closest("completely-different", ["faq"]), None);
    }

    /// The textbook dynamic programme, to hold the bit-parallel distance to.
    fn reference_distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                let cost = usize::from(ca != *cb);
                cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    /// Every candidate's full distance, the smallest within the limit, ties to the first in
    /// alphabetical order: what the pruned search must agree with.
    fn reference_closest<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let limit = (wanted.chars().count() / 3).max(2);
        candidates
            .iter()
            .map(|c| {
                let d = if c.to_lowercase() == wanted.to_lowercase() {
                    0
                } else {
                    reference_distance(wanted, c)
                };
                (d, *c)
            })
            .filter(|(d, _)| *d <= limit)
            .min()
            .map(|(_, c)| c)
    }

    #[test]
    fn the_pruned_search_finds_what_comparing_every_candidate_finds() {
        // Ids of a long page, with typos of each kind: dropped, added, swapped and
        // changed letters, other letter case, and non-ASCII text.
        let ids: Vec<String> = (0..300)
            .map(|i| format!("section-{}-step-{}", i % 17, i))
            .chain(["über-uns", "Überblick", "faq", "fqa", "setup"].map(String::from))
            .collect();
        let candidates: Vec<&str> = ids.iter().map(String::as_str).collect();
        let wanted = [
            "section-3-step-20",
            "sectin-3-step-20",
            "section-3-stpe-20",
            "Section-3-Step-20",
            "section-33-step-200",
            "sektion-4-schritt-5",
            "uber-uns",
            "ÜBERBLICK",
            "faq",
            "afq",
            "x",
            "",
        ];
        for w in wanted {
            assert_eq!(
                closest(w, candidates.iter().copied()),
                reference_closest(w, &candidates),
                "{w}"
            );
        }
        for (a, b) in [
            ("kitten", "sitting"),
            ("", "abc"),
            ("über", "uber"),
            ("flaw", "lawn"),
        ] {
            assert_eq!(edit_distance(a, b), reference_distance(a, b));
        }
    }
}
