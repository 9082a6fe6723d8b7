//! Site-level output, built from `tests/fixtures/build/site` and
//! `tests/fixtures/build/templates-override`: pretty URLs and link rewriting, sitemap, 404,
//! static files, assets, template overrides, navigation, breadcrumbs, "On this page" and dates.

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use common::{build_fixture, build_fixture_root, content_html, site_page, BuiltFixture};
use docshift::render::nav::{Nav, NavItem};

fn site() -> BuiltFixture {
    build_fixture("site")
}

/// Every `href` of the `<a>` tags in `html`, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a ")
        .skip(1)
        .filter_map(|tag| tag.split("href=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The part of `html` from `start` up to the following `end`.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"));
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

#[test]
fn site_fixture_builds_every_output_file_without_findings() {
    let site = site();
    assert!(!site.built.failed);
    assert!(
        site.built.checked.diagnostics.is_empty(),
        "{:#?}",
        site.built.checked.diagnostics
    );
    // The navigation script is named by a hash of its contents.
    let files: Vec<String> = (common::snapshot_dir(&site.out).into_keys())
        .map(|f| match f.strip_prefix("static/nav-") {
            Some(hashed) if hashed.len() == 19 && hashed.ends_with(".js") => {
                "static/nav-<hash>.js".to_string()
            }
            _ => f,
        })
        .collect();
    assert_eq!(
        files,
        [
            ".docshift-output",
            "404.html",
            "alpha/index.html",
            // The migration exports are written on every build (empty lists when the site
            // has no mapping, API-change or FAQ tables), with their schemas.
            "api-changes.json",
            "beta/index.html",
            "delta/index.html",
            "faq.json",
            "files/data.csv",
            "gamma/index.html",
            "guide/index.html",
            "guide/nested/deep/index.html",
            "guide/nested/index.html",
            "guide/setup/index.html",
            "index.html",
            "manifest.json",
            "mappings/index.json",
            "media/pic.png",
            "schemas/api-changes.schema.json",
            "schemas/diff.schema.json",
            "schemas/faq.schema.json",
            "schemas/manifest.schema.json",
            "schemas/mapping-changes.schema.json",
            "schemas/mapping-file.schema.json",
            "schemas/mapping-index.schema.json",
            "schemas/mapping-set.schema.json",
            "schemas/redirections.schema.json",
            "schemas/resolve.schema.json",
            "schemas/site.schema.json",
            "search/d/0-0.json.gz",
            "search/d/1-0.json.gz",
            "search/manifest.json",
            "search/t/0.bin",
            "site.json",
            "sitemap.xml",
            "static/docshift-redirect.js",
            "static/docshift.css",
            "static/docshift.js",
            "static/favicon.svg",
            "static/nav-<hash>.js",
            "static/search.js",
            "static/syntax.css",
            "zeta/index.html",
        ]
    );
    assert_eq!(
        site.built.files_written,
        files.len() - 1,
        "all but the marker"
    );
}

#[test]
fn pages_get_pretty_urls_and_output_paths() {
    let site = site();
    let model = &site.built.checked.site;
    for (path, url, output) in [
        ("index.md", "/", "index.html"),
        ("alpha.md", "/alpha/", "alpha/index.html"),
        ("guide/index.md", "/guide/", "guide/index.html"),
        ("guide/setup.md", "/guide/setup/", "guide/setup/index.html"),
        (
            "guide/nested/README.md",
            "/guide/nested/",
            "guide/nested/index.html",
        ),
        (
            "guide/nested/deep.md",
            "/guide/nested/deep/",
            "guide/nested/deep/index.html",
        ),
    ] {
        let page = site_page(model, path);
        assert_eq!((page.url.as_str(), page.output.as_str()), (url, output));
    }
}

#[test]
fn links_to_markdown_files_become_pretty_urls_with_their_fragments() {
    let site = site();
    let deep = site.page_content("guide/nested/deep.md");
    assert_eq!(
        hrefs(&deep),
        [
            "#deep-page",
            "/guide/setup/#step-2---configure-the-plan",
            "/guide/",
            "/guide/nested/",
            "/",
            "/beta/",
            "/alpha/",
            "/guide/setup/?tabs=portal#step-1-sign-in",
            "/files/data.csv",
        ]
    );
    assert!(
        deep.contains("<img src=\"/media/pic.png\" alt=\"A picture\" />"),
        "{deep}"
    );
    let home = site.page_content("index.md");
    assert_eq!(
        hrefs(&home),
        ["#welcome", "/guide/", "/guide/setup/#step-1-sign-in"]
    );
    let guide = site.page_content("guide/index.md");
    assert!(hrefs(&guide).ends_with(&["/guide/setup/", "/guide/nested/"]));
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls_and_dates() {
    let site = site();
    let sitemap = site.file("sitemap.xml");
    let expected = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
        "  <url><loc>https://docs.example.com/alpha/</loc></url>",
        "  <url><loc>https://docs.example.com/beta/</loc></url>",
        "  <url><loc>https://docs.example.com/delta/</loc></url>",
        "  <url><loc>https://docs.example.com/gamma/</loc><lastmod>2021-05-06</lastmod></url>",
        "  <url><loc>https://docs.example.com/guide/</loc></url>",
        "  <url><loc>https://docs.example.com/guide/nested/</loc></url>",
        "  <url><loc>https://docs.example.com/guide/nested/deep/</loc></url>",
        "  <url><loc>https://docs.example.com/guide/setup/</loc><lastmod>2022-09-21</lastmod></url>",
        "  <url><loc>https://docs.example.com/</loc><lastmod>2020-04-10</lastmod></url>",
        "  <url><loc>https://docs.example.com/zeta/</loc></url>",
        "</urlset>",
    ];
    assert_eq!(sitemap.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn the_not_found_page_has_the_site_layout_and_is_not_indexed() {
    let site = site();
    let page = site.file("404.html");
    assert!(
        page.contains("<title>Page not found - Fixture Site</title>"),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{page}"
    );
    assert!(
        page.contains("<h1 id=\"page-not-found\">Page not found</h1>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/\">Go to the Fixture Site home page</a>"),
        "{page}"
    );
    let nav = between(&page, "<nav class=\"site-nav\"", "</nav>");
    assert!(
        nav.contains("data-current=\"\""),
        "no page is current: {nav}"
    );
    assert!(page.contains("<script src=\"/static/nav-"), "{page}");
}

#[test]
fn built_in_static_files_are_written() {
    let site = site();
    assert_eq!(
        site.file("static/docshift.css"),
        include_str!("../static/docshift.css")
    );
    assert_eq!(
        site.file("static/docshift.js"),
        include_str!("../static/docshift.js")
    );
    let syntax = site.file("static/syntax.css");
    assert_eq!(syntax, docshift::render::highlight::stylesheet());
    assert!(syntax.contains(".code .l0 {"), "{syntax}");
    assert!(syntax.contains("prefers-color-scheme: dark"), "{syntax}");
    let home = site.page_document("index.md");
    for link in [
        "<link rel=\"stylesheet\" href=\"/static/docshift.css\">",
        "<link rel=\"stylesheet\" href=\"/static/syntax.css\">",
        "<script src=\"/static/docshift.js\" defer></script>",
    ] {
        assert!(home.contains(link), "missing {link}");
    }
    // A favicon, linked from every page (the 404 page too), so browsers do not get a 404
    // asking for /favicon.ico.
    assert_eq!(
        site.file("static/favicon.svg"),
        include_str!("../static/favicon.svg")
    );
    let icon = "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">";
    assert!(home.contains(icon), "{home}");
    assert!(site.file("404.html").contains(icon));
}

/// The chrome repeated in every page is kept small: no template indentation, no inline SVG
/// (the theme icon is CSS), and an empty search box that `search.js` fills in, while the
/// links a reader without JavaScript needs (breadcrumbs, the parent, "On this page",
/// previous and next, permalinks) stay in the page.
#[test]
fn page_chrome_is_compact_and_works_without_javascript() {
    let site = site();
    let page = site.page_document("guide/setup.md");
    assert!(!page.contains("<svg"), "{page}");
    assert!(!page.contains("\n  <"), "indented markup: {page}");
    assert!(
        page.contains("<div class=\"site-search\" role=\"search\" data-search-base=\"/search/\" hidden></div>"),
        "{page}"
    );
    assert!(!page.contains("search-input"), "{page}");
    assert!(site
        .file("static/search.js")
        .contains("class=\"search-input\""));
    assert!(page.contains("<span class=\"theme-icon\" aria-hidden=\"true\"></span>"));
    assert!(site.file("static/docshift.css").contains(".theme-icon {"));
    for kept in [
        "<nav class=\"breadcrumbs\"",
        "nav-fallback",
        "<details class=\"toc\" open>",
        "<a class=\"anchor\" href=\"#",
    ] {
        assert!(page.contains(kept), "missing {kept}: {page}");
    }
}

#[test]
fn assets_are_copied_byte_for_byte() {
    let site = site();
    let content = build_fixture_root("site").join("content");
    for asset in ["media/pic.png", "files/data.csv"] {
        let source = std::fs::read(content.join(asset)).expect("fixture asset");
        let built = std::fs::read(site.out.join(asset)).expect("built asset");
        assert_eq!(built, source, "{asset}");
    }
    // The CSV has CRLF line endings and a stray BOM: nothing is normalised.
    let csv = std::fs::read(site.out.join("files/data.csv")).expect("csv");
    assert!(csv.windows(2).any(|w| w == b"\r\n"));
    assert!(csv.windows(3).any(|w| w == b"\xEF\xBB\xBF"));
    let assets: Vec<_> = site
        .built
        .checked
        .site
        .assets
        .iter()
        .map(|a| (a.path.as_str(), a.url.as_str()))
        .collect();
    assert_eq!(
        assets,
        [
            ("files/data.csv", "/files/data.csv"),
            ("media/pic.png", "/media/pic.png")
        ]
    );
}

#[test]
fn a_sites_own_templates_and_static_files_override_the_built_in_ones() {
    let site = build_fixture("templates-override");
    assert!(!site.built.failed);
    let page = site.file("index.html");
    assert!(
        page.contains("<article class=\"custom-page\" data-source=\"index.md\">"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"custom-banner\">Rendered by the site's own page.html</p>"),
        "{page}"
    );
    assert!(page.contains("<h1 id=\"overridden\">Overridden"), "{page}");
    // Templates that the site does not override stay the built-in ones.
    assert!(page.contains("<header class=\"site-header\">"), "{page}");
    assert!(site.file("404.html").contains("Page not found"));
    // static/: a same-named file replaces the built-in one; other files are added.
    assert!(site
        .file("static/docshift.js")
        .contains("console.log(\"site override\");"));
    assert!(site.file("static/extra.css").contains(".custom-banner"));
    assert!(site
        .file("static/favicon.svg")
        .contains("<title>site override</title>"));
    assert_eq!(
        site.file("static/docshift.css"),
        include_str!("../static/docshift.css")
    );
}

fn titles(items: &[NavItem]) -> Vec<&str> {
    items.iter().map(|i| i.title.as_str()).collect()
}

#[test]
fn navigation_is_ordered_by_weight_then_title() {
    let site = site();
    let model = &site.built.checked.site;
    let nav = Nav::new(model, false);
    let items = nav.items();
    // Home first; then Guide (weight 5); Aardvark and Beta share weight 10 and are ordered by
    // title (zeta.md's H1 is "Aardvark"); Alpha (20); pages without weight last, by title.
    assert_eq!(
        titles(items),
        ["Welcome", "Guide", "Aardvark", "Beta", "Alpha", "Delta", "Gamma"]
    );
    assert_eq!(titles(&items[1].children), ["Nested", "Setup"]);
    assert_eq!(titles(&items[1].children[0].children), ["Deep page"]);

    // The tree is one shared script, named by its contents; every page loads it.
    let (path, script) = nav.script_file();
    assert!(
        path.starts_with("static/nav-") && path.ends_with(".js"),
        "{path}"
    );
    assert_eq!(site.file(path), script);
    assert!(
        script.contains(r#"["Nested","/guide/nested/",[["Deep page","/guide/nested/deep/"]]]"#),
        "{script}"
    );
    let document = site.page_document("guide/nested/deep.md");
    assert!(
        document.contains(&format!("<script src=\"/{path}\" defer></script>")),
        "{document}"
    );
    // Without JavaScript the sidebar links to the page's parent; the script marks the
    // page named by data-current.
    let rendered = between(&document, "<nav class=\"site-nav\"", "</nav>");
    assert!(
        rendered.contains("data-current=\"/guide/nested/deep/\""),
        "{rendered}"
    );
    assert_eq!(hrefs(rendered), ["/guide/nested/"], "{rendered}");
    assert!(!rendered.contains("aria-current"), "{rendered}");
}

#[test]
fn breadcrumbs_list_the_index_pages_of_ancestor_folders() {
    let site = site();
    for (path, expected) in [
        (
            "guide/nested/deep.md",
            &[
                ("/", "Welcome"),
                ("/guide/", "Guide"),
                ("/guide/nested/", "Nested"),
            ][..],
        ),
        (
            "guide/nested/README.md",
            &[("/", "Welcome"), ("/guide/", "Guide")][..],
        ),
        (
            "guide/setup.md",
            &[("/", "Welcome"), ("/guide/", "Guide")][..],
        ),
        ("guide/index.md", &[("/", "Welcome")][..]),
        ("alpha.md", &[("/", "Welcome")][..]),
    ] {
        let document = site.page_document(path);
        let crumbs = between(&document, "<nav class=\"breadcrumbs\"", "</nav>");
        let expected: Vec<String> = expected
            .iter()
            .map(|(url, title)| format!("<li><a href=\"{url}\">{title}</a></li>"))
            .collect();
        let got: Vec<String> = crumbs
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("<li>"))
            .map(str::to_string)
            .collect();
        assert_eq!(got, expected, "{path}");
    }
    // The home page has no ancestors and no breadcrumb bar.
    assert!(!site
        .page_document("index.md")
        .contains("class=\"breadcrumbs\""));
}

#[test]
fn on_this_page_lists_h2_and_h3_headings_only() {
    let site = site();
    let document = site.page_document("guide/setup.md");
    let toc = between(&document, "<details class=\"toc\" open>", "</details>");
    assert!(
        toc.contains("<summary class=\"toc-title\">On this page</summary>"),
        "{toc}"
    );
    let entries: Vec<_> = toc
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<li"))
        .collect();
    assert_eq!(
        entries,
        [
            "<li><a href=\"#step-1-sign-in\">Step 1: Sign in</a></li>",
            "<li class=\"toc-level-3\"><a href=\"#use-your-work-account\">Use your work account</a></li>",
            "<li><a href=\"#step-2---configure-the-plan\">Step 2 - Configure the plan</a></li>",
        ]
    );
    // The H4 is on the page but not in the box; a page without H2/H3 has no box.
    assert!(content_html(&document)
        .contains("<h4 id=\"a-detail-that-stays-out-of-the-table-of-contents\">"));
    assert!(!site.page_document("alpha.md").contains("class=\"toc\""));
}

#[test]
fn front_matter_sets_title_date_weight_and_description() {
    let site = site();
    let model = &site.built.checked.site;
    let home = site_page(model, "index.md");
    assert_eq!(home.title, "Fixture home");
    assert_eq!(
        home.description.as_deref(),
        Some("The home page of the site fixture.")
    );
    assert_eq!(home.date.as_deref(), Some("2020-04-10"));
    assert_eq!(home.front_matter["ms.date"], "04/10/2020");
    assert_eq!(home.body_line, 6);
    let setup = site_page(model, "guide/setup.md");
    assert_eq!(setup.title, "Set up the new portal");
    assert_eq!(setup.date.as_deref(), Some("2022-09-21"));
    let gamma = site_page(model, "gamma.md");
    assert_eq!(
        (gamma.title.as_str(), gamma.date.as_deref()),
        ("Gamma", Some("2021-05-06"))
    );
    let guide = site_page(model, "guide/index.md");
    assert_eq!(guide.weight, Some(5));
    assert_eq!(guide.front_matter["nav_title"], "Guide");
    let delta = site_page(model, "delta.md");
    assert_eq!(
        (delta.title.as_str(), delta.date.as_deref(), delta.weight),
        ("Delta", None, None)
    );

    let document = site.page_document("index.md");
    assert!(document.contains("<title>Fixture home - Fixture Site</title>"));
    assert!(document
        .contains("<meta name=\"description\" content=\"The home page of the site fixture.\">"));
    let content = content_html(&document);
    assert!(
        content.contains(
            "<p class=\"page-updated\">Updated <time datetime=\"2020-04-10\">2020-04-10</time></p>"
        ),
        "{content}"
    );
    assert!(site
        .page_content("guide/setup.md")
        .contains("Updated <time datetime=\"2022-09-21\">2022-09-21</time>"));
    assert!(!site.page_content("delta.md").contains("Updated"));
    // The site description is the fallback meta description.
    assert!(site.page_document("delta.md").contains(
        "<meta name=\"description\" content=\"Site-level behaviour of docshift builds.\">"
    ));
}

/// A content folder of `pages` (path, Markdown) built into a temporary folder.
/// Builds a site root with `site.yaml` text `config` and the given content pages.
fn build_pages_with(config: &str, pages: &[(&str, &str)]) -> (tempfile::TempDir, BuiltFixture) {
    let tmp = tempfile::tempdir().expect("temp dir");
    common::write_file(&tmp.path().join("site.yaml"), config);
    for (path, text) in pages {
        common::write_file(&tmp.path().join("content").join(path), text);
    }
    let built = common::build_site_root(tmp.path());
    (tmp, built)
}

/// Asserts that `model` follows `schemas/site.schema.json`.
fn assert_site_schema(model: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(&common::read(
        common::repo().join("schemas/site.schema.json"),
    ))
    .expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let errors: Vec<String> = (validator.iter_errors(model))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "site.json breaks its schema: {errors:?}");
}

fn build_pages(pages: &[(&str, &str)]) -> (tempfile::TempDir, BuiltFixture) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let content = tmp.path().join("content");
    for (path, text) in pages {
        common::write_file(&content.join(path), text);
    }
    let built = common::build_content_folder(&content);
    (tmp, built)
}

#[test]
fn links_to_missing_pages_are_marked_instead_of_keeping_a_raw_md_href() {
    let (_tmp, site) = build_pages(&[
        (
            "index.md",
            "# Home\n\nSee [the guide](guide.md), [gone](gone.md#part) and [data](files/gone.csv).\n",
        ),
        ("guide.md", "# Guide\n"),
    ]);
    let html = site.page_content("index.md");
    assert!(html.contains("<a href=\"/guide/\">the guide</a>"), "{html}");
    assert!(
        html.contains("<a class=\"broken-link\" title=\"This page does not exist\">gone</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"broken-link\" title=\"This file does not exist\">data</a>"),
        "{html}"
    );
    assert!(
        !html.contains("gone.md") && !html.contains("gone.csv"),
        "{html}"
    );
}

#[test]
fn missing_images_show_a_placeholder_with_their_alt_text() {
    let (_tmp, site) = build_pages(&[(
        "index.md",
        "# Home\n\n![Offer `setup` screen](media/none.png)\n\n\
         :::image type=\"content\" source=\"media/gone.png\" alt-text=\"Gone diagram\":::\n\n\
         ![](media/empty.png)\n",
    )]);
    let html = site.page_content("index.md");
    for text in ["Offer setup screen", "Gone diagram", "Missing image"] {
        let placeholder = format!(
            "<span class=\"missing-image\" role=\"img\" aria-label=\"{text}\" title=\"Image not found\">{text}</span>"
        );
        assert!(html.contains(&placeholder), "no {placeholder} in {html}");
    }
    assert!(!html.contains("<img"), "{html}");
}

/// `build` writes pages as they are rendered (streamed into a staging folder); `serve` and
/// `render_site` keep them in memory. Both go through the same render, so the files on disk
/// are exactly the in-memory ones, and the reported count is the number of files written.
#[test]
fn the_streamed_build_writes_exactly_the_files_of_the_in_memory_render() {
    let site = site();
    let root = build_fixture_root("site");
    let settings = common::settings(&root);
    let checked = docshift::pipeline::check(&settings).expect("check");
    let files = docshift::pipeline::render_site(&settings, &checked.site).expect("render");
    let on_disk = common::snapshot_dir(&site.out);
    assert_eq!(site.built.files_written, files.len());
    // The marker file is the output folder's own, not a rendered file.
    assert_eq!(on_disk.len(), files.len() + 1);
    for file in &files {
        let disk = std::fs::read(site.out.join(&file.path)).expect("written");
        assert!(
            disk == file.contents.read().expect("readable"),
            "{} differs between the streamed build and the in-memory render",
            file.path
        );
    }
}

/// The same over the repository's own content, whose mapping sets, redirects, FAQ and API
/// pages the fixture does not have: `manifest.json` and `site.json` are kept in parts in
/// memory (so `serve` re-encodes only what an edit changed) but encoded whole when streamed.
#[test]
fn the_streamed_build_of_the_repository_content_matches_the_in_memory_render() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    let settings = common::settings_with_output(&common::repo(), &out);
    let built = docshift::pipeline::build(&settings, docshift::pipeline::BuildOptions::default())
        .expect("build");
    assert!(!built.failed, "the repository's content builds");
    // From a checked model: a build drops each page's nodes once it is rendered.
    let checked = docshift::pipeline::check(&settings).expect("check");
    let files = docshift::pipeline::render_site(&settings, &checked.site).expect("render");
    let manifest = files
        .iter()
        .find(|f| f.path == "manifest.json")
        .expect("manifest.json");
    let manifest = String::from_utf8(manifest.contents.read().expect("readable")).expect("utf-8");
    assert!(
        manifest.contains("\"redirected_from\":[") && manifest.contains("\"mappings\":[{"),
        "the content has redirects and mapping sets"
    );
    assert_eq!(built.files_written, files.len());
    for file in &files {
        let disk = std::fs::read(out.join(&file.path)).expect("written");
        assert!(
            disk == file.contents.read().expect("readable"),
            "{} differs between the streamed build and the in-memory render",
            file.path
        );
    }
}

/// `site.json` in its `full` shape (schema version 3, the content of version 2) leaves out what a reader can infer: a position's `file`
/// when it is the page's own source (kept for included content), a link's classification,
/// absent values, and a cell's `text` and `html` when they equal its `markdown`.
#[test]
fn site_json_is_compact_and_keeps_what_differs() {
    let (_tmp, site) = build_pages_with("site_json: full\n", &[
        ("index.md", "# Home\n\n[!INCLUDE [shared](includes/shared.md)]\n\n| Area | Link |\n|---|---|\n| plain | [guide](guide.md) |\n| a & b | `code` |\n"),
        ("guide.md", "# Guide\n"),
        ("includes/shared.md", "See the [guide](../guide.md).\n"),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&site.file("site.json")).expect("site.json is JSON");
    assert_eq!(json["schema_version"], 3);
    assert_eq!(json["detail"], "full");
    assert!(json.get("migration").is_some() && json.get("exports").is_none());
    assert_site_schema(&json);
    let home = (json["pages"].as_array().expect("pages").iter())
        .find(|p| p["path"] == "index.md")
        .expect("home page");
    assert!(home.get("description").is_none() && home.get("date").is_none());
    assert!(home["headings"][0].get("file").is_none(), "{home}");
    let links = home["links"].as_array().expect("links");
    assert!(links.iter().all(|l| l.get("target").is_none()), "{home}");
    let included = (links.iter())
        .find(|l| l["file"] == "includes/shared.md")
        .expect("the included link names its file");
    assert_eq!(included["href"], "/guide/");
    assert!(links.iter().any(|l| l.get("file").is_none()), "{home}");
    let rows = home["tables"][0]["rows"].as_array().expect("rows");
    let plain = &rows[0]["cells"][0];
    assert_eq!(plain["markdown"], "plain");
    assert!(plain.get("text").is_none() && plain.get("html").is_none());
    assert!(plain.get("code").is_none() && plain.get("links").is_none());
    // Cell HTML shows links as written (`href` resolution is the link's own field).
    let link_cell = rows[0]["cells"][1]["html"]
        .as_str()
        .expect("a link cell has HTML");
    assert!(
        link_cell.contains("<a href=\"guide.md\">guide</a>"),
        "{link_cell}"
    );
    let escaped = &rows[1]["cells"][0];
    assert_eq!(escaped["html"], "a &amp; b");
    assert_eq!(rows[1]["cells"][1]["code"][0], "code");
}

/// By default `site.json` is a summary: per page its URL, title, headings, the ids of the
/// other anchors and which pages and assets its links reach, without positions, link
/// events, table cells or the migration model (which it points to instead).
#[test]
fn site_json_summary_is_the_default() {
    let (_tmp, site) = build_pages(&[
        ("index.md", "# Home\n\n<a name=\"legacy\"></a>\n\nSee [the guide](guide.md#start), [again](guide.md), [gone](gone.md), [here](#home) and [out](https://example.com).\n\n| Area | Link |\n|---|---|\n| plain | [guide](guide.md) |\n"),
        ("guide.md", "# Guide\n\n## Start\n\n![pic](pic.png)\n"),
        ("pic.png", "png"),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&site.file("site.json")).expect("site.json is JSON");
    assert_eq!(json["schema_version"], 3);
    assert_eq!(json["detail"], "summary");
    assert!(json.get("migration").is_none(), "{json}");
    assert_eq!(json["exports"]["mappings"], "mappings/index.json");
    assert_site_schema(&json);
    let pages = json["pages"].as_array().expect("pages");
    let index_of = |path: &str| {
        (pages.iter())
            .position(|p| p["path"] == path)
            .expect("page listed")
    };
    let home = &pages[index_of("index.md")];
    assert_eq!(home["url"], "/");
    assert_eq!(home["title"], "Home");
    assert_eq!(home["headings"], serde_json::json!([[1, "Home", "home"]]));
    assert!(home.get("front_matter").is_none(), "{home}");
    assert_eq!(home["anchors"], serde_json::json!(["legacy"]));
    assert_eq!(home["tables"], 1);
    let links = &home["links"];
    assert_eq!(links["pages"], serde_json::json!([index_of("guide.md")]));
    assert_eq!(links["count"]["page"], 3, "{links}");
    assert_eq!(links["count"]["missing"], 1, "{links}");
    assert_eq!(links["count"]["same-page"], 1, "{links}");
    assert_eq!(links["count"]["external"], 1, "{links}");
    let guide = &pages[index_of("guide.md")];
    assert!(guide.get("anchors").is_none(), "{guide}");
    assert!(guide.get("tables").is_none(), "{guide}");
    assert_eq!(guide["links"]["assets"], serde_json::json!([0]), "{guide}");
    assert!(!site.file("site.json").contains("\"line\""));
}

/// `site_json: off` writes no `site.json`; an unknown value is a configuration error.
#[test]
fn site_json_off_writes_no_file() {
    let (_tmp, site) = build_pages_with("site_json: off\n", &[("index.md", "# Home\n")]);
    assert!(!site.out.join("site.json").exists());
    assert!(site.out.join("manifest.json").is_file());
    let raw = docshift::settings::RawConfig::parse("site_json: everything\n");
    let err = raw.map(|_| ()).expect_err("unknown value");
    assert!(err.contains("summary"), "{err}");
}
