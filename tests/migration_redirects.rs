//! Redirection files as input: a docset shaped like a Learn repository
//! (`tests/fixtures/migration/learn-redirects`: `docfx.json`, `TOC.yml`, pages and three
//! redirection files) gives exact findings (chain, cycle, conflict, a file not removed, a
//! target anchor and a target page that do not exist, bad entries, a file that is not
//! JSON, links to moved pages), the `redirects` set exported and valid against its schema,
//! and `docshift resolve` answers for old page URLs.
// See: issue 13.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use docshift::pipeline::{build, check, BuildOptions, Checked};
use docshift::settings::{Settings, SiteLocation};
use docshift::{Code, Diagnostic, Severity};
use serde_json::Value;

const FIXTURE: &str = "migration/learn-redirects";
const MAIN: &str = ".openpublishing.redirection.json";
const BILLING: &str = ".openpublishing.redirection.billing.json";
const BROKEN: &str = ".openpublishing.redirection.broken.json";

fn checked() -> Checked {
    check(&common::settings(&common::fixture(FIXTURE))).unwrap()
}

fn one<'c>(checked: &'c Checked, code: Code, file: &str, line: u32) -> &'c Diagnostic {
    checked
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.file == file && d.line == line)
        .unwrap_or_else(|| panic!("no {code} at {file}:{line} in {:#?}", checked.diagnostics))
}

#[test]
fn every_finding_of_the_redirection_fixture() {
    let checked = checked();
    let found: Vec<(Code, &str, u32, u32)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [
            (Code::RedirectionInvalid, BILLING, 3, 5),
            (Code::RedirectionInvalid, BILLING, 6, 5),
            (Code::DangerousLink, BILLING, 11, 23),
            (Code::RedirectionInvalid, BILLING, 14, 32),
            (Code::RedirectionInvalid, BROKEN, 4, 5),
            (Code::BrokenAnchor, MAIN, 10, 23),
            (Code::RedirectChain, MAIN, 15, 23),
            (Code::RedirectCycle, MAIN, 23, 23),
            (Code::RedirectedFileNotRemoved, MAIN, 30, 22),
            (Code::RedirectionConflict, MAIN, 34, 22),
            (Code::BrokenLink, MAIN, 43, 23),
            (Code::LinkToRedirectedPage, "index.md", 8, 3),
            (Code::LinkToRedirectedPage, "index.md", 9, 3),
        ]
    );
    // Bad files and entries are findings; they never stop the build.
    assert_eq!(checked.failed_pages, 0);
    assert_eq!(checked.site.pages.len(), 4);
}

#[test]
fn findings_name_the_chain_the_cycle_and_both_sides_of_a_conflict() {
    let checked = checked();
    let chain = one(&checked, Code::RedirectChain, MAIN, 15);
    assert_eq!(chain.severity, Severity::Warning);
    assert_eq!(
        chain.message,
        "`chain-a.md` redirects to a page that is redirected too: chain-a.md → chain-b.md → https://learn.microsoft.com/partner-center/overview/#get-started"
    );
    assert_eq!(
        chain.suggestion.as_deref(),
        Some("redirect `chain-a.md` straight to `https://learn.microsoft.com/partner-center/overview/#get-started`")
    );
    assert_eq!(chain.related[0].line, 18);

    let cycle = one(&checked, Code::RedirectCycle, MAIN, 23);
    assert_eq!(cycle.severity, Severity::Error);
    assert_eq!(
        cycle.message,
        "redirects form a cycle: loop-one.md → loop-two.md → loop-one.md"
    );
    assert_eq!(cycle.related.len(), 1);
    assert_eq!(cycle.related[0].line, 26);

    let conflict = one(&checked, Code::RedirectionConflict, MAIN, 34);
    assert_eq!(conflict.severity, Severity::Error);
    assert!(conflict
        .message
        .contains("to `/partner-center/overview` at .openpublishing.redirection.json:4"));
    assert_eq!(conflict.related[0].line, 4);

    let kept = one(&checked, Code::RedirectedFileNotRemoved, MAIN, 30);
    assert_eq!(kept.severity, Severity::Warning);
    assert_eq!(kept.target.as_deref(), Some("support.md"));

    let anchor = one(&checked, Code::BrokenAnchor, MAIN, 10);
    assert_eq!(
        anchor.message,
        "`billing/invoices.md` has no anchor `#download-an-invoice`"
    );
    assert_eq!(
        anchor.suggestion.as_deref(),
        Some("did you mean `#read-an-invoice`?")
    );
    let link = one(&checked, Code::BrokenLink, MAIN, 43);
    assert_eq!(link.target.as_deref(), Some("/partner-center/no-such-page"));
}

#[test]
fn links_to_moved_pages_resolve_through_the_redirect() {
    let checked = checked();
    let moved = one(&checked, Code::LinkToRedirectedPage, "index.md", 8);
    assert_eq!(moved.severity, Severity::Warning);
    assert_eq!(
        moved.message,
        "`old-overview.md` was moved: it redirects to `https://learn.microsoft.com/partner-center/overview/` (.openpublishing.redirection.json:5)"
    );
    assert_eq!(
        moved.suggestion.as_deref(),
        Some("link to `https://learn.microsoft.com/partner-center/overview/` instead")
    );
    let rooted = one(&checked, Code::LinkToRedirectedPage, "index.md", 9);
    assert!(rooted
        .message
        .contains("redirects to `https://learn.microsoft.com/partner-center/billing/invoices/#download-an-invoice`"));
    assert!(!checked
        .diagnostics
        .iter()
        .any(|d| d.file == "index.md" && d.code == Code::BrokenLink));
}

#[test]
fn bad_entries_say_what_is_wrong() {
    let checked = checked();
    let messages: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.file == BILLING || d.file == BROKEN)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "a redirection entry needs `source_path` or `source_path_from_root`",
            "the entry for `billing/old-payouts.md` has no `redirect_url`",
            "the redirect of `billing/script.md` is a javascript: URL: it runs script when followed; the entry is left out",
            "`source_path_from_root` `billing/relative.md` must start with `/`",
            "not a valid redirection file: expected `,` or `]` at line 4 column 5",
        ]
    );
}

fn schema_errors(schema: &str, instance: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&common::read(common::repo().join("schemas").join(schema))).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_moves_are_a_set_exported_like_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let settings = Settings::load(&SiteLocation {
        root: Some(common::fixture(FIXTURE)),
        output: Some(out.clone()),
        ..Default::default()
    })
    .unwrap();
    let built = build(&settings, BuildOptions::default()).unwrap();
    assert!(!built.failed, "{:#?}", built.checked.diagnostics);

    let set: Value =
        serde_json::from_str(&common::read(out.join("mappings/redirects.json"))).unwrap();
    let errors = schema_errors("mapping-set.schema.json", &set);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let index: Value =
        serde_json::from_str(&common::read(out.join("mappings/index.json"))).unwrap();
    let errors = schema_errors("mapping-index.schema.json", &index);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(index["sets"][0]["id"], "redirects");
    assert!(out.join("mappings/redirects.csv").is_file());
    let redirect_page = common::read(out.join("redirects/redirects/index.html"));
    assert!(
        redirect_page.contains("<link rel=\"icon\" href=\"/partner-center/static/favicon.svg\""),
        "the redirect page links the favicon: {redirect_page}"
    );

    let host = "https://learn.microsoft.com/partner-center";
    let entries: Vec<(String, String, String, u64)> = set["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["label"].as_str().unwrap().to_string(),
                e["source_url"].as_str().unwrap().replace(host, "~"),
                e["target_url"].as_str().unwrap().replace(host, "~"),
                e["origin"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        (
            "billing/statements.md",
            "~/billing/statements/",
            "~/billing/invoices/#read-an-invoice",
            18,
        ),
        ("old-overview.md", "~/old-overview/", "~/overview/", 4),
        (
            "billing/legacy-invoices.md",
            "~/billing/legacy-invoices/",
            "~/billing/invoices/#download-an-invoice",
            9,
        ),
        ("chain-a.md", "~/chain-a/", "~/chain-b/", 14),
        ("chain-b.md", "~/chain-b/", "~/overview/#get-started", 18),
        ("loop-one.md", "~/loop-one/", "~/loop-two/", 22),
        ("loop-two.md", "~/loop-two/", "~/loop-one/", 26),
        ("support.md", "~/support/", "~/overview/", 30),
        (
            "retired.md",
            "~/retired/",
            "https://learn.microsoft.com/azure/marketplace/",
            38,
        ),
        ("gone.md", "~/gone/", "/partner-center/no-such-page", 42),
    ];
    let expected: Vec<(String, String, String, u64)> = expected
        .iter()
        .map(|(l, s, t, n)| (l.to_string(), s.to_string(), t.to_string(), *n))
        .collect();
    assert_eq!(entries, expected);
    // The first file's entries come first (files in path order: `billing` < `json`).
    assert_eq!(set["entries"][0]["origin"]["file"], BILLING);

    let rules: Value =
        serde_json::from_str(&common::read(out.join(".openpublishing.redirection.json"))).unwrap();
    let errors = schema_errors("redirections.schema.json", &rules);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

fn resolve(args: &[&str]) -> (i32, String) {
    let root = common::fixture(FIXTURE);
    let mut all = vec!["resolve", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = common::run(&common::repo(), &all);
    (common::code(&out), common::stdout(&out))
}

#[test]
fn resolve_answers_old_page_urls() {
    let (code, out) = resolve(&["https://learn.microsoft.com/partner-center/old-overview/"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "https://learn.microsoft.com/partner-center/overview/\n  from:  https://learn.microsoft.com/partner-center/old-overview/\n  match: exact key https://learn.microsoft.com/partner-center/old-overview/ (old-overview.md; set redirects, .openpublishing.redirection.json:4)\n"
    );
    let (code, out) = resolve(&[
        "--format",
        "json",
        "https://learn.microsoft.com/partner-center/chain-a/",
        "https://learn.microsoft.com/partner-center/never-moved/",
    ]);
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let errors = schema_errors("resolve.schema.json", &report);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = report["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "mapped");
    assert_eq!(
        results[0]["target_url"],
        "https://learn.microsoft.com/partner-center/chain-b/"
    );
    assert_eq!(results[0]["match"]["set"], "redirects");
    assert_eq!(results[0]["match"]["origin"]["line"], 14);
    assert_eq!(results[1]["status"], "unknown");
}
