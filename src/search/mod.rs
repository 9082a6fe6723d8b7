//! Search stage: the model → a sharded, static search index under `search/`, read by the
//! default theme's `static/search.js`. Reads the model only (the stored event stream of each
//! page, its headings and tables); never parses Markdown again and never looks at HTML.
//!
//! One search document per page section (H1, H2, H3: every hit deep-links to its heading
//! anchor) plus one per migration result ([`SearchExtra`]: mapping rows and API-change
//! rows). Ranking is BM25F with precomputed impacts ([`index`]); the file layout is in
//! [`files`]; tokenisation rules are in [`tokenize`].

pub mod extra;
pub mod extract;
pub mod files;
pub mod index;
pub mod tokenize;

pub use extra::{extras_from_migration, ExtraKind, SearchExtra};

use crate::model::Site;
use index::{DocInput, Field};

/// Knobs of the index layout. The defaults meet the budgets recorded in the README.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Most postings kept per term (the highest-impact ones).
    pub max_postings: usize,
    /// Target size of one term shard, in bytes.
    pub shard_bytes: usize,
    /// Documents per metadata chunk.
    pub docs_per_chunk: usize,
    /// Longest excerpt source stored per document, in characters.
    pub excerpt_chars: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            max_postings: 1000,
            shard_bytes: 12 * 1024,
            docs_per_chunk: 32,
            excerpt_chars: 200,
        }
    }
}

/// One file of the index, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// `/`-separated path (`search/manifest.json`).
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// What the results list shows for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// Index into `Site::pages`.
    pub page: usize,
    /// `None` for page sections.
    pub kind: Option<ExtraKind>,
    /// Section heading or migration label ("" for a page's first section).
    pub heading: String,
    /// Percent-encoded heading id ("" links to the page itself).
    pub anchor: String,
    /// Start of the section text, for the excerpt.
    pub text: String,
    /// Old URL of a mapping.
    pub source: String,
    /// New URL (or replacement text) of a mapping; the browser links to it only when it
    /// is an http(s) or root-relative URL.
    pub target: String,
}

/// Builds the search index files for the site: every page section plus `extras`.
pub fn build_index(site: &Site, extras: &[SearchExtra], options: &SearchOptions) -> Vec<IndexFile> {
    let mut by_page: Vec<Vec<&SearchExtra>> = vec![Vec::new(); site.pages.len()];
    for e in extras.iter().filter(|e| e.page < site.pages.len()) {
        by_page[e.page].push(e);
    }
    let (terms, metas) = index::build_terms_with(site.pages.len(), options.max_postings, |i| {
        page_documents(site, i, &by_page[i], options)
    });
    let pages: Vec<files::PageRef<'_>> = site
        .pages
        .iter()
        .map(|p| (p.title.as_str(), p.url.as_str()))
        .collect();
    files::encode(&terms, &metas, &pages, options)
}

/// The documents of one page: its sections, then the migration results it documents.
fn page_documents(
    site: &Site,
    index: usize,
    extras: &[&SearchExtra],
    options: &SearchOptions,
) -> Vec<(DocInput, DocMeta)> {
    let page = &site.pages[index];
    let mut out = Vec::new();
    for (j, s) in extract::sections(page).into_iter().enumerate() {
        let mut fields = Vec::with_capacity(5);
        let first = j == 0;
        if first {
            fields.push((Field::Title, page.title.clone()));
            if let Some(d) = &page.description {
                fields.push((Field::Lead, d.clone()));
            }
        } else {
            fields.push((Field::Context, page.title.clone()));
        }
        if !(first && s.heading == page.title) {
            fields.push((Field::Heading, s.heading.clone()));
        }
        let text = if s.body.is_empty() && first {
            page.description.clone().unwrap_or_default()
        } else {
            excerpt(&s.body, options.excerpt_chars)
        };
        let meta = DocMeta {
            page: index,
            heading: if first && s.heading == page.title {
                String::new()
            } else {
                s.heading
            },
            anchor: if s.anchor.is_empty() || first {
                String::new()
            } else {
                crate::urls::encode_fragment(&s.anchor)
            },
            text,
            ..DocMeta::default()
        };
        fields.push((Field::Body, s.body));
        fields.push((Field::Code, s.code));
        out.push((DocInput { fields, boost: 1.0 }, meta));
    }
    for e in extras {
        out.push(extra_document(page, e, options));
    }
    out
}

/// Migration results rank slightly above prose that mentions the same words: a partner who
/// types an old page's name wants the row that says where it went.
const EXTRA_BOOST: f32 = 1.3;

fn extra_document(
    page: &crate::model::Page,
    e: &SearchExtra,
    options: &SearchOptions,
) -> (DocInput, DocMeta) {
    let body = [
        e.source_url.as_str(),
        e.target_url.as_str(),
        e.body.as_str(),
    ]
    .join(" ");
    let input = DocInput {
        fields: vec![
            (Field::Heading, e.title.clone()),
            (Field::Context, page.title.clone()),
            (Field::Body, body),
        ],
        boost: EXTRA_BOOST,
    };
    let meta = DocMeta {
        page: e.page,
        kind: Some(e.kind),
        heading: e.title.clone(),
        anchor: crate::urls::encode_fragment(&e.anchor),
        text: excerpt(&e.body, options.excerpt_chars),
        source: e.source_url.clone(),
        target: e.target_url.clone(),
    };
    (input, meta)
}

/// The first `max` characters of `text`, cut at a word boundary.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let end = head.rfind(' ').filter(|&i| i > cut / 2).unwrap_or(cut);
            format!("{}…", &head[..end])
        }
    }
}

#[cfg(test)]
mod tests;
