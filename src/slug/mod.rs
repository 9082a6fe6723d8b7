//! GitHub-compatible heading ids (the github-slugger rules, which Microsoft Learn's
//! markdig "GitHub" mode matches on real doc sets). Pure functions, no I/O.

mod table;

use rustc_hash::FxHashMap as HashMap;
use table::KEPT;

/// Turns heading text into an id: lower-case, keep letters, marks, decimal and letter
/// numbers, connector punctuation and `-` (as of Unicode 13, like GitHub); each ASCII
/// space becomes `-`; drop the rest.
/// Runs of `-` are not collapsed and nothing is trimmed, exactly as on GitHub.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == ' ' {
            out.push('-');
        } else if c == '-' || keeps(c) {
            out.push(c);
        }
    }
    out
}

fn keeps(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    // GitHub's tables are Unicode 13: letters assigned since then are still dropped there.
    let cp = c as u32;
    let i = KEPT.partition_point(|&(_, end)| end < cp);
    KEPT.get(i).is_some_and(|&(start, _)| start <= cp)
}

/// Hands out unique ids within one page: a repeated base gets `-1`, `-2`, ... (the
/// smallest suffix not used yet), as github-slugger does.
#[derive(Debug, Default, Clone)]
pub struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// A slugger with no ids taken.
    pub fn new() -> Self {
        Self::default()
    }

    /// Slugs `text` and makes the result unique in this page.
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        self.unique(base)
    }

    /// Makes an already-made id unique in this page and reserves it.
    pub fn unique(&mut self, base: String) -> String {
        let mut result = base.clone();
        while self.occurrences.contains_key(&result) {
            let n = self.occurrences.entry(base.clone()).or_insert(0);
            *n += 1;
            result = format!("{base}-{n}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }

    /// Reserves an explicit id (`{#id}`, `<a name>`) so later automatic ids avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.occurrences.entry(id.to_string()).or_insert(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_headings_match_their_links() {
        let cases = [
            (
                "What are the differences between Partner Center and the Cloud Partner Portal?",
                "what-are-the-differences-between-partner-center-and-the-cloud-partner-portal",
            ),
            (
                "Step 1: Similar offer does not exist in commercial marketplace please follow these steps",
                "step-1-similar-offer-does-not-exist-in-commercial-marketplace-please-follow-these-steps",
            ),
            (
                "Changes to CPP APIs after the migration to Partner Center",
                "changes-to-cpp-apis-after-the-migration-to-partner-center",
            ),
            ("Step 2 - Configure the plan", "step-2---configure-the-plan"),
            ("Ünïcödé Überschrift", "ünïcödé-überschrift"),
            ("???", ""),
        ];
        for (text, id) in cases {
            assert_eq!(slugify(text), id, "{text}");
        }
    }

    #[test]
    fn duplicates_take_the_smallest_free_suffix() {
        let mut s = Slugger::new();
        let got: Vec<_> = ["echo", "echo", "echo 1", "echo-1", "echo"]
            .iter()
            .map(|t| s.slug(t))
            .collect();
        assert_eq!(got, ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"]);
    }
}
