//! `build` streams: each page is rendered, written and indexed for search in one pass, and
//! its document nodes are dropped right after. Its output must be byte for byte the output
//! of a session that keeps everything in memory (what `serve` does), with search on or
//! off and with either shape of `site.json`; and only the one-shot build lets go of nodes.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use docshift::pipeline::{build_keeping_session, BuildOptions, Change, NoProgress, Session};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The default content and site configuration, copied with `extra` appended to `site.yaml`.
fn default_site(extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    common::copy_dir(&common::repo().join("content"), &root.join("content"));
    let config = common::read(common::repo().join("site.yaml"));
    common::write_file(&root.join("site.yaml"), format!("{config}\n{extra}"));
    tmp
}

/// Every file under `dir` but the marker that names it docshift's output, by `/`-separated
/// relative path.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("under dir");
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel != ".docshift-output" {
                out.insert(rel, std::fs::read(entry.path()).expect("read"));
            }
        }
    }
    out
}

/// Builds the site with `extra` configuration twice, keeping the pages' nodes in memory
/// and on disk (as a large site does), and compares both outputs with a session's files.
fn assert_streamed_build_matches_session(extra: &str) {
    for spill_nodes_from in [None, Some(1)] {
        let options = BuildOptions {
            spill_nodes_from,
            ..BuildOptions::default()
        };
        assert_streamed_build_with_options_matches_session(extra, options);
    }
}

fn assert_streamed_build_with_options_matches_session(extra: &str, options: BuildOptions) {
    let tmp = default_site(extra);
    let root = tmp.path();
    assert_streamed_site_matches_session(root, &root.join("public"), options, extra);
}

/// Builds the site at `root` into `out` with `options` and compares every file with a
/// session's; `label` names the case in failures. Nothing but the site's own files and the
/// output may be left in the output's parent folder.
fn assert_streamed_site_matches_session(
    root: &Path,
    out: &Path,
    options: BuildOptions,
    label: &str,
) {
    let settings = common::settings_with_output(root, out);
    let (built, _) =
        build_keeping_session(&settings, options, Arc::new(NoProgress)).expect("build");
    assert!(!built.failed, "{:#?}", built.checked.diagnostics);
    let streamed = files_under(out);

    let mut session = Session::new(settings, BuildOptions::default());
    let round = session.rebuild(&Change::Everything).expect("session");
    assert!(round.delta.is_some());
    let kept = common::oracle::materialize(session.files().expect("files"));

    let streamed_paths: Vec<&String> = streamed.keys().collect();
    let kept_paths: Vec<&String> = kept.keys().collect();
    assert_eq!(
        streamed_paths, kept_paths,
        "{label:?} {options:?}: same files"
    );
    for (path, bytes) in &kept {
        assert!(
            streamed[path] == *bytes,
            "{label:?} {options:?}: {path} differs between the streamed build and the session"
        );
    }
    // Nothing of the spill is left beside the output.
    let parent = out.parent().expect("the output has a parent folder");
    let own: Vec<String> = std::fs::read_dir(root)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    let beside: Vec<String> = std::fs::read_dir(parent)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|name| Some(name.as_str()) != out.file_name().and_then(|n| n.to_str()))
        .filter(|name| parent != root || !own.contains(name))
        .filter(|name| Some(name.as_str()) != root.file_name().and_then(|n| n.to_str()))
        .collect();
    assert!(
        beside.is_empty(),
        "{options:?}: left beside the output: {beside:?}"
    );
}

/// A Learn docset as it is (`docfx.json`, `TOC.yml`, YAML Hub, Landing and FAQ pages,
/// includes, tabs, a page whose front matter is broken), built with its pages' nodes and
/// search postings on disk: the same files as a session's.
#[test]
fn a_learn_docset_built_with_its_nodes_and_postings_on_disk_writes_what_a_session_renders() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("partner-center");
    common::copy_dir(&common::fixture("docset/partner-center"), &root);
    let spilling = BuildOptions {
        spill_nodes_from: Some(1),
        ..BuildOptions::default()
    };
    assert_streamed_site_matches_session(&root, &tmp.path().join("site"), spilling, "docset");
}

/// A migration site whose export files `build` writes piece by piece as they are encoded
/// (mapping JSON and CSV, redirect pages with the entries in a script, server redirect
/// rules, the manifest): the same bytes as the session's files, made whole. An entry's text
/// with `<`, `>` and `&` must come out escaped in the redirect page's script exactly as
/// when the page is made whole, whether the nodes stay in memory or go to disk.
#[test]
fn export_files_written_as_they_are_encoded_match_a_session() {
    for spill_nodes_from in [None, Some(1)] {
        let (_tmp, root) = common::copy_fixture("migration/redirect");
        let mapping = root.join("content/paths.mapping.yaml");
        let yaml = common::read(&mapping);
        common::write_file(
            &mapping,
            format!(
                "{yaml}  - label: \"Billing <b>&</b> invoices\"\n    source: https://olddocs.example/billing?tab=1\n    target: https://newdocs.example/billing\n    note: \"Was </script><script>alert(1)</script> & more\"\n"
            ),
        );
        let options = BuildOptions {
            spill_nodes_from,
            ..BuildOptions::default()
        };
        let out = root.join("public");
        assert_streamed_site_matches_session(&root, &out, options, "migration/redirect");
        for path in [
            "mappings/old-docs-to-new-docs.json",
            "mappings/old-docs-to-new-docs.csv",
            "redirects/old-docs-to-new-docs/index.html",
            "_redirects",
            "redirects/nginx-map.conf",
            "manifest.json",
        ] {
            let text = common::read(out.join(path));
            assert!(text.contains("billing"), "{path} lists the added entry");
        }
        let page = common::read(out.join("redirects/old-docs-to-new-docs/index.html"));
        assert!(page.contains("Billing \\u003cb\\u003e\\u0026\\u003c/b\\u003e invoices"));
        assert_eq!(
            page.matches("</script>").count(),
            page.matches("<script").count(),
            "no text closes the data script"
        );
    }
}

#[test]
fn the_streamed_build_writes_what_a_session_renders() {
    assert_streamed_build_matches_session("");
}

#[test]
fn the_streamed_build_writes_what_a_session_renders_without_search() {
    assert_streamed_build_matches_session("search: false\n");
}

#[test]
fn the_streamed_build_writes_what_a_session_renders_with_a_full_site_json() {
    assert_streamed_build_matches_session("site_json: full\n");
}

#[test]
fn only_the_one_shot_build_drops_the_nodes_of_pages_no_later_output_reads() {
    let tmp = default_site("");
    let root = tmp.path();
    let settings = common::settings_with_output(root, &root.join("public"));
    let (built, _) =
        build_keeping_session(&settings, BuildOptions::default(), Arc::new(NoProgress))
            .expect("build");
    assert!(!built.failed);
    let site = &built.checked.site;
    // The exports show the HTML of FAQ answers and API-change impacts after the render.
    let read_later: Vec<&str> = (site.migration.faq.iter())
        .map(|f| f.page.as_str())
        .chain(
            (site.migration.api_changes.iter())
                .filter_map(|a| a.impact.as_ref().map(|f| f.page.as_str())),
        )
        .collect();
    assert!(!read_later.is_empty(), "the default content has FAQ pages");
    for page in &site.pages {
        if read_later.contains(&page.path.as_str()) {
            assert!(!page.doc.nodes.is_empty(), "{} keeps its nodes", page.path);
        } else {
            assert!(page.doc.nodes.is_empty(), "{} dropped its nodes", page.path);
        }
    }

    // A session that goes on (serve) keeps every page's nodes for the next round.
    let mut session = Session::new(settings, BuildOptions::default());
    session.rebuild(&Change::Everything).expect("session");
    let site = session.site().expect("site");
    let with_body = (site.pages.iter())
        .filter(|p| p.cards.is_none() && p.body_len > 0)
        .collect::<Vec<_>>();
    assert!(!with_body.is_empty());
    for page in with_body {
        assert!(!page.doc.nodes.is_empty(), "{} keeps its nodes", page.path);
    }
}

#[test]
fn a_round_after_a_streamed_one_starts_over() {
    let tmp = default_site("");
    let root = tmp.path();
    let out = root.join("public");
    let settings = common::settings_with_output(root, &out);
    let staging = Arc::new(docshift::output::Staging::begin(&out).expect("staging"));
    let mut session = Session::new(settings, BuildOptions::default());
    session.stream_to(Arc::clone(&staging));
    let round = session
        .rebuild(&Change::Everything)
        .expect("streamed round");
    assert!(round.delta.is_some());
    session.stop_streaming();
    drop(staging);
    // The streamed round dropped its pages' nodes: an edit after it cannot reuse them.
    common::write_file(
        &root.join("content/glossary.md"),
        "---\ntitle: Glossary\n---\n\n# Glossary\n\nEdited after a streamed round.\n",
    );
    let round =
        (session.rebuild(&common::content_change(&["glossary.md"]))).expect("round after it");
    common::oracle::assert_same_as_full(&session, &round, root, "after a streamed round");
}
