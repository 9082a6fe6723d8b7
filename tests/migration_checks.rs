//! The migration checks on bad input: `mapping-conflict`, `mapping-duplicate`,
//! `mapping-invalid-url`, `table-drift`, `invalid-data-file`, and link checks of mapping
//! targets inside the site. Every bad row gives a precise diagnostic or a documented
//! interpretation; nothing panics and nothing disappears silently.
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use docshift::model::migration::{MappingSet, MappingStatus};
use docshift::pipeline::{check, Checked};
use docshift::{Code, Diagnostic, Severity};

fn bad() -> Checked {
    check(&common::settings(&common::fixture("migration/bad"))).unwrap()
}

fn found(checked: &Checked) -> Vec<(Code, &str, u32)> {
    checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line))
        .collect()
}

fn one<'c>(checked: &'c Checked, code: Code, file: &str, line: u32) -> &'c Diagnostic {
    checked
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.file == file && d.line == line)
        .unwrap_or_else(|| panic!("no {code} at {file}:{line} in {:#?}", found(checked)))
}

/// A finding's related places: file, line, message.
fn related(d: &Diagnostic) -> Vec<(&str, u32, &str)> {
    (d.related.iter())
        .map(|r| (r.file.as_str(), r.line, r.message.as_str()))
        .collect()
}

fn set<'c>(checked: &'c Checked, id: &str) -> &'c MappingSet {
    checked
        .site
        .migration
        .sets
        .iter()
        .find(|s| s.id == id)
        .unwrap()
}

#[test]
fn every_finding_of_the_bad_fixture() {
    let checked = bad();
    assert_eq!(
        found(&checked),
        [
            (Code::InvalidDataFile, "broken.mapping.yaml", 6),
            (Code::MappingInvalidUrl, "index.md", 11),
            (Code::MappingInvalidUrl, "index.md", 12),
            (Code::MappingInvalidUrl, "index.md", 14),
            (Code::MappingInvalidUrl, "index.md", 15),
            (Code::MappingInvalidUrl, "index.md", 16),
            (Code::MappingInvalidUrl, "index.md", 17),
            (Code::MappingConflict, "index.md", 18),
            (Code::MappingDuplicate, "index.md", 19),
            (Code::BrokenAnchor, "index.md", 22),
            (Code::BrokenLink, "index.md", 23),
            (Code::BrokenAnchor, "targets.mapping.yaml", 7),
            (Code::BrokenLink, "targets.mapping.yaml", 9),
            (Code::MappingInvalidUrl, "targets.mapping.yaml", 11),
            (Code::TableDrift, "two.md", 5),
        ]
    );
    assert_eq!(
        checked.failed_pages, 1,
        "the broken YAML file cannot be used at all"
    );
}

#[test]
fn invalid_url_cells_say_what_is_wrong() {
    let checked = bad();
    let message = |line| {
        one(&checked, Code::MappingInvalidUrl, "index.md", line)
            .message
            .clone()
    };
    assert!(message(11).contains("the `Old link` cell is empty"));
    assert!(message(12)
        .contains("holds 2 URLs (`https://old.example/#br`, `https://old.example/#br2`)"));
    assert!(message(14).contains("`not a url` in the `Old link` column is not a URL"));
    assert!(
        message(15).contains("`cloudpartner.azure.com/#rel` in the `Old link` column is relative")
    );
    assert!(message(16).contains("`/somewhere/` in the `New link` column is relative"));
    assert!(message(17).contains("only http and https URLs can be mapped"));
    let d = one(&checked, Code::MappingInvalidUrl, "index.md", 15);
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.target.as_deref(), Some("cloudpartner.azure.com/#rel"));
}

#[test]
fn conflicts_and_duplicates_name_both_rows() {
    let checked = bad();
    let conflict = one(&checked, Code::MappingConflict, "index.md", 18);
    assert_eq!(conflict.severity, Severity::Error);
    assert!(conflict.message.contains(
        "`https://new.example/other` here but to `https://new.example/offers` at index.md:7"
    ));
    assert_eq!(
        (conflict.related[0].file.as_str(), conflict.related[0].line),
        ("index.md", 7)
    );
    assert_eq!(
        conflict.suggestion.as_deref(),
        Some("keep the row with the right target and delete the other")
    );
    let duplicate = one(&checked, Code::MappingDuplicate, "index.md", 19);
    assert_eq!(
        duplicate.suggestion.as_deref(),
        Some("delete this row: the first one says the same")
    );
    assert_eq!(duplicate.severity, Severity::Warning);
    assert_eq!(
        (
            duplicate.related[0].file.as_str(),
            duplicate.related[0].line
        ),
        ("index.md", 7)
    );
}

#[test]
fn table_drift_names_both_places_and_the_cell() {
    let checked = bad();
    let drift = one(&checked, Code::TableDrift, "two.md", 5);
    assert_eq!(drift.severity, Severity::Warning);
    assert!(drift.message.contains("one.md:3"));
    assert!(drift.message.contains("row `Timeout`, column `Default`"));
    assert_eq!(
        related(drift),
        [
            ("one.md", 5, "row `Timeout`, column `Default`: \"30 s\""),
            ("two.md", 8, "row `Timeout`, column `Default`: \"60 s\""),
        ]
    );
}

/// label, source URL, target URL, status, note.
type Row<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    MappingStatus,
    Option<&'a str>,
);

#[test]
fn documented_interpretations_of_odd_rows() {
    let checked = bad();
    let set = set(&checked, "old-to-new");
    let rows: Vec<Row<'_>> = set
        .entries
        .iter()
        .map(|e| {
            (
                e.label.as_str(),
                e.source_url.as_str(),
                e.target_url.as_deref(),
                e.status,
                e.note.as_deref(),
            )
        })
        .collect();
    use MappingStatus::{Mapped, Unsupported};
    assert_eq!(
        rows,
        [
            (
                "Offers",
                "https://old.example/#offers",
                Some("https://new.example/offers"),
                Mapped,
                None
            ),
            // A short row: the missing target cell is empty, so the entry is unsupported.
            (
                "Short row",
                "https://old.example/#short",
                None,
                Unsupported,
                None
            ),
            // A long row: cells past the header are dropped, as GitHub and Learn do.
            (
                "Long row",
                "https://old.example/#long",
                Some("https://new.example/long"),
                Mapped,
                None
            ),
            // An empty label cell: the source URL is the label (merged cells are not guessed).
            (
                "https://old.example/#nolabel",
                "https://old.example/#nolabel",
                Some("https://new.example/nolabel"),
                Mapped,
                None
            ),
            (
                "Linked",
                "https://old.example/#linked",
                Some("https://new.example/linked"),
                Mapped,
                None
            ),
            // `<br>` in a label or note becomes a space.
            (
                "Label with break",
                "https://old.example/#multi",
                None,
                Unsupported,
                Some("Not there yet. Ask support.")
            ),
            (
                "Own page",
                "https://old.example/#guide",
                Some("https://docs.example.com/guide/#setup"),
                Mapped,
                None
            ),
            (
                "Own anchor",
                "https://old.example/#guide2",
                Some("https://docs.example.com/guide/#nope"),
                Mapped,
                None
            ),
            (
                "Own missing",
                "https://old.example/#guide3",
                Some("https://docs.example.com/missing/"),
                Mapped,
                None
            ),
        ]
    );
    let yaml = set_entries(&checked, "local-targets");
    assert_eq!(
        yaml,
        [
            (
                "https://old.example/docs/a",
                Some("https://docs.example.com/guide/#setup")
            ),
            (
                "https://old.example/docs/b",
                Some("https://docs.example.com/guide/#missing")
            ),
            ("https://old.example/docs/c", Some("nowhere.md")),
        ]
    );
}

fn set_entries<'c>(checked: &'c Checked, id: &str) -> Vec<(&'c str, Option<&'c str>)> {
    set(checked, id)
        .entries
        .iter()
        .map(|e| (e.source_url.as_str(), e.target_url.as_deref()))
        .collect()
}

#[test]
fn severity_overrides_apply_to_the_new_codes() {
    let (_tmp, root) = common::copy_fixture("migration/bad");
    std::fs::write(
        root.join("site.yaml"),
        "url: https://docs.example.com\nseverity:\n  table-drift: off\n  mapping-duplicate: error\n",
    )
    .unwrap();
    let checked = check(&common::settings(&root)).unwrap();
    assert!(checked
        .diagnostics
        .iter()
        .all(|d| d.code != Code::TableDrift));
    let dup = one(&checked, Code::MappingDuplicate, "index.md", 19);
    assert_eq!(dup.severity, Severity::Error);
}

#[test]
fn new_codes_flow_through_every_report_format() {
    let root = common::fixture("migration/bad");
    let root = root.to_str().unwrap();
    let github = common::stdout(&common::run(
        &common::repo(),
        &["check", "--root", root, "--format", "github"],
    ));
    assert!(github.contains("title=mapping-conflict::"), "{github}");
    assert!(github.contains("title=table-drift::"));
    let sarif = common::stdout(&common::run(
        &common::repo(),
        &["check", "--root", root, "--format", "sarif"],
    ));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for code in [
        "mapping-conflict",
        "mapping-duplicate",
        "mapping-invalid-url",
        "table-drift",
        "invalid-data-file",
    ] {
        assert!(rules.contains(&code), "{code} missing from {rules:?}");
    }
    let out = common::run(&common::repo(), &["check", "--root", root]);
    assert_eq!(common::code(&out), 1);
    let human = common::stdout(&out);
    assert!(human.contains("warning[table-drift]"), "{human}");
    assert!(human.contains("--> two.md:5:1"));
}

/// Links into a `YamlMime:FAQ` page reach a question by Learn's id (`…-account-`, what real
/// docsets link to) and by the GitHub-style id; anything else is a broken anchor.
#[test]
fn faq_questions_answer_to_the_learn_id_and_the_github_id() {
    let (_tmp, root) = common::copy_fixture("migration/redirect");
    common::write_file(
        &root.join("content/links.md"),
        "# Links\n\n[Learn id](faq.yml#do-i-need-a-new-account-), [GitHub id](faq.yml#do-i-need-a-new-account), [typo](faq.yml#do-i-need-a-new-acount-).\n",
    );
    let checked = check(&common::settings(&root)).unwrap();
    let in_links: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.file == "links.md")
        .map(|d| (d.code, d.line, d.column))
        .collect();
    assert_eq!(
        in_links,
        [(Code::BrokenAnchor, 3, 93)],
        "{:#?}",
        checked.diagnostics
    );
}

/// Drift is found between tables wherever they sit among a page's tables: the migration
/// stage reads each page's tables once and makes back only the tables that share a header
/// and keys with another. An identical copy and an included table shown in three pages
/// (one origin) do not drift.
#[test]
fn table_drift_between_tables_at_any_place_in_their_pages() {
    let checked = check(&common::settings(&common::fixture(
        "migration/drift-places",
    )))
    .unwrap();
    let drifts: Vec<&Diagnostic> = (checked.diagnostics.iter())
        .filter(|d| d.code == Code::TableDrift)
        .collect();
    assert_eq!(drifts.len(), 1, "{:#?}", found(&checked));
    let drift = drifts[0];
    assert_eq!((drift.file.as_str(), drift.line), ("quotas.md", 13));
    assert!(drift.message.contains("limits.md:7"), "{}", drift.message);
    assert_eq!(
        related(drift),
        [
            ("limits.md", 9, "row `Timeout`, column `Default`: \"30 s\""),
            ("quotas.md", 15, "row `Timeout`, column `Default`: \"60 s\""),
        ]
    );
}
