//! The browser harness itself: when a page never finishes loading, the failure says how far
//! the navigation got, so a stalled test can be told from a slow one.
//!
//! Skips (with a note on stderr) when Chromium is not installed, unless
//! `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;

use common::browser::{Browser, BrowserError};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::time::Duration;

/// A page whose parser-blocking script never arrives: the server sends the HTML, then
/// holds every other request open without answering.
#[test]
fn a_load_that_never_comes_reports_the_lifecycle_it_saw() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let _ = BufReader::new(&stream).read_line(&mut request);
            if request.starts_with("GET / ") {
                let body = "<!DOCTYPE html><title>Stalled</title><script src=\"/never.js\"></script><p>after";
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            } else {
                held.push(stream);
            }
        }
    });
    let mut page = browser.new_page();
    page.set_timeout(Duration::from_secs(2));
    let error = page
        .try_goto(&format!("http://{addr}/"))
        .expect_err("the load event never comes");
    let BrowserError::Timeout(message) = error else {
        panic!("a timeout, not {error}");
    };
    assert!(
        message.contains("load event of") && message.contains("lifecycle events seen: [init"),
        "{message}"
    );
    assert!(
        message.contains("document.readyState \"loading\""),
        "the page answers while its parser waits for the script: {message}"
    );
}
