//! The redirect page in headless Chromium: each old fragment of a fixture set whose targets
//! are pages of the site lands where the mapping says; an unsupported one shows its note and
//! an unknown one the explanation. Skipped when Chromium is missing, unless
//! `DOCSHIFT_REQUIRE_BROWSER=1` (CI) makes that a failure.
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tiny static file server on 127.0.0.1 for one built site (folder indexes served).
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split(['?', '#']).next().unwrap_or("/");
            let mut file = root.join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                file = file.join("index.html");
            }
            let (status, body) = match std::fs::read(&file) {
                Ok(b) => ("200 OK", b),
                Err(_) => ("404 Not Found", b"not found".to_vec()),
            };
            let kind = match file.extension().and_then(|x| x.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    port
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|name| Path::new("/usr/bin").join(name))
        .find(|p| p.is_file())
}

/// The DOM after the page (and any redirect it makes) has settled.
fn dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn title(dom: &str) -> &str {
    let start = dom.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = dom[start..].find("</title>").map_or(start, |i| start + i);
    &dom[start..end]
}

#[test]
fn redirect_page_sends_each_fragment_where_the_mapping_says() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("DOCSHIFT_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "DOCSHIFT_REQUIRE_BROWSER=1 but no Chromium is installed"
        );
        eprintln!("skipped: no Chromium");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let settings = docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(common::fixture("migration/redirect")),
        output: Some(out.clone()),
        ..Default::default()
    })
    .unwrap();
    let built = docshift::pipeline::build(&settings, Default::default()).unwrap();
    assert!(!built.failed);
    let port = serve(out);
    let page = |fragment: &str| {
        dom(
            &browser,
            &format!("http://127.0.0.1:{port}/redirects/old-portal-to-guide/#{fragment}"),
        )
    };
    for (fragment, lands_on, landed) in [
        (
            "setup",
            "Guide - Redirect fixture",
            "landed:/guide/#step-one",
        ),
        (
            "setup/advanced",
            "Guide - Redirect fixture",
            "landed:/guide/#step-two",
        ),
        (
            "setup/advanced/more",
            "Guide - Redirect fixture",
            "landed:/guide/#step-two",
        ),
        ("home", "Home - Redirect fixture", "landed:/"),
    ] {
        let dom = page(fragment);
        assert_eq!(title(&dom), lands_on, "#{fragment}:\n{dom}");
        assert!(
            dom.contains(&format!("{landed}</p>")),
            "#{fragment} should land on {landed}:\n{dom}"
        );
    }
    // The home page holds the mapping explorer: the script enabled its filter.
    let home = page("home");
    assert!(home.contains("7 of 7 entries shown"), "{home}");
    assert!(home.contains("class=\"copy-url\" data-copy=\"https://old.example/#setup\""));
    let gone = page("gone");
    assert!(gone.contains("redirect-unsupported"), "{gone}");
    assert!(gone.contains("The old portal's gone page has no successor."));
    let unknown = page("nowhere");
    assert!(unknown.contains("redirect-unknown"), "{unknown}");
    assert!(unknown.contains("is not in the list of Old Portal pages that moved to Guide"));
    assert!(
        unknown.contains("href=\"/old/\""),
        "links to the page with the table"
    );
}
