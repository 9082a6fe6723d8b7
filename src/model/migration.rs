//! The migration model: URL-mapping sets, API changes and FAQ pages found in the site.
//!
//! Data only. The `migration` stage fills it from the parsed pages and the YAML data
//! files; `export`, `render` and `cmd::resolve` read it.

use serde::Serialize;
use std::collections::BTreeMap;

/// Everything the migration stage found, in document order (pages by path, then position).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Migration {
    /// URL-mapping sets, ordered by id.
    pub sets: Vec<MappingSet>,
    /// Rows of API-change tables, each table once even when it is included in several pages.
    pub api_changes: Vec<ApiChange>,
    /// FAQ pages with their questions.
    pub faq: Vec<FaqPage>,
    /// Pages moved by redirection files, by the content path of the moved file (the same
    /// moves are the `redirects` set in `sets`); links to them resolve through the redirect.
    #[serde(skip)]
    pub moves: BTreeMap<String, PageMove>,
}

impl Migration {
    /// The move of the page a link names: the path itself, `path.md`, or the folder's
    /// `index.md` (links name pages the way [`crate::model::Site::lookup`] finds them).
    pub fn moved(&self, path: &str) -> Option<&PageMove> {
        if self.moves.is_empty() {
            return None;
        }
        move_keys(path)
            .iter()
            .find_map(|p| self.moves.get(p.as_str()))
    }
}

/// The content paths a link path can name a moved page by, in order: the path itself,
/// `path.md`, the folder's `index.md`.
pub fn move_keys(path: &str) -> [String; 3] {
    let bare = path.trim_matches('/');
    let folder = if bare.is_empty() {
        String::new()
    } else {
        format!("{bare}/")
    };
    [
        bare.to_string(),
        format!("{bare}.md"),
        format!("{folder}index.md"),
    ]
}

/// A page that a redirection file moves elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMove {
    /// The redirect URL as written.
    pub redirect_url: String,
    /// Where the redirects lead in the end (a site URL for pages of the site, else the URL
    /// as written); `None` when they end in a cycle.
    pub final_url: Option<String>,
    /// Where the entry's `redirect_url` is written.
    pub origin: Origin,
}

/// Where a row or entry is written: a content-relative file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    /// File relative to the content folder (the included file for included tables).
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// A system (portal) on one side of a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct System {
    /// Display name (`Cloud Partner Portal`).
    pub name: String,
}

/// Whether an old URL has a new home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MappingStatus {
    /// The entry has a target URL.
    Mapped,
    /// The target system has no equivalent; the note says why.
    Unsupported,
}

impl MappingStatus {
    /// `mapped` or `unsupported`.
    pub fn as_str(self) -> &'static str {
        match self {
            MappingStatus::Mapped => "mapped",
            MappingStatus::Unsupported => "unsupported",
        }
    }
}

/// One old URL → new URL row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappingEntry {
    /// Label of the row (the label column, or the source URL when the table has none).
    pub label: String,
    /// The old URL, exactly as written.
    pub source_url: String,
    /// The new URL (`None` when unsupported). Targets inside the site are site URLs.
    pub target_url: Option<String>,
    /// `mapped` or `unsupported`.
    pub status: MappingStatus,
    /// Text of a target cell that holds no URL, text written next to the URL in a URL cell
    /// (source cell first, `; `-separated), or a YAML `note`.
    pub note: Option<String>,
    /// Where the row is written.
    pub origin: Origin,
    /// The page that shows the row (the first one, for included tables and YAML sets).
    pub page: Option<String>,
    /// For targets inside the site that are not a page's link (YAML entries, absolute URLs
    /// of the site itself): the link the check stage validates down to the anchor. A
    /// target cell that links to a page is one of that page's links and is checked with
    /// them. Boxed, as most entries have none and a link is 120 bytes.
    #[serde(skip)]
    pub target_link: Option<Box<super::Link>>,
    /// Id of the heading above the table on `page`, for links to the table.
    #[serde(skip)]
    pub section: Option<String>,
}

/// A named set of mappings from one system to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappingSet {
    /// Stable id (`cpp-to-partner-center`), used in file names and URLs.
    pub id: String,
    /// The old system.
    pub source: System,
    /// The new system.
    pub target: System,
    /// Entries in document order, duplicates and conflicting repeats removed.
    pub entries: Vec<MappingEntry>,
    /// Every table or YAML file the set was read from.
    pub origins: Vec<Origin>,
    /// Content path of the first page that shows the set (for "see the table" links).
    pub page: Option<String>,
    /// URL of that page (with the base path) and the heading above the table, when there is one.
    pub page_url: Option<String>,
    /// True for the page moves of redirection files: each entry's label is the moved
    /// file's content path.
    #[serde(skip)]
    pub moves: bool,
}

/// One row of an API-change table (`API | Change description | Impact`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiChange {
    /// The API cell as plain text (`POST Publish, GoLive, Cancel`).
    pub api: String,
    /// One entry per operation, the HTTP verb distributed (`POST Publish`, `POST GoLive`).
    pub operations: Vec<String>,
    /// The change description as plain text.
    pub change: String,
    /// The impact as plain text (`<br>` and list items become line breaks).
    pub impact_text: String,
    /// The impact cell (exports show it as HTML, links as written).
    #[serde(skip)]
    pub impact: Option<Fragment>,
    /// Inline code spans of the row's change and impact cells, in order, without repeats.
    pub code: Vec<String>,
    /// Where the row is written.
    pub origin: Origin,
}

/// A page of questions and answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaqPage {
    /// Content path of the page.
    pub page: String,
    /// URL of the page (absolute when the site has a `url`).
    pub url: String,
    /// Page title.
    pub title: String,
    /// Questions in document order.
    pub questions: Vec<FaqQuestion>,
}

/// One question of an FAQ page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaqQuestion {
    /// The question (heading text).
    pub question: String,
    /// Heading id.
    pub anchor: String,
    /// URL of the question (page URL + `#anchor`).
    pub url: String,
    /// The answer as plain text.
    pub answer_text: String,
    /// The answer (exports show it as HTML, links rewritten to site URLs).
    #[serde(skip)]
    pub answer: Fragment,
}

/// A piece of a page's document that exports show as HTML (an FAQ answer, a table cell).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fragment {
    /// Content path of the page.
    pub page: String,
    /// A range of the page's `doc.nodes`.
    pub nodes: std::ops::Range<usize>,
}
