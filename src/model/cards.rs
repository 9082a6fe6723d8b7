//! The content of a Microsoft Learn `YamlMime:Hub` or `YamlMime:Landing` page: sections of
//! cards holding links. Facts only: which HTML shows them is the render stage's choice, and
//! every URL is an index into the page's links, which the check and the renderer resolve like
//! any Markdown link.

use serde::Serialize;

/// Which Learn YAML schema a card page follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CardPageKind {
    /// `### YamlMime:Hub`: a docset's home page.
    Hub,
    /// `### YamlMime:Landing`: the entry page of an area.
    Landing,
}

impl CardPageKind {
    /// The kind of card page a `YamlMime` names (`Hub`, `Landing`); `None` for any other
    /// schema.
    pub fn from_mime(mime: &str) -> Option<CardPageKind> {
        match mime {
            "Hub" => Some(CardPageKind::Hub),
            "Landing" => Some(CardPageKind::Landing),
            _ => None,
        }
    }
}

/// A Hub or Landing page: an introduction, then sections of cards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardPage {
    /// The schema.
    pub kind: CardPageKind,
    /// The page's H1 (`title`).
    pub title: String,
    /// `summary`, plain text.
    pub summary: Option<String>,
    /// The sections in the order a reader sees them.
    pub sections: Vec<CardSection>,
}

/// The part of a Hub or Landing page a section comes from; it decides how its cards look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Hub `highlightedContent`: a row of single links.
    Highlighted,
    /// Hub `conceptualContent`: cards with a summary and links.
    Conceptual,
    /// Hub `tools`: small cards that are each one link.
    Tools,
    /// Hub `additionalContent` section: cards with a summary and links.
    Additional,
    /// Landing `landingContent`: cards of link lists.
    Landing,
}

/// A titled group of cards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardSection {
    /// Where the section comes from.
    pub kind: SectionKind,
    /// Its heading, if it has one (an H2 of the page).
    pub title: Option<String>,
    /// The heading's id (`None` exactly when `title` is `None`).
    pub id: Option<String>,
    /// Plain-text introduction.
    pub summary: Option<String>,
    /// The cards in order.
    pub cards: Vec<Card>,
}

/// One card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// Title (an H3 of the page when the card has links under it; for a card that is one
    /// link, the link's text).
    pub title: Option<String>,
    /// The heading's id, for cards whose title is a heading.
    pub id: Option<String>,
    /// Learn's `itemType` (`overview`, `how-to-guide`, ...), shown as a label.
    pub item_type: Option<String>,
    /// Plain-text summary.
    pub summary: Option<String>,
    /// The whole card is this link (highlighted items, tools).
    pub link: Option<usize>,
    /// Lists of links (`links`, or Landing `linkLists`).
    pub lists: Vec<LinkList>,
    /// A link at the foot of the card (`footerLink`).
    pub footer: Option<CardLink>,
}

/// A list of links in a card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkList {
    /// Learn's `linkListType` (`overview`, `how-to-guide`, `reference`, ...).
    pub kind: Option<String>,
    /// The links in order.
    pub links: Vec<CardLink>,
}

/// A link of a card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardLink {
    /// The link text.
    pub text: String,
    /// Index into `Page::links`.
    pub link: usize,
}
