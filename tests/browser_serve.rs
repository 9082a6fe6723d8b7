//! `docshift serve` in headless Chromium: an edit appears without a manual reload, broken
//! front matter shows the error overlay with file:line over the page built from its body, fixing it
//! removes the overlay, and a stylesheet edit changes the style without reloading the page
//! (a marker set on `window` survives, and no load event happens). A hundred fresh loads in
//! a row all get live reload, and a load beside 400 open connections takes under a second.
//!
//! Waits are on the page's state, never on sleeps; a timeout reports the page's state
//! (URL, console, load events) and the server's last lines.
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
use common::browser::Page;
use serve_support::{write, Events, KeepAlive, Served};
use std::time::{Duration, Instant};

/// Limit for a save to show in the browser (a rebuild takes milliseconds; CI can be slow).
const SAVE: Duration = Duration::from_secs(30);

/// The page is live: its reload script is there and connected to this page's build.
const CONNECTED: &str = "window.__docshiftConnected === true";

/// Waits for `js` to hold in `page`; on timeout, fails with `what` and the browser's and
/// the server's state.
fn wait(page: &mut Page<'_>, served: &Served, js: &str, limit: Duration, what: &str) {
    if let Err(e) = page.wait_for(js, limit) {
        panic!(
            "{what}: {e}\n--- browser ---\n{}\n--- server (last lines) ---\n{}",
            page.state(),
            served.log_tail(40)
        );
    }
}

/// Navigates to `url`; on failure, fails with `what` and the browser's and server's state.
fn goto(page: &mut Page<'_>, served: &Served, url: &str, what: &str) {
    if let Err(e) = page.try_goto(url) {
        panic!(
            "{what}: {e}\n--- browser ---\n{}\n--- server (last lines) ---\n{}",
            page.state(),
            served.log_tail(40)
        );
    }
}

fn overlay_text(page: &mut Page<'_>) -> String {
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
        "site.yaml",
        "editor: \"vscode://file/{path}:{line}:{column}\"\n",
    );
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
    wait(
        &mut page,
        &served,
        CONNECTED,
        SAVE,
        "the page connects to the event stream",
    );

    page.eval("window.scrollTo(0, 600)");
    write(
        root,
        "content/index.md",
        &format!("---\ntitle: Home\n---\n\n# Home\n\nEdited in the editor.\n\n{long}"),
    );
    wait(
        &mut page,
        &served,
        "document.querySelector('main').innerText.includes('Edited in the editor.')",
        SAVE,
        "an edit appears without a manual reload",
    );

    write(
        root,
        "content/index.md",
        "---\ntitle: [unclosed\n---\n\n# Home\n\nBroken.\n",
    );
    // The page is built from its body (as DocFX does), with the overlay over it.
    wait(
        &mut page,
        &served,
        "!!document.getElementById('docshift-error-overlay') && document.querySelector('main').innerText.includes('Broken.')",
        SAVE,
        "broken front matter shows the overlay over the page built from its body",
    );
    let overlay = overlay_text(&mut page);
    assert!(overlay.contains("index.md:3:1"), "file:line in {overlay:?}");
    assert!(overlay.contains("invalid-front-matter"), "{overlay:?}");
    // The place links to the file in the writer's editor (`editor` in site.yaml).
    let editor: String = page.eval_as(
        "document.querySelector('#docshift-error-overlay a.docshift-open-in-editor').href",
    );
    assert!(
        editor.starts_with("vscode://file/") && !editor.starts_with("vscode://file//"),
        "{editor}"
    );
    assert!(editor.ends_with("/content/index.md:3:1"), "{editor}");

    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n# Home\n\nFixed again.\n",
    );
    wait(
        &mut page,
        &served,
        "!document.getElementById('docshift-error-overlay') && document.querySelector('main').innerText.includes('Fixed again.')",
        SAVE,
        "fixing the file removes the overlay",
    );

    stylesheet_swap(&mut page, &served, root);
    let errors = page.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// A stylesheet edit changes the style without reloading the page.
fn stylesheet_swap(page: &mut Page<'_>, served: &Served, root: &std::path::Path) {
    // Connected means connected to the build this page shows: no reload is pending.
    wait(
        page,
        served,
        CONNECTED,
        SAVE,
        "the reloaded page connects again",
    );
    page.eval("window.__docshiftMarker = 42");
    let loads = page.loads();
    write(
        root,
        "static/docshift.css",
        "body { color: rgb(200, 0, 0); }\n",
    );
    wait(
        page,
        served,
        "getComputedStyle(document.body).color === 'rgb(200, 0, 0)'",
        SAVE,
        "a stylesheet edit changes the style",
    );
    assert_eq!(
        page.eval("window.__docshiftMarker"),
        42,
        "no reload for a stylesheet"
    );
    assert_eq!(page.loads(), loads, "no load event for a stylesheet");
}

/// A served site with two pages (and the folder holding it).
fn two_page_site() -> (tempfile::TempDir, Served) {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "content/index.md", "# Home\n\nHome page.\n");
    write(tmp.path(), "content/guide.md", "# Guide\n\nGuide page.\n");
    let served = Served::start(tmp.path(), &[]);
    (tmp, served)
}

#[test]
fn each_of_a_hundred_fresh_loads_gets_live_reload() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, served) = two_page_site();
    let mut page = browser.new_page();
    for load in 0..100 {
        // New navigations (a query string the site ignores), over the browser's keep-alive
        // connections; the previous page's event stream closes as it unloads.
        let path = if load % 2 == 0 { "" } else { "guide/" };
        let url = format!("{}{path}?load={load}", served.url);
        goto(&mut page, &served, &url, &format!("load {load}"));
        wait(
            &mut page,
            &served,
            "[...document.scripts].some(s => s.src.endsWith('/__docshift/client.js'))",
            Duration::from_secs(5),
            &format!("load {load} has the reload script"),
        );
        wait(
            &mut page,
            &served,
            CONNECTED,
            Duration::from_secs(5),
            &format!("load {load} connects to the event stream"),
        );
    }
    assert_eq!(page.loads(), 100);
    let errors = page.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn a_load_beside_400_open_connections_is_not_queued_behind_them() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_tmp, served) = two_page_site();
    let mut page = browser.new_page();
    // Chromium's own start-up (first renderer, first connection) is not what is measured.
    page.goto(&served.url);
    wait(
        &mut page,
        &served,
        CONNECTED,
        SAVE,
        "the first load connects",
    );

    let mut streams: Vec<Events> = (0..200).map(|_| Events::connect(served.addr)).collect();
    for events in &mut streams {
        assert!(events.wait_for("hello", SAVE, |_| true).is_some());
    }
    let mut idle: Vec<KeepAlive> = (0..200).map(|_| KeepAlive::connect(served.addr)).collect();
    for connection in &mut idle {
        assert_eq!(connection.get("/").status, 200);
    }

    let started = Instant::now();
    page.goto(&format!("{}guide/", served.url));
    wait(
        &mut page,
        &served,
        CONNECTED,
        SAVE,
        "the load under load connects",
    );
    let took = started.elapsed();
    // Not a speed goal: a load queued behind the open connections would wait until the
    // server closes idle ones (10 s); half that tells a stall from a busy machine.
    assert!(
        took < Duration::from_secs(5),
        "a load beside 200 event streams and 200 idle keep-alive connections waited {took:?}"
    );
    assert!(page.text("main").contains("Guide page."));
    drop(idle);
    drop(streams);
}

#[test]
fn ten_open_tabs_all_stay_live() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (tmp, served) = two_page_site();
    // More tabs than the six HTTP/1.1 connections a browser opens to one host.
    let mut tabs: Vec<Page<'_>> = (0..10).map(|_| browser.new_page()).collect();
    for (n, tab) in tabs.iter_mut().enumerate() {
        let url = format!("{}guide/?tab={n}", served.url);
        goto(tab, &served, &url, &format!("tab {n}"));
        wait(tab, &served, CONNECTED, SAVE, &format!("tab {n} connects"));
    }
    write(tmp.path(), "content/guide.md", "# Guide\n\nEdited once.\n");
    for (n, tab) in tabs.iter_mut().enumerate() {
        wait(
            tab,
            &served,
            "document.querySelector('main').innerText.includes('Edited once.')",
            SAVE,
            &format!("tab {n} reloads after an edit"),
        );
    }
}

#[test]
fn an_open_page_reloads_when_the_server_restarts() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (tmp, served) = two_page_site();
    let mut page = browser.new_page();
    goto(&mut page, &served, &served.url, "first load");
    wait(&mut page, &served, CONNECTED, SAVE, "the page connects");
    let loads = page.loads();
    let port = served.addr.port();
    assert_eq!(served.interrupt(), Some(0));
    // Edited while no server ran: the page cannot have heard of it.
    write(
        tmp.path(),
        "content/index.md",
        "# Home\n\nEdited while stopped.\n",
    );
    let again = Served::start_on(tmp.path(), port, &[]);
    wait(
        &mut page,
        &again,
        "document.querySelector('main').innerText.includes('Edited while stopped.')",
        SAVE,
        "the page reloads from the restarted server",
    );
    wait(&mut page, &again, CONNECTED, SAVE, "and connects to it");
    assert!(page.loads() > loads);
}
