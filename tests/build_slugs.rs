//! Heading ids through real Markdown: every heading of table 1 of
//! /work/shared/reference/SLUGS.md (in its order, so the duplicate rows interact as there)
//! plus headings of the seed documents, written as `## ...` lines of one page, built, and
//! checked in the rendered `id="..."` attributes and in the model.
//!
//! The expected ids are GitHub's (github-slugger), except where docshift documents its own
//! rule: row 26 (`<a name="x"></a>` at the start of a heading gives the id `x`, as in DocFX)
//! and row 28 (`{#id}` is a pulldown-cmark heading attribute).

#[allow(
    unreachable_pub,
    reason = "the shared harness is a private module of each test binary"
)]
mod common;

use common::{build_site_root, site_page, write_file};
use docshift::model::AnchorKind;

/// `(heading source after "## ", expected id)`.
const HEADINGS: &[(&str, &str)] = &[
    // Table 1 of SLUGS.md, rows 1-38.
    ("Hello World", "hello-world"),
    ("What's new?", "whats-new"),
    (
        "What’s new in Partner Center?",
        "whats-new-in-partner-center",
    ),
    ("Step 1: Create an offer", "step-1-create-an-offer"),
    ("Step 2 - Configure the plan", "step-2---configure-the-plan"),
    ("1. Deploying the network", "1-deploying-the-network"),
    ("FAQ: Q&A / billing", "faq-qa--billing"),
    ("Node.js & npm", "nodejs--npm"),
    ("C# and .NET 8.0", "c-and-net-80"),
    ("`az login` command", "az-login-command"),
    ("Use the `--output` flag", "use-the---output-flag"),
    ("Plans -- pricing", "plans----pricing"),
    ("SaaS — fulfillment API v2", "saas--fulfillment-api-v2"),
    ("Price ($) / month", "price---month"),
    (
        "Azure AD (Microsoft Entra ID)",
        "azure-ad-microsoft-entra-id",
    ),
    ("Ünïcödé Überschrift", "ünïcödé-überschrift"),
    ("Straße & Œuvre", "straße--œuvre"),
    ("日本語の見出し", "日本語の見出し"),
    ("Ελληνικά Κεφαλίδα", "ελληνικά-κεφαλίδα"),
    ("Emoji 🚀 launch", "emoji--launch"),
    (":rocket: Gemoji shortcode", "rocket-gemoji-shortcode"),
    ("Partner\u{a0}Center (NBSP)", "partnercenter-nbsp"),
    ("Tabs \\| pipes \\| here", "tabs--pipes--here"),
    (
        "[Link text](https://example.com) in heading",
        "link-text-in-heading",
    ),
    ("**Bold** and _italic_", "bold-and-italic"),
    // Row 26: docshift follows DocFX (GitHub: heading-with-explicit-anchor).
    (
        "<a name=\"custom-anchor\"></a>Heading with explicit anchor",
        "custom-anchor",
    ),
    (
        "<a id=\"self-closed\" />Self-closed anchor",
        "self-closed-anchor",
    ),
    // Row 28: a heading attribute (GitHub: heading-with-attribute-custom-id).
    ("Heading with attribute {#custom-id}", "custom-id"),
    ("Version 2.0.1 release notes", "version-201-release-notes"),
    ("under_score and snake_case", "under_score-and-snake_case"),
    ("Smart \"quotes\" and 'single'", "smart-quotes-and-single"),
    ("-Leading and trailing dash-", "-leading-and-trailing-dash-"),
    // Row 33: nothing is left; GitHub gives the empty id.
    ("???", ""),
    ("Prerequisites", "prerequisites"),
    ("Prerequisites", "prerequisites-1"),
    ("Prerequisites-1", "prerequisites-1-1"),
    ("Prerequisites", "prerequisites-2"),
    (
        "Hello @CrossLink1 @'CrossLink2'dummy",
        "hello-crosslink1-crosslink2dummy",
    ),
    // Headings of the seed documents that other pages link to.
    (
        "What are the differences between Partner Center and the Cloud Partner Portal?",
        "what-are-the-differences-between-partner-center-and-the-cloud-partner-portal",
    ),
    (
        "Step 1: Similar offer does not exist in commercial marketplace please follow these steps",
        "step-1-similar-offer-does-not-exist-in-commercial-marketplace-please-follow-these-steps",
    ),
    (
        "Scenario 2: Similar offer exists in commercial marketplace please follow these steps",
        "scenario-2-similar-offer-exists-in-commercial-marketplace-please-follow-these-steps",
    ),
    (
        "Changes to CPP APIs after the migration to Partner Center",
        "changes-to-cpp-apis-after-the-migration-to-partner-center",
    ),
    (
        "Begin the migration of your solutions from OCP GTM",
        "begin-the-migration-of-your-solutions-from-ocp-gtm",
    ),
    (
        "I'm having trouble logging in to my account and opening a support ticket",
        "im-having-trouble-logging-in-to-my-account-and-opening-a-support-ticket",
    ),
    (
        "I see a message in the Cloud Partner Portal to activate my account, what does this mean?",
        "i-see-a-message-in-the-cloud-partner-portal-to-activate-my-account-what-does-this-mean",
    ),
];

/// Builds one page with every heading of [`HEADINGS`], in order.
fn build_headings_page() -> common::BuiltFixture {
    let tmp = tempfile::tempdir().expect("temp dir");
    let body: String = HEADINGS
        .iter()
        .map(|(source, _)| format!("## {source}\n\n"))
        .collect();
    write_file(&tmp.path().join("content/index.md"), body);
    let built = build_site_root(tmp.path());
    drop(tmp);
    built
}

/// The `id` attribute of every `<h2>` of the page, in order (`None`: no id attribute).
fn rendered_h2_ids(html: &str) -> Vec<Option<&str>> {
    html.split("<h2")
        .skip(1)
        .map(|tag| {
            let open = tag.split('>').next().unwrap_or_default();
            open.split("id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
        })
        .collect()
}

#[test]
fn the_table_has_at_least_forty_headings() {
    assert!(HEADINGS.len() >= 40, "{}", HEADINGS.len());
}

#[test]
fn model_heading_ids_match_github() {
    let built = build_headings_page();
    assert!(!built.built.failed);
    let page = site_page(&built.built.checked.site, "index.md");
    assert_eq!(page.headings().len(), HEADINGS.len());
    let mismatches: Vec<String> = HEADINGS
        .iter()
        .zip(page.headings().iter())
        .filter(|((_, expected), heading)| heading.id != *expected)
        .map(|((source, expected), heading)| {
            format!("{source:?}: expected {expected:?}, got {:?}", heading.id)
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    for (heading, line) in page.headings().iter().zip((1..).step_by(2)) {
        assert_eq!((heading.level, heading.line), (2, line), "{heading:?}");
    }
}

#[test]
fn rendered_heading_ids_match_github() {
    let built = build_headings_page();
    let html = built.page_content("index.md");
    let rendered = rendered_h2_ids(&html);
    let expected: Vec<Option<&str>> = HEADINGS
        .iter()
        .map(|(_, id)| Some(*id).filter(|id| !id.is_empty()))
        .collect();
    assert_eq!(rendered, expected);
    // Every heading with an id gets a self-link to it (non-ASCII percent-encoded).
    for id in expected.iter().flatten() {
        let fragment = docshift::urls::encode_fragment(id);
        let link = format!("<a class=\"anchor\" href=\"#{fragment}\"");
        assert!(html.contains(&link), "missing {link}");
    }
}

#[test]
fn a_heading_that_slugs_to_nothing_gets_no_id_attribute() {
    let built = build_headings_page();
    let html = built.page_content("index.md");
    assert!(html.contains("<h2>???</h2>"), "{html}");
    assert!(!html.contains("id=\"\""), "{html}");
}

#[test]
fn explicit_heading_anchors_keep_their_text_and_kind() {
    let built = build_headings_page();
    let page = site_page(&built.built.checked.site, "index.md");
    let heading = |id: &str| {
        page.headings()
            .iter()
            .find(|h| h.id == id)
            .unwrap_or_else(|| panic!("no heading {id}"))
    };
    assert_eq!(
        heading("custom-anchor").text,
        "Heading with explicit anchor"
    );
    assert_eq!(heading("custom-id").text, "Heading with attribute");
    assert_eq!(heading("self-closed-anchor").text, "Self-closed anchor");
    let kind = |id: &str| {
        page.anchors()
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.kind)
            .unwrap_or_else(|| panic!("no anchor {id}"))
    };
    assert_eq!(kind("custom-anchor"), AnchorKind::HeadingName);
    assert_eq!(kind("custom-id"), AnchorKind::HeadingAttribute);
    // The self-closing form does not match the DocFX rewrite: the heading keeps its own id
    // and the `<a id>` stays in it as a second anchor.
    assert_eq!(kind("self-closed-anchor"), AnchorKind::Heading);
    assert_eq!(kind("self-closed"), AnchorKind::HtmlId);
    let html = built.page_content("index.md");
    assert!(
        html.contains("<h2 id=\"self-closed-anchor\"><a id=\"self-closed\" />Self-closed anchor"),
        "{html}"
    );
}
