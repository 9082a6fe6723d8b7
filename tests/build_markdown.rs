//! Markdown and DocFX constructs, built from `tests/fixtures/build/markdown`: alerts,
//! includes, `:::image:::`, raw HTML anchors, GitBook HTML, heading ids, tables, footnotes,
//! strikethrough, code blocks and links. Each test checks the rendered HTML and the model.

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use common::{build_fixture, site_page, BuiltFixture};
use docshift::model::doc::FragmentHtml;
use docshift::model::{AnchorKind, Link, LinkKind, LinkTarget, Page};
use docshift::render::lower::Fragments;

fn markdown_site() -> BuiltFixture {
    build_fixture("markdown")
}

fn page<'b>(built: &'b BuiltFixture, path: &str) -> &'b Page {
    site_page(&built.built.checked.site, path)
}

/// `(id, kind, file, line, column)` of every anchor of a page.
fn anchors_of(page: &Page) -> Vec<(&str, AnchorKind, &str, u32, u32)> {
    page.anchors()
        .iter()
        .map(|a| (a.id, a.kind, a.file, a.line, a.column))
        .collect()
}

/// `(kind, dest, file, line, column)` of every link of a page, its links made back first
/// (`page.links.to_vec()`).
fn links_of(links: &[Link]) -> Vec<(LinkKind, &str, &str, u32, u32)> {
    links
        .iter()
        .map(|l| (l.kind, l.dest.as_str(), &*l.file, l.line, l.column))
        .collect()
}

fn local(path: &str, fragment: Option<&str>) -> LinkTarget {
    LinkTarget::Local {
        path: path.to_string(),
        fragment: fragment.map(str::to_string),
        rooted: false,
    }
}

/// The callouts of a page as `(kind, body text)`, in order.
fn callouts(html: &str) -> Vec<(String, String)> {
    html.split("<div class=\"alert alert-")
        .skip(1)
        .map(|chunk| {
            let kind = chunk.split('"').next().unwrap_or_default().to_string();
            let body = chunk.split("</div>").next().unwrap_or_default();
            let text = body
                .rsplit("</p>\n<p>")
                .next()
                .unwrap_or_default()
                .trim_end_matches("</p>\n")
                .to_string();
            (kind, text)
        })
        .collect()
}

#[test]
fn markdown_fixture_builds_every_page_without_findings() {
    let site = markdown_site();
    assert!(!site.built.failed);
    assert!(
        site.built.checked.diagnostics.is_empty(),
        "{:#?}",
        site.built.checked.diagnostics
    );
    let paths = site.page_paths();
    assert_eq!(
        paths,
        [
            "alerts.md",
            "anchors.md",
            "extras.md",
            "gitbook.md",
            "guides/setup/install.md",
            "headings.md",
            "images.md",
            "index.md",
            "links.md",
            "reference/limits.md",
            "tables.md",
        ]
    );
}

#[test]
fn alerts_of_all_five_kinds_become_callouts_in_any_spelling() {
    let site = markdown_site();
    let html = site.page_content("alerts.md");
    let expected = [
        ("note", "Note body."),
        ("tip", "Tip body."),
        ("important", "Important body."),
        ("caution", "Caution body."),
        ("warning", "Warning body."),
        ("note", "Written without a space after the marker."),
        ("note", "Written in mixed case."),
    ];
    let got = callouts(&html);
    let got: Vec<(&str, &str)> = got.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
    assert_eq!(got, expected, "{html}");
    for title in ["Note", "Tip", "Important", "Caution", "Warning"] {
        assert!(
            html.contains(&format!("<p class=\"alert-title\">{title}</p>")),
            "{title}: {html}"
        );
    }
    // Text on the tag's own line: a plain blockquote that keeps the tag as text.
    assert_eq!(html.matches("<blockquote>").count(), 1, "{html}");
    assert!(
        html.contains("<blockquote>\n<p>[!NOTE] Text on the tag line\nmakes a plain blockquote.</p>\n</blockquote>"),
        "{html}"
    );
}

#[test]
fn includes_expand_in_place_and_their_headings_belong_to_the_page() {
    let site = markdown_site();
    let install = page(&site, "guides/setup/install.md");
    let headings: Vec<_> = install
        .headings()
        .iter()
        .map(|h| (h.id, h.file, h.line))
        .collect();
    assert_eq!(
        headings,
        [
            ("install", "guides/setup/install.md", 1),
            ("prerequisites", "guides/setup/install.md", 3),
            ("prerequisites-1", "includes/prerequisites.md", 1),
            ("prerequisites-2", "guides/setup/install.md", 9),
        ]
    );
    assert!(anchors_of(install).contains(&(
        "shared-anchor",
        AnchorKind::HtmlName,
        "includes/prerequisites.md",
        3,
        10
    )));
    assert_eq!(
        install.includes,
        [
            "includes/note.md",
            "includes/prerequisites.md",
            "includes/product-name.md"
        ]
    );

    let html = site.page_content("guides/setup/install.md");
    let ids: Vec<_> = html
        .match_indices("<h2 id=\"")
        .map(|(i, _)| html[i + 8..].split('"').next().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["prerequisites", "prerequisites-1", "prerequisites-2"]);
    assert!(html.contains("<a name=\"shared-anchor\"></a>"), "{html}");
    // The nested include (an alert) is expanded too.
    assert_eq!(callouts(&html).len(), 1, "{html}");
    // An inline include of a one-paragraph file stays inside the sentence.
    assert!(
        html.contains("<p>The tool is called <strong>Contoso Migrator</strong> everywhere.</p>"),
        "{html}"
    );
    assert!(!html.contains("[!INCLUDE"), "{html}");
}

#[test]
fn links_in_an_include_resolve_against_the_included_file() {
    let site = markdown_site();
    let install = page(&site, "guides/setup/install.md");
    let install_links = install.links.read().expect("links").to_vec();
    let quotas = &install_links[0];
    assert_eq!(
        (quotas.kind, &*quotas.file, quotas.line, quotas.column),
        (LinkKind::Inline, "includes/prerequisites.md", 4, 10)
    );
    // Relative to the page (guides/setup/) this would be guides/reference/limits.md.
    assert_eq!(quotas.target, local("reference/limits.md", Some("quotas")));
    let diagram = &install_links[1];
    assert_eq!(
        (diagram.kind, diagram.line, diagram.column),
        (LinkKind::Image, 6, 1)
    );
    assert_eq!(diagram.target, local("media/diagram.png", None));

    let html = site.page_content("guides/setup/install.md");
    assert!(
        html.contains("<a href=\"/reference/limits/#quotas\">quotas</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"/media/diagram.png\" alt=\"Setup diagram\" />"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#prerequisites-1\">the included section</a>"),
        "{html}"
    );
}

#[test]
fn files_in_includes_folders_are_fragments_not_pages() {
    let site = markdown_site();
    let model = &site.built.checked.site;
    assert_eq!(
        model.fragments,
        [
            "includes/note.md",
            "includes/prerequisites.md",
            "includes/product-name.md"
        ]
    );
    assert_eq!(model.page_by_path("includes/prerequisites.md"), None);
    assert!(!site.out.join("includes").exists());
    // No `url` in this fixture: no sitemap (its addresses would have to be absolute).
    assert!(!site.out.join("sitemap.xml").exists());
}

#[test]
fn image_directives_render_images_with_their_alt_text() {
    let site = markdown_site();
    let html = site.page_content("images.md");
    let expected = [
        // content (bordered by default)
        "<span class=\"docfx-image docfx-image-content bordered\"><img src=\"/media/diagram.png\" alt=\"A content image.\"></span>",
        // icon: no alt text needed, no border by default
        "<span class=\"docfx-image docfx-image-icon\"><img src=\"/media/icon.svg\" alt=\"\"></span>",
        // icon with border="true"
        "<span class=\"docfx-image docfx-image-icon bordered\"><img src=\"/media/icon.svg\" alt=\"\"></span>",
        // complex: the long description is visually hidden and referenced
        "<img src=\"/media/diagram.png\" alt=\"A complex image.\" aria-describedby=\"image-description-9-1\">",
        "<span class=\"visually-hidden\" id=\"image-description-9-1\"><p>The long description of the <strong>diagram</strong>.</p></span>",
        // lightbox: wrapped in a link to the large image
        "<a class=\"lightbox\" href=\"/media/diagram-large.png\"><img src=\"/media/diagram.png\" alt=\"With a lightbox.\"></a>",
        // border="false"
        "<span class=\"docfx-image docfx-image-content\"><img src=\"/media/diagram.png\" alt=\"Without a border.\"></span>",
        // link=: a page link, rewritten to its pretty URL
        "<a class=\"lightbox\" href=\"/reference/limits/#quotas\"><img src=\"/media/diagram.png\" alt=\"A linked image.\"></a>",
        // inline icon inside a sentence
        "<p>An inline <span class=\"docfx-image docfx-image-icon\"><img src=\"/media/icon.svg\" alt=\"\"></span> icon.</p>",
    ];
    for fragment in expected {
        assert!(html.contains(fragment), "missing {fragment}\nin {html}");
    }
    assert_eq!(html.matches("<img ").count(), 9, "{html}");
    assert_eq!(html.matches("The long description").count(), 1, "{html}");
    assert!(!html.contains(":::"), "{html}");

    let images = page(&site, "images.md");
    let image_links = images.links.read().expect("links").to_vec();
    let kinds: Vec<_> = links_of(&image_links)
        .into_iter()
        .map(|(kind, dest, _, line, column)| (kind, dest, line, column))
        .collect();
    for expected in [
        (LinkKind::DirectiveSource, "media/diagram.png", 3, 33),
        (LinkKind::DirectiveSource, "media/icon.svg", 5, 30),
        (LinkKind::DirectiveSource, "media/diagram.png", 9, 33),
        (
            LinkKind::DirectiveLightbox,
            "media/diagram-large.png",
            13,
            90,
        ),
        (LinkKind::Inline, "reference/limits.md#quotas", 17, 85),
        (LinkKind::DirectiveSource, "media/icon.svg", 19, 40),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} not in {kinds:?}");
    }
    assert_eq!(kinds.len(), 11);
}

#[test]
fn a_complex_image_description_may_span_paragraphs() {
    let site = markdown_site();
    let html = site.page_content("images.md");
    assert!(
        html.contains("<span class=\"visually-hidden\" id=\"image-description-21-1\"><p>The first paragraph of the description.</p>\n<p>The second paragraph of the description.</p></span>"),
        "{html}"
    );
    assert_eq!(
        html.matches("paragraph of the description").count(),
        2,
        "{html}"
    );
    // The text after the end marker is the next paragraph; nothing empty is left behind.
    assert!(
        html.contains("<p>After the long description.</p>"),
        "{html}"
    );
    assert!(!html.contains("<p></p>"), "{html}");
}

#[test]
fn raw_html_anchors_and_ids_are_recorded_and_kept() {
    let site = markdown_site();
    let anchors = page(&site, "anchors.md");
    assert_eq!(
        anchors_of(anchors),
        [
            ("anchors", AnchorKind::Heading, "anchors.md", 1, 1),
            ("old-name", AnchorKind::HtmlName, "anchors.md", 3, 10),
            ("inline-id", AnchorKind::HtmlId, "anchors.md", 4, 28),
            ("boxed", AnchorKind::HtmlId, "anchors.md", 6, 10),
        ]
    );
    let html = site.page_content("anchors.md");
    for kept in [
        "<a name=\"old-name\"></a>",
        "<a id=\"inline-id\"></a>inline anchor",
        "<div id=\"boxed\">A box with an id.</div>",
        "<a href=\"#old-name\">old</a>",
    ] {
        assert!(html.contains(kept), "missing {kept}\nin {html}");
    }
}

#[test]
fn gitbook_figures_and_entities_pass_through() {
    let site = markdown_site();
    let html = site.page_content("gitbook.md");
    // The figure is kept as written; only its src becomes the site URL of the image.
    assert!(
        html.contains("<figure><img src=\"/media/diagram.png\" alt=\"GitBook figure\"><figcaption><p>A GitBook caption</p></figcaption></figure>"),
        "{html}"
    );
    // `&#x20;` passes through intact (a space to the browser), never escaped into visible text.
    assert!(
        html.contains("<p>Text that GitBook exported with a trailing space.&#x20;</p>"),
        "{html}"
    );
    assert!(html.contains("<p>After the figure.&#x20;</p>"), "{html}");
    assert!(!html.contains("&amp;#x20;"), "{html}");
    let gitbook = page(&site, "gitbook.md");
    assert_eq!(
        links_of(&gitbook.links.read().expect("links").to_vec()),
        [(LinkKind::HtmlSrc, "media/diagram.png", "gitbook.md", 5, 19)]
    );
}

#[test]
fn heading_ids_use_slugs_attributes_and_leading_named_anchors() {
    let site = markdown_site();
    let headings = page(&site, "headings.md");
    let ids: Vec<_> = headings
        .headings()
        .iter()
        .map(|h| (h.level, h.id, h.text))
        .collect();
    assert_eq!(
        ids,
        [
            (1, "headings", "Headings"),
            (
                2,
                "step-2---configure-the-plan",
                "Step 2 - Configure the plan"
            ),
            (2, "custom-id", "Custom attribute"),
            (2, "named-anchor", "Heading with a name"),
            (2, "id-anchor", "Heading with an id"),
            (2, "repeated", "Repeated"),
            (2, "repeated-1", "Repeated"),
            (3, "repeated-2", "Repeated"),
            (4, "deep-heading", "Deep heading"),
        ]
    );
    let kinds: Vec<_> = headings
        .anchors()
        .iter()
        .map(|a| (a.id, a.kind, a.line, a.column))
        .collect();
    assert!(kinds.contains(&("custom-id", AnchorKind::HeadingAttribute, 5, 1)));
    assert!(kinds.contains(&("named-anchor", AnchorKind::HeadingName, 7, 4)));
    assert!(kinds.contains(&("id-anchor", AnchorKind::HeadingName, 9, 4)));

    let html = site.page_content("headings.md");
    for (level, id, text) in ids {
        let heading = format!(
            "<h{level} id=\"{id}\">{text} <a class=\"anchor\" href=\"#{id}\" aria-label=\"Permalink\">#</a></h{level}>"
        );
        assert!(html.contains(&heading), "missing {heading}\nin {html}");
    }
    // The DocFX rewrite removes the `<a name>` from the heading.
    assert!(!html.contains("name=\"named-anchor\""), "{html}");
    assert!(!html.contains("{#custom-id}"), "{html}");
}

#[test]
fn tables_keep_cell_text_html_code_and_links() {
    let site = markdown_site();
    let tables = page(&site, "tables.md");
    assert_eq!(tables.tables.len(), 1);
    let made = tables.tables.read().expect("tables").to_vec();
    let table = &made[0];
    assert_eq!((&*table.file, table.line), ("tables.md", 5));
    assert_eq!(table.section.as_deref(), Some("page-mapping"));
    let header: Vec<_> = table.header.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(header, ["Old page", "New page", "Notes"]);
    let lines: Vec<_> = table.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [7, 8, 9, 10]);

    let first = &table.rows[0].cells;
    assert_eq!(first[1].text, "Quotas");
    assert_eq!(first[1].markdown, "[Quotas](reference/limits.md#quotas)");
    assert_eq!(first[1].links.len(), 1);
    let link = &tables
        .links
        .read()
        .expect("links")
        .get(first[1].links[0])
        .expect("link");
    assert_eq!(
        (link.kind, link.line, link.column),
        (LinkKind::Inline, 7, 16)
    );
    assert_eq!(link.target, local("reference/limits.md", Some("quotas")));
    // `<br/>` and `<br>` are line breaks in the text and kept in the HTML.
    // A build drops each page's nodes once the page is rendered: the cells' HTML is read
    // from a checked model, which keeps them.
    let checked = common::check_build_fixture("markdown");
    let cell_html = |cell: &docshift::model::Cell| {
        let site = &checked.site;
        Fragments { site }.html(site_page(site, "tables.md"), cell.nodes.clone(), false)
    };
    assert_eq!(first[2].text, "Line one\nline two\nline three");
    assert_eq!(cell_html(&first[2]), "Line one<br/>line two<br>line three");

    let second = &table.rows[1].cells;
    assert_eq!(second[0].code, ["GET /api/publishers"]);
    assert_eq!(second[0].text, "Publisher GET /api/publishers");
    assert_eq!(second[1].code, ["GET /publishers/list", "v2"]);
    assert_eq!(
        cell_html(&second[1]),
        "<code>GET /publishers/list</code> and <code>v2</code>"
    );

    // Ragged rows follow GFM: a short row is padded, cells beyond the header are dropped.
    let short: Vec<_> = table.rows[2]
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(short, ["Short row", "", ""]);
    let long: Vec<_> = table.rows[3]
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(long, ["a", "b", "c"]);

    let html = site.page_content("tables.md");
    for row in [
        // A focusable scroll box, named after the heading above the table.
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table: Page mapping\"><table><thead><tr><th>Old page</th><th>New page</th><th>Notes</th></tr></thead><tbody>",
        "<tr><td>All offers</td><td><a href=\"/reference/limits/#quotas\">Quotas</a></td><td>Line one<br/>line two<br>line three</td></tr>",
        "<tr><td>Publisher <code>GET /api/publishers</code></td><td><code>GET /publishers/list</code> and <code>v2</code></td><td>Code in cells</td></tr>",
        "<tr><td>Short row</td><td></td><td></td></tr>",
        "<tr><td>a</td><td>b</td><td>c</td></tr>",
    ] {
        assert!(html.contains(row), "missing {row}\nin {html}");
    }
    assert!(!html.contains("extra"), "{html}");
}

#[test]
fn footnotes_and_strikethrough_render() {
    let site = markdown_site();
    let html = site.page_content("extras.md");
    assert!(
        html.contains("stages<sup class=\"footnote-reference\"><a href=\"#stages\">1</a></sup>"),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"footnote-definition\" id=\"stages\"><sup class=\"footnote-definition-label\">1</sup>\n<p>Stages are announced by email.</p>\n</div>"),
        "{html}"
    );
    assert!(html.contains("<del>the old portal</del>"), "{html}");
    assert!(!html.contains("~~"), "{html}");
}

#[test]
fn code_blocks_are_highlighted_with_classes_and_a_copy_button() {
    let site = markdown_site();
    let html = site.page_content("extras.md");
    let blocks: Vec<_> = html.split("<div class=\"code-block\">").skip(1).collect();
    assert_eq!(blocks.len(), 2, "{html}");
    for block in &blocks {
        assert!(
            block.starts_with(
                "<button class=\"copy-button\" type=\"button\" aria-label=\"Copy code\">Copy</button><pre class=\"code\""
            ),
            "{block}"
        );
        // A scrollable box must be keyboard-focusable (axe: scrollable-region-focusable).
        let pre_tag = block.split("<pre").nth(1).and_then(|t| t.split('>').next());
        assert!(
            pre_tag.is_some_and(|tag| tag.contains(" tabindex=\"0\"")),
            "{block}"
        );
    }
    assert!(blocks[0].contains("data-lang=\"json\""), "{}", blocks[0]);
    assert!(blocks[0].contains("<span class=\"l"), "{}", blocks[0]);
    assert!(blocks[0].contains(">contoso<"), "{}", blocks[0]);
    // An unknown language is shown escaped, without highlighting.
    assert!(
        blocks[1].contains("<code>&lt;not&gt; highlighted &amp; escaped\n</code>"),
        "{}",
        blocks[1]
    );
    assert!(!blocks[1].contains("<span"), "{}", blocks[1]);
    // Colours come from syntax.css classes only, never inline styles.
    let document = site.page_document("extras.md");
    assert!(!document.contains("style="), "{document}");
}

#[test]
fn links_are_recorded_with_kind_target_and_position() {
    let site = markdown_site();
    let links = page(&site, "links.md");
    assert_eq!(
        links_of(&links.links.read().expect("links").to_vec()),
        [
            (LinkKind::Inline, "reference/limits.md", "links.md", 3, 4),
            (
                LinkKind::Reference,
                "reference/limits.md#quotas",
                "links.md",
                3,
                45
            ),
            (LinkKind::HtmlHref, "extras.md#extras", "links.md", 8, 10),
            (
                LinkKind::Autolink,
                "https://learn.microsoft.com/partner-center/",
                "links.md",
                10,
                12
            ),
            (LinkKind::Inline, "#links", "links.md", 12, 12),
            (
                LinkKind::Definition,
                "guides/setup/install.md",
                "links.md",
                6,
                11
            ),
        ]
    );
    assert_eq!(
        links
            .links
            .read()
            .expect("links")
            .get(1)
            .expect("link")
            .definition_line,
        Some(5)
    );
    assert_eq!(
        links
            .links
            .read()
            .expect("links")
            .get(3)
            .expect("link")
            .target,
        LinkTarget::External {
            scheme: "https".to_string()
        }
    );
    assert_eq!(
        links
            .links
            .read()
            .expect("links")
            .get(4)
            .expect("link")
            .target,
        LinkTarget::SamePage {
            fragment: "links".to_string()
        }
    );

    let html = site.page_content("links.md");
    for rendered in [
        "<a href=\"/reference/limits/\">inline link</a>",
        "<a href=\"/reference/limits/#quotas\">reference link</a>",
        "<a href=\"/extras/#extras\">Raw HTML link</a>",
        "<a href=\"https://learn.microsoft.com/partner-center/\">https://learn.microsoft.com/partner-center/</a>",
        "<a href=\"#links\">top of this page</a>",
    ] {
        assert!(html.contains(rendered), "missing {rendered}\nin {html}");
    }
}

#[test]
fn pages_that_include_other_pages_build_whatever_the_parse_order() {
    // A build drops each page's text once it is parsed; a page another page includes is
    // read again, so every include expands however the parallel parse is ordered.
    let tmp = tempfile::tempdir().expect("temp dir");
    let content = tmp.path().join("content");
    let n = 40;
    for i in 0..n {
        let next = (i + 1) % n;
        common::write_file(
            &content.join(format!("p{i:02}.md")),
            format!("# Page {i}\n\nOwn text {i}.\n\n[!INCLUDE [next](p{next:02}.md)]\n"),
        );
    }
    let built = common::build_content_folder(&content);
    for i in 0..n {
        let next = (i + 1) % n;
        let html = built.page_content(&format!("p{i:02}.md"));
        assert!(html.contains(&format!("Own text {i}.")), "{html}");
        assert!(html.contains(&format!("Own text {next}.")), "{html}");
    }
}
