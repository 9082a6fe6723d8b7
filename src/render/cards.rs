//! The template context of a Hub or Landing page: its sections and cards with every link
//! resolved to the URL the site gives it ([`Site::href`], as Markdown links are), for
//! `cards.html` to lay out.

use crate::model::cards::{Card, CardLink, CardPage, CardPageKind, SectionKind};
use crate::model::{LinkList, Page, Site};
use serde::Serialize;

/// A Hub or Landing page for the template.
#[derive(Debug, Serialize)]
pub struct CardsView<'a> {
    /// `hub` or `landing`.
    pub kind: CardPageKind,
    /// The H1.
    pub title: &'a str,
    /// The H1's id.
    pub id: &'a str,
    /// The introduction ("" when none).
    pub summary: &'a str,
    /// The sections in order.
    pub sections: Vec<SectionView<'a>>,
}

/// A section of cards.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    /// Where it comes from (`highlighted`, `conceptual`, `tools`, `additional`, `landing`).
    pub kind: SectionKind,
    /// Its H2 ("" when it has none).
    pub title: &'a str,
    /// The H2's id.
    pub id: &'a str,
    /// Its introduction ("" when none).
    pub summary: &'a str,
    /// The cards.
    pub cards: Vec<CardView<'a>>,
}

/// A card.
#[derive(Debug, Serialize)]
pub struct CardView<'a> {
    /// Title ("" when none).
    pub title: &'a str,
    /// The id of its H3 ("" when the title is not a heading).
    pub id: &'a str,
    /// Learn's `itemType` ("" when none).
    pub item_type: &'a str,
    /// Its label for readers ("How-to guide"; "" when none).
    pub item_label: String,
    /// Summary ("" when none).
    pub summary: &'a str,
    /// The URL the whole card links to ("" when none).
    pub href: String,
    /// Link lists.
    pub lists: Vec<ListView<'a>>,
    /// The footer link.
    pub footer: Option<LinkView<'a>>,
}

/// A list of links of a card.
#[derive(Debug, Serialize)]
pub struct ListView<'a> {
    /// Learn's `linkListType` ("" when none).
    pub kind: &'a str,
    /// Its label for readers ("How-to guide" for `how-to-guide`; "" when none).
    pub label: String,
    /// The links.
    pub links: Vec<LinkView<'a>>,
}

/// A link of a card.
#[derive(Debug, Serialize)]
pub struct LinkView<'a> {
    /// Text.
    pub text: &'a str,
    /// The URL as the site resolves it.
    pub href: String,
}

/// The view of a page's cards, `None` for a page that has none.
pub(super) fn cards_view<'a>(
    site: &Site,
    page: &'a Page,
    links: &LinkList<'_>,
) -> Option<CardsView<'a>> {
    let cards = page.cards.as_ref()?;
    let href = |i: usize| links.get(i).map(|l| site.href(&l)).unwrap_or_default();
    let link = |l: &'a CardLink| LinkView {
        text: &l.text,
        href: href(l.link),
    };
    let card = |c: &'a Card| CardView {
        title: c.title.as_deref().unwrap_or_default(),
        id: c.id.as_deref().unwrap_or_default(),
        item_type: c.item_type.as_deref().unwrap_or_default(),
        item_label: c.item_type.as_deref().map(type_label).unwrap_or_default(),
        summary: c.summary.as_deref().unwrap_or_default(),
        href: c.link.map(href).unwrap_or_default(),
        lists: c
            .lists
            .iter()
            .map(|l| ListView {
                kind: l.kind.as_deref().unwrap_or_default(),
                label: l.kind.as_deref().map(type_label).unwrap_or_default(),
                links: l.links.iter().map(link).collect(),
            })
            .collect(),
        footer: c.footer.as_ref().map(link),
    };
    Some(CardsView {
        kind: cards.kind,
        title: &cards.title,
        id: h1_id(page, cards),
        summary: cards.summary.as_deref().unwrap_or_default(),
        sections: cards
            .sections
            .iter()
            .map(|s| SectionView {
                kind: s.kind,
                title: s.title.as_deref().unwrap_or_default(),
                id: s.id.as_deref().unwrap_or_default(),
                summary: s.summary.as_deref().unwrap_or_default(),
                cards: s.cards.iter().map(card).collect(),
            })
            .collect(),
    })
}

/// The id the parser gave the H1 (its first heading).
fn h1_id<'a>(page: &'a Page, cards: &CardPage) -> &'a str {
    page.headings()
        .iter()
        .find(|h| h.level == 1 && h.text == cards.title)
        .map_or("", |h| h.id)
}

/// A Learn type name as readers see it: `how-to-guide` → "How-to guide", `whats-new` →
/// "What's new", any other `a-b` → "A b".
fn type_label(kind: &str) -> String {
    let kind = kind.trim();
    match kind {
        "how-to-guide" => return "How-to guide".to_string(),
        "whats-new" => return "What's new".to_string(),
        _ => {}
    }
    let words = kind.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::type_label;

    #[test]
    fn type_labels_read_as_words() {
        assert_eq!(type_label("how-to-guide"), "How-to guide");
        assert_eq!(type_label("get-started"), "Get started");
        assert_eq!(type_label("overview"), "Overview");
        assert_eq!(type_label(""), "");
    }
}
