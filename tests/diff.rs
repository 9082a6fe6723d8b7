//! `docshift diff OLD NEW` on two versions of a Learn docset (`tests/fixtures/diff/v1` and
//! `v2`): between them a linked heading is renamed, a linked page is deleted without a
//! redirect, another is deleted with one (`.openpublishing.redirection.json`, so neither
//! its links nor its absence are findings), and a mapping set has a row retargeted, one
//! added, one removed and a note changed. OLD is given as sources, as a built site, as its `manifest.json` and as a git
//! revision; every form gives the same report.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use common::{code, copy_dir, fixture, read, run, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn version(name: &str) -> PathBuf {
    fixture("diff").join(name).join("partner-center")
}

/// The report the fixture's change must give, whatever form OLD is given in.
fn expected() -> Value {
    serde_json::from_str(&read(fixture("diff").join("expected.json"))).expect("expected.json")
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name);
    let schema: Value = serde_json::from_str(&read(path)).expect("schema json");
    jsonschema::draft202012::new(&schema).expect("schema compiles")
}

fn json_report(cwd: &Path, args: &[&str]) -> Value {
    let out = run(cwd, args);
    assert_eq!(code(&out), 1, "something breaks: {}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json report");
    let validator = schema("diff.schema.json");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?} in {report}");
    report
}

#[test]
fn a_renamed_heading_a_deleted_page_and_mapping_changes_are_reported() {
    let v1 = version("v1");
    let v2 = version("v2");
    let report = json_report(
        &fixture("diff"),
        &[
            "diff",
            v1.to_str().unwrap(),
            v2.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(report, expected());

    // The terminal report: each inbound link with its source line and the fix.
    let out = run(
        &fixture("diff"),
        &["diff", v1.to_str().unwrap(), v2.to_str().unwrap()],
    );
    let text = stdout(&out);
    for line in [
        "error[removed-anchor-linked]: `#create-an-account` was removed from /partner-center/account/setup/ and is still linked here",
        " --> index.md:7:3",
        "7 | - [Create an account](account/setup.md#create-an-account)",
        "= help: if `#create-your-account` is the renamed heading, keep the old id: end the heading with `{#create-an-account}` or start it with `<a name=\"create-an-account\"></a>`",
        "error[removed-page-linked]: /partner-center/account/legacy/ (account/legacy.md) was removed and is still linked here",
        "warning[missing-redirect]: /partner-center/account/legacy/ (account/legacy.md) was removed and nothing redirects it",
        "= help: add to .openpublishing.redirection.json: {\"source_path\": \"account/legacy.md\", \"redirect_url\": \"/partner-center/\", \"redirect_document_id\": false}",
        "2 errors, 1 warning; pages: 0 added, 2 removed; 1 anchor removed",
        "mapping set cpp-to-partner-center: 1 added, 1 removed, 2 changed",
        "mapping set redirects: 1 added, 0 removed, 0 changed",
    ] {
        assert!(text.contains(line), "{line}\nin\n{text}");
    }

    // GitHub annotations name the repository path of the linking file.
    let out = run(
        &fixture("diff"),
        &[
            "diff",
            v1.to_str().unwrap(),
            "v2/partner-center",
            "--format",
            "github",
        ],
    );
    assert!(
        stdout(&out).contains("::error file=v2/partner-center/index.md,line=7,col=3"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn old_as_a_built_site_or_its_manifest_gives_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = run(
        &version("v1"),
        &["build", "--output", site.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let manifest: Value =
        serde_json::from_str(&read(site.join("manifest.json"))).expect("manifest json");
    let errors: Vec<String> = schema("manifest.schema.json")
        .iter_errors(&manifest)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?} in {manifest}");
    assert_eq!(manifest["base_path"], "/partner-center/");
    let setup = manifest["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "account/setup.md")
        .expect("setup page");
    assert_eq!(
        setup["anchors"],
        serde_json::json!([
            "set-up-an-account",
            "create-an-account",
            "verify-your-company"
        ])
    );
    assert_eq!(setup["url"], "/partner-center/account/setup/");

    let v2 = version("v2");
    for old in [site.clone(), site.join("manifest.json")] {
        let report = json_report(
            &fixture("diff"),
            &[
                "diff",
                old.to_str().unwrap(),
                v2.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert_eq!(report, expected(), "OLD as {}", old.display());
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run git");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn base_compares_the_working_tree_with_a_git_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "user.email", "docs@example.com"]);
    git(repo, &["config", "user.name", "Docs"]);
    let docset = repo.join("articles").join("partner-center");
    copy_dir(&version("v1"), &docset);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "v1"]);
    // The pull request: the working tree becomes v2.
    std::fs::remove_dir_all(&docset).unwrap();
    copy_dir(&version("v2"), &docset);
    let status = git_output(repo, &["status", "--porcelain"]);

    let report = json_report(&docset, &["diff", "--base", "main", "--format", "json"]);
    assert_eq!(report, expected());
    assert_eq!(
        git_output(repo, &["status", "--porcelain"]),
        status,
        "nothing is written into the repository"
    );
    let out = run(&docset, &["diff", "--base", "no-such-branch"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("cannot compare no-such-branch: not a git revision of this repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn versions_that_cannot_be_read_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let v2 = version("v2");
    let v2 = v2.to_str().unwrap();
    let future = tmp.path().join("future.json");
    std::fs::write(
        &future,
        r#"{"schema_version": 2, "generator": "docshift 9.0.0", "base_path": "/", "pages": []}"#,
    )
    .unwrap();
    let foreign = tmp.path().join("xrefmap.json");
    std::fs::write(&foreign, r#"{"references": []}"#).unwrap();
    let missing = tmp.path().join("no-such-folder");
    for (old, says) in [
        (
            &future,
            "is a manifest of schema version 2; this docshift reads version 1",
        ),
        (&foreign, "is not a docshift manifest"),
        (
            &missing,
            "not a site folder, a built site, a manifest.json or a git revision",
        ),
    ] {
        let out = run(tmp.path(), &["diff", old.to_str().unwrap(), v2]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{says} in {}", stderr(&out));
        if old != &missing {
            assert!(
                stderr(&out).contains(&old.display().to_string()),
                "names the file: {}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn an_unchanged_docset_has_nothing_to_report() {
    let v1 = version("v1");
    let out = run(
        &fixture("diff"),
        &["diff", v1.to_str().unwrap(), v1.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "0 errors, 0 warnings; pages: 0 added, 0 removed; 0 anchors removed\n"
    );
}

#[test]
fn build_publishes_the_mapping_changes_since_the_previous_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let (old_site, new_site) = (tmp.path().join("v1"), tmp.path().join("v2"));
    let out = run(
        &version("v1"),
        &["build", "--output", old_site.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let previous = old_site.join("manifest.json");
    let out = run(
        &version("v2"),
        &[
            "build",
            "--output",
            new_site.to_str().unwrap(),
            "--previous-manifest",
            previous.to_str().unwrap(),
        ],
    );
    assert!(new_site.join("index.html").is_file(), "{}", stderr(&out));
    let changes: Value = serde_json::from_str(&read(
        new_site.join("mappings/cpp-to-partner-center.changes.json"),
    ))
    .expect("changes json");
    let errors: Vec<String> = schema("mapping-changes.schema.json")
        .iter_errors(&changes)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?} in {changes}");
    // The same changes `diff` reports for the set.
    let expected = expected();
    for key in ["set", "added", "removed", "changed"] {
        assert_eq!(changes[key], expected["mappings"][0][key], "{key}");
    }
    assert_eq!(changes["previous_generator"], changes["generator"]);

    let out = run(
        &version("v2"),
        &[
            "build",
            "--output",
            new_site.to_str().unwrap(),
            "--previous-manifest",
            tmp.path().join("none.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("previous manifest"),
        "{}",
        stderr(&out)
    );
}
