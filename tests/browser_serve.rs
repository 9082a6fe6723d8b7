//! `docshift serve` in headless Chromium: an edit appears without a manual reload, broken
//! front matter shows the error overlay with file:line over the last good build, fixing it
//! removes the overlay, and a stylesheet edit changes the style without reloading the page
//! (a marker set on `window` survives, and no load event happens).
//!
//! Skips (with a note on stderr) when Chromium is not installed, unless
//! `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;
mod serve_support;

use common::browser::Browser;
use serve_support::{write, Served};
use std::time::Duration;

/// Limit for a save to show in the browser (a rebuild takes milliseconds; CI can be slow).
const SAVE: Duration = Duration::from_secs(30);

fn overlay_text(page: &mut common::browser::Page<'_>) -> String {
    page.eval("(document.getElementById('docshift-error-overlay') || {}).textContent || ''")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn live_reload_overlay_and_stylesheet_swap_in_chromium() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let long: String = (1..=80).map(|n| format!("Paragraph {n}.\n\n")).collect();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "content/index.md",
        &format!("---\ntitle: Home\n---\n\n# Home\n\nOriginal text.\n\n{long}"),
    );
    write(root, "content/guide.md", "# Guide\n\nA second page.\n");
    write(
        root,
        "static/docshift.css",
        "body { color: rgb(1, 2, 3); }\n",
    );
    let served = Served::start(root, &[]);
    let mut page = browser.new_page();
    page.goto(&served.url);
    assert!(page.text("main").contains("Original text."));
    // The live-reload stream is open once the server has said hello.
    page.wait_for("window.__docshiftConnected === true", SAVE)
        .unwrap_or_else(|e| panic!("the page connects to the event stream: {e}"));

    page.eval("window.scrollTo(0, 600)");
    write(
        root,
        "content/index.md",
        &format!("---\ntitle: Home\n---\n\n# Home\n\nEdited in the editor.\n\n{long}"),
    );
    page.wait_for(
        "document.querySelector('main').innerText.includes('Edited in the editor.')",
        SAVE,
    )
    .unwrap_or_else(|e| panic!("an edit appears without a manual reload: {e}"));

    write(
        root,
        "content/index.md",
        "---\ntitle: [unclosed\n---\n\n# Home\n\nBroken.\n",
    );
    page.wait_for("!!document.getElementById('docshift-error-overlay')", SAVE)
        .unwrap_or_else(|e| panic!("broken front matter shows the overlay: {e}"));
    let overlay = overlay_text(&mut page);
    assert!(overlay.contains("index.md:3:1"), "file:line in {overlay:?}");
    assert!(overlay.contains("invalid-front-matter"), "{overlay:?}");
    assert!(
        page.text("main").contains("Edited in the editor."),
        "the last good build stays under the overlay"
    );

    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n# Home\n\nFixed again.\n",
    );
    page.wait_for("!document.getElementById('docshift-error-overlay') && document.querySelector('main').innerText.includes('Fixed again.')", SAVE)
        .unwrap_or_else(|e| panic!("fixing the file removes the overlay: {e}"));

    stylesheet_swap(&mut page, root);
    let errors = page.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// A stylesheet edit changes the style without reloading the page.
fn stylesheet_swap(page: &mut common::browser::Page<'_>, root: &std::path::Path) {
    page.wait_for("window.__docshiftConnected === true", SAVE)
        .unwrap_or_else(|e| panic!("the reloaded page connects again: {e}"));
    std::thread::sleep(Duration::from_millis(300));
    page.eval("window.__docshiftMarker = 42");
    let loads = page.loads();
    write(
        root,
        "static/docshift.css",
        "body { color: rgb(200, 0, 0); }\n",
    );
    page.wait_for(
        "getComputedStyle(document.body).color === 'rgb(200, 0, 0)'",
        SAVE,
    )
    .unwrap_or_else(|e| panic!("a stylesheet edit changes the style: {e}"));
    assert_eq!(
        page.eval("window.__docshiftMarker"),
        42,
        "no reload for a stylesheet"
    );
    assert_eq!(page.loads(), loads, "no load event for a stylesheet");
}
