//! A Microsoft Learn docset as it sits in its repository (`docfx.json`, `TOC.yml`, a
//! `README.md`, `includes/`, links into other docsets): `docshift check` and `build` run in
//! the docset folder with no arguments and no `site.yaml`, and report only what is wrong.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use common::{code, copy_dir, fixture, read, run, stderr, stdout};
use std::path::PathBuf;

/// A copy of the docset fixture (builds write into it).
fn docset() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("partner-center");
    copy_dir(&fixture("docset/partner-center"), &root);
    (tmp, root)
}

#[test]
fn check_in_a_docset_folder_needs_no_arguments_and_finds_only_what_is_planted() {
    let (_tmp, root) = docset();
    let out = run(&root, &["check", "--format", "json"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert_eq!(
        err.lines().next(),
        Some("docfx.json: base path /partner-center/ (build.dest), url https://learn.microsoft.com (build.sitemap.baseUrl), pages from build.content, assets from build.resource")
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json report");
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect();
    // Links to other docsets on the host (`/azure/…`, `/legal/…`, `/dotnet/api/A.B.C`), to
    // this docset by its published address (`/partner-center/…`), to the Hub and Landing
    // pages (`index.yml`, `marketplace/`) and to a YAML file of an unknown schema are not
    // findings; the `url`s of the YAML pages are checked like Markdown links, at their line
    // and column.
    assert_eq!(
        found,
        [
            "broken-link marketplace/index.yml:26:18",
            "broken-link marketplace/payouts.md:11:67",
            "unknown-yaml-mime marketplace/preview.yml:1:1",
        ]
    );
    assert_eq!(
        report["summary"]["pages"], 3,
        "the Hub, the Landing page and payouts.md; README.md and preview.yml are not pages"
    );
    assert_eq!(
        report["summary"]["cross_docset_links"], 3,
        "/azure/…, /legal/… and /dotnet/api/… (all in the Hub) are counted apart"
    );
    assert_eq!(
        report["summary"]["external_links"], 1,
        "the Hub's dashboard card"
    );
}

#[test]
fn a_docset_without_a_root_page_is_warned_about() {
    let (_tmp, root) = docset();
    std::fs::remove_file(root.join("index.yml")).unwrap();
    let out = run(&root, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json report");
    let homeless: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "missing-home-page")
        .collect();
    assert_eq!(homeless.len(), 1, "{report}");
    assert_eq!(homeless[0]["severity"], "warning");
    assert_eq!(homeless[0]["file"], "docfx.json");
    let out = run(&root, &["build"]);
    assert_eq!(code(&out), 0, "a warning does not fail the build");
    assert!(
        stderr(&out).contains("warning[missing-home-page]: the docset has no root page: /partner-center/ shows nothing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn build_in_a_docset_folder_writes_site_under_its_dest() {
    let (_tmp, root) = docset();
    for round in ["first", "second"] {
        let out = run(&root, &["build"]);
        assert_eq!(code(&out), 0, "{round}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("built 3 pages"),
            "{round}: the output folder inside the docset is not read as content: {}",
            stdout(&out)
        );
    }
    let site = root.join("_site");
    let home = read(site.join("index.html"));
    // The Hub is the home page: its cards, with links rewritten like Markdown links
    // (`.md` and `index.yml` to page URLs, a folder to its index page) and links to other
    // docsets and hosts left as written.
    for html in [
        "<title>Partner Center documentation - Partner Center</title>",
        "<h1 id=\"partner-center-documentation\">Partner Center documentation",
        "<p class=\"card-page-summary\">Enroll, publish offers and get paid through Partner Center.</p>",
        "<p class=\"card-type card-type-how-to-guide\">How-to guide</p>",
        "<a class=\"card-title\" href=\"/partner-center/marketplace/payouts/\">Get paid</a>",
        "<a class=\"card-title\" href=\"https://partner.microsoft.com/dashboard\">Partner Center dashboard</a>",
        "<h2 id=\"commercial-marketplace\">Commercial marketplace",
        "<h3 id=\"sell-through-the-marketplace\">Sell through the marketplace",
        "<li><a href=\"/partner-center/marketplace/\">Commercial marketplace documentation</a></li>",
        "<li><a href=\"/partner-center/marketplace/payouts/#tax-forms\">Fill in your tax forms</a></li>",
        "<p class=\"card-footer\"><a href=\"/partner-center/marketplace/\">See more marketplace articles</a></p>",
        "<a class=\"card-title\" href=\"/azure/marketplace/overview\">Azure Marketplace</a>",
        "<li><a href=\"/dotnet/api/Microsoft.Store.PartnerCenter.Models\">The .NET SDK</a></li>",
        "<li class=\"toc-level-3\"><a href=\"#terms-and-sdk\">Terms and SDK</a></li>",
    ] {
        assert!(home.contains(html), "{html} in {home}");
    }
    let landing = read(site.join("marketplace/index.html"));
    for html in [
        "<title>Commercial marketplace documentation - Partner Center</title>",
        "<h3 id=\"get-paid\">Get paid",
        "<p class=\"card-list-type card-list-how-to-guide\">How-to guide</p>",
        "<li><a href=\"/partner-center/marketplace/payouts/\">Payouts</a></li>",
        "<li><a href=\"/partner-center/marketplace/payouts/#tax-forms\">Tax forms</a></li>",
        "<li><a href=\"/partner-center/\">Partner Center documentation</a></li>",
        "<li><a href=\"offer-types.md\">Offer types</a></li>",
        "<p class=\"card-list-type card-list-whats-new\">What&#39;s new</p>",
        "<li class=\"toc-level-3\"><a href=\"#find-your-way\">Find your way</a></li>",
    ] {
        assert!(landing.contains(html), "{html} in {landing}");
    }
    let payouts = read(site.join("marketplace/payouts/index.html"));
    assert!(
        payouts.contains("<title>Payouts - Marketplace publisher</title>"),
        "the fileMetadata glob matching the page wins over globalMetadata: {payouts}"
    );
    assert!(
        payouts.contains("href=\"/partner-center/\""),
        "a link to index.yml is the home page: {payouts}"
    );
    assert!(
        site.join("media/payout.png").is_file(),
        "build.resource is copied"
    );
    for not_output in [
        "README/index.html",
        "README.md",
        "TOC.yml",
        "docfx.json",
        "includes",
        "marketplace/index.yml",
        "index.yml",
        "marketplace/preview.yml",
        "marketplace/preview/index.html",
    ] {
        assert!(
            !site.join(not_output).exists(),
            "{not_output} is not output"
        );
    }
    let sitemap = read(site.join("sitemap.xml"));
    assert!(
        sitemap
            .contains("<loc>https://learn.microsoft.com/partner-center/marketplace/payouts/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_malformed_docfx_json_is_a_finding_and_the_defaults_apply() {
    let (_tmp, root) = docset();
    std::fs::write(
        root.join("docfx.json"),
        "{\n  \"build\": {\n    \"dest\": \"partner-center\",\n  }\n}\n",
    )
    .unwrap();
    let out = run(&root, &["check"]);
    let err = stdout(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("error[invalid-data-file]: docfx.json cannot be used"),
        "{err}"
    );
    assert!(err.contains("--> docfx.json:4:3"), "{err}");
    // Without its settings the docset is a plain folder: `/partner-center/…` links are
    // then links to missing files, README.md is a page and the YAML pages are files.
    assert!(err.contains("in 2 pages"), "{err}");
    let out = run(&root, &["build"]);
    assert!(
        stdout(&out).starts_with("built 2 pages"),
        "{}",
        stderr(&out)
    );
}

/// The output folder inside the docset is skipped however it is spelled (`..`, absolute),
/// so a second build never reads the first one's output as content.
#[test]
fn the_output_folder_inside_a_docset_is_never_read_as_content() {
    let (_tmp, root) = docset();
    let absolute = root.join("_site").to_string_lossy().into_owned();
    for output in [
        "../partner-center/_site",
        absolute.as_str(),
        "../partner-center/_site",
    ] {
        let out = run(&root, &["build", "--output", output]);
        assert_eq!(code(&out), 0, "{output}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("built 3 pages"),
            "{output}: {}",
            stdout(&out)
        );
    }
    assert!(!root.join("_site/_site").exists());
}
