//! `docshift check` rules on fixture sites in `tests/fixtures/check/`: every resolution rule,
//! every diagnostic code, exact file:line:column positions, policy and severity settings.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use common::{check_fixture_root, check_root, finding_targets};
use docshift::model::{LinkKind, Resolution};
use docshift::{Code, Diagnostic, Severity};
use std::path::Path;

fn check_case(name: &str) -> docshift::pipeline::Checked {
    check_root(&check_fixture_root(name))
}

fn in_file<'d>(diags: &'d [Diagnostic], file: &str) -> Vec<&'d Diagnostic> {
    diags.iter().filter(|d| d.file == file).collect()
}

fn find<'d>(diags: &'d [Diagnostic], file: &str, line: u32, column: u32) -> &'d Diagnostic {
    diags
        .iter()
        .find(|d| d.file == file && d.line == line && d.column == column)
        .unwrap_or_else(|| {
            panic!(
                "no finding at {file}:{line}:{column}; findings: {:#?}",
                finding_targets(diags)
            )
        })
}

/// What each link of `page` resolves to, as `dest -> page path | asset | ...`.
fn resolutions(checked: &docshift::pipeline::Checked, page: &str) -> Vec<(String, String)> {
    let site = &checked.site;
    let p = common::site_page(site, page);
    p.links
        .read()
        .expect("links")
        .iter()
        .map(|l| {
            let r = match site.resolve(&l) {
                Resolution::Page { page, fragment } => format!(
                    "page {}{}",
                    site.pages[page].path,
                    fragment.map(|f| format!("#{f}")).unwrap_or_default()
                ),
                Resolution::SamePage { fragment } => format!("same-page #{fragment}"),
                Resolution::Asset { asset } => format!("asset {}", site.assets[asset].path),
                Resolution::External => "external".to_string(),
                other => format!("{other:?}"),
            };
            (l.dest.clone(), r)
        })
        .collect()
}

// ----- Resolution rules -----------------------------------------------------------------

#[test]
fn every_valid_link_form_resolves_without_findings() {
    let checked = check_case("resolve");
    let ok: Vec<_> = in_file(&checked.diagnostics, "ok.md");
    assert!(ok.is_empty(), "ok.md must be clean, got {ok:#?}");

    let r = resolutions(&checked, "ok.md");
    let get = |dest: &str| -> &str {
        r.iter()
            .find(|(d, _)| d == dest)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("no link `{dest}` in ok.md; links: {r:#?}"))
    };
    // Relative, `./`, `..` inside the content folder.
    assert_eq!(get("guide/setup.md"), "page guide/setup.md");
    assert_eq!(
        get("guide/../guide/setup.md#install"),
        "page guide/setup.md#install"
    );
    assert_eq!(get("./guide/setup.md"), "page guide/setup.md");
    // Root-relative with `/` and `~/`.
    assert_eq!(
        get("/guide/setup.md#configure"),
        "page guide/setup.md#configure"
    );
    assert_eq!(get("~/guide/setup.md#verify"), "page guide/setup.md#verify");
    // Folders: index.md, _index.md, README.md, the root, and a folder named without `/`.
    assert_eq!(get("guide/"), "page guide/index.md");
    assert_eq!(get("other/"), "page other/_index.md");
    assert_eq!(get("readme-folder/"), "page readme-folder/README.md");
    assert_eq!(get("/"), "page index.md");
    assert_eq!(get("guide"), "page guide/index.md");
    // Extension-less.
    assert_eq!(get("guide/setup"), "page guide/setup.md");
    assert_eq!(get("guide/setup#install"), "page guide/setup.md#install");
    // Percent-encoding is decoded in the path and in the fragment.
    assert_eq!(get("a%20b.md#f%C3%A9"), "page a b.md#fé");
    assert_eq!(get("a b.md#fé"), "page a b.md#fé");
    // Query strings are ignored.
    assert_eq!(
        get("guide/setup.md?view=azure#install"),
        "page guide/setup.md#install"
    );
    assert_eq!(get("guide/setup?tabs=linux"), "page guide/setup.md");
    // Backslashes are `/`.
    assert_eq!(get("guide\\setup.md"), "page guide/setup.md");
    // Always-valid fragments.
    assert_eq!(get("#top"), "same-page #top");
    assert_eq!(get("guide/setup.md#"), "page guide/setup.md#");
    assert_eq!(
        get("guide/setup.md#tab/linux"),
        "page guide/setup.md#tab/linux"
    );
    assert_eq!(get("media/pic.png#lightbox"), "asset media/pic.png");
    // External: counted, never resolved locally (email autolinks and `//host` included).
    for dest in [
        "https://learn.microsoft.com/partner-center/",
        "mailto:team@example.com",
        "team@example.com",
        "https://example.com/a",
        "//cdn.example.com/lib.js",
    ] {
        assert_eq!(get(dest), "external", "{dest}");
    }
}

#[test]
fn links_are_found_in_every_construct() {
    let checked = check_case("resolve");
    let page = common::site_page(&checked.site, "ok.md");
    let links = page.links.read().expect("links").to_vec();
    let kinds = |kind: LinkKind| -> Vec<(&str, u32)> {
        links
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| (l.dest.as_str(), l.line))
            .collect()
    };
    // Reference links (full, collapsed, shortcut) carry their definition's line.
    let refs: Vec<_> = links
        .iter()
        .filter(|l| l.kind == LinkKind::Reference)
        .map(|l| (l.dest.as_str(), l.line, l.definition_line))
        .collect();
    assert_eq!(
        refs,
        [
            ("guide/setup.md#install", 17, Some(19)),
            ("guide/", 17, Some(20)),
            ("other/", 17, Some(21)),
        ]
    );
    // A definition no link uses is still checked.
    assert_eq!(kinds(LinkKind::Definition), [("readme-folder/", 22)]);
    // Table cells: a Markdown link and raw HTML in one row.
    assert!(kinds(LinkKind::Inline).contains(&("guide/setup.md", 26)));
    assert_eq!(
        kinds(LinkKind::HtmlHref),
        [("guide/setup.md#install", 26), ("other/", 28)]
    );
    assert_eq!(kinds(LinkKind::HtmlSrc), [("media/pic.png", 29)]);
    assert_eq!(kinds(LinkKind::DirectiveSource), [("media/pic.png", 31)]);
    assert_eq!(kinds(LinkKind::DirectiveLightbox), [("media/pic.png", 31)]);
    // Bare URLs and `<...>` autolinks.
    assert_eq!(
        kinds(LinkKind::Autolink),
        [
            ("https://learn.microsoft.com/partner-center/", 33),
            ("team@example.com", 34),
            ("https://example.com/a", 34)
        ]
    );
    // A link inside a heading.
    assert!(kinds(LinkKind::Inline).contains(&("guide/setup.md#configure", 36)));
}

#[test]
fn every_broken_link_is_reported_once_at_its_exact_position() {
    let checked = check_case("resolve");
    let bad: Vec<Diagnostic> = in_file(&checked.diagnostics, "bad.md")
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(
        finding_targets(&bad),
        [
            "broken-link bad.md:3:14 missing.md",
            "broken-link bad.md:4:15 /nope/page.md",
            "broken-link bad.md:4:42 ~/nope.md",
            "broken-link bad.md:5:22 media/",
            "broken-anchor bad.md:6:14 guide/setup.md#instal",
            "broken-anchor bad.md:6:50 #brokn-links",
            "broken-anchor bad.md:7:22 a%20b.md#fe",
            "broken-link bad.md:8:13 Guide/Setup.md",
            "missing-asset bad.md:8:40 media/diagram.png",
            "missing-asset bad.md:9:15 media/none.png",
            "missing-asset bad.md:9:49 files/report.pdf",
            "link-outside-root bad.md:10:9 ../outside.md#nowhere",
            "link-outside-root bad.md:10:46 ../../../../etc/passwd",
            "broken-link bad.md:11:11 missing-ref.md",
            "broken-link bad.md:14:18 missing-unused.md#x",
            "broken-link bad.md:18:10 missing-cell.md",
            "broken-link bad.md:20:10 missing-html.md",
            "missing-asset bad.md:20:46 media/missing-html.png",
            "missing-asset bad.md:22:33 media/missing-source.png",
            "missing-asset bad.md:22:89 media/missing-box.png",
        ]
    );
    assert!(bad.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn messages_explain_and_suggest() {
    let checked = check_case("resolve");
    let d = &checked.diagnostics;

    let missing = find(d, "bad.md", 3, 14);
    assert_eq!(
        missing.message,
        "page `missing.md` not found (looked for `missing.md`)"
    );
    // Nothing close in the folder: the page may live in another docset.
    assert_eq!(
        missing.suggestion.as_deref(),
        Some("if it is published in another docset, map it in site.yaml: `links: { external: [ { path: \"*.md\", url: \"https://HOST/BASE/\" } ] }`")
    );
    // A folder link without an index page gets no such help.
    assert_eq!(find(d, "bad.md", 5, 22).suggestion, None);

    let rooted = find(d, "bad.md", 4, 15);
    assert_eq!(
        rooted.message,
        "page `/nope/page.md` not found (looked for `nope/page.md`)"
    );

    // Broken anchors: "did you mean", also across an encoded fragment.
    let anchor = find(d, "bad.md", 6, 14);
    assert_eq!(anchor.message, "`guide/setup.md` has no anchor `#instal`");
    assert_eq!(
        anchor.suggestion.as_deref(),
        Some("did you mean `#install`?")
    );
    assert_eq!(
        find(d, "bad.md", 6, 50).suggestion.as_deref(),
        Some("did you mean `#broken-links`?")
    );
    let encoded = find(d, "bad.md", 7, 22);
    assert_eq!(encoded.message, "`a b.md` has no anchor `#fe`");
    assert_eq!(encoded.suggestion.as_deref(), Some("did you mean `#fé`?"));

    // Letter case: the message names the existing path, the suggestion the right spelling.
    let case = find(d, "bad.md", 8, 13);
    assert_eq!(
        case.message,
        "page `Guide/Setup.md` not found (looked for `Guide/Setup.md`); `guide/setup.md` exists but differs in letter case (paths are case-sensitive)"
    );
    assert_eq!(
        case.suggestion.as_deref(),
        Some("change the link to `guide/setup.md`")
    );
    let asset_case = find(d, "bad.md", 8, 40);
    assert_eq!(asset_case.code, Code::MissingAsset);
    assert!(asset_case
        .message
        .contains("`media/Diagram.png` exists but differs in letter case"));
    // From a subfolder the suggestion keeps the `../` the writer used.
    let sub = find(d, "guide/case.md", 3, 21);
    assert_eq!(
        sub.suggestion.as_deref(),
        Some("change the link to `../guide/setup.md#install`")
    );
    assert_eq!(
        find(d, "guide/case.md", 3, 60).suggestion.as_deref(),
        Some("change the link to `../other/`")
    );

    // Images and other files are assets; pages are pages.
    assert_eq!(
        find(d, "bad.md", 9, 15).message,
        "image `media/none.png` not found (looked for `media/none.png`)"
    );
    assert_eq!(
        find(d, "bad.md", 9, 49).message,
        "file `files/report.pdf` not found (looked for `files/report.pdf`)"
    );

    // A used reference definition is named as related, with its line.
    let reference = find(d, "bad.md", 11, 11);
    assert_eq!(reference.related.len(), 1);
    assert_eq!(reference.related[0].file, "bad.md");
    assert_eq!(reference.related[0].line, 13);
    assert_eq!(reference.related[0].message, "reference definition");
}

#[test]
fn code_inline_code_and_comments_are_not_checked() {
    let checked = check_case("resolve");
    let page = common::site_page(&checked.site, "bad.md");
    for hidden in [
        "missing-code.md",
        "missing-indented.md",
        "missing-inline.md",
        "missing-comment.md",
        "missing-block-comment.md",
        "missing-comment-html.md",
    ] {
        assert!(
            page.links
                .read()
                .expect("links")
                .iter()
                .all(|l| !l.dest.contains(hidden)),
            "`{hidden}` must not be a link"
        );
        assert!(
            checked
                .diagnostics
                .iter()
                .all(|d| d.target.as_deref().is_none_or(|t| !t.contains(hidden))),
            "`{hidden}` must not be reported"
        );
    }
}

#[test]
fn link_outside_root_never_reads_the_target() {
    let checked = check_case("resolve");
    let d = &checked.diagnostics;
    let outside = find(d, "bad.md", 10, 9);
    assert_eq!(outside.code, Code::LinkOutsideRoot);
    assert_eq!(
        outside.message,
        "`../outside.md#nowhere` resolves to `../outside.md`, outside the content folder"
    );
    // `../outside.md` exists next to content/ and has a broken link of its own, and the link
    // names a fragment it does not define: neither is looked at.
    assert!(d.iter().all(|x| !x.file.contains("outside")));
    assert!(d
        .iter()
        .all(|x| x.target.as_deref() != Some("never-reported.md")));
    assert!(!d
        .iter()
        .any(|x| x.code == Code::BrokenAnchor && x.line == 10));
    assert!(checked
        .site
        .pages
        .iter()
        .all(|p| !p.path.contains("outside")));
}

#[cfg(unix)]
#[test]
fn symlinks_that_leave_the_content_folder_are_not_followed() {
    let (_tmp, root) = common::copy_fixture("check/clean");
    common::write_file(
        &root.join("secret/secret.md"),
        "# Secret\n\n[broken](not-here.md)\n",
    );
    std::os::unix::fs::symlink(root.join("secret"), root.join("content/escape")).expect("symlink");
    common::write_file(
        &root.join("content/linker.md"),
        "# Linker\n\n[through the symlink](escape/secret.md)\n",
    );
    let checked = check_root(&root);
    assert_eq!(
        finding_targets(&checked.diagnostics),
        ["broken-link linker.md:3:1 escape/secret.md"]
    );
}

// ----- Anchors ----------------------------------------------------------------------------

#[test]
fn duplicate_headings_get_numbered_ids_and_explicit_duplicates_warn() {
    let checked = check_case("anchors");
    let faq = common::site_page(&checked.site, "faq.md");
    let ids: Vec<&str> = faq.headings().iter().map(|h| h.id).collect();
    assert_eq!(
        ids,
        [
            "faq",
            "overview",
            "overview-1",
            "overview-2",
            "step-2---configure",
            "legacy-name",
            "custom-id"
        ]
    );
    assert_eq!(
        finding_targets(&checked.diagnostics),
        [
            "duplicate-anchor faq.md:19:10 #custom-id",
            "duplicate-anchor faq.md:22:11 #dup",
            "duplicate-anchor faq.md:24:10 #overview",
            "broken-anchor links.md:7:9 faq.md#overview-3",
            "broken-anchor links.md:7:38 faq.md#Overview",
            "broken-anchor links.md:7:63 faq.md#completely-unrelated-words",
        ]
    );
    let d = &checked.diagnostics;
    let dup = find(d, "faq.md", 19, 10);
    assert_eq!(dup.severity, Severity::Warning);
    assert_eq!(
        dup.message,
        "the id `custom-id` is defined twice in faq.md; links to `#custom-id` reach only the first"
    );
    assert_eq!(
        (dup.related[0].line, dup.related[0].message.as_str()),
        (13, "first defined here")
    );
    // An explicit `<a name>` that repeats an automatic heading id is a duplicate too.
    assert_eq!(find(d, "faq.md", 24, 10).related[0].line, 3);
    // Suggestions: the nearest numbered id, the right letter case, nothing when far off.
    assert_eq!(
        find(d, "links.md", 7, 9).suggestion.as_deref(),
        Some("did you mean `#overview-1`?")
    );
    assert_eq!(
        find(d, "links.md", 7, 38).suggestion.as_deref(),
        Some("did you mean `#overview`?")
    );
    assert_eq!(find(d, "links.md", 7, 63).suggestion, None);
}

// ----- Site configuration -----------------------------------------------------------------

#[test]
fn base_path_links_resolve_into_the_content_folder_and_others_are_off_site() {
    let checked = check_case("base-path");
    assert_eq!(
        finding_targets(&checked.diagnostics),
        [
            "broken-link guide/setup.md:7:9 /partner-center/missing.md",
            "broken-anchor guide/setup.md:7:59 /partner-center/#nope",
        ]
    );
    let r = resolutions(&checked, "guide/setup.md");
    let expected = [
        ("/partner-center/index.md#start", "page index.md#start"),
        ("/partner-center/guide/", "page guide/index.md"),
        ("/partner-center/", "page index.md"),
        ("/partner-center", "page index.md"),
        ("/azure/marketplace/overview", "OffSite"),
        ("/partner-centre/x.md", "OffSite"),
        ("../index.md", "page index.md"),
        ("~/guide/setup.md", "page guide/setup.md"),
    ];
    for (dest, want) in expected {
        assert!(
            r.iter().any(|(d, got)| d == dest && got == want),
            "{dest} should resolve to {want}; got {r:#?}"
        );
    }
    // Off-site links are links to other docsets, counted apart from external URLs.
    assert_eq!(checked.counts.cross_docset, 2);
    assert_eq!(checked.counts.external, 0);
}

#[test]
fn link_policy_maps_ignores_and_changes_severity() {
    let checked = check_case("policy");
    assert_eq!(
        finding_targets(&checked.diagnostics),
        [
            "broken-link index.md:10:1 api/v2/deep.md",
            "missing-asset index.md:10:39 api/diagram.png",
            "broken-anchor index.md:11:1 #nowhere",
        ]
    );
    // severity: broken-anchor → warning; duplicate-anchor → off (the `<a name="home">` that
    // repeats the H1's id is not reported at all).
    let sev: Vec<_> = checked.diagnostics.iter().map(|d| d.severity).collect();
    assert_eq!(sev, [Severity::Error, Severity::Error, Severity::Warning]);
    assert!(checked
        .diagnostics
        .iter()
        .all(|d| d.code != Code::DuplicateAnchor));

    let r = resolutions(&checked, "index.md");
    let get = |dest: &str| {
        r.iter()
            .find(|(d, _)| d == dest)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("no link {dest}"))
    };
    assert_eq!(
        get("/partner-center/co-sell-overview?context=/azure/marketplace/context/context"),
        "Mapped { url: \"https://learn.microsoft.com/partner-center/co-sell-overview\" }"
    );
    assert_eq!(
        get("api/cloud-partner-portal-api-prerequisites.md#anchor"),
        "Mapped { url: \"https://learn.microsoft.com/azure/marketplace/api/cloud-partner-portal-api-prerequisites#anchor\" }"
    );
    assert_eq!(get("drafts/plan.md"), "Ignored");
    assert_eq!(get("https://internal.example/wiki"), "Ignored");
    // An existing page wins over a mapping rule.
    assert_eq!(get("api/overview.md"), "page api/overview.md");
}

#[test]
fn severity_off_and_downgrades_apply_to_every_code() {
    let (_tmp, root) = common::copy_fixture("check/resolve");
    common::write_file(
        &root.join("site.yaml"),
        "severity:\n  broken-link: warning\n  missing-asset: \"off\"\n  link-outside-root: \"off\"\n",
    );
    let checked = check_root(&root);
    let d = &checked.diagnostics;
    assert!(d
        .iter()
        .all(|x| x.code != Code::MissingAsset && x.code != Code::LinkOutsideRoot));
    assert!(d
        .iter()
        .filter(|x| x.code == Code::BrokenLink)
        .all(|x| x.severity == Severity::Warning));
    assert!(d
        .iter()
        .filter(|x| x.code == Code::BrokenAnchor)
        .all(|x| x.severity == Severity::Error));
    assert_eq!(d.iter().filter(|x| x.code == Code::BrokenLink).count(), 11);
}

// ----- Includes ---------------------------------------------------------------------------

#[test]
fn includes_resolve_relative_to_the_included_file_and_report_there() {
    let checked = check_case("includes");
    assert_eq!(
        finding_targets(&checked.diagnostics),
        [
            "include-not-found includes/loop-b.md:1:3 loop-a.md",
            // Included by two pages, reported once at the included file's line.
            "broken-link includes/shared.md:3:48 ../guide/missing.md",
            "include-not-found index.md:5:1 includes/nope.md",
        ]
    );
    let d = &checked.diagnostics;
    assert_eq!(
        find(d, "includes/loop-b.md", 1, 3).message,
        "include cycle: index.md → includes/loop-a.md → includes/loop-b.md → includes/loop-a.md"
    );
    assert_eq!(
        find(d, "index.md", 5, 1).message,
        "included file `includes/nope.md` does not exist (include chain: index.md → includes/nope.md)"
    );
    // The include's heading is an anchor of the including page.
    let setup = common::site_page(&checked.site, "guide/setup.md");
    assert!(setup.headings().iter().any(|h| h.id == "shared-section"));
}

// ----- Encodings and bad files ------------------------------------------------------------

#[test]
fn crlf_bom_and_lone_cr_files_report_original_lines_and_columns() {
    let checked = check_case("encodings");
    assert_eq!(
        finding_targets(&checked.diagnostics),
        [
            "broken-link bom-crlf.md:7:10 missing-html.md",
            "missing-asset bom-crlf.md:9:33 media/missing.png",
            "broken-link bom.md:1:1 missing-bom.md",
            "broken-link bom.md:5:6 missing-bom-2.md",
            "broken-link cr.md:3:12 missing-cr.md",
            "broken-link crlf.md:7:7 missing-crlf.md",
            "broken-link crlf.md:11:7 missing-cell.md",
            "broken-anchor crlf.md:15:27 #second-headin",
        ]
    );
    // The fixtures really are CRLF / BOM (guards against line-ending conversion on checkout).
    let raw = std::fs::read(check_fixture_root("encodings").join("content/bom-crlf.md"))
        .expect("read fixture");
    assert!(raw.starts_with(b"\xEF\xBB\xBF---\r\n"));
}

#[test]
fn one_bad_file_never_hides_the_findings_in_others() {
    let checked = check_case("bad-files");
    assert_eq!(
        finding_targets(&checked.diagnostics),
        [
            "invalid-front-matter bad-front-matter.md:4:1 -",
            "broken-link bad-front-matter.md:7:1 nope.md",
            "malformed-directive directives.md:3:1 :::image source=\"media/x.png\":::",
            "malformed-directive directives.md:5:1 :::image type=\"content\" source=\"media/x.png\" alt-text=\"Unclosed\"",
            "malformed-directive directives.md:7:1 :::unknown-thing:::",
            "malformed-directive directives.md:9:1 :::image type=\"complex\" source=\"media/x.png\" alt-text=\"No end\":::",
            "include-not-found directives.md:11:1 includes/binary.md",
            "broken-link good.md:3:77 still-reported.md",
            "invalid-utf8 includes/binary.md:1:10 -",
            "invalid-utf8 latin1.md:3:4 -",
        ]
    );
    let d = &checked.diagnostics;
    // The page with invalid front matter is built from its body, so its links are checked.
    assert_eq!(checked.failed_pages, 1);
    assert!(find(d, "bad-front-matter.md", 4, 1)
        .message
        .starts_with("front matter is not valid YAML"));
    assert_eq!(
        find(d, "latin1.md", 3, 4).message,
        "latin1.md is not valid UTF-8 (first invalid byte at line 3, column 4)"
    );
    assert_eq!(
        find(d, "directives.md", 7, 1).message,
        "unknown directive `:::unknown-thing`"
    );
    assert_eq!(find(d, "directives.md", 7, 1).severity, Severity::Warning);
    // Including a file that exists but cannot be decoded says so (it is not "missing").
    assert_eq!(
        find(d, "directives.md", 11, 1).message,
        "included file `includes/binary.md` could not be loaded, see its own finding (include chain: directives.md → includes/binary.md)"
    );
    // Links to pages that exist but cannot be built are not broken links: the page's own
    // finding is the one to fix.
    assert!(in_file(d, "good.md")
        .iter()
        .all(|x| x.target.as_deref() == Some("still-reported.md")));
    assert_eq!(checked.site.unbuilt, ["latin1.md"]);
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_rest_is_still_checked() {
    let (_tmp, root) = common::copy_fixture("check/clean");
    std::os::unix::fs::symlink(root.join("nowhere.md"), root.join("content/dangling.md"))
        .expect("symlink");
    common::write_file(&root.join("content/more.md"), "# More\n\n[gone](gone.md)\n");
    let checked = check_root(&root);
    let lines = finding_targets(&checked.diagnostics);
    assert_eq!(
        lines,
        [
            "unreadable-file dangling.md:1:1 -",
            "broken-link more.md:3:1 gone.md"
        ]
    );
    assert!(checked.diagnostics[0].message.starts_with("cannot read"));
}

// ----- Exit codes ---------------------------------------------------------------------------

fn exit_code(root: &Path, extra: &[&str]) -> i32 {
    let root = root.to_string_lossy().into_owned();
    let mut args = vec!["check", "--root", root.as_str()];
    args.extend_from_slice(extra);
    common::code(&common::run(&common::repo(), &args))
}

#[test]
fn exit_codes_follow_errors_warnings_and_deny_warnings() {
    let clean = check_fixture_root("clean");
    let warnings = check_fixture_root("warnings");
    let errors = check_fixture_root("resolve");
    assert_eq!(exit_code(&clean, &[]), 0);
    assert_eq!(exit_code(&clean, &["--deny-warnings"]), 0);
    assert_eq!(exit_code(&warnings, &[]), 0);
    assert_eq!(exit_code(&warnings, &["--deny-warnings"]), 1);
    assert_eq!(exit_code(&errors, &[]), 1);
    for format in ["human", "json", "github", "sarif"] {
        assert_eq!(exit_code(&errors, &["--format", format]), 1, "{format}");
        assert_eq!(exit_code(&clean, &["--format", format]), 0, "{format}");
    }
    // Severity overrides decide: the policy fixture's only anchor finding is a warning.
    let (_tmp, root) = common::copy_fixture("check/warnings");
    common::write_file(
        &root.join("site.yaml"),
        "severity:\n  duplicate-anchor: error\n",
    );
    assert_eq!(exit_code(&root, &[]), 1);
    common::write_file(
        &root.join("site.yaml"),
        "severity:\n  duplicate-anchor: \"off\"\n  malformed-directive: \"off\"\n",
    );
    assert_eq!(exit_code(&root, &["--deny-warnings"]), 0);
}

#[test]
fn usage_and_configuration_errors_exit_with_2() {
    let clean = check_fixture_root("clean");
    assert_eq!(exit_code(&clean, &["--format", "xml"]), 2);
    assert_eq!(exit_code(&clean, &["--no-such-flag"]), 2);
    assert_eq!(exit_code(&clean, &["--content", "does-not-exist"]), 2);
    assert_eq!(exit_code(&clean, &["--config", "missing.yaml"]), 2);
    for bad in [
        "titel: typo\n",
        "severity:\n  broken-link: fatal\n",
        "severity:\n  no-such-code: \"off\"\n",
        "links:\n  external:\n    - path: \"*.md\"\n      url: not-a-url\n",
        "links:\n  ignore: [\"[\"]\n",
    ] {
        let (_tmp, root) = common::copy_fixture("check/clean");
        common::write_file(&root.join("site.yaml"), bad);
        let out = common::run(
            &common::repo(),
            &["check", "--root", &root.to_string_lossy()],
        );
        assert_eq!(common::code(&out), 2, "{bad}");
        assert!(
            common::stderr(&out).contains("invalid configuration"),
            "{}",
            common::stderr(&out)
        );
    }
}
