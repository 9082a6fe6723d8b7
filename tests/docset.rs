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
    // this docset by its published address (`/partner-center/…`) and to a Landing page
    // (`index.yml`, not rendered yet) are not findings; nor are `?tabs=` and `#tab/` links to
    // tabs the target page has, nor a `?tabs=` link into another docset.
    assert_eq!(
        found,
        [
            "broken-link marketplace/payouts.md:11:66",
            "broken-anchor marketplace/payouts.md:14:77",
        ]
    );
    let tab = &report["diagnostics"][1];
    assert_eq!(
        tab["message"],
        "`marketplace/install-tools.md` has no tab `bash`"
    );
    assert_eq!(tab["suggestion"], "its tabs: `azure-cli`, `powershell`");
    assert_eq!(report["summary"]["pages"], 3, "README.md is not a page");
    assert_eq!(
        report["summary"]["cross_docset_links"], 4,
        "/azure/…, /legal/… and /dotnet/api/… are counted apart"
    );
    assert_eq!(report["summary"]["external_links"], 0);
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
    assert!(
        home.contains("href=\"/partner-center/marketplace/payouts/#tax-forms\""),
        "{home}"
    );
    assert!(
        home.contains("href=\"/azure/marketplace/overview\""),
        "{home}"
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
    for not_output in [
        "README/index.html",
        "README.md",
        "TOC.yml",
        "docfx.json",
        "includes",
        "marketplace/index.yml",
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
    // then links to missing files, and README.md is a page.
    assert!(err.contains("in 4 pages"), "{err}");
    let out = run(&root, &["build"]);
    assert!(
        stdout(&out).starts_with("built 4 pages"),
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
