//! Links into another docset, checked against that docset's `manifest.json`
//! (`tests/fixtures/federation`: `partner-center` links into `azure`). Without the manifest
//! they are counted as links to other docsets and not checked; with it (`check --manifest`
//! or `links.manifests` in `site.yaml`) a missing page or anchor is a finding at the link.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use common::{code, fixture, run, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Builds the `azure` docset (as its own CI job would) and returns its manifest's path.
fn azure_manifest(tmp: &Path) -> PathBuf {
    let site = tmp.join("azure-site");
    let out = run(
        &fixture("federation/azure"),
        &["build", "--output", site.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    site.join("manifest.json")
}

fn findings(out: &std::process::Output) -> Vec<String> {
    let report: Value = serde_json::from_str(&stdout(out)).expect("json report");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{} {}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn links_into_another_docset_are_checked_only_when_its_manifest_is_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = azure_manifest(tmp.path());
    let docset = fixture("federation/partner-center");

    let out = run(&docset, &["check", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["summary"]["cross_docset_links"], 4);

    let import = format!("/azure/={}", manifest.display());
    let out = run(
        &docset,
        &["check", "--format", "json", "--manifest", &import],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let manifest_name = manifest.display().to_string();
    assert_eq!(
        findings(&out),
        [
            "broken-anchor index.md:7:1 `/azure/marketplace/overview/` has no anchor `#private-offer` (manifest of /azure/)".to_string(),
            format!("broken-link index.md:8:1 page `/azure/marketplace/offer-types` is not in the manifest of /azure/ ({manifest_name})"),
        ]
    );
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        report["diagnostics"][0]["suggestion"],
        "did you mean `#private-offers`?"
    );
}

#[test]
fn site_yaml_imports_manifests_relative_to_the_site_root() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = azure_manifest(tmp.path());
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(root.join("manifests")).unwrap();
    std::fs::copy(&manifest, root.join("manifests/azure.json")).unwrap();
    std::fs::copy(
        fixture("federation/partner-center/index.md"),
        root.join("content/index.md"),
    )
    .unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "base_path: /partner-center/\nlinks:\n  manifests:\n    - base: /azure/\n      file: manifests/azure.json\n",
    )
    .unwrap();
    let out = run(&root, &["check", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let codes: Vec<String> = findings(&out)
        .iter()
        .map(|f| f.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        codes,
        ["broken-anchor index.md:7:1", "broken-link index.md:8:1"]
    );

    // A manifest that cannot be used stops the command, naming the file.
    std::fs::write(
        root.join("manifests/azure.json"),
        "{\"schema_version\": 7, \"generator\": \"docshift 9\"}",
    )
    .unwrap();
    let out = run(&root, &["check"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("manifests/azure.json")
            && stderr(&out).contains("manifest for /azure/: a manifest of schema version 7"),
        "{}",
        stderr(&out)
    );
    let out = run(&root, &["check", "--manifest", "azure.json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("expected BASE=FILE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn thousands_of_links_into_a_long_page_of_another_docset_are_each_looked_up_once() {
    // The other docset: one page of 2,000 headings. This docset: 3,000 links to it, one in
    // three to an anchor it lacks (a typo late in the id).
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other");
    common::write_file(&other.join("site.yaml"), "base_path: /other/\n");
    let long: String = (0..2000)
        .map(|i| format!("## Step {i:04} of the setup\n\nText.\n\n"))
        .collect();
    common::write_file(
        &other.join("content/guide.md"),
        format!("# Guide\n\n{long}"),
    );
    let site = tmp.path().join("other-site");
    let out = run(&other, &["build", "--output", site.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let this = tmp.path().join("this");
    common::write_file(&this.join("site.yaml"), "base_path: /this/\n");
    let links: String = (0..3000)
        .map(|i| match i % 3 {
            0 => format!("[x](/other/guide#step-{:04}-of-the-stup)\n", i % 2000),
            _ => format!("[x](/other/guide#step-{:04}-of-the-setup)\n", i % 2000),
        })
        .collect();
    common::write_file(&this.join("content/index.md"), format!("# Home\n\n{links}"));
    let import = format!("/other/={}", site.join("manifest.json").display());
    let out = run(&this, &["check", "--format", "json", "--manifest", &import]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1000, "{:#}", diagnostics[0]);
    for (n, d) in diagnostics.iter().enumerate().step_by(111) {
        let i = n * 3 % 2000;
        assert_eq!(
            d["message"],
            format!(
                "`/other/guide/` has no anchor `#step-{i:04}-of-the-stup` (manifest of /other/)"
            )
        );
        assert_eq!(
            d["suggestion"],
            format!("did you mean `#step-{i:04}-of-the-setup`?")
        );
    }
}
