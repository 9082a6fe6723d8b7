//! Reading URLs and text out of table cells: which cells hold one absolute URL, a link to
//! a page of the site, plain text, or something that is neither.

use crate::model::doc::{Ev, LayoutMark, Node};
use crate::model::{Cell, LinkTarget, Page};
use pulldown_cmark::{Event, Tag, TagEnd};

/// What a URL column's cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CellUrl {
    /// Nothing (an empty cell, or one the Markdown parser added to a short row).
    Empty,
    /// One absolute `http(s)` URL (bare, `<…>` or a Markdown/HTML link).
    Absolute(String),
    /// One link to a file of the site (`[x](guide/setup.md#step)`): index into `page.links`.
    Local(usize),
    /// Text that does not look like a URL (a note such as "not supported yet").
    Text(String),
    /// A URL without a scheme (`/guide/`, `cloudpartner.azure.com/#x`).
    Relative(String),
    /// A URL that does not parse.
    Invalid {
        /// The URL as written.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// More than one URL in one cell.
    Several(Vec<String>),
}

/// Collapses every run of whitespace (line breaks from `<br>` included) into one space.
pub(crate) fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of a range of a page's nodes (a table cell): markup dropped, `<br>`, list
/// items and block ends become line breaks, blank lines removed, each line's whitespace
/// collapsed.
pub(crate) fn nodes_text<'n>(nodes: impl IntoIterator<Item = &'n Node>) -> String {
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

/// Reads the URL of a cell of `page`.
pub(crate) fn cell_url(cell: Option<&Cell>, page: &Page) -> CellUrl {
    let Some(cell) = cell else {
        return CellUrl::Empty;
    };
    let mut dests: Vec<(usize, &str)> = Vec::new();
    for &i in &cell.links {
        let Some(link) = page.links.get(i) else {
            continue;
        };
        if link.kind.is_image() || dests.iter().any(|(_, d)| *d == link.dest) {
            continue;
        }
        dests.push((i, link.dest.as_str()));
    }
    match dests.as_slice() {
        [] => text_url(&cell.text),
        [(i, dest)] => match &page.links[*i].target {
            LinkTarget::External { .. } => match check_absolute_url(dest) {
                Ok(()) => CellUrl::Absolute(dest.trim().to_string()),
                Err(reason) => CellUrl::Invalid {
                    url: dest.to_string(),
                    reason,
                },
            },
            LinkTarget::Local { .. } => CellUrl::Local(*i),
            _ => CellUrl::Relative(dest.to_string()),
        },
        several => CellUrl::Several(several.iter().map(|(_, d)| d.to_string()).collect()),
    }
}

/// The text a URL cell holds besides its one URL (`https://x (preview only)`,
/// `[https://x](https://x) until June`): kept as the entry's note, so nothing written in a
/// mapping cell is dropped. A link's own text (`[Offers](https://x)`) is not a note.
pub(crate) fn cell_note(cell: Option<&Cell>, page: &Page) -> Option<String> {
    let cell = cell?;
    let note = if cell.links.is_empty() {
        let text = squash(&cell.text);
        let mut words = text.splitn(2, ' ');
        let first = words.next().unwrap_or_default();
        let first = first.trim_start_matches('<').trim_end_matches('>');
        crate::urls::scheme_of(first)?;
        words.next().unwrap_or_default().to_string()
    } else {
        let nodes = page.doc.nodes.get(cell.nodes.clone()).unwrap_or_default();
        squash(&nodes_text(outside_links(nodes)))
    };
    (!note.is_empty()).then_some(note)
}

/// The nodes of a cell that are not inside a Markdown or HTML link.
fn outside_links(nodes: &[Node]) -> impl Iterator<Item = &Node> {
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

/// A cell without links: empty, a URL-looking word, or text.
fn text_url(text: &str) -> CellUrl {
    let text = squash(text);
    let word = text.trim_start_matches('<').trim_end_matches('>');
    if text.is_empty() {
        return CellUrl::Empty;
    }
    if word.contains(char::is_whitespace) {
        // `https://x (preview only)`: the URL, and the rest is the entry's note
        // ([`cell_note`]).
        let first = text.split_whitespace().next().unwrap_or_default();
        let first = first.trim_start_matches('<').trim_end_matches('>');
        if crate::urls::scheme_of(first).is_some() && check_absolute_url(first).is_ok() {
            return CellUrl::Absolute(first.to_string());
        }
        return CellUrl::Text(text);
    }
    if crate::urls::scheme_of(word).is_some() {
        return match check_absolute_url(word) {
            Ok(()) => CellUrl::Absolute(word.to_string()),
            Err(reason) => CellUrl::Invalid {
                url: word.to_string(),
                reason,
            },
        };
    }
    let path_like = ["/", "#", "./", "../", "~/"]
        .iter()
        .any(|p| word.starts_with(p))
        || word.contains(".md")
        || word.contains(".htm");
    if path_like || looks_like_host(word) {
        CellUrl::Relative(word.to_string())
    } else {
        CellUrl::Text(text)
    }
}

fn looks_like_host(word: &str) -> bool {
    let host = word.split(['/', '#', '?']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Checks that `url` is an absolute `http`/`https` URL with a host and no spaces.
pub(crate) fn check_absolute_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    let Some(scheme) = crate::urls::scheme_of(url) else {
        return Err("it has no scheme (write `https://…`)".to_string());
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "only http and https URLs can be mapped, not `{scheme}:`"
        ));
    }
    let Some(rest) = url[scheme.len() + 1..].strip_prefix("//") else {
        return Err(format!("`{scheme}:` must be followed by `//` and a host"));
    };
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains the character {c:?}"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, _)) if !h.ends_with(']') && h.contains('[') => (host_port, None),
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    if host.is_empty() {
        return Err("it has no host".to_string());
    }
    let host_ok = host.starts_with('[')
        || host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '%'));
    if !host_ok {
        return Err(format!("`{host}` is not a valid host name"));
    }
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Err(format!("`{authority}` has an invalid port"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_absolute_urls() {
        assert!(check_absolute_url("https://cloudpartner.azure.com/#insights/payout").is_ok());
        assert!(check_absolute_url("http://localhost:8080/a?b=c").is_ok());
        assert!(check_absolute_url("https://").is_err());
        assert!(check_absolute_url("https:/x.example").is_err());
        assert!(check_absolute_url("ftp://x.example/").is_err());
        assert!(check_absolute_url("https://exa mple.com/").is_err());
        assert!(check_absolute_url("https://x.example:80a/").is_err());
        assert!(check_absolute_url("https://x!y/").is_err());
    }

    #[test]
    fn cell_nodes_to_text() {
        use crate::model::doc::RawHtml;
        use pulldown_cmark::CowStr;
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

    #[test]
    fn classifies_plain_cells() {
        assert_eq!(text_url("  "), CellUrl::Empty);
        assert_eq!(
            text_url("The History feature is not yet supported."),
            CellUrl::Text("The History feature is not yet supported.".into())
        );
        assert_eq!(
            text_url("cloudpartner.azure.com/#x"),
            CellUrl::Relative("cloudpartner.azure.com/#x".into())
        );
        assert_eq!(text_url("/guide/"), CellUrl::Relative("/guide/".into()));
        assert_eq!(text_url("n/a"), CellUrl::Text("n/a".into()));
        assert_eq!(
            text_url("guide/a.md#x"),
            CellUrl::Relative("guide/a.md#x".into())
        );
        assert_eq!(text_url("TBD"), CellUrl::Text("TBD".into()));
        assert!(matches!(text_url("https://"), CellUrl::Invalid { .. }));
        // A URL followed by words: the URL (the words become the entry's note).
        assert_eq!(
            text_url("https://x.example/a (preview only)"),
            CellUrl::Absolute("https://x.example/a".into())
        );
        assert_eq!(
            text_url("<https://x.example/a> until June"),
            CellUrl::Absolute("https://x.example/a".into())
        );
        assert_eq!(
            text_url("See https://x.example/a"),
            CellUrl::Text("See https://x.example/a".into())
        );
    }
}
