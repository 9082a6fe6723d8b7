//! Snapshots of the rendered article body of representative pages: every DocFX construct
//! (`build/markdown`), a small site with folders and media (`build/site`), YAML FAQ and
//! mapping pages with the mapping explorer (`migration/redirect`), the seed documents and the
//! default site a fresh clone builds (`content/`).
//! A change to parsing or rendering shows here as the exact bytes it changes; review a
//! difference and accept it with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).
//!
//! Only the article body is pinned (navigation and table of contents have their own tests),
//! so a page's snapshot changes only when that page's content does.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use common::{build_content_folder, build_fixture, build_site_root, fixture, repo, BuiltFixture};

/// Snapshots every page of a built site, named `<set>__<source path>`.
fn snapshot_pages(set: &str, built: &BuiltFixture) {
    let mut paths = built.page_paths();
    paths.sort_unstable();
    assert!(!paths.is_empty(), "{set}: no pages");
    for path in paths {
        let name = format!("{set}__{}", path.replace('/', "__"));
        insta::assert_snapshot!(name, built.page_content(path));
    }
}

#[test]
fn markdown_constructs() {
    snapshot_pages("markdown", &build_fixture("markdown"));
}

#[test]
fn small_site() {
    snapshot_pages("site", &build_fixture("site"));
}

#[test]
fn yaml_faq_and_mapping_pages() {
    let root = fixture("migration").join("redirect");
    snapshot_pages("migration", &build_site_root(&root));
}

#[test]
fn seed_documents() {
    snapshot_pages("seeds", &build_content_folder(&fixture("seeds")));
}

#[test]
fn default_site() {
    snapshot_pages("default", &build_site_root(&repo()));
}
