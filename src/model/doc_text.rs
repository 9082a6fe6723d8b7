//! The plain text of a document's nodes: what a table cell says once its markup is
//! dropped. Read by the parser (a cell's text outside its links, see
//! [`crate::model::Cell::outside_links`]) and by the migration stage (API-change cells).

use super::doc::{Ev, LayoutMark, Node};
use pulldown_cmark::{Event, Tag, TagEnd};

/// Collapses every run of whitespace (line breaks from `<br>` included) into one space.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of a range of a page's nodes (a table cell): markup dropped, `<br>`, list
/// items and block ends become line breaks, blank lines removed, each line's whitespace
/// collapsed.
pub fn nodes_text<'n>(nodes: impl IntoIterator<Item = &'n Node>) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    for node in nodes {
        match node {
            Node::Event(ev) => event_text(&ev.event(), &mut in_image, &mut text),
            Node::Link { tag, .. } => {
                if matches!(**tag, Tag::Image { .. }) {
                    // An image's text is its `alt` attribute, not page text.
                    in_image += 1;
                }
            }
            Node::Html(html) => raw_html_text(&html.text, &mut text),
            Node::Image(image) => {
                let mut depth = 0;
                for ev in image.description.iter().flatten() {
                    event_text(ev, &mut depth, &mut text);
                }
            }
            Node::Layout { mark, .. } => {
                if matches!(mark, LayoutMark::Column | LayoutMark::ColumnEnd) {
                    text.push('\n');
                }
            }
            // Tab marks never sit in a cell (a cell holds no headings); a line break keeps
            // panels apart anyway.
            Node::MappingExplorer { .. } | Node::Tabs(_) => text.push('\n'),
        }
    }
    text.lines()
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Adds the text of one Markdown event (`in_image` counts the images it is inside).
fn event_text(ev: &Event<'_>, in_image: &mut usize, text: &mut String) {
    match ev {
        Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
            if *in_image == 0 =>
        {
            text.push_str(t)
        }
        Event::Start(Tag::Image { .. }) => *in_image += 1,
        Event::End(TagEnd::Image) => *in_image = in_image.saturating_sub(1),
        Event::Html(h) | Event::InlineHtml(h) => raw_html_text(h, text),
        Event::SoftBreak | Event::HardBreak => text.push('\n'),
        Event::Start(
            Tag::Paragraph | Tag::Item | Tag::List(_) | Tag::TableRow | Tag::CodeBlock(_),
        )
        | Event::End(
            TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::List(_)
            | TagEnd::TableRow
            | TagEnd::CodeBlock,
        ) => text.push('\n'),
        _ => {}
    }
}

/// Adds the text of raw HTML: tags dropped (`<br>` and block tags become line breaks),
/// entities decoded.
fn raw_html_text(html: &str, text: &mut String) {
    let mut plain = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        plain.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            plain.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "br" | "li" | "p" | "ul" | "ol" | "div" | "tr" | "pre"
        ) {
            plain.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    plain.push_str(rest);
    text.push_str(&crate::urls::decode_entities(&plain));
}

/// The nodes that are not inside a Markdown or HTML link.
pub fn outside_links(nodes: &[Node]) -> impl Iterator<Item = &Node> {
    let mut depth = 0usize;
    nodes.iter().filter(move |node| {
        match node {
            Node::Link { tag, .. } if matches!(**tag, Tag::Link { .. }) => depth += 1,
            Node::Event(Ev::End(TagEnd::Link)) => {
                depth = depth.saturating_sub(1);
                return false;
            }
            Node::Html(html) => {
                let tag = html.text.trim_start().to_ascii_lowercase();
                if tag.starts_with("<a ") || tag.starts_with("<a>") {
                    depth += 1;
                } else if tag.starts_with("</a") {
                    depth = depth.saturating_sub(1);
                    return false;
                }
            }
            _ => {}
        }
        depth == 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::doc::RawHtml;
    use pulldown_cmark::CowStr;

    #[test]
    fn cell_nodes_to_text() {
        let html = |t: &str| {
            Node::Html(Box::new(RawHtml {
                text: t.to_string(),
                block: false,
                links: Vec::new(),
            }))
        };
        let text = |t: &str| Node::from_event(Event::Text(CowStr::from(t.to_string())));
        // `Depends:<ul><li>Old<br><code>/a?b=1&amp;c</code></li><li>New</li></ul>Done.`
        // as the parser leaves it: the entity reference stays raw HTML.
        let nodes = [
            text("Depends:"),
            html("<ul>"),
            html("<li>"),
            text("Old"),
            html("<br>"),
            html("<code>"),
            text("/a?b=1"),
            html("&amp;"),
            text("c"),
            html("</code>"),
            html("</li>"),
            html("<li>"),
            text("New"),
            html("</li></ul>"),
            text("Done."),
        ];
        assert_eq!(nodes_text(&nodes), "Depends:\nOld\n/a?b=1&c\nNew\nDone.");
    }
}
