//! A page's document nodes → pulldown-cmark events: the DocFX constructs get their HTML
//! here, and link targets are written as the site resolves them (or as written, for the
//! exports that promise that).

use super::explorer::explorer_html;
use crate::model::doc::{
    borrow_tag, Ev, ImageDirective, LayoutMark, Node, RawHtml, TabGroup, TabMark,
};
use crate::model::{Link, LinkList, Page, Resolution, Site};
use crate::urls::escape_html;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;

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

/// A page's links made back one at a time, as the nodes being lowered ask for them: a
/// fragment (a table cell, an FAQ answer) asks for a few of its page's links, so making
/// them all back for each would cost the page's links once per fragment. Each link node
/// asks for its link two or three times in a row, so the last one made back is kept.
struct LinkReader<'p> {
    links: &'p LinkList<'p>,
    last: RefCell<Option<(usize, Link)>>,
}

impl<'p> LinkReader<'p> {
    fn new(links: &'p LinkList<'p>) -> LinkReader<'p> {
        LinkReader {
            links,
            last: RefCell::new(None),
        }
    }

    /// `read` of link `index` (`None`: the page has no such link).
    fn with<R>(&self, index: usize, read: impl FnOnce(&Link) -> R) -> Option<R> {
        let mut last = self.last.borrow_mut();
        if last.as_ref().is_none_or(|(at, _)| *at != index) {
            *last = Some((index, self.links.get(index)?));
        }
        last.as_ref().map(|(_, link)| read(link))
    }
}

/// The events of `nodes`, nodes of a page whose links are `page_links` (read once by the
/// caller): text is borrowed from the nodes, not copied.
pub fn events<'n>(
    site: &Site,
    page_links: &LinkList<'_>,
    nodes: &'n [Node],
    how: Lowering,
) -> Vec<Event<'n>> {
    let mut out = Vec::with_capacity(nodes.len());
    let links = LinkReader::new(page_links);
    let href = |link: usize| -> Option<String> {
        links.with(link, |link| {
            if how.resolve_links {
                site.href(link)
            } else {
                link.dest.clone()
            }
        })
    };
    // What a link that names nothing in the site points at: "page" (Markdown or a folder)
    // or "file"; `None` for every other link.
    let missing = |link: usize| -> Option<&'static str> {
        if !how.resolve_links {
            return None;
        }
        links.with(link, |link| match site.resolve(link) {
            Resolution::Missing { path, .. } => {
                let name = path.rsplit('/').next().unwrap_or_default();
                Some(if name.ends_with(".md") || !name.contains('.') {
                    "page"
                } else {
                    "file"
                })
            }
            _ => None,
        })?
    };
    let is_missing = |link: usize| missing(link).is_some();
    // The groups the current node is in, innermost last (a panel can hold a group).
    let mut groups: Vec<OpenTabs<'_>> = Vec::new();
    // The alt text of a missing image being read (its events until `End(Image)`).
    let mut missing_image: Option<String> = None;
    for node in nodes {
        if let Some(alt) = missing_image.as_mut() {
            match node {
                Node::Event(Ev::End(TagEnd::Image)) => {
                    out.push(Event::InlineHtml(CowStr::from(missing_image_html(alt))));
                    missing_image = None;
                }
                Node::Event(Ev::Text(t) | Ev::Code(t)) => alt.push_str(t),
                _ => {}
            }
            continue;
        }
        match node {
            Node::Tabs(mark) => tab_events(mark, &mut groups, &mut out),
            Node::Event(ev) => out.push(ev.event()),
            Node::Link { tag, link } if matches!(**tag, Tag::Image { .. }) && is_missing(*link) => {
                missing_image = Some(String::new())
            }
            Node::Link { tag, link } if matches!(**tag, Tag::Link { .. }) && is_missing(*link) => {
                // No href: a link to a page that does not exist leads nowhere, and a raw
                // `.md` path would only 404. Its end tag is the usual `</a>`.
                let what = missing(*link).unwrap_or("page");
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"broken-link\" title=\"This {what} does not exist\">"
                ))));
            }
            Node::Link { tag, link } => {
                let mut tag = borrow_tag(tag);
                if let (true, Some(url)) = (how.resolve_links, href(*link)) {
                    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                        *dest_url = CowStr::from(url);
                    }
                }
                out.push(Event::Start(tag));
            }
            Node::Html(html) => out.push(raw_html(html, how, &href)),
            Node::Image(image) if is_missing(image.source) => {
                out.push(Event::InlineHtml(CowStr::from(missing_image_html(
                    &image.alt,
                ))));
            }
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

/// A tab group being written, with the HTML ids of its panels.
struct OpenTabs<'d> {
    group: &'d TabGroup,
    /// `tabpanel_…` id of each tab, unique in the group.
    panels: Vec<String>,
}

impl<'d> OpenTabs<'d> {
    fn new(group: &'d TabGroup) -> Self {
        let n = group.number;
        let mut panels: Vec<String> = Vec::with_capacity(group.tabs.len());
        let mut used: FxHashSet<String> = FxHashSet::default();
        // For each base id, the last suffix it took: ids are only ever added, so the next
        // free suffix is never below it (and a group of many equal tabs stays linear).
        let mut last_suffix: FxHashMap<String, usize> = FxHashMap::default();
        for tab in &group.tabs {
            let mut id = format!("tabpanel_{n}_{}", tab.id);
            if let Some(c) = &tab.condition {
                id.push('_');
                id.push_str(c);
            }
            // The same id and condition twice in a group still needs two HTML ids.
            if used.contains(&id) {
                let k = last_suffix.entry(id.clone()).or_insert(1);
                let base = std::mem::take(&mut id);
                loop {
                    *k += 1;
                    id = format!("{base}-{k}");
                    if !used.contains(&id) {
                        break;
                    }
                }
            }
            used.insert(id.clone());
            panels.push(id);
        }
        OpenTabs { group, panels }
    }

    /// The `tab_…` id of the button for tab id `id` (one button per distinct id).
    fn button(&self, id: &str) -> String {
        format!("tab_{}_{id}", self.group.number)
    }

    /// The group's opening and its tab list: one button per distinct id, the first selected
    /// and in the tab order (the script moves both), each controlling every panel of its id.
    fn tab_list(&self) -> String {
        let mut html = format!(
            "<div class=\"tabGroup\" id=\"tabgroup_{}\" data-tab-group>\n<div class=\"tab-list\" role=\"tablist\">\n",
            self.group.number
        );
        // The panels of each distinct id, and the first tab of each id in tab order.
        let mut panels_of: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
        let mut shown = Vec::new();
        for (tab, panel) in self.group.tabs.iter().zip(&self.panels) {
            let panels = panels_of.entry(&tab.id).or_default();
            if panels.is_empty() {
                shown.push(tab);
            }
            panels.push(panel);
        }
        for (i, tab) in shown.into_iter().enumerate() {
            let first = i == 0;
            let controls = &panels_of[tab.id.as_str()];
            html.push_str(&format!(
                "<button type=\"button\" role=\"tab\" id=\"{}\" aria-controls=\"{}\" aria-selected=\"{first}\" tabindex=\"{}\" data-tab=\"{}\">{}</button>\n",
                escape_html(&self.button(&tab.id)),
                escape_html(&controls.join(" ")),
                if first { "0" } else { "-1" },
                escape_html(&tab.id),
                inline_html(&tab.title),
            ));
        }
        html.push_str("</div>\n");
        html
    }
}

/// A tab group's markup: a `role="tablist"` of buttons (one per distinct tab id, as DocFX
/// shows dependent tabs once) and a `role="tabpanel"` section per tab. Every panel is
/// shown with its title as a heading until the script makes the set work as tabs, so the
/// page reads whole without script.
fn tab_events<'d>(mark: &'d TabMark, groups: &mut Vec<OpenTabs<'d>>, out: &mut Vec<Event<'_>>) {
    match mark {
        TabMark::GroupStart(group) => {
            let open = OpenTabs::new(group);
            out.push(Event::Html(CowStr::from(open.tab_list())));
            groups.push(open);
        }
        TabMark::PanelStart(index) => {
            let Some(open) = groups.last() else { return };
            let (Some(tab), Some(panel)) = (open.group.tabs.get(*index), open.panels.get(*index))
            else {
                return;
            };
            let condition = tab
                .condition
                .as_ref()
                .map(|c| format!(" data-condition=\"{}\"", escape_html(c)))
                .unwrap_or_default();
            // The page's title is its only `h1`.
            let level = tab.level.clamp(2, 6);
            out.push(Event::Html(CowStr::from(format!(
                "<section class=\"tab-panel\" id=\"{}\" role=\"tabpanel\" aria-labelledby=\"{}\" data-tab=\"{}\"{condition}>\n<h{level} class=\"tab-title\">{}</h{level}>\n",
                escape_html(panel),
                escape_html(&open.button(&tab.id)),
                escape_html(&tab.id),
                inline_html(&tab.title),
            ))));
        }
        TabMark::PanelEnd => {
            if !groups.is_empty() {
                out.push(Event::Html(CowStr::from("</section>\n")));
            }
        }
        TabMark::GroupEnd => {
            if groups.pop().is_some() {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
        }
    }
}

/// The HTML of inline events (a tab title).
fn inline_html(events: &[Event<'static>]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    html.trim().to_string()
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

/// A visible box in place of an image that does not exist, showing its alt text (the
/// browser's broken-image icon says nothing). `role="img"` keeps it an image to assistive
/// technology, named by the same text.
fn missing_image_html(alt: &str) -> String {
    let alt = alt.trim();
    let text = escape_html(if alt.is_empty() { "Missing image" } else { alt });
    format!(
        "<span class=\"missing-image\" role=\"img\" aria-label=\"{text}\" title=\"Image not found\">{text}</span>"
    )
}

/// A `:::image:::`: the image (in a link when it has one), then its long description.
fn image_events(
    image: &ImageDirective,
    href: &impl Fn(usize) -> Option<String>,
    out: &mut Vec<Event<'_>>,
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
        // A page whose pieces the exports show keeps its nodes, and so its links, in memory
        // (see `crate::migration::reads_nodes_of`): this read does not fail.
        let Ok(links) = page.links.read() else {
            return String::new();
        };
        let mut out = String::new();
        let events = events(self.site, &links, nodes, how);
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::doc::Tab;

    fn group(ids: &[&str]) -> TabGroup {
        let tabs = ids
            .iter()
            .map(|id| Tab {
                id: id.to_string(),
                condition: None,
                title: vec![Event::Text(CowStr::from(id.to_string()))],
                level: 2,
            })
            .collect();
        TabGroup { number: 1, tabs }
    }

    #[test]
    fn repeated_tabs_get_the_next_free_panel_ids_and_share_one_button() {
        let g = group(&["a", "b", "a", "a-2", "a", "b"]);
        let open = OpenTabs::new(&g);
        let panels: Vec<&str> = open.panels.iter().map(String::as_str).collect();
        assert_eq!(
            panels,
            [
                "tabpanel_1_a",
                "tabpanel_1_b",
                "tabpanel_1_a-2",
                "tabpanel_1_a-2-2",
                "tabpanel_1_a-3",
                "tabpanel_1_b-2",
            ]
        );
        let list = open.tab_list();
        assert_eq!(list.matches("<button").count(), 3, "{list}");
        assert!(list.contains(
            "id=\"tab_1_a\" aria-controls=\"tabpanel_1_a tabpanel_1_a-2 tabpanel_1_a-3\" aria-selected=\"true\""
        ));
        assert!(
            list.contains("aria-controls=\"tabpanel_1_b tabpanel_1_b-2\" aria-selected=\"false\"")
        );
        assert!(list.contains("aria-controls=\"tabpanel_1_a-2-2\" aria-selected=\"false\""));
        assert!(list.find("tab_1_b").unwrap() < list.find("tab_1_a-2").unwrap());
    }

    #[test]
    fn a_group_of_many_equal_tabs_is_written_in_linear_work() {
        // 20,000 tabs of one id: every panel id was tried against all the earlier ones.
        let ids = vec!["t"; 20_000];
        let g = group(&ids);
        let open = OpenTabs::new(&g);
        assert_eq!(
            open.panels.last().map(String::as_str),
            Some("tabpanel_1_t-20000")
        );
        assert_eq!(open.tab_list().matches("<button").count(), 1);
    }
}
