//! Findings and failed builds: BOM and CRLF files (original line:column), broken front
//! matter, invalid UTF-8, malformed directives, include errors, dot-files and symlinks.

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use common::{
    build_fixture, build_fixture_root, build_site_root, check_build_fixture, finding_lines,
    settings_with_output, snapshot_dir, write_file,
};
use docshift::pipeline::{build, BuildOptions, Built};
use docshift::{Code, Severity};
use std::path::Path;

/// Builds the site at `root` into `out` through the library.
fn build_into(root: &Path, out: &Path) -> Built {
    build(&settings_with_output(root, out), BuildOptions::default()).expect("build runs")
}

#[test]
fn bom_and_crlf_files_report_original_lines_and_columns() {
    let checked = check_build_fixture("encoding");
    assert_eq!(
        finding_lines(&checked.diagnostics),
        [
            "broken-link bom-first-line.md:1:1",
            "broken-link bom.md:6:9",
            "broken-link crlf.md:8:18",
            "missing-asset crlf.md:8:47",
            "malformed-directive crlf.md:10:1",
            "broken-link crlf.md:14:7",
        ]
    );
    let site = &checked.site;
    let bom = common::site_page(site, "bom.md");
    assert_eq!(bom.title, "Byte order mark");
    assert_eq!((bom.body_line, bom.headings().get(0).unwrap().line), (4, 4));
    let crlf = common::site_page(site, "crlf.md");
    assert_eq!(crlf.title, "Carriage returns");
    assert_eq!(crlf.date.as_deref(), Some("2017-03-24"));
    assert_eq!(
        (crlf.body_line, crlf.headings().get(0).unwrap().line),
        (5, 6)
    );
    assert_eq!(crlf.tables.read().expect("tables").to_vec()[0].line, 12);
}

#[test]
fn bom_and_crlf_pages_render_cleanly() {
    let built = build_fixture("encoding");
    assert!(!built.built.failed, "findings alone do not fail a build");
    let bom = built.page_document("bom.md");
    assert!(!bom.contains('\u{feff}'), "{bom}");
    assert!(bom.contains("<h1 id=\"bom-page\">BOM page"), "{bom}");
    let crlf = built.page_document("crlf.md");
    assert!(!crlf.contains('\r'), "{crlf}");
    assert!(crlf.contains("<h1 id=\"crlf-page\">CRLF page"), "{crlf}");
    assert!(
        crlf.contains("<td><a class=\"broken-link\" title=\"This page does not exist\">b</a></td>"),
        "{crlf}"
    );
}

#[test]
fn broken_front_matter_is_reported_at_its_line_and_the_page_is_built_from_its_body() {
    let checked = check_build_fixture("front-matter-invalid");
    assert_eq!(checked.failed_pages, 0);
    assert_eq!(checked.degraded_pages, 3);
    assert_eq!(
        finding_lines(&checked.diagnostics),
        [
            "invalid-front-matter bad.md:4:9",
            "invalid-front-matter conflict.md:3:1",
            "invalid-front-matter unclosed.md:1:1",
        ]
    );
    let bad = &checked.diagnostics[0];
    assert_eq!(bad.severity, Severity::Error);
    assert!(bad.message.contains("not valid YAML"), "{}", bad.message);
    // As in DocFX, each page is built from its body: the title comes from its first
    // heading; an unclosed block is no front matter at all, so its lines are body text.
    let titles: Vec<_> = (checked.site.pages.iter())
        .map(|p| (p.path.as_str(), p.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            ("bad.md", "Broken"),
            ("conflict.md", "Payouts"),
            ("index.md", "Front matter fixture"),
            ("unclosed.md", "Body")
        ]
    );
    let built = build_fixture("front-matter-invalid");
    assert!(!built.built.failed, "the site is written");
    let bad = built.page_document("bad.md");
    assert!(bad.contains(">Broken <a class=\"anchor\""), "{bad}");
    assert!(
        !bad.contains("nested"),
        "the invalid front matter is not shown: {bad}"
    );
    let conflict = built.page_document("conflict.md");
    assert!(
        conflict.contains("Body text after a merge conflict."),
        "{conflict}"
    );
    let unclosed = built.page_document("unclosed.md");
    assert!(
        unclosed.contains("<p>title: Never closed</p>"),
        "{unclosed}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let good = build_into(&build_fixture_root("site"), &out);
    assert!(!good.failed);
    let before = snapshot_dir(&out);
    assert!(before.contains_key("index.html"));

    let failed = build_into(&build_fixture_root("invalid-utf8"), &out);
    assert!(failed.failed);
    assert_eq!(failed.files_written, 0);
    assert_eq!(
        snapshot_dir(&out),
        before,
        "the previous site is kept as it was"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["public"], "no staging folder is left behind");
}

#[test]
fn invalid_utf8_is_reported_with_its_line_and_fails_the_build() {
    let checked = check_build_fixture("invalid-utf8");
    assert_eq!(checked.failed_pages, 1);
    assert_eq!(
        finding_lines(&checked.diagnostics),
        ["invalid-utf8 latin1.md:3:4"]
    );
    assert_eq!(checked.diagnostics[0].code, Code::InvalidUtf8);
    assert!(checked.diagnostics[0]
        .suggestion
        .as_deref()
        .is_some_and(|h| h.starts_with("save the file as UTF-8")));
    let built = build_fixture("invalid-utf8");
    assert!(built.built.failed);
    assert!(!built.out.exists(), "nothing is written");
}

#[test]
fn malformed_directives_are_warnings_at_their_position() {
    let checked = check_build_fixture("directives-malformed");
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity, d.line, d.column, d.message.as_str()))
        .collect();
    let warn = |line, column, message| {
        (
            Code::MalformedDirective,
            Severity::Warning,
            line,
            column,
            message,
        )
    };
    assert_eq!(
        found,
        [
            warn(
                3,
                1,
                "`:::image type=\"content\"` needs an `alt-text` attribute"
            ),
            warn(5, 1, "`:::image` does not take the attribute `colour`"),
            warn(
                7,
                1,
                "`:::image` is not closed: expected `:::` at the end of the directive"
            ),
            warn(9, 1, "unknown directive `:::sparkle`"),
            warn(11, 8, "`:::image` does not take the attribute `size`"),
            warn(
                13,
                1,
                "`:::image-end:::` without an opening `:::image type=\"complex\"`"
            ),
            warn(
                15,
                1,
                "`:::image type=\"complex\"` is not closed: expected a `:::image-end:::` line"
            ),
        ]
    );
    assert!(checked.diagnostics.iter().all(|d| d.file == "page.md"));
    assert_eq!(
        checked.diagnostics[0].target.as_deref(),
        Some(":::image type=\"content\" source=\"media/a.png\":::")
    );
}

#[test]
fn malformed_directives_are_shown_as_written_each_in_its_own_paragraph() {
    let built = build_fixture("directives-malformed");
    assert!(!built.built.failed, "warnings do not fail a build");
    let html = built.page_content("page.md");
    for paragraph in [
        "<p>:::image type=\"content\" source=\"media/a.png\":::</p>",
        "<p>:::image type=\"content\" source=\"media/a.png\" alt-text=\"x\" colour=\"red\":::</p>",
        "<p>:::image type=\"content\" source=\"media/a.png\" alt-text=\"Unterminated\"</p>",
        "<p>:::sparkle:::</p>",
        "<p>Inline :::image type=\"icon\" source=\"media/a.png\" size=\"2\"::: in text.</p>",
        "<p>:::image type=\"complex\" source=\"media/a.png\" alt-text=\"Never ends\":::\nA description without an end marker.</p>",
    ] {
        assert!(html.contains(paragraph), "missing {paragraph}\nin {html}");
    }
    assert!(
        !html.contains("<img"),
        "nothing malformed becomes an image: {html}"
    );
    assert!(!html.contains("image-end"), "{html}");
}

#[test]
fn missing_includes_and_cycles_name_the_chain() {
    let checked = check_build_fixture("include-errors");
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.file.as_str(),
                d.line,
                d.column,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Code::BrokenLink,
                "includes/broken-link.md",
                3,
                5,
                "page `nowhere.md` not found (looked for `includes/nowhere.md`)"
            ),
            (
                Code::IncludeNotFound,
                "includes/loop-b.md",
                3,
                1,
                "include cycle: page.md → includes/loop-a.md → includes/loop-b.md → includes/loop-a.md"
            ),
            (
                Code::IncludeNotFound,
                "page.md",
                3,
                1,
                "included file `includes/missing.md` does not exist (include chain: page.md → includes/missing.md)"
            ),
        ]
    );
    let page = common::site_page(&checked.site, "page.md");
    assert_eq!(
        page.includes,
        [
            "includes/broken-link.md",
            "includes/loop-a.md",
            "includes/loop-b.md"
        ]
    );
    // The cycle is cut: each file of the loop is expanded once.
    let built = build_fixture("include-errors");
    let html = built.page_content("page.md");
    assert_eq!(html.matches("Loop A.").count(), 1, "{html}");
    assert_eq!(html.matches("Loop B.").count(), 1, "{html}");
    assert!(html.contains("Shared text."), "{html}");
}

#[test]
fn dot_files_and_dot_folders_are_skipped() {
    let built = build_fixture("skipped-files");
    let checked = &built.built.checked;
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let pages: Vec<_> = checked.site.pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(pages, ["index.md", "visible/page.md"]);
    assert!(checked.site.assets.is_empty(), "{:?}", checked.site.assets);
    let files: Vec<String> = snapshot_dir(&built.out).into_keys().collect();
    let dotted: Vec<_> = files
        .iter()
        .filter(|f| f.split('/').any(|seg| seg.starts_with('.')))
        .collect();
    assert_eq!(dotted, [".docshift-output"]);
}

#[test]
fn symlinks_leaving_the_content_folder_are_not_followed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    common::copy_dir(&build_fixture_root("skipped-files"), &root);
    let outside = tmp.path().join("outside");
    write_file(
        &outside.join("secret.md"),
        "# Secret\n\n[broken](nowhere.md)\n",
    );
    write_file(&outside.join("logo.svg"), "<svg/>");
    let content = root.join("content");
    std::os::unix::fs::symlink(&outside, content.join("linked-folder")).expect("symlink");
    std::os::unix::fs::symlink(outside.join("secret.md"), content.join("linked-page.md"))
        .expect("symlink");
    std::os::unix::fs::symlink(outside.join("logo.svg"), content.join("linked-logo.svg"))
        .expect("symlink");
    // A link that stays inside the content folder is followed.
    std::os::unix::fs::symlink(content.join("visible"), content.join("alias")).expect("symlink");

    let built = build_site_root(&root);
    let checked = &built.built.checked;
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let pages: Vec<_> = checked.site.pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(pages, ["alias/page.md", "index.md", "visible/page.md"]);
    assert!(checked.site.assets.is_empty());
    assert!(!built.out.join("linked-folder").exists());
    assert!(!built.out.join("linked-page").exists());
    assert!(!built.out.join("linked-logo.svg").exists());
    assert!(built.out.join("alias/page/index.html").is_file());
}

/// Learn docsets write `type= "content"` and `lightbox ="…"`: DocFX's grammar allows spaces
/// around `=` and names in any case, so these are images, not malformed directives.
#[test]
fn directive_attributes_follow_the_docfx_grammar() {
    let checked = check_build_fixture("directives-docfx-spacing");
    assert_eq!(finding_lines(&checked.diagnostics), Vec::<String>::new());
    let built = build_fixture("directives-docfx-spacing");
    let html = built.page_content("index.md");
    assert!(
        html.contains("<a class=\"lightbox\" href=\"/media/a.png\"><img src=\"/media/a.png\" alt=\"The payout summary.\"></a>"),
        "{html}"
    );
    assert!(html.contains("alt=\"Transactions page.\""), "{html}");
    assert_eq!(html.matches("<img ").count(), 3, "{html}");
}
