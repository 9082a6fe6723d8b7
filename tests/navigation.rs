//! Navigation: the sidebar tree comes from the site's tables of contents (`TOC.yml`,
//! `TOC.md`, nested by `href`), is one shared content-hashed script instead of being
//! written into every page, and a page's own HTML does not grow with the site. TOC links
//! are checked like page links, at the TOC file's line.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use common::{build_site_root, code, copy_dir, finding_lines, fixture, run, stdout};
use docshift::pipeline::{BuildOptions, Change, Session};
use std::path::Path;

fn toc_fixture(name: &str) -> std::path::PathBuf {
    fixture("toc").join(name)
}

/// The shared navigation script of a built site, found through the page that loads it.
fn nav_script(site: &common::BuiltFixture, document: &str) -> String {
    let at = document
        .find("<script src=\"/static/nav-")
        .unwrap_or_else(|| panic!("no navigation script in {document}"));
    let src = &document[at + "<script src=\"/".len()..];
    let src = &src[..src.find('"').unwrap()];
    site.file(src)
}

/// The hrefs of the `<a>` elements between `start` and the next `end` in `html`.
fn links_between(html: &str, start: &str, end: &str) -> Vec<String> {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let part = &html[from..];
    let part = &part[..part.find(end).unwrap_or(part.len())];
    part.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn the_tables_of_contents_make_the_sidebar_and_the_breadcrumbs() {
    let site = build_site_root(&toc_fixture("nested"));
    assert!(
        site.built.checked.diagnostics.is_empty(),
        "{:#?}",
        site.built.checked.diagnostics
    );
    let verify = site.page_document("guide/verify.md");
    // TOC.yml → guide/TOC.md (by href, with topicHref) and api/ (a folder: its toc.yml);
    // `expanded` is kept, an entry without href only groups, an external entry stays.
    assert_eq!(
        nav_script(&site, &verify),
        concat!(
            "window.docshiftNav=[",
            r#"["Contoso partner documentation","/"],"#,
            r#"["Get started","",[["Guide","/guide/",[["Set up your account","/guide/setup/",[["Verify your company","/guide/verify/"]]],["Reference","",[["Glossary","/guide/glossary/"]]]]]],1],"#,
            r#"["API reference","/api/",[["Orders","/api/orders/"]]],"#,
            r#"["Partner Center REST API","https://learn.microsoft.com/partner-center/developer/"]"#,
            "];\n"
        )
    );
    // The breadcrumb follows the TOC, not the folders: setup.md is the parent of verify.md.
    assert_eq!(
        links_between(&verify, "<nav class=\"breadcrumbs\"", "</nav>"),
        ["/", "/guide/", "/guide/setup/"]
    );
    let sidebar = links_between(&verify, "<nav class=\"site-nav\"", "</nav>");
    assert_eq!(
        sidebar,
        ["/guide/setup/"],
        "the parent, for readers without JavaScript"
    );
    // A page no TOC lists (Learn allows it) is still built, under the home page.
    let notes = site.page_document("release-notes.md");
    assert_eq!(
        links_between(&notes, "<nav class=\"breadcrumbs\"", "</nav>"),
        ["/"]
    );
    for not_output in [
        "TOC.yml",
        "guide/TOC.md",
        "guide/TOC/index.html",
        "api/toc.yml",
    ] {
        assert!(
            !site.out.join(not_output).exists(),
            "{not_output} is navigation, not output"
        );
    }
}

#[test]
fn toc_links_are_checked_at_their_line_and_a_bad_toc_does_not_stop_the_build() {
    let root = toc_fixture("broken");
    let site = build_site_root(&root);
    assert_eq!(
        finding_lines(&site.built.checked.diagnostics),
        [
            "broken-link TOC.yml:4:9",
            "broken-anchor TOC.yml:6:9",
            "broken-link TOC.yml:10:9",
            "link-outside-root TOC.yml:12:9",
            "invalid-data-file TOC.yml:15:3",
            "dangerous-link TOC.yml:17:9",
            "invalid-data-file bad/TOC.yml:3:1",
            "invalid-data-file loop/TOC.yml:4:9",
        ]
    );
    let home = site.page_document("index.md");
    let script = nav_script(&site, &home);
    // The cycle is cut where it closes; the script URL is not kept as a link.
    assert!(
        script.contains(r#"["Loop","",[["Loop page","/loop/page/"],["Back to the top",""]]]"#),
        "{script}"
    );
    assert!(script.contains(r#"["Script",""]"#), "{script}");
    // The CLI exits 1 with every TOC finding at its line.
    let out = run(&root, &["check"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains(
            "error[broken-link]: table of contents `missing/TOC.yml` not found (looked for `missing/TOC.yml`)\n  --> TOC.yml:10:9"
        ),
        "{}",
        stdout(&out)
    );
}

/// A site whose folder `many/` holds `one.md` and `siblings` other pages.
fn site_with_siblings(root: &Path, siblings: usize) {
    common::write_file(&root.join("content/index.md"), "# Home\n");
    common::write_file(
        &root.join("content/many/index.md"),
        "# Many pages\n\nAll of them.\n",
    );
    common::write_file(
        &root.join("content/many/one.md"),
        "# One page\n\n## Details\n\nThe page whose size is measured. [Up](index.md).\n",
    );
    for i in 0..siblings {
        common::write_file(
            &root.join(format!("content/many/sibling-{i:05}.md")),
            format!("# Sibling {i}\n\nText.\n"),
        );
    }
}

#[test]
fn a_page_is_the_same_size_in_a_site_of_ten_pages_and_of_five_thousand() {
    let sizes: Vec<usize> = [10, 5_000]
        .into_iter()
        .map(|siblings| {
            let tmp = tempfile::tempdir().unwrap();
            site_with_siblings(tmp.path(), siblings);
            let site = build_site_root(tmp.path());
            site.page_document("many/one.md").len()
        })
        .collect();
    assert!(
        sizes[0].abs_diff(sizes[1]) < 1024,
        "10 siblings: {} bytes, 5,000 siblings: {} bytes",
        sizes[0],
        sizes[1]
    );
}

#[test]
fn editing_a_toc_while_serving_matches_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&toc_fixture("nested"), &root);
    let live = BuildOptions {
        live: true,
        ..BuildOptions::default()
    };
    let mut session = Session::new(common::settings(&root), live);
    session.rebuild(&Change::Everything).unwrap();
    let files = session.files().unwrap();
    assert!(files.contains_key("static/nav.js"), "serve keeps one name");
    for (what, toc) in [
        (
            "entry renamed and moved",
            "- name: API first\n  href: api/\n  topicHref: api/index.md\n- name: Contoso partner documentation\n  href: index.md\n",
        ),
        ("entry pointing nowhere", "- name: Gone\n  href: gone.md\n"),
        ("malformed", "- name: [\n"),
    ] {
        common::write_file(&root.join("content/TOC.yml"), toc);
        let round = session
            .rebuild(&common::content_change(&["TOC.yml"]))
            .expect(what);
        common::oracle::assert_same_as_full(&session, &round, &root, what);
    }
}

#[test]
fn check_verbose_lists_pages_in_no_toc_and_links_to_other_docsets() {
    let out = run(&toc_fixture("nested"), &["check", "--verbose"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        common::stderr(&out),
        "links to other docsets: 0\npages in no table of contents: 1\n  release-notes.md\n"
    );
    let docset = fixture("docset/partner-center");
    let out = run(&docset, &["check", "--format", "json", "-v"]);
    let listing = common::stderr(&out);
    // Each link into another docset is listed with where it is written, in Markdown and
    // YAML pages alike.
    for line in [
        "  index.yml:49:20: /dotnet/api/Microsoft.Store.PartnerCenter.Models",
        "  marketplace/payouts.md:15:5: /azure/marketplace/overview?tabs=azure-cli",
    ] {
        assert!(listing.lines().any(|l| l == line), "{line} in {listing}");
    }
    // The JSON report on stdout stays one document.
    serde_json::from_str::<serde_json::Value>(&stdout(&out)).expect("json");
}

#[test]
fn the_shared_tree_becomes_the_sidebar_in_a_browser() {
    let Some(browser) = common::browser::Browser::launch() else {
        return;
    };
    let site = build_site_root(&toc_fixture("nested"));
    // Served from the built folder alone: the tree needs no network and no server logic.
    let server = common::static_server::StaticServer::start(&site.out);
    let mut page = browser.new_page();
    page.goto(&server.url("/guide/verify/"));
    page.wait_for(
        "document.querySelectorAll('.site-nav .nav-depth-0 > .nav-item').length === 4",
        std::time::Duration::from_secs(5),
    )
    .expect("the sidebar is built from the shared script");
    assert_eq!(page.count(".site-nav [aria-current=\"page\"]"), 1);
    let current: String = page.eval_as(
        "new URL(document.querySelector('.site-nav [aria-current=\"page\"]').href).pathname",
    );
    assert_eq!(current, "/guide/verify/");
    // The branch of the current page is open; so is the `expanded` entry.
    let open: Vec<String> = page.eval_as(
        "[...document.querySelectorAll('.site-nav details[open]')].map(d => d.parentElement.querySelector(':scope > .nav-link').textContent)",
    );
    assert_eq!(open, ["Get started", "Guide", "Set up your account"]);
    // A closed branch is built when it is opened.
    let api = ".site-nav .nav-depth-0 > .nav-item:nth-child(3)";
    assert_eq!(page.count(&format!("{api} .nav-link")), 1);
    page.click(&format!("{api} summary"));
    page.wait_for(
        "[...document.querySelectorAll('.site-nav a')].some(a => a.textContent === 'Orders')",
        std::time::Duration::from_secs(5),
    )
    .expect("the API branch is built on first open");
    // An entry without a link is a label, an external entry a plain link.
    assert_eq!(page.text(".site-nav .nav-label"), "Get started");
    let external: String = page.eval_as(
        "document.querySelector('.site-nav .nav-depth-0 > .nav-item:nth-child(4) a').href",
    );
    assert_eq!(
        external,
        "https://learn.microsoft.com/partner-center/developer/"
    );
}

#[test]
fn a_site_without_a_root_page_gets_a_home_page_from_its_navigation() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&toc_fixture("nested"), &root);
    std::fs::remove_file(root.join("content/index.md")).unwrap();
    common::write_file(
        &root.join("content/TOC.yml"),
        "- name: Guide\n  href: guide/TOC.md\n  topicHref: guide/index.md\n- name: API reference\n  href: api/\n",
    );
    let site = build_site_root(&root);
    let home = site.file("index.html");
    assert_eq!(
        links_between(&home, "<ul class=\"home-sections\">", "</article>"),
        ["/guide/", "/guide/setup/", "/api/orders/"]
    );
    assert!(home.contains("<li>API reference\n<ul>"), "{home}");
    // Serving: the generated page gives way to a root page that appears, and comes back.
    let mut session = Session::new(common::settings(&root), BuildOptions::default());
    session.rebuild(&Change::Everything).unwrap();
    common::write_file(&root.join("content/index.md"), "# Real home\n");
    let round = session
        .rebuild(&common::content_change(&["index.md"]))
        .unwrap();
    common::oracle::assert_same_as_full(&session, &round, &root, "root page added");
    std::fs::remove_file(root.join("content/index.md")).unwrap();
    let round = session
        .rebuild(&common::content_change(&["index.md"]))
        .unwrap();
    common::oracle::assert_same_as_full(&session, &round, &root, "root page removed");
}

#[test]
fn previous_and_next_follow_the_table_of_contents() {
    let site = build_site_root(&toc_fixture("nested"));
    let page_nav = |path: &str| {
        let document = site.page_document(path);
        if !document.contains("<nav class=\"page-nav\"") {
            return Vec::new();
        }
        links_between(&document, "<nav class=\"page-nav\"", "</nav>")
    };
    // Depth first through the TOC; entries that only group, or link outside, are skipped.
    assert_eq!(page_nav("index.md"), ["/guide/"]);
    assert_eq!(
        page_nav("guide/verify.md"),
        ["/guide/setup/", "/guide/glossary/"]
    );
    assert_eq!(page_nav("guide/glossary.md"), ["/guide/verify/", "/api/"]);
    assert_eq!(page_nav("api/orders.md"), ["/api/"]);
    let verify = site.page_document("guide/verify.md");
    assert!(verify.contains("rel=\"prev\"><span class=\"page-nav-label\">Previous</span> <span class=\"page-nav-title\">Set up your account</span>"));
    // A page no TOC lists has no place in the reading order.
    assert_eq!(page_nav("release-notes.md"), Vec::<String>::new());
}

#[test]
fn edit_url_links_each_page_to_its_source() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::write_file(
        &root.join("site.yaml"),
        "edit_url: https://github.com/contoso/docs/edit/main/content/{path}\n",
    );
    common::write_file(&root.join("content/index.md"), "# Home\n");
    common::write_file(&root.join("content/guide/set up.md"), "# Set up\n");
    let site = build_site_root(root);
    assert!(site.page_document("guide/set up.md").contains(
        "<p class=\"edit-page\"><a href=\"https://github.com/contoso/docs/edit/main/content/guide/set%20up.md\">Edit this page</a></p>"
    ));
    assert!(!site.file("404.html").contains("edit-page"));
    // site.json carries the pattern, and still follows its schema.
    let model: serde_json::Value = serde_json::from_str(&site.file("site.json")).unwrap();
    assert_eq!(
        model["config"]["edit_url"],
        "https://github.com/contoso/docs/edit/main/content/{path}"
    );
    let schema: serde_json::Value = serde_json::from_str(&common::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/site.schema.json"),
    ))
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    assert!(validator.is_valid(&model), "site.json breaks its schema");
    // Without `{path}`, the path is appended.
    common::write_file(
        &root.join("site.yaml"),
        "edit_url: https://example.com/src/\n",
    );
    let site = build_site_root(root);
    assert!(site
        .page_document("index.md")
        .contains("href=\"https://example.com/src/index.md\">Edit this page</a>"));
}
