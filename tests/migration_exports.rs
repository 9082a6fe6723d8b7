//! Exports written by `build`: every file validated against its JSON Schema, the default
//! content's CPP set character for character, redirect rules, FAQ JSON-LD, YAML pages,
//! and determinism (two builds byte-identical).
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use docshift::pipeline::{build, BuildOptions};
use docshift::settings::{Settings, SiteLocation};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn build_into(root: &Path, output: &Path) {
    let settings = Settings::load(&SiteLocation {
        root: Some(root.to_path_buf()),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })
    .unwrap();
    let built = build(&settings, BuildOptions::default()).unwrap();
    assert!(!built.failed, "{:#?}", built.checked.diagnostics);
}

fn json(path: impl AsRef<Path>) -> Value {
    serde_json::from_str(&common::read(path)).unwrap()
}

fn schema(name: &str) -> Value {
    json(common::repo().join("schemas").join(name))
}

fn assert_valid(schema_name: &str, instance: &Value, what: &str) {
    let schema = schema(schema_name);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match {schema_name}:\n{}",
        errors.join("\n")
    );
}

/// Validates every export of a built site against its schema; returns how many files.
fn validate_exports(out: &Path) -> usize {
    let mut n = 0;
    let index = json(out.join("mappings/index.json"));
    assert_valid("mapping-index.schema.json", &index, "mappings/index.json");
    n += 1;
    for set in index["sets"].as_array().unwrap() {
        let id = set["id"].as_str().unwrap();
        let file = format!("mappings/{id}.json");
        assert_valid("mapping-set.schema.json", &json(out.join(&file)), &file);
        assert!(out.join(format!("mappings/{id}.csv")).is_file());
        assert!(out.join(format!("redirects/{id}/index.html")).is_file());
        n += 1;
    }
    for (file, schema) in [
        ("api-changes.json", "api-changes.schema.json"),
        ("faq.json", "faq.schema.json"),
        ("site.json", "site.schema.json"),
    ] {
        assert_valid(schema, &json(out.join(file)), file);
        n += 1;
    }
    let redirections = out.join(".openpublishing.redirection.json");
    if redirections.is_file() {
        assert_valid(
            "redirections.schema.json",
            &json(&redirections),
            ".openpublishing.redirection.json",
        );
        n += 1;
    }
    for entry in std::fs::read_dir(common::repo().join("schemas")).unwrap() {
        let name = entry.unwrap().file_name();
        let shipped = common::read(out.join("schemas").join(&name));
        assert_eq!(
            shipped,
            common::read(common::repo().join("schemas").join(&name))
        );
    }
    n
}

fn all_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn default_content_exports_the_seven_cpp_rows_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&common::repo(), &out);
    // The index, the CPP set, the page moves of `content/.openpublishing.redirection.json`,
    // three more exports, and the redirection file written for those moves.
    assert_eq!(validate_exports(&out), 7);
    let set = json(out.join("mappings/cpp-to-partner-center.json"));
    // Compact, one entry per line (between the header line and the closing line).
    let text = common::read(out.join("mappings/cpp-to-partner-center.json"));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + 7, "{text}");
    assert!(lines[0].ends_with("\"entries\":["), "{text}");
    assert!(lines[1..7]
        .iter()
        .all(|l| l.starts_with("{\"label\":") && l.ends_with("},")));
    assert!(lines[7].starts_with("{\"label\":") && lines[7].ends_with('}'));
    assert_eq!(lines[8], "]}");
    assert_eq!(set["id"], "cpp-to-partner-center");
    assert_eq!(set["source"]["name"], "Cloud Partner Portal");
    assert_eq!(set["target"]["name"], "Partner Center");
    assert_eq!(set["schema_version"], 1);
    assert_eq!(
        set["page"]["url"],
        "/cpp-to-partner-center/faq/#which-partner-center-pages-replace-the-ones-i-used",
        "links to the table go to the heading above it"
    );
    assert_eq!(
        set["generator"],
        format!("docshift {}", env!("CARGO_PKG_VERSION"))
    );
    let entries: Vec<(String, String, Value, String, Value)> = set["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["label"].as_str().unwrap().to_string(),
                e["source_url"].as_str().unwrap().to_string(),
                e["target_url"].clone(),
                e["status"].as_str().unwrap().to_string(),
                e["note"].clone(),
            )
        })
        .collect();
    let mapped = |label: &str, from: &str, to: &str| {
        (
            label.to_string(),
            from.to_string(),
            Value::from(to),
            "mapped".to_string(),
            Value::Null,
        )
    };
    assert_eq!(
        entries,
        [
            mapped(
                "All offers page",
                "https://cloudpartner.azure.com/#alloffers",
                "https://partner.microsoft.com/dashboard/commercial-marketplace/overview"
            ),
            mapped(
                "All publishers page",
                "https://cloudpartner.azure.com/#publishers",
                "https://partner.microsoft.com/dashboard/account/v3/publishers/list"
            ),
            mapped(
                "Publisher profile",
                "https://cloudpartner.azure.com/#profile",
                "https://partner.microsoft.com/dashboard/account/management"
            ),
            mapped(
                "Users page",
                "https://cloudpartner.azure.com/#users",
                "https://partner.microsoft.com/dashboard/account/usermanagement"
            ),
            (
                "History page".to_string(),
                "https://cloudpartner.azure.com/#history".to_string(),
                Value::Null,
                "unsupported".to_string(),
                Value::from("The History feature is not yet supported in Partner Center.")
            ),
            mapped(
                "Insights dashboard",
                "https://cloudpartner.azure.com/#insights",
                "https://partner.microsoft.com/dashboard/commercial-marketplace/analytics/summary"
            ),
            mapped(
                "Payout report",
                "https://cloudpartner.azure.com/#insights/payout",
                "https://partner.microsoft.com/dashboard/payouts/reports/incentivepayments"
            ),
        ]
    );
}

#[test]
fn default_content_csv_json_ld_and_explorer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&common::repo(), &out);
    let csv = common::read(out.join("mappings/cpp-to-partner-center.csv"));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "label,source_url,target_url,status,note,origin_file,origin_line"
    );
    assert_eq!(lines[5], "History page,https://cloudpartner.azure.com/#history,,unsupported,The History feature is not yet supported in Partner Center.,cpp-to-partner-center/faq.md,109");
    assert_eq!(lines.len(), 9, "header, seven rows, final line break");
    let faq = common::read(out.join("cpp-to-partner-center/faq/index.html"));
    assert!(
        faq.contains("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\"")
    );
    assert!(faq.contains("\"@type\":\"FAQPage\""));
    let explorer = common::read(out.join("mappings/index.html"));
    assert!(explorer.contains("<table class=\"mapping-table\">"));
    assert!(explorer.contains("href=\"/mappings/cpp-to-partner-center.csv\" download"));
    // Fragment URLs cannot be redirected by a server: the server rules hold only the
    // pages the default content's redirection file moves.
    let rules = common::read(out.join("_redirects"));
    assert!(!rules.contains("cloudpartner"), "{rules}");
    assert!(rules.contains("\n/co-sell-migrate/ /ocp-gtm-co-sell/#plan-your-migration 301\n"));
    let moves = json(out.join("mappings/redirects.json"));
    assert_eq!(moves["entries"].as_array().unwrap().len(), 4);
}

#[test]
fn yaml_sets_faq_files_and_path_redirects() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&common::fixture("migration/redirect"), &out);
    assert!(validate_exports(&out) >= 7);
    let page = common::read(out.join("old/index.html"));
    assert!(
        page.contains("<h1"),
        "a YAML mapping set with a title is a page"
    );
    assert!(
        page.contains("href=\"/guide/#step-one\""),
        "local targets are rewritten to site URLs"
    );
    let set = json(out.join("mappings/old-portal-to-guide.json"));
    assert_eq!(set["entries"][0]["target_url"], "/guide/#step-one");
    assert_eq!(set["entries"][0]["origin"]["file"], "old.mapping.yaml");
    assert_eq!(set["entries"][0]["origin"]["line"], 7);
    assert_eq!(
        common::read(out.join("_redirects"))
            .lines()
            .skip(1)
            .collect::<Vec<_>>(),
        [
            "/guide/setup https://newdocs.example/setup 301",
            "/api/ https://newdocs.example/reference/api 301"
        ]
    );
    let nginx = common::read(out.join("redirects/nginx-map.conf"));
    assert!(nginx.contains("map $uri $docshift_redirect {\n    default \"\";\n    \"/guide/setup\" \"https://newdocs.example/setup\";\n"));
    let learn = json(out.join(".openpublishing.redirection.json"));
    assert_eq!(
        learn["redirections"][1]["source_path_from_root"],
        "/api/index.md"
    );
    assert_eq!(learn["redirections"][1]["redirect_document_id"], false);
    let faq_page = common::read(out.join("faq/index.html"));
    // Learn's question id, with the GitHub-style id as an alias inside the heading.
    assert!(faq_page.contains(
        "<h3 id=\"do-i-need-a-new-account-\"><a id=\"do-i-need-a-new-account\"></a>Do I need a new account?"
    ));
    assert!(faq_page.contains("<h2 id=\"accounts\">"));
    let ld_start = faq_page.find("application/ld+json").unwrap();
    let ld_end = faq_page[ld_start..].find("</script>").unwrap() + ld_start;
    let ld = &faq_page[ld_start..ld_end];
    assert!(
        !ld.contains("<em>") && ld.contains("\\u003cem\\u003e"),
        "answer HTML is escaped in JSON-LD: {ld}"
    );
    assert!(
        ld.contains("\\u0026lt;/script\\u0026gt;"),
        "a `</script>` in an answer cannot end the element: {ld}"
    );
    let faq = json(out.join("faq.json"));
    let page = faq["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["page"] == "faq.yml")
        .unwrap();
    assert_eq!(page["questions"][0]["question"], "Do I need a new account?");
    assert_eq!(
        page["questions"][0]["url"],
        "/faq/#do-i-need-a-new-account-"
    );
    assert!(page["questions"][0]["answer_html"]
        .as_str()
        .unwrap()
        .contains("href=\"/guide/#step-one\""));
    let redirect = common::read(out.join("redirects/old-portal-to-guide/index.html"));
    assert!(redirect.contains("/static/docshift-redirect.js"));
    assert!(out.join("static/docshift-redirect.js").is_file());
}

#[test]
fn schemas_reject_broken_exports() {
    let validator = jsonschema::validator_for(&schema("mapping-set.schema.json")).unwrap();
    let mut set: Value = serde_json::from_str(
        r#"{"schema_version":1,"generator":"docshift 0.1.0","id":"a-to-b","source":{"name":"A"},"target":{"name":"B"},"page":null,
            "entries":[{"label":"x","source_url":"https://a.example/#x","target_url":"https://b.example/","status":"mapped","note":null,"origin":{"file":"a.md","line":3}}]}"#,
    )
    .unwrap();
    assert!(validator.is_valid(&set));
    set["entries"][0]["target_url"] = Value::Null;
    assert!(!validator.is_valid(&set), "a mapped entry needs a target");
    set["entries"][0]["status"] = Value::from("unsupported");
    assert!(validator.is_valid(&set));
    set["entries"][0]["source_url"] = Value::from("relative");
    assert!(!validator.is_valid(&set));
    set["entries"][0]["source_url"] = Value::from("host.example/x");
    assert!(!validator.is_valid(&set));
    // A site path: the key of a page move when the site has no `url`.
    set["entries"][0]["source_url"] = Value::from("/moved-page/");
    assert!(validator.is_valid(&set));
}

#[test]
fn yaml_mapping_files_match_their_schema() {
    for file in [
        "redirect/content/old.mapping.yaml",
        "redirect/content/paths.mapping.yaml",
        "merge/content/more.mapping.yaml",
    ] {
        let text = common::read(common::fixture("migration").join(file));
        let value = docshift::yaml::to_json_value(&text).unwrap();
        assert_valid("mapping-file.schema.json", &value, file);
    }
}

#[test]
fn two_builds_are_byte_identical() {
    for root in [
        common::repo(),
        common::fixture("migration/redirect"),
        common::fixture("migration/seeds"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        if root.ends_with("seeds") {
            for out in [&a, &b] {
                let settings = common::settings_for_content(&root, out);
                build(&settings, BuildOptions::default()).unwrap();
            }
        } else {
            build_into(&root, &a);
            build_into(&root, &b);
        }
        let (fa, fb) = (all_files(&a), all_files(&b));
        assert!(fa.keys().any(|p| p.ends_with("site.json")));
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (path, bytes) in &fa {
            assert!(
                bytes == &fb[path],
                "{} differs between two builds of {}",
                path.display(),
                root.display()
            );
        }
    }
}

#[test]
fn seeds_build_exports_detected_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let settings = common::settings_for_content(&common::fixture("migration/seeds"), &out);
    build(&settings, BuildOptions::default()).unwrap();
    validate_exports(&out);
    let api = json(out.join("api-changes.json"));
    assert_eq!(
        api["changes"].as_array().unwrap().len(),
        4,
        "two tables of two rows"
    );
    assert_eq!(
        api["changes"][0]["origin"]["file"],
        "cloud-partner-portal-api-overview.md"
    );
    let set = json(out.join("mappings/cloud-partner-portal-to-partner-center.json"));
    assert_eq!(set["entries"].as_array().unwrap().len(), 7);
}
