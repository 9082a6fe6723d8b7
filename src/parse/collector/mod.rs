//! The one pass over pulldown-cmark's offset iterator. It expands includes, applies the
//! DocFX extensions, assigns heading ids, and records anchors, links and tables with
//! their positions in the original files. No file-system access: included files come
//! from [`super::ParseContext::sources`].

mod blocks;
mod directives;
mod includes;
mod inline;
mod raw_html;
mod tabs;

pub(crate) use includes::ParsedText;

use super::html::HtmlScanner;
use super::specials::{find_specials, Special, SpecialKind};
use super::ParseContext;
use crate::diag::{Code, Diagnostic};
use crate::model::doc::{Ev, HtmlLink, ImageDirective, LayoutMark, Node, RawHtml};
use crate::model::link::classify;
use crate::model::{Anchor, AnchorKind, Cell, Heading, Link, LinkKind, LinkTarget, Row, Table};
use crate::slug::Slugger;
use crate::source::{PositionHint, SourceFile};
use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

/// A text being parsed: a page body or an included file.
pub(crate) struct Frame<'s> {
    /// The file the text comes from.
    pub src: &'s SourceFile,
    /// Offset of `text` inside `src.text`.
    pub base: usize,
    /// The Markdown text.
    pub text: &'s str,
    /// The last position asked for in `text`, to count the next one on from.
    hint: std::cell::Cell<PositionHint>,
}

impl<'s> Frame<'s> {
    /// The frame of `text`, which starts at byte `base` of `src.text`.
    pub(crate) fn new(src: &'s SourceFile, base: usize, text: &'s str) -> Frame<'s> {
        Frame {
            src,
            base,
            text,
            hint: std::cell::Cell::default(),
        }
    }

    fn pos(&self, offset: usize) -> (u32, u32) {
        let mut hint = self.hint.get();
        let position = self.src.position_near(self.base + offset, &mut hint);
        self.hint.set(hint);
        position
    }
}

struct HeadingState {
    level: u8,
    explicit: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    out_index: usize,
    text: String,
    named: Option<String>,
    drop_closing_a: bool,
    file: Arc<str>,
    line: u32,
}

struct CellState {
    nodes_start: usize,
    markdown: String,
    text: String,
    code: Vec<String>,
    links_start: usize,
}

struct TableState {
    table: Table,
    in_head: bool,
    cell: Option<CellState>,
}

/// Everything one page's pass produces.
#[derive(Default)]
pub(crate) struct Collected {
    pub nodes: Vec<Node>,
    pub headings: Vec<Heading>,
    pub anchors: Vec<Anchor>,
    pub links: Vec<Link>,
    pub tables: Vec<Table>,
    pub includes: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub shows_mapping_explorer: bool,
    pub tab_ids: Vec<String>,
}

pub(crate) struct Collector<'c> {
    ctx: &'c ParseContext<'c>,
    pub(crate) done: Collected,
    slugger: Slugger,
    chain: Vec<String>,
    /// Bytes of included text expanded into this page so far.
    included_bytes: usize,
    /// An include limit was reported for this page (later includes are left out silently).
    include_limit_reported: bool,
    heading: Option<HeadingState>,
    table: Option<TableState>,
    in_code: bool,
    link_depth: usize,
    section: Option<String>,
    paragraph_dropped: Vec<bool>,
    /// Blocks open at this point (containers, and the paragraph or heading being read).
    depth: usize,
    /// Tab groups not ended yet, innermost last.
    tab_groups: Vec<tabs::OpenGroup>,
    /// Tab groups started so far in the page.
    tab_group_count: usize,
    /// The tab ids already in `done.tab_ids`, so that each is listed once without a scan of
    /// the list for every tab.
    tab_ids_seen: rustc_hash::FxHashSet<String>,
    /// The name of the file last recorded in a link, anchor, heading or table: one string
    /// shared by all of them rather than a copy each.
    file: Option<Arc<str>>,
}

fn is_inline(ev: &Event<'_>) -> bool {
    match ev {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

impl<'c> Collector<'c> {
    pub(crate) fn new(ctx: &'c ParseContext<'c>, page: &str) -> Self {
        Collector {
            ctx,
            done: Collected::default(),
            slugger: Slugger::new(),
            chain: vec![page.to_string()],
            included_bytes: 0,
            include_limit_reported: false,
            heading: None,
            table: None,
            in_code: false,
            link_depth: 0,
            section: None,
            paragraph_dropped: Vec::new(),
            depth: 0,
            tab_groups: Vec::new(),
            tab_group_count: 0,
            tab_ids_seen: Default::default(),
            file: None,
        }
    }

    fn push(&mut self, ev: Event<'_>) {
        self.done.nodes.push(Node::from_event(ev));
    }

    /// True when the last node is the start of a paragraph (that nothing followed yet).
    fn at_paragraph_start(&self) -> bool {
        matches!(
            self.done.nodes.last(),
            Some(Node::Event(Ev::Start(TagEnd::Paragraph)))
        )
    }

    fn record_link(
        &mut self,
        frame: &Frame<'_>,
        kind: LinkKind,
        dest: &str,
        offset: usize,
    ) -> usize {
        let (line, column) = frame.pos(offset);
        let target = classify(dest, &frame.src.path, self.ctx.base_path);
        let file = self.file_name(frame);
        self.done.links.push(Link {
            kind,
            dest: dest.to_string(),
            target,
            file,
            line,
            column,
            definition_line: None,
        });
        self.done.links.len() - 1
    }

    /// The name of the file `frame` reads, shared with what was recorded before in it.
    fn file_name(&mut self, frame: &Frame<'_>) -> Arc<str> {
        match &self.file {
            Some(f) if **f == *frame.src.path => Arc::clone(f),
            _ => Arc::clone(self.file.insert(Arc::from(frame.src.path.as_str()))),
        }
    }

    fn record_anchor(&mut self, frame: &Frame<'_>, id: &str, kind: AnchorKind, offset: usize) {
        let (line, column) = frame.pos(offset);
        let file = self.file_name(frame);
        self.done.anchors.push(Anchor {
            id: id.to_string(),
            kind,
            file,
            line,
            column,
        });
    }

    fn diag(
        &mut self,
        frame: &Frame<'_>,
        code: Code,
        offset: usize,
        message: String,
    ) -> &mut Diagnostic {
        let (line, column) = frame.pos(offset);
        self.done.diagnostics.push(Diagnostic::new(
            code,
            &frame.src.path,
            line,
            column,
            message,
        ));
        self.done
            .diagnostics
            .last_mut()
            .unwrap_or_else(|| unreachable!("just pushed"))
    }

    /// Parses a page body and appends its events.
    pub(crate) fn run(&mut self, frame: &Frame<'_>) {
        let parser = Parser::new_ext(frame.text, super::markdown_options());
        let defs = definitions(&parser);
        self.replay(frame, parser.into_offset_iter(), defs);
    }

    /// Appends the events of one text (page body or included file), as pulldown-cmark gave
    /// them, with its reference definitions (label → destination, span).
    fn replay<'e>(
        &mut self,
        frame: &Frame<'_>,
        events: impl Iterator<Item = (Event<'e>, Range<usize>)>,
        definitions: Vec<(String, String, Range<usize>)>,
    ) {
        // Keyed by the lower-cased label, which is how a reference finds its definition (a
        // scan of every label for each reference is quadratic in a page of many of them).
        let mut defs: HashMap<String, (String, Range<usize>, bool)> = HashMap::default();
        for (label, dest, span) in definitions {
            defs.entry(label.to_lowercase())
                .or_insert((dest, span, false));
        }
        let mut html = HtmlScanner::default();
        let groups_before = self.tab_groups.len();
        let mut inline: Vec<(Event<'_>, Range<usize>)> = Vec::new();
        let mut skip: Range<usize> = 0..0;
        for (ev, range) in events {
            if range.start >= skip.start && range.end <= skip.end && !skip.is_empty() {
                continue;
            }
            if self.in_code {
                if let Event::Text(t) = ev {
                    self.push(Event::Text(t));
                    continue;
                }
            }
            if is_inline(&ev) {
                inline.push((ev, range));
                continue;
            }
            if self.tab_title_end(&ev, &mut inline) {
                continue;
            }
            if let Some(s) = self.flush_inline(frame, &mut inline, &mut html, &mut defs) {
                skip = s;
            }
            if self.tab_structure(&ev) {
                continue;
            }
            self.block(frame, ev, range, &mut html);
        }
        self.flush_inline(frame, &mut inline, &mut html, &mut defs);
        self.close_tab_groups(groups_before);
        let mut unused: Vec<_> = defs.into_iter().filter(|(_, (_, _, used))| !used).collect();
        unused.sort_by_key(|(_, (_, span, _))| span.start);
        for (_, (dest, span, _)) in unused {
            let at = frame.text[span.clone()]
                .find(&dest)
                .map_or(span.start, |i| span.start + i);
            self.record_link(frame, LinkKind::Definition, &dest, at);
        }
    }

    fn add_plain(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        }
        if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            c.text.push_str(text);
        }
    }

    fn push_html(&mut self, text: String, block: bool, links: Vec<HtmlLink>) {
        self.done
            .nodes
            .push(Node::Html(Box::new(RawHtml { text, block, links })));
    }

    fn push_link(&mut self, tag: Tag<'_>, link: usize) {
        self.done.nodes.push(Node::Link {
            tag: Box::new(tag.into_static()),
            link,
        });
    }
}

/// The reference definitions of a parse: label, destination, span.
fn definitions(parser: &Parser<'_>) -> Vec<(String, String, Range<usize>)> {
    parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| (label.to_string(), def.dest.to_string(), def.span.clone()))
        .collect()
}
