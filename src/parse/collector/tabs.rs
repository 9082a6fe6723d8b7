//! DocFX tab groups, as DocFX's `TabGroupAggregator` finds them: a heading of any level
//! whose only inline is a link to `#tab/<id>[/<condition>]` is a tab title, not a heading;
//! the tab's content is every following sibling block up to the next tab title, and the
//! group ends at a thematic break (which it consumes) or at the end of its container.
//! Other headings do not end a group. The container depth is counted from block events,
//! so a group inside a list item or an included file ends with it.

use super::*;
use crate::model::doc::{Tab, TabGroup, TabMark};

/// A tab group whose end has not been seen yet.
pub(super) struct OpenGroup {
    /// Container depth of its tab titles (blocks open around them).
    depth: usize,
    /// Index in the page's nodes of its [`TabMark::GroupStart`] placeholder.
    node: usize,
    number: usize,
    tabs: Vec<Tab>,
}

/// The id and condition of a tab title's link target, when it is one:
/// `^#tab/(?<id>[a-zA-Z0-9-]+(\+[a-zA-Z0-9-]+)*)(/(?<condition>[a-zA-Z0-9-]+)?)?$`.
pub(super) fn parse_tab_href(href: &str) -> Option<(&str, Option<&str>)> {
    let rest = href.strip_prefix("#tab/")?;
    let (id, condition) = match rest.split_once('/') {
        Some((id, condition)) => (id, Some(condition)),
        None => (rest, None),
    };
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !id.split('+').all(word) || condition.is_some_and(|c| !c.is_empty() && !word(c)) {
        return None;
    }
    // `#tab/id/` (an empty condition) is a plain tab, as in DocFX.
    Some((id, condition.filter(|c| !c.is_empty())))
}

/// The tab a heading's inline events make, when the heading's only inline is a tab link.
fn tab_title(run: &[(Event<'_>, Range<usize>)], level: u8) -> Option<Tab> {
    let (first, last) = (run.first()?, run.last()?);
    let Event::Start(Tag::Link {
        link_type,
        dest_url,
        ..
    }) = &first.0
    else {
        return None;
    };
    // Links do not nest, so the first link end closes the first link: it must be the last
    // inline, or the heading has more than the link.
    let end = run
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Link)))?;
    if end != run.len() - 1 || !matches!(last.0, Event::End(TagEnd::Link)) {
        return None;
    }
    if matches!(link_type, LinkType::Autolink | LinkType::Email) {
        return None;
    }
    let (id, condition) = parse_tab_href(dest_url)?;
    Some(Tab {
        id: id.to_string(),
        condition: condition.map(str::to_string),
        title: run[1..end]
            .iter()
            .map(|(e, _)| e.clone().into_static())
            .collect(),
        level,
    })
}

impl Collector<'_> {
    /// Takes a heading that is a tab title, at its end event: its inline events (`run`)
    /// become the tab's title, and the nodes pushed for the heading are removed. Returns
    /// false (and leaves everything as it was) for any other event.
    pub(super) fn tab_title_end(
        &mut self,
        ev: &Event<'_>,
        run: &mut Vec<(Event<'_>, Range<usize>)>,
    ) -> bool {
        let (Event::End(TagEnd::Heading(_)), Some(h)) = (ev, &self.heading) else {
            return false;
        };
        let Some(tab) = tab_title(run, h.level) else {
            return false;
        };
        run.clear();
        let h = self.heading.take().expect("checked above");
        self.done.nodes.truncate(h.out_index);
        // A `{#id}` on a tab title names nothing on the page.
        if let Some(id) = &h.explicit {
            if self
                .done
                .anchors
                .last()
                .is_some_and(|a| &a.id == id && a.kind == AnchorKind::HeadingAttribute)
            {
                self.done.anchors.pop();
            }
        }
        // The heading's start was counted as an open block.
        self.depth = self.depth.saturating_sub(1);
        for id in tab.ids() {
            if self.tab_ids_seen.insert(id.to_string()) {
                self.done.tab_ids.push(id.to_string());
            }
        }
        let depth = self.depth;
        match self.tab_groups.last_mut() {
            Some(group) if group.depth == depth => {
                self.done.nodes.push(Node::Tabs(TabMark::PanelEnd));
                group.tabs.push(tab);
                let index = group.tabs.len() - 1;
                self.done.nodes.push(Node::Tabs(TabMark::PanelStart(index)));
            }
            _ => {
                self.tab_group_count += 1;
                self.tab_groups.push(OpenGroup {
                    depth,
                    node: self.done.nodes.len(),
                    number: self.tab_group_count,
                    tabs: vec![tab],
                });
                // Filled in when the group ends.
                self.done.nodes.push(Node::Tabs(TabMark::GroupEnd));
                self.done.nodes.push(Node::Tabs(TabMark::PanelStart(0)));
            }
        }
        true
    }

    /// Follows the block structure for tab groups: counts open blocks, ends the groups a
    /// closing container holds, and takes the thematic break that ends a group. Returns
    /// true when the event was taken (the break is not shown).
    pub(super) fn tab_structure(&mut self, ev: &Event<'_>) -> bool {
        match ev {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                while self.tab_groups.last().is_some_and(|g| g.depth > self.depth) {
                    self.close_tab_group();
                }
            }
            Event::Rule
                if self
                    .tab_groups
                    .last()
                    .is_some_and(|g| g.depth == self.depth) =>
            {
                self.close_tab_group();
                return true;
            }
            _ => {}
        }
        false
    }

    /// Ends the groups opened after the first `keep` (at the end of a text: a page body or
    /// an included file is the container of the groups it opens).
    pub(super) fn close_tab_groups(&mut self, keep: usize) {
        while self.tab_groups.len() > keep {
            self.close_tab_group();
        }
    }

    fn close_tab_group(&mut self) {
        let Some(group) = self.tab_groups.pop() else {
            return;
        };
        self.done.nodes.push(Node::Tabs(TabMark::PanelEnd));
        self.done.nodes.push(Node::Tabs(TabMark::GroupEnd));
        self.done.nodes[group.node] = Node::Tabs(TabMark::GroupStart(Box::new(TabGroup {
            number: group.number,
            tabs: group.tabs,
        })));
    }
}

#[cfg(test)]
mod tests {
    use super::parse_tab_href;
    use crate::model::doc::{Node, TabMark};
    use crate::model::Page;
    use crate::parse::{parse_page, IncludeCache, ParseContext};
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn parse(text: &str, include: &str) -> Page {
        let included = Arc::new(SourceFile::from_text("inc.md", include));
        let lookup = |p: &str| (p == "inc.md").then(|| Ok(Arc::clone(&included)));
        let includes = IncludeCache::default();
        let ctx = ParseContext {
            base_path: "/",
            sources: &lookup,
            includes: &includes,
        };
        parse_page(&SourceFile::from_text("page.md", text), &ctx).0
    }

    /// The tab marks of a page, as `G<n>:<ids>` (group start), `P<i>`, `/P`, `/G`, and
    /// `hr` for a thematic break that stayed.
    fn marks(page: &Page) -> Vec<String> {
        page.doc
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Tabs(TabMark::GroupStart(g)) => Some(format!(
                    "G{}:{}",
                    g.number,
                    g.tabs
                        .iter()
                        .map(|t| match &t.condition {
                            Some(c) => format!("{}/{c}", t.id),
                            None => t.id.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                )),
                Node::Tabs(TabMark::PanelStart(i)) => Some(format!("P{i}")),
                Node::Tabs(TabMark::PanelEnd) => Some("/P".to_string()),
                Node::Tabs(TabMark::GroupEnd) => Some("/G".to_string()),
                n if n.event() == Some(pulldown_cmark::Event::Rule) => Some("hr".to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_group_runs_over_other_headings_to_a_thematic_break() {
        let page = parse(
            "# Title\n\n## [Linux](#tab/linux)\n\nA\n\n## Inside {#inside}\n\n\
             ###### [Windows *now*](#tab/windows)\n\nB\n\n---\n\n## After\n\n---\n",
            "",
        );
        assert_eq!(
            marks(&page),
            ["G1:linux,windows", "P0", "/P", "P1", "/P", "/G", "hr"]
        );
        let headings: Vec<&str> = page.headings().iter().map(|h| h.id).collect();
        assert_eq!(headings, ["title", "inside", "after"]);
        assert_eq!(page.tab_ids, ["linux", "windows"]);
        // The title link is the tab, not a link of the page.
        assert!(page.links.is_empty(), "{:?}", page.links);
        let Some(Node::Tabs(TabMark::GroupStart(group))) =
            page.doc.nodes.iter().find(|n| matches!(n, Node::Tabs(_)))
        else {
            panic!("no group");
        };
        assert_eq!((group.tabs[0].level, group.tabs[1].level), (2, 6));
        assert_eq!(group.tabs[1].title.len(), 4, "{:?}", group.tabs[1].title);
    }

    #[test]
    fn containers_and_includes_end_their_groups() {
        let page = parse(
            "- item\n\n  # [A](#tab/a)\n\n  text\n\n- next\n\n\
             # [B](#tab/b+c)\n\n[!INCLUDE [x](inc.md)]\n\n# [D](#tab/d/b)\n\nend\n",
            "# [E](#tab/e)\n\ne\n",
        );
        assert_eq!(
            marks(&page),
            [
                "G1:a",
                "P0",
                "/P",
                "/G", // ends with its list item
                "G2:b+c,d/b",
                "P0",
                "G3:e",
                "P0",
                "/P",
                "/G", // the include is a container
                "/P",
                "P1",
                "/P",
                "/G", // the page's end ends the group
            ]
        );
        assert_eq!(page.tab_ids, ["a", "b", "c", "e", "d"]);
    }

    #[test]
    fn headings_with_more_than_a_tab_link_stay_headings() {
        let page = parse(
            "# [A](#tab/a) and more\n\n# [B](#tab/b_c)\n\n# [C](other.md#tab/c)\n\n# <https://x.test/#tab/d>\n",
            "",
        );
        assert!(marks(&page).is_empty(), "{:?}", marks(&page));
        assert_eq!(page.headings().len(), 4);
        assert!(page.tab_ids.is_empty());
    }

    #[test]
    fn tab_hrefs_follow_docfx_grammar() {
        assert_eq!(parse_tab_href("#tab/linux"), Some(("linux", None)));
        assert_eq!(parse_tab_href("#tab/linux/"), Some(("linux", None)));
        assert_eq!(
            parse_tab_href("#tab/dotnet/linux"),
            Some(("dotnet", Some("linux")))
        );
        assert_eq!(
            parse_tab_href("#tab/windows+linux"),
            Some(("windows+linux", None))
        );
        assert_eq!(parse_tab_href("#tab/Azure-CLI"), Some(("Azure-CLI", None)));
        for not_a_tab in [
            "#tab/",
            "#tab",
            "#tab/a+",
            "#tab/+a",
            "#tab/a_b",
            "#tab/a/b/c",
            "#tab/a/b+c",
            "tab/linux",
            "page.md#tab/linux",
            "#tab/é",
        ] {
            assert_eq!(parse_tab_href(not_a_tab), None, "{not_a_tab}");
        }
    }
}
