//! Running `docshift serve` in tests: spawn it on a free port, read its URL, talk raw HTTP
//! to it (so request paths reach the server exactly as written) and listen to its
//! live-reload event stream.
#![allow(
    dead_code,
    unreachable_pub,
    reason = "a helper module shared by several test binaries, each using a subset"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `docshift serve`; killed when dropped.
pub struct Served {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
    /// `127.0.0.1:PORT`.
    pub addr: SocketAddr,
    lines: Receiver<String>,
    /// Every line it printed so far, stdout and stderr interleaved as read.
    log: Arc<Mutex<Vec<String>>>,
}

/// Copies each line of `from` into `log` (prefixed with `tag`) and, if given, to `tx`.
fn collect_lines(
    from: impl Read + Send + 'static,
    tag: &'static str,
    log: Arc<Mutex<Vec<String>>>,
    tx: Option<Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            log.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(format!("{tag}{line}"));
            if let Some(tx) = &tx {
                let _ = tx.send(line);
            }
        }
    });
}

impl Served {
    /// Starts `docshift serve --root ROOT --port 0 EXTRA...` and waits for its URL.
    pub fn start(root: &Path, extra: &[&str]) -> Served {
        Served::start_on(root, 0, extra)
    }

    /// Starts `docshift serve --root ROOT --port PORT EXTRA...` and waits for its URL.
    pub fn start_on(root: &Path, port: u16, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docshift"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", &port.to_string()])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn docshift serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, lines) = channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        collect_lines(stdout, "", log.clone(), Some(tx));
        collect_lines(stderr, "stderr: ", log.clone(), None);
        let url = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("serve prints its URL first");
        let addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("not a URL: {url}"));
        Served {
            child: Some(child),
            url,
            addr,
            lines,
            log,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The last `count` lines the server printed, for failure messages.
    pub fn log_tail(&self, count: usize) -> String {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        log[log.len().saturating_sub(count)..].join("\n")
    }

    /// A field of `/proc/PID/status` (`Threads`, `VmRSS`, ...), as a number.
    pub fn status_field(&self, name: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status.lines().find_map(|line| {
            let value = line.strip_prefix(name)?.strip_prefix(':')?;
            value.split_whitespace().next()?.parse().ok()
        })
    }

    /// Waits for a stdout line containing `text`.
    pub fn wait_line(&self, text: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    /// Sends SIGINT (Ctrl+C) and returns the exit code.
    pub fn interrupt(mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill -INT");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        None
    }

    /// Is the process still running?
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().expect("wait").is_none())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A response: status code, raw head, body.
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Status line and headers.
    pub head: String,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of a response header (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET <target>` with the target sent exactly as given.
pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `raw` (a whole request, `Connection: close`) and reads the response to its end.
pub fn request(addr: SocketAddr, raw: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_reply(&raw)
}

/// Splits a raw response into status, head and (de-chunked) body.
pub fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply { status, head, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

/// A live-reload client reading `/__docshift/events` (chunked or not). Bytes are kept
/// across calls, so a timeout in the middle of an event loses nothing.
pub struct Events {
    stream: TcpStream,
    /// The response head.
    pub head: String,
    chunked: bool,
    /// Received, not yet de-chunked.
    raw: Vec<u8>,
    /// De-chunked, not yet returned.
    text: Vec<u8>,
    chunk_left: usize,
    expect_crlf: bool,
    ended: bool,
}

impl Events {
    /// Connects and reads the response head.
    pub fn connect(addr: SocketAddr) -> Events {
        Events::try_connect(addr, &format!("Host: {addr}\r\n"))
            .unwrap_or_else(|e| panic!("event stream: {e}"))
    }

    /// Connects with these extra header lines; the error says what went wrong.
    pub fn try_connect(addr: SocketAddr, headers: &str) -> Result<Events, String> {
        let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
        write!(
            stream,
            "GET /__docshift/events HTTP/1.1\r\n{headers}Accept: text/event-stream\r\n\r\n"
        )
        .map_err(|e| format!("send: {e}"))?;
        let mut events = Events {
            stream,
            head: String::new(),
            chunked: false,
            raw: Vec::new(),
            text: Vec::new(),
            chunk_left: 0,
            expect_crlf: false,
            ended: false,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let end = loop {
            if let Some(end) = events.raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            if !events.receive(deadline) {
                return Err(format!(
                    "no response head: {:?}",
                    String::from_utf8_lossy(&events.raw)
                ));
            }
        };
        events.head = String::from_utf8_lossy(&events.raw[..end]).into_owned();
        events.raw.drain(..end + 4);
        events.chunked = events
            .head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        if !events.head.starts_with("HTTP/1.1 200") {
            return Err(format!("refused: {}", events.head));
        }
        events.decode();
        Ok(events)
    }

    /// Reads what arrives before `deadline`; false on timeout, end or error.
    fn receive(&mut self, deadline: Instant) -> bool {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return false;
        };
        if self
            .stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .is_err()
        {
            return false;
        }
        let mut buf = [0u8; 16 * 1024];
        match self.stream.read(&mut buf) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.raw.extend_from_slice(&buf[..n]);
                true
            }
        }
    }

    /// Moves the complete part of `raw` into `text`, removing the chunk framing.
    fn decode(&mut self) {
        if !self.chunked {
            self.text.append(&mut self.raw);
            return;
        }
        loop {
            if self.chunk_left > 0 {
                let n = self.chunk_left.min(self.raw.len());
                if n == 0 {
                    return;
                }
                self.text.extend(self.raw.drain(..n));
                self.chunk_left -= n;
                self.expect_crlf = self.chunk_left == 0;
            } else if self.expect_crlf {
                if self.raw.len() < 2 {
                    return;
                }
                self.raw.drain(..2);
                self.expect_crlf = false;
            } else {
                let Some(eol) = self.raw.windows(2).position(|w| w == b"\r\n") else {
                    return;
                };
                let size = String::from_utf8_lossy(&self.raw[..eol]).trim().to_string();
                self.raw.drain(..eol + 2);
                match usize::from_str_radix(&size, 16) {
                    Ok(0) | Err(_) => {
                        self.ended = true;
                        return;
                    }
                    Ok(size) => self.chunk_left = size,
                }
            }
        }
    }

    /// The next event (name, data), or `None` after `timeout` or when the stream ends.
    pub fn next(&mut self, timeout: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(end) = self.text.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.text.drain(..end + 2).collect();
                let block = String::from_utf8_lossy(&block).into_owned();
                let (mut name, mut data) = (String::new(), String::new());
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event: ") {
                        name = n.to_string();
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data = d.to_string();
                    }
                }
                if !name.is_empty() {
                    return Some((name, data));
                }
                continue; // a comment or the retry field
            }
            if self.ended || !self.receive(deadline) {
                return None;
            }
            self.decode();
        }
    }

    /// Waits for an event called `name` whose data satisfies `accept`.
    pub fn wait_for(
        &mut self,
        name: &str,
        timeout: Duration,
        accept: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (n, data) = self.next(left)?;
            if n == name && accept(&data) {
                return Some(data);
            }
        }
    }
}

/// A keep-alive connection: requests one after another, each response read by its
/// `Content-Length`, the connection left open.
pub struct KeepAlive {
    stream: TcpStream,
    addr: SocketAddr,
}

impl KeepAlive {
    /// Connects.
    pub fn connect(addr: SocketAddr) -> KeepAlive {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        KeepAlive { stream, addr }
    }

    /// `GET target` on this connection.
    pub fn get(&mut self, target: &str) -> Reply {
        write!(
            self.stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut raw = Vec::new();
        let mut byte = [0u8; 1];
        while !raw.ends_with(b"\r\n\r\n") {
            match self.stream.read(&mut byte) {
                Ok(1) => raw.push(byte[0]),
                other => panic!(
                    "connection ended in a response head ({other:?}): {:?}",
                    String::from_utf8_lossy(&raw)
                ),
            }
        }
        let mut reply = parse_reply(&raw);
        let length: usize = reply
            .header("Content-Length")
            .and_then(|l| l.parse().ok())
            .expect("Content-Length");
        reply.body = vec![0; length];
        self.stream.read_exact(&mut reply.body).expect("body");
        reply
    }
}

/// Raises this process's open-file limit to its hard limit (tests that hold thousands of
/// connections; the server started from it inherits the limit).
pub fn raise_open_file_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the `rlimit` passed by pointer.
    unsafe {
        let mut limit = std::mem::zeroed::<libc::rlimit>();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur as u64
    }
}

/// Writes a file, creating its folder.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A small site: two pages, an include, an image, a stylesheet of its own.
pub fn small_site(root: &Path) {
    write(root, "site.yaml", "title: Serve test\n");
    write(root, "secret.txt", "TOP-SECRET-CONTENTS\n");
    write(root, "content/index.md", "---\ntitle: Home\n---\n\n# Home\n\nOriginal text. See [the guide](guide.md#setup).\n\n![Map](media/map.svg)\n");
    write(
        root,
        "content/guide.md",
        "---\ntitle: Guide\n---\n\n# Guide\n\n## Setup\n\nSteps.\n",
    );
    write(
        root,
        "content/media/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    write(
        root,
        "static/docshift.css",
        "body { color: rgb(1, 2, 3); }\n",
    );
}
