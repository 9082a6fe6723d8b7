//! Parse stage for Microsoft Learn `YamlMime:Hub` and `YamlMime:Landing` files: one YAML
//! [`SourceFile`] → one [`Page`] whose [`Page::cards`] hold the sections and cards, and whose
//! links are every `url`, each at the line and column it is written. Unknown keys are
//! ignored, as Learn's build ignores them; a value of the wrong type is skipped. No HTML is
//! decided here.

use crate::diag::{Code, Diagnostic};
use crate::model::cards::{
    Card, CardLink, CardPage, CardPageKind, CardSection, LinkList, SectionKind,
};
use crate::model::{
    front_matter_text, Doc, Heading, Link, LinkKind, Page, PageLinks, PageOutline, PageTables,
};
use crate::slug::Slugger;
use crate::source::SourceFile;
use serde_json::{Map, Value};

/// Parses a Hub or Landing file. `Err` when the file is not YAML, is not a mapping, or names
/// another schema: it cannot be a page (`invalid-data-file`, at the parser's position).
pub fn parse_card_page(src: &SourceFile, base_path: &str) -> Result<Page, Diagnostic> {
    let invalid = |line: u32, column: u32, why: String| {
        Diagnostic::new(Code::InvalidDataFile, &src.path, line, column, why)
    };
    let mime = crate::yaml::yaml_mime(&src.text).unwrap_or_default();
    let Some(kind) = CardPageKind::from_mime(mime) else {
        return Err(invalid(
            1,
            1,
            format!("`YamlMime:{mime}` is not a Hub or Landing page"),
        ));
    };
    let value = crate::yaml::to_json_value(&src.text).map_err(|e| {
        invalid(
            e.line.unwrap_or(1),
            e.column.unwrap_or(1),
            format!("not a valid YamlMime:{mime} file: {}", e.message),
        )
    })?;
    let Value::Object(root) = value else {
        return Err(invalid(
            1,
            1,
            format!("not a valid YamlMime:{mime} file: the file is not a mapping of keys"),
        ));
    };
    let mut b = Builder::new(src, base_path);
    let front_matter = root
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let heading = text(&root, "title")
        .or_else(|| front_matter_text(&front_matter, "title"))
        .unwrap_or_else(|| super::file_stem(&src.path));
    b.heading(1, &heading);
    let summary = text(&root, "summary");
    let sections = match kind {
        CardPageKind::Hub => b.hub(&root),
        CardPageKind::Landing => b.landing(&root),
    };
    let title = front_matter_text(&front_matter, "title")
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| heading.clone());
    let description = front_matter_text(&front_matter, "description")
        .filter(|d| !d.trim().is_empty())
        .or_else(|| summary.clone());
    let date = front_matter_text(&front_matter, "ms.date")
        .or_else(|| front_matter_text(&front_matter, "date"))
        .map(|d| super::front_matter::normalize_date(&d));
    let (url, output) = crate::urls::page_url(&src.path, base_path);
    Ok(Page {
        path: src.path.clone(),
        url,
        output,
        weight: front_matter.get("weight").and_then(Value::as_i64),
        front_matter: front_matter.into(),
        title,
        description,
        date,
        outline: PageOutline::new(&b.headings, &[]),
        links: PageLinks::new(&b.links),
        tables: PageTables::default(),
        includes: Vec::new(),
        body_line: 1,
        body_len: 0,
        id_order: Default::default(),
        tab_order: Default::default(),
        doc: Doc::default(),
        tab_ids: Vec::new(),
        cards: Some(Box::new(CardPage {
            kind,
            title: heading,
            summary,
            sections,
        })),
    })
}

/// A string value of `map` (numbers and booleans printed), trimmed; `None` when empty.
fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    front_matter_text(map, key)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The mappings of a sequence value of `map` (anything else in it is skipped).
fn items<'v>(
    map: &'v Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'v Map<String, Value>> {
    map.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// Where the scalars of one key are written, by value; each place is used once, in
/// document order (the sections are read in that order too).
struct Places {
    by_value: std::collections::HashMap<String, std::collections::VecDeque<(u32, u32)>>,
}

impl Places {
    fn new(text: &str, key: &str) -> Places {
        let mut by_value = std::collections::HashMap::<_, std::collections::VecDeque<_>>::new();
        for at in crate::yaml::scalar_positions(text, key) {
            by_value
                .entry(at.value.trim().to_string())
                .or_default()
                .push_back((at.line, at.column));
        }
        Places { by_value }
    }

    /// The first unused place of a scalar with this value.
    fn take(&mut self, value: &str) -> Option<(u32, u32)> {
        self.by_value.get_mut(value)?.pop_front()
    }
}

/// Collects headings and links while the sections are read.
struct Builder<'a> {
    src: &'a SourceFile,
    base_path: &'a str,
    urls: Places,
    titles: Places,
    slugger: Slugger,
    headings: Vec<Heading>,
    links: Vec<Link>,
}

impl<'a> Builder<'a> {
    fn new(src: &'a SourceFile, base_path: &'a str) -> Builder<'a> {
        Builder {
            src,
            base_path,
            urls: Places::new(&src.text, "url"),
            titles: Places::new(&src.text, "title"),
            slugger: Slugger::new(),
            headings: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Records a heading; returns its id, unique in the page.
    fn heading(&mut self, level: u8, title: &str) -> String {
        let id = self.slugger.slug(title);
        let line = self.titles.take(title).map_or(1, |(line, _)| line);
        self.headings.push(Heading {
            level,
            text: title.to_string(),
            id: id.clone(),
            file: self.src.path.as_str().into(),
            line,
        });
        id
    }

    /// Records the `url` of `map` as a link of the page.
    fn link(&mut self, map: &Map<String, Value>) -> Option<usize> {
        let dest = text(map, "url")?;
        // Only a value read through an alias has no place of its own.
        let (line, column) = self.urls.take(&dest).unwrap_or((1, 1));
        self.links.push(Link {
            kind: LinkKind::YamlUrl,
            target: crate::model::link::classify(&dest, &self.src.path, self.base_path),
            dest,
            file: self.src.path.as_str().into(),
            line,
            column,
            definition_line: None,
        });
        Some(self.links.len() - 1)
    }

    /// A `{text, url}` link (`text` defaults to the URL).
    fn card_link(&mut self, map: &Map<String, Value>) -> Option<CardLink> {
        let link = self.link(map)?;
        let text = text(map, "text").unwrap_or_else(|| self.links[link].dest.clone());
        Some(CardLink { text, link })
    }

    /// A section of the page: its heading (if titled) and summary.
    fn section(&mut self, kind: SectionKind, map: &Map<String, Value>) -> CardSection {
        let title = text(map, "title");
        let id = title.as_deref().map(|t| self.heading(2, t));
        CardSection {
            kind,
            title,
            id,
            summary: text(map, "summary"),
            cards: Vec::new(),
        }
    }

    /// A card that is one link (highlighted items, tools): its title is the link's text.
    fn link_card(&mut self, map: &Map<String, Value>) -> Option<Card> {
        let link = self.link(map);
        let title = text(map, "title").or_else(|| link.map(|l| self.links[l].dest.clone()))?;
        Some(Card {
            title: Some(title),
            id: None,
            item_type: text(map, "itemType"),
            summary: text(map, "summary"),
            link,
            lists: Vec::new(),
            footer: None,
        })
    }

    /// A card with a heading, a summary and lists of links: `links` (Hub) and `linkLists`
    /// (Landing), or a single `url` (a Hub additional-content item).
    fn list_card(&mut self, map: &Map<String, Value>) -> Card {
        let title = text(map, "title");
        let id = title.as_deref().map(|t| self.heading(3, t));
        let link = self.link(map);
        let mut lists = Vec::new();
        let links: Vec<CardLink> = items(map, "links")
            .filter_map(|l| self.card_link(l))
            .collect();
        if !links.is_empty() {
            lists.push(LinkList { kind: None, links });
        }
        for list in items(map, "linkLists") {
            let links = items(list, "links")
                .filter_map(|l| self.card_link(l))
                .collect();
            lists.push(LinkList {
                kind: text(list, "linkListType"),
                links,
            });
        }
        let footer = map
            .get("footerLink")
            .and_then(Value::as_object)
            .and_then(|f| self.card_link(f));
        Card {
            title,
            id,
            item_type: text(map, "itemType"),
            summary: text(map, "summary"),
            link,
            lists,
            footer,
        }
    }

    /// The sections of a Hub: highlighted content, conceptual content, tools, additional
    /// content, in the order Learn shows them.
    fn hub(&mut self, root: &Map<String, Value>) -> Vec<CardSection> {
        let mut out = Vec::new();
        let object = |key: &str| root.get(key).and_then(Value::as_object);
        if let Some(map) = object("highlightedContent") {
            let mut s = self.section(SectionKind::Highlighted, map);
            s.cards = items(map, "items")
                .filter_map(|i| self.link_card(i))
                .collect();
            out.push(s);
        }
        if let Some(map) = object("conceptualContent") {
            let mut s = self.section(SectionKind::Conceptual, map);
            s.cards = items(map, "items").map(|i| self.list_card(i)).collect();
            out.push(s);
        }
        if let Some(map) = object("tools") {
            let mut s = self.section(SectionKind::Tools, map);
            s.cards = items(map, "items")
                .filter_map(|i| self.link_card(i))
                .collect();
            out.push(s);
        }
        if let Some(map) = object("additionalContent") {
            for section in items(map, "sections") {
                let mut s = self.section(SectionKind::Additional, section);
                s.cards = items(section, "items").map(|i| self.list_card(i)).collect();
                out.push(s);
            }
        }
        out.retain(|s| !s.cards.is_empty() || s.title.is_some());
        out
    }

    /// The one section of a Landing page: its `landingContent` cards.
    fn landing(&mut self, root: &Map<String, Value>) -> Vec<CardSection> {
        let cards: Vec<Card> = items(root, "landingContent")
            .map(|c| self.list_card(c))
            .collect();
        vec![CardSection {
            kind: SectionKind::Landing,
            title: None,
            id: None,
            summary: None,
            cards,
        }]
    }
}

#[cfg(test)]
mod tests;
