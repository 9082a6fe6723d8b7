//! A small headless-Chromium harness for end-to-end tests, speaking the Chrome DevTools
//! Protocol (CDP) over a synchronous WebSocket (`tungstenite`).
//!
//! ```ignore
//! let Some(browser) = Browser::launch() else { return }; // prints "skipped: ..." itself
//! let mut page = browser.new_page();
//! page.goto(&server.url("/guide/"));                      // waits for the load event
//! page.click(".theme-toggle");                            // real mouse events
//! page.press("Control+k");                                 // real key events
//! page.type_text("partner");
//! page.wait_for("document.querySelectorAll('.hit').length > 0", Duration::from_secs(5))
//!     .unwrap();
//! assert_eq!(page.eval("document.title"), "Guide - Docs");
//! assert_eq!(page.console_errors(), Vec::<String>::new());
//! ```
//!
//! * **Finding Chromium.** `DOCSHIFT_CHROMIUM` names the executable (an explicit path that
//!   does not exist counts as "not installed"); otherwise `chromium`, `chromium-browser`,
//!   `google-chrome-stable` or `google-chrome` on `PATH`. When none is found,
//!   [`Browser::launch`] prints `skipped: chromium not found` to stderr and returns `None`,
//!   unless `DOCSHIFT_REQUIRE_BROWSER` is set (CI sets it), in which case it panics.
//! * **Isolation.** Every [`Browser`] is its own Chromium process group with a fresh profile
//!   in a temporary folder (in memory under `/dev/shm` when there is one), a 1280×900 window and the DevTools port chosen by Chromium
//!   (`--remote-debugging-port=0`, read back from `DevToolsActivePort`). Dropping it kills
//!   that process group (and nothing else) and deletes the profile. There is no global state:
//!   tests run in parallel, each with its own browser.
//! * **Timeouts.** Every CDP call and every navigation gives up after
//!   [`Page::set_timeout`] (default [`DEFAULT_TIMEOUT`]); [`Page::wait_for`] polls a JavaScript
//!   condition until a deadline instead of sleeping.
//! * **Errors.** Methods panic with a descriptive message (they are test helpers); the
//!   `try_*` variants and [`Page::wait_for`] return [`BrowserError`] instead. A JavaScript
//!   exception in [`Page::eval`] is a failure that carries the exception's message.
//! * **Events.** Console errors, uncaught exceptions and failed resource loads are collected
//!   per page ([`Page::console_errors`]); `alert`/`confirm`/`prompt` dialogs are accepted at
//!   once so a page can never hang the test ([`Page::dialogs`]); main-frame load events are
//!   counted ([`Page::loads`]) so a test can tell that a page reloaded itself.

use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// Default limit for one CDP call or one navigation.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long Chromium may take to start and announce its DevTools port.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a diagnostic probe of a page that failed a wait may take.
const SHORT_PROBE: Duration = Duration::from_secs(2);

/// How often [`Page::wait_for`] re-evaluates its condition.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// Window size of every browser (wide enough for the three-column desktop layout).
pub const WINDOW_SIZE: (u32, u32) = (1280, 900);

/// Why a browser operation failed.
#[derive(Debug, Clone, PartialEq)]
pub enum BrowserError {
    /// Nothing answered in time.
    Timeout(String),
    /// Chromium answered a CDP call with an error.
    Protocol {
        /// The CDP method.
        method: String,
        /// Chromium's message.
        message: String,
    },
    /// The page threw (or rejected a promise) while evaluating a script.
    Js(String),
    /// A navigation failed at the network level (`net::ERR_CONNECTION_REFUSED`, ...).
    Navigation {
        /// The URL.
        url: String,
        /// Chromium's error text.
        error: String,
    },
    /// The connection to Chromium closed, or the page crashed.
    Closed(String),
    /// Any other I/O or WebSocket failure.
    Io(String),
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrowserError::Timeout(what) => write!(f, "timed out: {what}"),
            BrowserError::Protocol { method, message } => write!(f, "{method} failed: {message}"),
            BrowserError::Js(message) => write!(f, "JavaScript exception: {message}"),
            BrowserError::Navigation { url, error } => {
                write!(f, "navigation to {url} failed: {error}")
            }
            BrowserError::Closed(what) => write!(f, "browser connection closed: {what}"),
            BrowserError::Io(what) => write!(f, "browser I/O error: {what}"),
        }
    }
}

impl std::error::Error for BrowserError {}

/// Result of browser operations.
pub type Result<T, E = BrowserError> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------------------
// CDP connection
// ---------------------------------------------------------------------------------------

/// One CDP WebSocket connection: numbered calls matched to their responses by `id`, with
/// the events that arrive in between buffered in order.
struct Cdp {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    events: VecDeque<Value>,
}

impl Cdp {
    /// Connects to a `ws://127.0.0.1:PORT/devtools/...` URL.
    fn connect(url: &str, timeout: Duration) -> Result<Cdp> {
        let rest = url
            .strip_prefix("ws://")
            .ok_or_else(|| BrowserError::Io(format!("not a ws:// URL: {url}")))?;
        let host = rest.split('/').next().unwrap_or(rest);
        let addr = host
            .to_socket_addrs()
            .map_err(|e| BrowserError::Io(format!("resolve {host}: {e}")))?
            .next()
            .ok_or_else(|| BrowserError::Io(format!("no address for {host}")))?;
        let stream = TcpStream::connect_timeout(&addr, timeout)
            .map_err(|e| BrowserError::Io(format!("connect {url}: {e}")))?;
        let set = |r: std::io::Result<()>| r.map_err(|e| BrowserError::Io(e.to_string()));
        set(stream.set_read_timeout(Some(timeout)))?;
        set(stream.set_write_timeout(Some(timeout)))?;
        set(stream.set_nodelay(true))?;
        let (ws, _response) = tungstenite::client(url, stream).map_err(|e| match e {
            tungstenite::HandshakeError::Interrupted(_) => {
                BrowserError::Timeout(format!("WebSocket handshake with {url}"))
            }
            tungstenite::HandshakeError::Failure(e) => {
                BrowserError::Io(format!("WebSocket handshake with {url}: {e}"))
            }
        })?;
        Ok(Cdp {
            ws,
            next_id: 1,
            events: VecDeque::new(),
        })
    }

    /// Sends a command without waiting for its answer; returns its id.
    fn send(&mut self, method: &str, params: Value) -> Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        let text = json!({ "id": id, "method": method, "params": params }).to_string();
        self.ws
            .send(Message::text(text))
            .map_err(|e| BrowserError::Io(format!("send {method}: {e}")))?;
        Ok(id)
    }

    /// Sends a command and waits for its result (events that arrive meanwhile are buffered).
    fn call(&mut self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        let id = self.send(method, params)?;
        let deadline = Instant::now() + timeout;
        loop {
            let Some(message) = self.next_message(deadline)? else {
                return Err(BrowserError::Timeout(format!(
                    "no answer to {method} within {timeout:?}"
                )));
            };
            if message.get("id").and_then(Value::as_u64) != Some(id) {
                continue; // an event (already buffered) or the answer to a fire-and-forget call
            }
            if let Some(error) = message.get("error") {
                return Err(BrowserError::Protocol {
                    method: method.to_string(),
                    message: error["message"]
                        .as_str()
                        .unwrap_or("unknown error")
                        .to_string(),
                });
            }
            return Ok(message.get("result").cloned().unwrap_or(Value::Null));
        }
    }

    /// Reads one message before `deadline` (`None` when the deadline passes first). Events
    /// are also pushed to the buffer; JavaScript dialogs are accepted at once.
    fn next_message(&mut self, deadline: Instant) -> Result<Option<Value>> {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            let wait = (deadline - now).max(Duration::from_millis(1));
            self.ws
                .get_mut()
                .set_read_timeout(Some(wait))
                .map_err(|e| BrowserError::Io(e.to_string()))?;
            let text = match self.ws.read() {
                Ok(Message::Text(text)) => text.as_str().to_owned(),
                Ok(Message::Binary(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                Ok(Message::Close(frame)) => {
                    return Err(BrowserError::Closed(format!("{frame:?}")));
                }
                Ok(_) => continue, // ping, pong, raw frame
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    continue; // the loop checks the deadline
                }
                Err(
                    e @ (tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed),
                ) => {
                    return Err(BrowserError::Closed(e.to_string()));
                }
                Err(e) => return Err(BrowserError::Io(e.to_string())),
            };
            let message: Value = serde_json::from_str(&text)
                .map_err(|e| BrowserError::Io(format!("invalid CDP message ({e}): {text}")))?;
            match message.get("method").and_then(Value::as_str) {
                Some("Page.javascriptDialogOpening") => {
                    // A pending dialog blocks the page (and any Runtime.evaluate): accept it.
                    self.send("Page.handleJavaScriptDialog", json!({ "accept": true }))?;
                }
                Some("Inspector.targetCrashed") => {
                    return Err(BrowserError::Closed("the page crashed".to_string()));
                }
                _ => {}
            }
            if message.get("method").is_some() {
                self.events.push_back(message.clone());
            }
            return Ok(Some(message));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------

/// A headless Chromium process with a fresh profile; killed (with its helpers) on drop.
pub struct Browser {
    child: Child,
    port: u16,
    cdp: RefCell<Cdp>,
    /// Holds `profile/` (the user-data-dir) and `chromium.log` (its stderr).
    dir: Option<tempfile::TempDir>,
}

impl fmt::Debug for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Browser")
            .field("pid", &self.child.id())
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// True when `DOCSHIFT_REQUIRE_BROWSER` is set to anything but empty, `0` or `false`.
pub fn browser_required() -> bool {
    std::env::var("DOCSHIFT_REQUIRE_BROWSER")
        .map(|v| !matches!(v.trim(), "" | "0" | "false"))
        .unwrap_or(false)
}

/// The Chromium executable to use, if one is installed (see the module docs).
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("DOCSHIFT_CHROMIUM").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(explicit);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome-stable",
        "google-chrome",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|candidate| candidate.is_file())
}

/// Where Chromium's profile and temporary files go: `/dev/shm` when it is a writable
/// folder (memory-backed on Linux), else the usual temporary folder. Nothing a test does
/// then waits on the disk, which a parallel build may be flooding with writes (page loads
/// were seen to stall for more than 30 s with the page's main thread blocked, not busy).
/// A small `/dev/shm` (64 MiB in a default Docker container) is not used: Chromium's shared
/// memory would fill it.
fn memory_backed_temp_dir() -> PathBuf {
    /// Room `/dev/shm` must have for a few browsers' profiles and shared memory.
    const ENOUGH: u64 = 1 << 30;
    let shm = Path::new("/dev/shm");
    let writable = tempfile::Builder::new()
        .prefix("docshift-probe-")
        .tempfile_in(shm)
        .is_ok();
    if writable && available_bytes(shm).is_some_and(|n| n >= ENOUGH) {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// Bytes available to unprivileged users on the file system holding `dir`.
fn available_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `stats` is a valid, writable statvfs.
    let status = unsafe { libc::statvfs(path.as_ptr(), &mut stats) };
    #[allow(
        clippy::useless_conversion,
        reason = "the field types are u64 on 64-bit Linux, narrower elsewhere"
    )]
    let bytes = u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize));
    (status == 0).then_some(bytes)
}

impl Browser {
    /// Starts headless Chromium. Returns `None` (after printing `skipped: chromium not found`
    /// to stderr) when Chromium is not installed and `DOCSHIFT_REQUIRE_BROWSER` is not set;
    /// panics when it is set, or when an installed Chromium fails to start.
    pub fn launch() -> Option<Browser> {
        let Some(exe) = find_chromium() else {
            let test = std::thread::current()
                .name()
                .unwrap_or("browser test")
                .to_string();
            if browser_required() {
                panic!(
                    "{test}: DOCSHIFT_REQUIRE_BROWSER is set but Chromium was not found \
                     (DOCSHIFT_CHROMIUM or chromium on PATH); install it with \
                     `apt-get install chromium`"
                );
            }
            // Straight to the stderr handle: libtest captures `eprintln!`, and a skip should
            // be visible in a normal `cargo test` run.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: chromium not found ({test}; install chromium or set DOCSHIFT_CHROMIUM)"
            );
            return None;
        };
        match Browser::start(&exe) {
            Ok(browser) => Some(browser),
            Err(e) => panic!("could not start {}: {e}", exe.display()),
        }
    }

    /// Starts the given Chromium executable.
    fn start(exe: &Path) -> Result<Browser, String> {
        let dir = tempfile::Builder::new()
            .prefix("docshift-chromium-")
            .tempdir_in(memory_backed_temp_dir())
            .map_err(|e| format!("temp dir: {e}"))?;
        let profile = dir.path().join("profile");
        let log_path = dir.path().join("chromium.log");
        std::fs::create_dir(&profile).map_err(|e| format!("create profile dir: {e}"))?;
        let log = std::fs::File::create(&log_path).map_err(|e| format!("create log: {e}"))?;
        let child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                // A page under test is never a background page: no lowered priority, no
                // throttled timers, no hang monitor (what Puppeteer and Playwright pass).
                "--disable-renderer-backgrounding",
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-ipc-flooding-protection",
                "--disable-hang-monitor",
                "--disable-breakpad",
                "--password-store=basic",
                "--use-mock-keychain",
                "--remote-debugging-port=0",
            ])
            // Chromium's own temporary files (shared memory, with the flag above) beside
            // its profile, in memory when the machine has a memory-backed folder.
            .env("TMPDIR", dir.path())
            .arg(format!("--window-size={},{}", WINDOW_SIZE.0, WINDOW_SIZE.1))
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            // Its own process group, so that drop can end Chromium's helper processes too.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("spawn: {e}"))?;
        // From here on `guard` owns the child: every early return kills it.
        let mut guard = StartGuard {
            child: Some(child),
            dir: Some(dir),
        };
        let fail = |guard: &mut StartGuard, why: String| -> String {
            guard.kill();
            format!(
                "{why}\n--- chromium stderr (tail) ---\n{}",
                tail_of(&log_path, 40)
            )
        };

        let port_file = profile.join("DevToolsActivePort");
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(Ok(port)), Some(path)) =
                    (lines.next().map(|l| l.trim().parse::<u16>()), lines.next())
                {
                    if path.starts_with("/devtools/") {
                        break (port, path.trim().to_string());
                    }
                }
            }
            if let Ok(Some(status)) = guard.child.as_mut().map_or(Ok(None), Child::try_wait) {
                return Err(fail(
                    &mut guard,
                    format!("chromium exited at startup ({status})"),
                ));
            }
            if Instant::now() >= deadline {
                return Err(fail(
                    &mut guard,
                    format!("no DevToolsActivePort within {STARTUP_TIMEOUT:?}"),
                ));
            }
            std::thread::sleep(POLL_INTERVAL);
        };
        let url = format!("ws://127.0.0.1:{port}{path}");
        let cdp = match Cdp::connect(&url, DEFAULT_TIMEOUT) {
            Ok(cdp) => cdp,
            Err(e) => return Err(fail(&mut guard, e.to_string())),
        };
        let (child, dir) = guard.disarm();
        Ok(Browser {
            child,
            port,
            cdp: RefCell::new(cdp),
            dir: Some(dir),
        })
    }

    /// The DevTools port (for debugging with `chrome://inspect`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Chromium's product string, e.g. `HeadlessChrome/148.0.7778.167`.
    pub fn version(&self) -> String {
        let result = self.browser_call("Browser.getVersion", json!({}));
        result["product"].as_str().unwrap_or_default().to_string()
    }

    /// Opens a new tab on `about:blank` with console, load and dialog tracking enabled.
    pub fn new_page(&self) -> Page<'_> {
        self.try_new_page()
            .unwrap_or_else(|e| panic!("new page: {e}"))
    }

    /// [`Browser::new_page`] returning the error.
    pub fn try_new_page(&self) -> Result<Page<'_>> {
        let target = self.cdp.borrow_mut().call(
            "Target.createTarget",
            json!({ "url": "about:blank" }),
            DEFAULT_TIMEOUT,
        )?;
        let target_id = target["targetId"]
            .as_str()
            .ok_or_else(|| BrowserError::Io(format!("no targetId in {target}")))?
            .to_string();
        let url = format!("ws://127.0.0.1:{}/devtools/page/{target_id}", self.port);
        let cdp = Cdp::connect(&url, DEFAULT_TIMEOUT)?;
        let mut page = Page {
            browser: self,
            target_id,
            cdp,
            main_frame: String::new(),
            timeout: DEFAULT_TIMEOUT,
            console: Vec::new(),
            dialogs: Vec::new(),
            loads: 0,
        };
        page.call("Page.enable", json!({}))?;
        page.call("Page.setLifecycleEventsEnabled", json!({ "enabled": true }))?;
        page.call("Runtime.enable", json!({}))?;
        page.call("Log.enable", json!({}))?;
        let tree = page.call("Page.getFrameTree", json!({}))?;
        page.main_frame = tree["frameTree"]["frame"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        // Round trip so replayed events about about:blank are in, then start counting.
        page.try_eval("0")?;
        page.loads = 0;
        Ok(page)
    }

    fn browser_call(&self, method: &str, params: Value) -> Value {
        self.cdp
            .borrow_mut()
            .call(method, params, DEFAULT_TIMEOUT)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.child);
        if let Some(dir) = self.dir.take() {
            remove_dir_patiently(dir);
        }
    }
}

/// Owns a starting Chromium until `Browser` takes it; kills it on an early return.
struct StartGuard {
    child: Option<Child>,
    dir: Option<tempfile::TempDir>,
}

impl StartGuard {
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_group(&mut child);
        }
    }

    fn disarm(mut self) -> (Child, tempfile::TempDir) {
        let child = self.child.take().expect("child");
        let dir = self.dir.take().expect("dir");
        (child, dir)
    }
}

impl Drop for StartGuard {
    fn drop(&mut self) {
        self.kill();
        if let Some(dir) = self.dir.take() {
            remove_dir_patiently(dir);
        }
    }
}

/// SIGKILLs Chromium's process group (its renderers and zygotes too), then reaps Chromium.
/// The group is signalled before the reap, while its leader's pid cannot have been reused.
fn kill_group(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = child.kill(); // in case `kill` is not installed
    }
    let _ = child.wait();
}

/// Removes the profile folder; helpers that were just killed may still be closing files in
/// it, so a failed removal is retried for a moment before the folder is left behind.
fn remove_dir_patiently(dir: tempfile::TempDir) {
    let path = dir.keep();
    let deadline = Instant::now() + Duration::from_secs(2);
    while std::fs::remove_dir_all(&path).is_err() && path.exists() && Instant::now() < deadline {
        std::thread::sleep(POLL_INTERVAL);
    }
}

/// The last `lines` lines of a log file.
fn tail_of(path: &Path, lines: usize) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

// ---------------------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------------------

/// A console message, uncaught exception or browser log entry seen by a page.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleMessage {
    /// `console.error`, `console.warning`, `console.log`, ..., `exception` or `log.error`,
    /// `log.warning`, ... (browser log: failed loads, CSP, ...).
    pub kind: String,
    /// The text, with the source location when Chromium gives one.
    pub text: String,
}

impl ConsoleMessage {
    /// Errors: `console.error`, `console.assert`, uncaught exceptions, browser log errors
    /// (failed loads, ...), except a missing `/favicon.ico`, which the browser requests on
    /// its own for every page that names no icon.
    pub fn is_error(&self) -> bool {
        match self.kind.as_str() {
            "console.error" | "console.assert" | "exception" => true,
            "log.error" => !self.text.ends_with("/favicon.ico)"),
            _ => false,
        }
    }
}

impl fmt::Display for ConsoleMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.text)
    }
}

/// One browser tab. Methods panic with a descriptive message on failure; `try_*` variants
/// return the error instead. Closed on drop.
pub struct Page<'b> {
    browser: &'b Browser,
    target_id: String,
    cdp: Cdp,
    main_frame: String,
    timeout: Duration,
    console: Vec<ConsoleMessage>,
    dialogs: Vec<String>,
    loads: u64,
}

impl fmt::Debug for Page<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("target_id", &self.target_id)
            .finish_non_exhaustive()
    }
}

/// Modifier bits of `Input.dispatchKeyEvent` / `Input.dispatchMouseEvent`.
const ALT: u32 = 1;
const CTRL: u32 = 2;
const META: u32 = 4;
const SHIFT: u32 = 8;

impl<'b> Page<'b> {
    /// The browser this page belongs to.
    pub fn browser(&self) -> &'b Browser {
        self.browser
    }

    /// Changes the limit for each CDP call and navigation (default [`DEFAULT_TIMEOUT`]).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sends a raw CDP command to this page and returns its result (escape hatch for what
    /// the helpers do not cover).
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        let result = self.cdp.call(method, params, self.timeout);
        self.absorb_events();
        result
    }

    // ---- navigation -----------------------------------------------------------------

    /// Navigates to `url` and waits for its load event (panics on failure, including
    /// network errors; an HTTP error page such as a 404 loads normally).
    pub fn goto(&mut self, url: &str) {
        self.try_goto(url).unwrap_or_else(|e| panic!("{e}"));
    }

    /// [`Page::goto`] returning the error.
    pub fn try_goto(&mut self, url: &str) -> Result<()> {
        let result = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(error) = result["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(BrowserError::Navigation {
                url: url.to_string(),
                error: error.to_string(),
            });
        }
        // A same-document navigation (only the fragment changes) has no loader and no load.
        let Some(loader) = result["loaderId"].as_str().map(str::to_owned) else {
            return Ok(());
        };
        let frame = result["frameId"]
            .as_str()
            .unwrap_or(&self.main_frame)
            .to_owned();
        let what = format!("load event of {url}");
        // The navigation's lifecycle so far, for the message when the load never comes.
        let steps = RefCell::new(Vec::new());
        let loaded = self.wait_event(&what, |ev| {
            let params = &ev["params"];
            let ours = params["loaderId"] == loader.as_str() && params["frameId"] == frame.as_str();
            if ev["method"] == "Page.lifecycleEvent" && ours {
                steps
                    .borrow_mut()
                    .push(params["name"].as_str().unwrap_or("?").to_string());
                return params["name"] == "load";
            }
            false
        });
        match loaded {
            Ok(_) => Ok(()),
            Err(BrowserError::Timeout(what)) => {
                let state = self
                    .cdp
                    .call(
                        "Runtime.evaluate",
                        json!({ "expression": "document.readyState", "returnByValue": true }),
                        SHORT_PROBE,
                    )
                    .map(|r| format!("document.readyState {}", r["result"]["value"]))
                    .unwrap_or_else(|_| "the page's main thread does not answer".to_string());
                Err(BrowserError::Timeout(format!(
                    "{what} (lifecycle events seen: [{}]; {state})",
                    steps.borrow().join(", ")
                )))
            }
            Err(e) => Err(e),
        }
    }

    /// Reloads the page and waits for the load event.
    pub fn reload(&mut self) {
        let url = self.url();
        let before = self.loads();
        self.call("Page.reload", json!({ "ignoreCache": true }))
            .unwrap_or_else(|e| panic!("reload {url}: {e}"));
        self.wait_for_loads(before + 1, self.timeout)
            .unwrap_or_else(|e| panic!("reload {url}: {e}"));
    }

    /// Number of main-frame load events since the page was created (navigations, reloads,
    /// and a page reloading or redirecting itself, e.g. on live reload).
    pub fn loads(&mut self) -> u64 {
        self.sync_events();
        self.loads
    }

    /// Waits until [`Page::loads`] reaches `count`.
    pub fn wait_for_loads(&mut self, count: u64, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        while self.loads < count {
            self.absorb_events();
            if self.loads >= count {
                break;
            }
            if self.cdp.next_message(deadline)?.is_none() {
                return Err(BrowserError::Timeout(format!(
                    "{count} load events within {timeout:?} (saw {})",
                    self.loads
                )));
            }
        }
        self.absorb_events();
        Ok(())
    }

    /// The current URL (`location.href`).
    pub fn url(&mut self) -> String {
        self.eval_as("location.href")
    }

    /// The document title.
    pub fn title(&mut self) -> String {
        self.eval_as("document.title")
    }

    /// The HTTP status of the current document (from the Navigation Timing entry; 0 when
    /// unknown, e.g. on `about:blank`).
    pub fn status(&mut self) -> u16 {
        self.eval_as("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")
    }

    // ---- scripts ----------------------------------------------------------------------

    /// Evaluates a JavaScript expression in the page (promises are awaited) and returns its
    /// value as JSON (`undefined` is `null`; `NaN`, `Infinity`, `-0` and bigints come back
    /// as their string form). Panics with the exception message when the script throws.
    pub fn eval(&mut self, js: &str) -> Value {
        self.try_eval(js)
            .unwrap_or_else(|e| panic!("eval `{}`: {e}", short(js)))
    }

    /// [`Page::eval`] deserialised into `T` (`page.eval_as::<bool>("...")`).
    pub fn eval_as<T: serde::de::DeserializeOwned>(&mut self, js: &str) -> T {
        let value = self.eval(js);
        serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            panic!(
                "eval `{}`: result {value} is not a {}: {e}",
                short(js),
                std::any::type_name::<T>()
            )
        })
    }

    /// [`Page::eval`] returning the error (a thrown exception is [`BrowserError::Js`]).
    pub fn try_eval(&mut self, js: &str) -> Result<Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({
                "expression": js,
                "returnByValue": true,
                "awaitPromise": true,
                "userGesture": true,
            }),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            return Err(BrowserError::Js(exception_text(details)));
        }
        let object = &result["result"];
        if let Some(unserializable) = object.get("unserializableValue") {
            return Ok(unserializable.clone());
        }
        Ok(object.get("value").cloned().unwrap_or(Value::Null))
    }

    /// Polls the JavaScript condition `js` until it is truthy or `timeout` passes. Exceptions
    /// and navigations in between count as "not yet"; the error reports the last value or
    /// exception seen.
    pub fn wait_for(&mut self, js: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        let expression = format!("!!({js})");
        loop {
            // One evaluation may not outlast the wait (a busy page must not stall it).
            let remaining = deadline.saturating_duration_since(Instant::now());
            let limit = self.timeout.min(remaining.max(POLL_INTERVAL));
            let saved = std::mem::replace(&mut self.timeout, limit);
            let result = self.try_eval(&expression);
            self.timeout = saved;
            let last = match result {
                Ok(Value::Bool(true)) => return Ok(()),
                Ok(other) => format!("last value {other}"),
                Err(e @ BrowserError::Closed(_)) => return Err(e),
                Err(e) => format!("last error: {e}"),
            };
            if Instant::now() + POLL_INTERVAL >= deadline {
                return Err(BrowserError::Timeout(format!(
                    "`{}` still false after {timeout:?} ({last})",
                    short(js)
                )));
            }
            // Keep collecting console events while waiting, then poll again.
            let _ = self.cdp.next_message(Instant::now() + POLL_INTERVAL);
            self.absorb_events();
        }
    }

    /// What the page shows and has seen, for failure messages: URL, `document.readyState`,
    /// load events, whether live reload is connected, and every console message and failed
    /// load. Never panics (a crashed page says so).
    pub fn state(&mut self) -> String {
        let js = "JSON.stringify({url: location.href, readyState: document.readyState, \
                  connected: window.__docshiftConnected === true, \
                  scripts: [...document.scripts].map(s => s.src).filter(Boolean)})";
        let now = match self.try_eval(js) {
            Ok(value) => value.as_str().unwrap_or_default().to_string(),
            Err(e) => format!("(cannot evaluate: {e})"),
        };
        self.absorb_events();
        let console: Vec<String> = self.console.iter().map(ToString::to_string).collect();
        format!(
            "page {now}; {} load events; console: [{}]",
            self.loads,
            console.join(" | ")
        )
    }

    // ---- DOM helpers ----------------------------------------------------------------

    /// The rendered text (`innerText`) of the first element matching `selector`; panics
    /// when none matches.
    pub fn text(&mut self, selector: &str) -> String {
        let sel = js_string(selector);
        let value = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); return e ? e.innerText : null; }})()"
        ));
        match value {
            Value::String(s) => s,
            _ => panic!("text: no element matches `{selector}` on {}", self.url()),
        }
    }

    /// An attribute of the first element matching `selector` (`None` when the element or
    /// the attribute is missing).
    pub fn attribute(&mut self, selector: &str, name: &str) -> Option<String> {
        let (sel, name) = (js_string(selector), js_string(name));
        self.eval_as(&format!(
            "(() => {{ const e = document.querySelector({sel}); return e ? e.getAttribute({name}) : null; }})()"
        ))
    }

    /// Number of elements matching `selector`.
    pub fn count(&mut self, selector: &str) -> usize {
        let sel = js_string(selector);
        self.eval_as(&format!("document.querySelectorAll({sel}).length"))
    }

    /// True when some element matches `selector`.
    pub fn exists(&mut self, selector: &str) -> bool {
        self.count(selector) > 0
    }

    /// Focuses the first element matching `selector`; panics when none matches.
    pub fn focus(&mut self, selector: &str) {
        let sel = js_string(selector);
        let found: bool = self.eval_as(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (e) e.focus(); return !!e; }})()"
        ));
        assert!(found, "focus: no element matches `{selector}`");
    }

    // ---- input --------------------------------------------------------------------------

    /// Clicks the centre of the first element matching `selector` with real mouse events,
    /// after scrolling it into view. Panics when no element matches, when it has no box
    /// (hidden) or when another element covers its centre (a person could not click it).
    pub fn click(&mut self, selector: &str) {
        self.try_click(selector)
            .unwrap_or_else(|e| panic!("click `{selector}`: {e}"));
    }

    /// [`Page::click`] returning the error.
    pub fn try_click(&mut self, selector: &str) -> Result<()> {
        let sel = js_string(selector);
        let target = self.try_eval(&format!(
            r#"(() => {{
                const e = document.querySelector({sel});
                if (!e) return {{ error: "no element matches" }};
                e.scrollIntoView({{ block: "center", inline: "center", behavior: "instant" }});
                const r = e.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) return {{ error: "the element has no box (hidden?)" }};
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = document.elementFromPoint(x, y);
                if (hit && hit !== e && !e.contains(hit)) {{
                    return {{ error: "covered by <" + hit.tagName.toLowerCase() +
                        (hit.className ? " class=\"" + hit.className + "\"" : "") + ">" }};
                }}
                return {{ x, y }};
            }})()"#
        ))?;
        if let Some(error) = target["error"].as_str() {
            return Err(BrowserError::Js(error.to_string()));
        }
        let (x, y) = (
            target["x"].as_f64().unwrap_or(0.0),
            target["y"].as_f64().unwrap_or(0.0),
        );
        self.call(
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseMoved", "x": x, "y": y }),
        )?;
        for (kind, buttons) in [("mousePressed", 1), ("mouseReleased", 0)] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({
                    "type": kind, "x": x, "y": y,
                    "button": "left", "buttons": buttons, "clickCount": 1,
                }),
            )?;
        }
        Ok(())
    }

    /// Presses and releases one key, with optional modifiers joined by `+`: `"Enter"`,
    /// `"Escape"`, `"Tab"`, `"ArrowDown"`, `"/"`, `"k"`, `"Control+k"`, `"Shift+Tab"`,
    /// `"Meta+k"`. Named keys: Enter, Escape, Tab, Backspace, Delete, Space, Arrow*, Home,
    /// End, PageUp, PageDown; single characters are printable US-keyboard characters.
    /// Modifier aliases: `Ctrl`, `Cmd`, `Option`. Events carry the right `key`, `code`,
    /// `keyCode` and (for printable keys without Ctrl/Alt/Meta) text, so `keydown`,
    /// `keypress`, `input` and form submission behave as with a real keyboard.
    pub fn press(&mut self, spec: &str) {
        self.try_press(spec)
            .unwrap_or_else(|e| panic!("press `{spec}`: {e}"));
    }

    /// [`Page::press`] returning the error.
    pub fn try_press(&mut self, spec: &str) -> Result<()> {
        let (modifier_names, key_name) = split_key_spec(spec);
        let mut modifiers = Vec::new();
        for name in modifier_names {
            let modifier = modifier_def(name).ok_or_else(|| {
                BrowserError::Io(format!("unknown modifier `{name}` in `{spec}`"))
            })?;
            modifiers.push(modifier);
        }
        let key = key_def(key_name)
            .ok_or_else(|| BrowserError::Io(format!("unknown key `{key_name}` in `{spec}`")))?;
        let mut bits = 0;
        for m in &modifiers {
            bits |= m.bit;
            self.key_event("rawKeyDown", &m.key, bits, None)?;
        }
        self.key_event_full(&key, bits)?;
        for m in modifiers.iter().rev() {
            bits &= !m.bit;
            self.key_event("keyUp", &m.key, bits, None)?;
        }
        Ok(())
    }

    /// Types `text` one character at a time with key events (like [`Page::press`], so
    /// `keydown`/`keyup` listeners run); `\n` presses Enter; characters not on a US keyboard
    /// are inserted with `Input.insertText`.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut buf = [0u8; 4];
            let s: &str = if c == '\n' {
                "Enter"
            } else {
                c.encode_utf8(&mut buf)
            };
            let result = match key_def(s) {
                Some(key) => self.key_event_full(&key, 0),
                None => self
                    .call("Input.insertText", json!({ "text": s }))
                    .map(drop),
            };
            result.unwrap_or_else(|e| panic!("type {c:?}: {e}"));
        }
    }

    /// Inserts `text` at the caret in one go (an `input` event, no key events), like a paste
    /// or an input method.
    pub fn insert_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }))
            .unwrap_or_else(|e| panic!("insert text: {e}"));
    }

    fn key_event_full(&mut self, key: &KeyDef, modifiers: u32) -> Result<()> {
        let modifiers = modifiers | if key.shift { SHIFT } else { 0 };
        // Like a real keyboard, Ctrl/Alt/Meta shortcuts produce no text.
        let text = key
            .text
            .as_deref()
            .filter(|_| modifiers & (CTRL | ALT | META) == 0);
        let down = if text.is_some() {
            "keyDown"
        } else {
            "rawKeyDown"
        };
        self.key_event(down, key, modifiers, text)?;
        self.key_event("keyUp", key, modifiers, None)
    }

    fn key_event(
        &mut self,
        kind: &str,
        key: &KeyDef,
        modifiers: u32,
        text: Option<&str>,
    ) -> Result<()> {
        let mut params = json!({
            "type": kind,
            "modifiers": modifiers,
            "key": key.key,
            "code": key.code,
            "windowsVirtualKeyCode": key.key_code,
            "nativeVirtualKeyCode": key.key_code,
            "location": key.location,
        });
        if let Some(text) = text {
            params["text"] = json!(text);
            params["unmodifiedText"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", params).map(drop)
    }

    // ---- environment --------------------------------------------------------------------

    /// Resizes the viewport (e.g. `(390, 844)` for a phone-sized layout).
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .unwrap_or_else(|e| panic!("set viewport: {e}"));
    }

    /// Emulates a media feature, e.g. `("prefers-color-scheme", "dark")` or
    /// `("prefers-reduced-motion", "reduce")`; an empty value clears it.
    pub fn emulate_media_feature(&mut self, name: &str, value: &str) {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": name, "value": value }] }),
        )
        .unwrap_or_else(|e| panic!("emulate {name}: {e}"));
    }

    /// Saves a PNG screenshot of the viewport (handy when debugging a failing test).
    pub fn screenshot(&mut self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        let result = self
            .call("Page.captureScreenshot", json!({ "format": "png" }))
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        let data = base64_decode(result["data"].as_str().unwrap_or_default())
            .unwrap_or_else(|| panic!("screenshot: invalid base64"));
        std::fs::write(path, data).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    // ---- events -------------------------------------------------------------------------

    /// Every console message, uncaught exception and browser log entry so far.
    pub fn console_messages(&mut self) -> Vec<ConsoleMessage> {
        self.sync_events();
        self.console.clone()
    }

    /// The errors among [`Page::console_messages`], formatted as `kind: text`; an empty
    /// list means the page ran cleanly so far.
    pub fn console_errors(&mut self) -> Vec<String> {
        self.console_messages()
            .into_iter()
            .filter(ConsoleMessage::is_error)
            .map(|m| m.to_string())
            .collect()
    }

    /// Forgets the console messages seen so far.
    pub fn clear_console(&mut self) {
        self.sync_events();
        self.console.clear();
    }

    /// Messages of the `alert`/`confirm`/`prompt` dialogs the page opened (all accepted).
    pub fn dialogs(&mut self) -> Vec<String> {
        self.sync_events();
        self.dialogs.clone()
    }

    /// Makes sure events the page emitted before now have arrived: CDP messages of a page
    /// are ordered, so a round trip through the renderer flushes them.
    fn sync_events(&mut self) {
        let _ = self.try_eval("0");
        self.absorb_events();
    }

    /// Waits for an event matching `pred` (buffered or new).
    fn wait_event(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value> {
        let deadline = Instant::now() + self.timeout;
        loop {
            while let Some(event) = self.cdp.events.pop_front() {
                self.absorb(&event);
                if pred(&event) {
                    return Ok(event);
                }
            }
            if self.cdp.next_message(deadline)?.is_none() {
                return Err(BrowserError::Timeout(format!(
                    "{what} within {:?}",
                    self.timeout
                )));
            }
        }
    }

    fn absorb_events(&mut self) {
        while let Some(event) = self.cdp.events.pop_front() {
            self.absorb(&event);
        }
    }

    /// Records what the page state tracks from one event.
    fn absorb(&mut self, event: &Value) {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Page.lifecycleEvent"
                if params["name"] == "load" && params["frameId"] == self.main_frame.as_str() =>
            {
                self.loads += 1;
            }
            "Page.javascriptDialogOpening" => {
                let kind = params["type"].as_str().unwrap_or("dialog");
                let message = params["message"].as_str().unwrap_or_default();
                self.dialogs.push(format!("{kind}: {message}"));
            }
            "Runtime.consoleAPICalled" => {
                let args = params["args"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let text: Vec<String> = args.iter().map(remote_object_text).collect();
                let frame = &params["stackTrace"]["callFrames"][0];
                self.console.push(ConsoleMessage {
                    kind: format!("console.{}", params["type"].as_str().unwrap_or("log")),
                    text: with_location(text.join(" "), frame),
                });
            }
            "Runtime.exceptionThrown" => self.console.push(ConsoleMessage {
                kind: "exception".to_string(),
                text: exception_text(&params["exceptionDetails"]),
            }),
            "Log.entryAdded" => {
                let entry = &params["entry"];
                let mut text = entry["text"].as_str().unwrap_or_default().to_string();
                if let Some(url) = entry["url"].as_str() {
                    text = format!("{text} ({url})");
                }
                self.console.push(ConsoleMessage {
                    kind: format!("log.{}", entry["level"].as_str().unwrap_or("info")),
                    text,
                });
            }
            _ => {}
        }
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        if let Ok(mut cdp) = self.browser.cdp.try_borrow_mut() {
            let params = json!({ "targetId": self.target_id });
            let _ = cdp.call("Target.closeTarget", params, Duration::from_secs(2));
        }
    }
}

/// The message of a CDP `ExceptionDetails`, with its location.
fn exception_text(details: &Value) -> String {
    let exception = &details["exception"];
    let text = exception["description"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| {
            exception
                .get("value")
                .map(|v| format!("{} {v}", details["text"].as_str().unwrap_or("Uncaught")))
        })
        .unwrap_or_else(|| details["text"].as_str().unwrap_or("exception").to_string());
    match (details["url"].as_str(), details["lineNumber"].as_u64()) {
        (Some(url), Some(line)) if !url.is_empty() => {
            format!(
                "{text} ({url}:{}:{})",
                line + 1,
                details["columnNumber"].as_u64().unwrap_or(0) + 1
            )
        }
        _ => text,
    }
}

/// Appends ` (url:line:column)` from a CDP call frame when there is one.
fn with_location(text: String, frame: &Value) -> String {
    match frame["url"].as_str() {
        Some(url) if !url.is_empty() => format!(
            "{text} ({url}:{}:{})",
            frame["lineNumber"].as_u64().unwrap_or(0) + 1,
            frame["columnNumber"].as_u64().unwrap_or(0) + 1
        ),
        _ => text,
    }
}

/// How a console argument prints.
fn remote_object_text(object: &Value) -> String {
    match (&object["value"], object["description"].as_str()) {
        (Value::String(s), _) => s.clone(),
        (Value::Null, Some(description)) => description.to_string(),
        (Value::Null, None) => object["unserializableValue"]
            .as_str()
            .or(object["type"].as_str())
            .unwrap_or("undefined")
            .to_string(),
        (value, _) => value.to_string(),
    }
}

/// A JavaScript string literal.
fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("string serialises")
}

/// The first 120 characters of a script, for messages.
fn short(js: &str) -> String {
    let one_line = js.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 120 {
        format!("{}…", one_line.chars().take(120).collect::<String>())
    } else {
        one_line
    }
}

// ---------------------------------------------------------------------------------------
// Keyboard
// ---------------------------------------------------------------------------------------

/// A key as `Input.dispatchKeyEvent` describes it.
#[derive(Debug, Clone)]
struct KeyDef {
    key: String,
    code: String,
    key_code: u32,
    text: Option<String>,
    /// Typed with Shift on a US keyboard (`A`, `?`).
    shift: bool,
    /// 0 standard, 1 left (modifiers).
    location: u32,
}

/// A modifier key and its bit.
struct ModifierDef {
    key: KeyDef,
    bit: u32,
}

/// Splits `"Control+Shift+k"` into modifiers and key; a `+` key works (`"+"`, `"Shift++"`).
fn split_key_spec(spec: &str) -> (Vec<&str>, &str) {
    if spec.len() > 1 {
        if let Some(rest) = spec.strip_suffix("++") {
            return (rest.split('+').collect(), "+");
        }
        if let Some((mods, key)) = spec.rsplit_once('+') {
            return (mods.split('+').collect(), key);
        }
    }
    (Vec::new(), spec)
}

fn modifier_def(name: &str) -> Option<ModifierDef> {
    let (key, code, key_code, bit) = match name {
        "Shift" => ("Shift", "ShiftLeft", 16, SHIFT),
        "Control" | "Ctrl" => ("Control", "ControlLeft", 17, CTRL),
        "Alt" | "Option" => ("Alt", "AltLeft", 18, ALT),
        "Meta" | "Cmd" | "Command" => ("Meta", "MetaLeft", 91, META),
        _ => return None,
    };
    let key = KeyDef {
        key: key.to_string(),
        code: code.to_string(),
        key_code,
        text: None,
        shift: false,
        location: 1,
    };
    Some(ModifierDef { key, bit })
}

/// Punctuation on a US keyboard: (unshifted, shifted, code, Windows virtual key code).
const PUNCTUATION: [(char, char, &str, u32); 11] = [
    ('`', '~', "Backquote", 192),
    ('-', '_', "Minus", 189),
    ('=', '+', "Equal", 187),
    ('[', '{', "BracketLeft", 219),
    (']', '}', "BracketRight", 221),
    ('\\', '|', "Backslash", 220),
    (';', ':', "Semicolon", 186),
    ('\'', '"', "Quote", 222),
    (',', '<', "Comma", 188),
    ('.', '>', "Period", 190),
    ('/', '?', "Slash", 191),
];

/// Shifted digits `0`-`9` on a US keyboard.
const SHIFTED_DIGITS: &str = ")!@#$%^&*(";

fn key_def(name: &str) -> Option<KeyDef> {
    let named = |key: &str, code: &str, key_code: u32, text: Option<&str>| KeyDef {
        key: key.to_string(),
        code: code.to_string(),
        key_code,
        text: text.map(str::to_string),
        shift: false,
        location: 0,
    };
    let def = match name {
        "Enter" => named("Enter", "Enter", 13, Some("\r")),
        "Escape" | "Esc" => named("Escape", "Escape", 27, None),
        "Tab" => named("Tab", "Tab", 9, None),
        "Backspace" => named("Backspace", "Backspace", 8, None),
        "Delete" => named("Delete", "Delete", 46, None),
        "Space" | " " => named(" ", "Space", 32, Some(" ")),
        "ArrowUp" => named("ArrowUp", "ArrowUp", 38, None),
        "ArrowDown" => named("ArrowDown", "ArrowDown", 40, None),
        "ArrowLeft" => named("ArrowLeft", "ArrowLeft", 37, None),
        "ArrowRight" => named("ArrowRight", "ArrowRight", 39, None),
        "Home" => named("Home", "Home", 36, None),
        "End" => named("End", "End", 35, None),
        "PageUp" => named("PageUp", "PageUp", 33, None),
        "PageDown" => named("PageDown", "PageDown", 34, None),
        _ => {
            let mut chars = name.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return None;
            };
            let (code, key_code, shift) = match c {
                'a'..='z' => (
                    format!("Key{}", c.to_ascii_uppercase()),
                    c.to_ascii_uppercase() as u32,
                    false,
                ),
                'A'..='Z' => (format!("Key{c}"), c as u32, true),
                '0'..='9' => (format!("Digit{c}"), c as u32, false),
                _ => {
                    if let Some(i) = SHIFTED_DIGITS.find(c) {
                        (format!("Digit{i}"), '0' as u32 + i as u32, true)
                    } else {
                        let &(plain, _, code, key_code) =
                            PUNCTUATION.iter().find(|p| p.0 == c || p.1 == c)?;
                        (code.to_string(), key_code, c != plain)
                    }
                }
            };
            KeyDef {
                key: c.to_string(),
                code,
                key_code,
                text: Some(c.to_string()),
                shift,
                location: 0,
            }
        }
    };
    Some(def)
}

/// Standard base64 (as CDP sends binary data); `None` on invalid input.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= value(b)? << (18 - 6 * i);
        }
        let n = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        out.extend_from_slice(&acc.to_be_bytes()[1..=n]);
    }
    Some(out)
}
