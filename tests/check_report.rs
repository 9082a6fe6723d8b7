//! The four output formats of `docshift check`: human (exact text), JSON (exact keys, order,
//! and a JSON Schema), GitHub workflow commands (exact lines, escaping) and SARIF (validated
//! against the official SARIF 2.1.0 schema).

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use common::{check_fixture_root, check_json};
use serde_json::Value;
use std::path::Path;

fn check_output(cwd: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = common::run(cwd, &all);
    (common::code(&out), common::stdout(&out))
}

fn load_json(path: &Path) -> Value {
    serde_json::from_str(&common::read(path)).expect("valid JSON file")
}

/// RFC 3986 `URI-reference` (the SARIF schema's `format` for artifact URIs). Draft 4, the
/// schema's dialect, has no such format, so the validator is given this check: only
/// unreserved, reserved and well-formed `%XX` characters, and a relative reference whose
/// first segment has a `:` only when it is a valid scheme.
fn is_uri_reference(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return false;
                }
                i += 3;
                continue;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => {}
            b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' => {}
            b'+' | b',' | b';' | b'=' | b':' | b'@' | b'/' | b'?' | b'#' => {}
            _ => return false,
        }
        i += 1;
    }
    let first_segment = s.split(['/', '?', '#']).next().unwrap_or_default();
    match first_segment.split_once(':') {
        None => true,
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
    }
}

/// Validates `instance` against `schema`, formats included; panics with every error.
fn assert_valid(schema: &Value, instance: &Value, draft4: bool) {
    let validator = if draft4 {
        sarif_validator(schema)
    } else {
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(schema)
            .expect("schema compiles")
    };
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}\n\ninstance:\n{instance:#}",
        errors.join("\n")
    );
}

/// A site whose file names need escaping in every format: `%`, `,`, `:`, space, `[`, `]`,
/// non-ASCII; and a raw HTML link whose target spans two lines (a message with a newline).
fn odd_names_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = common::copy_fixture("check/clean");
    common::write_file(
        &root.join("content/100%, a:b.md"),
        "# Odd\n\nText <a href=\"two\nlines.md\">x</a> and [p](100%25.md).\n",
    );
    common::write_file(
        &root.join("content/sp ace[1]é.md"),
        "# Space\n\n## Space\n\n<a id=\"space\"></a>[x](nope.md)\n",
    );
    (tmp, root)
}

/// The help of a missing page with no similar name in its folder.
const EXTERNAL_HELP: &str = "if it is published in another docset, map it in site.yaml: `links: { external: [ { path: \"*.md\", url: \"https://HOST/BASE/\" } ] }`";

// ----- human ------------------------------------------------------------------------------

const HUMAN: &str = "\
warning[duplicate-anchor]: the id `install` is defined twice in guide/setup.md; links to `#install` reach only the first
 --> guide/setup.md:5:10
  |
5 | <a name=\"install\"></a>
  |          ^^^^^^^
  |
  = note: first defined here at guide/setup.md:3
  = help: give one of the two another id, and point the links meant for it there

error[missing-asset]: image `media/diagram.png` not found (looked for `guide/media/diagram.png`)
 --> guide/setup.md:7:1
  |
7 | ![Diagram](media/diagram.png)
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^

error[broken-anchor]: `guide/setup.md` has no anchor `#instal`
 --> index.md:6:5
  |
6 | See [the guide](guide/setup.md#instal) and [pricing](https://learn.microsoft.com/pricing).
  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: did you mean `#install`?

error[broken-link]: page `old-page.md` not found (looked for `old-page.md`)
  --> index.md:10:11
   |
10 | Reference [the old page][old] and [letter case](Guide/Setup.md).
   |           ^
   |
   = note: reference definition at index.md:12
   = help: if it is published in another docset, map it in site.yaml: `links: { external: [ { path: \"*.md\", url: \"https://HOST/BASE/\" } ] }`

error[broken-link]: page `Guide/Setup.md` not found (looked for `Guide/Setup.md`); `guide/setup.md` exists but differs in letter case (paths are case-sensitive)
  --> index.md:10:35
   |
10 | Reference [the old page][old] and [letter case](Guide/Setup.md).
   |                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: change the link to `guide/setup.md`

findings by code:
      1  error[broken-anchor]
      2  error[broken-link]
      1  error[missing-asset]
      1  warning[duplicate-anchor]
files with the most findings:
      3  index.md
      2  guide/setup.md

4 errors, 1 warning in 2 pages; 4 internal links, 1 external link not checked
";

#[test]
fn human_format_is_rustc_style_with_exact_text() {
    let root = check_fixture_root("report");
    let (code, out) = check_output(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(out, HUMAN);
    // `--format human` is the default.
    assert_eq!(check_output(&root, &["--format", "human"]).1, HUMAN);
}

/// The report with `CLICOLOR_FORCE=1`, escapes written as `\e` so the snapshot is readable.
#[test]
fn human_format_is_coloured_only_when_forced_and_not_disabled() {
    let root = check_fixture_root("report");
    let run = |env: &[(&str, &str)]| common::stdout(&common::run_with_env(&root, &["check"], env));
    let coloured = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(coloured.contains("\u{1b}[1m"), "{coloured}");
    insta::assert_snapshot!("human_coloured", coloured.replace('\u{1b}', "\\e"));
    assert_eq!(
        anstream::adapter::strip_str(&coloured).to_string(),
        HUMAN,
        "colour adds escapes and nothing else"
    );
    // NO_COLOR wins over CLICOLOR_FORCE; not a terminal (a pipe here) means no colour.
    assert_eq!(run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), HUMAN);
    assert_eq!(run(&[]), HUMAN);
    assert_eq!(run(&[("CLICOLOR", "1")]), HUMAN);
}

#[test]
fn human_summary_line_counts_pages_and_links_with_plurals() {
    let (code, out) = check_output(&check_fixture_root("clean"), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "0 errors, 0 warnings in 2 pages; 3 internal links, 1 external link not checked\n"
    );
    let (_, out) = check_output(&check_fixture_root("warnings"), &[]);
    assert!(
        out.ends_with(
            "\n0 errors, 2 warnings in 1 page; 0 internal links, 0 external links not checked\n"
        ),
        "{out}"
    );
}

#[test]
fn human_excerpts_show_the_original_line_for_crlf_bom_and_lone_cr_files() {
    let (_, out) = check_output(&check_fixture_root("encodings"), &[]);
    // Lone CR line breaks: the excerpt is line 3 of the file as the loader counts lines.
    assert!(
        out.contains(
            " --> cr.md:3:12\n  |\n3 | Line three [x](missing-cr.md)\n  |            ^^^^^^^^^^^^^^^^^\n"
        ),
        "{out}"
    );
    // CRLF: no `\r` in the excerpt; BOM: not shown, column 1 is the first character.
    assert!(
        out.contains("11 | | é | [cell](missing-cell.md) |\n   |       ^^^^^^^^^^^^^^^^^^^^^^\n"),
        "{out}"
    );
    assert!(
        out.contains("1 | [first](missing-bom.md) on line one.\n  | ^^^^^^^^^^^^^^^^^^^^^^\n"),
        "{out}"
    );
    assert!(!out.contains('\r'));
    assert!(!out.contains('\u{feff}'));
}

#[test]
fn human_caret_falls_back_to_the_column() {
    // Findings whose target is not written on the line (invalid UTF-8 has no target; the
    // invalid byte is shown as U+FFFD) get one caret at the reported column, not at column 1.
    let (_, out) = check_output(&check_fixture_root("bad-files"), &[]);
    assert!(
        out.contains(" --> latin1.md:3:4\n  |\n3 | Caf\u{fffd} [link](nope.md)\n  |    ^\n"),
        "{out}"
    );
}

// ----- json -------------------------------------------------------------------------------

const KEYS: [&str; 8] = [
    "code",
    "severity",
    "file",
    "line",
    "column",
    "message",
    "target",
    "suggestion",
];

#[test]
fn json_has_the_documented_keys_sorted_findings_and_a_summary() {
    let (code, report) = check_json(&check_fixture_root("resolve"), &[]);
    assert_eq!(code, 1);
    let top: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, ["diagnostics", "summary"]);

    let diags = report["diagnostics"].as_array().expect("array");
    assert_eq!(diags.len(), 22);
    for d in diags {
        let obj = d.as_object().expect("diagnostic object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        let has_related = obj.contains_key("related");
        keys.retain(|k| *k != "related");
        let mut want = KEYS.to_vec();
        keys.sort_unstable();
        want.sort_unstable();
        assert_eq!(keys, want, "{d}");
        if has_related {
            assert!(!d["related"].as_array().expect("related array").is_empty());
        }
    }
    // Sorted by file, then line (then column); files relative to the content folder with `/`.
    let order: Vec<(String, u64, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().expect("file").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(order.iter().any(|(f, _, _)| f == "guide/case.md"));
    assert!(order
        .iter()
        .all(|(f, _, _)| !f.starts_with('/') && !f.contains('\\') && !f.starts_with("content")));

    // One finding in full.
    let first = &diags[0];
    assert_eq!(
        first,
        &serde_json::json!({
            "code": "broken-link",
            "severity": "error",
            "file": "bad.md",
            "line": 3,
            "column": 14,
            "message": "page `missing.md` not found (looked for `missing.md`)",
            "target": "missing.md",
            "suggestion": EXTERNAL_HELP
        })
    );
    let reference = diags
        .iter()
        .find(|d| d["target"] == "missing-ref.md")
        .expect("reference finding");
    assert_eq!(
        reference["related"],
        serde_json::json!([{ "file": "bad.md", "line": 13, "message": "reference definition" }])
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({
            "errors": 22,
            "warnings": 0,
            "pages": 9,
            "internal_links": 55,
            "external_links": 5,
            "cross_docset_links": 0
        })
    );
}

#[test]
fn json_output_matches_its_schema_for_every_fixture() {
    let schema = load_json(&check_fixture_root("report.schema.json"));
    let listed: Vec<&str> = schema["$defs"]["code"]["enum"]
        .as_array()
        .expect("code enum")
        .iter()
        .map(|c| c.as_str().expect("code name"))
        .collect();
    let codes: Vec<&str> = docshift::Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, codes, "the schema lists every code, in order");
    for case in [
        "resolve",
        "anchors",
        "base-path",
        "policy",
        "includes",
        "encodings",
        "bad-files",
        "clean",
        "warnings",
        "report",
    ] {
        let (_, report) = check_json(&check_fixture_root(case), &[]);
        assert_valid(&schema, &report, false);
    }
    let (_tmp, root) = odd_names_site();
    let (_, report) = check_json(&root, &[]);
    assert_valid(&schema, &report, false);
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["file"].as_str().expect("file"))
        .collect();
    assert!(files.contains(&"100%, a:b.md") && files.contains(&"sp ace[1]é.md"));
}

#[test]
fn json_schema_rejects_what_the_format_must_never_print() {
    // The schema is strict enough to catch regressions: an unknown key, a 0 line, a path with
    // a backslash and a missing summary field all fail.
    let schema = load_json(&check_fixture_root("report.schema.json"));
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let good = serde_json::json!({
        "diagnostics": [{
            "code": "broken-link", "severity": "error", "file": "a/b.md", "line": 1, "column": 1,
            "message": "m", "target": "x.md", "suggestion": null
        }],
        "summary": { "errors": 1, "warnings": 0, "pages": 1, "internal_links": 1, "external_links": 0, "cross_docset_links": 0 }
    });
    assert!(validator.is_valid(&good));
    for (pointer, value) in [
        ("/diagnostics/0/extra", serde_json::json!(1)),
        ("/diagnostics/0/line", serde_json::json!(0)),
        ("/diagnostics/0/file", serde_json::json!("a\\b.md")),
        ("/diagnostics/0/file", serde_json::json!("/abs.md")),
        ("/diagnostics/0/code", serde_json::json!("no-such-code")),
        ("/summary/pages", serde_json::json!(-1)),
    ] {
        let mut bad = good.clone();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
        bad.pointer_mut(parent).expect("parent")[key] = value;
        assert!(!validator.is_valid(&bad), "{pointer} should be rejected");
    }
    let mut bad = good.clone();
    bad["summary"]
        .as_object_mut()
        .expect("summary")
        .remove("external_links");
    assert!(!validator.is_valid(&bad));
}

// ----- github -----------------------------------------------------------------------------

#[test]
fn github_format_prints_workflow_commands_with_repository_paths() {
    let root = check_fixture_root("report");
    let (code, out) = check_output(&root, &["--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "\
::warning file=content/guide/setup.md,line=5,col=10,title=duplicate-anchor::the id `install` is defined twice in guide/setup.md; links to `#install` reach only the first (give one of the two another id, and point the links meant for it there)
::error file=content/guide/setup.md,line=7,col=1,title=missing-asset::image `media/diagram.png` not found (looked for `guide/media/diagram.png`)
::error file=content/index.md,line=6,col=5,title=broken-anchor::`guide/setup.md` has no anchor `#instal` (did you mean `#install`?)
::error file=content/index.md,line=10,col=11,title=broken-link::page `old-page.md` not found (looked for `old-page.md`) (if it is published in another docset, map it in site.yaml: `links: { external: [ { path: \"*.md\", url: \"https://HOST/BASE/\" } ] }`)
::error file=content/index.md,line=10,col=35,title=broken-link::page `Guide/Setup.md` not found (looked for `Guide/Setup.md`); `guide/setup.md` exists but differs in letter case (paths are case-sensitive) (change the link to `guide/setup.md`)
4 errors, 1 warning in 2 pages; 4 internal links, 1 external link not checked
"
    );
    // Run from elsewhere with an absolute --root under the working directory: paths are
    // still repository-relative.
    let (_, out) = check_output(
        &common::repo(),
        &["--root", &root.to_string_lossy(), "--format", "github"],
    );
    assert!(
        out.starts_with(
            "::warning file=tests/fixtures/check/report/content/guide/setup.md,line=5,col=10,"
        ),
        "{out}"
    );
}

#[test]
fn github_format_escapes_percent_comma_colon_and_newlines() {
    let (_tmp, root) = odd_names_site();
    let (_, out) = check_output(&root, &["--format", "github"]);
    let lines: Vec<String> = out
        .lines()
        .map(|l| l.replace(&format!(" ({EXTERNAL_HELP})"), " (external help)"))
        .collect();
    assert_eq!(
        lines[..4],
        [
            // Properties: `%` → %25, `,` → %2C, `:` → %3A. Data: `%` → %25, newline → %0A.
            "::error file=content/100%25%2C a%3Ab.md,line=3,col=15,title=broken-link::page `two%0Alines.md` not found (looked for `two%0Alines.md`) (external help)",
            "::error file=content/100%25%2C a%3Ab.md,line=4,col=21,title=broken-link::page `100%2525.md` not found (looked for `100%25.md`) (external help)",
            "::warning file=content/sp ace[1]é.md,line=5,col=8,title=duplicate-anchor::the id `space` is defined twice in sp ace[1]é.md; links to `#space` reach only the first (give one of the two another id, and point the links meant for it there)",
            "::error file=content/sp ace[1]é.md,line=5,col=19,title=broken-link::page `nope.md` not found (looked for `nope.md`) (external help)",
        ]
    );
    // Every workflow command is one line.
    assert_eq!(lines.len(), 5);
}

// ----- sarif ------------------------------------------------------------------------------

fn sarif_schema() -> Value {
    load_json(&common::fixture("sarif/sarif-schema-2.1.0.json"))
}

/// The official schema in its own dialect (Draft 4), with `format` checked.
fn sarif_validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(schema)
        .expect("schema compiles")
}

#[test]
fn uri_reference_check_accepts_uris_and_rejects_raw_characters() {
    for ok in [
        "content/a%20b.md",
        "../shared/x.md",
        "https://example.com/a?b=c#d",
        "file:///tmp/x",
        "",
    ] {
        assert!(is_uri_reference(ok), "{ok}");
    }
    for bad in ["content/a b.md", "a[1].md", "100%.md", "é.md", "a\\b"] {
        assert!(!is_uri_reference(bad), "{bad}");
    }
}

fn sarif_of(root: &Path) -> Value {
    let (_, out) = check_output(root, &["--format", "sarif"]);
    serde_json::from_str(&out).expect("SARIF is JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema = sarif_schema();
    // The schema really is the official one, and it catches an invalid log.
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    let validator = sarif_validator(&schema);
    assert!(!validator.is_valid(&serde_json::json!({ "version": "2.1.0", "runs": [{}] })));
    // Formats are checked: an artifact URI with a raw space is not a URI reference.
    let mut log = sarif_of(&check_fixture_root("report"));
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("content/a b.md");
    assert!(!validator.is_valid(&log));

    for case in [
        "resolve",
        "anchors",
        "includes",
        "encodings",
        "bad-files",
        "clean",
        "report",
    ] {
        assert_valid(&schema, &sarif_of(&check_fixture_root(case)), true);
    }
    // File names that are not valid in a URI unescaped.
    let (_tmp, root) = odd_names_site();
    let log = sarif_of(&root);
    assert_valid(&schema, &log, true);
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert_eq!(
        uris,
        [
            "content/100%25,%20a%3Ab.md",
            "content/100%25,%20a%3Ab.md",
            "content/sp%20ace%5B1%5D%C3%A9.md",
            "content/sp%20ace%5B1%5D%C3%A9.md",
        ]
    );
}

#[test]
fn sarif_has_one_rule_per_code_and_results_that_point_at_them() {
    let log = sarif_of(&check_fixture_root("report"));
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "docshift");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let codes: Vec<&str> = docshift::Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, codes);
    for rule in rules {
        let code = docshift::Code::from_name(rule["id"].as_str().expect("id")).expect("code");
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            code.default_severity().to_string()
        );
        assert_eq!(rule["shortDescription"]["text"], code.description());
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    let first = &results[0];
    assert_eq!(first["ruleId"], "duplicate-anchor");
    assert_eq!(first["level"], "warning");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "content/guide/setup.md"
    );
    assert_eq!(location["region"]["startLine"], 5);
    assert_eq!(location["region"]["startColumn"], 10);
    // Related locations: the first definition of a duplicate, a reference's definition.
    assert_eq!(
        first["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(
        first["relatedLocations"][0]["message"]["text"],
        "first defined here"
    );
    let reference = &results[3];
    assert_eq!(reference["ruleId"], "broken-link");
    assert_eq!(
        reference["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
    // The suggestion is part of the message.
    assert_eq!(
        results[2]["message"]["text"],
        "`guide/setup.md` has no anchor `#instal` (did you mean `#install`?)"
    );
}
