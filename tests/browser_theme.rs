//! End-to-end smoke test of the default theme in headless Chromium: build the project's own
//! content, serve it, and check what a reader gets on the FAQ page (title, current page in
//! the nav, theme toggle, heading anchors, "On this page" links, a clean console). Also
//! checks the static file server the browser tests rely on.
//!
//! Skips (with a note on stderr) when Chromium is not installed, unless
//! `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;

use common::browser::{Browser, BrowserError};
use common::static_server::StaticServer;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Limit for conditions that a page reaches in well under a second.
const SHORT: Duration = Duration::from_secs(5);

const FAQ: &str = "/cpp-to-partner-center/faq/";

#[test]
fn default_theme_faq_page_works_in_a_browser() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.goto(&server.url(FAQ));

    // Title: the page's title, then the site's.
    assert_eq!(
        page.title(),
        "Cloud Partner Portal to Partner Center: frequently asked questions - Portal Migration Guides"
    );
    assert_eq!(page.status(), 200);

    // The nav marks exactly this page as current.
    assert_eq!(page.count(".site-nav [aria-current=\"page\"]"), 1);
    let current: String = page.eval_as(
        "new URL(document.querySelector('.site-nav [aria-current=\"page\"]').href).pathname",
    );
    assert_eq!(current, FAQ);

    // Theme toggle: auto → light → dark → auto, on <html data-theme> and in localStorage.
    let theme_state = "[document.documentElement.getAttribute('data-theme'), \
                       localStorage.getItem('docshift-theme')]";
    // Its accessible name contains its visible label in every mode (axe:
    // label-content-name-mismatch).
    let label_in_name = "(() => { const t = document.querySelector('.theme-toggle'); \
                         return [t.querySelector('.theme-label').textContent, \
                                 t.getAttribute('aria-label')]; })()";
    let assert_label_in_name = |page: &mut common::browser::Page<'_>| {
        let [label, name]: [String; 2] = page.eval_as(label_in_name);
        assert!(name.contains(&label), "name {name:?} lacks label {label:?}");
    };
    assert_eq!(page.eval(theme_state), serde_json::json!([null, null]));
    assert_label_in_name(&mut page);
    page.click(".theme-toggle");
    assert_eq!(
        page.eval(theme_state),
        serde_json::json!(["light", "light"])
    );
    assert_label_in_name(&mut page);
    page.click(".theme-toggle");
    assert_eq!(page.eval(theme_state), serde_json::json!(["dark", "dark"]));
    assert_eq!(page.text(".theme-toggle .theme-label"), "Dark");
    assert_label_in_name(&mut page);
    // The choice survives a reload.
    page.reload();
    assert_eq!(page.eval(theme_state), serde_json::json!(["dark", "dark"]));
    page.click(".theme-toggle");
    assert_eq!(page.eval(theme_state), serde_json::json!([null, null]));

    // Every heading with an id carries a self-link to it.
    let headings: Vec<(String, Option<String>)> = page.eval_as(
        "[...document.querySelectorAll('.content :is(h1,h2,h3,h4,h5,h6)[id]')]
            .map(h => [h.id, h.querySelector('a.anchor') && h.querySelector('a.anchor').getAttribute('href')])",
    );
    assert!(headings.len() >= 5, "too few headings: {headings:?}");
    for (id, href) in &headings {
        assert_eq!(
            href.as_deref(),
            Some(format!("#{id}").as_str()),
            "self-link of heading #{id}"
        );
    }

    // Every "On this page" link points at an element of the page.
    let toc: Vec<String> =
        page.eval_as("[...document.querySelectorAll('.toc a')].map(a => a.getAttribute('href'))");
    assert!(toc.len() >= 5, "too few TOC links: {toc:?}");
    let missing: Vec<String> = page.eval_as(
        "[...document.querySelectorAll('.toc a')].map(a => a.getAttribute('href'))
            .filter(h => !h.startsWith('#') || !document.getElementById(h.slice(1)))",
    );
    assert!(
        missing.is_empty(),
        "TOC links without a target: {missing:?}"
    );

    // Following a TOC link scrolls its heading to the top (below the sticky header, which
    // the headings' scroll-margin-top clears); smooth scrolling may take a moment.
    let target: String = page.eval_as(
        "(() => {
            const img = document.querySelector('.content img');
            const above = [...document.querySelectorAll('.toc a')]
                .map(a => a.getAttribute('href'))
                .filter(h => !img || document.getElementById(h.slice(1))
                    .compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING);
            return above[above.length - 1];
        })()",
    );
    let target = &target;
    page.click(&format!(".toc a[href=\"{target}\"]"));
    if let Err(e) = page.wait_for(&scrolled_to(target), SHORT) {
        panic!(
            "TOC link {target} did not scroll its heading into view ({}): {e}",
            scroll_state(&mut page, target)
        );
    }
    let scroll_margin: f64 = page.eval_as(&format!(
        "parseFloat(getComputedStyle(document.getElementById({})).scrollMarginTop)",
        serde_json::json!(&target[1..])
    ));
    assert!(
        (0.0..150.0).contains(&scroll_margin),
        "scroll-margin-top {scroll_margin}"
    );
    let scrolled: f64 = page.eval_as("scrollY");
    assert!(
        scrolled > 100.0,
        "{target} is too close to the top to test scrolling"
    );

    // Nothing went wrong in the page's scripts or loads.
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

/// JavaScript: the URL's fragment is `hash` and its heading sits at the top of the viewport
/// (at its scroll-margin-top, which clears the sticky header).
fn scrolled_to(hash: &str) -> String {
    let heading = format!("document.getElementById({})", serde_json::json!(&hash[1..]));
    format!(
        "location.hash === {hash} && Math.abs({heading}.getBoundingClientRect().top - \
         parseFloat(getComputedStyle({heading}).scrollMarginTop)) < 2",
        hash = serde_json::json!(hash),
    )
}

/// Where the heading of `hash` and the viewport are, for failure messages.
fn scroll_state(page: &mut common::browser::Page<'_>, hash: &str) -> serde_json::Value {
    page.eval(&format!(
        "({{ hash: location.hash, headingTop: document.getElementById({}).getBoundingClientRect().top, \
             scrollY, innerHeight, scrollHeight: document.documentElement.scrollHeight }})",
        serde_json::json!(&hash[1..])
    ))
}

/// Regression: `:::image` output was lazy-loaded without dimensions, so images grew after
/// the fragment scroll and a deep link landed 340 px below its heading.
#[test]
fn deep_link_lands_on_its_heading() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    // A heading below the page's two images.
    let target = "#how-is-partner-center-different-from-the-cloud-partner-portal";
    page.goto(&server.url(&format!("{FAQ}{target}")));
    if let Err(e) = page.wait_for(&scrolled_to(target), SHORT) {
        panic!(
            "deep link {target} missed its heading ({}): {e}",
            scroll_state(&mut page, target)
        );
    }
    assert_eq!(page.console_errors(), Vec::<String>::new());
}

// ---- the static server the browser tests use ------------------------------------------

/// A raw HTTP/1.1 request; returns (status, headers, body).
fn http(server: &StaticServer, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connect");
    stream.set_read_timeout(Some(SHORT)).expect("timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, head, raw[split + 4..].to_vec())
}

#[test]
fn static_server_serves_like_a_static_host() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("root");
    std::fs::create_dir_all(root.join("guide/a b")).unwrap();
    std::fs::write(root.join("index.html"), "<p>home</p>").unwrap();
    std::fs::write(root.join("guide/index.html"), "<p>guide</p>").unwrap();
    std::fs::write(root.join("guide/a b/index.html"), "<p>spaced</p>").unwrap();
    std::fs::write(root.join("app.js"), "1").unwrap();
    std::fs::write(root.join("logo.svg"), "<svg/>").unwrap();
    std::fs::write(root.join("404.html"), "<p>missing</p>").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let server = StaticServer::start(&root);
    assert_eq!(
        server.url("/x/"),
        format!("http://127.0.0.1:{}/x/", server.port())
    );

    let (status, head, body) = http(&server, "GET", "/");
    assert_eq!((status, body.as_slice()), (200, b"<p>home</p>".as_slice()));
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert_eq!(http(&server, "GET", "/guide/?q=1").2, b"<p>guide</p>");
    assert_eq!(http(&server, "GET", "/guide/a%20b/").2, b"<p>spaced</p>");
    let (status, head, _) = http(&server, "GET", "/guide");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /guide/"), "{head}");
    assert!(http(&server, "GET", "/app.js")
        .1
        .contains("text/javascript"));
    assert!(http(&server, "GET", "/logo.svg")
        .1
        .contains("image/svg+xml"));
    let (status, head, body) = http(&server, "HEAD", "/app.js");
    assert_eq!((status, body.len()), (200, 0));
    assert!(head.contains("Content-Length: 1"), "{head}");

    let (status, _, body) = http(&server, "GET", "/nope/");
    assert_eq!(
        (status, body.as_slice()),
        (404, b"<p>missing</p>".as_slice())
    );
    for escape in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/guide/..%2f..%2fsecret.txt",
    ] {
        let (status, _, body) = http(&server, "GET", escape);
        assert!(status == 403 || status == 404, "{escape}: {status}");
        assert_ne!(body, b"secret", "{escape} escaped the folder");
    }
    assert_eq!(http(&server, "GET", "/%zz").0, 400);
    assert_eq!(http(&server, "POST", "/").0, 405);
    assert!(server.requests().contains(&"GET /guide 301".to_string()));
}

#[test]
fn browser_launch_skips_or_fails_clearly_without_chromium() {
    // Runs the harness in a child test process with DOCSHIFT_CHROMIUM pointing nowhere: it
    // must skip (exit 0, "skipped: chromium not found") unless DOCSHIFT_REQUIRE_BROWSER is
    // set, in which case it must fail with a clear message.
    if std::env::var_os("DOCSHIFT_BROWSER_PROBE").is_some() {
        assert!(
            Browser::launch().is_none(),
            "launched a browser from /nonexistent"
        );
        return;
    }
    let exe = std::env::current_exe().expect("test executable");
    let probe = |require: bool| {
        let mut cmd = std::process::Command::new(&exe);
        cmd.args([
            "--exact",
            "browser_launch_skips_or_fails_clearly_without_chromium",
            "--nocapture",
        ])
        .env("DOCSHIFT_BROWSER_PROBE", "1")
        .env("DOCSHIFT_CHROMIUM", "/nonexistent/chromium")
        .env_remove("DOCSHIFT_REQUIRE_BROWSER");
        if require {
            cmd.env("DOCSHIFT_REQUIRE_BROWSER", "1");
        }
        cmd.output().expect("run probe")
    };
    let skipped = probe(false);
    let stderr = String::from_utf8_lossy(&skipped.stderr);
    assert!(skipped.status.success(), "{stderr}");
    assert!(stderr.contains("skipped: chromium not found"), "{stderr}");
    let required = probe(true);
    let stderr =
        String::from_utf8_lossy(&required.stderr) + String::from_utf8_lossy(&required.stdout);
    assert!(!required.status.success(), "{stderr}");
    assert!(
        stderr.contains("DOCSHIFT_REQUIRE_BROWSER is set but Chromium was not found"),
        "{stderr}"
    );
}

// ---- the browser harness itself ---------------------------------------------------------

const HARNESS_PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness</title></head>
<body>
<form id="f"><input id="q" autocomplete="off"></form>
<button id="b" type="button">button</button>
<a id="next" href="next.html">next</a>
<script>
  window.log = [];
  const q = document.getElementById("q");
  document.addEventListener("keydown", (e) => log.push(
    `down:${e.key}:${e.code}:${e.keyCode}:${e.ctrlKey ? "C" : ""}${e.shiftKey ? "S" : ""}`));
  q.addEventListener("input", () => log.push("input:" + q.value));
  document.getElementById("f").addEventListener("submit", (e) => {
    e.preventDefault();
    log.push("submit:" + q.value);
  });
  document.getElementById("b").addEventListener("click", () => log.push("click"));
</script>
</body></html>"#;

#[test]
fn harness_drives_keyboard_and_mouse_and_reports_errors() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("index.html"), HARNESS_PAGE).unwrap();
    std::fs::write(tmp.path().join("next.html"), "<title>next</title>").unwrap();
    let server = StaticServer::start(tmp.path());
    let mut page = browser.new_page();
    page.goto(&server.url("/"));
    assert_eq!(page.title(), "harness");
    let log = |page: &mut common::browser::Page<'_>| -> Vec<String> {
        page.eval_as("log.splice(0)") // read and clear
    };

    // Mouse.
    page.click("#b");
    assert_eq!(log(&mut page), ["click"]);
    assert!(page.try_click("#absent").is_err());

    // Keyboard: printable keys carry text; Enter submits; shortcuts carry no text.
    page.focus("#q");
    page.type_text("aB/");
    assert_eq!(
        log(&mut page),
        [
            "down:a:KeyA:65:",
            "input:a",
            "down:B:KeyB:66:S",
            "input:aB",
            "down:/:Slash:191:",
            "input:aB/"
        ]
    );
    page.press("Enter");
    assert_eq!(log(&mut page), ["down:Enter:Enter:13:", "submit:aB/"]);
    page.press("Control+k");
    page.press("ArrowDown");
    page.press("Escape");
    assert_eq!(
        log(&mut page),
        [
            "down:Control:ControlLeft:17:C",
            "down:k:KeyK:75:C",
            "down:ArrowDown:ArrowDown:40:",
            "down:Escape:Escape:27:"
        ]
    );
    page.type_text("é");
    assert_eq!(page.eval("q.value"), "aB/é");
    assert!(page.try_press("Hyper+k").is_err());

    // Scripts: values, promises, exceptions.
    assert_eq!(page.eval("Promise.resolve(41 + 1)"), 42);
    assert_eq!(page.eval("undefined"), serde_json::Value::Null);
    match page.try_eval("null.x") {
        Err(BrowserError::Js(message)) => assert!(message.contains("TypeError"), "{message}"),
        other => panic!("expected a JS exception, got {other:?}"),
    }
    let timeout = page.wait_for("false", Duration::from_millis(100));
    assert!(
        matches!(timeout, Err(BrowserError::Timeout(_))),
        "{timeout:?}"
    );

    // Dialogs never block; console errors and uncaught exceptions are collected.
    assert_eq!(page.eval("alert('hi'), 1"), 1);
    assert_eq!(page.dialogs(), ["alert: hi"]);
    assert_eq!(page.console_errors(), Vec::<String>::new());
    page.eval("console.error('boom', 2)");
    page.eval("setTimeout(() => { window.done = true; throw new Error('late'); })");
    page.wait_for("window.done", SHORT).unwrap();
    let errors = page.console_errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("console.error: boom 2"), "{errors:?}");
    assert!(
        errors[1].starts_with("exception: Error: late"),
        "{errors:?}"
    );
    page.clear_console();
    assert!(page.console_errors().is_empty());

    // Navigations: a click that loads a page counts as a load; status; failures.
    let loads = page.loads();
    page.click("#next");
    page.wait_for_loads(loads + 1, SHORT).unwrap();
    assert!(page.url().ends_with("/next.html"), "{}", page.url());
    page.goto(&server.url("/missing.html"));
    assert_eq!(page.status(), 404);
    assert!(matches!(
        page.try_goto("http://127.0.0.1:1/"),
        Err(BrowserError::Navigation { .. })
    ));

    page.goto(&server.url("/next.html"));
    assert_eq!(page.title(), "next");
    let shot = tmp.path().join("shot.png");
    page.screenshot(&shot);
    assert!(std::fs::read(&shot).unwrap().starts_with(b"\x89PNG"));
}
