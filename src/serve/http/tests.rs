use super::*;

fn site(path: &str) -> bool {
    [
        "index.html",
        "guide/index.html",
        "guide/setup/index.html",
        "static/docshift.css",
        "media/a b.svg",
    ]
    .contains(&path)
}

#[test]
fn pretty_urls_map_to_index_files() {
    assert_eq!(resolve("/", "/", site), Target::File("index.html".into()));
    assert_eq!(
        resolve("/guide/", "/", site),
        Target::File("guide/index.html".into())
    );
    assert_eq!(
        resolve("/guide/setup/?x=1#top", "/", site),
        Target::File("guide/setup/index.html".into())
    );
    assert_eq!(
        resolve("/guide/setup", "/", site),
        Target::Redirect("/guide/setup/".into())
    );
    assert_eq!(
        resolve("/static/docshift.css", "/", site),
        Target::File("static/docshift.css".into())
    );
    assert_eq!(
        resolve("/media/a%20b.svg", "/", site),
        Target::File("media/a b.svg".into())
    );
    assert_eq!(resolve("/missing/", "/", site), Target::NotFound);
}

#[test]
fn base_paths_are_stripped() {
    assert_eq!(
        resolve("/docs/guide/", "/docs/", site),
        Target::File("guide/index.html".into())
    );
    assert_eq!(
        resolve("/", "/docs/", site),
        Target::Redirect("/docs/".into())
    );
    assert_eq!(
        resolve("/docs", "/docs/", site),
        Target::Redirect("/docs/".into())
    );
    assert_eq!(resolve("/guide/", "/docs/", site), Target::NotFound);
    assert_eq!(resolve("/docsguide/", "/docs/", site), Target::NotFound);
}

#[test]
fn traversal_is_refused_raw_and_encoded() {
    let anything = |_: &str| true;
    for url in [
        "/../site.yaml",
        "/guide/../../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/.%2e/site.yaml",
        "/guide/%2e%2e%2f%2e%2e%2fsite.yaml",
        "/..%5csite.yaml",
        "/..\\site.yaml",
        "/%5c..%5csite.yaml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/C:/Windows/win.ini",
        "/c%3a/windows/win.ini",
        "/./index.html",
        "/a%00.html",
        "/%ff%fe",
        "etc/passwd",
        "http://evil.example/",
    ] {
        assert_eq!(resolve(url, "/", anything), Target::NotFound, "{url}");
    }
    // An empty segment right after the base path left an absolute path behind it.
    for url in ["/docs//etc/passwd", "/docs/%2fetc/passwd", "/docs/guide//x"] {
        assert_eq!(resolve(url, "/docs/", anything), Target::NotFound, "{url}");
    }
}

#[test]
fn the_client_goes_before_the_closing_body_tag() {
    let html = inject(b"<html><body><p>x</p></body></html>", 7);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains(
        "<script src=\"/__docshift/client.js\" data-generation=\"7\" defer></script>\n</body>"
    ));
    let bare = String::from_utf8(inject(b"<p>no body tag</p>", 1)).unwrap();
    assert!(bare.starts_with("<p>no body tag</p><script"));
}

#[test]
fn content_types() {
    assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(
        content_type("static/docshift.css"),
        "text/css; charset=utf-8"
    );
    assert_eq!(content_type("media/x.SVG"), "image/svg+xml");
    assert_eq!(content_type("archive.bin"), "application/octet-stream");
}
