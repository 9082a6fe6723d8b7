//! Fuzz-style robustness test: random bytes and random Markdown built from a grammar of nasty
//! fragments go through load → parse → check (`docshift::pipeline::check`). Deterministic
//! (a fixed-seed PRNG written here), a few thousand cases, a few seconds.
//!
//! For every case: no panic, and every diagnostic names a file that exists, a line inside it
//! and a column inside that line (1-based, as the loader counts lines: CRLF, LF and a lone CR
//! are one break each, a leading BOM is not a character).

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// splitmix64: tiny, deterministic, good enough to pick fragments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// File names every case may use (so links and includes often hit something real).
const NAMES: &[&str] = &[
    "index.md",
    "a.md",
    "guide/b.md",
    "guide/index.md",
    "includes/i.md",
    "includes/j.md",
    "Über uns.md",
];

const WORDS: &[&str] = &[
    "Overview",
    "FAQ",
    "Step 2 - Configure",
    "überblick",
    "数据",
    "🚀 Launch",
    "a\u{301}ccent",
    "top",
    "tab/linux",
    "x",
    "",
    "   ",
    "Ⅻ",
    "\u{200d}",
    "\u{202e}rtl",
];

/// Link targets: real files, anchors, escapes, climbs, junk.
fn target(rng: &mut Rng) -> String {
    let mut t = match rng.below(14) {
        0 => rng.pick(NAMES).to_string(),
        1 => format!("../{}", rng.pick(NAMES)),
        2 => "../../../../../etc/passwd".to_string(),
        3 => format!("/{}", rng.pick(NAMES)),
        4 => format!("~/{}", rng.pick(NAMES)),
        5 => "%zz%".to_string(),
        6 => "a%20b.md%".to_string(),
        7 => "media/x.png".to_string(),
        8 => "guide/".to_string(),
        9 => "https://example.com/%zz".to_string(),
        10 => "\\\\server\\share".to_string(),
        11 => String::new(),
        12 => "mailto:".to_string(),
        _ => rng.pick(WORDS).to_string(),
    };
    if rng.chance(40) {
        t.push('#');
        t.push_str(&rng.pick(WORDS).to_lowercase().replace(' ', "-"));
    }
    if rng.chance(15) {
        t.push_str("?view=a&b=%");
    }
    t
}

/// One nasty Markdown fragment.
fn fragment(rng: &mut Rng, depth: usize) -> String {
    let w = rng.pick(WORDS).to_string();
    let t = target(rng);
    match rng.below(40) {
        0 => ":::image type=\"content\" source=\"".to_string(),
        1 => format!(":::image type=\"content\" source=\"{t}\" alt-text=\"{w}\":::"),
        2 => format!(":::image type=\"complex\" source=\"{t}\" alt-text=\"x\":::\n{w}\n"),
        3 => ":::image-end:::".to_string(),
        4 => format!(":::image source=\"{t}\" lightbox=\"{t}\" bogus=1:::"),
        5 => "[!INCLUDE [x](".to_string(),
        6 => format!("[!INCLUDE [{w}]({})]", rng.pick(NAMES)),
        7 => format!("[!INCLUDE [x](includes/{})]", rng.pick(NAMES)),
        8 => "<a name=".to_string(),
        9 => format!("<a name=\"{w}\"></a>"),
        10 => format!("<a id='{w}' href=\"{t}\">"),
        11 => "{#".to_string(),
        12 => format!("## {w} {{#{w}}}"),
        13 => format!("{} {w}", "#".repeat(1 + rng.below(7))),
        14 => format!("# {}", "Huge heading ".repeat(50 + rng.below(300))),
        15 => ">".repeat(1 + rng.below(30)) + " [!NOTE]\n> nested",
        16 => {
            // A table with ragged rows.
            let mut s = String::from("| a | b | c |\n|---|:-:|\n");
            for _ in 0..rng.below(5) {
                let cells = rng.below(6);
                for _ in 0..cells {
                    let _ = write!(s, "| [{w}]({t}) ");
                }
                s.push_str("|\n");
            }
            s
        }
        17 => "\r".to_string(),
        18 => "\r\n".to_string(),
        19 => "\u{feff}".to_string(),
        20 => "../../..".to_string(),
        21 => "%zz".to_string(),
        22 => "👩‍👩‍👧 🏳️‍🌈 e\u{301}".to_string(),
        23 => "\0".to_string(),
        24 => format!("[{w}]({t})"),
        25 => format!("![{w}]({t} \"title\")"),
        26 => format!("[{w}][{w}]\n\n[{w}]: {t}\n"),
        27 => format!("<img src=\"{t}\">"),
        28 => "<!-- ".to_string(),
        29 => " -->".to_string(),
        30 => format!("```\n[{w}]({t})\n"),
        31 => format!("`[{w}]({t})`"),
        32 => "---\ntitle: [\n".to_string(),
        33 => format!("https://{w}.example/{t}"),
        34 => format!("<{t}>"),
        35 => "\t- [ ] task\n    1. item\n".to_string(),
        36 => format!("[^{w}]\n\n[^{w}]: note [{w}]({t})"),
        37 => "::: zone pivot=\"a\"\n::: zone-end".to_string(),
        38 if depth < 3 => {
            // Nest: a list or a quote around more fragments.
            let inner: String = (0..1 + rng.below(3))
                .map(|_| fragment(rng, depth + 1))
                .collect::<Vec<_>>()
                .join(" ");
            const PREFIX: [&str; 5] = ["- ", "> ", "1. ", "    ", "| "];
            format!("{}{inner}", rng.pick(&PREFIX))
        }
        _ => w,
    }
}

fn markdown(rng: &mut Rng) -> Vec<u8> {
    let mut s = String::new();
    if rng.chance(30) {
        const FRONT_MATTER: [&str; 6] = [
            "---\ntitle: x\n---\n",
            "---\r\ntitle: \"é\"\r\n---\r\n",
            "\u{feff}---\ntitle: [a\n---\n",
            "---\n- a\n---\n",
            "---\n",
            "---\nweight: x\nms.date: 99/99/9999\n...\n",
        ];
        s.push_str(rng.pick(&FRONT_MATTER));
    }
    for _ in 0..rng.below(25) {
        s.push_str(&fragment(rng, 0));
        const GLUE: [&str; 6] = ["", " ", "\n", "\n\n", "\r\n", "\r"];
        s.push_str(rng.pick(&GLUE));
    }
    let mut bytes = s.into_bytes();
    if rng.chance(10) {
        // A few invalid UTF-8 bytes somewhere.
        let at = rng.below(bytes.len() + 1);
        const JUNK: [&[u8]; 4] = [b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80"];
        let junk = rng.pick(&JUNK);
        bytes.splice(at..at, junk.iter().copied());
    }
    bytes
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let n = rng.below(400);
    let alphabet = b"[]()#!:<>\"'/\\.%~`*_-|{}\r\n\t =?&ab01";
    (0..n)
        .map(|_| {
            if rng.chance(70) {
                rng.pick(alphabet)
            } else {
                (rng.next() & 0xFF) as u8
            }
        })
        .collect()
}

/// Lines of a file as the loader counts them, each with its length in characters.
fn line_lengths(bytes: &[u8]) -> Vec<usize> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.split('\n').map(|l| l.chars().count()).collect()
}

fn write_case(content: &Path, files: &[(&str, Vec<u8>)]) {
    if content.exists() {
        std::fs::remove_dir_all(content).expect("clear content");
    }
    std::fs::create_dir_all(content).expect("create content");
    for (name, bytes) in files {
        common::write_file(&content.join(name), bytes);
    }
}

fn check_case(root: &Path, case: usize, files: &[(&str, Vec<u8>)]) -> usize {
    let content = root.join("content");
    write_case(&content, files);
    let describe = || {
        files
            .iter()
            .map(|(n, b)| format!("--- {n}\n{:?}", String::from_utf8_lossy(b)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        docshift::pipeline::check(&common::settings(root))
    }));
    let checked = match result {
        Ok(Ok(checked)) => checked,
        Ok(Err(e)) => panic!("case {case}: check failed: {e}\n{}", describe()),
        Err(_) => panic!("case {case}: check panicked on:\n{}", describe()),
    };
    for d in &checked.diagnostics {
        let path = content.join(&d.file);
        assert!(
            !d.file.is_empty() && path.is_file(),
            "case {case}: {d:?} names a file that does not exist\n{}",
            describe()
        );
        let bytes = std::fs::read(&path).expect("read reported file");
        let lines = line_lengths(&bytes);
        assert!(
            d.line >= 1 && d.column >= 1,
            "case {case}: {d:?} is not 1-based\n{}",
            describe()
        );
        assert!(
            d.line as usize <= lines.len(),
            "case {case}: {d:?} is past the last line ({})\n{}",
            lines.len(),
            describe()
        );
        assert!(
            d.column as usize <= lines[d.line as usize - 1] + 1,
            "case {case}: {d:?} is past the end of its line ({} characters)\n{}",
            lines[d.line as usize - 1],
            describe()
        );
        for r in &d.related {
            assert!(
                content.join(&r.file).is_file() && r.line >= 1,
                "case {case}: related {r:?} of {d:?}\n{}",
                describe()
            );
        }
    }
    checked.diagnostics.len()
}

/// The folder cases are written to: a fresh temporary one, or `DOCSHIFT_FUZZ_DIR` when set
/// (the failing case then stays on disk for `docshift check --root $DOCSHIFT_FUZZ_DIR`).
fn work_dir() -> (Option<tempfile::TempDir>, std::path::PathBuf) {
    match std::env::var_os("DOCSHIFT_FUZZ_DIR") {
        Some(dir) => (None, dir.into()),
        None => {
            // A memory file system when there is one: the cases are I/O-bound otherwise.
            let shm = Path::new("/dev/shm");
            let tmp = if shm.is_dir() {
                tempfile::tempdir_in(shm).or_else(|_| tempfile::tempdir())
            } else {
                tempfile::tempdir()
            }
            .expect("temp dir");
            let path = tmp.path().to_path_buf();
            (Some(tmp), path)
        }
    }
}

#[test]
fn random_markdown_never_panics_and_locations_are_real() {
    let (_tmp, dir) = work_dir();
    let mut rng = Rng(0x00D0_C5A1_F700_0001);
    let mut findings = 0;
    for case in 0..2000 {
        let n = 1 + rng.below(4);
        let files: Vec<(&str, Vec<u8>)> = (0..n)
            .map(|i| {
                let name = if i == 0 { "index.md" } else { rng.pick(NAMES) };
                (name, markdown(&mut rng))
            })
            .collect();
        findings += check_case(&dir.join("markdown"), case, &files);
    }
    // The grammar is nasty enough to produce plenty of findings (the test exercises them).
    assert!(findings > 2000, "only {findings} findings");
}

#[test]
fn random_bytes_never_panic_and_locations_are_real() {
    let (_tmp, dir) = work_dir();
    let mut rng = Rng(0xB17E_5EED);
    for case in 0..1500 {
        let files = vec![
            ("index.md", random_bytes(&mut rng)),
            (rng.pick(NAMES), random_bytes(&mut rng)),
        ];
        check_case(&dir.join("bytes"), case, &files);
    }
}

/// Inputs the fuzzer found, kept as plain regression tests.
#[test]
fn fuzz_regressions() {
    let (_tmp, dir) = work_dir();
    let root = dir.join("regressions");
    // A setext heading whose only text is a directive: the heading's placeholder event was
    // dropped as if it were a paragraph (index out of bounds in finish_heading).
    check_case(&root, 0, &[("index.md", b":::image-end:::\r-".to_vec())]);
    check_case(
        &root,
        1,
        &[("index.md", b"text\n\n:::image-end:::\n---\n".to_vec())],
    );
    // The same with an ATX heading: the heading and its image survive.
    let content = root.join("content");
    write_case(
        &content,
        &[(
            "index.md",
            b"# :::image type=\"content\" source=\"x.png\" alt-text=\"y\":::\n\n## Next\n".to_vec(),
        )],
    );
    let checked = docshift::pipeline::check(&common::settings(&root)).expect("check");
    let page = common::site_page(&checked.site, "index.md");
    let levels: Vec<u8> = page.headings().iter().map(|h| h.level).collect();
    assert_eq!(levels, [1, 2]);
    assert_eq!(
        common::finding_targets(&checked.diagnostics),
        ["missing-asset index.md:1:35 x.png"]
    );
    // A YamlMime:FAQ file that ends without a line break and lacks a required field: the
    // YAML parser placed the error on the line after the last one.
    check_case(&root, 2, &[("faq.yml", b"### YamlMime:FAQ".to_vec())]);
    check_case(
        &root,
        3,
        &[("faq.yml", b"### YamlMime:FAQ\ni:::zone-".to_vec())],
    );
    // Invalid UTF-8 after CRLF and lone-CR line breaks: the position counts them as breaks.
    write_case(&content, &[("index.md", b"a\r\nb\rc\xff".to_vec())]);
    let checked = docshift::pipeline::check(&common::settings(&root)).expect("check");
    assert_eq!(
        common::finding_targets(&checked.diagnostics),
        ["invalid-utf8 index.md:3:2 -"]
    );
    // A front matter value of 50 flow mappings, each the key of the next: every level
    // escaped the key text below it again, doubling it (out of memory on a 282-byte page).
    let nested = format!(
        "---\ntitle: Set up\nms.date: {}x{}\n---\n# Set up\n",
        "{".repeat(50),
        "}".repeat(50)
    );
    check_case(&root, 4, &[("index.md", nested.into_bytes())]);
    let checked = docshift::pipeline::check(&common::settings(&root)).expect("check");
    let page = common::site_page(&checked.site, "index.md");
    assert_eq!(page.title, "Set up");
    let date = page.front_matter["ms.date"].to_string();
    // The key is cut to 1 KB; written as JSON it is escaped once more.
    assert!(date.len() < 4096, "{} bytes", date.len());
}
