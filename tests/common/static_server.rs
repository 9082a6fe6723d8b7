//! A tiny static file server for browser tests, std only: serves a folder on
//! `127.0.0.1:<free port>` from a background thread until dropped.
//!
//! It behaves like the static hosts docshift sites are published on: `GET` and `HEAD`,
//! percent-decoded paths, `/dir/` → `dir/index.html` (and `/dir` → a 301 to `/dir/`), a
//! missing file → the folder's `404.html` with status 404 when there is one, the usual
//! Content-Types, `Cache-Control: no-store` (tests rebuild sites in place), and nothing
//! outside the folder is ever served (`..` segments and symlinks leaving it are refused).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Builds the site at `root` into `<tmp>/<under>` and serves `<tmp>`, so the site lives
/// under `/<under>/` as on a host that publishes it below a base path. Panics when the build
/// errors or fails; returns the build for tests that look at its findings.
pub fn build_and_serve(
    root: &Path,
    under: &str,
) -> (tempfile::TempDir, StaticServer, docshift::pipeline::Built) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let settings = super::settings_with_output(root, &tmp.path().join(under));
    let built = docshift::pipeline::build(&settings, docshift::pipeline::BuildOptions::default())
        .expect("build");
    assert!(!built.failed, "{:#?}", built.checked.diagnostics);
    let server = StaticServer::start(tmp.path());
    (tmp, server, built)
}

/// Builds the repository's own content (the default site) into a temporary folder and
/// serves it at the root. Panics when the build errors or fails.
pub fn serve_repo_site() -> (tempfile::TempDir, StaticServer) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    let settings = super::settings_with_output(&super::repo(), &site);
    let built = docshift::pipeline::build(&settings, docshift::pipeline::BuildOptions::default())
        .expect("build");
    assert!(!built.failed, "the default content failed to build");
    let server = StaticServer::start(&site);
    (tmp, server)
}

/// A running server; stops on drop.
#[derive(Debug)]
pub struct StaticServer {
    addr: SocketAddr,
    root: PathBuf,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `dir` on a free port of 127.0.0.1. Panics when the folder does not exist.
    pub fn start(dir: impl AsRef<Path>) -> StaticServer {
        let dir = dir.as_ref();
        let root = dir
            .canonicalize()
            .unwrap_or_else(|e| panic!("static server root {}: {e}", dir.display()));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (root, stop, requests) = (root.clone(), stop.clone(), requests.clone());
            std::thread::Builder::new()
                .name(format!("static-server-{}", addr.port()))
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        let (root, requests) = (root.clone(), requests.clone());
                        let _ = std::thread::Builder::new()
                            .name("static-server-conn".to_string())
                            .spawn(move || handle(stream, &root, &requests));
                    }
                })
                .expect("spawn server thread")
        };
        StaticServer {
            addr,
            root,
            stop,
            requests,
            thread: Some(thread),
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The served folder (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// An absolute URL for `path` (`"/guide/"` or `"guide/"` → `http://127.0.0.1:PORT/guide/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// Every request so far, as `"METHOD /target STATUS"`, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag; join only if the wake-up got through.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let Some(thread) = self.thread.take() {
            if woke {
                let _ = thread.join();
            }
        }
    }
}

/// A response before it is written.
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Serves one connection (one request; `Connection: close`).
fn handle(stream: TcpStream, root: &Path, requests: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half.take(64 * 1024));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return; // the accept loop's wake-up call, or a client that gave up
    }
    // Skip the headers: nothing in them changes the answer.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = match method {
        "GET" | "HEAD" => respond(root, target),
        _ => {
            let mut r = Response::text(405, "method not allowed\n");
            r.headers.push(("Allow", "GET, HEAD".to_string()));
            r
        }
    };
    if let Ok(mut log) = requests.lock() {
        log.push(format!("{method} {target} {}", response.status));
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&response.body);
    }
    let _ = stream.flush();
}

/// The response for a GET of `target` (HEAD sends the same without the body).
fn respond(root: &Path, target: &str) -> Response {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target.split('#').next().unwrap_or(target), None),
    };
    if !path.starts_with('/') {
        return Response::text(400, "bad request target\n");
    }
    let Some(decoded) = percent_decode(path) else {
        return Response::text(400, "bad percent-encoding\n");
    };
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Response::text(403, "forbidden\n"),
            s if s.contains('\0') => return Response::text(400, "bad path\n"),
            s => file.push(s),
        }
    }
    // Symlinks must not lead out of the folder either.
    if let Ok(real) = file.canonicalize() {
        if !real.starts_with(root) {
            return Response::text(403, "forbidden\n");
        }
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            let location = match query {
                Some(q) => format!("{path}/?{q}"),
                None => format!("{path}/"),
            };
            let mut r = Response::text(301, "moved\n");
            r.headers.push(("Location", location));
            return r;
        }
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) if file.is_file() => Response {
            status: 200,
            headers: vec![("Content-Type", content_type(&file).to_string())],
            body,
        },
        _ => not_found(root),
    }
}

/// The folder's `404.html` with status 404, or a plain-text 404.
fn not_found(root: &Path) -> Response {
    match std::fs::read(root.join("404.html")) {
        Ok(body) => Response {
            status: 404,
            headers: vec![("Content-Type", "text/html; charset=utf-8".to_string())],
            body,
        },
        Err(_) => Response::text(404, "not found\n"),
    }
}

/// Content-Type by extension (case-insensitive).
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a result that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}
