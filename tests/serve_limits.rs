//! The dev server under hostile or heavy use: requests for other hosts (DNS rebinding),
//! oversized and trickled request heads, thousands of concurrent requests, and keep-alive
//! connections and event streams that must not hold up anyone else.

mod serve_support;

use serve_support::{get, raise_open_file_limit, request, small_site, Events, KeepAlive, Served};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn requests_for_other_hosts_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &["--allow-host", "docs.example.test"]);
    let addr = served.addr;
    let port = addr.port();
    let with_host = |target: &str, host: &str| {
        request(
            addr,
            &format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("10.0.0.5:{port}"),
    ] {
        for target in ["/", "/guide/", "/site.json", "/__docshift/events"] {
            let reply = with_host(target, &host);
            assert_eq!(reply.status, 403, "{host} {target}: {}", reply.head);
            let text = reply.text();
            assert!(
                !text.contains("Original text")
                    && !text.contains("<html")
                    && !text.contains("Setup"),
                "{host} {target} leaked the page: {text}"
            );
            assert!(
                text.contains("--allow-host"),
                "says how to allow it: {text}"
            );
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("docs.example.test:{port}"),
        "DOCS.example.test".to_string(),
    ] {
        let reply = with_host("/", &host);
        assert_eq!(reply.status, 200, "{host}: {}", reply.head);
        assert!(reply.text().contains("Original text"));
    }
    let no_host = request(addr, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 400, "HTTP/1.1 requires Host");

    // The event stream also checks Origin: a page elsewhere cannot listen in.
    let foreign = Events::try_connect(
        addr,
        &format!("Host: {addr}\r\nOrigin: http://evil.example\r\n"),
    );
    assert!(
        foreign.as_ref().is_err_and(|e| e.contains(" 403 ")),
        "foreign origin: {:?}",
        foreign.map(|e| e.head)
    );
    let own = Events::try_connect(addr, &format!("Host: {addr}\r\nOrigin: http://{addr}\r\n"));
    assert!(own.is_ok(), "{:?}", own.err());

    // So does the WebSocket the browser client uses (WebSockets ignore the same-origin
    // policy, so without this check any site could listen).
    let socket = |origin: &str| {
        use tungstenite::client::IntoClientRequest;
        let mut request = format!("ws://{addr}/__docshift/events")
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
        // The refusal's status, or the error as text.
        tungstenite::client(request, TcpStream::connect(addr).unwrap()).map_err(|e| match e {
            tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response)) => {
                response.status().to_string()
            }
            other => other.to_string(),
        })
    };
    match socket("http://evil.example") {
        Err(status) => assert!(status.starts_with("403"), "foreign origin: {status}"),
        Ok(_) => panic!("a WebSocket from a foreign origin was accepted"),
    }
    let (mut own, _) =
        socket(&format!("http://localhost:{port}")).unwrap_or_else(|e| panic!("own origin: {e}"));
    let hello: serde_json::Value =
        serde_json::from_str(own.read().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(hello["event"], "hello");
    assert_eq!(hello["data"]["generation"], 1);
    assert!(hello["data"]["instance"].is_string(), "{hello}");
    let errors = own.read().unwrap();
    assert_eq!(
        errors.to_text().unwrap(),
        r#"{"data":{"errors":[]},"event":"errors"}"#
    );
}

/// A server for the small site, and a raw connection to it.
fn connected(read_timeout: Duration) -> (tempfile::TempDir, Served, TcpStream) {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path());
    let served = Served::start(tmp.path(), &[]);
    let stream = TcpStream::connect(served.addr).unwrap();
    stream.set_read_timeout(Some(read_timeout)).unwrap();
    (tmp, served, stream)
}

#[test]
fn an_oversized_request_head_gets_431() {
    let (_tmp, served, mut stream) = connected(Duration::from_secs(30));
    let mut reader = stream.try_clone().unwrap();
    // The server answers long before the head ends; read while writing.
    let response = std::thread::spawn(move || {
        let mut raw = Vec::new();
        let _ = reader.read_to_end(&mut raw);
        raw
    });
    let big = "a".repeat(1024 * 1024);
    let _ = write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Big: {big}\r\n\r\n",
        served.addr
    );
    let raw = response.join().unwrap();
    let head = String::from_utf8_lossy(&raw[..raw.len().min(200)]).into_owned();
    assert!(head.starts_with("HTTP/1.1 431"), "{head:?}");
    // The server is still fine.
    assert_eq!(get(served.addr, "/").status, 200);
}

#[test]
fn a_client_that_trickles_its_request_head_is_dropped() {
    let (_tmp, served, mut stream) = connected(Duration::from_millis(1000));
    let head = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: {}\r\n\r\n",
        served.addr,
        "s".repeat(60)
    );
    let started = Instant::now();
    let mut sent = 0;
    // One byte a second; each read waits that second and tells whether the server hung up.
    let dropped_after = loop {
        if stream.write_all(&head.as_bytes()[sent..=sent]).is_err() {
            break started.elapsed();
        }
        sent += 1;
        let mut buf = [0u8; 64];
        match stream.read(&mut buf) {
            Ok(0) => break started.elapsed(),
            Ok(_) => panic!("answered a request that never ended"),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break started.elapsed(),
        }
        assert!(
            sent < head.len(),
            "the whole trickled head was read without a timeout"
        );
    };
    assert!(
        dropped_after >= Duration::from_secs(5) && dropped_after <= Duration::from_secs(20),
        "dropped after {dropped_after:?} ({sent} bytes sent)"
    );
    assert_eq!(get(served.addr, "/").status, 200);
}

#[test]
fn two_thousand_concurrent_requests_are_answered_by_a_bounded_number_of_threads() {
    const CLIENTS: usize = 2000;
    let limit = raise_open_file_limit();
    assert!(
        limit >= 2 * CLIENTS as u64 + 200,
        "the open-file limit ({limit}) is too low to hold {CLIENTS} connections on both ends; \
         raise `ulimit -Hn`"
    );
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &[]);
    let idle_threads = served.status_field("Threads").expect("Threads");
    // Every request is on the wire before any response is read.
    let mut streams: Vec<TcpStream> = (0..CLIENTS)
        .map(|i| {
            let mut stream = TcpStream::connect(served.addr).expect("connect");
            let target = if i % 2 == 0 { "/" } else { "/guide/" };
            write!(
                stream,
                "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                served.addr
            )
            .expect("send");
            stream
        })
        .collect();
    let mut most_threads = served.status_field("Threads").unwrap_or(0);
    let mut answered = 0;
    for (i, stream) in streams.iter_mut().enumerate() {
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        if raw.starts_with(b"HTTP/1.1 200") {
            answered += 1;
        }
        if i % 100 == 0 {
            most_threads = most_threads.max(served.status_field("Threads").unwrap_or(0));
        }
    }
    assert_eq!(answered, CLIENTS, "every request is answered");
    assert!(
        most_threads <= 16,
        "{most_threads} threads while serving {CLIENTS} connections ({idle_threads} idle)"
    );
}

#[test]
fn idle_keep_alive_connections_and_event_streams_hold_up_nobody() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root);
    let served = Served::start(root, &[]);
    let threads_before = served.status_field("Threads").expect("Threads");
    let mut streams: Vec<Events> = (0..100).map(|_| Events::connect(served.addr)).collect();
    for events in &mut streams {
        assert!(events
            .wait_for("hello", Duration::from_secs(30), |_| true)
            .is_some());
    }
    let mut idle: Vec<KeepAlive> = (0..100).map(|_| KeepAlive::connect(served.addr)).collect();
    for connection in &mut idle {
        assert_eq!(connection.get("/guide/").status, 200);
    }
    // One connection serves request after request.
    let mut reused = KeepAlive::connect(served.addr);
    for target in [
        "/",
        "/guide/",
        "/static/docshift.css",
        "/__docshift/client.js",
    ] {
        assert_eq!(reused.get(target).status, 200, "{target}");
    }
    for _ in 0..20 {
        let started = Instant::now();
        assert_eq!(get(served.addr, "/").status, 200);
        // Not a speed goal: a request queued behind the idle connections would wait until
        // the server closes them (10 s); half that tells a stall from a busy machine.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "a request waited {:?} behind idle connections",
            started.elapsed()
        );
    }
    let threads = served.status_field("Threads").expect("Threads");
    assert!(
        threads <= threads_before + 2,
        "connections hold no threads: {threads_before} before, {threads} with 200 open"
    );
    // Every stream still hears about an edit.
    serve_support::write(root, "content/guide.md", "# Guide\n\nEdited.\n");
    for events in &mut streams {
        assert!(events
            .wait_for("reload", Duration::from_secs(30), |_| true)
            .is_some());
    }
}
