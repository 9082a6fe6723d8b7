//! `site.json`, in the shape `site_json` in `site.yaml` asks for. `summary` (the default):
//! what integrators need per page (URL, title, headings, the other anchors'
//! ids, which pages and assets its links reach), without positions, link events or table
//! cells, and without the migration model, which has export files of its own. `full`: the
//! whole model (configuration, pages with their headings, anchors, links and how each
//! resolves, tables, assets, and the migration model) for tools that want everything. The
//! Markdown bodies are left out either way: they are the sources.
//!
//! The full file is written compact and without repetition, because it grows with every link
//! and table cell of the site (153 MB for the 10,000-page benchmark corpus before this
//! layout, 2.4 times its Markdown): a position's `file` is left out when it is the page's
//! own source, a link carries what it resolved to but not its syntactic classification
//! (which follows from `dest`), absent optional values are left out rather than written
//! as `null`, and a table cell's `text` and `html` are left out when they equal its
//! `markdown` (plain cells, the common case). The schema (`site.schema.json`) spells out
//! these defaults.

use super::documents::{
    api_change_views, faq_page_views, fragment_html, ApiChangeView, FaqPageView,
};
use super::{to_compact_json, GENERATOR};
use crate::model::doc::FragmentHtml;
use crate::model::migration::{Fragment, MappingSet};
use crate::model::{
    AnchorKind, AnchorRef, Asset, Cell, HeadingRef, Link, LinkKind, Page, Resolution, Site, Table,
};
use crate::output::{Contents, OutputFile};
use crate::settings::SiteJsonDetail;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Serialize)]
struct ConfigView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_path: &'a str,
    url: &'a str,
    /// Omitted when unset, so a site without it keeps the same site.json.
    #[serde(skip_serializing_if = "str::is_empty")]
    edit_url: &'a str,
}

/// Version of `site.json`'s own layout. 2: the compact layout described in the module
/// documentation (version 1 repeated every position's file and wrote every cell three times).
/// 3: `detail` names the shape, `summary` (the default) or `full` (version 2's content).
const SITE_SCHEMA_VERSION: u32 = 3;

/// `file` of a position, left out when it is the page's own source.
fn other_file<'a>(file: &'a str, page: &str) -> Option<&'a str> {
    (file != page).then_some(file)
}

#[derive(Serialize)]
struct HeadingView<'a> {
    level: u8,
    text: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    line: u32,
}

#[derive(Serialize)]
struct AnchorView<'a> {
    id: &'a str,
    kind: AnchorKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct LinkView {
    kind: LinkKind,
    dest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<Arc<str>>,
    line: u32,
    column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition_line: Option<u32>,
    resolution: Resolution,
    href: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    path: &'a str,
    url: &'a str,
    output: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    front_matter: &'a crate::model::FrontMatter,
    headings: Vec<HeadingView<'a>>,
    anchors: Vec<AnchorView<'a>>,
    links: Vec<LinkView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tables: Vec<TableView>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    includes: &'a [String],
}

/// A [`Table`] as `site.json` shows it: each cell with its HTML, links as written. It owns
/// what it shows, as a page's tables are made back from bytes for it.
#[derive(Serialize)]
struct TableView {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<Arc<str>>,
    line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    header: Vec<CellView>,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct RowView {
    line: u32,
    cells: Vec<CellView>,
}

/// A cell; `text` and `html` are left out when equal to `markdown`.
#[derive(Serialize)]
struct CellView {
    markdown: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    code: Vec<String>,
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    links: Vec<usize>,
}

#[derive(Serialize)]
struct MigrationView<'a> {
    sets: &'a [MappingSet],
    api_changes: Vec<ApiChangeView<'a>>,
    faq: Vec<FaqPageView<'a>>,
}

#[derive(Serialize)]
struct Head<'a> {
    schema_version: u32,
    generator: &'a str,
    detail: SiteJsonDetail,
    config: ConfigView<'a>,
}

#[derive(Serialize)]
struct Tail<'a> {
    assets: &'a [Asset],
    fragments: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    migration: Option<MigrationView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exports: Option<ExportsView>,
}

/// Where a summary points for what it leaves out: the migration model is exported in
/// files of its own, and the manifest lists every page's anchors.
#[derive(Serialize)]
struct ExportsView {
    manifest: &'static str,
    mappings: &'static str,
    api_changes: &'static str,
    faq: &'static str,
}

/// A page in the `summary` shape: what integrators need to find and link to it.
#[derive(Serialize)]
struct SummaryPageView<'a> {
    path: &'a str,
    url: &'a str,
    output: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    /// `[level, text, id]` per heading: a tuple rather than an object, since the keys
    /// would be a third of the bytes of a site's headings.
    headings: Vec<(u8, &'a str, &'a str)>,
    /// Ids of the anchors that are not headings (those are in `headings`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    anchors: Vec<&'a str>,
    links: LinkSummary,
    #[serde(skip_serializing_if = "is_zero")]
    tables: usize,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    includes: &'a [String],
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A page's links in the `summary` shape: how many resolved which way, and which pages and
/// assets they reach.
#[derive(Serialize)]
struct LinkSummary {
    /// Links by resolution status (`page`, `external`, `missing` …), statuses in order.
    count: std::collections::BTreeMap<&'static str, usize>,
    /// Indices of the pages linked to, ascending, each once.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pages: BTreeSet<usize>,
    /// Indices of the assets linked to, ascending, each once.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    assets: BTreeSet<usize>,
}

/// `site.json` kept in parts — the head, one part per page, the tail — so that a rebuild
/// re-encodes only the pages whose view may have changed. Compact: this export holds every
/// link and table of the site (hundreds of MB pretty-printed on a 10,000-page site) and is
/// read by tools, not people.
#[derive(Debug, Clone)]
pub struct SiteJson {
    head: Arc<[u8]>,
    /// Page `i`'s view, preceded by a comma for every page but the first.
    pages: Vec<Arc<[u8]>>,
    tail: Arc<[u8]>,
}

impl SiteJson {
    /// Encodes the whole file; `html` gives the HTML of table cells, API-change impacts
    /// and FAQ answers.
    pub fn build(site: &Site, html: &dyn FragmentHtml) -> Self {
        let pages = (0..site.pages.len())
            .into_par_iter()
            .map(|i| kept_page_part(site, html, i))
            .collect();
        SiteJson {
            head: head(site),
            pages,
            tail: tail(site, html),
        }
    }

    /// Encodes again the views of pages `pages` (indices into `site.pages`) and, when
    /// `migration_changed`, the tail. Only for a site with the same pages, assets and
    /// configuration as the one last encoded: a link's resolution and `href` depend on that
    /// set of files and on the linking page alone, so every other page's view is unchanged.
    pub fn update(
        &mut self,
        site: &Site,
        html: &dyn FragmentHtml,
        pages: &BTreeSet<usize>,
        migration_changed: bool,
    ) {
        if self.pages.len() != site.pages.len() {
            *self = Self::build(site, html);
            return;
        }
        let fresh: Vec<(usize, Arc<[u8]>)> = pages
            .par_iter()
            .filter(|&&i| i < site.pages.len())
            .map(|&i| (i, kept_page_part(site, html, i)))
            .collect();
        for (i, part) in fresh {
            self.pages[i] = part;
        }
        if migration_changed {
            self.tail = tail(site, html);
        }
    }

    /// Writes the whole file to `out` (the same bytes as [`SiteJson::file`]) without
    /// keeping it: pages are encoded in parallel a batch at a time and written in order, so
    /// memory holds one batch, not the whole file. For a one-shot build.
    pub fn write(
        site: &Site,
        html: &dyn FragmentHtml,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        /// Pages encoded per batch: enough to keep every core busy, small next to the site.
        const BATCH: usize = 256;
        out.write_all(&head(site))?;
        for start in (0..site.pages.len()).step_by(BATCH) {
            let end = (start + BATCH).min(site.pages.len());
            let parts: Vec<Arc<[u8]>> = (start..end)
                .into_par_iter()
                .map(|i| page_part(site, html, i))
                .collect::<std::io::Result<_>>()?;
            for part in parts {
                out.write_all(&part)?;
            }
        }
        out.write_all(&tail(site, html))
    }

    /// The file, sharing the parts.
    pub fn file(&self) -> OutputFile {
        let mut parts = Vec::with_capacity(self.pages.len() + 2);
        parts.push(self.head.clone());
        parts.extend(self.pages.iter().cloned());
        parts.push(self.tail.clone());
        OutputFile {
            path: "site.json".to_string(),
            contents: Contents::Parts(parts),
        }
    }
}

/// `{"schema_version":…,"generator":…,"config":{…},"pages":[`
fn head(site: &Site) -> Arc<[u8]> {
    let c = &site.config;
    let mut text = to_compact_json(&Head {
        schema_version: SITE_SCHEMA_VERSION,
        generator: GENERATOR,
        detail: c.site_json,
        config: ConfigView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_path: &c.base_path,
            url: &c.url,
            edit_url: &c.edit_url,
        },
    });
    text.truncate(text.trim_end().len() - 1);
    text.push_str(",\"pages\":[");
    text.into_bytes().into()
}

/// `],"assets":[…],"fragments":[…],"migration":{…}}` and a line break.
fn tail(site: &Site, html: &dyn FragmentHtml) -> Arc<[u8]> {
    let full = site.config.site_json == SiteJsonDetail::Full;
    let text = to_compact_json(&Tail {
        assets: &site.assets,
        fragments: &site.fragments,
        migration: full.then(|| MigrationView {
            sets: &site.migration.sets,
            api_changes: api_change_views(site, html),
            faq: faq_page_views(site, html),
        }),
        exports: (!full).then_some(ExportsView {
            manifest: "manifest.json",
            mappings: "mappings/index.json",
            api_changes: "api-changes.json",
            faq: "faq.json",
        }),
    });
    format!("],{}", &text[1..]).into_bytes().into()
}

/// Page `i`'s view in the configured shape, with a leading comma unless it is the first
/// page; the error is that of reading the page's links back from a one-shot build's
/// scratch file.
fn page_part(site: &Site, html: &dyn FragmentHtml, i: usize) -> std::io::Result<Arc<[u8]>> {
    let mut out = Vec::with_capacity(1024);
    if i > 0 {
        out.push(b',');
    }
    let written = if site.config.site_json == SiteJsonDetail::Full {
        serde_json::to_writer(&mut out, &full_page_view(site, html, i)?)
    } else {
        serde_json::to_writer(&mut out, &summary_page_view(site, i)?)
    };
    if let Err(e) = written {
        unreachable!("export types always serialise: {e}");
    }
    Ok(out.into())
}

/// [`page_part`] for a `site.json` kept in parts (`serve`): its pages hold their links in
/// memory, so reading them cannot fail.
fn kept_page_part(site: &Site, html: &dyn FragmentHtml, i: usize) -> Arc<[u8]> {
    page_part(site, html, i)
        .unwrap_or_else(|e| unreachable!("a kept site's pages hold their links: {e}"))
}

/// Page `i` in the `summary` shape.
fn summary_page_view(site: &Site, i: usize) -> std::io::Result<SummaryPageView<'_>> {
    let p = &site.pages[i];
    let mut links = LinkSummary {
        count: Default::default(),
        pages: BTreeSet::new(),
        assets: BTreeSet::new(),
    };
    for l in p.links.read()?.iter() {
        let resolution = site.resolve(&l);
        match &resolution {
            Resolution::Page { page, .. } => {
                links.pages.insert(*page);
            }
            Resolution::Asset { asset } => {
                links.assets.insert(*asset);
            }
            _ => {}
        }
        *links.count.entry(resolution.status()).or_default() += 1;
    }
    Ok(SummaryPageView {
        path: &p.path,
        url: &p.url,
        output: &p.output,
        title: &p.title,
        description: p.description.as_deref(),
        date: p.date.as_deref(),
        weight: p.weight,
        headings: (p.headings().iter())
            .map(|h| (h.level, h.text, h.id))
            .collect(),
        anchors: (p.anchors().iter())
            .filter(|a| a.kind != AnchorKind::Heading)
            .map(|a| a.id)
            .collect(),
        links,
        tables: p.tables.len(),
        includes: &p.includes,
    })
}

/// Page `i` in the `full` shape.
fn full_page_view<'a>(
    site: &'a Site,
    html: &dyn FragmentHtml,
    i: usize,
) -> std::io::Result<PageView<'a>> {
    let p = &site.pages[i];
    let path = p.path.as_str();
    Ok(PageView {
        path,
        url: &p.url,
        output: &p.output,
        title: &p.title,
        description: p.description.as_deref(),
        date: p.date.as_deref(),
        weight: p.weight,
        front_matter: &p.front_matter,
        headings: (p.headings().iter())
            .map(|h: HeadingRef<'a>| HeadingView {
                level: h.level,
                text: h.text,
                id: h.id,
                file: other_file(h.file, path),
                line: h.line,
            })
            .collect(),
        anchors: (p.anchors().iter())
            .map(|a: AnchorRef<'a>| AnchorView {
                id: a.id,
                kind: a.kind,
                file: other_file(a.file, path),
                line: a.line,
                column: a.column,
            })
            .collect(),
        links: (p.links.read()?.iter())
            .map(|l: Link| LinkView {
                resolution: site.resolve(&l),
                href: site.href(&l),
                kind: l.kind,
                file: (*l.file != *path).then_some(l.file),
                line: l.line,
                column: l.column,
                definition_line: l.definition_line,
                dest: l.dest,
            })
            .collect(),
        tables: p
            .tables
            .read()?
            .iter()
            .map(|t| table_view(site, html, p, t))
            .collect(),
        includes: &p.includes,
    })
}

/// Table `table` of `page` as `site.json` shows it.
fn table_view(site: &Site, html: &dyn FragmentHtml, page: &Page, table: Table) -> TableView {
    let cell = |c: Cell| {
        let html = fragment_html(
            site,
            html,
            &Fragment {
                page: page.path.clone(),
                nodes: c.nodes.clone(),
            },
            false,
        );
        CellView {
            text: (c.text != c.markdown).then_some(c.text),
            html: (html != c.markdown).then_some(html),
            markdown: c.markdown,
            code: c.code,
            links: c.links,
        }
    };
    TableView {
        file: (*table.file != *page.path).then_some(table.file),
        line: table.line,
        section: table.section,
        header: table.header.into_iter().map(cell).collect(),
        rows: (table.rows.into_iter())
            .map(|r| RowView {
                line: r.line,
                cells: r.cells.into_iter().map(cell).collect(),
            })
            .collect(),
    }
}
