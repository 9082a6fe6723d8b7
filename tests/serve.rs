//! `docshift serve` as a process: path traversal against the running server, live-reload
//! events, staying up through invalid input, Ctrl+C.

mod serve_support;

use serve_support::{get, small_site, write, Events, Served};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn traversal_and_listings_are_refused_by_the_running_server() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &[]);
    assert_eq!(get(served.addr, "/").status, 200);
    assert_eq!(get(served.addr, "/media/map.svg").status, 200);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/media/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/.%2e/secret.txt",
        "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        &format!("/{}", root.join("secret.txt").display()),
        "/C:/Windows/win.ini",
        "/site.yaml",
        "/content/index.md",
        "/index.md",
        "/media/",
        "/static/",
    ] {
        let reply = get(served.addr, target);
        assert_eq!(reply.status, 404, "{target}: {}", reply.head);
        assert!(
            !reply.text().contains("TOP-SECRET"),
            "{target} leaked a file"
        );
        assert!(!reply.text().contains("passwd"), "{target}");
    }
    let listing = get(served.addr, "/media/");
    assert!(!listing.text().contains("map.svg"), "no directory listings");
}

#[test]
fn pages_get_the_client_and_built_files_never_do() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &[]);
    let page = get(served.addr, "/guide/");
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("<script src=\"/__docshift/client.js\""));
    assert!(page
        .header("Content-Type")
        .unwrap_or_default()
        .contains("text/html"));
    let redirect = get(served.addr, "/guide");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/guide/"));
    let client = get(served.addr, "/__docshift/client.js");
    assert_eq!(client.status, 200);
    assert!(client.text().contains("new WebSocket("));
    let missing = get(served.addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("__docshift/client.js"),
        "the 404 page reloads too"
    );
    drop(served);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_docshift"))
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success());
    for entry in walkdir::WalkDir::new(root.join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__docshift"),
                "{} contains the serve client",
                entry.path().display()
            );
        }
    }
}

#[test]
fn edits_reload_and_errors_reach_the_overlay() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let mut served = Served::start(root, &[]);
    let mut events = Events::connect(served.addr);
    assert!(events.wait_for("hello", WAIT, |_| true).is_some());

    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n# Home\n\nEdited text.\n",
    );
    assert!(events.wait_for("reload", WAIT, |_| true).is_some());
    assert!(get(served.addr, "/").text().contains("Edited text."));

    write(
        root,
        "content/index.md",
        "---\ntitle: [unclosed\n---\n\n# Home\n\nBroken.\n",
    );
    let errors = events
        .wait_for("errors", WAIT, |d| d.contains("invalid-front-matter"))
        .expect("errors event");
    assert!(
        errors.contains("\"file\":\"index.md\"") && errors.contains("\"line\":3"),
        "{errors}"
    );
    // The page is built from its body, as DocFX does; the error stays in the overlay.
    let page = get(served.addr, "/").text();
    assert!(page.contains("Broken."), "the page shows its body");

    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n# Home\n\nFixed text. [Broken](guide.md#nope)\n",
    );
    assert!(events
        .wait_for("errors", WAIT, |d| d.contains("broken-anchor"))
        .is_some());
    assert!(
        get(served.addr, "/").text().contains("Fixed text."),
        "findings do not block output"
    );
    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n# Home\n\nClean text.\n",
    );
    assert!(events
        .wait_for("errors", WAIT, |d| d == "{\"errors\":[]}")
        .is_some());

    write(
        root,
        "static/docshift.css",
        "body { color: rgb(4, 5, 6); }\n",
    );
    let css = events.wait_for("css", WAIT, |_| true).expect("css event");
    assert!(css.contains("static/docshift.css"), "{css}");
    assert!(get(served.addr, "/static/docshift.css")
        .text()
        .contains("rgb(4, 5, 6)"));
    assert!(served.is_running());
}

#[test]
fn serve_survives_invalid_input_and_exits_cleanly_on_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let mut served = Served::start(root, &[]);
    let mut events = Events::connect(served.addr);
    assert!(events.wait_for("hello", WAIT, |_| true).is_some());

    // A binary file saved as Markdown.
    std::fs::write(
        root.join("content/binary.md"),
        [0xff_u8, 0xfe, 0x00, 0x81, b'\n', 0xc3],
    )
    .unwrap();
    assert!(events
        .wait_for("errors", WAIT, |d| d.contains("invalid-utf8"))
        .is_some());
    std::fs::remove_file(root.join("content/binary.md")).unwrap();
    assert!(events
        .wait_for("errors", WAIT, |d| d == "{\"errors\":[]}")
        .is_some());

    // Files that appear and disappear while rebuilds run.
    for i in 0..50 {
        write(root, &format!("content/flash-{}.md", i % 5), "# Flash\n");
        let _ = std::fs::remove_file(root.join(format!("content/flash-{}.md", (i + 2) % 5)));
    }
    for i in 0..5 {
        let _ = std::fs::remove_file(root.join(format!("content/flash-{i}.md")));
    }

    // A thousand saves in about a second.
    for i in 0..1000 {
        write(
            root,
            "content/guide.md",
            &format!("---\ntitle: Guide\n---\n\n# Guide\n\n## Setup\n\nSave {i}.\n"),
        );
        if i % 100 == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let deadline = std::time::Instant::now() + WAIT;
    while !get(served.addr, "/guide/").text().contains("Save 999.") {
        assert!(
            std::time::Instant::now() < deadline,
            "the last save is served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get(served.addr, "/flash-1/").status, 404);

    // The content folder disappears, then comes back.
    let content = root.join("content");
    let aside = root.join("content-aside");
    std::fs::rename(&content, &aside).unwrap();
    assert!(events
        .wait_for("errors", WAIT, |d| d.contains("does not exist"))
        .is_some());
    assert_eq!(
        get(served.addr, "/guide/").status,
        200,
        "the last good build stays"
    );
    std::fs::rename(&aside, &content).unwrap();
    assert!(events
        .wait_for("errors", WAIT, |d| d == "{\"errors\":[]}")
        .is_some());
    write(root, "content/index.md", "# Home\n\nBack again.\n");
    let deadline = std::time::Instant::now() + WAIT;
    while !get(served.addr, "/").text().contains("Back again.") {
        assert!(
            std::time::Instant::now() < deadline,
            "edits after the folder came back are seen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    assert!(served.is_running());
    assert_eq!(served.interrupt(), Some(0), "Ctrl+C exits with 0");
}

#[test]
fn the_polling_watcher_sees_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &["--watcher", "poll"]);
    let mut events = Events::connect(served.addr);
    assert!(events.wait_for("hello", WAIT, |_| true).is_some());
    std::thread::sleep(Duration::from_millis(400));
    write(root, "content/guide.md", "# Guide\n\nPolled edit.\n");
    assert!(events.wait_for("reload", WAIT, |_| true).is_some());
    assert!(get(served.addr, "/guide/").text().contains("Polled edit."));
    assert!(served.wait_line("rebuilt in", WAIT).is_some());
}

#[test]
fn serve_starts_without_content_and_keeps_configuration_errors_until_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "site.yaml", "title: Later\n");
    let served = Served::start(root, &[]);
    let mut events = Events::connect(served.addr);
    assert!(events
        .wait_for("errors", WAIT, |d| d.contains("does not exist"))
        .is_some());
    let waiting = get(served.addr, "/");
    assert_eq!(waiting.status, 503);
    assert!(
        waiting.text().contains("/__docshift/client.js"),
        "the page reloads once built"
    );

    write(root, "content/index.md", "# Home\n\nFirst page.\n");
    assert!(events.wait_for("reload", WAIT, |_| true).is_some());
    assert!(get(served.addr, "/").text().contains("First page."));

    write(root, "site.yaml", "titel: typo\n");
    assert!(events
        .wait_for("errors", WAIT, |d| d.contains("invalid configuration"))
        .is_some());
    write(root, "content/index.md", "# Home\n\nSecond page.\n");
    assert!(served.wait_line("invalid configuration", WAIT).is_some());
    assert!(
        served.wait_line("invalid configuration", WAIT).is_some(),
        "an edit while the configuration is broken retries the configuration"
    );
    assert!(
        events
            .next(Duration::from_millis(500))
            .is_none_or(|(name, data)| name != "errors" || data.contains("invalid configuration")),
        "the configuration error stays until fixed"
    );
    write(root, "site.yaml", "title: Fixed\n");
    assert!(events
        .wait_for("errors", WAIT, |d| d == "{\"errors\":[]}")
        .is_some());
    let deadline = std::time::Instant::now() + WAIT;
    while !get(served.addr, "/").text().contains("Second page.") {
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_editors_atomic_save_is_one_reload() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &[]);
    let mut events = Events::connect(served.addr);
    assert!(events.wait_for("hello", WAIT, |_| true).is_some());
    let content = root.join("content");
    // Swap file, backup copy, write to a temporary file, rename it over the page, clean up.
    std::fs::write(content.join(".guide.md.swp"), "swap").unwrap();
    std::fs::copy(content.join("guide.md"), content.join("guide.md~")).unwrap();
    std::fs::write(content.join("4913"), "").unwrap();
    std::fs::remove_file(content.join("4913")).unwrap();
    std::fs::write(
        content.join("guide.md.tmp"),
        "# Guide\n\nSaved atomically.\n",
    )
    .unwrap();
    std::fs::rename(content.join("guide.md.tmp"), content.join("guide.md")).unwrap();
    std::fs::remove_file(content.join("guide.md~")).unwrap();
    std::fs::remove_file(content.join(".guide.md.swp")).unwrap();
    assert!(events.wait_for("reload", WAIT, |_| true).is_some());
    assert!(get(served.addr, "/guide/")
        .text()
        .contains("Saved atomically."));
    let more = events.wait_for("reload", Duration::from_millis(1500), |_| true);
    assert!(more.is_none(), "one save, one reload");
    assert_eq!(get(served.addr, "/guide.md~").status, 404);
}
