//! A page's document nodes → pulldown-cmark events: the DocFX constructs get their HTML
//! here, and link targets are written as the site resolves them (or as written, for the
//! exports that promise that).

use super::explorer::explorer_html;
use crate::model::doc::{ImageDirective, LayoutMark, Node, RawHtml};
use crate::model::{Page, Site};
use crate::urls::escape_html;
use pulldown_cmark::{CowStr, Event, Tag};

/// How a piece of a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lowering {
    /// Link targets as the site resolves them ([`Site::href`]); else as written.
    pub resolve_links: bool,
    /// The mapping explorer as its table; else as an empty, marked `<div>` (what exports
    /// of a fragment show).
    pub show_explorer: bool,
}

impl Lowering {
    /// A page body: links resolved, the explorer shown.
    pub const PAGE: Lowering = Lowering {
        resolve_links: true,
        show_explorer: true,
    };
}

/// The events of `nodes`, nodes of `page`.
pub fn events(site: &Site, page: &Page, nodes: &[Node], how: Lowering) -> Vec<Event<'static>> {
    let mut out = Vec::with_capacity(nodes.len());
    let href = |link: usize| -> Option<String> {
        let link = page.links.get(link)?;
        Some(if how.resolve_links {
            site.href(link)
        } else {
            link.dest.clone()
        })
    };
    for node in nodes {
        match node {
            Node::Event(ev) => out.push(ev.clone()),
            Node::Link { tag, link } => {
                let mut tag = tag.clone();
                if let (true, Some(url)) = (how.resolve_links, href(*link)) {
                    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                        *dest_url = CowStr::from(url);
                    }
                }
                out.push(Event::Start(tag));
            }
            Node::Html(html) => out.push(raw_html(html, how, &href)),
            Node::Image(image) => image_events(image, &href, &mut out),
            Node::Layout { mark, block } => {
                let html = match mark {
                    LayoutMark::Row => "<section class=\"row\">",
                    LayoutMark::Column => "<div class=\"column\">",
                    LayoutMark::ColumnEnd => "</div>",
                    LayoutMark::RowEnd => "</section>",
                };
                out.push(html_event(html.to_string(), *block));
            }
            Node::MappingExplorer { set, block } => {
                let set = set.as_deref().unwrap_or_default();
                // The explorer is a block: one written inside a paragraph keeps its marker.
                if how.show_explorer && *block {
                    out.push(Event::Html(CowStr::from(explorer_html(site, set))));
                } else {
                    let marker = format!(
                        "<div class=\"docshift-mapping-explorer\" data-set=\"{}\"></div>",
                        escape_html(set)
                    );
                    out.push(html_event(marker, *block));
                }
            }
        }
    }
    out
}

/// A block (`Html`, with its line break) or inline HTML event.
fn html_event(html: String, block: bool) -> Event<'static> {
    if block {
        Event::Html(CowStr::from(html + "\n"))
    } else {
        Event::InlineHtml(CowStr::from(html))
    }
}

/// Raw HTML with its link attributes rewritten.
fn raw_html(
    html: &RawHtml,
    how: Lowering,
    href: &impl Fn(usize) -> Option<String>,
) -> Event<'static> {
    let mut text = html.text.clone();
    if how.resolve_links {
        // From the end, so that the earlier spans stay valid.
        for at in html.links.iter().rev() {
            if let (Some(url), true) = (href(at.link), text.get(at.span.clone()).is_some()) {
                text.replace_range(at.span.clone(), &escape_html(&url));
            }
        }
    }
    if html.block {
        Event::Html(CowStr::from(text))
    } else {
        Event::InlineHtml(CowStr::from(text))
    }
}

/// A `:::image:::`: the image (in a link when it has one), then its long description.
fn image_events(
    image: &ImageDirective,
    href: &impl Fn(usize) -> Option<String>,
    out: &mut Vec<Event<'static>>,
) {
    let mut html = format!(
        "<span class=\"docfx-image docfx-image-{}{}\">",
        image.kind,
        if image.bordered { " bordered" } else { "" }
    );
    if let Some(target) = image.target {
        html.push_str("<a class=\"lightbox\" href=\"");
        html.push_str(&escape_html(&href(target).unwrap_or_default()));
        html.push_str("\">");
    }
    html.push_str("<img src=\"");
    html.push_str(&escape_html(&href(image.source).unwrap_or_default()));
    html.push_str("\" alt=\"");
    html.push_str(&escape_html(&image.alt));
    html.push('"');
    let (line, column) = image.position;
    let described = image
        .description
        .as_ref()
        .map(|events| (format!("image-description-{line}-{column}"), events));
    if let Some((id, _)) = &described {
        html.push_str(&format!(" aria-describedby=\"{id}\""));
    }
    html.push('>');
    if image.target.is_some() {
        html.push_str("</a>");
    }
    html.push_str("</span>");
    out.push(Event::InlineHtml(CowStr::from(html)));
    if let Some((id, events)) = described {
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, events.iter().cloned());
        out.push(Event::InlineHtml(CowStr::from(format!(
            "<span class=\"visually-hidden\" id=\"{id}\">{}</span>",
            inner.trim()
        ))));
    }
}

/// The HTML of pieces of a site's pages, for the exports that show it.
pub struct Fragments<'s> {
    /// The site the pages belong to.
    pub site: &'s Site,
}

impl crate::model::doc::FragmentHtml for Fragments<'_> {
    fn html(&self, page: &Page, nodes: std::ops::Range<usize>, resolve_links: bool) -> String {
        let Some(nodes) = page.doc.nodes.get(nodes) else {
            return String::new();
        };
        let how = Lowering {
            resolve_links,
            show_explorer: false,
        };
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events(self.site, page, nodes, how).into_iter());
        out
    }
}
