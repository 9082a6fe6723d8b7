//! The `help:` line of each finding whose fix is known: the closest existing page, file or
//! anchor by edit distance, the case-correct path, and `links.external` for pages that live
//! in another docset (inside or above the content folder).

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use common::{check_json, write_file};
use serde_json::Value;

/// A site with one link per kind of fixable finding, on its own line of `index.md`.
fn site(config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(&root.join("site.yaml"), config);
    write_file(
        &root.join("content/index.md"),
        "# Home\n\n\
         [typo](guide/setpu.md)\n\n\
         [bare typo](guide/setpu)\n\n\
         [case](Guide/Setup.md)\n\n\
         [anchor](guide/setup.md#instal)\n\n\
         [elsewhere](partner-center/overview.md)\n\n\
         [sibling](retrieve-offers.md)\n\n\
         [above](../../extensions/enroll.md#steps)\n\n\
         ![image](guide/media/diagam.png)\n\n\
         <a id=\"x\"></a><a id=\"x\"></a>\n",
    );
    write_file(
        &root.join("content/guide/setup.md"),
        "# Setup\n\n## Install\n",
    );
    write_file(&root.join("content/guide/media/diagram.png"), "png");
    tmp
}

/// `(code, suggestion)` of the finding on `line` of `index.md`.
fn help_on(report: &Value, line: u64) -> (String, Option<String>) {
    let d = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "index.md" && d["line"] == line)
        .unwrap_or_else(|| panic!("no finding on line {line}: {report:#}"));
    (
        d["code"].as_str().unwrap().to_string(),
        d["suggestion"].as_str().map(str::to_string),
    )
}

fn help(code: &str, text: &str) -> (String, Option<String>) {
    (code.to_string(), Some(text.to_string()))
}

const EXTERNAL: &str = "if it is published in another docset, map it in site.yaml: ";

#[test]
fn every_fixable_finding_has_a_help_line() {
    let tmp = site("title: Help\n");
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        help_on(&report, 3),
        help("broken-link", "did you mean `guide/setup.md`?")
    );
    assert_eq!(
        help_on(&report, 5),
        help("broken-link", "did you mean `guide/setup`?")
    );
    assert_eq!(
        help_on(&report, 7),
        help("broken-link", "change the link to `guide/setup.md`")
    );
    assert_eq!(
        help_on(&report, 9),
        help("broken-anchor", "did you mean `#install`?")
    );
    assert_eq!(
        help_on(&report, 11),
        help(
            "broken-link",
            &format!("{EXTERNAL}`links: {{ external: [ {{ path: \"partner-center/**\", url: \"https://HOST/BASE/\" }} ] }}`")
        )
    );
    // Nothing in the folder is close to `retrieve-offers.md`: no wrong "did you mean".
    assert_eq!(
        help_on(&report, 13),
        help(
            "broken-link",
            &format!("{EXTERNAL}`links: {{ external: [ {{ path: \"*.md\", url: \"https://HOST/BASE/\" }} ] }}`")
        )
    );
    assert_eq!(
        help_on(&report, 15),
        help(
            "link-outside-root",
            &format!("{EXTERNAL}`links: {{ external: [ {{ path: \"../../extensions/**\", url: \"https://HOST/BASE/\" }} ] }}`")
        )
    );
    assert_eq!(
        help_on(&report, 17),
        help("missing-asset", "did you mean `guide/media/diagram.png`?")
    );
    let (code, duplicate) = help_on(&report, 19);
    assert_eq!(code, "duplicate-anchor");
    assert!(
        duplicate.is_some_and(|h| h.starts_with("give one of the two another id")),
        "{report:#}"
    );
}

#[test]
fn the_suggested_external_rules_resolve_the_links() {
    let tmp = site(
        "title: Help\n\
         links:\n  external:\n\
         \x20   - { path: \"partner-center/**\", url: \"https://learn.example.com/\" }\n\
         \x20   - { path: \"*.md\", url: \"https://learn.example.com/marketplace/\" }\n\
         \x20   - { path: \"../../extensions/**\", url: \"https://learn.example.com/docs/\" }\n",
    );
    let (_, report) = check_json(tmp.path(), &[]);
    let lines: Vec<u64> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    for mapped in [11, 13, 15] {
        assert!(!lines.contains(&mapped), "line {mapped}: {report:#}");
    }
    // The built page links to the mapped addresses, fragment kept.
    let out = common::run(
        tmp.path(),
        &["build", "--root", tmp.path().to_str().unwrap()],
    );
    let html = common::read(tmp.path().join("public/index.html"));
    assert!(
        html.contains("href=\"https://learn.example.com/docs/extensions/enroll#steps\""),
        "{}\n{html}",
        common::stderr(&out)
    );
    assert!(
        html.contains("href=\"https://learn.example.com/partner-center/overview\""),
        "{html}"
    );
}

#[test]
fn the_suggested_external_rule_never_claims_links_above_the_content_folder_by_accident() {
    // `*.md` does not match a `..` segment: the link stays a finding.
    let tmp = site(
        "title: Help\nlinks:\n  external:\n    - { path: \"*.md\", url: \"https://learn.example.com/\" }\n",
    );
    let (_, report) = check_json(tmp.path(), &[]);
    assert_eq!(help_on(&report, 15).0, "link-outside-root");
}

#[test]
fn a_huge_folder_is_compared_only_up_to_its_first_thousand_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for i in 0..1000 {
        write_file(&root.join(format!("content/big/f{i:04}.md")), "# F\n");
    }
    // Sorted after the first 1,000: not compared.
    write_file(&root.join("content/big/target.md"), "# T\n");
    write_file(&root.join("content/small/target.md"), "# T\n");
    write_file(
        &root.join("content/index.md"),
        "# Home\n\n[big](big/targt.md)\n\n[small](small/targt.md)\n",
    );
    let (_, report) = check_json(root, &[]);
    assert!(help_on(&report, 3)
        .1
        .is_some_and(|h| h.starts_with(EXTERNAL)));
    assert_eq!(
        help_on(&report, 5),
        help("broken-link", "did you mean `small/target.md`?")
    );
}

#[test]
fn includes_and_directives_say_what_to_change() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(
        &root.join("content/index.md"),
        "# Home\n\n\
         [!INCLUDE [out](../../outside.md)]\n\n\
         [!INCLUDE [loop](includes/a.md)]\n\n\
         :::image-end:::\n",
    );
    write_file(
        &root.join("content/includes/a.md"),
        "A\n\n[!INCLUDE [b](b.md)]\n",
    );
    write_file(
        &root.join("content/includes/b.md"),
        "B\n\n[!INCLUDE [a](a.md)]\n",
    );
    let (_, report) = check_json(root, &[]);
    let helps: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["suggestion"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |code: &str, help: &str| helps.iter().any(|(c, h)| c == code && h.starts_with(help));
    assert!(
        has("include-not-found", "write the path relative to this file"),
        "{helps:#?}"
    );
    assert!(
        has(
            "include-not-found",
            "remove this include of `includes/a.md`"
        ),
        "{helps:#?}"
    );
    assert!(
        has(
            "malformed-directive",
            "open it with `:::image type=\"complex\""
        ),
        "{helps:#?}"
    );
}
