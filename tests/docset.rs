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
    // findings; nor are `?tabs=` and `#tab/` links to tabs the target page has, nor a
    // `?tabs=` link into another docset. The `url`s of the YAML pages are checked like
    // Markdown links, at their line and column. Links to FAQ questions by their Learn id or
    // their GitHub-style alias resolve, and so does every entry of the nested TOC.yml files
    // and the TOC.md. The page whose front matter holds a merge conflict is an error (and
    // still a page).
    assert_eq!(
        found,
        [
            "broken-link marketplace/index.yml:26:18",
            "broken-link marketplace/payouts.md:11:67",
            "broken-anchor marketplace/payouts.md:14:77",
            "unknown-yaml-mime marketplace/preview.yml:1:1",
            "invalid-front-matter reference/payout-schedule.md:3:1",
        ]
    );
    let tab = &report["diagnostics"][2];
    assert_eq!(
        tab["message"],
        "`marketplace/install-tools.md` has no tab `bash`"
    );
    assert_eq!(tab["suggestion"], "its tabs: `azure-cli`, `powershell`");
    assert_eq!(
        report["summary"]["pages"], 6,
        "the Hub, the Landing page, payouts.md, install-tools.md, the FAQ and the page with a merge conflict; README.md and preview.yml are not pages"
    );
    assert_eq!(
        report["summary"]["cross_docset_links"], 4,
        "/azure/…, /legal/… and /dotnet/api/… (in the Hub and payouts.md) are counted apart"
    );
    assert_eq!(
        report["summary"]["external_links"], 2,
        "the Hub's dashboard card and the FAQ's support link"
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
    std::fs::remove_file(root.join("reference/payout-schedule.md")).unwrap();
    std::fs::write(
        root.join("reference/TOC.md"),
        "# [Tax terms](/legal/tax-terms)\n",
    )
    .unwrap();
    let out = run(&root, &["build"]);
    assert_eq!(code(&out), 0, "a warning does not fail the build");
    assert!(
        stderr(&out).contains("warning[missing-home-page]: the docset has no root page: /partner-center/ shows a generated list of its pages"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn build_in_a_docset_folder_writes_site_under_its_dest() {
    let (_tmp, root) = docset();
    for round in ["first", "second"] {
        let out = run(&root, &["build"]);
        // The page with a merge conflict in its front matter fails the build, and is built
        // from its body with the rest of the site.
        assert_eq!(code(&out), 1, "{round}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("built 6 pages"),
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
    assert!(site.join("marketplace/payouts/index.html").is_file());
    // A DocFX tab group becomes a tab set, and links keep the `?tabs=` that selects a tab.
    let tools = read(site.join("marketplace/install-tools/index.html"));
    assert!(
        tools.contains("<button type=\"button\" role=\"tab\" id=\"tab_1_powershell\""),
        "{tools}"
    );
    let payouts = read(site.join("marketplace/payouts/index.html"));
    assert!(
        payouts.contains("href=\"/partner-center/marketplace/install-tools/?tabs=powershell\""),
        "{payouts}"
    );
    assert!(
        site.join("media/payout.png").is_file(),
        "build.resource is copied"
    );
    // The FAQ: no heading for the `Ignored` section, Learn ids on the questions and the
    // GitHub-style id kept as an alias.
    let faq = read(site.join("marketplace/payout-faq/index.html"));
    for html in [
        "<h3 id=\"why-are-my-earnings-missing-\"><a id=\"why-are-my-earnings-missing\"></a>Why are my earnings missing?",
        "<h2 id=\"taxes\">Taxes",
        "<h3 id=\"which-tax-forms--w-8-or-w-9--do-i-need-\"><a id=\"which-tax-forms-w-8-or-w-9-do-i-need\"></a>",
        "<h2 id=\"more-help\">More help",
    ] {
        assert!(faq.contains(html), "{html} in {faq}");
    }
    assert!(!faq.contains("Ignored"), "{faq}");
    // The page with a merge conflict is built from its body.
    let schedule = read(site.join("reference/payout-schedule/index.html"));
    assert!(
        schedule.contains("<h2 id=\"payout-dates\">Payout dates"),
        "{schedule}"
    );
    // Navigation comes from the TOC files: the root TOC.yml includes marketplace/TOC.yml
    // (by its folder, its node linking the Landing page by topicHref) and reference/TOC.md.
    let nav_script = std::fs::read_dir(site.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("nav-") && n.ends_with(".js"))
        .expect("a shared nav script");
    assert_eq!(
        read(site.join("static").join(&nav_script)),
        concat!(
            "window.docshiftNav=[",
            r#"["Partner Center documentation","/partner-center/"],"#,
            r#"["Marketplace","/partner-center/marketplace/",["#,
            r#"["Get paid","",[["Payouts","/partner-center/marketplace/payouts/"],["Payout questions","/partner-center/marketplace/payout-faq/"]],1],"#,
            r#"["Install the command-line tools","/partner-center/marketplace/install-tools/"],"#,
            r#"["Azure Marketplace","/azure/marketplace/overview"]],1],"#,
            r#"["Reference","",[["Payout schedule","/partner-center/reference/payout-schedule/","#,
            r#"[["Payout dates","/partner-center/reference/payout-schedule/#payout-dates"]]],"#,
            r#"["Tax terms","/legal/marketplace/tax-terms"]]]];"#,
            "\n",
        )
    );
    assert!(
        payouts.contains(&format!(
            "<script src=\"/partner-center/static/{nav_script}\" defer>"
        )),
        "{payouts}"
    );
    // The breadcrumb follows the TOC: home page, then the Marketplace node.
    assert!(
        payouts.contains("<li><a href=\"/partner-center/\">Partner Center documentation</a></li>\n<li><a href=\"/partner-center/marketplace/\">Marketplace</a></li>\n</ol>"),
        "{payouts}"
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
        "marketplace/TOC.yml",
        "reference/TOC.md",
        "reference/TOC/index.html",
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
    // then links to missing files, README.md is a page and the YAML pages other than the
    // FAQ are files.
    assert!(err.contains("in 5 pages"), "{err}");
    let out = run(&root, &["build"]);
    assert!(
        stdout(&out).starts_with("built 5 pages"),
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
        assert_eq!(code(&out), 1, "{output}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("built 6 pages"),
            "{output}: {}",
            stdout(&out)
        );
    }
    assert!(!root.join("_site/_site").exists());
}
