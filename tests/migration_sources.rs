//! Migration facts wherever a Learn docset states them: a mapping table inside a
//! `YamlMime:FAQ` answer and its `additionalContent` (origins at the YAML lines), header
//! words (`… page link`, `… URL`, `… address`), Markdown-link cells and notes after a URL,
//! one set for one pair of systems whatever the header wording, and `table-drift` only for
//! tables that are copies of one fact.
// See: issue 13.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use docshift::pipeline::{build, BuildOptions};
use docshift::settings::{Settings, SiteLocation};
use serde_json::{json, Value};
use std::path::Path;

/// The Learn-shaped docset: `docfx.json`, `TOC.yml`, `marketplace/cpp-faq.yml` (the 2023
/// FAQ), `marketplace/cpp-migration.md` (the 2020 table), an included table shown by two
/// pages, REST reference pages and two copies of a limits table.
fn docset() -> std::path::PathBuf {
    common::fixture("migration/learn/partner-center")
}

fn json_file(path: impl AsRef<Path>) -> Value {
    serde_json::from_str(&common::read(path)).unwrap()
}

fn assert_valid(schema_name: &str, instance: &Value) {
    let schema = json_file(common::repo().join("schemas").join(schema_name));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema_name}: {}", errors.join("\n"));
}

fn entry(label: &str, source: &str, target: &str, note: Value, file: &str, line: u32) -> Value {
    json!({
        "label": label,
        "source_url": source,
        "target_url": target,
        "status": "mapped",
        "note": note,
        "origin": { "file": file, "line": line }
    })
}

#[test]
fn faq_answer_and_markdown_table_export_one_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let settings = Settings::load(&SiteLocation {
        root: Some(docset()),
        output: Some(out.clone()),
        ..Default::default()
    })
    .unwrap();
    let built = build(&settings, BuildOptions::default()).unwrap();
    assert!(!built.failed, "{:#?}", built.checked.diagnostics);

    let index = json_file(out.join("mappings/index.json"));
    assert_valid("mapping-index.schema.json", &index);
    let ids: Vec<&str> = index["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["cloud-partner-portal-to-partner-center"],
        "`… page link`, `… URL`, `… address` and `… link` headers name one pair of systems"
    );

    let set = json_file(out.join("mappings/cloud-partner-portal-to-partner-center.json"));
    assert_valid("mapping-set.schema.json", &set);
    assert_eq!(set["source"], json!({ "name": "Cloud Partner Portal" }));
    assert_eq!(set["target"], json!({ "name": "Partner Center" }));
    assert_eq!(
        set["page"],
        json!({
            "path": "marketplace/cpp-faq.yml",
            "url": "https://learn.microsoft.com/partner-center/marketplace/cpp-faq/#what-pages-in-partner-center-correspond-to-pages-i-used-in-the-cloud-partner-portal-"
        })
    );
    let faq = "marketplace/cpp-faq.yml";
    let expected = json!([
        // The answer's block scalar starts at line 17: rows at their YAML lines.
        entry(
            "All offers page",
            "https://cloudpartner.azure.com/#alloffers",
            "https://partner.microsoft.com/dashboard/marketplace-offers/overview",
            Value::Null,
            faq,
            21
        ),
        entry(
            "All publishers page",
            "https://cloudpartner.azure.com/#publishers",
            "https://partner.microsoft.com/dashboard/account/v3/publishers/list",
            Value::Null,
            faq,
            22
        ),
        // A labelled link: the href is the URL, the label is not a note.
        entry(
            "Publisher profile",
            "https://cloudpartner.azure.com/#profile",
            "https://partner.microsoft.com/dashboard/account/v3/organization/legalinfo",
            Value::Null,
            faq,
            23
        ),
        // Text after the link is kept as the note.
        entry(
            "History page",
            "https://cloudpartner.azure.com/#history",
            "https://partner.microsoft.com/dashboard/marketplace-offers/overview",
            json!("(select an offer, then History)"),
            faq,
            24
        ),
        // `additionalContent`: an autolink, and a bare URL followed by text.
        entry(
            "Payout report",
            "https://cloudpartner.azure.com/#insights/payout",
            "https://partner.microsoft.com/dashboard/payouts/reports/transactionhistory",
            json!("until the payout pages move"),
            faq,
            33
        ),
        // The 2020 Markdown table: its new row joins the set (its repeated row is a
        // `mapping-duplicate`).
        entry(
            "Users page",
            "https://cloudpartner.azure.com/#users",
            "https://partner.microsoft.com/dashboard/account/usermanagement",
            Value::Null,
            "marketplace/cpp-migration.md",
            13
        ),
        // An included table, shown by two pages: once, at its origin.
        entry(
            "Insights dashboard",
            "https://cloudpartner.azure.com/#insights",
            "https://partner.microsoft.com/dashboard/insights/analytics",
            Value::Null,
            "includes/cpp-insights.md",
            3
        ),
    ]);
    assert_eq!(set["entries"], expected);

    let csv = common::read(out.join("mappings/cloud-partner-portal-to-partner-center.csv"));
    assert!(
        csv.contains("History page,https://cloudpartner.azure.com/#history,https://partner.microsoft.com/dashboard/marketplace-offers/overview,mapped,\"(select an offer, then History)\",marketplace/cpp-faq.yml,24"),
        "{csv}"
    );
}

#[test]
fn findings_are_the_duplicate_row_and_the_one_true_copy() {
    let (code, report) = common::check_json(&docset(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect();
    // The REST reference pages' one-row `Method | Request URI` tables share a header and
    // the key `GET` but are different facts: no drift.
    assert_eq!(
        found,
        [
            "mapping-duplicate marketplace/cpp-migration.md:12",
            "table-drift settings/limits-west.md:10",
        ]
    );
    let duplicate = &report["diagnostics"][0];
    assert_eq!(
        duplicate["related"][0]["file"].as_str(),
        Some("marketplace/cpp-faq.yml")
    );
    assert_eq!(duplicate["related"][0]["line"], 22);
    let drift = &report["diagnostics"][1];
    assert_eq!(
        drift["message"],
        "this table has the same header and rows as the table at settings/limits-east.md:8 but 1 cell differs: row `Plans per offer`, column `Maximum`"
    );
    let places: Vec<(String, u64)> = drift["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("settings/limits-east.md".to_string(), 11),
            ("settings/limits-west.md".to_string(), 13),
        ]
    );
}

#[test]
fn resolve_answers_from_the_yaml_faq_and_the_markdown_table() {
    let root = docset();
    let root = root.to_string_lossy();
    let out = common::run(
        &common::repo(),
        &[
            "resolve",
            "--root",
            &root,
            "--format",
            "json",
            "https://cloudpartner.azure.com/#history",
            "https://cloudpartner.azure.com/#users",
        ],
    );
    assert_eq!(common::code(&out), 0, "{}", common::stderr(&out));
    let answer: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_valid("resolve.schema.json", &answer);
    let human = common::run(
        &common::repo(),
        &[
            "resolve",
            "--root",
            &root,
            "https://cloudpartner.azure.com/#history",
            "https://cloudpartner.azure.com/#users",
        ],
    );
    assert_eq!(
        common::stdout(&human),
        "https://partner.microsoft.com/dashboard/marketplace-offers/overview\n  from:  https://cloudpartner.azure.com/#history\n  note:  (select an offer, then History)\n  match: exact key https://cloudpartner.azure.com/#history (History page; set cloud-partner-portal-to-partner-center, marketplace/cpp-faq.yml:24)\nhttps://partner.microsoft.com/dashboard/account/usermanagement\n  from:  https://cloudpartner.azure.com/#users\n  match: exact key https://cloudpartner.azure.com/#users (Users page; set cloud-partner-portal-to-partner-center, marketplace/cpp-migration.md:13)\n"
    );
}

#[test]
fn yaml_faq_table_with_cells_that_are_not_urls_is_mapping_invalid_url() {
    let root = common::fixture("migration/learn-bad/partner-center");
    let (code, report) = common::check_json(&root, &[]);
    assert_eq!(code, 1);
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"],
                d["target"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            // A table in the `summary` block scalar.
            "mapping-invalid-url cpp-faq.yml:13 old.example/#plans",
            // The answer's table.
            "mapping-invalid-url cpp-faq.yml:23 cloudpartner.azure.com/#users",
            "mapping-invalid-url cpp-faq.yml:24 /dashboard/payouts",
        ]
    );
}
