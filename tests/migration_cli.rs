//! `docshift resolve`: reads the sources directly, exact key first, then the longest
//! fragment or path prefix; exit 0 only when every URL is mapped.
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use serde_json::Value;

fn resolve(args: &[&str]) -> (i32, String) {
    let mut all = vec!["resolve"];
    all.extend_from_slice(args);
    let out = common::run(&common::repo(), &all);
    (common::code(&out), common::stdout(&out))
}

#[test]
fn payout_resolves_to_partner_center() {
    let (code, out) = resolve(&["https://cloudpartner.azure.com/#insights/payout"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.lines().next(),
        Some("https://partner.microsoft.com/dashboard/payouts/reports/incentivepayments")
    );
    assert!(out.contains("match: exact key https://cloudpartner.azure.com/#insights/payout"));
    assert!(out.contains("cpp-to-partner-center/faq.md:111"));
}

#[test]
fn history_is_unsupported_and_prints_the_note() {
    let (code, out) = resolve(&["https://cloudpartner.azure.com/#history"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("unsupported: https://cloudpartner.azure.com/#history\n"),
        "{out}"
    );
    assert!(out.contains("note:  The History feature is not yet supported in Partner Center."));
}

#[test]
fn prefixes_and_unknown_urls() {
    let (code, out) = resolve(&[
        "--format",
        "json",
        "https://CLOUDPARTNER.azure.com/#insights/payout/2020?x=1",
        "https://cloudpartner.azure.com/#alloffers",
        "https://elsewhere.example/",
    ]);
    assert_eq!(code, 1, "one URL is unknown");
    let v: Value = serde_json::from_str(&out).unwrap();
    let schema: Value = serde_json::from_str(&common::read(
        common::repo().join("schemas/resolve.schema.json"),
    ))
    .unwrap();
    assert!(
        jsonschema::validator_for(&schema).unwrap().is_valid(&v),
        "{out}"
    );
    let r = v["results"].as_array().unwrap();
    assert_eq!(r[0]["status"], "mapped");
    assert_eq!(r[0]["match"]["kind"], "fragment-prefix");
    assert_eq!(
        r[0]["match"]["key"],
        "https://cloudpartner.azure.com/#insights/payout"
    );
    assert_eq!(r[1]["match"]["kind"], "exact");
    assert_eq!(r[2]["status"], "unknown");
    assert_eq!(r[2]["match"], Value::Null);
}

#[test]
fn path_prefixes_in_a_fixture_and_site_options() {
    let root = common::fixture("migration/redirect");
    let root = root.to_str().unwrap();
    let (code, out) = resolve(&["--root", root, "https://olddocs.example/api/v2/offers"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("https://newdocs.example/reference/api\n"));
    assert!(out.contains("longest path prefix https://olddocs.example/api/"));
    let (code, out) = resolve(&["--root", root, "https://old.example/#setup/advanced/more"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("/guide/#step-two\n"), "{out}");
}

#[test]
fn resolve_needs_a_url() {
    let out = common::run(&common::repo(), &["resolve"]);
    assert_eq!(common::code(&out), 2);
    // Something that is not an absolute URL is a usage error, not an unknown URL.
    for bad in [
        "not a url",
        "cloudpartner.azure.com/#insights",
        "//cloudpartner.azure.com/payout",
        "https://",
        "mailto:x@y.z",
    ] {
        let out = common::run(&common::repo(), &["resolve", bad]);
        let err = common::stderr(&out);
        assert_eq!(common::code(&out), 2, "{bad}: {err}");
        assert!(err.contains("is not an absolute URL"), "{bad}: {err}");
        assert!(
            err.contains("help: usage: docshift resolve [--format human|json] URL..."),
            "{bad}: {err}"
        );
        assert!(common::stdout(&out).is_empty(), "{bad}");
    }
    // A path of the site is a key (of a page a redirection file moved), so an unmoved path
    // is an unknown URL, not a usage error.
    let out = common::run(&common::repo(), &["resolve", "/payout"]);
    assert_eq!(common::code(&out), 1, "{}", common::stderr(&out));
    assert!(common::stdout(&out).starts_with("unknown: /payout\n"));
}

/// The default content's redirection file: an old page path resolves to the page that
/// replaced it.
// See: issue 13.
#[test]
fn moved_pages_of_the_default_content_resolve() {
    let (code, out) = resolve(&["/migration-faq/", "/co-sell-migrate/"]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "/cpp-to-partner-center/faq/");
    assert_eq!(
        lines[2],
        "  match: exact key /migration-faq/ (migration-faq.md; set redirects, .openpublishing.redirection.json:9)"
    );
    assert_eq!(lines[3], "/ocp-gtm-co-sell/#plan-your-migration");
}
