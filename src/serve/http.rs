//! The HTTP side of `serve` (tiny_http: synchronous, no async runtime). Serves only the
//! files of the last good build, by output path: rendered pages from memory, copied files
//! (assets, `static/`) read from the path the build recorded. A request can only select
//! one of those paths, so it can never read anything else; `..`, encoded dots, backslashes
//! and absolute paths are refused outright. No directory listings. HTML responses get the
//! live-reload client script; the built files themselves never contain it.

use super::hub::{Hub, Served, Wake};
use crate::error::{Error, Result};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// Path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__docshift/events";
/// Path of the live-reload client script.
pub const CLIENT_PATH: &str = "/__docshift/client.js";
const CLIENT_JS: &str = include_str!("client.js");
const WORKERS: usize = 4;
/// How often an idle event stream sends a comment, to notice closed clients.
const KEEPALIVE: Duration = Duration::from_secs(15);

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
/// site: no `.`/`..` segments, no backslashes, no NUL, no `//`, no drive letters.
fn decode(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let bad_segment = |s: &str| s == "." || s == ".." || s.contains(':');
    if decoded.contains(['\\', '\0'])
        || decoded.starts_with("//")
        || decoded[1..].split('/').any(bad_segment)
    {
        return None;
    }
    Some(decoded.into_owned())
}

/// The running HTTP server; stop it with [`HttpServer::stop`].
pub struct HttpServer {
    server: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
}

/// Binds `addr` and starts the worker threads.
pub fn start(addr: SocketAddr, hub: Arc<Hub>) -> Result<HttpServer> {
    let server = tiny_http::Server::http(addr).map_err(|e| Error::Bind {
        addr: addr.to_string(),
        message: e.to_string(),
    })?;
    let bound = server.server_addr().to_ip().unwrap_or(addr);
    let server = Arc::new(server);
    let workers = (0..WORKERS)
        .map(|_| {
            let (server, hub) = (server.clone(), hub.clone());
            std::thread::spawn(move || worker(&server, &hub))
        })
        .collect();
    Ok(HttpServer {
        server,
        workers,
        addr: bound,
    })
}

impl HttpServer {
    /// Stops accepting requests and waits for the workers (the hub must be shut down first,
    /// which ends the event streams).
    pub fn stop(self) {
        for _ in &self.workers {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}

fn worker(server: &tiny_http::Server, hub: &Arc<Hub>) {
    loop {
        match server.recv_timeout(Duration::from_millis(250)) {
            Ok(Some(request)) => handle(request, hub),
            Ok(None) if hub.is_shut_down() => return,
            Ok(None) => {}
            Err(_) => return,
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header values are ASCII")
}

fn handle(request: Request, hub: &Arc<Hub>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let path = request
        .url()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    if path == EVENTS_PATH {
        let hub = hub.clone();
        std::thread::spawn(move || event_stream(request, &hub));
        return;
    }
    if path == CLIENT_PATH {
        let _ = request.respond(bytes_response(
            200,
            CLIENT_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        ));
        return;
    }
    let response = match hub.served() {
        Some(served) => site_response(request.url(), &served),
        None => bytes_response(
            503,
            inject(b"<!DOCTYPE html><title>docshift</title><p>The site has not been built yet; the errors are listed above.</p>", 0),
            "text/html; charset=utf-8",
        ),
    };
    let _ = request.respond(response);
}

fn site_response(url: &str, served: &Served) -> Response<std::io::Cursor<Vec<u8>>> {
    let exists = |p: &str| served.files.contains_key(p);
    match resolve(url, &served.base_path, exists) {
        Target::File(path) => match read(served, &path) {
            Some(body) => file_response(200, &path, body, served.generation),
            None => not_found(served),
        },
        Target::Redirect(to) => Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(header("Location", &to)),
        Target::NotFound => not_found(served),
    }
}

fn not_found(served: &Served) -> Response<std::io::Cursor<Vec<u8>>> {
    match read(served, "404.html") {
        Some(body) => file_response(404, "404.html", body, served.generation),
        None => bytes_response(404, b"not found".to_vec(), "text/plain; charset=utf-8"),
    }
}

fn read(served: &Served, path: &str) -> Option<Vec<u8>> {
    // A copy's source path was recorded by the build, never taken from the request.
    served.files.get(path)?.contents.read().ok()
}

fn file_response(
    status: u16,
    path: &str,
    body: Vec<u8>,
    generation: u64,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        inject(&body, generation)
    } else {
        body
    };
    bytes_response(status, body, mime)
}

fn bytes_response(status: u16, body: Vec<u8>, mime: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", mime))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
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

/// One live-reload client: the response head by hand, then events as they happen.
fn event_stream(request: Request, hub: &Hub) {
    let mut w = request.into_writer();
    let (mut seen, generation, errors) = hub.subscribe();
    let hello = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nretry: 500\n\nevent: hello\ndata: {{\"generation\":{generation}}}\n\n{}",
        super::hub::Event::Errors(errors).to_sse()
    );
    if w.write_all(hello.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let text = match hub.wait(seen, KEEPALIVE) {
            Wake::Shutdown => return,
            Wake::Timeout => ": keep-alive\n\n".to_string(),
            Wake::Events(last, events) => {
                seen = last;
                events.iter().map(|e| e.to_sse()).collect()
            }
        };
        if w.write_all(text.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
