//! A Markdown page with front matter and up to three included files: the input is split on
//! `\n=====\n` into `index.md`, `includes/a.md`, `includes/b.md` and `includes/c.md`, so the
//! fuzzer can build include chains, cycles and fan-outs. The page is then checked as the
//! one page of a site (its links to itself: anchors, tabs, suggestions). Neither may panic,
//! every finding must point inside the file it names, and the page's links, tables,
//! headings and anchors must read back from their bytes as they were written.
#![no_main]

use docshift::check::check_page;
use docshift::model::{PageLinks, PageOutline, PageTables, Site};
use docshift::parse::{parse_page, IncludeCache, ParseContext};
use docshift::settings::Config;
use docshift::source::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

const NAMES: [&str; 4] = [
    "index.md",
    "includes/a.md",
    "includes/b.md",
    "includes/c.md",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<Arc<SourceFile>> = text
        .splitn(NAMES.len(), "\n=====\n")
        .zip(NAMES)
        .map(|(part, name)| Arc::new(SourceFile::from_text(name, part)))
        .collect();
    let lookup = |path: &str| files.iter().find(|f| f.path == path).map(|f| Ok(f.clone()));
    let includes = IncludeCache::default();
    let ctx = ParseContext {
        base_path: "/",
        sources: &lookup,
        includes: &includes,
    };
    let (page, mut diagnostics) = parse_page(&files[0], &ctx);
    // The links and tables a page keeps as bytes are made back as they were written.
    assert_eq!(PageLinks::new(&page.links.read().expect("held").to_vec()), page.links);
    assert_eq!(PageTables::new(&page.tables.read().expect("held").to_vec()), page.tables);
    let (headings, anchors) = (page.headings().to_vec(), page.anchors().to_vec());
    assert_eq!(PageOutline::new(&headings, &anchors), page.outline);
    for file in (headings.iter().map(|h| &h.file)).chain(anchors.iter().map(|a| &a.file)) {
        assert!(NAMES.contains(&&**file), "a heading or anchor names {file}");
    }
    let fragments = NAMES[1..].iter().map(|n| n.to_string()).collect();
    let site = Site::new(Config::default(), vec![page], Vec::new(), fragments);
    diagnostics.extend(check_page(&site, 0).diagnostics);
    for d in diagnostics {
        let Some(file) = files.iter().find(|f| f.path == d.file) else {
            panic!("finding names an unknown file: {d:?}");
        };
        assert!(
            d.line >= 1 && d.line as usize <= file.lines.line_count(),
            "line outside {}: {d:?}",
            file.path
        );
        assert!(d.column >= 1, "{d:?}");
    }
});
