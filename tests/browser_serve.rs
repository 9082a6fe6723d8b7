//! `docshift serve` in headless Chromium: an edit appears without a manual reload, broken
//! front matter shows the error overlay with file:line, fixing it removes the overlay, and a
//! stylesheet edit changes the style without reloading (a marker set on `window` survives).
//!
//! Chromium is driven by `tests/browser/serve_e2e.js` (Node, DevTools protocol over a
//! pipe). Skipped when Chromium or Node is missing, unless `DOCSHIFT_REQUIRE_BROWSER=1`
//! (CI), which makes a missing browser a failure.

mod serve_support;

use serve_support::{write, Served};
use std::path::PathBuf;
use std::process::Command;

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().find_map(|name| {
        let out = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()?;
        let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
    })
}

#[test]
fn live_reload_overlay_and_stylesheet_swap_in_chromium() {
    let chromium = find(&["chromium", "chromium-browser", "google-chrome"]);
    let node = find(&["node", "nodejs"]);
    let (Some(chromium), Some(node)) = (chromium, node) else {
        assert!(
            std::env::var_os("DOCSHIFT_REQUIRE_BROWSER").is_none(),
            "DOCSHIFT_REQUIRE_BROWSER is set but Chromium or Node is missing"
        );
        eprintln!("skipped: Chromium or Node not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n# Home\n\nOriginal text.\n",
    );
    write(
        root,
        "static/docshift.css",
        "body { color: rgb(1, 2, 3); }\n",
    );
    let served = Served::start(root, &[]);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/serve_e2e.js");
    let out = Command::new(node)
        .arg(script)
        .arg(chromium)
        .arg(&served.url)
        .arg(root)
        .output()
        .expect("run node");
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{log}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(log.contains("ok: no reload for a stylesheet edit"), "{log}");
}
