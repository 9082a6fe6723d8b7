//! The five seed documents (tests/fixtures/seeds, third-party text used only as test input)
//! built as a content folder: the build succeeds without --strict, renders their callouts,
//! images, anchors, headings, tables and GitBook HTML, and reports the pages and images they
//! point to that are not there, with file:line:column.

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use common::{build_content_folder, code, fixture, run, site_page, stderr, BuiltFixture};
use docshift::model::doc::FragmentHtml;
use docshift::model::AnchorKind;
use docshift::render::lower::Fragments;
use docshift::Code;

const MIGRATION_FAQ: &str = "migration-faq.md";
const API_OVERVIEW: &str = "cloud-partner-portal-api-overview.md";
const NEW_PORTAL_2017: &str =
    "cloud-partner-portal-how-to-migrate-to-the-new-cloud-partner-portal.md";
const CO_SELL: &str = "co-sell-migrate.md";
const GITBOOK: &str = "partner-portal-migration.md";
const SEEDS: [&str; 5] = [
    API_OVERVIEW,
    NEW_PORTAL_2017,
    CO_SELL,
    MIGRATION_FAQ,
    GITBOOK,
];

fn build_seeds() -> BuiltFixture {
    build_content_folder(&fixture("seeds"))
}

fn seed_source(path: &str) -> String {
    common::read(fixture("seeds").join(path))
}

/// The value of `name="..."` in a directive line.
fn attribute<'l>(line: &'l str, name: &str) -> &'l str {
    line.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {name} in {line}"))
}

#[test]
fn the_seeds_build_with_exit_code_0_and_report_findings_on_stderr() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    let seeds = fixture("seeds");
    let output = run(
        tmp.path(),
        &[
            "build",
            "--content",
            seeds.to_str().expect("utf-8 path"),
            "--output",
            out.to_str().expect("utf-8 path"),
        ],
    );
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    assert!(err.contains("error[missing-asset]"), "{err}");
    assert!(err.contains("--> migration-faq.md:34:33"), "{err}");
    for seed in SEEDS {
        let page = out.join(seed.trim_end_matches(".md")).join("index.html");
        assert!(page.is_file(), "{}", page.display());
    }
}

#[test]
fn alerts_become_callouts() {
    let seeds = build_seeds();
    assert!(!seeds.built.failed);
    for (page, note, important, tip) in [
        (API_OVERVIEW, 1, 0, 0),
        (CO_SELL, 2, 1, 1),
        (MIGRATION_FAQ, 0, 0, 0),
        (NEW_PORTAL_2017, 0, 0, 0),
        (GITBOOK, 0, 0, 0),
    ] {
        let html = seeds.page_content(page);
        let count = |kind: &str| {
            html.matches(&format!("<div class=\"alert alert-{kind}\" role=\"note\">"))
                .count()
        };
        assert_eq!(
            (count("note"), count("important"), count("tip")),
            (note, important, tip),
            "{page}"
        );
        assert!(
            !html.contains("[!NOTE]") && !html.contains("[!TIP]"),
            "{page}"
        );
    }
    let overview = seeds.page_content(API_OVERVIEW);
    assert!(
        overview.contains("<div class=\"alert alert-note\" role=\"note\"><p class=\"alert-title\">Note</p>\n<p>The Cloud Partner Portal APIs are integrated with Partner Center"),
        "{overview}"
    );
}

/// The seeds ship without their media, so every image is missing: each directive shows
/// the placeholder box with its alt text instead of a broken `<img>`.
#[test]
fn every_image_directive_renders_its_alt_text_when_the_image_is_missing() {
    let seeds = build_seeds();
    for (page, expected) in [(MIGRATION_FAQ, 14), (CO_SELL, 7)] {
        let html = seeds.page_content(page);
        let source = seed_source(page);
        let directives: Vec<&str> = source
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with(":::image "))
            .collect();
        assert_eq!(directives.len(), expected, "{page}");
        for line in directives {
            let alt = attribute(line, "alt-text");
            let placeholder = format!(
                "<span class=\"missing-image\" role=\"img\" aria-label=\"{alt}\" title=\"Image not found\">{alt}</span>"
            );
            assert!(html.contains(&placeholder), "{page}: missing {placeholder}");
        }
        assert!(!html.contains("<img"), "{page}");
        assert!(!html.contains(":::image"), "{page}");
    }
}

#[test]
fn explicit_anchors_and_heading_ids_are_on_their_elements() {
    let seeds = build_seeds();
    let co_sell = seeds.page_content(CO_SELL);
    assert!(
        co_sell.contains("<a name=\"beginmigration\"></a>"),
        "{co_sell}"
    );
    assert!(
        co_sell.contains("<a id=\"action-2-merge\"></a>"),
        "{co_sell}"
    );
    let page = site_page(&seeds.built.checked.site, CO_SELL);
    let anchor = |id: &str| {
        page.anchors()
            .iter()
            .find(|a| a.id == id)
            .map(|a| (a.kind, a.line))
            .unwrap_or_else(|| panic!("no anchor {id}"))
    };
    assert_eq!(anchor("beginmigration"), (AnchorKind::HtmlName, 76));
    assert_eq!(anchor("action-2-merge"), (AnchorKind::HtmlId, 145));

    for (page, heading) in [
        (
            MIGRATION_FAQ,
            "<h3 id=\"what-are-the-differences-between-partner-center-and-the-cloud-partner-portal\">What are the differences between Partner Center and the Cloud Partner Portal?",
        ),
        (
            CO_SELL,
            "<h4 id=\"step-1-similar-offer-does-not-exist-in-commercial-marketplace-please-follow-these-steps\">Step 1: Similar offer does not exist in commercial marketplace please follow these steps",
        ),
        (
            API_OVERVIEW,
            "<h2 id=\"changes-to-cpp-apis-after-the-migration-to-partner-center\">Changes to CPP APIs after the migration to Partner Center",
        ),
    ] {
        let html = seeds.page_content(page);
        assert!(html.contains(heading), "{page}: missing {heading}");
    }
    // Every fragment the seeds link to exists.
    let broken_anchors: Vec<_> = seeds
        .built
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::BrokenAnchor)
        .collect();
    assert!(broken_anchors.is_empty(), "{broken_anchors:#?}");
}

#[test]
fn every_table_is_an_html_table() {
    let seeds = build_seeds();
    for (page, tables) in [
        (MIGRATION_FAQ, 4),
        (API_OVERVIEW, 1),
        (NEW_PORTAL_2017, 1),
        (CO_SELL, 0),
        (GITBOOK, 0),
    ] {
        let html = seeds.page_content(page);
        assert_eq!(html.matches("<table>").count(), tables, "{page}");
        assert_eq!(html.matches("</table>").count(), tables, "{page}");
        let model = site_page(&seeds.built.checked.site, page);
        assert_eq!(model.tables.len(), tables, "{page}");
    }
    // The 2017 stages table: an empty header and four rows full of `<br/>`-separated Q&A.
    let stages = &site_page(&seeds.built.checked.site, NEW_PORTAL_2017)
        .tables
        .read()
        .expect("tables")
        .to_vec()[0];
    assert_eq!((stages.line, stages.header.len()), (33, 2));
    assert!(stages.header.iter().all(|c| c.text.is_empty()));
    let firsts: Vec<_> = stages
        .rows
        .iter()
        .map(|r| r.cells[0].text.as_str())
        .collect();
    assert_eq!(
        firsts,
        [
            "1.\tDecide you are ready",
            "2.\tSubmit to Migrate",
            "3.\tConfirm a Date",
            "4.\tSettle in and enjoy!"
        ]
    );
    let answers = &stages.rows[0].cells[1];
    // A build drops each page's nodes once the page is rendered: the cell's HTML is read
    // from a checked model, which keeps them.
    let settings = common::settings_for_content(&fixture("seeds"), &seeds.out);
    let checked = docshift::pipeline::check(&settings).expect("check");
    let site = &checked.site;
    let answers_html = Fragments { site }.html(
        site_page(site, NEW_PORTAL_2017),
        answers.nodes.clone(),
        false,
    );
    assert!(answers_html.contains(
        "<br/><br/><strong>Am I migrating all my offers?</strong><br/>Today we are migrating"
    ));
    assert!(answers
        .text
        .contains("\n\nAm I migrating all my offers?\nToday we are migrating"));
    let html = seeds.page_content(NEW_PORTAL_2017);
    assert_eq!(html.matches("<tr>").count(), 5, "{html}");
    assert!(
        html.contains("<thead><tr><th></th><th></th></tr></thead>"),
        "{html}"
    );
    assert!(html
        .contains("<strong>When I migrate is it final?</strong><br/>When we migrate your offers"));
    // The API change table keeps its list and code spans inside a cell; a long path in
    // code may wrap after `/`, `?` and `=` (so the table fits the column).
    let api = seeds.page_content(API_OVERVIEW);
    assert!(api.contains("<ul><li>Non-migrated offers<br><code>/<wbr>api/<wbr>operations/<wbr>{PublisherId}${offerId}$2$preview?<wbr>api-version=<wbr>2017-10-31</code></li>"), "{api}");
}

#[test]
fn gitbook_figures_and_entities_are_kept_intact() {
    let seeds = build_seeds();
    let html = seeds.page_content(GITBOOK);
    for figure in [
        "<figure><img src=\"../../../.gitbook/assets/partner_portal_migration.png\" alt=\"\"><figcaption><p>Before migration</p></figcaption></figure>",
        "<figure><img src=\"../../../.gitbook/assets/partner_portal_migration2.png\" alt=\"\"><figcaption><p>After account migration</p></figcaption></figure>",
    ] {
        assert!(html.contains(figure), "missing {figure}\nin {html}");
    }
    // `&#x20;` passes through intact (a space to the browser), never as visible escaped text.
    assert!(
        html.contains("the steps you must take to continue transacting with us.&#x20;</p>"),
        "{html}"
    );
    assert!(html.contains("At this stage, you don't need to take any action.&#x20;</p>"));
    assert_eq!(seed_source(GITBOOK).matches("&#x20;").count(), 5);
    assert_eq!(html.matches("&#x20;").count(), 5, "{html}");
    assert!(!html.contains("&amp;#x20;"), "{html}");
}

#[test]
fn missing_pages_and_images_are_reported_with_file_and_line() {
    let seeds = build_seeds();
    let diagnostics = &seeds.built.checked.diagnostics;
    let found = |code: Code, file: &str, line: u32, column: u32| {
        diagnostics
            .iter()
            .find(|d| d.code == code && d.file == file && d.line == line && d.column == column)
            .unwrap_or_else(|| panic!("no {code:?} at {file}:{line}:{column} in {diagnostics:#?}"))
    };
    let faq_image = found(Code::MissingAsset, MIGRATION_FAQ, 34, 33);
    assert_eq!(
        faq_image.target.as_deref(),
        Some("media/migration-faq/all-offers-1.png")
    );
    let overview = found(Code::BrokenLink, CO_SELL, 15, 52);
    assert_eq!(overview.target.as_deref(), Some("overview.md"));
    let prerequisites = found(Code::BrokenLink, API_OVERVIEW, 30, 7);
    assert_eq!(
        prerequisites.target.as_deref(),
        Some("./cloud-partner-portal-api-prerequisites.md")
    );
    let table_image = found(Code::MissingAsset, NEW_PORTAL_2017, 36, 179);
    assert_eq!(
        table_image.target.as_deref(),
        Some("./media/cloud-partner-portal-how-to-migrate-to-the-new-cloud-partner-portal/migrate.png")
    );
    let gitbook_image = found(Code::LinkOutsideRoot, GITBOOK, 13, 19);
    assert_eq!(
        gitbook_image.target.as_deref(),
        Some("../../../.gitbook/assets/partner_portal_migration.png")
    );
    // Every `:::image` of the FAQ points to a missing file.
    let faq_missing = diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingAsset && d.file == MIGRATION_FAQ)
        .count();
    assert_eq!(faq_missing, 14);
}
