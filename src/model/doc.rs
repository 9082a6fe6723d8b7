//! A page's document: what the parser found, in order, for the renderer to write. Markdown
//! events stay pulldown-cmark events; every DocFX extension and every place a link target
//! appears is a typed node. Nothing here is HTML the parser wrote, and no URL in it was
//! decided by the parser: link targets are indices into the page's links, which the
//! renderer resolves.
//!
//! A large site keeps every page's document in memory until it is rendered, so nodes are
//! kept small: the common events (text, code, plain tag starts and ends) are stored in a
//! compact form ([`Ev`]) and turned back into pulldown-cmark events on demand, and the rare
//! large nodes are boxed.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The document of a page (includes expanded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The nodes in document order.
    pub nodes: Vec<Node>,
    /// True when a node is a block [`Node::MappingExplorer`]: the page shows the mapping
    /// sets, so it changes with them.
    pub shows_mapping_explorer: bool,
}

/// One node of a [`Doc`].
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A Markdown event as pulldown-cmark gave it (with heading ids assigned), in its compact
    /// form: [`Node::event`] gives it back. The start of a link or an image is a
    /// [`Node::Link`] instead.
    Event(Ev),
    /// The start of a Markdown link or image, as written (`tag`); its target is the page's
    /// link `link`.
    Link {
        /// The `Tag::Link` or `Tag::Image` as written.
        tag: Box<Tag<'static>>,
        /// Index into `Page::links`.
        link: usize,
    },
    /// Raw HTML as the author wrote it.
    Html(Box<RawHtml>),
    /// A `:::image:::` directive.
    Image(Box<ImageDirective>),
    /// A `:::row:::`, `:::column:::` or closing layout marker.
    Layout {
        /// What the marker opens or closes.
        mark: LayoutMark,
        /// True when the marker stands alone in its paragraph (a block).
        block: bool,
    },
    /// A piece of a DocFX tab group: the group's start (with every tab), a panel's start
    /// and end, the group's end. The nodes between a panel's start and end are its content.
    Tabs(TabMark),
    /// A `:::mapping-explorer:::` directive.
    MappingExplorer {
        /// The `set` attribute: one mapping set, or every set when absent.
        set: Option<Box<str>>,
        /// True when the directive stands alone in its paragraph (a block).
        block: bool,
    },
}

impl Node {
    /// The node of a Markdown event (its compact form; see [`Ev`]).
    pub fn from_event(ev: Event<'_>) -> Node {
        Node::Event(Ev::new(ev))
    }

    /// The Markdown event of an event node, borrowing its text; `None` for every other node.
    pub fn event(&self) -> Option<Event<'_>> {
        match self {
            Node::Event(ev) => Some(ev.event()),
            _ => None,
        }
    }
}

/// A Markdown event as a document keeps it: a full pulldown-cmark [`Event`] is several
/// times larger than most events need (its tags hold strings and vectors), and a page has
/// thousands of them. Text, code, soft breaks, ends and the starts of tags that carry no
/// data are stored as they are; every other event is boxed.
#[derive(Debug, Clone, PartialEq)]
pub enum Ev {
    /// `Event::Text`.
    Text(CowStr<'static>),
    /// `Event::Code`.
    Code(CowStr<'static>),
    /// `Event::Start` of the tag of this kind that carries no data (see [`plain_tag`]).
    Start(TagEnd),
    /// `Event::End`.
    End(TagEnd),
    /// `Event::SoftBreak`.
    SoftBreak,
    /// Any other event, as is.
    Other(Box<Event<'static>>),
}

impl Ev {
    /// The compact form of `ev`; [`Ev::event`] gives back an equal event.
    pub fn new(ev: Event<'_>) -> Ev {
        match ev {
            Event::Text(t) => Ev::Text(t.into_static()),
            Event::Code(t) => Ev::Code(t.into_static()),
            Event::End(end) => Ev::End(end),
            Event::SoftBreak => Ev::SoftBreak,
            Event::Start(tag) if tag == plain_tag(tag.to_end()) => Ev::Start(tag.to_end()),
            other => Ev::Other(Box::new(other.into_static())),
        }
    }

    /// The event, borrowing its text from `self`.
    pub fn event(&self) -> Event<'_> {
        match self {
            Ev::Text(t) => Event::Text(borrow_str(t)),
            Ev::Code(t) => Event::Code(borrow_str(t)),
            Ev::Start(end) => Event::Start(plain_tag(*end)),
            Ev::End(end) => Event::End(*end),
            Ev::SoftBreak => Event::SoftBreak,
            Ev::Other(ev) => borrow_event(ev),
        }
    }
}

/// The tag of kind `end` that carries no data: no heading id, class or attribute, an
/// indented code block, a bullet list or an ordered list from 1, a table without column
/// alignments, a link or image with empty target. A start of exactly this tag is stored as
/// [`Ev::Start`].
pub fn plain_tag(end: TagEnd) -> Tag<'static> {
    let empty = CowStr::Borrowed("");
    match end {
        TagEnd::Paragraph => Tag::Paragraph,
        TagEnd::Heading(level) => Tag::Heading {
            level,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        },
        TagEnd::BlockQuote(kind) => Tag::BlockQuote(kind),
        TagEnd::CodeBlock => Tag::CodeBlock(CodeBlockKind::Indented),
        TagEnd::HtmlBlock => Tag::HtmlBlock,
        TagEnd::List(ordered) => Tag::List(ordered.then_some(1)),
        TagEnd::Item => Tag::Item,
        TagEnd::FootnoteDefinition => Tag::FootnoteDefinition(empty),
        TagEnd::DefinitionList => Tag::DefinitionList,
        TagEnd::DefinitionListTitle => Tag::DefinitionListTitle,
        TagEnd::DefinitionListDefinition => Tag::DefinitionListDefinition,
        TagEnd::Table => Tag::Table(Vec::new()),
        TagEnd::TableHead => Tag::TableHead,
        TagEnd::TableRow => Tag::TableRow,
        TagEnd::TableCell => Tag::TableCell,
        TagEnd::Emphasis => Tag::Emphasis,
        TagEnd::Strong => Tag::Strong,
        TagEnd::Strikethrough => Tag::Strikethrough,
        TagEnd::Superscript => Tag::Superscript,
        TagEnd::Subscript => Tag::Subscript,
        TagEnd::Link => Tag::Link {
            link_type: LinkType::Inline,
            dest_url: empty.clone(),
            title: empty.clone(),
            id: empty,
        },
        TagEnd::Image => Tag::Image {
            link_type: LinkType::Inline,
            dest_url: empty.clone(),
            title: empty.clone(),
            id: empty,
        },
        TagEnd::MetadataBlock(kind) => Tag::MetadataBlock(kind),
    }
}

/// `s`, borrowed.
fn borrow_str<'a>(s: &'a CowStr<'_>) -> CowStr<'a> {
    CowStr::Borrowed(s.as_ref())
}

/// `ev` with its text borrowed from it instead of copied.
pub fn borrow_event<'a>(ev: &'a Event<'_>) -> Event<'a> {
    match ev {
        Event::Start(tag) => Event::Start(borrow_tag(tag)),
        Event::End(end) => Event::End(*end),
        Event::Text(t) => Event::Text(borrow_str(t)),
        Event::Code(t) => Event::Code(borrow_str(t)),
        Event::InlineMath(t) => Event::InlineMath(borrow_str(t)),
        Event::DisplayMath(t) => Event::DisplayMath(borrow_str(t)),
        Event::Html(t) => Event::Html(borrow_str(t)),
        Event::InlineHtml(t) => Event::InlineHtml(borrow_str(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(borrow_str(t)),
        Event::SoftBreak => Event::SoftBreak,
        Event::HardBreak => Event::HardBreak,
        Event::Rule => Event::Rule,
        Event::TaskListMarker(done) => Event::TaskListMarker(*done),
    }
}

/// `tag` with its text borrowed from it instead of copied.
pub fn borrow_tag<'a>(tag: &'a Tag<'_>) -> Tag<'a> {
    match tag {
        Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } => Tag::Heading {
            level: *level,
            id: id.as_ref().map(borrow_str),
            classes: classes.iter().map(borrow_str).collect(),
            attrs: (attrs.iter())
                .map(|(k, v)| (borrow_str(k), v.as_ref().map(borrow_str)))
                .collect(),
        },
        Tag::CodeBlock(CodeBlockKind::Fenced(lang)) => {
            Tag::CodeBlock(CodeBlockKind::Fenced(borrow_str(lang)))
        }
        Tag::CodeBlock(CodeBlockKind::Indented) => Tag::CodeBlock(CodeBlockKind::Indented),
        Tag::FootnoteDefinition(label) => Tag::FootnoteDefinition(borrow_str(label)),
        Tag::Table(alignments) => Tag::Table(alignments.clone()),
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type: *link_type,
            dest_url: borrow_str(dest_url),
            title: borrow_str(title),
            id: borrow_str(id),
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type: *link_type,
            dest_url: borrow_str(dest_url),
            title: borrow_str(title),
            id: borrow_str(id),
        },
        Tag::Paragraph => Tag::Paragraph,
        Tag::BlockQuote(kind) => Tag::BlockQuote(*kind),
        Tag::HtmlBlock => Tag::HtmlBlock,
        Tag::List(start) => Tag::List(*start),
        Tag::Item => Tag::Item,
        Tag::DefinitionList => Tag::DefinitionList,
        Tag::DefinitionListTitle => Tag::DefinitionListTitle,
        Tag::DefinitionListDefinition => Tag::DefinitionListDefinition,
        Tag::TableHead => Tag::TableHead,
        Tag::TableRow => Tag::TableRow,
        Tag::TableCell => Tag::TableCell,
        Tag::Emphasis => Tag::Emphasis,
        Tag::Strong => Tag::Strong,
        Tag::Strikethrough => Tag::Strikethrough,
        Tag::Superscript => Tag::Superscript,
        Tag::Subscript => Tag::Subscript,
        Tag::MetadataBlock(kind) => Tag::MetadataBlock(*kind),
    }
}

/// Raw HTML as written, with the attribute values that are links of the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawHtml {
    /// The HTML text.
    pub text: String,
    /// A block of HTML (`true`) or inline HTML.
    pub block: bool,
    /// `href` and `src` values in `text` that are page links, in order.
    pub links: Vec<HtmlLink>,
}

/// A link target inside raw HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtmlLink {
    /// Byte range of the attribute value in [`RawHtml::text`].
    pub span: Range<usize>,
    /// Index into `Page::links`.
    pub link: usize,
}

/// A `:::image:::` directive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageDirective {
    /// `type`: `content`, `complex` or `icon`.
    pub kind: String,
    /// Shown with a border (`border`, default true except for icons).
    pub bordered: bool,
    /// `source`: index into `Page::links`.
    pub source: usize,
    /// `alt-text`.
    pub alt: String,
    /// `link` or `lightbox`: index into `Page::links`.
    pub target: Option<usize>,
    /// Line and column of the directive in its file (what makes the description's id
    /// unique in the page).
    pub position: (u32, u32),
    /// The long description of a complex image: its Markdown events.
    #[serde(deserialize_with = "super::doc_codec::owned_events_option")]
    pub description: Option<Vec<Event<'static>>>,
}

/// HTML of pieces of pages, for the exports that show it: the render stage provides it, the
/// export stage asks for it.
pub trait FragmentHtml: Sync {
    /// The HTML of nodes `nodes` of `page`, link targets resolved to site URLs
    /// (`resolve_links`) or as written.
    fn html(&self, page: &crate::model::Page, nodes: Range<usize>, resolve_links: bool) -> String;
}

/// What a layout marker opens or closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LayoutMark {
    /// `:::row:::`
    Row,
    /// `:::row-end:::`
    RowEnd,
    /// `:::column:::`
    Column,
    /// `:::column-end:::`
    ColumnEnd,
}

/// Where a node stands in a DocFX tab group. A group is written as headings whose only
/// inline is a `#tab/<id>[/<condition>]` link, each followed by its content, up to a
/// thematic break or the end of the container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TabMark {
    /// The group starts: its tabs, so that the tab list can be written before the panels.
    GroupStart(Box<TabGroup>),
    /// A panel starts: the index of its tab in the enclosing group's `tabs`.
    PanelStart(usize),
    /// The open panel ends.
    PanelEnd,
    /// The group ends.
    GroupEnd,
}

/// A DocFX tab group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabGroup {
    /// 1-based position of the group in its page (includes expanded): what makes the
    /// group's HTML ids unique in the page.
    pub number: usize,
    /// The tabs, in order.
    pub tabs: Vec<Tab>,
}

/// One tab of a [`TabGroup`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tab {
    /// The id as written (`linux`, or several joined with `+`: `windows+linux`).
    pub id: String,
    /// The condition of a dependent tab (`#tab/dotnet/linux` → `linux`): the panel shows
    /// when another group selects that id.
    pub condition: Option<String>,
    /// The title: the inline events of the heading's link text.
    #[serde(deserialize_with = "super::doc_codec::owned_events")]
    pub title: Vec<Event<'static>>,
    /// Level of the heading the tab was written as (1–6).
    pub level: u8,
}

impl Tab {
    /// The ids the tab answers to: its id split at `+`.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.id.split('+')
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use pulldown_cmark::{Alignment, BlockQuoteKind, HeadingLevel, MetadataBlockKind};

    /// One event of every kind, and of every tag, with and without data.
    pub(crate) fn every_event() -> Vec<Event<'static>> {
        let s = |t: &str| CowStr::from(t.to_string());
        let link = |image: bool, dest: &str| {
            let (link_type, dest_url, title, id) = (LinkType::Inline, s(dest), s("a title"), s(""));
            if image {
                Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
            } else {
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
            }
        };
        let tags = vec![
            Tag::Paragraph,
            Tag::Heading {
                level: HeadingLevel::H2,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            },
            Tag::Heading {
                level: HeadingLevel::H3,
                id: Some(s("setup")),
                classes: vec![s("wide")],
                attrs: vec![(s("data-x"), Some(s("1"))), (s("hidden"), None)],
            },
            Tag::BlockQuote(None),
            Tag::BlockQuote(Some(BlockQuoteKind::Warning)),
            Tag::CodeBlock(CodeBlockKind::Indented),
            Tag::CodeBlock(CodeBlockKind::Fenced(s("rust"))),
            Tag::CodeBlock(CodeBlockKind::Fenced(s(""))),
            Tag::HtmlBlock,
            Tag::List(None),
            Tag::List(Some(1)),
            Tag::List(Some(7)),
            Tag::Item,
            Tag::FootnoteDefinition(s("1")),
            Tag::DefinitionList,
            Tag::DefinitionListTitle,
            Tag::DefinitionListDefinition,
            Tag::Table(Vec::new()),
            Tag::Table(vec![Alignment::Left, Alignment::None]),
            Tag::TableHead,
            Tag::TableRow,
            Tag::TableCell,
            Tag::Emphasis,
            Tag::Strong,
            Tag::Strikethrough,
            Tag::Superscript,
            Tag::Subscript,
            link(false, "a.md"),
            link(true, "b.png"),
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle),
        ];
        let mut events: Vec<Event<'static>> = Vec::new();
        for tag in tags {
            events.push(Event::End(tag.to_end()));
            events.push(Event::Start(tag));
        }
        events.extend([
            Event::Text(s("text")),
            Event::Text(CowStr::Borrowed("borrowed")),
            Event::Text(s("a text far longer than an inline string can hold")),
            Event::Code(s("code")),
            Event::InlineMath(s("x^2")),
            Event::DisplayMath(s("y")),
            Event::Html(s("<div>\n")),
            Event::InlineHtml(s("<b>")),
            Event::FootnoteReference(s("1")),
            Event::SoftBreak,
            Event::HardBreak,
            Event::Rule,
            Event::TaskListMarker(true),
            Event::TaskListMarker(false),
        ]);
        events
    }

    #[test]
    fn compact_events_round_trip() {
        for ev in every_event() {
            let node = Node::from_event(ev.clone());
            assert_eq!(node.event(), Some(ev.clone()));
            assert_eq!(borrow_event(&ev), ev);
        }
    }

    #[test]
    fn common_events_are_not_boxed() {
        let compact = [
            Event::Text(CowStr::Borrowed("t")),
            Event::Code(CowStr::Borrowed("c")),
            Event::Start(Tag::Paragraph),
            Event::Start(Tag::Item),
            Event::Start(Tag::TableCell),
            Event::End(TagEnd::Paragraph),
            Event::SoftBreak,
        ];
        for ev in compact {
            assert!(!matches!(Ev::new(ev.clone()), Ev::Other(_)), "{ev:?}");
        }
        let heading = Tag::Heading {
            level: HeadingLevel::H2,
            id: Some(CowStr::Borrowed("a")),
            classes: Vec::new(),
            attrs: Vec::new(),
        };
        assert!(matches!(Ev::new(Event::Start(heading)), Ev::Other(_)));
    }

    #[test]
    fn nodes_stay_small() {
        // A large site holds every page's nodes at once: each byte here is millions.
        assert!(
            std::mem::size_of::<Node>() <= 40,
            "{}",
            std::mem::size_of::<Node>()
        );
    }
}
