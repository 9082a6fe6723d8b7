//! A page's document: what the parser found, in order, for the renderer to write. Markdown
//! events stay pulldown-cmark events; every DocFX extension and every place a link target
//! appears is a typed node. Nothing here is HTML the parser wrote, and no URL in it was
//! decided by the parser: link targets are indices into the page's links, which the
//! renderer resolves.

use pulldown_cmark::{Event, Tag};
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
    /// A Markdown event as pulldown-cmark gave it (with heading ids assigned). The start of
    /// a link or an image is a [`Node::Link`] instead.
    Event(Event<'static>),
    /// The start of a Markdown link or image, as written (`tag`); its target is the page's
    /// link `link`.
    Link {
        /// The `Tag::Link` or `Tag::Image` as written.
        tag: Tag<'static>,
        /// Index into `Page::links`.
        link: usize,
    },
    /// Raw HTML as the author wrote it.
    Html(RawHtml),
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
        set: Option<String>,
        /// True when the directive stands alone in its paragraph (a block).
        block: bool,
    },
}

/// Raw HTML as written, with the attribute values that are links of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct RawHtml {
    /// The HTML text.
    pub text: String,
    /// A block of HTML (`true`) or inline HTML.
    pub block: bool,
    /// `href` and `src` values in `text` that are page links, in order.
    pub links: Vec<HtmlLink>,
}

/// A link target inside raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlLink {
    /// Byte range of the attribute value in [`RawHtml::text`].
    pub span: Range<usize>,
    /// Index into `Page::links`.
    pub link: usize,
}

/// A `:::image:::` directive.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct TabGroup {
    /// 1-based position of the group in its page (includes expanded): what makes the
    /// group's HTML ids unique in the page.
    pub number: usize,
    /// The tabs, in order.
    pub tabs: Vec<Tab>,
}

/// One tab of a [`TabGroup`].
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    /// The id as written (`linux`, or several joined with `+`: `windows+linux`).
    pub id: String,
    /// The condition of a dependent tab (`#tab/dotnet/linux` → `linux`): the panel shows
    /// when another group selects that id.
    pub condition: Option<String>,
    /// The title: the inline events of the heading's link text.
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
