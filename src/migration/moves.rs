//! Page moves from redirection files: the `redirects` mapping set, the move index links
//! resolve through, and the redirection checks (`redirection-conflict`,
//! `redirected-file-not-removed`, `redirect-chain`, `redirect-cycle`). Whether a target
//! page and its anchor exist is checked with the other mapping targets (the entry's
//! `target_link`), at the `redirect_url` value.
//!
//! Linear: every redirect is followed once (a walk over the "redirects to" map with an
//! on-path mark), and a chain is named with at most [`MAX_NAMED`] steps.

use super::redirections::{Redirection, RedirectionFile};
use crate::diag::{Code, Diagnostic, Related};
use crate::model::link::classify;
use crate::model::migration::{
    move_keys, MappingEntry, MappingSet, MappingStatus, Origin, PageMove, System,
};
use crate::model::{Link, LinkKind, LinkTarget, Site};
use std::collections::{BTreeMap, HashMap};

/// Id of the set of page moves.
pub const REDIRECTS_SET: &str = "redirects";

/// Most steps a `redirect-chain` message names (the rest are shown as `…`).
const MAX_NAMED: usize = 20;

/// A kept redirect: the entry, its file, and the redirect it leads to (index), if any.
struct Move<'f> {
    file: &'f str,
    entry: &'f Redirection,
    link: Link,
    next: Option<usize>,
}

impl Move<'_> {
    fn at(&self) -> Related {
        Related {
            file: self.file.to_string(),
            line: self.entry.source_at.0,
            message: format!("`{}` → `{}`", self.entry.source, self.entry.redirect_url),
        }
    }
}

/// The moves of every redirection file (files in path order, entries in file order): the
/// `redirects` set (`None` without redirections), the move index, and the findings.
pub(crate) fn page_moves(
    site: &Site,
    files: &[&RedirectionFile],
    diags: &mut Vec<Diagnostic>,
) -> (Option<MappingSet>, BTreeMap<String, PageMove>) {
    let moves = kept_moves(site, files, diags);
    if moves.is_empty() {
        return (None, BTreeMap::new());
    }
    let finals = follow(site, &moves, diags);
    let mut index = BTreeMap::new();
    let mut set = MappingSet {
        id: REDIRECTS_SET.to_string(),
        source: System {
            name: "Moved page".to_string(),
        },
        target: System {
            name: "Current page".to_string(),
        },
        entries: Vec::with_capacity(moves.len()),
        origins: Vec::new(),
        page: None,
        page_url: None,
        moves: true,
    };
    let (base, own) = (&site.config.base_path, &site.config.url);
    let source_urls: Vec<String> = moves
        .iter()
        .map(|m| format!("{own}{}", crate::urls::page_url(&m.entry.source, base).0))
        .collect();
    for ((m, final_url), source_url) in moves.iter().zip(finals).zip(&source_urls) {
        let e = m.entry;
        if site.lookup(&e.source).is_some() {
            let (line, column) = e.source_at;
            diags.push(
                Diagnostic::new(
                    Code::RedirectedFileNotRemoved,
                    m.file,
                    line,
                    column,
                    format!(
                        "`{}` is redirected to `{}` but still exists",
                        e.source, e.redirect_url
                    ),
                )
                .with_target(e.source.clone())
                .with_suggestion(format!("delete `{}`, or remove the redirect", e.source)),
            );
        }
        let origin = Origin {
            file: m.file.to_string(),
            line: e.source_at.0,
        };
        if !set.origins.iter().any(|o| o.file == origin.file) {
            set.origins.push(origin.clone());
        }
        let target_url = match (&m.link.target, m.next) {
            // The moved page's old URL, which redirects on.
            (LinkTarget::Local { fragment, .. }, Some(next)) => match fragment {
                Some(f) if !f.is_empty() => {
                    format!("{}#{}", source_urls[next], crate::urls::encode_fragment(f))
                }
                _ => source_urls[next].clone(),
            },
            (LinkTarget::Local { .. }, None) => super::tables::local_url(site, &m.link),
            _ => e.redirect_url.clone(),
        };
        set.entries.push(MappingEntry {
            label: e.source.clone(),
            source_url: source_url.clone(),
            target_url: Some(target_url),
            status: MappingStatus::Mapped,
            note: None,
            origin,
            page: None,
            // A target that is itself redirected is a chain, reported as one.
            target_link: (m.next.is_none() && matches!(m.link.target, LinkTarget::Local { .. }))
                .then(|| Box::new(m.link.clone())),
            section: None,
        });
        index.insert(
            e.source.clone(),
            PageMove {
                redirect_url: e.redirect_url.clone(),
                final_url,
                origin: Origin {
                    file: m.file.to_string(),
                    line: e.url_at.0,
                },
            },
        );
    }
    (Some(set), index)
}

/// The first redirect of every source path; a later one to another URL is a
/// `redirection-conflict`, to the same URL a `mapping-duplicate`. Each kept move knows the
/// move its target names, if any.
fn kept_moves<'f>(
    site: &Site,
    files: &[&'f RedirectionFile],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Move<'f>> {
    let mut moves: Vec<Move<'f>> = Vec::new();
    let mut by_source: HashMap<&str, usize> = HashMap::new();
    for file in files {
        for entry in &file.entries {
            if let Some(&first) = by_source.get(entry.source.as_str()) {
                diags.push(repeat(&moves[first], file.path.as_str(), entry));
                continue;
            }
            by_source.insert(&entry.source, moves.len());
            let (line, column) = entry.url_at;
            let link = Link {
                kind: LinkKind::Inline,
                dest: entry.redirect_url.clone(),
                // Relative to the moved file, like a link written in it.
                target: classify(&entry.redirect_url, &entry.source, &site.config.base_path),
                file: file.path.as_str().into(),
                line,
                column,
                definition_line: None,
            };
            moves.push(Move {
                file: &file.path,
                entry,
                link,
                next: None,
            });
        }
    }
    for m in &mut moves {
        if let LinkTarget::Local { path, .. } = &m.link.target {
            m.next = move_keys(path)
                .iter()
                .find_map(|k| by_source.get(k.as_str()).copied());
        }
    }
    moves
}

fn repeat(first: &Move<'_>, file: &str, again: &Redirection) -> Diagnostic {
    let (line, column) = again.source_at;
    let same = first.entry.redirect_url == again.redirect_url;
    let (code, message) = if same {
        (
            Code::MappingDuplicate,
            format!(
                "`{}` is redirected twice (both to `{}`); the first is kept",
                again.source, again.redirect_url
            ),
        )
    } else {
        (
            Code::RedirectionConflict,
            format!(
                "`{}` is redirected to `{}` here but to `{}` at {}:{}; the first is kept",
                again.source,
                again.redirect_url,
                first.entry.redirect_url,
                first.file,
                first.entry.source_at.0
            ),
        )
    };
    Diagnostic::new(code, file, line, column, message)
        .with_target(again.source.clone())
        .with_related(first.at())
}

/// Follows every redirect to its end: `redirect-cycle` once per cycle (at its first
/// entry in file order, naming the whole cycle), `redirect-chain` at every entry that
/// starts a chain (no redirect leads to it) naming the chain. Returns where each move
/// leads in the end (`None` for cycles and what leads into one).
fn follow(site: &Site, moves: &[Move<'_>], diags: &mut Vec<Diagnostic>) -> Vec<Option<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let n = moves.len();
    let mut mark = vec![Mark::New; n];
    let mut in_cycle = vec![false; n];
    let mut finals: Vec<Option<String>> = vec![None; n];
    let mut path = Vec::new();
    for start in 0..n {
        path.clear();
        let mut cur = start;
        // Walk until a move already settled, the end of a chain, or a cycle.
        let end: Option<String> = loop {
            if mark[cur] == Mark::Done {
                break finals[cur].clone();
            }
            if mark[cur] == Mark::OnPath {
                let from = path.iter().position(|&p| p == cur).unwrap_or(0);
                let cycle = &path[from..];
                for &c in cycle {
                    in_cycle[c] = true;
                }
                diags.push(cycle_finding(moves, cycle));
                break None;
            }
            mark[cur] = Mark::OnPath;
            path.push(cur);
            match moves[cur].next {
                Some(next) => cur = next,
                None => {
                    let m = &moves[cur];
                    break Some(match m.link.target {
                        LinkTarget::Local { .. } => super::tables::local_url(site, &m.link),
                        _ => m.entry.redirect_url.clone(),
                    });
                }
            }
        };
        for &p in &path {
            mark[p] = Mark::Done;
            finals[p] = end.clone();
        }
    }
    let mut led_to = vec![false; n];
    for m in moves {
        if let Some(next) = m.next {
            led_to[next] = true;
        }
    }
    for i in 0..n {
        if moves[i].next.is_some() && !led_to[i] && !in_cycle[i] {
            diags.push(chain_finding(moves, i, &in_cycle, finals[i].as_deref()));
        }
    }
    finals
}

fn cycle_finding(moves: &[Move<'_>], cycle: &[usize]) -> Diagnostic {
    // Start at the member written first, so the finding does not depend on walk order.
    let first = (0..cycle.len())
        .min_by_key(|&k| {
            let m = &moves[cycle[k]];
            (m.file, m.entry.source_at)
        })
        .unwrap_or(0);
    let order: Vec<usize> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .copied()
        .collect();
    let names: Vec<&str> = order
        .iter()
        .map(|&i| moves[i].entry.source.as_str())
        .chain(std::iter::once(moves[order[0]].entry.source.as_str()))
        .collect();
    let head = &moves[order[0]];
    let (line, column) = head.entry.url_at;
    let mut d = Diagnostic::new(
        Code::RedirectCycle,
        head.file,
        line,
        column,
        format!("redirects form a cycle: {}", names.join(" → ")),
    )
    .with_target(head.entry.redirect_url.clone())
    .with_suggestion("redirect one of them to a page that exists");
    for &i in &order[1..] {
        d = d.with_related(moves[i].at());
    }
    d
}

fn chain_finding(
    moves: &[Move<'_>],
    start: usize,
    in_cycle: &[bool],
    final_url: Option<&str>,
) -> Diagnostic {
    let mut names = vec![moves[start].entry.source.clone()];
    let mut cur = start;
    let mut steps = 0;
    let mut related = Vec::new();
    let mut cycle_seen = false;
    while let Some(next) = moves[cur].next {
        if steps == MAX_NAMED {
            names.push("…".to_string());
            break;
        }
        names.push(moves[next].entry.source.clone());
        related.push(moves[next].at());
        if in_cycle[next] {
            if cycle_seen {
                break;
            }
            cycle_seen = true;
        }
        cur = next;
        steps += 1;
    }
    let m = &moves[start];
    let (line, column) = m.entry.url_at;
    let (tail, suggestion) = match final_url {
        Some(url) => (
            format!(" → {url}"),
            format!("redirect `{}` straight to `{url}`", m.entry.source),
        ),
        None => (
            " (the redirects then go round a cycle)".to_string(),
            "redirect it to a page that exists".to_string(),
        ),
    };
    let mut d = Diagnostic::new(
        Code::RedirectChain,
        m.file,
        line,
        column,
        format!(
            "`{}` redirects to a page that is redirected too: {}{tail}",
            m.entry.source,
            names.join(" → ")
        ),
    )
    .with_target(m.entry.redirect_url.clone())
    .with_suggestion(suggestion);
    d.related = related;
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Config;

    fn file(pairs: &[(String, String)]) -> RedirectionFile {
        RedirectionFile {
            path: ".openpublishing.redirection.json".into(),
            entries: pairs
                .iter()
                .enumerate()
                .map(|(i, (from, to))| Redirection {
                    source: from.clone(),
                    redirect_url: to.clone(),
                    redirect_document_id: false,
                    source_at: (i as u32 + 1, 1),
                    url_at: (i as u32 + 1, 20),
                })
                .collect(),
        }
    }

    #[test]
    fn long_chains_are_followed_once_and_named_briefly() {
        let site = Site::new(Config::default(), Vec::new(), Vec::new(), Vec::new());
        let n = 20_000;
        let mut pairs: Vec<(String, String)> = (0..n)
            .map(|i| (format!("p{i}.md"), format!("/p{}", i + 1)))
            .collect();
        // A second, separate cycle of three.
        for (a, b) in [("x", "y"), ("y", "z"), ("z", "x")] {
            pairs.push((format!("{a}.md"), format!("{b}.md")));
        }
        let mut diags = Vec::new();
        let (set, index) = page_moves(&site, &[&file(&pairs)], &mut diags);
        assert_eq!(set.map(|s| s.entries.len()), Some(n + 3));
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::RedirectCycle, Code::RedirectChain]);
        assert_eq!(
            diags[0].message,
            "redirects form a cycle: x.md → y.md → z.md → x.md"
        );
        let chain = &diags[1];
        assert_eq!(chain.line, 1);
        assert_eq!(chain.related.len(), MAX_NAMED);
        assert!(
            chain.message.contains("p19.md → p20.md → … → /p20000"),
            "{}",
            chain.message
        );
        assert_eq!(index["p0.md"].final_url.as_deref(), Some("/p20000"));
        assert_eq!(index["y.md"].final_url, None);
    }
}
