//! FAQ pages: which pages are FAQs and where their questions and answers are.
//!
//! A page is an FAQ when its front matter says `ms.topic: faq` or `faq: true`, its title
//! starts with "Frequently asked questions", or it comes from a `YamlMime:FAQ` file.
//! In Markdown, the question level is the highest heading level below H1 at which some
//! heading ends with `?`; every heading of that level is a question, and so is every deeper
//! heading that ends with `?`. An answer runs to the next question or to the next heading
//! of a higher rank. In a `YamlMime:FAQ` page the questions are exactly the H3 headings.

use super::cells::squash;
use crate::model::doc::Node;
use crate::model::migration::{FaqPage, FaqQuestion, Fragment};
use crate::model::{HeadingRef, Page, Site};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashSet;

/// True when the page is an FAQ page.
pub(crate) fn is_faq(page: &Page, from_yaml: bool) -> bool {
    let fm = &page.front_matter;
    let topic = fm
        .get("ms.topic")
        .and_then(|v| v.as_str())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("faq"));
    let flag = fm.get("faq").and_then(|v| v.as_bool()) == Some(true);
    let title = page
        .title
        .trim_start()
        .to_lowercase()
        .starts_with("frequently asked questions");
    from_yaml || topic || flag || title
}

/// A heading's place in the event stream.
struct HeadingAt {
    level: u8,
    start: usize,
    end: usize,
}

fn headings(nodes: &[Node]) -> Vec<HeadingAt> {
    let mut out: Vec<HeadingAt> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let Some(ev) = node.event() else { continue };
        match ev {
            Event::Start(Tag::Heading { level, .. }) => out.push(HeadingAt {
                level: level as u8,
                start: i,
                end: i,
            }),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = out.last_mut() {
                    h.end = i;
                }
            }
            _ => {}
        }
    }
    out
}

/// Indices (into `hs`, a page's headings) of the question headings.
fn question_indices(hs: &[HeadingRef<'_>], from_yaml: bool) -> Vec<usize> {
    if from_yaml {
        return (0..hs.len()).filter(|&i| hs[i].level == 3).collect();
    }
    let asks = |i: usize| hs[i].text.trim_end().ends_with('?');
    let Some(level) = (0..hs.len())
        .filter(|&i| hs[i].level >= 2 && asks(i))
        .map(|i| hs[i].level)
        .min()
    else {
        return Vec::new();
    };
    (0..hs.len())
        .filter(|&i| hs[i].level == level || (hs[i].level > level && asks(i)))
        .collect()
}

/// The FAQ page of `page`, or `None` when it is not an FAQ or has no questions.
pub(crate) fn faq_page(site: &Site, index: usize, from_yaml: bool) -> Option<FaqPage> {
    let page = &site.pages[index];
    if !is_faq(page, from_yaml) {
        return None;
    }
    let page_headings: Vec<HeadingRef<'_>> = page.headings().iter().collect();
    let questions = question_indices(&page_headings, from_yaml);
    if questions.is_empty() {
        return None;
    }
    let nodes = &page.doc.nodes;
    let places = headings(nodes);
    if places.len() != page_headings.len() {
        return None;
    }
    let chosen: HashSet<usize> = questions.iter().copied().collect();
    let page_url = format!("{}{}", site.config.url, page.url);
    let mut out = Vec::new();
    for &q in &questions {
        let heading = &page_headings[q];
        let from = places[q].end + 1;
        let to = (q + 1..places.len())
            .find(|&k| chosen.contains(&k) || places[k].level < heading.level)
            .map_or(nodes.len(), |k| places[k].start);
        out.push(FaqQuestion {
            question: squash(heading.text),
            anchor: heading.id.to_string(),
            url: format!("{page_url}#{}", crate::urls::encode_fragment(heading.id)),
            answer_text: plain_text(&nodes[from..to]),
            answer: Fragment {
                page: page.path.clone(),
                nodes: from..to,
            },
        });
    }
    Some(FaqPage {
        page: page.path.clone(),
        url: page_url,
        title: page.title.clone(),
        questions: out,
    })
}

/// Plain text of a node range: text and code kept, blocks separated by blank lines,
/// raw HTML and directives dropped (except that `<br>` breaks the line).
fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        let ev = match node {
            Node::Event(ev) => ev.event(),
            Node::Html(html)
                if !html.block
                    && html
                        .text
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("<br") =>
            {
                out.push('\n');
                continue;
            }
            _ => continue,
        };
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_),
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.lines()
        .map(|l| l.trim_end())
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
