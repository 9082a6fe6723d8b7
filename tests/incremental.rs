//! The full build is the oracle: after every kind of change, the output of an incremental
//! session must be byte-identical to a fresh full build of the same files.

#[allow(
    unreachable_pub,
    reason = "the shared harness is written for many test binaries"
)]
mod common;

use docshift::pipeline::{BuildOptions, Change, ChangedFiles, Round, Session};
use std::path::Path;

fn assert_same_as_full(session: &Session, round: &Round, root: &Path, step: &str) {
    let full_round = common::oracle::assert_same_as_full(session, round, root, step);
    assert!(
        full_round.delta.is_some(),
        "{step}: the full build succeeds"
    );
}

fn step(session: &mut Session, root: &Path, name: &str, change: Change) -> Round {
    let round = session.rebuild(&change).expect(name);
    assert_same_as_full(session, &round, root, name);
    round
}

fn site(root: &Path) {
    common::write_file(&root.join("content/index.md"), "---\ntitle: Home\n---\n\n# Home\n\nStart with the [guide](guide/index.md) or [A](guide/a.md#first-steps).\n\n![Logo](media/logo.svg)\n");
    common::write_file(
        &root.join("content/guide/index.md"),
        "---\ntitle: Guide\nweight: 1\n---\n\n# Guide\n\n- [A](a.md)\n- [B](b.md#details)\n",
    );
    common::write_file(&root.join("content/guide/a.md"), "---\ntitle: Page A\nweight: 1\n---\n\n# Page A\n\n## First steps\n\nSee [B](b.md#details).\n\n[!INCLUDE [note](../includes/note.md)]\n\n![Picture](../media/pic.svg)\n");
    common::write_file(
        &root.join("content/guide/b.md"),
        "---\ntitle: Page B\nweight: 2\n---\n\n# Page B\n\n## Details\n\nBack to [A](a.md).\n",
    );
    common::write_file(
        &root.join("content/includes/note.md"),
        "> [!NOTE]\n> Shared note, version 1.\n",
    );
    common::write_file(
        &root.join("content/media/pic.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    common::write_file(&root.join("static/extra.css"), "body { color: black; }\n");
}

#[test]
fn every_kind_of_change_matches_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let mut session = Session::new(common::settings(root), BuildOptions::default());
    let round = session.rebuild(&Change::Everything).unwrap();
    assert_same_as_full(&session, &round, root, "first build");

    edits(&mut session, root);
    more_edits(&mut session, root);
    structure(&mut session, root);
    navigation_templates_and_config(&mut session, root);
    assets_and_failures(&mut session, root);
}

/// Edits of existing files: bodies, includes, anchors, dates, assets, temporary files.
fn edits(session: &mut Session, root: &Path) {
    common::write_file(&root.join("content/guide/a.md"), "---\ntitle: Page A\nweight: 1\n---\n\n# Page A\n\n## First steps\n\nSee [B](b.md#details). Edited.\n\n[!INCLUDE [note](../includes/note.md)]\n\n![Picture](../media/pic.svg)\n");
    let round = step(
        session,
        root,
        "edit a page body",
        common::content_change(&["guide/a.md"]),
    );
    assert_eq!(
        round.delta.as_ref().unwrap().pages_rendered,
        1,
        "only the edited page is rendered"
    );

    common::write_file(
        &root.join("content/includes/note.md"),
        "> [!NOTE]\n> Shared note, version 2.\n",
    );
    let round = step(
        session,
        root,
        "edit an include",
        common::content_change(&["includes/note.md"]),
    );
    assert_eq!(
        round.delta.as_ref().unwrap().pages_rendered,
        1,
        "only the including page is rendered"
    );

    common::write_file(
        &root.join("content/media/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let round = step(
        session,
        root,
        "add an asset a page links to",
        common::content_change(&["media/logo.svg"]),
    );
    assert_eq!(
        round.delta.as_ref().unwrap().pages_rendered,
        1,
        "only the linking page is rendered"
    );

    common::write_file(
        &root.join("content/guide/c.md"),
        "---\ntitle: Page C\nweight: 3\n---\n\n# Page C\n\nSee [A](a.md#first-steps).\n",
    );
    step(
        session,
        root,
        "add a page",
        common::content_change(&["guide/c.md"]),
    );

    common::write_file(
        &root.join("content/guide/b.md"),
        "---\ntitle: Page B\nweight: 2\n---\n\n# Page B\n\n## More details\n\nBack to [A](a.md).\n",
    );
    let round = step(
        session,
        root,
        "rename a heading (breaks anchors)",
        common::content_change(&["guide/b.md"]),
    );
    assert!(round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::BrokenAnchor));
}

/// Edits that break and restore anchors and includes; assets and temporary files.
fn more_edits(session: &mut Session, root: &Path) {
    common::write_file(&root.join("content/guide/b.md"), "---\ntitle: Page B\nweight: 2\nms.date: 02/03/2024\n---\n\n# Page B\n\n## More details\n\n## Details\n\nBack to [A](a.md).\n");
    let round = step(
        session,
        root,
        "restore an anchor and add a date",
        common::content_change(&["guide/b.md"]),
    );
    assert!(!round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::BrokenAnchor));

    std::fs::write(
        root.join("content/includes/note.md"),
        b"> [!NOTE]\n> \xff\xfe broken\n",
    )
    .unwrap();
    let round = step(
        session,
        root,
        "an include becomes invalid UTF-8",
        common::content_change(&["includes/note.md"]),
    );
    assert!(round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::InvalidUtf8));
    common::write_file(
        &root.join("content/includes/note.md"),
        "> [!NOTE]\n> Shared note, version 3.\n",
    );
    step(
        session,
        root,
        "the include is fixed",
        common::content_change(&["includes/note.md"]),
    );

    common::write_file(
        &root.join("content/media/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>\n",
    );
    let round = step(
        session,
        root,
        "edit an asset",
        common::content_change(&["media/logo.svg"]),
    );
    assert_eq!(
        round.delta.unwrap().changed,
        ["media/logo.svg".to_string()].into()
    );

    common::write_file(&root.join("content/guide/a.md.tmp"), "editor temp");
    std::fs::remove_file(root.join("content/guide/a.md.tmp")).unwrap();
    let round = step(
        session,
        root,
        "a temporary file came and went",
        common::content_change(&["guide/a.md.tmp"]),
    );
    assert!(round.delta.unwrap().is_empty());
}

/// Pages deleted and renamed.
fn structure(session: &mut Session, root: &Path) {
    std::fs::remove_file(root.join("content/guide/c.md")).unwrap();
    step(
        session,
        root,
        "delete a page",
        common::content_change(&["guide/c.md"]),
    );

    std::fs::rename(
        root.join("content/guide/b.md"),
        root.join("content/guide/b2.md"),
    )
    .unwrap();
    step(
        session,
        root,
        "rename a page",
        common::content_change(&["guide/b.md", "guide/b2.md"]),
    );
}

/// Titles, weights, templates, stylesheets, configuration.
fn navigation_templates_and_config(session: &mut Session, root: &Path) {
    common::write_file(
        &root.join("content/guide/index.md"),
        "---\ntitle: The Guide\nweight: 1\n---\n\n# The Guide\n\n- [A](a.md)\n- [B](b2.md)\n",
    );
    let round = step(
        session,
        root,
        "change a title",
        common::content_change(&["guide/index.md"]),
    );
    assert!(
        round.delta.as_ref().unwrap().pages_rendered > 1,
        "navigation changed everywhere"
    );

    common::write_file(
        &root.join("content/guide/a.md"),
        "---\ntitle: Page A\nweight: 9\n---\n\n# Page A\n\n## First steps\n\nSee [B](b2.md).\n",
    );
    step(
        session,
        root,
        "change a weight",
        common::content_change(&["guide/a.md"]),
    );

    common::write_file(
        &root.join("templates/page.html"),
        default_template("page.html").replace(
            "<article class=\"article\">",
            "<article class=\"article custom\">",
        ),
    );
    step(session, root, "change a template", Change::Everything);

    common::write_file(&root.join("static/extra.css"), "body { color: navy; }\n");
    let round = step(
        session,
        root,
        "edit a stylesheet",
        Change::Files(ChangedFiles {
            statics: ["extra.css".to_string()].into(),
            ..Default::default()
        }),
    );
    assert!(round.delta.as_ref().unwrap().is_css_only());
    static_files(session, root);
}

fn statics(paths: &[&str]) -> Change {
    Change::Files(ChangedFiles {
        statics: paths.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    })
}

/// The site's own static files: override a built-in one, add one, remove both.
fn static_files(session: &mut Session, root: &Path) {
    common::write_file(&root.join("static/docshift.css"), "body { color: teal; }\n");
    let round = step(
        session,
        root,
        "override a built-in stylesheet",
        statics(&["docshift.css"]),
    );
    assert!(round.delta.unwrap().is_css_only());
    common::write_file(&root.join("static/fonts/a.woff2"), "font");
    step(
        session,
        root,
        "add a static file in a new folder",
        statics(&["fonts", "fonts/a.woff2"]),
    );
    std::fs::remove_file(root.join("static/docshift.css")).unwrap();
    std::fs::remove_dir_all(root.join("static/fonts")).unwrap();
    let round = step(
        session,
        root,
        "remove static files",
        statics(&["docshift.css", "fonts"]),
    );
    assert!(round
        .delta
        .unwrap()
        .removed
        .contains("static/fonts/a.woff2"));
}

/// Assets added and deleted, a page that cannot be built, a folder deleted, the configuration.
fn assets_and_failures(session: &mut Session, root: &Path) {
    common::write_file(
        &root.join("content/media/new.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    std::fs::remove_file(root.join("content/media/pic.svg")).unwrap();
    step(
        session,
        root,
        "add and delete assets",
        common::content_change(&["media/new.svg", "media/pic.svg"]),
    );

    common::write_file(
        &root.join("content/guide/a.md"),
        "---\ntitle: [unclosed\n---\n\n# Page A\n",
    );
    let round = step(
        session,
        root,
        "break the front matter: the page is built from its body",
        common::content_change(&["guide/a.md"]),
    );
    assert_eq!(round.degraded_pages, 1);
    assert!(round
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "invalid-front-matter" && d.file == "guide/a.md"));

    common::write_file(
        &root.join("content/guide/a.md"),
        "---\ntitle: Page A fixed\n---\n\n# Page A\n\nFixed.\n",
    );
    step(
        session,
        root,
        "fix the front matter",
        common::content_change(&["guide/a.md"]),
    );

    std::fs::remove_dir_all(root.join("content/guide")).unwrap();
    step(
        session,
        root,
        "delete a folder",
        common::content_change(&["guide"]),
    );

    common::write_file(&root.join("site.yaml"), "title: Renamed site\n");
    step(
        session,
        root,
        "change the configuration",
        Change::Everything,
    );
}

#[test]
fn large_sites_rerender_only_the_affected_section() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::write_file(&root.join("content/index.md"), "# Home\n");
    for s in 0..21 {
        common::write_file(
            &root.join(format!("content/s{s:02}/index.md")),
            format!("# Section {s}\n"),
        );
        for p in 1..20 {
            common::write_file(
                &root.join(format!("content/s{s:02}/p{p:02}.md")),
                format!("# Topic {s}.{p}\n\nSee [next](p{:02}.md).\n", p % 19 + 1),
            );
        }
    }
    // As `serve` runs it: the navigation script keeps its name.
    let live = BuildOptions {
        live: true,
        ..BuildOptions::default()
    };
    let mut session = Session::new(common::settings(root), live);
    session.rebuild(&Change::Everything).unwrap();
    common::write_file(
        &root.join("content/s03/p05.md"),
        "# Renamed topic\n\nSee [next](p06.md).\n",
    );
    let round = step(
        &mut session,
        root,
        "title change in a large site",
        common::content_change(&["s03/p05.md"]),
    );
    let rendered = round.delta.unwrap().pages_rendered;
    assert!(
        rendered <= 20,
        "only the section's pages show the title: {rendered} rendered"
    );
    common::write_file(&root.join("content/s07/new.md"), "# New topic\n");
    let round = step(
        &mut session,
        root,
        "page added to a large site",
        common::content_change(&["s07/new.md"]),
    );
    assert!(round.delta.unwrap().pages_rendered <= 21);
}

#[test]
fn removing_an_anchor_other_pages_link_to_matches_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let mut session = Session::new(common::settings(root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    // `index.md` and `guide/a.md` link to `b.md#details`: only `b.md` is parsed again, but
    // the findings of the pages linking to it change.
    common::write_file(&root.join("content/guide/b.md"), "---\ntitle: Page B\nweight: 2\n---\n\n# Page B\n\nNo details any more. Back to [A](a.md).\n");
    let round = step(
        &mut session,
        root,
        "anchor removed",
        common::content_change(&["guide/b.md"]),
    );
    assert!(
        round
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "broken-anchor"),
        "{:?}",
        round.diagnostics
    );
}

#[test]
fn removing_a_tab_other_pages_select_matches_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let tabs = "---\ntitle: Page B\nweight: 2\n---\n\n# Page B\n\n## Details\n\n# [Linux](#tab/linux)\n\nOn Linux.\n\n# [Windows](#tab/windows)\n\nOn Windows.\n\n---\n\nBack to [A](a.md).\n";
    common::write_file(&root.join("content/guide/b.md"), tabs);
    common::write_file(
        &root.join("content/guide/index.md"),
        "---\ntitle: Guide\nweight: 1\n---\n\n# Guide\n\n- [A](a.md)\n- [B on Windows](b.md?tabs=windows#details)\n",
    );
    let mut session = Session::new(common::settings(root), BuildOptions::default());
    // The site's other findings (a missing logo) are not about tabs.
    let tab_findings = |round: &Round| -> Vec<String> {
        round
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "broken-anchor")
            .map(|d| format!("{}: {}", d.file, d.message))
            .collect()
    };
    let round = session.rebuild(&Change::Everything).unwrap();
    assert!(tab_findings(&round).is_empty(), "{:?}", round.diagnostics);
    // Only `b.md` is parsed again; the guide's `?tabs=windows` link is now broken.
    common::write_file(
        &root.join("content/guide/b.md"),
        tabs.replace("windows", "macos").replace("Windows", "macOS"),
    );
    let round = step(
        &mut session,
        root,
        "tab removed",
        common::content_change(&["guide/b.md"]),
    );
    assert_eq!(
        tab_findings(&round),
        ["guide/index.md: `guide/b.md` has no tab `windows`"]
    );
}

/// Learn YAML pages of a docset (a `docfx.json` in the content folder): editing a Hub page,
/// turning it into a schema docshift does not render and back match a full build.
#[test]
fn yaml_page_changes_match_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::write_file(
        &root.join("content/docfx.json"),
        r#"{"build": {"content": [{"files": ["**/*.md", "**/*.yml"]}]}}"#,
    );
    let hub = |card: &str| {
        format!(
            "### YamlMime:Hub\ntitle: Home\nconceptualContent:\n  items:\n    - title: {card}\n      links:\n        - text: Page A\n          url: a.md\n"
        )
    };
    common::write_file(&root.join("content/index.yml"), hub("Start"));
    common::write_file(
        &root.join("content/a.md"),
        "# Page A\n\nBack [home](index.yml#start).\n",
    );
    let mut session = Session::new(common::settings(root), BuildOptions::default());
    let round = session.rebuild(&Change::Everything).unwrap();
    assert_same_as_full(&session, &round, root, "first build");
    assert!(round.diagnostics.is_empty(), "{:?}", round.diagnostics);

    common::write_file(&root.join("content/index.yml"), hub("Begin"));
    let round = step(
        &mut session,
        root,
        "rename a card",
        common::content_change(&["index.yml"]),
    );
    let codes: Vec<&str> = round.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["broken-anchor"], "a.md links to the old card id");

    common::write_file(
        &root.join("content/index.yml"),
        "### YamlMime:Foo\ntitle: Home\n",
    );
    let round = step(
        &mut session,
        root,
        "unknown schema",
        common::content_change(&["index.yml"]),
    );
    let mut codes: Vec<&str> = round.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["missing-home-page", "unknown-yaml-mime"]);

    common::write_file(&root.join("content/index.yml"), hub("Start"));
    let round = step(
        &mut session,
        root,
        "a Hub again",
        common::content_change(&["index.yml"]),
    );
    assert!(round.diagnostics.is_empty(), "{:?}", round.diagnostics);
}

/// The text of the shipped template `name`.
/// `take_site` and `take_rendered` (what `build` and `check` use to hand the model out of the
/// session) leave a session whose next round starts from nothing and still matches a full
/// build.
#[test]
fn a_session_whose_site_was_taken_rebuilds_from_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let mut session = Session::new(common::settings(root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    assert!(session.take_rendered().is_some(), "the round rendered");
    let taken = session.take_site().expect("the round had a site");
    assert_eq!(taken.pages.len(), 4);
    assert!(session.site().is_none() && session.files().is_none());
    assert!(session.take_site().is_none(), "the site is taken once");

    common::write_file(
        &root.join("content/guide/b.md"),
        "---\ntitle: Page B\nweight: 2\n---\n\n# Page B\n\n## Details\n\nEdited after the take.\n",
    );
    let round = step(
        &mut session,
        root,
        "edit after the site was taken",
        common::content_change(&["guide/b.md"]),
    );
    assert_eq!(
        round.delta.as_ref().unwrap().pages_rendered,
        4,
        "every page is rendered again"
    );
}

fn default_template(name: &str) -> &'static str {
    let found = docshift::render::DEFAULT_TEMPLATES
        .iter()
        .find(|(n, _)| *n == name);
    found.expect("a shipped template").1
}
