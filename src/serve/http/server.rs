//! The HTTP server of `serve`: hyper's HTTP/1.1 on a small tokio runtime of its own.
//!
//! * **Connections are tasks, not threads.** Two I/O threads carry every connection, so a
//!   keep-alive connection, a slow client or an open event stream never holds a thread, and
//!   no request waits behind another connection. Answers are computed by
//!   [`super::answer`] on a small blocking pool, since a copied file is read from disk.
//! * **Live reload** streams are tasks that wait for the hub's change signal (a
//!   `tokio::sync::watch`), with a keep-alive (ping or comment) every [`KEEPALIVE`]. The
//!   browser client uses a WebSocket, which does not count against the six HTTP/1.1
//!   connections a browser opens per host (with Server-Sent Events a seventh open tab could
//!   not load); Server-Sent Events on the same path serve `curl` and tools. A Server-Sent
//!   Events client that stops reading is dropped once [`EVENT_BUFFER`] events wait for it; a
//!   WebSocket write that makes no progress hits [`WRITE_TIMEOUT`].
//! * **Limits.** A request head is at most [`MAX_HEAD`] bytes (431 past it); it must arrive
//!   within [`HEAD_TIMEOUT`], which is also how long an idle keep-alive connection stays
//!   open; a response write that makes no progress for [`WRITE_TIMEOUT`] drops the
//!   connection; at most [`MAX_CONNECTIONS`] connections are served at once (more wait in
//!   the listen queue until one closes).

use super::{answer, AllowedHosts, Answer, Reply, RequestHead};
use crate::error::{Error, Result};
use crate::serve::hub::{Event, Hub, Wake};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body::Frame;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;

/// Longest request head (request line and headers) accepted; longer gets 431.
pub const MAX_HEAD: usize = 32 * 1024;
/// Time a client has to send a request head, counted from the connection's start or the
/// end of its previous response; an idle keep-alive connection is closed after it.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A response write that makes no progress for this long drops the connection.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// How often an idle event stream sends a comment, to notice closed clients.
pub const KEEPALIVE: Duration = Duration::from_secs(15);
/// Events queued for a live-reload client before it counts as gone.
pub const EVENT_BUFFER: usize = 32;
/// Threads that carry the connections.
const IO_THREADS: usize = 2;
/// Threads that compute answers (reading copied files from disk).
const ANSWER_THREADS: usize = 2;
/// Connections waiting to be accepted (the kernel may cap it lower).
const LISTEN_BACKLOG: u32 = 4096;

/// The running HTTP server; stop it with [`HttpServer::stop`].
pub struct HttpServer {
    runtime: tokio::runtime::Runtime,
    stop: watch::Sender<bool>,
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
}

/// What every connection needs.
struct Shared {
    hub: Arc<Hub>,
    hosts: AllowedHosts,
    /// Changes whenever the hub does; event streams wait on it.
    changes: watch::Receiver<()>,
}

/// Binds `addr` and starts serving `hub`'s files to requests for `hosts`.
pub fn start(addr: SocketAddr, hub: Arc<Hub>, hosts: AllowedHosts) -> Result<HttpServer> {
    let bind_error = |e: std::io::Error| Error::Bind {
        addr: addr.to_string(),
        message: e.to_string(),
    };
    raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(IO_THREADS)
        .max_blocking_threads(ANSWER_THREADS)
        .thread_name("docshift-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(bind_error)?;
    let listener = runtime
        .block_on(async { listen(addr) })
        .map_err(bind_error)?;
    let bound = listener.local_addr().map_err(bind_error)?;
    let (changed, changes) = watch::channel(());
    hub.on_change(move || {
        changed.send_replace(());
    });
    let shared = Arc::new(Shared {
        hub,
        hosts,
        changes,
    });
    let (stop, stopped) = watch::channel(false);
    runtime.spawn(accept_loop(listener, shared, stopped));
    Ok(HttpServer {
        runtime,
        stop,
        addr: bound,
    })
}

/// Every connection is a file descriptor, and many systems start processes with a soft
/// limit of 1,024, below [`MAX_CONNECTIONS`] plus the files a build opens. Raise the soft
/// limit to the hard one, as Go's runtime and most servers do; failure changes nothing
/// (connections past the limit wait in the listen queue).
fn raise_open_file_limit() {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit only read and write the `rlimit` passed by pointer.
    unsafe {
        let mut limit = std::mem::zeroed::<libc::rlimit>();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max.min(65_536).max(limit.rlim_cur);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // A restarted server can take its port back while old connections linger in TIME_WAIT.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

impl HttpServer {
    /// Stops accepting, ends every connection and event stream, and waits (briefly) for
    /// the server's threads.
    pub fn stop(self) {
        let _ = self.stop.send(true);
        self.runtime.shutdown_timeout(Duration::from_secs(2));
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        // Take a slot first: past the cap, connections wait in the listen queue.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => return,
            },
            _ = stopped.changed() => return,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        match accepted {
            Ok((stream, _)) => {
                let shared = shared.clone();
                tokio::spawn(async move {
                    serve_connection(stream, shared).await;
                    drop(slot);
                });
            }
            // Out of file descriptors or a connection reset before it was accepted: wait a
            // moment instead of spinning, and go on.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
    stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let io = TokioIo::new(Box::pin(stream));
    let service = hyper::service::service_fn(move |request| handle(request, shared.clone()));
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .keep_alive(true)
        .serve_connection(io, service)
        .with_upgrades();
    // Errors are the client's business (timeouts, resets, malformed requests).
    let _ = connection.await;
}

async fn handle(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<Body>, Infallible> {
    let header = |name: hyper::header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (host, origin) = (header(hyper::header::HOST), header(hyper::header::ORIGIN));
    let method = request.method().as_str().to_owned();
    // Origin-form targets are passed as sent; anything else (absolute-form, `*`) as the
    // whole URI, which names no file.
    let target = match request.uri().scheme() {
        None => request
            .uri()
            .path_and_query()
            .map_or_else(|| request.uri().to_string(), |p| p.as_str().to_owned()),
        Some(_) => request.uri().to_string(),
    };
    let http10 = request.version() == hyper::Version::HTTP_10;
    let worker = shared.clone();
    let decided = tokio::task::spawn_blocking(move || {
        let head = RequestHead {
            method: &method,
            target: &target,
            http10,
            host: host.as_deref(),
            origin: origin.as_deref(),
        };
        answer(&head, &worker.hub, &worker.hosts)
    })
    .await;
    Ok(match decided {
        Ok(Answer::Reply(reply)) => response(reply),
        Ok(Answer::Events) => event_stream(request, &shared),
        Err(_) => response(Reply {
            status: 500,
            headers: Vec::new(),
            body: b"internal error".to_vec(),
        }),
    })
}

fn response(reply: Reply) -> Response<Body> {
    let mut response = Response::new(Body::Full(Some(Bytes::from(reply.body))));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// Opens a live-reload stream, as a WebSocket when the request asks for one, as
/// Server-Sent Events otherwise.
fn event_stream(request: Request<Incoming>, shared: &Arc<Shared>) -> Response<Body> {
    if let Some(accept) = websocket_accept(&request) {
        let upgrade = hyper::upgrade::on(request);
        tokio::spawn(feed(shared.clone(), Sink::Upgrading(upgrade)));
        let mut response = Response::new(Body::Full(None));
        *response.status_mut() = hyper::StatusCode::SWITCHING_PROTOCOLS;
        let headers = response.headers_mut();
        headers.insert(
            hyper::header::UPGRADE,
            HeaderValue::from_static("websocket"),
        );
        headers.insert(
            hyper::header::CONNECTION,
            HeaderValue::from_static("upgrade"),
        );
        if let Ok(accept) = HeaderValue::from_str(&accept) {
            headers.insert(hyper::header::SEC_WEBSOCKET_ACCEPT, accept);
        }
        return response;
    }
    let (tx, rx) = mpsc::channel(EVENT_BUFFER);
    tokio::spawn(feed(shared.clone(), Sink::Sse(tx)));
    let mut response = Response::new(Body::Events(rx));
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    response
}

/// The `Sec-WebSocket-Accept` answer when the request is a WebSocket handshake (RFC 6455).
fn websocket_accept(request: &Request<Incoming>) -> Option<String> {
    let headers = request.headers();
    let has = |name: hyper::header::HeaderName, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    let key = headers.get(hyper::header::SEC_WEBSOCKET_KEY)?;
    (has(hyper::header::UPGRADE, "websocket")
        && has(hyper::header::CONNECTION, "upgrade")
        && has(hyper::header::SEC_WEBSOCKET_VERSION, "13"))
    .then(|| tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes()))
}

type Socket = tokio_tungstenite::WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

/// Where a live-reload stream's events go.
enum Sink {
    /// Server-Sent Events: into the response body.
    Sse(mpsc::Sender<Bytes>),
    /// A WebSocket whose handshake response is on its way.
    Upgrading(hyper::upgrade::OnUpgrade),
    /// An open WebSocket.
    Socket(Box<Socket>),
}

impl Sink {
    /// Sends `events`; false when the client is gone (or, for Server-Sent Events, not
    /// reading: its `EventSource` reconnects).
    async fn send(&mut self, events: &[Event], first: bool) -> bool {
        match self {
            Sink::Sse(tx) => {
                let mut text = if first {
                    "retry: 500\n\n".to_string()
                } else {
                    String::new()
                };
                text.extend(events.iter().map(Event::to_sse));
                tx.try_send(Bytes::from(text)).is_ok()
            }
            Sink::Socket(socket) => {
                for event in events {
                    let message = Message::text(event.to_message());
                    if socket.feed(message).await.is_err() {
                        return false;
                    }
                }
                socket.flush().await.is_ok()
            }
            Sink::Upgrading(_) => false,
        }
    }

    /// Tells an idle client the stream is alive (and finds out whether it is).
    async fn keep_alive(&mut self) -> bool {
        match self {
            Sink::Sse(tx) => tx.try_send(Bytes::from_static(b": keep-alive\n\n")).is_ok(),
            Sink::Socket(socket) => socket.send(Message::Ping(Bytes::new())).await.is_ok(),
            Sink::Upgrading(_) => false,
        }
    }

    /// Resolves when the client has gone away. Messages a WebSocket client sends are read
    /// and dropped (pings are answered by the protocol layer).
    async fn closed(&mut self) {
        match self {
            Sink::Sse(tx) => tx.closed().await,
            Sink::Socket(socket) => loop {
                match socket.next().await {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(_)) => {}
                }
            },
            Sink::Upgrading(_) => {}
        }
    }
}

/// What woke a live-reload stream.
enum Woken {
    Changed,
    Idle,
    Gone,
}

/// Feeds one live-reload client: its first events, then every event as it happens, until
/// the client goes away or the server stops.
async fn feed(shared: Arc<Shared>, mut sink: Sink) {
    if let Sink::Upgrading(upgrade) = sink {
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_HEAD))
            .max_frame_size(Some(MAX_HEAD));
        let socket = tokio_tungstenite::WebSocketStream::from_raw_socket(
            TokioIo::new(upgraded),
            Role::Server,
            Some(config),
        )
        .await;
        sink = Sink::Socket(Box::new(socket));
    }
    let mut changes = shared.changes.clone();
    changes.borrow_and_update();
    let (mut seen, first) = shared.hub.subscribe();
    if !sink.send(&first, true).await {
        return;
    }
    loop {
        // Mark the signal seen before asking, so a change in between wakes the wait below.
        changes.borrow_and_update();
        match shared.hub.events_since(seen) {
            Wake::Shutdown => return,
            Wake::Events(last, events) => {
                seen = last;
                if !sink.send(&events, false).await {
                    return;
                }
                continue;
            }
            Wake::Nothing => {}
        }
        let woken = tokio::select! {
            changed = changes.changed() => if changed.is_ok() { Woken::Changed } else { Woken::Gone },
            () = tokio::time::sleep(KEEPALIVE) => Woken::Idle,
            () = sink.closed() => Woken::Gone,
        };
        match woken {
            Woken::Changed => {}
            Woken::Idle if sink.keep_alive().await => {}
            Woken::Idle | Woken::Gone => return,
        }
    }
}

/// A response body: complete, or the live-reload events as they come.
enum Body {
    Full(Option<Bytes>),
    Events(mpsc::Receiver<Bytes>),
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(rx) => rx
                .poll_recv(cx)
                .map(|next| next.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            Body::Full(bytes) => {
                http_body::SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Body::Events(_) => http_body::SizeHint::default(),
        }
    }
}
