//! Accessibility audit of the default theme with axe-core in headless Chromium: the
//! repository's own content built and served, then every kind of page (home, guide, FAQ,
//! API changes, mapping explorer, redirect page, 404, and a page with search open) audited
//! in light and dark at 1280 px and 390 px. No serious or critical violation may remain (nor
//! a moderate one: those were few and fixed too).
//!
//! axe-core is vendored under `tests/vendor/axe-core/` (MPL-2.0, see the README there) so a
//! fresh clone needs nothing but Chromium. Skips (with a note on stderr) when Chromium is
//! not installed, unless `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;

use common::browser::{Browser, Page};
use std::time::Duration;

/// Limit for conditions that a page reaches in well under a second.
const SHORT: Duration = Duration::from_secs(5);

/// The pages audited, by kind.
const PAGES: [(&str, &str); 7] = [
    ("home", "/"),
    ("guide", "/new-cloud-partner-portal-2017/"),
    ("faq", "/cpp-to-partner-center/faq/"),
    ("api changes", "/cpp-to-partner-center/api-changes/"),
    ("mapping explorer", "/mappings/"),
    // An old address with no new place: the page shows its explanation instead of leaving.
    ("redirect page", "/redirects/cpp-to-partner-center/#history"),
    ("404", "/no-such-page/"),
];

/// The page on which the search box is opened with a query that has results.
const SEARCH_PAGE: &str = "/cpp-to-partner-center/faq/";

/// Path of the vendored axe-core build.
fn axe_path() -> std::path::PathBuf {
    common::repo().join("tests/vendor/axe-core/axe.min.js")
}

/// JavaScript: runs axe on the whole document and lists the violations above "minor" (the
/// audit's bar is serious and critical; moderate ones such as `region` are held to it too)
/// as `rule (impact): target, target ... | first failure summary` lines.
const RUN_AXE: &str = r#"axe.run(document, { resultTypes: ["violations"] }).then((r) =>
  r.violations
    .filter((v) => v.impact !== "minor")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
      + ` | ${v.nodes[0].failureSummary.replace(/\s+/g, " ")}`))"#;

/// Injects axe-core (once per document) and returns the violations above minor.
fn audit(page: &mut Page<'_>, axe: &str) -> Vec<String> {
    if !page.eval_as::<bool>("typeof axe !== 'undefined'") {
        page.eval(axe);
    }
    page.eval_as(RUN_AXE)
}

/// Opens `url` with the stored theme choice (read before first paint) set to `theme`.
fn open_in_theme(page: &mut Page<'_>, url: &str, theme: &str) {
    page.goto(url);
    let stored = format!("localStorage.getItem('docshift-theme') === '{theme}'");
    if !page.eval_as::<bool>(&stored) {
        page.eval(&format!(
            "localStorage.setItem('docshift-theme', '{theme}')"
        ));
        page.goto(url);
    }
    let applied: Option<String> =
        page.eval_as("document.documentElement.getAttribute('data-theme')");
    assert_eq!(
        applied.as_deref(),
        Some(theme),
        "theme not applied on {url}"
    );
    // The redirect page has its own small script instead of docshift.js.
    page.wait_for(
        "!document.querySelector('script[src$=\"/docshift.js\"]') \
         || document.documentElement.classList.contains('has-js')",
        SHORT,
    )
    .expect("docshift.js ran");
}

/// Audits every page kind in both themes at one viewport width; returns the findings.
fn audit_at(width: u32, height: u32) -> Vec<String> {
    let Some(browser) = Browser::launch() else {
        return Vec::new();
    };
    let axe = std::fs::read_to_string(axe_path())
        .unwrap_or_else(|e| panic!("axe-core missing at {}: {e}", axe_path().display()));
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.set_timeout(Duration::from_secs(30));
    page.set_viewport(width, height);
    let mut findings = Vec::new();
    for theme in ["light", "dark"] {
        for (kind, path) in PAGES {
            open_in_theme(&mut page, &server.url(path), theme);
            for v in audit(&mut page, &axe) {
                findings.push(format!("{kind} {path} {theme} {width}px: {v}"));
            }
        }
        open_in_theme(&mut page, &server.url(SEARCH_PAGE), theme);
        page.wait_for("!document.querySelector('.site-search').hidden", SHORT)
            .expect("search box shown");
        page.focus(".search-input");
        page.type_text("partner");
        page.wait_for(
            "document.querySelectorAll('.search-result').length > 0 \
             && !document.querySelector('.search-panel').hidden",
            SHORT,
        )
        .expect("search results shown");
        for v in audit(&mut page, &axe) {
            findings.push(format!("search open {theme} {width}px: {v}"));
        }
    }
    findings
}

#[test]
fn no_axe_violations_above_minor_at_1280px() {
    let findings = audit_at(1280, 900);
    assert!(
        findings.is_empty(),
        "axe violations:\n{}",
        findings.join("\n")
    );
}

#[test]
fn no_axe_violations_above_minor_at_390px() {
    let findings = audit_at(390, 844);
    assert!(
        findings.is_empty(),
        "axe violations:\n{}",
        findings.join("\n")
    );
}
