//! The one pass over pulldown-cmark's offset iterator. It expands includes, applies the
//! DocFX extensions, assigns heading ids, and records anchors, links and tables with
//! their positions in the original files. No file-system access: included files come
//! from [`super::ParseContext::sources`].

use super::html::HtmlScanner;
use super::slug::Slugger;
use super::specials::{find_specials, Special, SpecialKind};
use super::ParseContext;
use crate::diag::{Code, Diagnostic};
use crate::model::doc::{HtmlLink, ImageDirective, LayoutMark, Node, RawHtml};
use crate::model::link::classify;
use crate::model::{Anchor, AnchorKind, Cell, Heading, Link, LinkKind, LinkTarget, Row, Table};
use crate::source::SourceFile;
use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// A text being parsed: a page body or an included file.
pub(crate) struct Frame<'s> {
    /// The file the text comes from.
    pub src: &'s SourceFile,
    /// Offset of `text` inside `src.text`.
    pub base: usize,
    /// The Markdown text.
    pub text: &'s str,
}

impl Frame<'_> {
    fn pos(&self, offset: usize) -> (u32, u32) {
        self.src.position(self.base + offset)
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
    file: String,
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
        }
    }

    fn push(&mut self, ev: Event<'_>) {
        self.done.nodes.push(Node::Event(ev.into_static()));
    }

    /// True when the last node is the start of a paragraph (that nothing followed yet).
    fn at_paragraph_start(&self) -> bool {
        matches!(
            self.done.nodes.last(),
            Some(Node::Event(Event::Start(Tag::Paragraph)))
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
        self.done.links.push(Link {
            kind,
            dest: dest.to_string(),
            target,
            file: frame.src.path.clone(),
            line,
            column,
            definition_line: None,
        });
        self.done.links.len() - 1
    }

    fn record_anchor(&mut self, frame: &Frame<'_>, id: &str, kind: AnchorKind, offset: usize) {
        let (line, column) = frame.pos(offset);
        self.done.anchors.push(Anchor {
            id: id.to_string(),
            kind,
            file: frame.src.path.clone(),
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
        let mut defs: HashMap<String, (String, Range<usize>, bool)> = definitions
            .into_iter()
            .map(|(label, dest, span)| (label, (dest, span, false)))
            .collect();
        let mut html = HtmlScanner::default();
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
            if let Some(s) = self.flush_inline(frame, &mut inline, &mut html, &mut defs) {
                skip = s;
            }
            self.block(frame, ev, range, &mut html);
        }
        self.flush_inline(frame, &mut inline, &mut html, &mut defs);
        let mut unused: Vec<_> = defs.into_iter().filter(|(_, (_, _, used))| !used).collect();
        unused.sort_by_key(|(_, (_, span, _))| span.start);
        for (_, (dest, span, _)) in unused {
            let at = frame.text[span.clone()]
                .find(&dest)
                .map_or(span.start, |i| span.start + i);
            self.record_link(frame, LinkKind::Definition, &dest, at);
        }
    }

    fn block(
        &mut self,
        frame: &Frame<'_>,
        ev: Event<'_>,
        range: Range<usize>,
        html: &mut HtmlScanner,
    ) {
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let (line, _) = frame.pos(range.start);
                self.heading = Some(HeadingState {
                    level: level as u8,
                    explicit: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    out_index: self.done.nodes.len(),
                    text: String::new(),
                    named: None,
                    drop_closing_a: false,
                    file: frame.src.path.clone(),
                    line,
                });
                self.push(Event::Start(Tag::Paragraph));
                if let Some(h) = &self.heading {
                    if let Some(id) = h.explicit.clone() {
                        self.record_anchor(frame, &id, AnchorKind::HeadingAttribute, range.start);
                    }
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                self.finish_heading(frame, range.start);
                self.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_dropped.push(false);
                self.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if self.paragraph_dropped.pop() != Some(true) {
                    // A paragraph whose text was all consumed (the rest of a complex image's
                    // long description) leaves nothing to show: drop it instead of `<p></p>`.
                    if self.at_paragraph_start() {
                        self.done.nodes.pop();
                    } else {
                        self.push(Event::End(TagEnd::Paragraph));
                    }
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                // The renderer writes the definition as `<div ... id="label">`: a valid target.
                self.record_anchor(frame, &label, AnchorKind::Footnote, range.start);
                self.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                self.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Html(text) => self.raw_html(frame, text, range, html, true),
            Event::Start(Tag::Table(aligns)) => {
                let (line, _) = frame.pos(range.start);
                self.table = Some(TableState {
                    table: Table {
                        file: frame.src.path.clone(),
                        line,
                        section: self.section.clone(),
                        header: Vec::new(),
                        rows: Vec::new(),
                    },
                    in_head: false,
                    cell: None,
                });
                self.push(Event::Start(Tag::Table(aligns)));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
                self.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
                self.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                let (line, _) = frame.pos(range.start);
                if let Some(t) = &mut self.table {
                    t.table.rows.push(Row {
                        line,
                        cells: Vec::new(),
                    });
                }
                self.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let nodes_start = self.done.nodes.len() + 1;
                let links_start = self.done.links.len();
                if let Some(t) = &mut self.table {
                    t.cell = Some(CellState {
                        nodes_start,
                        markdown: frame.text[range].trim().to_string(),
                        text: String::new(),
                        code: Vec::new(),
                        links_start,
                    });
                }
                self.push(Event::Start(Tag::TableCell));
            }
            Event::End(TagEnd::TableCell) => {
                self.finish_cell();
                self.push(Event::End(TagEnd::TableCell));
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.done.tables.push(t.table);
                }
                self.push(Event::End(TagEnd::Table));
            }
            other => self.push(other),
        }
    }

    fn finish_cell(&mut self) {
        let links_end = self.done.links.len();
        let Some(t) = &mut self.table else { return };
        let Some(cell) = t.cell.take() else { return };
        let cell = Cell {
            markdown: cell.markdown,
            text: cell.text.trim().to_string(),
            nodes: cell.nodes_start..self.done.nodes.len(),
            code: cell.code,
            links: (cell.links_start..links_end).collect(),
        };
        if t.in_head {
            t.table.header.push(cell);
        } else if let Some(row) = t.table.rows.last_mut() {
            row.cells.push(cell);
        }
    }

    fn finish_heading(&mut self, frame: &Frame<'_>, offset: usize) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let id = if let Some(id) = h.explicit.clone() {
            self.slugger.reserve(&id);
            id
        } else if let Some(id) = h.named.clone() {
            id
        } else {
            let id = self.slugger.slug(&text);
            self.record_anchor(frame, &id, AnchorKind::Heading, offset);
            id
        };
        let classes: Vec<CowStr<'static>> = h.classes.into_iter().map(CowStr::from).collect();
        let attrs: Vec<(CowStr<'static>, Option<CowStr<'static>>)> = h
            .attrs
            .into_iter()
            .map(|(k, v)| (CowStr::from(k), v.map(CowStr::from)))
            .collect();
        let level = pulldown_cmark::HeadingLevel::try_from(h.level as usize)
            .unwrap_or(pulldown_cmark::HeadingLevel::H6);
        self.done.nodes[h.out_index] = Node::Event(Event::Start(Tag::Heading {
            level,
            // A heading that slugs to nothing (`## ???`) has the id "" in the model, as on
            // GitHub, but `id=""` is not valid HTML: it gets no id attribute.
            id: (!id.is_empty()).then(|| CowStr::from(id.clone())),
            classes,
            attrs,
        }));
        self.section = Some(id.clone());
        self.done.headings.push(Heading {
            level: h.level,
            text,
            id,
            file: h.file,
            line: h.line,
        });
    }

    fn add_plain(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        }
        if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            c.text.push_str(text);
        }
    }

    /// Handles the inline events gathered since the last block event. Returns a range of
    /// the text to skip afterwards (the rest of a complex image's description).
    fn flush_inline(
        &mut self,
        frame: &Frame<'_>,
        run: &mut Vec<(Event<'_>, Range<usize>)>,
        html: &mut HtmlScanner,
        defs: &mut HashMap<String, (String, Range<usize>, bool)>,
    ) -> Option<Range<usize>> {
        if run.is_empty() {
            return None;
        }
        let start = run.iter().map(|(_, r)| r.start).min().unwrap_or(0);
        let end = run.iter().map(|(_, r)| r.end).max().unwrap_or(0);
        let protected: Vec<Range<usize>> = run
            .iter()
            .filter(|(e, _)| matches!(e, Event::Code(_)))
            .map(|(_, r)| r.clone())
            .collect();
        let specials =
            if frame.text[start..end].contains("[!") || frame.text[start..end].contains(":::") {
                find_specials(frame.text, start..end, &protected)
            } else {
                Vec::new()
            };
        let mut skip_after = None;
        // A paragraph of nothing but specials is replaced by them; a malformed directive is
        // shown as written, so its paragraph stays.
        // A heading's text is never a block: its opening event stands in `events` as a
        // placeholder that `finish_heading` replaces, so it must not be dropped.
        let block = !specials.is_empty()
            && self.heading.is_none()
            && self.only_specials(frame.text, start..end, &specials)
            && !specials
                .iter()
                .any(|s| matches!(s.kind, SpecialKind::Malformed { .. }));
        if block && self.at_paragraph_start() {
            self.done.nodes.pop();
            if let Some(top) = self.paragraph_dropped.last_mut() {
                *top = true;
            }
        }
        let mut next = 0;
        for (ev, range) in run.drain(..) {
            // Emit every special that starts before this event.
            while next < specials.len() && specials[next].range.start <= range.start {
                self.emit_special(frame, &specials[next], block);
                next += 1;
            }
            let overlapping: Vec<&Special> = specials
                .iter()
                .filter(|s| s.range.start < range.end && range.start < s.range.end)
                .collect();
            if overlapping.is_empty() {
                self.inline_event(frame, ev, range, html, defs);
                continue;
            }
            if let Event::Text(t) = &ev {
                if t.len() == range.len() {
                    // Keep the pieces of the text outside the specials.
                    let mut cursor = range.start;
                    for s in &overlapping {
                        if s.range.start > cursor {
                            let piece = &t[cursor - range.start..s.range.start - range.start];
                            self.inline_event(
                                frame,
                                Event::Text(CowStr::from(piece.to_string())),
                                cursor..s.range.start,
                                html,
                                defs,
                            );
                        }
                        while next < specials.len() && specials[next].range.start <= s.range.start {
                            self.emit_special(frame, &specials[next], block);
                            next += 1;
                        }
                        cursor = cursor.max(s.range.end);
                    }
                    if cursor < range.end {
                        let piece = &t[cursor - range.start..];
                        self.inline_event(
                            frame,
                            Event::Text(CowStr::from(piece.to_string())),
                            cursor..range.end,
                            html,
                            defs,
                        );
                    }
                }
            }
        }
        while next < specials.len() {
            self.emit_special(frame, &specials[next], block);
            next += 1;
        }
        for s in &specials {
            if s.range.end > end {
                skip_after = Some(end..s.range.end);
            }
        }
        skip_after
    }

    fn only_specials(&self, text: &str, span: Range<usize>, specials: &[Special]) -> bool {
        let mut cursor = span.start;
        for s in specials {
            if !text[cursor..s.range.start.max(cursor)].trim().is_empty() {
                return false;
            }
            cursor = cursor.max(s.range.end);
        }
        cursor >= span.end || text[cursor..span.end].trim().is_empty()
    }

    fn inline_event(
        &mut self,
        frame: &Frame<'_>,
        ev: Event<'_>,
        range: Range<usize>,
        html: &mut HtmlScanner,
        defs: &mut HashMap<String, (String, Range<usize>, bool)>,
    ) {
        match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kind = match link_type {
                    LinkType::Inline => LinkKind::Inline,
                    LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                    _ => LinkKind::Reference,
                };
                let index = self.record_link(frame, kind, &dest_url, range.start);
                if link_type == LinkType::Email {
                    // `<team@example.com>`: the renderer writes `mailto:`; never a local file.
                    self.done.links[index].target = LinkTarget::External {
                        scheme: "mailto".to_string(),
                    };
                }
                if kind == LinkKind::Reference {
                    self.mark_definition(frame, defs, &id, index);
                }
                self.link_depth += 1;
                let tag = Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                self.push_link(tag, index);
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let index = self.record_link(frame, LinkKind::Image, &dest_url, range.start);
                if !matches!(link_type, LinkType::Inline) {
                    self.mark_definition(frame, defs, &id, index);
                }
                let tag = Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                self.push_link(tag, index);
            }
            Event::InlineHtml(t) => self.raw_html(frame, t, range, html, false),
            Event::Text(t) if is_entity_reference(&t, &frame.text[range.clone()]) => {
                // `&#x20;`, `&nbsp;`: the text model gets the character, the page keeps the
                // reference exactly as written.
                self.add_plain(&t);
                self.push_html(frame.text[range].to_string(), false, Vec::new());
            }
            Event::Text(t) => {
                self.add_plain(&t);
                if self.link_depth == 0
                    && self.heading.is_none()
                    && (t.contains("https://") || t.contains("http://"))
                {
                    self.autolink_text(frame, &t, range);
                } else {
                    self.push(Event::Text(t));
                }
            }
            Event::Code(t) => {
                self.add_plain(&t);
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    c.code.push(t.to_string());
                }
                self.push(Event::Code(t));
            }
            Event::SoftBreak => {
                self.add_plain(" ");
                self.push(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.add_plain("\n");
                self.push(Event::HardBreak);
            }
            other => self.push(other),
        }
    }

    fn mark_definition(
        &mut self,
        frame: &Frame<'_>,
        defs: &mut HashMap<String, (String, Range<usize>, bool)>,
        label: &str,
        index: usize,
    ) {
        let key = defs
            .keys()
            .find(|k| k.eq_ignore_ascii_case(label) || k.to_lowercase() == label.to_lowercase())
            .cloned();
        if let Some(key) = key {
            if let Some(def) = defs.get_mut(&key) {
                def.2 = true;
                let (line, _) = frame.pos(def.1.start);
                self.done.links[index].definition_line = Some(line);
            }
        }
    }

    /// Turns bare `http(s)://` URLs in text into links (GitHub and Learn do the same).
    fn autolink_text(&mut self, frame: &Frame<'_>, text: &str, range: Range<usize>) {
        let exact = text.len() == range.len();
        let mut rest = 0;
        while let Some(found) = [text[rest..].find("https://"), text[rest..].find("http://")]
            .into_iter()
            .flatten()
            .min()
        {
            let at = rest + found;
            let end = url_end(text, at);
            if end <= at + "https://".len() {
                self.push(Event::Text(CowStr::from(
                    text[rest..end.max(at + 1)].to_string(),
                )));
                rest = end.max(at + 1);
                continue;
            }
            if at > rest {
                self.push(Event::Text(CowStr::from(text[rest..at].to_string())));
            }
            let url = &text[at..end];
            let offset = if exact { range.start + at } else { range.start };
            let index = self.record_link(frame, LinkKind::Autolink, url, offset);
            let tag = Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(url.to_string()),
                title: CowStr::from(""),
                id: CowStr::from(""),
            };
            self.push_link(tag, index);
            self.push(Event::Text(CowStr::from(url.to_string())));
            self.push(Event::End(TagEnd::Link));
            rest = end;
        }
        if rest < text.len() {
            self.push(Event::Text(CowStr::from(text[rest..].to_string())));
        }
    }

    fn raw_html(
        &mut self,
        frame: &Frame<'_>,
        text: CowStr<'_>,
        range: Range<usize>,
        html: &mut HtmlScanner,
        block: bool,
    ) {
        let tags = html.scan(&text);
        let exact = text.len() == range.len();
        let at = |span_start: usize| {
            if exact {
                range.start + span_start
            } else {
                range.start
            }
        };
        // DocFX heading-id rewrite: `## <a name="x"></a>Text` gives the heading the id `x`.
        if let Some(h) = &mut self.heading {
            if h.drop_closing_a && tags.len() == 1 && tags[0].closing && tags[0].name == "a" {
                h.drop_closing_a = false;
                return;
            }
            let first_in_heading = h.out_index + 1 == self.done.nodes.len()
                && h.named.is_none()
                && h.explicit.is_none();
            if first_in_heading {
                if let Some(tag) = tags
                    .first()
                    .filter(|t| t.name == "a" && !t.closing && !text.trim_end().ends_with("/>"))
                {
                    let named = tag
                        .attr("name")
                        .or_else(|| tag.attr("id"))
                        .map(|a| a.value.clone());
                    let valid = named.as_deref().is_some_and(|n| {
                        !n.is_empty()
                            && n.chars()
                                .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.'))
                    });
                    if let (Some(name), true) = (named, valid) {
                        h.named = Some(name.clone());
                        h.drop_closing_a = !tags.iter().any(|t| t.closing && t.name == "a");
                        self.record_anchor(frame, &name, AnchorKind::HeadingName, range.start);
                        return;
                    }
                }
            }
        }
        let mut links = Vec::new();
        for tag in tags.iter().filter(|t| !t.closing) {
            if let Some(id) = tag.attr("id") {
                self.record_anchor(frame, &id.value, AnchorKind::HtmlId, at(id.span.start));
            }
            if tag.name == "a" {
                if let Some(name) = tag.attr("name") {
                    self.record_anchor(
                        frame,
                        &name.value,
                        AnchorKind::HtmlName,
                        at(name.span.start),
                    );
                }
            }
            let link = match tag.name.as_str() {
                "a" => tag.attr("href").map(|a| (LinkKind::HtmlHref, a)),
                "img" => tag.attr("src").map(|a| (LinkKind::HtmlSrc, a)),
                _ => None,
            };
            if let Some((kind, attr)) = link {
                let index = self.record_link(frame, kind, &attr.value, at(attr.span.start));
                links.push(HtmlLink {
                    span: attr.span.clone(),
                    link: index,
                });
            }
            if tag.name == "br" {
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    c.text.push('\n');
                }
            }
        }
        self.push_html(text.to_string(), block, links);
    }

    fn push_html(&mut self, text: String, block: bool, links: Vec<HtmlLink>) {
        self.done
            .nodes
            .push(Node::Html(RawHtml { text, block, links }));
    }

    fn push_link(&mut self, tag: Tag<'_>, link: usize) {
        let tag = Event::Start(tag).into_static();
        let Event::Start(tag) = tag else {
            unreachable!("a start event stays one")
        };
        self.done.nodes.push(Node::Link { tag, link });
    }

    fn emit_special(&mut self, frame: &Frame<'_>, special: &Special, block: bool) {
        match &special.kind {
            SpecialKind::Include { path } => self.include(frame, path, special.range.start, block),
            SpecialKind::Malformed { message } => {
                self.diag(
                    frame,
                    Code::MalformedDirective,
                    special.range.start,
                    message.clone(),
                )
                .target = Some(frame.text[special.range.clone()].to_string());
                let raw = frame.text[special.range.clone()].to_string();
                self.add_plain(&raw);
                self.push(Event::Text(CowStr::from(raw)));
            }
            SpecialKind::Directive { directive, body } => {
                let layout = |mark| Node::Layout { mark, block };
                match directive.name.as_str() {
                    "image" => self.emit_image(frame, directive, body.clone(), special.range.start),
                    "no-loc" => {
                        let text = directive.attr("text").unwrap_or_default().to_string();
                        self.add_plain(&text);
                        self.push(Event::Text(CowStr::from(text)));
                    }
                    "row" => self.done.nodes.push(layout(LayoutMark::Row)),
                    "mapping-explorer" => {
                        self.done.shows_mapping_explorer |= block;
                        self.done.nodes.push(Node::MappingExplorer {
                            set: directive.attr("set").map(str::to_string),
                            block,
                        })
                    }
                    "column" => self.done.nodes.push(layout(LayoutMark::Column)),
                    "column-end" => self.done.nodes.push(layout(LayoutMark::ColumnEnd)),
                    "row-end" => self.done.nodes.push(layout(LayoutMark::RowEnd)),
                    "image-end" => {
                        self.diag(
                            frame,
                            Code::MalformedDirective,
                            special.range.start,
                            "`:::image-end:::` without an opening `:::image type=\"complex\"`"
                                .to_string(),
                        );
                    }
                    // zone and moniker: every variant is shown; the markers themselves vanish.
                    _ => {}
                }
            }
        }
    }

    fn emit_image(
        &mut self,
        frame: &Frame<'_>,
        d: &super::directive::Directive,
        body: Option<Range<usize>>,
        offset: usize,
    ) {
        let kind = d.attr("type").unwrap_or("content");
        let bordered = d
            .attr("border")
            .map_or(kind != "icon", |b| !b.eq_ignore_ascii_case("false"));
        let source = d.attr("source").unwrap_or_default();
        let alt = d.attr("alt-text").unwrap_or_default();
        let src_at = frame.text[offset..]
            .find(source)
            .map_or(offset, |i| offset + i);
        let link = d
            .attr("link")
            .map(|l| (l, LinkKind::Inline))
            .or_else(|| d.attr("lightbox").map(|l| (l, LinkKind::DirectiveLightbox)));
        let target = link.map(|(target, kind)| {
            let target_at = frame.text[offset..]
                .find(target)
                .map_or(offset, |i| offset + i);
            self.record_link(frame, kind, target, target_at)
        });
        let source = self.record_link(frame, LinkKind::DirectiveSource, source, src_at);
        let description = body.map(|body| {
            Parser::new_ext(frame.text[body].trim(), super::markdown_options())
                .map(Event::into_static)
                .collect()
        });
        self.done.nodes.push(Node::Image(Box::new(ImageDirective {
            kind: kind.to_string(),
            bordered,
            source,
            alt: alt.to_string(),
            target,
            position: frame.pos(offset),
            description,
        })));
    }

    fn include(&mut self, frame: &Frame<'_>, dest: &str, offset: usize, block: bool) {
        let target = classify(dest, &frame.src.path, self.ctx.base_path);
        let LinkTarget::Local { path, .. } = target else {
            self.diag(
                frame,
                Code::IncludeNotFound,
                offset,
                format!("include `{dest}` must be a relative path inside the content folder"),
            )
            .target = Some(dest.to_string());
            return;
        };
        if self.chain.contains(&path) {
            let chain = self
                .chain
                .iter()
                .chain(std::iter::once(&path))
                .cloned()
                .collect::<Vec<_>>()
                .join(" → ");
            self.diag(
                frame,
                Code::IncludeNotFound,
                offset,
                format!("include cycle: {chain}"),
            )
            .target = Some(dest.to_string());
            return;
        }
        if self.chain.len() > crate::diag::MAX_INCLUDE_DEPTH {
            if !std::mem::replace(&mut self.include_limit_reported, true) {
                let message = format!(
                    "includes nest deeper than {} levels; `{path}` and what it includes are left out (include chain: {})",
                    crate::diag::MAX_INCLUDE_DEPTH,
                    short_chain(&self.chain, &path)
                );
                self.diag(frame, Code::IncludeTooDeep, offset, message)
                    .target = Some(dest.to_string());
            }
            return;
        }
        let src = match (self.ctx.sources)(&path) {
            Some(Ok(src)) => src,
            found => {
                let chain = self.chain.join(" → ");
                let why = if found.is_some() {
                    "could not be loaded, see its own finding"
                } else {
                    "does not exist"
                };
                self.diag(
                    frame,
                    Code::IncludeNotFound,
                    offset,
                    format!("included file `{path}` {why} (include chain: {chain} → {path})"),
                )
                .target = Some(dest.to_string());
                return;
            }
        };
        self.done.includes.insert(path.clone());
        let cost = src.text.len().max(crate::diag::MIN_INCLUDE_COST);
        self.included_bytes = self.included_bytes.saturating_add(cost);
        if self.included_bytes > crate::diag::MAX_INCLUDED_BYTES {
            if !std::mem::replace(&mut self.include_limit_reported, true) {
                let message = format!(
                    "includes expand this page past {} MiB of included text (each include counts at least 4 KiB); `{path}` and the includes after it are left out (include chain: {})",
                    crate::diag::MAX_INCLUDED_BYTES >> 20,
                    short_chain(&self.chain, &path)
                );
                self.diag(frame, Code::IncludeTooLarge, offset, message)
                    .target = Some(dest.to_string());
            }
            return;
        }
        self.chain.push(path);
        let parsed = self.ctx.includes.parsed(&src);
        let inner = Frame {
            src: &src,
            base: parsed.body_offset,
            text: &src.text[parsed.body_offset..],
        };
        let start = self.done.nodes.len();
        self.replay(
            &inner,
            parsed.events.iter().cloned(),
            parsed.definitions.clone(),
        );
        if !block {
            self.unwrap_single_paragraph(start);
        }
        self.chain.pop();
    }

    /// An inline include of a one-paragraph file contributes the paragraph's content only.
    fn unwrap_single_paragraph(&mut self, start: usize) {
        let nodes = &self.done.nodes[start..];
        let opens = |n: &Node| matches!(n, Node::Event(Event::Start(Tag::Paragraph)));
        let single = nodes.first().is_some_and(opens)
            && matches!(
                nodes.last(),
                Some(Node::Event(Event::End(TagEnd::Paragraph)))
            )
            && nodes.iter().filter(|n| opens(n)).count() == 1;
        if single {
            self.done.nodes.pop();
            self.done.nodes.remove(start);
        }
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

/// An included file as pulldown-cmark parses it, kept so that a file included by many
/// pages, or many times by one page, is parsed once (see [`super::IncludeCache`]).
pub(crate) struct ParsedText {
    /// Where the body starts, after the file's own front matter.
    pub(crate) body_offset: usize,
    /// The events of the body with their ranges in it.
    pub(crate) events: Vec<(Event<'static>, Range<usize>)>,
    /// The body's reference definitions: label, destination, span.
    pub(crate) definitions: Vec<(String, String, Range<usize>)>,
}

impl ParsedText {
    /// Parses the body of an included file.
    pub(crate) fn new(src: &SourceFile) -> ParsedText {
        let body_offset = super::front_matter::split_front_matter(src).map_or(0, |s| s.body_offset);
        let parser = Parser::new_ext(&src.text[body_offset..], super::markdown_options());
        let definitions = definitions(&parser);
        let events = parser
            .into_offset_iter()
            .map(|(ev, range)| (ev.into_static(), range))
            .collect();
        ParsedText {
            body_offset,
            events,
            definitions,
        }
    }
}

/// True when a text event is one decoded entity reference (`&#x20;`, `&amp;`): pulldown-cmark
/// emits each as its own event whose source range is the reference.
fn is_entity_reference(text: &str, source: &str) -> bool {
    source.len() > 2
        && source.starts_with('&')
        && source.ends_with(';')
        && text != source
        && !source[1..].contains('&')
}

/// End of a bare URL starting at `at`: stops at whitespace or `<`, drops trailing
/// punctuation and an unbalanced closing parenthesis (GitHub's rules).
fn url_end(text: &str, at: usize) -> usize {
    let mut end = text[at..]
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .map_or(text.len(), |i| at + i);
    loop {
        let url = &text[at..end];
        let Some(last) = url.chars().last() else {
            break;
        };
        if matches!(
            last,
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~'
        ) {
            end -= last.len_utf8();
        } else if last == ')' && url.matches('(').count() < url.matches(')').count() {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

/// An include chain for a message: every file when it is short, else the first and last
/// few around a count of those left out.
fn short_chain(chain: &[String], next: &str) -> String {
    const ENDS: usize = 3;
    let all: Vec<&str> = chain
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(next))
        .collect();
    if all.len() <= 2 * ENDS + 1 {
        return all.join(" → ");
    }
    format!(
        "{} → … {} more … → {}",
        all[..ENDS].join(" → "),
        all.len() - 2 * ENDS,
        all[all.len() - ENDS..].join(" → ")
    )
}
