//! Search in headless Chromium (issue 5): builds `tests/fixtures/search` (published under
//! `base_path: /docs/`), serves it on 127.0.0.1 and drives the header search box with the
//! keyboard: top hits deep-link to their heading, arrow keys and Enter navigate, Escape
//! closes, mapped old-portal pages show their new URL, content is shown as text, and the
//! first query stays within the transfer budget.
//!
//! Skips (with a note on stderr) when Chromium is not installed, unless
//! `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;

use common::browser::{Browser, Page};
use common::static_server::StaticServer;
use std::time::Duration;

/// Limit for conditions that a page reaches in well under a second.
const SHORT: Duration = Duration::from_secs(5);

/// Builds the fixture into `<tmp>/docs` and serves `<tmp>`, so the site lives under `/docs/`.
fn serve_fixture() -> (tempfile::TempDir, StaticServer) {
    let (tmp, server, built) =
        common::static_server::build_and_serve(&common::fixture("search"), "docs");
    assert!(
        built.checked.diagnostics.is_empty(),
        "{:#?}",
        built.checked.diagnostics
    );
    (tmp, server)
}

/// Clears the box, types `query` and waits until results (or the no-results note) for it
/// are shown.
fn search(page: &mut Page<'_>, query: &str) {
    page.eval("(() => { const i = document.querySelector('.search-input'); i.value = ''; i.dispatchEvent(new Event('input')); })()");
    page.focus(".search-input");
    page.type_text(query);
    let shown = format!(
        "document.querySelector('.search-results').dataset.query === {q} \
         && !document.querySelector('.search-panel').hidden",
        q = serde_json::to_string(query).expect("json")
    );
    page.wait_for(&shown, SHORT)
        .unwrap_or_else(|e| panic!("results for {query:?}: {e}"));
}

fn top_href(page: &mut Page<'_>) -> String {
    page.attribute(".search-result", "href")
        .expect("a result link")
}

#[test]
fn search_box_finds_sections_and_mappings_with_the_keyboard() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, server) = serve_fixture();
    let mut page = browser.new_page();
    page.goto(&server.url("/docs/guide/reports/"));
    page.wait_for("!document.querySelector('.site-search').hidden", SHORT)
        .expect("search box shown");
    assert!(
        page.exists(".theme-toggle:not([hidden])"),
        "the theme toggle stays"
    );

    // `/` focuses the box from anywhere on the page.
    page.click("h1");
    page.press("/");
    assert_eq!(
        page.eval("document.activeElement.className"),
        "search-input"
    );
    assert_eq!(
        page.eval("document.querySelector('.search-input').value"),
        ""
    );

    // The expected section is the top hit and links to its heading anchor.
    search(&mut page, "api-version");
    assert_eq!(
        top_href(&mut page),
        "/docs/guide/setup/#choose-the-api-version-parameter"
    );
    assert_eq!(
        page.text(".search-result .search-result-title"),
        "Setting up the integration › Choose the api-version parameter"
    );
    assert!(
        page.count(".search-result-excerpt mark") > 0,
        "matched terms are highlighted"
    );
    let first_query_bytes: f64 = page.eval_as(
        "performance.getEntriesByType('resource').filter((e) => e.name.includes('/docs/search/'))\
         .reduce((s, e) => s + (e.encodedBodySize || e.transferSize || 0), 0)",
    );
    eprintln!("first query transferred {first_query_bytes} bytes of index data");
    assert!(first_query_bytes > 0.0 && first_query_bytes < 150.0 * 1024.0);

    // Arrow keys move the selection; Escape closes; Ctrl+K focuses again.
    assert_eq!(
        page.attribute("#search-result-0", "aria-selected")
            .as_deref(),
        Some("true")
    );
    page.press("ArrowDown");
    assert_eq!(
        page.attribute("#search-result-1", "aria-selected")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        page.attribute(".search-input", "aria-activedescendant")
            .as_deref(),
        Some("search-result-1")
    );
    page.press("ArrowUp");
    assert_eq!(
        page.attribute("#search-result-0", "aria-selected")
            .as_deref(),
        Some("true")
    );
    page.press("Escape");
    assert_eq!(
        page.eval("document.querySelector('.search-panel').hidden"),
        true
    );
    page.click("h1");
    page.press("Control+k");
    assert_eq!(
        page.eval("document.activeElement.className"),
        "search-input"
    );

    // A mapped old-portal page: the mapping row with its old and new URL, linking to the new one.
    search(&mut page, "payout");
    assert_eq!(
        page.attribute(".search-result", "class").as_deref(),
        Some("search-result search-result-map")
    );
    assert_eq!(
        top_href(&mut page),
        "https://new-portal.example.com/payouts/reports"
    );
    assert_eq!(
        page.text(".search-result .search-result-new"),
        "https://new-portal.example.com/payouts/reports"
    );
    assert_eq!(
        page.text(".search-result .search-result-old"),
        "https://old-portal.example.com/#insights/payout"
    );
    assert!(page
        .text(".search-result .search-result-title")
        .contains("Payout report"));

    // CJK text is searchable; a query without hits says so.
    search(&mut page, "支払い");
    assert_eq!(
        page.text(".search-result .search-result-section"),
        "支払いレポート"
    );
    search(&mut page, "xyzzy");
    assert_eq!(page.count(".search-result"), 0);
    assert_eq!(page.text(".search-empty"), "No results for “xyzzy”");

    // Enter follows the selected result to its section.
    search(&mut page, "rotate credentials");
    page.press("Enter");
    page.wait_for("location.hash === '#rotate-credentials'", SHORT)
        .expect("navigated to the section");
    assert_eq!(page.eval("location.pathname"), "/docs/guide/setup/");
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

#[test]
fn content_is_shown_as_text_never_as_markup() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, server) = serve_fixture();
    let mut page = browser.new_page();
    page.goto(&server.url("/docs/"));
    page.wait_for("!document.querySelector('.site-search').hidden", SHORT)
        .expect("search box shown");
    page.eval("window.__pwned = 0; window.alert = () => { window.__pwned += 1; }");
    search(&mut page, "pwned");
    let title = page.text(".search-result .search-result-title");
    assert_eq!(title, "Security <img src=x onerror=alert(1)> notes › Escaping <script>alert(\"pwned\")</script> in headings");
    assert_eq!(page.count(".search-panel script, .search-panel img"), 0);
    page.wait_for("new Promise((r) => setTimeout(() => r(true), 300))", SHORT)
        .expect("settle");
    assert_eq!(page.eval("window.__pwned"), 0);
    assert_eq!(page.dialogs(), Vec::<String>::new());
    assert_eq!(page.console_errors(), Vec::<String>::new());
}
