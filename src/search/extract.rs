//! Page → sections: walks the Markdown events of the page's document (`page.doc`) once and
//! cuts it at every H1, H2 and H3. Deeper headings stay inside their section as body text.
//!
//! What is indexed: text, inline code and table cells as body; code blocks as a separate,
//! low-weight `code` field (a query for an identifier that appears only in a sample still
//! finds the section, but prose mentions rank first); link targets, raw HTML and image
//! markup are not indexed. Content before the first heading belongs to the first section.

use crate::model::doc::{Node, TabMark};
use crate::model::{CardPage, Page};
use pulldown_cmark::{Event, Tag, TagEnd};

/// One section of a page: the unit a search hit points at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// Heading level (1–3), or 0 for text before the first heading.
    pub level: u8,
    /// Heading text ("" for the lead-in).
    pub heading: String,
    /// Heading id; "" links to the page itself (first section, H1 sections).
    pub anchor: String,
    /// Prose, inline code and table cells, with single spaces between blocks.
    pub body: String,
    /// Code-block contents.
    pub code: String,
}

/// Cuts a page into sections. The first section links to the page itself.
pub fn sections(page: &Page) -> Vec<Section> {
    sections_from(page, &page.doc.nodes)
}

/// [`sections`] with the page's document nodes given apart from the page (a one-shot build
/// takes them out of the site; see [`crate::search::SearchIndex::files_lending`]).
pub fn sections_from(page: &Page, nodes: &[Node]) -> Vec<Section> {
    if let Some(cards) = &page.cards {
        return card_sections(cards);
    }
    let mut walker = Walker::default();
    for node in nodes {
        match node {
            Node::Event(ev) => walker.on_event(&ev.event()),
            // Tab titles are not headings, but their words are the page's text.
            Node::Tabs(TabMark::GroupStart(group)) => {
                for tab in &group.tabs {
                    tab.title.iter().for_each(|ev| walker.on_event(ev));
                    walker.push_text(" ");
                }
            }
            _ => {}
        }
    }
    walker.finish()
}

/// The sections of a Hub or Landing page, cut where its rendered page has headings: the H1
/// with the introduction, each titled section (H2) and each card with a heading (H3). Card
/// titles that are not headings, summaries, list labels and link texts are body text of
/// the section they are in.
fn card_sections(cards: &CardPage) -> Vec<Section> {
    let mut w = Walker::default();
    let heading = |w: &mut Walker, level: u8, id: &str, text: &str| {
        w.start_section(level, id);
        w.current.heading = collapse(text);
    };
    let text = |w: &mut Walker, text: Option<&str>| {
        if let Some(text) = text {
            push_collapsed(&mut w.current.body, text);
            w.current.body.push(' ');
        }
    };
    heading(&mut w, 1, "", &cards.title);
    text(&mut w, cards.summary.as_deref());
    for section in &cards.sections {
        if let (Some(title), Some(id)) = (&section.title, &section.id) {
            heading(&mut w, 2, id, title);
        }
        text(&mut w, section.summary.as_deref());
        for card in &section.cards {
            match (&card.title, &card.id) {
                (Some(title), Some(id)) => heading(&mut w, 3, id, title),
                (title, _) => text(&mut w, title.as_deref()),
            }
            text(&mut w, card.summary.as_deref());
            let links = (card.lists.iter())
                .flat_map(|l| &l.links)
                .chain(&card.footer);
            for link in links {
                text(&mut w, Some(&link.text));
            }
        }
    }
    w.finish()
}

#[derive(Default)]
struct Walker {
    done: Vec<Section>,
    current: Section,
    in_heading: Option<u8>,
    in_code_block: bool,
    heading_text: String,
}

impl Walker {
    fn on_event(&mut self, ev: &Event<'_>) {
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = *level as u8;
                if level <= 3 {
                    self.start_section(level, id.as_deref().unwrap_or_default());
                }
                self.in_heading = Some(level);
                self.heading_text.clear();
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.current.code.push(' ');
            }
            Event::Text(t) | Event::Code(t) => self.push_text(t),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.push_text(" "),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.in_heading.is_some() {
            self.heading_text.push_str(text);
        } else if self.in_code_block {
            self.current.code.push_str(text);
        } else {
            push_collapsed(&mut self.current.body, text);
        }
    }

    fn start_section(&mut self, level: u8, id: &str) {
        let first = self.done.is_empty();
        let lead_in_only = self.current.level == 0 && self.current.heading.is_empty();
        if first && lead_in_only && level == 1 {
            // An H1 right at the top (after an optional lead-in) is the page's own section.
            self.current.level = 1;
            return;
        }
        if !(first
            && lead_in_only
            && self.current.body.trim().is_empty()
            && self.current.code.is_empty())
        {
            self.done.push(std::mem::take(&mut self.current));
        }
        self.current = Section {
            level,
            anchor: id.to_string(),
            ..Section::default()
        };
    }

    fn end_heading(&mut self) {
        let Some(level) = self.in_heading.take() else {
            return;
        };
        let text = collapse(&self.heading_text);
        if level <= 3 && self.current.heading.is_empty() {
            self.current.heading = text;
        } else {
            // H4–H6 (or a second heading text): searchable as body text.
            push_collapsed(&mut self.current.body, &text);
            self.current.body.push(' ');
        }
    }

    fn finish(mut self) -> Vec<Section> {
        self.done.push(self.current);
        for s in &mut self.done {
            s.body = s.body.trim().to_string();
            s.code = collapse(&s.code);
        }
        self.done
    }
}

/// Appends text, turning every run of white space into one space.
fn push_collapsed(out: &mut String, text: &str) {
    if text.is_ascii() {
        // Fast path: copy the runs between ASCII white space as slices.
        for (i, run) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(run);
        }
        return;
    }
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_collapsed(&mut out, text);
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{CowStr, HeadingLevel};

    fn heading(level: HeadingLevel, id: &str, text: &str) -> Vec<Event<'static>> {
        vec![
            Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id.to_string())),
                classes: vec![],
                attrs: vec![],
            }),
            Event::Text(CowStr::from(text.to_string())),
            Event::End(TagEnd::Heading(level)),
        ]
    }

    fn para(text: &str) -> Vec<Event<'static>> {
        vec![
            Event::Start(Tag::Paragraph),
            Event::Text(CowStr::from(text.to_string())),
            Event::End(TagEnd::Paragraph),
        ]
    }

    fn walk(events: Vec<Vec<Event<'static>>>) -> Vec<Section> {
        let mut w = Walker::default();
        for ev in events.into_iter().flatten() {
            w.on_event(&ev);
        }
        w.finish()
    }

    #[test]
    fn cuts_at_h1_h2_h3_and_keeps_h4_as_body() {
        let s = walk(vec![
            para("Lead."),
            heading(HeadingLevel::H1, "title", "Title"),
            para("Intro."),
            heading(HeadingLevel::H2, "setup", "Set up"),
            para("Steps."),
            heading(HeadingLevel::H4, "deep", "Deep detail"),
            para("More."),
            heading(HeadingLevel::H3, "sub", "Sub"),
        ]);
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s[0].level, s[0].anchor.as_str(), s[0].body.as_str()),
            (1, "", "Lead. Intro.")
        );
        assert_eq!(s[0].heading, "Title");
        assert_eq!(
            (s[1].anchor.as_str(), s[1].heading.as_str()),
            ("setup", "Set up")
        );
        assert_eq!(s[1].body, "Steps. Deep detail More.");
        assert_eq!((s[2].level, s[2].body.as_str()), (3, ""));
    }

    #[test]
    fn code_blocks_go_to_the_code_field() {
        let mut events = para("Call it.");
        events.push(Event::Start(Tag::CodeBlock(
            pulldown_cmark::CodeBlockKind::Indented,
        )));
        events.push(Event::Text(CowStr::from("GET /api?api-version=1\n")));
        events.push(Event::End(TagEnd::CodeBlock));
        let s = walk(vec![events]);
        assert_eq!(s[0].body, "Call it.");
        assert_eq!(s[0].code, "GET /api?api-version=1");
    }

    #[test]
    fn card_pages_are_cut_at_their_section_and_card_headings() {
        use crate::model::cards::{
            Card, CardLink, CardPageKind, CardSection, LinkList, SectionKind,
        };
        let card = |title: &str, id: Option<&str>, link: &str| Card {
            title: Some(title.into()),
            id: id.map(Into::into),
            item_type: None,
            summary: Some(format!("About {title}.")),
            link: None,
            lists: vec![LinkList {
                kind: None,
                links: vec![CardLink {
                    text: link.into(),
                    link: 0,
                }],
            }],
            footer: None,
        };
        let cards = CardPage {
            kind: CardPageKind::Hub,
            title: "Hub".into(),
            summary: Some("Intro.".into()),
            sections: vec![
                CardSection {
                    kind: SectionKind::Highlighted,
                    title: None,
                    id: None,
                    summary: None,
                    cards: vec![card("Quick", None, "Start")],
                },
                CardSection {
                    kind: SectionKind::Conceptual,
                    title: Some("Learn".into()),
                    id: Some("learn".into()),
                    summary: None,
                    cards: vec![card("Offers", Some("offers"), "Create an offer")],
                },
            ],
        };
        let s: Vec<(u8, String, String, String)> = card_sections(&cards)
            .into_iter()
            .map(|s| (s.level, s.heading, s.anchor, s.body))
            .collect();
        let row = |l: u8, h: &str, a: &str, b: &str| (l, h.into(), a.into(), b.into());
        assert_eq!(
            s,
            [
                row(1, "Hub", "", "Intro. Quick About Quick. Start"),
                row(2, "Learn", "learn", ""),
                row(3, "Offers", "offers", "About Offers. Create an offer"),
            ]
        );
    }

    #[test]
    fn page_starting_with_h2_has_a_lead_in_only_when_there_is_text() {
        let s = walk(vec![heading(HeadingLevel::H2, "a", "A"), para("x")]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].anchor, "a");
        let s = walk(vec![para("lead"), heading(HeadingLevel::H2, "a", "A")]);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].level, s[0].anchor.as_str()), (0, ""));
    }
}
