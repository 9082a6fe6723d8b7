//! The site model: plain serde types that every later stage reads.
//!
//! Data only. Parsing fills it (`parse`), lookups live in [`site`], validation
//! (`check`), rendering (`render`) and exports read it and never change its shape.

pub mod cards;
pub mod doc;
pub mod doc_codec;
pub mod doc_text;
pub mod front_matter;
pub mod link;
pub mod manifest;
pub mod migration;
pub mod names;
pub mod outline;
mod packed;
pub mod page_links;
pub mod page_tables;
pub mod site;
pub mod stow;
pub mod toc;

pub use cards::CardPage;
pub use doc::Doc;
pub use front_matter::FrontMatter;
pub use link::{Link, LinkCounts, LinkKind, LinkTarget};
pub use migration::Migration;
pub use outline::{AnchorRef, Anchors, HeadingRef, Headings, PageOutline};
pub use page_links::{LinkList, PageLinks};
pub use page_tables::{PageTables, TableList};
pub use site::{Asset, Resolution, Site};

use serde::Serialize;

/// One page: a Markdown file, a YAML file generated into Markdown (FAQ, mapping set), or
/// a Learn Hub or Landing YAML file ([`Page::cards`]).
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Source path relative to the content folder, `/`-separated (`guide/setup.md`).
    pub path: String,
    /// Pretty URL, including the configured base path (`/guide/setup/`).
    pub url: String,
    /// Output file relative to the output folder (`guide/setup/index.html`).
    pub output: String,
    /// Every front matter key, as written.
    pub front_matter: FrontMatter,
    /// `title` from front matter, else the first H1, else the file stem.
    pub title: String,
    /// `description` from front matter.
    pub description: Option<String>,
    /// `ms.date` or `date` from front matter, normalised to `YYYY-MM-DD` when it parses.
    pub date: Option<String>,
    /// `weight` from front matter: orders the navigation (lower first).
    pub weight: Option<i64>,
    /// Headings in document order (includes expanded), ids unique in the page, and every
    /// id the page defines, duplicates included, kept packed ([`PageOutline`]); read
    /// through [`Page::headings`] and [`Page::anchors`].
    #[serde(flatten)]
    pub outline: PageOutline,
    /// Every link and image reference, in document order, kept as bytes
    /// ([`PageLinks`]).
    pub links: PageLinks,
    /// Every table, in document order, kept as bytes ([`PageTables`]).
    pub tables: PageTables,
    /// Ids of the page's DocFX tabs, each `+`-joined part on its own, once each, in document
    /// order: what a `?tabs=<id>` or `#tab/<id>` link to the page may select.
    pub tab_ids: Vec<String>,
    /// Files this page includes through `[!INCLUDE]`, transitively.
    pub includes: Vec<String>,
    /// 1-based line of the first body line in the source file.
    pub body_line: u32,
    /// Length in bytes of the Markdown body (everything after the front matter): a size
    /// hint for the renderer. The text itself is not kept; `doc` holds what it parsed to.
    pub body_len: usize,
    /// The document the renderer turns into HTML.
    #[serde(skip)]
    pub doc: Doc,
    /// For a `YamlMime:Hub` or `YamlMime:Landing` page: its cards, which the renderer shows
    /// instead of a document (`doc` is then empty). Boxed: few pages have cards, and every
    /// page is held for the whole build (80 → 8 bytes a page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<Box<CardPage>>,
    /// The page's ids in id order, as indices into its anchors then its headings: made by the
    /// first [`Page::has_id`] or [`Page::ids_near`] on a page of many ids (a page's anchors
    /// and headings do not change once it is parsed).
    #[serde(skip)]
    pub id_order: names::NameOrder,
    /// The page's tab ids in id order, as indices into `tab_ids`: made by the first
    /// [`Page::has_tab`] or [`Page::tabs_near`] on a page of many tabs.
    #[serde(skip)]
    pub tab_order: names::NameOrder,
}

impl Page {
    /// True when the page defines `id`: an anchor's or a heading's. A page of many ids is
    /// searched through [`Page::id_order`], so that many links into one long page cost a
    /// binary search each rather than a scan of all its ids.
    pub fn has_id(&self, id: &str) -> bool {
        names::contains(self.id_count(), |i| self.id_at(i), &self.id_order, id)
    }

    /// The page's ids nearest to `id` in alphabetical order, at most `limit` of them (every
    /// id of a page of at most `limit`): where a suggestion for a broken anchor is sought, so
    /// that many broken links into one long page each cost a bounded search.
    pub fn ids_near<'p>(&'p self, id: &str, limit: usize) -> impl Iterator<Item = &'p str> {
        names::nearest(
            self.id_count(),
            |i| self.id_at(i),
            &self.id_order,
            id,
            limit,
        )
    }

    /// True when the page has a DocFX tab `id` (searched like [`Page::has_id`]).
    pub fn has_tab(&self, id: &str) -> bool {
        names::contains(
            self.tab_ids.len(),
            |i| &self.tab_ids[i],
            &self.tab_order,
            id,
        )
    }

    /// The page's tab ids nearest to `id` in alphabetical order, at most `limit` of them
    /// (like [`Page::ids_near`]).
    pub fn tabs_near<'p>(&'p self, id: &str, limit: usize) -> impl Iterator<Item = &'p str> {
        names::nearest(
            self.tab_ids.len(),
            |i| &self.tab_ids[i],
            &self.tab_order,
            id,
            limit,
        )
    }

    /// Headings in document order (includes expanded), ids unique in the page.
    pub fn headings(&self) -> Headings<'_> {
        self.outline.headings()
    }

    /// Every id the page defines, duplicates included.
    pub fn anchors(&self) -> Anchors<'_> {
        self.outline.anchors()
    }

    /// How many ids the page has (its anchors and its headings, duplicates included).
    fn id_count(&self) -> usize {
        self.anchors().len() + self.headings().len()
    }

    /// The id at `i` of the page's anchors then its headings.
    fn id_at(&self, i: usize) -> &str {
        let anchors = self.anchors();
        match anchors.get(i) {
            Some(a) => a.id,
            None => (self.headings().get(i - anchors.len())).map_or("", |h| h.id),
        }
    }
}

/// A front matter value of a map as text (strings as is, numbers and booleans printed); see
/// [`FrontMatter::text`] for a page's.
pub fn front_matter_text(
    fm: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<String> {
    front_matter::value_text(fm.get(key)?)
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Plain text (markup stripped).
    pub text: String,
    /// The unique id the renderer writes.
    pub id: String,
    /// File the heading is written in (the page, or an included file).
    pub file: std::sync::Arc<str>,
    /// 1-based line.
    pub line: u32,
}

/// How an anchor came to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnchorKind {
    /// An automatic heading id.
    Heading,
    /// A `{#id}` heading attribute.
    HeadingAttribute,
    /// `<a name="x"></a>` at the start of a heading (DocFX heading-id rewrite).
    HeadingName,
    /// Any raw HTML `id="..."`.
    HtmlId,
    /// A raw HTML `<a name="...">`.
    HtmlName,
    /// A footnote definition `[^label]:` (rendered with `id="label"`).
    Footnote,
}

impl AnchorKind {
    /// True when the writer chose the id (everything but automatic heading ids).
    pub fn is_explicit(self) -> bool {
        !matches!(self, AnchorKind::Heading)
    }
}

/// An id a page defines, usable as a link fragment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anchor {
    /// The id.
    pub id: String,
    /// Where it came from.
    pub kind: AnchorKind,
    /// File the anchor is written in.
    pub file: std::sync::Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// A Markdown table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// File the table is written in.
    pub file: std::sync::Arc<str>,
    /// 1-based line of the header row.
    pub line: u32,
    /// Id of the closest heading above the table, if any.
    pub section: Option<String>,
    /// Header cells.
    pub header: Vec<Cell>,
    /// Body rows, normalised to the header width as GitHub does (missing cells are empty,
    /// extra cells dropped).
    pub rows: Vec<Row>,
}

/// A table body row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// 1-based line of the row.
    pub line: u32,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// A table cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell {
    /// The cell's Markdown as written (trimmed).
    pub markdown: String,
    /// Plain text: markup stripped, `<br>` turned into a line break.
    pub text: String,
    /// The cell's nodes: a range of the page's `doc.nodes` (of the page whose `tables`
    /// hold the cell).
    #[serde(skip)]
    pub nodes: std::ops::Range<usize>,
    /// Inline code spans in the cell, in order.
    pub code: Vec<String>,
    /// Indices into the page's `links` of the links inside the cell.
    pub links: Vec<usize>,
    /// For a cell with links: the plain text of its nodes outside them
    /// ([`doc_text::nodes_text`]), which a mapping entry keeps as its note. Read at parse
    /// time, so that the migration stage needs no page's nodes for it. `None` for a cell
    /// without links.
    #[serde(skip)]
    pub outside_links: Option<String>,
}
