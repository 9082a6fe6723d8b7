//! The search index follows edits page by page: after every change the index files equal a
//! fresh full build's, and an edit that keeps the list of pages rewrites only the chunk
//! files of the edited page's group (plus the term shards and the manifest).

#[allow(
    unreachable_pub,
    reason = "the shared harness is written for many test binaries"
)]
mod common;

use docshift::pipeline::{BuildOptions, Change, Round, Session};
use std::collections::BTreeSet;
use std::path::Path;

/// Pages `p00.md` … `p11.md` plus an index and a mapping page: two groups of eight.
fn site(root: &Path) {
    common::write_file(
        &root.join("content/index.md"),
        "# Home\n\nThe migration guide.\n",
    );
    for p in 0..12 {
        common::write_file(&root.join(format!("content/p{p:02}.md")), format!(
                "# Topic {p}\n\nPartner center notes for topic {p}.\n\n## Details\n\nPayout details {p}.\n"
            ));
    }
    common::write_file(&root.join("content/map.md"), "# Page mapping\n\n| Old page | New page |\n|---|---|\n| [Offers](https://old.example.com/offers) | [Offers](https://new.example.com/offers) |\n| [Payouts](https://old.example.com/payouts) | [Payouts](https://new.example.com/payouts) |\n");
}

/// Runs one round, checks it against a full build and returns the search files it changed
/// or removed, and how many pages it indexed again.
fn step(
    session: &mut Session,
    root: &Path,
    name: &str,
    change: Change,
) -> (BTreeSet<String>, usize) {
    let round: Round = session.rebuild(&change).expect(name);
    common::oracle::assert_same_as_full(session, &round, root, name);
    let delta = round.delta.expect("the round renders");
    let paths = delta
        .changed
        .iter()
        .chain(&delta.removed)
        .filter(|p| p.starts_with("search/"))
        .cloned()
        .collect();
    (paths, delta.pages_indexed)
}

/// Chunk files among `paths`.
fn chunks(paths: &BTreeSet<String>) -> Vec<&str> {
    paths
        .iter()
        .filter(|p| p.starts_with("search/d/"))
        .map(String::as_str)
        .collect()
}

/// A metadata chunk's text (chunks are gzip-compressed JSON).
fn inflate(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("chunk inflates");
    text
}

/// The page group of a page: pages are in path order (`index.md`, `map.md`, `p00.md` …),
/// eight to a group.
fn group_of(root: &Path, rel: &str) -> usize {
    let session = {
        let mut s = Session::new(common::settings(root), BuildOptions::default());
        s.rebuild(&Change::Everything).expect("build");
        s
    };
    let files = common::oracle::materialize(session.files().expect("files"));
    let url = format!("/{}/", rel.trim_end_matches(".md"));
    files
        .iter()
        .filter(|(p, _)| p.starts_with("search/d/"))
        .find(|(_, bytes)| inflate(bytes).contains(&format!("\"url\":\"{url}\"")))
        .and_then(|(p, _)| p["search/d/".len()..].split('-').next()?.parse().ok())
        .expect("page has a chunk")
}

#[test]
fn edits_reindex_only_the_edited_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let mut session = Session::new(common::settings(root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    let group = group_of(root, "p07.md");
    let own = |paths: &BTreeSet<String>| {
        chunks(paths)
            .iter()
            .all(|p| p.starts_with(&format!("search/d/{group}-")))
    };

    common::write_file(&root.join("content/p07.md"), "# Topic 7\n\nPartner center notes for topic 7, now with zanzibar.\n\n## Details\n\nPayout details 7.\n");
    let (changed, indexed) = step(
        &mut session,
        root,
        "edit text",
        common::content_change(&["p07.md"]),
    );
    assert_eq!(indexed, 1, "one page indexed again");
    assert!(own(&changed), "only the page's own chunks: {changed:?}");
    assert!(changed.contains("search/manifest.json"));
    assert!(!chunks(&changed).is_empty(), "its chunk changed");

    common::write_file(&root.join("content/p07.md"), "# Topic 7\n\nPartner center notes for topic 7, now with zanzibar.\n\n## Details\n\nPayout details 7.\n\n## A new section\n\nMore zanzibar.\n\n### Deeper\n\nText.\n");
    let (changed, indexed) = step(
        &mut session,
        root,
        "add sections",
        common::content_change(&["p07.md"]),
    );
    assert_eq!(indexed, 1);
    assert!(
        own(&changed),
        "new sections renumber nothing else: {changed:?}"
    );

    common::write_file(
        &root.join("content/p07.md"),
        "# Topic 7\n\nPartner center notes for topic 7.\n",
    );
    let (changed, indexed) = step(
        &mut session,
        root,
        "remove sections",
        common::content_change(&["p07.md"]),
    );
    assert_eq!(indexed, 1);
    assert!(own(&changed), "{changed:?}");

    let long = "word ".repeat(600);
    common::write_file(
        &root.join("content/p07.md"),
        format!("# Topic 7\n\nPartner center notes for topic 7.\n\n{long}\n"),
    );
    step(
        &mut session,
        root,
        "a long section moves the average lengths",
        common::content_change(&["p07.md"]),
    );

    let map_group = group_of(root, "map.md");
    assert_ne!(
        map_group, group,
        "the mapping page is in another group than p07"
    );
    common::write_file(&root.join("content/map.md"), "# Page mapping\n\n| Old page | New page |\n|---|---|\n| [Offers](https://old.example.com/offers) | [Offers](https://new.example.com/offers) |\n| [Payouts](https://old.example.com/payouts) | [Payout reports](https://new.example.com/payouts/reports) |\n| [Users](https://old.example.com/users) | [Users](https://new.example.com/users) |\n");
    let (changed, indexed) = step(
        &mut session,
        root,
        "mapping rows",
        common::content_change(&["map.md"]),
    );
    assert_eq!(indexed, 1);
    assert!(
        chunks(&changed)
            .iter()
            .all(|p| p.starts_with(&format!("search/d/{map_group}-"))),
        "{changed:?}"
    );

    common::write_file(
        &root.join("content/p03.md"),
        "# Topic three renamed\n\nNotes.\n",
    );
    let (_, indexed) = step(
        &mut session,
        root,
        "title change",
        common::content_change(&["p03.md"]),
    );
    assert_eq!(indexed, 1, "a new title re-indexes its own page only");

    common::write_file(
        &root.join("content/p05b.md"),
        "# An added page\n\nZanzibar again.\n",
    );
    step(
        &mut session,
        root,
        "add a page",
        common::content_change(&["p05b.md"]),
    );

    std::fs::remove_file(root.join("content/p05b.md")).unwrap();
    std::fs::remove_file(root.join("content/p11.md")).unwrap();
    step(
        &mut session,
        root,
        "delete pages",
        common::content_change(&["p05b.md", "p11.md"]),
    );

    common::write_file(
        &root.join("content/p02.md"),
        "---\ntitle: [broken\n---\n# Topic 2\n",
    );
    session
        .rebuild(&common::content_change(&["p02.md"]))
        .expect("a failed round");
    common::write_file(
        &root.join("content/p02.md"),
        "# Topic 2 fixed\n\nBack again.\n",
    );
    step(
        &mut session,
        root,
        "fixed after an error",
        common::content_change(&["p02.md"]),
    );
}
