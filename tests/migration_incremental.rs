//! Incremental rebuilds (`serve`) keep the migration exports, the mapping explorer and the
//! YAML pages right: after every change the session's output is byte-identical to a fresh
//! full build of the same files.
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness is written for many test binaries"
)]
mod common;

use docshift::pipeline::{BuildOptions, Change, ChangedFiles, Round, Session};
use std::path::Path;

fn step(session: &mut Session, root: &Path, name: &str, paths: &[&str]) -> Round {
    let change = Change::Files(ChangedFiles {
        content: paths.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    });
    let round = session.rebuild(&change).expect(name);
    common::oracle::assert_same_as_full(session, &round, root, name);
    round
}

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join("content").join(rel), text).unwrap();
}

fn file(session: &Session, path: &str) -> String {
    let files = session.files().expect("files");
    let file = files.get(path).unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8_lossy(&file.contents.read().unwrap()).into_owned()
}

const GUIDE: &str = "# Guide\n\n## Step one\n\nFirst.\n\n## Step two\n\nSecond.\n";

fn guide_with_table(target: &str) -> String {
    format!(
        "{GUIDE}\n## Moved pages\n\n| Page | Legacy link | Guide link |\n| --- | --- | --- |\n| Reports | https://legacy.example/#reports | {target} |\n"
    )
}

#[test]
fn migration_outputs_follow_every_change() {
    let (_tmp, root) = common::copy_fixture("migration/redirect");
    let mut session = Session::new(common::settings(&root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();

    write(&root, "guide.md", &format!("{GUIDE}\nMore.\n"));
    step(
        &mut session,
        &root,
        "edit a page without tables",
        &["guide.md"],
    );

    write(
        &root,
        "guide.md",
        &guide_with_table("https://new.example/reports"),
    );
    step(&mut session, &root, "add a mapping table", &["guide.md"]);
    assert!(file(&session, "index.html").contains("https://legacy.example/#reports"));
    assert!(file(&session, "mappings/legacy-to-guide.json").contains("https://new.example/reports"));

    write(
        &root,
        "guide.md",
        &guide_with_table("[step two](guide.md#step-two)"),
    );
    step(&mut session, &root, "change a mapping row", &["guide.md"]);
    assert!(file(&session, "mappings/legacy-to-guide.json").contains("\"/guide/#step-two\""));

    write(&root, "guide.md", &format!("{GUIDE}\nTable gone.\n"));
    step(
        &mut session,
        &root,
        "remove the mapping table",
        &["guide.md"],
    );
    assert!(!session
        .files()
        .unwrap()
        .contains_key("mappings/legacy-to-guide.json"));

    let yaml = std::fs::read_to_string(root.join("content/old.mapping.yaml")).unwrap();
    write(
        &root,
        "old.mapping.yaml",
        &format!("{yaml}  - label: Billing\n    source: https://old.example/#billing\n    target: guide.md#step-two\n"),
    );
    step(
        &mut session,
        &root,
        "add a YAML entry",
        &["old.mapping.yaml"],
    );
    assert!(file(&session, "old/index.html").contains("Billing"));

    // The YAML entry's target is an anchor of `guide.md`, a page without tables: removing
    // the heading leaves the model alone but breaks the target.
    write(
        &root,
        "guide.md",
        "# Guide

## Step one

First.
",
    );
    let round = step(
        &mut session,
        &root,
        "remove a heading a mapping target points to",
        &["guide.md"],
    );
    assert!(
        round
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "broken-anchor" && d.message.contains("step-two")),
        "{:?}",
        round.diagnostics
    );
    write(&root, "guide.md", &format!("{GUIDE}\nTable gone.\n"));
    step(&mut session, &root, "put the heading back", &["guide.md"]);

    let faq = std::fs::read_to_string(root.join("content/faq.yml")).unwrap();
    write(
        &root,
        "faq.yml",
        &faq.replace("Owners and", "Only owners and"),
    );
    step(&mut session, &root, "edit a FAQ answer", &["faq.yml"]);
    assert!(file(&session, "faq.json").contains("Only owners and"));

    std::fs::remove_file(root.join("content/paths.mapping.yaml")).unwrap();
    step(
        &mut session,
        &root,
        "delete a YAML set",
        &["paths.mapping.yaml"],
    );
    let files = session.files().unwrap();
    assert!(!files.contains_key("mappings/old-docs-to-new-docs.json"));
    assert!(
        !files.contains_key("_redirects"),
        "no path-based sources are left"
    );

    write(
        &root,
        "old.mapping.yaml",
        "id: old-portal-to-guide\nsource: Old Portal\n",
    );
    let change = Change::Files(ChangedFiles {
        content: ["old.mapping.yaml".to_string()].into(),
        ..Default::default()
    });
    let round = session.rebuild(&change).unwrap();
    assert_eq!(round.failed_pages, 1, "a broken YAML set fails the round");
    assert!(round.delta.is_none(), "the previous output stays current");
    assert!(round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::InvalidDataFile && d.file == "old.mapping.yaml"));
}

/// The exports show the HTML of FAQ answers and API-change impacts: a change to a link in
/// one, which leaves every text of the migration model as it was, must still reach
/// `faq.json`, `api-changes.json` and `site.json` in an in-place round.
#[test]
fn answer_and_impact_html_follow_link_changes() {
    let (_tmp, root) = common::copy_fixture("migration/redirect");
    let faq_page = |anchor: &str| {
        format!(
            "---\nms.topic: faq\n---\n# Questions\n\n## Where do I start?\n\nRead [the guide](guide.md#{anchor}).\n\n## API changes\n\n| API | Change description | Impact |\n| --- | --- | --- |\n| GET Offers | Renamed | See [the guide](guide.md#{anchor}) |\n"
        )
    };
    write(&root, "questions.md", &faq_page("step-one"));
    let mut session = Session::new(common::settings(&root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    assert!(file(&session, "faq.json").contains("/guide/#step-one"));

    write(&root, "questions.md", &faq_page("step-two"));
    step(
        &mut session,
        &root,
        "change the link of an answer and an impact",
        &["questions.md"],
    );
    assert!(file(&session, "faq.json").contains("/guide/#step-two"));
    assert!(file(&session, "api-changes.json").contains("guide.md#step-two"));
}

/// The mapping explorer names the page each set comes from by its title: a new title in
/// front matter (the H1, and so the navigation, unchanged) reaches the explorer page.
#[test]
fn the_explorer_follows_the_title_of_a_sets_page() {
    let (_tmp, root) = common::copy_fixture("migration/redirect");
    let guide = |title: &str| {
        format!(
            "---\ntitle: {title}\n---\n{}",
            guide_with_table("https://new.example/reports")
        )
    };
    write(&root, "guide.md", &guide("Setup guide"));
    let mut session = Session::new(common::settings(&root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    assert!(file(&session, "index.html").contains(">Setup guide</a>"));

    write(&root, "guide.md", &guide("Migration guide"));
    step(
        &mut session,
        &root,
        "retitle the page of a set",
        &["guide.md"],
    );
    assert!(file(&session, "index.html").contains(">Migration guide</a>"));
}

/// A redirection file is a data file: changing, breaking, adding or removing one, or a
/// page it names or points at, gives the findings and outputs of a full build.
// See: issue 13.
#[test]
fn redirection_files_follow_every_change() {
    let (_tmp, root) = common::copy_fixture("migration/learn-redirects");
    let mut session = Session::new(common::settings(&root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    let main = ".openpublishing.redirection.json";
    let original = common::read(root.join(main));

    put(
        main,
        &original.replace(
            "\"redirect_url\": \"/partner-center/loop-one\"",
            "\"redirect_url\": \"/partner-center/overview\"",
        ),
    );
    let round = step(&mut session, &root, "break the cycle", &[main]);
    assert!(!round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::RedirectCycle));
    assert!(file(&session, "mappings/redirects.json").contains("loop-two"));

    let invoices = common::read(root.join("billing/invoices.md"));
    put(
        "billing/invoices.md",
        &format!("{invoices}\n## Download an invoice\n\nSelect Download.\n"),
    );
    let round = step(
        &mut session,
        &root,
        "the missing target anchor appears",
        &["billing/invoices.md"],
    );
    assert!(!round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::BrokenAnchor));

    put("old-overview.md", "# Old overview\n\nStill here.\n");
    let round = step(
        &mut session,
        &root,
        "a moved page comes back",
        &["old-overview.md"],
    );
    assert!(round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::RedirectedFileNotRemoved && d.line == 4));

    std::fs::remove_file(root.join("support.md")).unwrap();
    step(
        &mut session,
        &root,
        "a redirected page is removed",
        &["support.md"],
    );

    put(main, "{ \"redirections\": [ }");
    let round = step(&mut session, &root, "the file stops being JSON", &[main]);
    assert!(round
        .diagnostics
        .iter()
        .any(|d| d.code == docshift::Code::RedirectionInvalid && d.file == main));
    assert!(!file(&session, "mappings/index.json").contains("old-overview"));

    put(main, &original);
    step(&mut session, &root, "the file is restored", &[main]);

    let extra = ".openpublishing.redirection.extra.json";
    put(
        extra,
        "{\"redirections\": [{\"source_path\": \"billing/older.md\", \"redirect_url\": \"/partner-center/billing/invoices\"}]}",
    );
    step(&mut session, &root, "a redirection file is added", &[extra]);
    assert!(file(&session, "mappings/redirects.json").contains("billing/older.md"));

    std::fs::remove_file(root.join(extra)).unwrap();
    step(
        &mut session,
        &root,
        "a redirection file is removed",
        &[extra],
    );
    assert!(!file(&session, "mappings/redirects.json").contains("billing/older.md"));
}
