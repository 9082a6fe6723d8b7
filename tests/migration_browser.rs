//! The redirect page and the mapping explorer in headless Chromium: each old fragment of a
//! fixture set whose targets are pages of the site lands where the mapping says (anchor
//! included); an unsupported one shows its note, an unknown one the explanation; the
//! explorer's filter hides rows.
//!
//! Skips (with a note on stderr) when Chromium is not installed, unless
//! `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;

use common::browser::{Browser, Page};
use common::static_server::StaticServer;
use std::path::Path;
use std::time::Duration;

/// Limit for conditions that a page reaches in well under a second.
const SHORT: Duration = Duration::from_secs(5);

const REDIRECT: &str = "/redirects/old-portal-to-guide/";

fn build_fixture(output: &Path) {
    let settings = docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(common::fixture("migration/redirect")),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })
    .expect("settings");
    let built = docshift::pipeline::build(&settings, docshift::pipeline::BuildOptions::default())
        .expect("build");
    assert!(!built.failed, "{:#?}", built.checked.diagnostics);
}

/// Opens `url` from the current page. The redirect page replaces itself before its load
/// event, so the navigation is started from script; this waits until a new document has
/// loaded that is either another page or the redirect page showing a result.
fn open(page: &mut Page<'_>, url: &str) {
    page.eval(&format!(
        "window.__previous = true; location.href = {}",
        serde_json::json!(url)
    ));
    let redirect = serde_json::json!(REDIRECT);
    page.wait_for(
        &format!(
            "!window.__previous && document.readyState === 'complete' && (location.pathname !== {redirect} || !document.getElementById('redirect-result').hidden)"
        ),
        SHORT,
    )
    .unwrap_or_else(|e| panic!("{url}: {e}"));
}

#[test]
fn redirect_page_sends_each_fragment_where_the_mapping_says() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    build_fixture(&site);
    let server = StaticServer::start(&site);
    let mut page = browser.new_page();
    page.goto(&server.url("/guide/"));
    for (fragment, lands_on) in [
        ("setup", "/guide/#step-one"),
        ("setup/advanced", "/guide/#step-two"),
        ("setup/advanced/more", "/guide/#step-two"),
        ("home", "/"),
    ] {
        open(&mut page, &server.url(&format!("{REDIRECT}#{fragment}")));
        assert_eq!(
            page.url(),
            server.url(lands_on),
            "#{fragment} should land on {lands_on}"
        );
        if let Some(anchor) = lands_on.split_once('#').map(|(_, a)| a) {
            assert!(page.exists(&format!("#{anchor}")), "the anchor exists");
        }
    }

    open(&mut page, &server.url(&format!("{REDIRECT}#gone")));
    assert_eq!(page.url(), server.url(&format!("{REDIRECT}#gone")));
    page.wait_for(
        "document.querySelector('#redirect-result.redirect-unsupported')",
        SHORT,
    )
    .unwrap();
    assert_eq!(
        page.text("#redirect-note"),
        "The old portal's gone page has no successor."
    );

    // Only the fragment changes: the open page looks the new address up (hashchange).
    page.eval("location.hash = 'no-such-page'");
    page.wait_for(
        "document.querySelector('#redirect-result.redirect-unknown')",
        SHORT,
    )
    .unwrap();
    assert!(page
        .text("#redirect-message")
        .contains("is not in the list of Old Portal pages that moved to Guide"));
    assert!(
        page.text("#redirect-message").ends_with("linked below."),
        "the list is a link, not a table on this page"
    );
    // The old address is what was looked up, not this page's own URL.
    assert_eq!(page.text("#redirect-old"), "#no-such-page");
    assert_eq!(page.text("#redirect-old-label"), "Old address fragment");
    assert_eq!(
        page.attribute("#redirect-doc", "href").as_deref(),
        Some("/old/")
    );

    // ?from= names the old URL explicitly.
    let from = format!("{REDIRECT}?from=https%3A%2F%2Fold.example%2F%23setup%2Fadvanced");
    open(&mut page, &server.url(&from));
    assert_eq!(page.url(), server.url("/guide/#step-two"));
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

#[test]
fn explorer_filters_rows_by_text_and_status() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    build_fixture(&site);
    let server = StaticServer::start(&site);
    let mut page = browser.new_page();
    page.goto(&server.url("/"));
    let visible =
        "[...document.querySelectorAll('.mapping-table tbody tr')].filter(r => !r.hidden).length";
    assert_eq!(page.text(".mapping-filter-count"), "7 of 7 entries shown");
    page.click(".mapping-filter-text");
    page.type_text("advanced");
    page.wait_for(&format!("{visible} === 1"), SHORT).unwrap();
    assert_eq!(page.text(".mapping-filter-count"), "1 of 7 entries shown");
    page.eval("document.querySelector('.mapping-filter-text').value = ''");
    page.eval(
        "const s = document.querySelector('.mapping-filter-status'); s.value = 'unsupported'; s.dispatchEvent(new Event('change'))",
    );
    page.wait_for(&format!("{visible} === 2"), SHORT).unwrap();
    assert_eq!(
        page.count(".copy-url:not([hidden])"),
        12,
        "copy buttons are shown"
    );
    assert_eq!(page.console_errors(), Vec::<String>::new());
}
