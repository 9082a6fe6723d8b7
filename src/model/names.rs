//! Lookups in a list of names that may be long (a page's ids or tabs, an imported manifest
//! page's anchors): a few are scanned, many are searched through an order sorted on first
//! use, so that thousands of links into one long page cost a binary search each, and a
//! suggestion for each broken one looks at a bounded neighbourhood.

use std::sync::OnceLock;

/// The indices of a list of names sorted by name, made on first use (the names do not
/// change once the list is made). Equal to any other: it is a cache, not content.
#[derive(Debug, Clone, Default)]
pub struct NameOrder(OnceLock<Box<[u32]>>);

impl NameOrder {
    /// True once a lookup has sorted the names (a list of few names is never sorted).
    pub fn is_made(&self) -> bool {
        self.0.get().is_some()
    }
}

impl PartialEq for NameOrder {
    fn eq(&self, _: &NameOrder) -> bool {
        true
    }
}

impl Eq for NameOrder {}

/// Up to this many names, a scan costs less than sorting them.
const SCANNED: usize = 32;

/// True when one of the `count` names `at` gives is `name`: a scan for a few, a binary
/// search through `order` for many.
pub fn contains<'p>(
    count: usize,
    at: impl Fn(usize) -> &'p str,
    order: &NameOrder,
    name: &str,
) -> bool {
    if count <= SCANNED {
        return (0..count).any(|i| at(i) == name);
    }
    sorted(count, &at, order)
        .binary_search_by(|&i| at(i as usize).cmp(name))
        .is_ok()
}

/// The `limit` names of the `count` that `at` gives nearest to `name` in alphabetical order
/// (all of them when there are at most `limit`).
pub fn nearest<'p>(
    count: usize,
    at: impl Fn(usize) -> &'p str + 'p,
    order: &'p NameOrder,
    name: &str,
    limit: usize,
) -> impl Iterator<Item = &'p str> + 'p {
    let indices: Box<dyn Iterator<Item = usize>> = if count <= limit {
        Box::new(0..count)
    } else {
        let order = sorted(count, &at, order);
        let at_name = order.partition_point(|&i| at(i as usize) < name);
        let start = at_name.saturating_sub(limit / 2).min(count - limit);
        Box::new(order[start..start + limit].iter().map(|&i| i as usize))
    };
    indices.map(at)
}

/// `order` for the `count` names `at` gives, made now if it is not yet.
fn sorted<'o, 'p>(count: usize, at: &impl Fn(usize) -> &'p str, order: &'o NameOrder) -> &'o [u32] {
    order.0.get_or_init(|| {
        let mut order: Vec<u32> = (0..count as u32).collect();
        order.sort_unstable_by(|&a, &b| at(a as usize).cmp(at(b as usize)));
        order.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_names_are_scanned_and_many_are_searched_in_order() {
        for count in [5, 300] {
            let names: Vec<String> = (0..count).rev().map(|i| format!("n{i:03}")).collect();
            let order = NameOrder::default();
            let at = |i: usize| names[i].as_str();
            assert!(contains(count, at, &order, "n004"));
            assert!(!contains(count, at, &order, "n"));
            assert_eq!(order.is_made(), count > SCANNED);
            let near: Vec<&str> = nearest(count, at, &order, "n002x", 2).collect();
            assert_eq!(near, ["n002", "n003"]);
            // A cache: two lists of the same names are equal whether sorted or not.
            assert_eq!(order, NameOrder::default());
        }
    }
}
