//! Hostile input stays bounded: include chains that nest too deep or fan out, one-line pages
//! of megabytes with thousands of findings, and mapping cells that a spreadsheet would run.
//! The inputs are generated (they are megabytes or thousands of files); what they must give
//! is asserted exactly.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use common::{check_root, code, run, stdout, write_file};
use docshift::Code;

#[test]
fn a_ten_thousand_deep_include_chain_is_cut_at_64_levels() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    write_file(
        &content.join("index.md"),
        "# Home\n\n[!INCLUDE[first](includes/level-0.md)]\n",
    );
    for level in 0..10_000 {
        write_file(
            &content.join(format!("includes/level-{level}.md")),
            format!(
                "## Level {level}\n\n[!INCLUDE[next](level-{}.md)]\n",
                level + 1
            ),
        );
    }
    let checked = check_root(tmp.path());
    let deep: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::IncludeTooDeep)
        .collect();
    assert_eq!(deep.len(), 1, "{:#?}", checked.diagnostics);
    let finding = deep[0];
    assert_eq!(
        (finding.file.as_str(), finding.line),
        ("includes/level-63.md", 3)
    );
    assert!(
        finding.message.contains(
            "include chain: index.md → includes/level-0.md → includes/level-1.md → … 60 more … → includes/level-62.md → includes/level-63.md → includes/level-64.md"
        ),
        "{}",
        finding.message
    );
    let page = common::site_page(&checked.site, "index.md");
    let levels: Vec<&str> = page.headings().iter().map(|h| h.text).collect();
    assert_eq!(levels.len(), 1 + 64, "{levels:?}");
    assert_eq!(levels.last(), Some(&"Level 63"));
}

#[test]
fn an_include_fan_out_stops_at_the_expansion_budget() {
    // 24 files that each include the next one twice: 2^24 expansions if nothing stops it.
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    write_file(
        &content.join("index.md"),
        "# Home\n\n[!INCLUDE[a](includes/f0.md)]\n",
    );
    for level in 0..24 {
        let next = level + 1;
        write_file(
            &content.join(format!("includes/f{level}.md")),
            format!("F{level}.\n\n[!INCLUDE[x](f{next}.md)]\n\n[!INCLUDE[y](f{next}.md)]\n"),
        );
    }
    write_file(&content.join("includes/f24.md"), "## Leaf\n");
    let checked = check_root(tmp.path());
    let large: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::IncludeTooLarge)
        .collect();
    assert_eq!(large.len(), 1, "{:#?}", checked.diagnostics);
    assert!(
        large[0].message.contains("past 16 MiB"),
        "{}",
        large[0].message
    );
    let page = common::site_page(&checked.site, "index.md");
    let leaves = page.headings().iter().filter(|h| h.text == "Leaf").count();
    assert!(
        (1..=4096).contains(&leaves),
        "{leaves} leaves expanded; the budget allows at most 4,096 includes"
    );
}

#[test]
fn a_long_line_full_of_broken_links_gives_a_short_human_report() {
    // 4,000 broken links on one 74 KB line.
    let tmp = tempfile::tempdir().unwrap();
    let line: String = (0..4000).map(|i| format!("[x](miss-{i}.md) ")).collect();
    assert!(line.len() > 70_000, "{}", line.len());
    write_file(
        &tmp.path().join("content/index.md"),
        format!("# Home\n\n{line}\n"),
    );
    let out = run(tmp.path(), &["check"]);
    assert_eq!(code(&out), 1);
    let report = String::from_utf8_lossy(&out.stderr).into_owned() + &stdout(&out);
    assert_eq!(report.matches("error[broken-link]: ").count(), 4000);
    // The totals after the findings count them once more.
    assert!(
        report.contains("   4000  error[broken-link]\n"),
        "{}",
        &report[report.len() - 500..]
    );
    assert!(
        report.len() < 1024 * 1024,
        "{} bytes of report for 4,000 findings",
        report.len()
    );
    assert_eq!(
        report
            .matches("further findings on this line are shown without the source")
            .count(),
        1
    );
    // The excerpts show the link they point at, clipped around it.
    assert!(
        report.contains("[x](miss-9.md) [x](miss-10.md) [x](miss-11.md)"),
        "{}",
        &report[..3000]
    );
    let first = report
        .lines()
        .find(|l| l.contains("index.md:3:") && l.contains("-->"))
        .unwrap();
    assert!(first.ends_with("index.md:3:1"), "{first}");
}

#[test]
fn a_four_megabyte_one_line_page_is_checked_with_exact_columns() {
    let tmp = tempfile::tempdir().unwrap();
    // Multi-byte text between the links, so columns are characters, not bytes. A link
    // every 200 bytes: 20,000 findings, each of which used to count from the line start.
    let unit = format!("{} [x](missing.md) ", "é".repeat(90));
    let unit = unit.as_str();
    let line = unit.repeat(4 * 1024 * 1024 / unit.len());
    write_file(&tmp.path().join("content/index.md"), format!("{line}\n"));
    let out = run(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let links = line.matches("[x]").count();
    assert_eq!(diagnostics.len(), links);
    let unit_chars = unit.chars().count() as u64;
    for (i, d) in diagnostics.iter().enumerate().step_by(97) {
        assert_eq!(d["line"], 1);
        assert_eq!(d["column"], i as u64 * unit_chars + 92, "finding {i}");
    }
}

#[test]
fn nul_characters_script_links_and_big_numbers_are_reported_not_passed_on() {
    let root = common::check_fixture_root("hostile");
    let checked = check_root(&root);
    assert_eq!(
        common::finding_targets(&checked.diagnostics),
        [
            "invalid-character nul.md:3:6 -",
            "broken-link nul.md:5:1 miss\u{fffd}ing.md",
            "dangerous-link scripts.md:3:1 javascript:alert(1)",
            "dangerous-link scripts.md:4:1 JavaScript:void(0)",
            "dangerous-link scripts.md:5:1 vbscript:msgbox",
            "dangerous-link scripts.md:6:1 data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "dangerous-link scripts.md:7:1 data:image/svg+xml;utf8,<svg/onload=alert(1)>",
        ]
    );
    let nul = &checked.diagnostics[0];
    assert!(nul.message.contains("(and 2 more)"), "{}", nul.message);
    assert_eq!(nul.severity, docshift::Severity::Error);
    assert_eq!(checked.diagnostics[2].severity, docshift::Severity::Warning);
    // A page whose front matter holds integers past 64 bits builds; they are kept as text.
    let big = common::site_page(&checked.site, "big-numbers.md");
    assert_eq!(big.front_matter["ms.custom"], "18446744073709551616");
    assert_eq!(big.front_matter["ms.assetid"], "-18446744073709551617");
    assert_eq!(big.front_matter["weight"], "99999999999999999999999");
    assert_eq!(big.front_matter["ratio"], "NaN");
    assert_eq!(big.weight, None);

    // The built page carries no NUL, only the replacement character.
    let built = common::build_site_root(&root);
    let html = common::read(built.out.join("nul/index.html"));
    assert!(!html.contains('\0'), "NUL in the HTML");
    assert!(html.contains("A NUL\u{fffd} in text"), "{html}");
}

#[test]
fn thousands_of_links_to_unknown_tabs_of_a_page_of_thousands_of_tabs_stay_short() {
    // Each finding used to list every tab of the page and compare its id with each of them:
    // 2,000 links to a page of 2,000 tabs made a 40 MB report.
    let tmp = tempfile::tempdir().unwrap();
    let count = 2000;
    let mut page = String::from("# Tabs\n\n");
    for i in 0..count {
        page.push_str(&format!("# [Tab {i}](#tab/tab-{i:04})\n\nPanel {i}.\n\n"));
    }
    page.push_str("---\n\n");
    for i in 0..count {
        page.push_str(&format!("[x](#tab/tab-{i:04}x)\n"));
    }
    write_file(&tmp.path().join("content/index.md"), page);
    let out = run(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert!(
        out.stdout.len() < 2 * 1024 * 1024,
        "{} bytes",
        out.stdout.len()
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), count);
    let listed = "`tab-0000`, `tab-0001`, `tab-0002`, `tab-0003`, `tab-0004`, `tab-0005`, \
        `tab-0006`, `tab-0007`, `tab-0008`, `tab-0009` and 1990 more";
    for i in [0, 1, 1234, 1999] {
        let d = &diagnostics[i];
        assert_eq!(d["code"], "broken-anchor");
        assert_eq!(d["message"], format!("`index.md` has no tab `tab-{i:04}x`"));
        // The closest tab is found among the page's thousands, not only among those listed.
        assert_eq!(
            d["suggestion"],
            format!("did you mean `tab-{i:04}`? its tabs: {listed}")
        );
    }
}

#[test]
fn thousands_of_broken_anchors_into_a_long_page_each_get_the_closest_id() {
    let tmp = tempfile::tempdir().unwrap();
    let mut page = String::from("# Home\n\n");
    for i in 0..1000 {
        page.push_str(&format!(
            "## Heading number {i:03} of the page\n\nText.\n\n"
        ));
    }
    // Typos late in the id: a long page's ids are compared with those nearest in
    // alphabetical order.
    for i in 0..3000 {
        page.push_str(&format!(
            "[x](#heading-number-{:03}-of-teh-page)\n",
            i % 1000
        ));
    }
    write_file(&tmp.path().join("content/index.md"), page);
    let out = run(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 3000);
    for (i, d) in diagnostics.iter().enumerate().step_by(499) {
        let n = i % 1000;
        assert_eq!(
            d["suggestion"],
            format!("did you mean `#heading-number-{n:03}-of-the-page`?"),
            "finding {i}"
        );
    }
}

#[test]
fn a_mapping_table_of_thousands_of_linked_rows_is_shown_in_full_site_json_in_linear_work() {
    // 5,000 rows of two links each on one page, with `site_json: full`: the HTML of each
    // cell once made every link of the page back from its bytes (10,000 cells × 10,000
    // links), minutes here; each cell's own links are enough.
    let tmp = tempfile::tempdir().unwrap();
    write_file(&tmp.path().join("site.yaml"), "site_json: full\n");
    let rows: String = (0..5_000)
        .map(|i| {
            format!(
                "| [Old {i}](https://old.example.com/p{i}) | [New {i}](target-{}.md#part) |\n",
                i % 50
            )
        })
        .collect();
    write_file(
        &tmp.path().join("content/index.md"),
        format!("# Moves\n\n## Old pages\n\n| Old page | New page |\n| --- | --- |\n{rows}"),
    );
    for t in 0..50 {
        write_file(
            &tmp.path().join(format!("content/target-{t}.md")),
            format!("# Target {t}\n\n## Part\n\nText.\n"),
        );
    }
    let built = common::build_site_root(tmp.path());
    let site_json: serde_json::Value =
        serde_json::from_str(&common::read(built.out.join("site.json"))).expect("site.json");
    let page = (site_json["pages"].as_array().expect("pages").iter())
        .find(|p| p["path"] == "index.md")
        .expect("index.md in site.json");
    let rows = page["tables"][0]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 5_000);
    assert_eq!(
        rows[4_999]["cells"][1]["html"],
        "<a href=\"target-49.md#part\">New 4999</a>"
    );
}
