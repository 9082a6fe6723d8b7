//! DocFX tabs, built from `tests/fixtures/build/tabs`: the tab set's markup (tablist,
//! DocFX-like ids, dependent panels), tab titles kept out of the headings, and the findings
//! for `#tab/` and `?tabs=` links to ids a page does not have.

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use common::{build_fixture, finding_lines, site_page, BuiltFixture};

fn tabs_site() -> BuiltFixture {
    build_fixture("tabs")
}

#[test]
fn tab_groups_render_as_tablists_and_labelled_panels() {
    let site = tabs_site();
    let html = site.page_content("index.md");
    let opened = |tag: &str| html.matches(tag).count();
    assert_eq!(opened("<div class=\"tabGroup\""), 5, "{html}");
    assert_eq!(opened("role=\"tablist\""), 5);
    assert_eq!(opened("role=\"tabpanel\""), 12);
    assert!(html.contains(
        "<div class=\"tabGroup\" id=\"tabgroup_1\" data-tab-group>\n<div class=\"tab-list\" role=\"tablist\">\n\
         <button type=\"button\" role=\"tab\" id=\"tab_1_linux\" aria-controls=\"tabpanel_1_linux\" aria-selected=\"true\" tabindex=\"0\" data-tab=\"linux\">Linux</button>\n\
         <button type=\"button\" role=\"tab\" id=\"tab_1_windows\" aria-controls=\"tabpanel_1_windows\" aria-selected=\"false\" tabindex=\"-1\" data-tab=\"windows\">Windows</button>\n"
    ), "{html}");
    // Each panel is labelled by its tab and, for readers without script, titled.
    assert!(html.contains(
        "<section class=\"tab-panel\" id=\"tabpanel_1_windows\" role=\"tabpanel\" aria-labelledby=\"tab_1_windows\" data-tab=\"windows\">\n\
         <h2 class=\"tab-title\">Windows</h2>\n<p>Run <code>setup.exe</code>.</p>\n</section>"
    ), "{html}");
    // Other headings stay inside the panel; the thematic break that ends a group is not shown.
    let first = &html[html.find("tabgroup_1").unwrap()..html.find("tabgroup_2").unwrap()];
    assert!(first.contains("id=\"a-heading-inside-a-tab\""), "{first}");
    assert!(!html.contains("<hr"), "{html}");
    // Dependent tabs: one button per id, a panel per condition.
    assert!(html.contains(
        "id=\"tab_3_dotnet\" aria-controls=\"tabpanel_3_dotnet_linux tabpanel_3_dotnet_windows\""
    ));
    assert!(html.contains(
        "id=\"tabpanel_3_dotnet_windows\" role=\"tabpanel\" aria-labelledby=\"tab_3_dotnet\" data-tab=\"dotnet\" data-condition=\"windows\""
    ));
    // Inline markup of a title is kept, in the button and in the panel's title.
    assert!(html.contains("data-tab=\"azure-cli+cli\">CLI <em>tool</em></button>"));
    // A group in a list item ends with it; one in an included file is rendered in place.
    let item = &html[html.find("<li>\n<p>In a list:").unwrap()..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(item.ends_with("</section>\n</div>\n"), "{item}");
    assert!(html.contains("<p>Bash from an include.</p>"));
    // Links keep the tab selectors they were written with.
    assert!(html.contains("<a href=\"?tabs=windows\">"));
    assert!(html.contains("<a href=\"/docs/other/?tabs=bash#run-it\">"));
}

#[test]
fn tab_titles_are_not_headings() {
    let site = tabs_site();
    let page = site_page(&site.built.checked.site, "index.md");
    let ids: Vec<&str> = page.headings().iter().map(|h| h.id).collect();
    assert_eq!(
        ids,
        [
            "install-the-tools",
            "prerequisites",
            "a-heading-inside-a-tab",
            "verify",
            "languages",
            "links"
        ]
    );
    assert_eq!(
        page.tab_ids,
        [
            "linux",
            "windows",
            "macos",
            "dotnet",
            "typescript",
            "portal",
            "azure-cli",
            "cli",
            "bash",
            "powershell"
        ]
    );
    let document = site.page_document("index.md");
    let toc = &document[document.find("<nav aria-label=\"On this page\">").unwrap()..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    for title in ["Linux", "Windows", ".NET", "Portal", "Bash"] {
        assert!(!toc.contains(&format!(">{title}<")), "{title} in {toc}");
    }
    assert!(toc.contains("href=\"#verify\""), "{toc}");
}

#[test]
fn links_to_unknown_tabs_are_broken_anchors() {
    let site = tabs_site();
    let findings = &site.built.checked.diagnostics;
    assert_eq!(
        finding_lines(findings),
        [
            "broken-anchor other.md:15:3",
            "broken-anchor other.md:16:3",
            "broken-anchor other.md:17:3",
            "broken-anchor other.md:18:3",
            "broken-anchor other.md:19:3",
            "broken-anchor other.md:20:3",
            "broken-anchor other.md:21:51",
        ],
        "{findings:#?}"
    );
    let said: Vec<(&str, Option<&str>)> = findings
        .iter()
        .map(|d| (d.message.as_str(), d.suggestion.as_deref()))
        .collect();
    let all = "`linux`, `windows`, `macos`, `dotnet`, `typescript`, `portal`, `azure-cli`, `cli`, `bash`, `powershell`";
    assert_eq!(
        said[0],
        (
            "`index.md` has no tab `linuks`",
            Some(format!("did you mean `linux`? its tabs: {all}").as_str())
        )
    );
    assert_eq!(said[1].0, "`index.md` has no tab `freebsd`");
    assert_eq!(said[1].1, Some(format!("its tabs: {all}").as_str()));
    // `windows+solaris`: each id is checked, only the unknown one is named.
    assert_eq!(said[2].0, "`index.md` has no tab `solaris`");
    assert_eq!(
        said[3],
        (
            "`plain.md` has no tab `linux`",
            Some("the page has no tabs")
        )
    );
    assert_eq!(said[4].0, "`other.md` has no tab `zsh`");
    // A dependent selector names its id first; the condition is not an id to check.
    assert_eq!(said[5].0, "`other.md` has no tab `cmd`");
    // Links into this docset are checked, links to other docsets and external ones are not.
    assert_eq!(said[6].0, "`plain.md` has no tab `nope`");
    // The valid selectors on the index page (same page, `+`-joined parts, included tabs,
    // several ids in one `?tabs=`) gave nothing.
    assert!(findings.iter().all(|d| d.file == "other.md"));
}
