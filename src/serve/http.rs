//! The HTTP side of `serve`. What to answer is decided here, by pure functions over the
//! request's method, target and headers ([`answer`]); [`server`] puts it on the wire
//! (hyper on tokio) and is the only part that knows which HTTP stack that is.
//!
//! Serves only the files of the last good build, by output path: rendered pages from
//! memory, copied files (assets, `static/`) read from the path the build recorded. A request
//! can only select one of those paths, so it can never read anything else; `..`, encoded
//! dots, backslashes and absolute paths are refused outright. No directory listings. HTML
//! responses get the live-reload client script; the built files themselves never contain
//! it. Requests that name a host other than this machine get 403 ([`hosts`]).

pub mod hosts;
pub mod server;

use super::hub::{Hub, Served};
pub use hosts::AllowedHosts;
pub use server::{start, HttpServer};

/// Path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__docshift/events";
/// Path of the live-reload client script.
pub const CLIENT_PATH: &str = "/__docshift/client.js";
const CLIENT_JS: &str = include_str!("client.js");

/// Bytes escaped in a redirect's `Location`: everything but unreserved characters and `/`.
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// This output file.
    File(String),
    /// Redirect to this URL (a folder without its trailing slash, the bare base path).
    Redirect(String),
    /// Nothing (or a refused path).
    NotFound,
}

/// Maps a request target to an output file. Pure; `exists` answers for output paths.
pub fn resolve(url: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Target {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    let Some(decoded) = decode(raw) else {
        return Target::NotFound;
    };
    let base = base_path.trim_end_matches('/');
    let Some(rel) = decoded.strip_prefix(base).and_then(|r| r.strip_prefix('/')) else {
        if decoded == base || decoded == "/" {
            return Target::Redirect(escape(base_path));
        }
        return Target::NotFound;
    };
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(rel) {
        return Target::File(rel.to_string());
    }
    if exists(&format!("{rel}/index.html")) {
        return Target::Redirect(format!("{}/{}/", escape(base), escape(rel)));
    }
    Target::NotFound
}

fn escape(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_ESCAPES).to_string()
}

/// Percent-decodes a request path and refuses anything that could name a file outside the
/// site: no `.`/`..` or empty segments (`/docs//etc/passwd` would leave `/etc/passwd` once
/// the base path is removed), no backslashes, no NUL, no drive letters.
fn decode(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let bad_segment = |s: &str| s == "." || s == ".." || s.contains(':');
    if decoded.contains(['\\', '\0'])
        || decoded.contains("//")
        || decoded[1..].split('/').any(bad_segment)
    {
        return None;
    }
    Some(decoded.into_owned())
}

/// One request, as far as [`answer`] looks at it.
#[derive(Debug, Clone, Copy)]
pub struct RequestHead<'a> {
    /// `GET`, `HEAD`, ...
    pub method: &'a str,
    /// The request target as sent (`/guide/?x=1`).
    pub target: &'a str,
    /// True for HTTP/1.0, which may omit `Host`.
    pub http10: bool,
    /// The `Host` header, if any.
    pub host: Option<&'a str>,
    /// The `Origin` header, if any.
    pub origin: Option<&'a str>,
}

/// What to send back.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// A complete response.
    Reply(Reply),
    /// Open a live-reload stream: a WebSocket when the request asks for one (what the
    /// browser client uses: it does not count against the browser's six connections per
    /// host), Server-Sent Events otherwise (for `curl` and tools).
    Events,
}

/// A complete response.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Date`.
    pub headers: Vec<(&'static str, String)>,
    /// The body (not sent for `HEAD`).
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, body: Vec<u8>, mime: &str) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", mime.to_string()),
                ("Cache-Control", "no-cache".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply::new(
            status,
            text.as_bytes().to_vec(),
            "text/plain; charset=utf-8",
        )
    }

    fn redirect(to: String) -> Reply {
        let mut reply = Reply::new(301, Vec::new(), "text/plain; charset=utf-8");
        reply.headers.push(("Location", to));
        reply
    }
}

/// Decides the answer to one request: host check, method, the reload endpoints, then the
/// site's files. May read a copied file from disk (the server calls it off its I/O threads).
pub fn answer(request: &RequestHead<'_>, hub: &Hub, hosts: &AllowedHosts) -> Answer {
    match request.host {
        Some(host) if !hosts.allows_host(host) => return Answer::Reply(forbidden(host)),
        None if !request.http10 => {
            return Answer::Reply(Reply::text(400, "bad request: no Host header\n"))
        }
        _ => {}
    }
    if !matches!(request.method, "GET" | "HEAD") {
        let mut reply = Reply::text(405, "method not allowed\n");
        reply.headers.push(("Allow", "GET, HEAD".to_string()));
        return Answer::Reply(reply);
    }
    let path = request.target.split('?').next().unwrap_or_default();
    if path == EVENTS_PATH {
        if let Some(origin) = request.origin.filter(|o| !hosts.allows_origin(o)) {
            return Answer::Reply(forbidden(origin));
        }
        return match request.method {
            "GET" => Answer::Events,
            _ => Answer::Reply(Reply::new(200, Vec::new(), "text/event-stream")),
        };
    }
    if path == CLIENT_PATH {
        return Answer::Reply(Reply::new(
            200,
            CLIENT_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        ));
    }
    Answer::Reply(match hub.served() {
        Some(served) => site_reply(request.target, &served),
        None => Reply::new(
            503,
            inject(b"<!DOCTYPE html><title>docshift</title><p>The site has not been built yet; the errors are listed above.</p>", 0),
            "text/html; charset=utf-8",
        ),
    })
}

/// 403 for a request naming another host; says how to allow it, shows nothing of the site.
fn forbidden(host: &str) -> Reply {
    let shown: String = host
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(200)
        .collect();
    Reply::text(
        403,
        &format!(
            "forbidden: this docshift preview answers only requests for this machine, not for \"{shown}\" \
             (a page on another site may be trying to read it); if you opened it by that name, \
             restart with --allow-host NAME\n"
        ),
    )
}

fn site_reply(url: &str, served: &Served) -> Reply {
    let exists = |p: &str| served.files.contains_key(p);
    match resolve(url, &served.base_path, exists) {
        Target::File(path) => match read(served, &path) {
            Some(body) => file_reply(200, &path, body, served.generation),
            None => not_found(served),
        },
        Target::Redirect(to) => Reply::redirect(to),
        Target::NotFound => not_found(served),
    }
}

fn not_found(served: &Served) -> Reply {
    match read(served, "404.html") {
        Some(body) => file_reply(404, "404.html", body, served.generation),
        None => Reply::text(404, "not found"),
    }
}

fn read(served: &Served, path: &str) -> Option<Vec<u8>> {
    // A copy's source path was recorded by the build, never taken from the request.
    served.files.get(path)?.contents.read().ok()
}

fn file_reply(status: u16, path: &str, body: Vec<u8>, generation: u64) -> Reply {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        inject(&body, generation)
    } else {
        body
    };
    Reply::new(status, body, mime)
}

/// Adds the live-reload client before `</body>` (or at the end).
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"{CLIENT_PATH}\" data-generation=\"{generation}\" defer></script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The content type of an output file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
