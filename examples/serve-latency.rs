//! Save-to-reload latency of `docshift serve`: the time from writing a Markdown file to a
//! live-reload client receiving the `reload` event, over `EDITS` edits of one page.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example serve-latency -- <site-root> <page.md> [edits] [docshift-binary]
//! ```
//!
//! It starts `docshift serve --port 0` on the site, connects to `/__docshift/events` like
//! the browser client does, then for each edit appends to the page (timer started just
//! before the write) and stops the timer when the `reload` event arrives: even edits add a
//! line of text, odd edits add a section with its own heading (the page gains a search
//! document and a table-of-contents entry). Prints each latency and the min / median / max.
//! The page is restored at the end.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: serve-latency <site-root> <page.md, relative to content/> [edits] [docshift-binary]");
        std::process::exit(2);
    }
    let root = std::path::PathBuf::from(&args[1]);
    let page = root.join("content").join(&args[2]);
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(20);
    let bin = args
        .get(4)
        .cloned()
        .unwrap_or_else(|| "target/release/docshift".to_string());
    let original = std::fs::read_to_string(&page).expect("read the page");

    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start docshift serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = lines.next().expect("URL line").expect("utf-8");
    let first = lines.next().expect("first build line").expect("utf-8");
    println!(
        "{url} — first build: {first} ({:.1} s to ready)",
        started.elapsed().as_secs_f64()
    );
    std::thread::spawn(move || for _ in lines {});
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("address")
        .to_string();

    let mut stream = TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /__docshift/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .expect("send");
    let mut events = BufReader::new(stream);
    wait_for(&mut events, "hello");

    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        // Let the previous round settle, as between two saves in an editor.
        std::thread::sleep(Duration::from_millis(300));
        let text = if i % 2 == 0 {
            format!("{original}\nLatency edit {i}.\n")
        } else {
            format!("{original}\n## Latency section {i}\n\nLatency edit {i}.\n")
        };
        let t0 = Instant::now();
        std::fs::write(&page, text).expect("write the page");
        wait_for(&mut events, "reload");
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let kind = if i % 2 == 0 { "line" } else { "section" };
        println!("edit {i:2} ({kind:7}): {ms:6.1} ms");
        times.push(ms);
    }
    std::fs::write(&page, &original).expect("restore the page");
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();

    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!(
        "save-to-reload over {edits} edits: min {:.1} ms, median {median:.1} ms, max {:.1} ms",
        times[0],
        times[times.len() - 1]
    );
}

/// Reads server-sent events until one called `name` arrives.
fn wait_for(events: &mut BufReader<TcpStream>, name: &str) {
    let wanted = format!("event: {name}");
    let mut line = String::new();
    loop {
        line.clear();
        if events.read_line(&mut line).expect("read events") == 0 {
            panic!("the server closed the event stream");
        }
        if line.trim_end() == wanted {
            return;
        }
    }
}
