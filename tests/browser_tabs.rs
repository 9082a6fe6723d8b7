//! DocFX tab sets in headless Chromium, on `tests/fixtures/build/tabs`: arrow keys, Home
//! and End switch tabs and move focus, `?tabs=` in the URL picks tabs on load, groups with
//! the same ids stay in step (and `?tabs=` follows), dependent panels follow the other
//! groups, and without script every panel shows.
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

/// Builds the tabs fixture under `docs/` (its base path) of a temporary folder and serves it.
fn serve_fixture() -> (tempfile::TempDir, StaticServer) {
    let (tmp, server, _) =
        common::static_server::build_and_serve(&common::build_fixture_root("tabs"), "docs");
    (tmp, server)
}

/// Opens `path` and waits for the script to turn the groups into tab sets.
fn open(page: &mut Page<'_>, server: &StaticServer, path: &str) {
    page.goto(&server.url(path));
    page.wait_for(
        "document.querySelectorAll('.tabGroup.is-tabbed').length === 5",
        SHORT,
    )
    .expect("tab sets ready");
}

/// The selected tab's `data-tab` in group `n`.
fn selected(page: &mut Page<'_>, n: usize) -> String {
    page.eval_as(&format!(
        "document.querySelector('#tabgroup_{n} [role=tab][aria-selected=true]').dataset.tab"
    ))
}

/// The ids of the panels of group `n` a reader sees.
fn shown_panels(page: &mut Page<'_>, n: usize) -> Vec<String> {
    page.eval_as(&format!(
        "[...document.querySelectorAll('#tabgroup_{n} > [role=tabpanel]')]\
         .filter((p) => p.offsetParent !== null).map((p) => p.id)"
    ))
}

fn focused(page: &mut Page<'_>) -> String {
    page.eval_as("document.activeElement.id")
}

fn tabs_query(page: &mut Page<'_>) -> Option<String> {
    page.eval_as("new URLSearchParams(location.search).get('tabs')")
}

#[test]
fn tabs_switch_with_the_keyboard_and_stay_in_sync() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, server) = serve_fixture();
    let mut page = browser.new_page();
    open(&mut page, &server, "/docs/");

    // The first tab of each group; one panel shown, its title left to the tab.
    assert_eq!(selected(&mut page, 1), "linux");
    assert_eq!(shown_panels(&mut page, 1), ["tabpanel_1_linux"]);
    assert_eq!(shown_panels(&mut page, 2), ["tabpanel_2_linux"]);
    assert_eq!(page.count(".tab-title:not([hidden])"), 12);
    let title_shown: bool = page
        .eval_as("document.querySelector('#tabpanel_1_linux .tab-title').offsetParent !== null");
    assert!(!title_shown);
    // Roving tabindex: only the selected tab is in the tab order.
    assert_eq!(
        page.attribute("#tab_1_windows", "tabindex").as_deref(),
        Some("-1")
    );
    assert_eq!(tabs_query(&mut page), None);

    // Right arrow: the next tab is selected and focused; the other group follows.
    page.focus("#tab_1_linux");
    page.press("ArrowRight");
    assert_eq!(focused(&mut page), "tab_1_windows");
    assert_eq!(selected(&mut page, 1), "windows");
    assert_eq!(
        page.attribute("#tab_1_windows", "tabindex").as_deref(),
        Some("0")
    );
    assert_eq!(
        page.attribute("#tab_1_linux", "tabindex").as_deref(),
        Some("-1")
    );
    assert_eq!(shown_panels(&mut page, 1), ["tabpanel_1_windows"]);
    assert_eq!(selected(&mut page, 2), "windows");
    assert_eq!(shown_panels(&mut page, 2), ["tabpanel_2_windows"]);
    // Dependent panels follow the platform chosen.
    assert_eq!(shown_panels(&mut page, 3), ["tabpanel_3_dotnet_windows"]);
    let query = tabs_query(&mut page).expect("?tabs= set");
    assert!(query.starts_with("windows,"), "{query}");

    // End, Home, and Left from the first tab (wraps to the last).
    page.press("End");
    assert_eq!(
        (focused(&mut page), selected(&mut page, 1)),
        ("tab_1_macos".into(), "macos".into())
    );
    // The second group has no macOS tab: it keeps its choice.
    assert_eq!(selected(&mut page, 2), "windows");
    page.press("Home");
    assert_eq!(
        (focused(&mut page), selected(&mut page, 1)),
        ("tab_1_linux".into(), "linux".into())
    );
    assert_eq!(selected(&mut page, 2), "linux");
    assert_eq!(shown_panels(&mut page, 3), ["tabpanel_3_dotnet_linux"]);
    page.press("ArrowLeft");
    assert_eq!(focused(&mut page), "tab_1_macos");

    // A click in the second group selects the same id in the first.
    page.click("#tab_2_windows");
    assert_eq!(selected(&mut page, 1), "windows");
    assert_eq!(shown_panels(&mut page, 1), ["tabpanel_1_windows"]);
    assert!(tabs_query(&mut page)
        .unwrap_or_default()
        .starts_with("windows"));

    // A tab of another id in the dependent group.
    page.click("#tab_3_typescript");
    assert_eq!(shown_panels(&mut page, 3), ["tabpanel_3_typescript"]);
    assert_eq!(selected(&mut page, 1), "windows");
    assert!(
        page.console_errors().is_empty(),
        "{:?}",
        page.console_errors()
    );
}

#[test]
fn tabs_in_the_url_select_tabs_on_load() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, server) = serve_fixture();
    let mut page = browser.new_page();
    open(&mut page, &server, "/docs/?tabs=windows");
    assert_eq!(selected(&mut page, 1), "windows");
    assert_eq!(selected(&mut page, 2), "windows");
    assert_eq!(shown_panels(&mut page, 1), ["tabpanel_1_windows"]);
    assert_eq!(shown_panels(&mut page, 3), ["tabpanel_3_dotnet_windows"]);

    // Several ids, and one part of a `+`-joined tab id.
    open(&mut page, &server, "/docs/?tabs=macos,typescript+cli");
    assert_eq!(selected(&mut page, 1), "macos");
    assert_eq!(selected(&mut page, 3), "typescript");
    assert_eq!(selected(&mut page, 4), "azure-cli+cli");
    assert_eq!(shown_panels(&mut page, 4), ["tabpanel_4_azure-cli+cli"]);

    // A link with `?tabs=` to another page selects its tab there.
    open(&mut page, &server, "/docs/");
    page.click("a[href='/docs/other/?tabs=bash#run-it']");
    page.wait_for("location.pathname === '/docs/other/'", SHORT)
        .expect("followed");
    page.wait_for(
        "document.querySelector('.tabGroup.is-tabbed') !== null",
        SHORT,
    )
    .expect("tab set ready");
    assert_eq!(selected(&mut page, 1), "bash");

    // A link to a heading in another tab's panel shows that tab (even against `?tabs=`).
    open(
        &mut page,
        &server,
        "/docs/?tabs=windows#a-heading-inside-a-tab",
    );
    assert_eq!(selected(&mut page, 1), "linux");
    let heading_shown: bool =
        page.eval_as("document.getElementById('a-heading-inside-a-tab').offsetParent !== null");
    assert!(heading_shown);
    page.click("#tab_1_macos");
    page.click(".toc a[href='#a-heading-inside-a-tab']");
    page.wait_for(
        "document.querySelector('#tab_1_linux').ariaSelected === 'true'",
        SHORT,
    )
    .expect("the heading's tab is selected again");

    // A dependent panel's content is shown with the condition it needs.
    page.eval("location.hash = 'tabpanel_3_dotnet_windows'");
    page.wait_for(
        "document.querySelector('#tab_1_windows').ariaSelected === 'true'",
        SHORT,
    )
    .expect("the condition's tab is selected");
    assert_eq!(shown_panels(&mut page, 3), ["tabpanel_3_dotnet_windows"]);

    // `#tab/<id>` selects too (DocFX tab titles link that way).
    open(&mut page, &server, "/docs/#tab/powershell");
    assert_eq!(selected(&mut page, 5), "powershell");
    assert!(
        page.console_errors().is_empty(),
        "{:?}",
        page.console_errors()
    );
}

#[test]
fn without_script_every_panel_shows_under_its_title() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, server) = serve_fixture();
    let mut page = browser.new_page();
    page.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({ "value": true }),
    )
    .expect("disable script");
    page.goto(&server.url("/docs/"));
    assert_eq!(page.count(".tabGroup.is-tabbed"), 0);
    let visible: Vec<bool> = page.eval_as(
        "[...document.querySelectorAll('[role=tabpanel], .tab-title, [role=tablist]')]\
         .map((e) => e.offsetParent !== null)",
    );
    // 12 panels and 12 titles shown, the 5 tab lists (useless without script) not.
    assert_eq!(visible.iter().filter(|v| **v).count(), 24, "{visible:?}");
}
