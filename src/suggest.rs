//! "Did you mean" suggestions: the known name closest to a mistyped one (anchors, tabs,
//! `site.yaml` keys). A leaf: it knows nothing of the model.

/// Edit distance between two strings (for "did you mean" suggestions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.to_lowercase() == wanted_lower {
            0
        } else if c.chars().count().abs_diff(wanted_len) > limit {
            // The distance is at least the difference in length: too far, skip the
            // quadratic comparison (long headings would make it slow).
            continue;
        } else {
            edit_distance(wanted, c)
        };
        if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    (d <= limit).then_some(c)
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
}
