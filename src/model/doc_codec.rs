//! A document's nodes as bytes, and back. A one-shot build of a large site writes each
//! page's nodes to disk as soon as the page is parsed and reads them back when the page is
//! rendered, so that the whole site's nodes (most of a parsed page) are never in memory
//! at once. The format is private to one run: nothing reads bytes written by another
//! version.

use super::doc::{ImageDirective, LayoutMark, Node, RawHtml, TabMark};
use bincode::Options;
use pulldown_cmark::{Event, Tag};
use serde::{Deserialize, Deserializer, Serialize};

/// A node as it is written: borrowed from the node, so encoding copies nothing.
#[derive(Serialize)]
enum NodeOut<'n> {
    Event(Event<'n>),
    Link { tag: &'n Tag<'static>, link: usize },
    Html(&'n RawHtml),
    Image(&'n ImageDirective),
    Layout { mark: LayoutMark, block: bool },
    Tabs(&'n TabMark),
    MappingExplorer { set: Option<&'n str>, block: bool },
}

/// A node as it is read: its Markdown text borrowed from the bytes until it is made a
/// [`Node`]. The variants are [`NodeOut`]'s, in the same order.
#[derive(Deserialize)]
enum NodeIn<'a> {
    Event(#[serde(borrow)] Event<'a>),
    Link {
        #[serde(borrow)]
        tag: Tag<'a>,
        link: usize,
    },
    Html(Box<RawHtml>),
    Image(Box<ImageDirective>),
    Layout {
        mark: LayoutMark,
        block: bool,
    },
    Tabs(TabMark),
    MappingExplorer {
        set: Option<Box<str>>,
        block: bool,
    },
}

impl<'n> NodeOut<'n> {
    fn of(node: &'n Node) -> NodeOut<'n> {
        match node {
            Node::Event(ev) => NodeOut::Event(ev.event()),
            Node::Link { tag, link } => NodeOut::Link { tag, link: *link },
            Node::Html(html) => NodeOut::Html(html),
            Node::Image(image) => NodeOut::Image(image),
            Node::Layout { mark, block } => NodeOut::Layout {
                mark: *mark,
                block: *block,
            },
            Node::Tabs(mark) => NodeOut::Tabs(mark),
            Node::MappingExplorer { set, block } => NodeOut::MappingExplorer {
                set: set.as_deref(),
                block: *block,
            },
        }
    }
}

impl NodeIn<'_> {
    fn into_node(self) -> Node {
        match self {
            NodeIn::Event(ev) => Node::from_event(ev),
            NodeIn::Link { tag, link } => Node::Link {
                tag: Box::new(tag.into_static()),
                link,
            },
            NodeIn::Html(html) => Node::Html(html),
            NodeIn::Image(image) => Node::Image(image),
            NodeIn::Layout { mark, block } => Node::Layout { mark, block },
            NodeIn::Tabs(mark) => Node::Tabs(mark),
            NodeIn::MappingExplorer { set, block } => Node::MappingExplorer { set, block },
        }
    }
}

/// The nodes, written as a sequence of [`NodeOut`].
struct NodesOut<'n>(&'n [Node]);

impl Serialize for NodesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(NodeOut::of))
    }
}

/// The byte form: variable-length integers (most numbers in a document are small indices).
fn options() -> impl Options {
    bincode::DefaultOptions::new()
}

/// Appends the byte form of `nodes` to `out`; [`decode_nodes`] reads it back.
pub fn encode_nodes(nodes: &[Node], out: &mut Vec<u8>) {
    // Writing into a `Vec` cannot fail, and every node type serialises.
    if let Err(e) = options().serialize_into(out, &NodesOut(nodes)) {
        unreachable!("nodes always encode: {e}")
    }
}

/// The nodes [`encode_nodes`] wrote into `bytes`; `Err` when the bytes are not such a
/// document (a damaged file).
pub fn decode_nodes(bytes: &[u8]) -> Result<Vec<Node>, String> {
    let nodes: Vec<NodeIn<'_>> = options().deserialize(bytes).map_err(|e| e.to_string())?;
    Ok(nodes.into_iter().map(NodeIn::into_node).collect())
}

/// Reads a list of Markdown events into owned ones (for `#[serde(deserialize_with)]`).
pub(super) fn owned_events<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Event<'static>>, D::Error> {
    let events = Vec::<Event<'de>>::deserialize(deserializer)?;
    Ok(events.into_iter().map(Event::into_static).collect())
}

/// [`owned_events`] for an optional list.
pub(super) fn owned_events_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<Event<'static>>>, D::Error> {
    let events = Option::<Vec<Event<'de>>>::deserialize(deserializer)?;
    Ok(events.map(|list| list.into_iter().map(Event::into_static).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::doc::tests::every_event;
    use crate::model::doc::{HtmlLink, Tab, TabGroup};
    use pulldown_cmark::{CowStr, LinkType};

    /// One node of every kind, and every Markdown event.
    fn every_node() -> Vec<Node> {
        let mut nodes: Vec<Node> = every_event().into_iter().map(Node::from_event).collect();
        let title = vec![Event::Text(CowStr::from("Linux".to_string()))];
        nodes.extend([
            Node::Link {
                tag: Box::new(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from("../guide/setup.md#step".to_string()),
                    title: CowStr::from("a title that is too long to be inlined".to_string()),
                    id: CowStr::Borrowed(""),
                }),
                link: 7,
            },
            Node::Html(Box::new(RawHtml {
                text: "<a href=\"x.md\">".to_string(),
                block: false,
                links: vec![HtmlLink {
                    span: 9..13,
                    link: 8,
                }],
            })),
            Node::Image(Box::new(ImageDirective {
                kind: "complex".to_string(),
                bordered: true,
                source: 3,
                alt: "A diagram".to_string(),
                target: Some(4),
                position: (12, 1),
                description: Some(every_event()),
            })),
            Node::Image(Box::new(ImageDirective {
                kind: "icon".to_string(),
                bordered: false,
                source: 5,
                alt: String::new(),
                target: None,
                position: (40, 3),
                description: None,
            })),
            Node::Layout {
                mark: LayoutMark::Column,
                block: true,
            },
            Node::Tabs(TabMark::GroupStart(Box::new(TabGroup {
                number: 2,
                tabs: vec![Tab {
                    id: "windows+linux".to_string(),
                    condition: Some("dotnet".to_string()),
                    title,
                    level: 2,
                }],
            }))),
            Node::Tabs(TabMark::PanelStart(0)),
            Node::Tabs(TabMark::PanelEnd),
            Node::Tabs(TabMark::GroupEnd),
            Node::MappingExplorer {
                set: Some("partner-center".into()),
                block: false,
            },
            Node::MappingExplorer {
                set: None,
                block: true,
            },
        ]);
        nodes
    }

    #[test]
    fn every_node_reads_back_as_written() {
        let nodes = every_node();
        let mut bytes = Vec::new();
        encode_nodes(&nodes, &mut bytes);
        assert_eq!(decode_nodes(&bytes), Ok(nodes));
        let mut empty = Vec::new();
        encode_nodes(&[], &mut empty);
        assert_eq!(decode_nodes(&empty), Ok(Vec::new()));
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut bytes = Vec::new();
        encode_nodes(&every_node(), &mut bytes);
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode_nodes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(decode_nodes(&[0xff; 16]).is_err());
    }
}
