//! Event adapters: the stored event stream of a page → HTML. Link targets are rewritten
//! from the model's resolution; alerts, headings, tables and code blocks get their markup.

use super::highlight::Highlighter;
use crate::model::doc::Node;
use crate::model::{LinkList, Page, Site};
use crate::urls::escape_html;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

/// Renders a page body to HTML from `nodes`, the page's document nodes (`page.doc.nodes`,
/// unless a one-shot build has taken them out of the site to drop them once read), and
/// `links`, the page's links as read.
pub fn render_body(
    site: &Site,
    page: &Page,
    links: &LinkList<'_>,
    nodes: &[Node],
    highlighter: &Highlighter,
) -> String {
    let events = super::lower::events(site, links, nodes, super::lower::Lowering::PAGE);
    let mut out = String::with_capacity(page.body_len * 2);
    pulldown_cmark::html::push_html(&mut out, Adapters::new(events.into_iter(), highlighter));
    out
}

fn alert_title(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Heading self-links, alert callouts, table wrappers and highlighted code blocks.
struct Adapters<'h, 'e, I> {
    inner: I,
    highlighter: &'h Highlighter,
    heading_ids: Vec<String>,
    /// Text of the heading being read, then of the last one closed: names the next table.
    heading_text: String,
    pending: std::collections::VecDeque<Event<'e>>,
    /// Inside a table: inline code gets break opportunities (see `Event::Code` below).
    in_table: bool,
}

impl<'h, 'e, I: Iterator<Item = Event<'e>>> Adapters<'h, 'e, I> {
    fn new(inner: I, highlighter: &'h Highlighter) -> Self {
        Adapters {
            inner,
            highlighter,
            heading_ids: Vec::new(),
            heading_text: String::new(),
            pending: Default::default(),
            in_table: false,
        }
    }

    fn code_block(&mut self, kind: CodeBlockKind<'e>) -> Event<'e> {
        let mut code = String::new();
        for ev in self.inner.by_ref() {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let lang = match &kind {
            CodeBlockKind::Fenced(l) => l.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        Event::Html(CowStr::from(self.highlighter.code_block(&code, &lang)))
    }
}

impl<'e, I: Iterator<Item = Event<'e>>> Iterator for Adapters<'_, 'e, I> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        if let Some(ev) = self.pending.pop_front() {
            return Some(ev);
        }
        let ev = self.inner.next()?;
        Some(match ev {
            Event::Start(Tag::Heading { ref id, .. }) => {
                self.heading_ids
                    .push(id.as_deref().unwrap_or_default().to_string());
                self.heading_text.clear();
                ev
            }
            // A long path in inline code (`/api/publishers/{id}/offers/...?api-version=`)
            // has no break opportunity, so it set the column's minimum width and pushed
            // the API-change table past the content column at 1280 px.
            Event::Code(ref t) if self.in_table && t.len() > 20 => Event::InlineHtml(CowStr::from(
                format!("<code>{}</code>", crate::urls::escape_html_breakable(t)),
            )),
            Event::Text(ref t) | Event::Code(ref t) if !self.heading_ids.is_empty() => {
                self.heading_text.push_str(t);
                ev
            }
            Event::End(TagEnd::Heading(_)) => {
                let id = self.heading_ids.pop().unwrap_or_default();
                if id.is_empty() {
                    return Some(ev);
                }
                let id = escape_html(&crate::urls::encode_fragment(&id));
                self.pending.push_back(ev);
                Event::InlineHtml(CowStr::from(format!(
                    " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Permalink\">#</a>"
                )))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert_title(kind);
                Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n"
                )))
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from("</div>\n")),
            Event::Start(Tag::Table(_)) => {
                self.in_table = true;
                self.pending.push_back(ev);
                // A wide table scrolls in its own box instead of splitting words; a scrollable
                // box must be reachable by keyboard, and a focusable region needs a name.
                let name = match self.heading_text.trim() {
                    "" => "Table".to_string(),
                    heading => format!("Table: {heading}"),
                };
                Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">",
                    escape_html(&name)
                )))
            }
            Event::End(TagEnd::Table) => {
                self.in_table = false;
                self.pending
                    .push_back(Event::Html(CowStr::from("</div>\n")));
                ev
            }
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind),
            other => other,
        })
    }
}
