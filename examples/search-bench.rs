//! Times the search index build on a site, apart from the rest of the build.
//!
//! `cargo run --release --example search-bench -- <site-root>`
//!
//! Prints the time to load and check the site, to render it (pages, without writing), and
//! to build the search index, plus the index's size. `scripts/bench-search.sh` runs it with
//! the whole-build comparison and the query-transfer figures.

use docshift::pipeline;
use docshift::search::{self, SearchOptions};
use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: search-bench <site-root>");
        std::process::exit(2);
    };
    let settings = docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(root.into()),
        ..Default::default()
    })
    .expect("settings");
    let t = Instant::now();
    let checked = pipeline::check(&settings).expect("check");
    let load = t.elapsed();
    let site = &checked.site;
    let t = Instant::now();
    let extras = search::extras_from_migration(site);
    let extract = t.elapsed();
    let t = Instant::now();
    let files = search::SearchIndex::build_with(site, &extras, SearchOptions::default()).files();
    let index = t.elapsed();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "pages {}  load+check {:.2?}  extras {:.2?} ({})  index {:.2?}  files {}  bytes {}",
        site.pages.len(),
        load,
        extract,
        extras.len(),
        index,
        files.len(),
        bytes
    );
}
