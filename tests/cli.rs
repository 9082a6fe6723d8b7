//! The `docshift` binary: version and help, the clap definition, exit codes (0 success,
//! 1 failed build, 2 usage or configuration error), findings on stderr, refusing foreign
//! output folders, deterministic output and the project's own content.

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use clap::CommandFactory;
use common::{build_fixture_root, code, repo, run, snapshot_dir, stderr, stdout, write_file};
use docshift::cli::Cli;
use std::path::{Path, PathBuf};
use std::process::Output;

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// `docshift build --root <fixture> --output <out> [extra...]`.
fn build_cli(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--root", text(root), "--output", text(out)];
    args.extend_from_slice(extra);
    run(&repo(), &args)
}

/// A temporary folder and an output path inside it that does not exist yet.
fn temp_output() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    (tmp, out)
}

/// A copy of the `site` fixture whose `site.yaml` is replaced by `config`.
fn site_with_config(config: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    common::copy_dir(&build_fixture_root("site"), &root);
    write_file(&root.join("site.yaml"), config);
    (tmp, root)
}

#[test]
fn version_prints_the_crate_version() {
    let out = run(&repo(), &["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        format!("docshift {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_clap_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn every_subcommand_has_help_listing_its_options() {
    let top = run(&repo(), &["--help"]);
    assert_eq!(code(&top), 0);
    let command = Cli::command();
    let subcommands: Vec<_> = command.get_subcommands().collect();
    assert!(subcommands.len() >= 2);
    for sub in subcommands {
        let name = sub.get_name();
        assert!(stdout(&top).contains(name), "top-level help lists {name}");
        let out = run(&repo(), &[name, "--help"]);
        let help = stdout(&out);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(
            help.contains(&format!("Usage: docshift {name}")),
            "{name}: {help}"
        );
        if let Some(about) = sub.get_about() {
            assert!(help.contains(&about.to_string()), "{name}: {help}");
        }
        for arg in sub.get_arguments() {
            if let Some(long) = arg.get_long() {
                assert!(
                    help.contains(&format!("--{long}")),
                    "{name} --{long}: {help}"
                );
            }
        }
    }
}

#[test]
fn a_clean_build_exits_0_and_prints_a_summary() {
    let (_tmp, out) = temp_output();
    let result = build_cli(&build_fixture_root("site"), &out, &[]);
    assert_eq!(code(&result), 0, "{}", stderr(&result));
    assert_eq!(stderr(&result), "");
    assert!(
        // 18 site files, 17 exports (the migration exports, manifest.json and the schemas)
        // and 5 search files (the search manifest, one shard, one metadata chunk per eight
        // pages), the shared navigation script.
        stdout(&result).starts_with("built 10 pages and 41 files into "),
        "{}",
        stdout(&result)
    );
    assert!(out.join("index.html").is_file());
    assert!(out.join(".docshift-output").is_file());
}

#[test]
fn the_progress_bar_is_silent_when_stderr_is_not_a_terminal() {
    // Piped stderr (CI logs, redirects): no bar, not even a cleared one.
    let site = build_fixture_root("site");
    let (_tmp, out) = temp_output();
    let built = build_cli(&site, &out, &[]);
    assert_eq!(stderr(&built), "");
    let checked = run(&repo(), &["check", "--root", text(&site)]);
    assert_eq!(code(&checked), 0);
    assert_eq!(stderr(&checked), "");
    // With findings, stderr holds the report and nothing else.
    let (_tmp, out) = temp_output();
    let built = build_cli(&build_fixture_root("encoding"), &out, &[]);
    let err = stderr(&built);
    assert!(err.contains("error[broken-link]: "), "{err}");
    assert!(!err.contains(['\r', '\u{1b}']), "{err:?}");
    assert!(
        !err.contains("parsing") && !err.contains("rendering"),
        "{err}"
    );
}

/// On a terminal (a pseudo-terminal from `script`, where it is installed) the bar is drawn
/// on stderr and cleared before the summary.
#[test]
fn the_progress_bar_is_drawn_on_a_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` to make a pseudo-terminal");
        return;
    }
    let (_tmp, out) = temp_output();
    let command = format!(
        "'{}' build --root '{}' --output '{}'",
        env!("CARGO_BIN_EXE_docshift"),
        text(&build_fixture_root("site")),
        text(&out)
    );
    let result = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .output()
        .expect("run script");
    let shown = stdout(&result);
    // Which frames are drawn depends on timing; at least one is.
    assert!(
        shown.contains("parsing") || shown.contains("rendering"),
        "{shown:?}"
    );
    assert!(shown.contains("built 10 pages"), "{shown:?}");
}

#[test]
fn findings_go_to_stderr_with_file_and_line_and_the_site_is_still_written() {
    let (_tmp, out) = temp_output();
    let result = build_cli(&build_fixture_root("encoding"), &out, &[]);
    let err = stderr(&result);
    assert_eq!(code(&result), 0, "{err}");
    for location in [
        "error[broken-link]",
        "--> bom.md:6:9",
        "--> crlf.md:8:18",
        "--> crlf.md:14:7",
        "warning[malformed-directive]",
        "--> crlf.md:10:1",
    ] {
        assert!(err.contains(location), "missing {location}\n{err}");
    }
    assert!(err.contains("5 errors, 1 warning"), "{err}");
    assert!(out.join("crlf/index.html").is_file());
    assert!(out.join("bom/index.html").is_file());
}

#[test]
fn strict_fails_on_any_finding_and_writes_nothing() {
    let (_tmp, out) = temp_output();
    let result = build_cli(&build_fixture_root("encoding"), &out, &["--strict"]);
    let err = stderr(&result);
    assert_eq!(code(&result), 1, "{err}");
    assert!(err.contains("--> bom.md:6:9"), "{err}");
    assert!(
        err.contains("build failed (--strict: findings are errors)"),
        "{err}"
    );
    assert!(!out.exists());
    // A warning alone is a finding too.
    let warnings_only = build_cli(
        &build_fixture_root("directives-malformed"),
        &out,
        &["--strict"],
    );
    assert_eq!(code(&warnings_only), 1, "{}", stderr(&warnings_only));
    // And a clean site passes --strict.
    let clean = build_cli(&build_fixture_root("site"), &out, &["--strict"]);
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
}

#[test]
fn bad_front_matter_exits_1_but_writes_the_site() {
    let (_tmp, out) = temp_output();
    let result = build_cli(&build_fixture_root("front-matter-invalid"), &out, &[]);
    let err = stderr(&result);
    assert_eq!(code(&result), 1, "{err}");
    assert!(err.contains("error[invalid-front-matter]"), "{err}");
    assert!(err.contains("--> bad.md:4:9"), "{err}");
    assert!(
        err.contains("build failed: 3 page(s) built without their front matter"),
        "{err}"
    );
    assert!(err.contains("--> conflict.md:3:1"), "{err}");
    assert!(
        stdout(&result).starts_with("built 4 pages"),
        "{}",
        stdout(&result)
    );
    for page in [
        "index.html",
        "bad/index.html",
        "conflict/index.html",
        "unclosed/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} is written");
    }
}

#[test]
fn bad_front_matter_with_strict_keeps_the_previous_output() {
    let (_tmp, out) = temp_output();
    let first = build_cli(&build_fixture_root("site"), &out, &[]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let before = snapshot_dir(&out);

    let result = build_cli(
        &build_fixture_root("front-matter-invalid"),
        &out,
        &["--strict"],
    );
    let err = stderr(&result);
    assert_eq!(code(&result), 1, "{err}");
    assert!(err.contains("error[invalid-front-matter]"), "{err}");
    assert!(
        err.contains("build failed (--strict: findings are errors)"),
        "{err}"
    );
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn invalid_utf8_exits_1() {
    let (_tmp, out) = temp_output();
    let result = build_cli(&build_fixture_root("invalid-utf8"), &out, &[]);
    let err = stderr(&result);
    assert_eq!(code(&result), 1, "{err}");
    assert!(err.contains("error[invalid-utf8]"), "{err}");
    assert!(err.contains("--> latin1.md:3:4"), "{err}");
    assert!(!out.exists());
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    let (_tmp, out) = temp_output();
    let site = build_fixture_root("site");
    let cases: Vec<(&str, Output, &str)> = vec![
        (
            "unknown flag",
            build_cli(&site, &out, &["--no-such-flag"]),
            "unexpected argument '--no-such-flag'",
        ),
        (
            "missing content folder",
            build_cli(&site, &out, &["--content", "no-such-folder"]),
            "content folder",
        ),
        (
            "content path that is a file",
            build_cli(&site, &out, &["--content", "site.yaml"]),
            "content path",
        ),
        (
            "explicit --config that does not exist",
            build_cli(&site, &out, &["--config", "missing.yaml"]),
            "no such file",
        ),
        (
            "unknown subcommand",
            run(&repo(), &["publish"]),
            "unrecognized subcommand",
        ),
    ];
    for (what, result, message) in cases {
        let err = stderr(&result);
        assert_eq!(code(&result), 2, "{what}: {err}");
        if what == "missing content folder" {
            assert!(
                err.contains("help:") && err.contains("docshift init"),
                "{err}"
            );
        }
        if what == "content path that is a file" {
            assert!(err.contains("is a file, not a folder"), "{err}");
            assert!(!err.contains("does not exist"), "{err}");
        }
        assert!(err.contains(message), "{what}: {err}");
    }
    assert!(!out.exists());
}

#[test]
fn an_invalid_site_yaml_exits_2() {
    for (config, message) in [
        ("titel: Typo\n", "unknown field `titel`"),
        (
            "severity:\n  broken-link: fatal\n",
            "expected error, warning or off, found `fatal`",
        ),
        (
            "severity:\n  no-such-code: off\n",
            "unknown diagnostic code `no-such-code`",
        ),
        ("title: [unclosed\n", "invalid configuration"),
    ] {
        let (_tmp, root) = site_with_config(config);
        let out = root.join("public");
        let result = build_cli(&root, &out, &[]);
        let err = stderr(&result);
        assert_eq!(code(&result), 2, "{config}: {err}");
        assert!(err.contains(message), "{config}: {err}");
        assert!(!out.exists(), "{config}");
    }
}

#[test]
fn an_output_folder_docshift_did_not_write_is_refused_and_untouched() {
    let (tmp, _) = temp_output();
    let foreign = tmp.path().join("precious");
    write_file(&foreign.join("notes.txt"), "keep me");
    write_file(&foreign.join("sub/data.bin"), [0u8, 159, 146, 150]);
    let before = snapshot_dir(&foreign);

    let result = build_cli(&build_fixture_root("site"), &foreign, &[]);
    let err = stderr(&result);
    assert!(
        matches!(code(&result), 1 | 2),
        "exit {}: {err}",
        code(&result)
    );
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(err.contains(".docshift-output"), "{err}");
    assert_eq!(snapshot_dir(&foreign), before);
    let entries: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["precious"], "no staging folder is left behind");
}

#[test]
fn an_empty_output_folder_and_a_previous_build_are_replaced() {
    let (tmp, _) = temp_output();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).expect("create empty folder");
    let first = build_cli(&build_fixture_root("site"), &empty, &[]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(empty.join("guide/setup/index.html").is_file());
    // Rebuilding another site into it removes the files of the previous one.
    let second = build_cli(&build_fixture_root("templates-override"), &empty, &[]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert!(!empty.join("guide").exists());
    assert!(empty.join("static/extra.css").is_file());
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for fixture in ["markdown", "site"] {
        let one = tmp.path().join(format!("{fixture}-one"));
        let two = tmp.path().join(format!("{fixture}-two"));
        for out in [&one, &two] {
            let result = build_cli(&build_fixture_root(fixture), out, &[]);
            assert_eq!(code(&result), 0, "{fixture}: {}", stderr(&result));
        }
        let (first, second) = (snapshot_dir(&one), snapshot_dir(&two));
        assert!(first.len() > 10, "{fixture}: {:?}", first.keys());
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>(),
            "{fixture}"
        );
        for (path, bytes) in &first {
            assert!(second[path] == *bytes, "{fixture}: {path} differs");
        }
    }
}

#[test]
fn the_default_content_builds_without_findings() {
    let (_tmp, out) = temp_output();
    let result = build_cli(&repo(), &out, &[]);
    assert_eq!(code(&result), 0, "{}", stderr(&result));
    assert_eq!(
        stderr(&result),
        "",
        "the project's own content has no findings"
    );
    assert!(out.join("index.html").is_file());
    // No `url` in the default site.yaml: a sitemap would need absolute addresses.
    assert!(!out.join("sitemap.xml").exists());
}

#[test]
fn an_output_folder_inside_the_content_is_refused_before_anything_is_built() {
    let (_tmp, root) = site_with_config("title: Nested\n");
    let content = root.join("content");
    let before = snapshot_dir(&content);
    let result = build_cli(&root, &content.join("public"), &[]);
    let err = stderr(&result);
    assert_eq!(code(&result), 2, "{err}");
    assert!(err.contains("is inside the content folder"), "{err}");
    assert!(!err.contains("error["), "refused before any finding: {err}");
    assert_eq!(snapshot_dir(&content), before, "nothing written");

    let around = build_cli(&root, &root, &[]);
    assert_eq!(code(&around), 2, "{}", stderr(&around));
}
