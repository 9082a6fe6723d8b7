//! The search index (issue 5): file layout, determinism and size on the project's own site,
//! and the real browser engine (`static/search.js`, run by node) on the search fixture.

#[allow(
    unreachable_pub,
    reason = "the shared harness is written for several test crates"
)]
mod common;

use docshift::output::{Contents, OutputFile};
use docshift::pipeline;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The search files of a rendered site, by path.
fn search_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let settings = common::settings(root);
    let checked = pipeline::check(&settings).expect("check");
    let files: Vec<OutputFile> = pipeline::render_site(&settings, &checked.site).expect("render");
    files
        .into_iter()
        .filter(|f| f.path.starts_with("search/"))
        .map(|f| match &f.contents {
            Contents::Copy(p) => panic!("search file {} is a copy of {}", f.path, p.display()),
            contents => (f.path.clone(), contents.read().expect("in memory")),
        })
        .collect()
}

/// A metadata chunk's JSON (chunks are gzip-compressed).
fn chunk_json(bytes: &[u8]) -> Value {
    use std::io::Read;
    assert_eq!(&bytes[..2], [0x1f, 0x8b], "chunk is gzip");
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut json)
        .expect("chunk inflates");
    serde_json::from_slice(&json).expect("chunk is JSON")
}

fn manifest(files: &BTreeMap<String, Vec<u8>>) -> Value {
    serde_json::from_slice(&files["search/manifest.json"]).expect("manifest is JSON")
}

#[test]
fn default_site_index_layout_is_complete_and_small() {
    let files = search_files(&common::repo());
    let m = manifest(&files);
    assert_eq!(m["version"], 3);
    let docs = m["docs"].as_u64().expect("docs") as usize;
    let pages = m["pages"].as_u64().expect("pages") as usize;
    let span = m["span"].as_u64().expect("span") as usize;
    let per_group = m["chunk"][0].as_u64().expect("chunk pages") as usize;
    let per_chunk = m["chunk"][1].as_u64().expect("chunk docs") as usize;
    let seps = m["seps"].as_array().expect("seps");
    assert!(docs > 50, "one document per section: {docs}");
    assert_eq!(seps[0], "");
    let mut sorted: Vec<&str> = seps.iter().map(|s| s.as_str().expect("string")).collect();
    sorted.sort();
    assert_eq!(
        sorted,
        seps.iter().map(|s| s.as_str().unwrap()).collect::<Vec<_>>(),
        "separators are sorted"
    );
    for k in 0..seps.len() {
        assert!(
            files.contains_key(&format!("search/t/{k}.bin")),
            "shard {k}"
        );
    }
    // Every page's documents are in its group's chunks, `per_chunk` at a time.
    let mut chunks = 0;
    let mut seen = 0;
    let mut most = 0;
    for g in 0..pages.div_ceil(per_group) {
        let mut counts = vec![0; per_group.min(pages - g * per_group)];
        let mut part = 0;
        while let Some(bytes) = files.get(&format!("search/d/{g}-{part}.json.gz")) {
            let json = chunk_json(bytes);
            let group = json["pages"].as_array().expect("pages");
            assert_eq!(group.len(), counts.len(), "one entry per page of the group");
            for (i, page) in group.iter().enumerate() {
                assert!(page["url"].as_str().expect("url").starts_with('/'));
                let n = page["docs"].as_array().expect("docs").len();
                assert!(n <= per_chunk);
                assert_eq!(n > 0, counts[i] == part * per_chunk, "chunks fill in order");
                counts[i] += n;
            }
            part += 1;
            chunks += 1;
        }
        assert!(part > 0, "group {g} has a chunk");
        seen += counts.iter().sum::<usize>();
        most = most.max(counts.iter().copied().max().unwrap_or(0));
    }
    assert_eq!(seen, docs, "every document has metadata");
    assert_eq!(span, most + 1);
    assert_eq!(files.len(), 1 + seps.len() + chunks, "no stray files");
    let total: usize = files.values().map(Vec::len).sum();
    assert!(
        total < 100 * 1024,
        "the default site's whole index is {total} bytes (budget 100 KB)"
    );
}

#[test]
fn index_is_deterministic() {
    let a = search_files(&common::repo());
    let b = search_files(&common::repo());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn mapping_rows_and_headings_are_stored_as_text() {
    let (_tmp, root) = common::copy_fixture("search");
    let files = search_files(&root);
    let docs: Vec<Value> = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/d/"))
        .flat_map(|(_, b)| {
            let v = chunk_json(b);
            let pages = v["pages"].as_array().expect("pages").clone();
            pages
                .into_iter()
                .flat_map(|p| p["docs"].as_array().expect("docs").clone())
        })
        .collect();
    let payout = docs
        .iter()
        .find(|d| d["h"] == "Payout report")
        .expect("mapping document");
    assert_eq!(payout["k"], "map");
    assert_eq!(
        payout["s"],
        "https://old-portal.example.com/#insights/payout"
    );
    assert_eq!(
        payout["n"],
        "https://new-portal.example.com/payouts/reports"
    );
    assert!(docs
        .iter()
        .any(|d| d["k"] == "api" && d["h"] == "GET Operation"));
    assert!(docs
        .iter()
        .any(|d| d["h"] == "Escaping <script>alert(\"pwned\")</script> in headings"));
}

#[test]
fn search_can_be_turned_off() {
    let (_tmp, root) = common::copy_fixture("search");
    std::fs::write(root.join("site.yaml"), "title: No search\nsearch: false\n").expect("write");
    assert!(search_files(&root).is_empty());
    let settings = common::settings(&root);
    let checked = pipeline::check(&settings).expect("check");
    let files = pipeline::render_site(&settings, &checked.site).expect("render");
    let index = files.iter().find(|f| f.path == "index.html").expect("home");
    let Contents::Bytes(html) = &index.contents else {
        panic!("home is rendered")
    };
    let html = String::from_utf8_lossy(html);
    assert!(!html.contains("site-search") && !html.contains("search.js"));
}

/// Runs `scripts/search-query.mjs --json` (the real client engine) on a built site.
fn query(site: &Path, queries: &[&str]) -> Option<Vec<Value>> {
    let script = common::repo().join("scripts/search-query.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(script).arg(site).arg("--json").args(queries);
    let out = match cmd.output() {
        Ok(out) => out,
        Err(_) if std::env::var_os("DOCSHIFT_REQUIRE_BROWSER").is_none() => {
            eprintln!("node not found: skipping the client engine test");
            return None;
        }
        Err(e) => panic!("node is required: {e}"),
    };
    assert!(
        out.status.success(),
        "node failed: {}",
        common::stderr(&out)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    Some(v.as_array().expect("array").clone())
}

fn top(report: &Value) -> &Value {
    &report["results"][0]
}

#[test]
fn client_engine_ranks_sections_and_mapping_rows() {
    let (_tmp, root) = common::copy_fixture("search");
    let out = root.join("public");
    let run = common::run(&root, &["build"]);
    assert_eq!(common::code(&run), 0, "{}", common::stderr(&run));
    let Some(r) = query(
        &out,
        &[
            "payout",
            "api-version",
            "notification-email",
            "支払い",
            "rotating",
            "partner's seller",
            "xyzzy",
        ],
    ) else {
        return;
    };
    assert_eq!(top(&r[0])["kind"], "map");
    assert_eq!(
        top(&r[0])["href"],
        "https://new-portal.example.com/payouts/reports"
    );
    assert_eq!(
        top(&r[0])["source"],
        "https://old-portal.example.com/#insights/payout"
    );
    assert_eq!(
        top(&r[1])["url"],
        "/docs/guide/setup/#choose-the-api-version-parameter"
    );
    let email: Vec<&str> = r[2]["results"]
        .as_array()
        .expect("results")
        .iter()
        .take(2)
        .map(|x| x["url"].as_str().expect("url"))
        .collect();
    assert!(
        email.contains(&"/docs/guide/setup/#notification-email"),
        "{email:?}"
    );
    assert_eq!(top(&r[3])["heading"], "支払いレポート");
    // A word the corpus never contains finds the sections that share its stem.
    let rotate = top(&r[4])["url"].as_str().expect("url");
    assert!(
        rotate.ends_with("#rotate-credentials") || rotate.ends_with("#scheduling-the-rotation"),
        "{rotate}"
    );
    assert_eq!(top(&r[5])["url"], "/docs/guide/setup/#notification-email");
    assert_eq!(r[6]["total"], 0);
    for report in &r {
        let bytes = report["bytes"].as_u64().expect("bytes");
        assert!(bytes < 20 * 1024, "{}: {bytes} bytes", report["query"]);
    }
}

#[test]
fn browser_and_index_tokenise_alike() {
    let samples = [
        "api-version=2017-10-31 and notification-email",
        "the partner's payouts (don't) “quoted” words",
        "offerId PublisherId HTTPServer snake_case_name",
        "System.IO.File a--b end. example.com/path",
        "Größe café naïve Пользователи",
    ];
    let js = "const { queryTokens } = require(process.argv[1]);\
              console.log(JSON.stringify(process.argv.slice(2).map((s) => queryTokens(s + ' ').map((t) => t.text))));";
    let mut cmd = Command::new("node");
    cmd.arg("-e")
        .arg(js)
        .arg(common::repo().join("static/search.js"))
        .args(samples);
    let out = match cmd.output() {
        Ok(out) => out,
        Err(_) if std::env::var_os("DOCSHIFT_REQUIRE_BROWSER").is_none() => return,
        Err(e) => panic!("node is required: {e}"),
    };
    assert!(out.status.success(), "{}", common::stderr(&out));
    let browser: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut tokenizer = docshift::search::tokenize::Tokenizer::default();
    for (sample, js_tokens) in samples.iter().zip(browser) {
        let mut rust: Vec<String> = tokenizer
            .tokens(sample)
            .into_iter()
            .map(|t| t.surface)
            .collect();
        rust.sort();
        rust.dedup();
        let mut js = js_tokens;
        js.sort();
        js.dedup();
        assert_eq!(js, rust, "{sample}");
    }
}

/// A one-shot build's index (chunks encoded as their pages are indexed, a batch of groups
/// at a time, nodes lent page by page) has the same files as the index `serve` keeps, over
/// several batches and when the last group of pages is not full.
#[test]
fn the_index_encoded_as_it_is_built_has_the_same_files() {
    use docshift::search::SearchIndex;
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    for i in 0..301 {
        common::write_file(
            &root.join(format!("content/p{i:03}.md")),
            format!("# Page {i}\n\nIntro {i} about payouts.\n\n## Part {i}\n\nMore text for page {i}.\n\n```json\n{{\"n\": {i}}}\n```\n"),
        );
    }
    let settings = common::settings(root);
    let checked = pipeline::check(&settings).expect("check");
    let site = &checked.site;
    let kept = SearchIndex::build(site).complete();
    let lend = |i: usize, read: &mut dyn FnMut(&[docshift::model::doc::Node])| {
        read(&site.pages[i].doc.nodes)
    };
    let lent = SearchIndex::files_lending(site, &lend, None, None).expect("index");
    assert!(lent.complete);
    assert_eq!(lent.pages, 301);
    assert!(lent.written.is_empty());
    // Handed to a writer as they are encoded, the result chunks are the same files.
    let chunks = std::sync::Mutex::new(Vec::new());
    let write = |file: docshift::search::IndexFile| chunks.lock().unwrap().push(file);
    let mut streamed = SearchIndex::files_lending(site, &lend, None, Some(&write)).expect("index");
    let chunks = chunks.into_inner().unwrap();
    assert!(chunks.iter().all(|f| f.path.starts_with("search/d/")));
    let mut written: Vec<&String> = chunks.iter().map(|f| &f.path).collect();
    written.sort();
    let mut listed: Vec<&String> = streamed.written.iter().collect();
    listed.sort();
    assert_eq!(written, listed, "every chunk written is listed, once");
    assert!(streamed
        .changed
        .iter()
        .all(|f| !f.path.starts_with("search/d/")));
    streamed.changed.extend(chunks);
    assert!(
        kept.changed
            .iter()
            .filter(|f| f.path.starts_with("search/d/"))
            .count()
            > 32,
        "more than one batch of groups of chunks"
    );
    assert_eq!(delta_files(&lent), delta_files(&kept));
    assert_eq!(
        delta_files(&streamed),
        delta_files(&kept),
        "the same manifest and files when streamed"
    );
}

#[test]
fn api_change_rows_are_found_on_the_first_page_that_shows_their_table() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let header = "| API | Change description | Impact |\n| --- | --- | --- |\n";
    // A table in an include that two pages show, and a page's own table.
    common::write_file(
        &content.join("includes/offer-api.md"),
        format!("{header}| GET Offer | Renamed. | None. |\n| PUT Offer | Removed. | Use POST. |\n"),
    );
    common::write_file(
        &content.join("b-guide.md"),
        "# B\n\n## Offer API\n\n[!INCLUDE[api](includes/offer-api.md)]\n",
    );
    common::write_file(
        &content.join("c-more.md"),
        "# C\n\n## Again\n\n[!INCLUDE[api](includes/offer-api.md)]\n",
    );
    common::write_file(
        &content.join("a-own.md"),
        format!("# A\n\n## Own changes\n\n{header}| GET Lead | Paged. | Read all pages. |\n"),
    );
    let checked = common::check_root(tmp.path());
    let site = &checked.site;
    let mut api: Vec<(String, &str, String)> = docshift::search::extras_from_migration(site)
        .into_iter()
        .filter(|e| e.kind == docshift::search::ExtraKind::ApiChange)
        .map(|e| (e.title, site.pages[e.page].path.as_str(), e.anchor))
        .collect();
    api.sort();
    assert_eq!(
        api,
        [
            (
                "GET Lead".to_string(),
                "a-own.md",
                "own-changes".to_string()
            ),
            (
                "GET Offer".to_string(),
                "b-guide.md",
                "offer-api".to_string()
            ),
            (
                "PUT Offer".to_string(),
                "b-guide.md",
                "offer-api".to_string()
            ),
        ]
    );
}

/// The index built for its files alone makes each page's migration results only when it
/// indexes the page, from the mapping entries and API-change rows: the same files as an
/// index that makes them all first, on the seed pages (mapping tables and API-change
/// tables).
#[test]
fn migration_results_made_page_by_page_give_the_same_files() {
    use docshift::search::SearchIndex;
    let out = tempfile::tempdir().expect("temp dir");
    let settings = common::settings_for_content(&common::fixture("migration/seeds"), out.path());
    let checked = pipeline::check(&settings).expect("check");
    let site = &checked.site;
    let extras = docshift::search::extras_from_migration(site);
    let kinds = |kind| extras.iter().filter(|e| e.kind == kind).count();
    assert!(
        kinds(docshift::search::ExtraKind::Mapping) >= 5,
        "{extras:#?}"
    );
    assert!(
        kinds(docshift::search::ExtraKind::ApiChange) >= 3,
        "{extras:#?}"
    );
    let kept = SearchIndex::build(site).complete();
    let lend = |i: usize, read: &mut dyn FnMut(&[docshift::model::doc::Node])| {
        read(&site.pages[i].doc.nodes)
    };
    let lent = SearchIndex::files_lending(site, &lend, None, None).expect("index");
    assert_eq!(delta_files(&lent), delta_files(&kept));
}

/// The files a delta changes, path and bytes, sorted by path.
fn delta_files(delta: &docshift::search::IndexDelta) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = (delta.changed.iter())
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    files.sort();
    files
}
