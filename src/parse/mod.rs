//! Parse stage: one [`SourceFile`] → one [`Page`] plus diagnostics, in a single pass over
//! pulldown-cmark's events with the DocFX extensions applied as event transformations.
//! No file-system access: included files come through [`ParseContext::sources`].

mod collector;
pub mod directive;
pub mod front_matter;
pub mod html;
pub mod slug;
mod slug_table;
mod specials;

use crate::diag::Diagnostic;
use crate::model::{Doc, Page};
use crate::source::SourceFile;
use pulldown_cmark::Options;
use std::sync::Arc;

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
}

/// Parses a page. `Err` when the page cannot be built at all (invalid front matter).
pub fn parse_page(
    src: &SourceFile,
    ctx: &ParseContext<'_>,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let split = front_matter::split_front_matter(src)?;
    let body = &src.text[split.body_offset..];
    let mut collector = collector::Collector::new(ctx, &src.path);
    collector.run(&collector::Frame {
        src,
        base: split.body_offset,
        text: body,
    });
    let done = collector.done;
    let fm = split.front_matter;
    let first_h1 = done
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| h.text.clone());
    let title = front_matter::text_value(&fm, "title")
        .filter(|t| !t.trim().is_empty())
        .or(first_h1)
        .unwrap_or_else(|| file_stem(&src.path));
    let date = front_matter::text_value(&fm, "ms.date")
        .or_else(|| front_matter::text_value(&fm, "date"))
        .map(|d| front_matter::normalize_date(&d));
    let weight = fm.get("weight").and_then(serde_json::Value::as_i64);
    let description = front_matter::text_value(&fm, "description").filter(|d| !d.trim().is_empty());
    let (url, output) = crate::urls::page_url(&src.path, ctx.base_path);
    let page = Page {
        path: src.path.clone(),
        url,
        output,
        front_matter: fm,
        title,
        description,
        date,
        weight,
        headings: done.headings,
        anchors: done.anchors,
        links: done.links,
        tables: done.tables,
        includes: done.includes.into_iter().collect(),
        body_line: src.position(split.body_offset).0,
        body: body.to_string(),
        doc: Doc {
            events: done.events,
            slots: done.slots,
        },
    };
    Ok((page, done.diagnostics))
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
