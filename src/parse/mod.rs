//! Parse stage: one [`SourceFile`] → one [`Page`] plus diagnostics, in a single pass over
//! pulldown-cmark's events with the DocFX extensions applied as event transformations.
//! No file-system access: included files come through [`ParseContext::sources`].

mod collector;
pub mod directive;
pub mod front_matter;
pub mod html;
mod specials;
pub mod toc;
mod yaml_page;

use crate::diag::Diagnostic;
use crate::model::{front_matter_text, Doc, Page, PageLinks, PageOutline, PageTables};
use crate::source::SourceFile;
use pulldown_cmark::Options;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use yaml_page::parse_card_page;

/// The Markdown options every parse uses (one place, so nothing can disagree).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_TASKLISTS
}

/// An included file that exists but could not be read or decoded (its own diagnostic says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unloadable;

/// Finds an included file by content-relative path: `None` when no such file exists,
/// `Some(Err(Unloadable))` when it exists but could not be loaded.
pub type SourceLookup<'a> = dyn Fn(&str) -> Option<Result<Arc<SourceFile>, Unloadable>> + Sync + 'a;

/// What the parser needs from outside.
pub struct ParseContext<'a> {
    /// The site's base path (for root-relative links).
    pub base_path: &'a str,
    /// Included files by content-relative path.
    pub sources: &'a SourceLookup<'a>,
    /// Included files already parsed (shared by every page of a build).
    pub includes: &'a IncludeCache,
}

/// Included files parsed once and replayed wherever they are included: a snippet that 500
/// pages include, or a file that a fan-out includes at every level, is parsed one time.
/// An entry is only used for the very file it was parsed from (the same loaded
/// [`SourceFile`]), so a cache kept across rebuilds never serves an edited file's old parse.
#[derive(Default)]
pub struct IncludeCache {
    parsed: Mutex<HashMap<String, Arc<IncludeEntry>>>,
    /// Parses made so far.
    parses: AtomicUsize,
}

/// One file's parse, made by the first page that needs it; others wait for it.
struct IncludeEntry {
    src: Arc<SourceFile>,
    parsed: OnceLock<Arc<collector::ParsedText>>,
}

impl IncludeCache {
    /// The parse of included file `src`, parsing it if this is its first use.
    fn parsed(&self, src: &Arc<SourceFile>) -> Arc<collector::ParsedText> {
        let entry = {
            let mut map = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
            match map.get(&src.path) {
                Some(entry) if Arc::ptr_eq(&entry.src, src) => Arc::clone(entry),
                _ => {
                    let entry = Arc::new(IncludeEntry {
                        src: Arc::clone(src),
                        parsed: OnceLock::new(),
                    });
                    map.insert(src.path.clone(), Arc::clone(&entry));
                    entry
                }
            }
        };
        // Parsed outside the map's lock; a second page that needs it meanwhile waits here.
        Arc::clone(entry.parsed.get_or_init(|| {
            self.parses.fetch_add(1, Ordering::Relaxed);
            Arc::new(collector::ParsedText::new(&entry.src))
        }))
    }

    /// Forgets every file `keep` does not name (removed from the site).
    pub fn retain(&self, keep: impl Fn(&str) -> bool) {
        let mut map = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|path, _| keep(path));
    }

    /// How many times an included file was parsed (for tests and measurements).
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }
}

/// Parses a page, with its findings. Every page can be built: one with invalid front matter
/// is built from its body (the finding says why its front matter is ignored).
pub fn parse_page(src: &SourceFile, ctx: &ParseContext<'_>) -> (Page, Vec<Diagnostic>) {
    let (split, front_matter_error) = front_matter::split_front_matter(src);
    let body = &src.text[split.body_offset..];
    let mut collector = collector::Collector::new(ctx, &src.path);
    collector.run(&collector::Frame::new(src, split.body_offset, body));
    let mut done = collector.done;
    // A page with invalid front matter is still built from its body, as DocFX does.
    done.diagnostics.splice(0..0, front_matter_error);
    let fm = split.front_matter;
    let first_h1 = done
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| h.text.clone());
    let title = front_matter_text(&fm, "title")
        .filter(|t| !t.trim().is_empty())
        .or(first_h1)
        .unwrap_or_else(|| file_stem(&src.path));
    let date = front_matter_text(&fm, "ms.date")
        .or_else(|| front_matter_text(&fm, "date"))
        .map(|d| front_matter::normalize_date(&d));
    let weight = fm.get("weight").and_then(serde_json::Value::as_i64);
    let description = front_matter_text(&fm, "description").filter(|d| !d.trim().is_empty());
    let (url, output) = crate::urls::page_url(&src.path, ctx.base_path);
    // Kept until the page is rendered and indexed (the facts for the whole build), so
    // without the growth slack of a pushed-to vector: a page's nodes and links are the
    // largest allocation sites of a build's peak heap, and a vector grown by doubling is a
    // quarter empty on average.
    let mut nodes = done.nodes;
    nodes.shrink_to_fit();
    let page = Page {
        path: src.path.clone(),
        url,
        output,
        front_matter: fm.into(),
        title,
        description,
        date,
        weight,
        outline: PageOutline::new(&done.headings, &done.anchors),
        links: PageLinks::new(&done.links),
        tables: PageTables::new(&done.tables),
        tab_ids: done.tab_ids,
        includes: done.includes.into_iter().collect(),
        body_line: src.position(split.body_offset).0,
        body_len: body.len(),
        id_order: Default::default(),
        tab_order: Default::default(),
        doc: Doc {
            nodes,
            shows_mapping_explorer: done.shows_mapping_explorer,
        },
        cards: None,
    };
    (page, done.diagnostics)
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = crate::urls::page_stem(name);
    if crate::urls::is_index_name(name) {
        path.rsplit('/').nth(1).unwrap_or("Home").to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests;
