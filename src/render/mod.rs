//! Render stage: pages → HTML through the event adapters and tera templates. Reads the
//! model only; never parses Markdown again and never checks links.

mod cards;
mod explorer;
pub mod highlight;
pub mod lower;
mod markdown;
pub mod nav;
mod site_files;

use crate::error::{Error, Result};
use crate::model::Site;
use highlight::Highlighter;
use nav::Nav;
use serde::Serialize;
use std::path::Path;
use tera::{Context, Tera};

pub use cards::{CardView, CardsView, LinkView, ListView, SectionView};
pub use markdown::render_body;
pub use site_files::site_files;

/// Templates shipped in the binary; a site's own `templates/` overrides them by file name.
pub const DEFAULT_TEMPLATES: [(&str, &str); 5] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("cards.html", include_str!("../../templates/cards.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "breadcrumbs.html",
        include_str!("../../templates/breadcrumbs.html"),
    ),
];

/// Static files shipped in the binary (written under `static/`); a site's own `static/`
/// overrides them by file name and adds to them.
pub const DEFAULT_STATIC: [(&str, &str); 5] = [
    ("docshift.css", include_str!("../../static/docshift.css")),
    ("docshift.js", include_str!("../../static/docshift.js")),
    ("search.js", include_str!("../../static/search.js")),
    (
        "docshift-redirect.js",
        include_str!("../../static/docshift-redirect.js"),
    ),
    // Linked from every page so browsers do not ask for a missing /favicon.ico.
    ("favicon.svg", include_str!("../../static/favicon.svg")),
];

/// Site-wide values for the templates.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// Page language.
    pub lang: &'a str,
    /// Base path (ends with `/`).
    pub base_path: &'a str,
    /// True when the search index is built (the header shows the search box).
    pub search: bool,
    /// URL of the shared navigation script.
    pub nav_script: &'a str,
}

/// One "On this page" entry.
#[derive(Debug, Serialize)]
pub struct TocEntry<'a> {
    /// 2 or 3.
    pub level: u8,
    /// Heading text.
    pub text: &'a str,
    /// Heading id.
    pub id: &'a str,
}

/// A breadcrumb.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    /// Label.
    pub title: String,
    /// URL.
    pub url: String,
}

/// Page values for the templates.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description or "".
    pub description: &'a str,
    /// URL.
    pub url: &'a str,
    /// `YYYY-MM-DD` or "".
    pub updated: &'a str,
    /// Body HTML.
    pub content: String,
    /// H2/H3 entries.
    pub toc: Vec<TocEntry<'a>>,
    /// Ancestors, home first.
    pub breadcrumbs: Vec<Crumb>,
    /// The nearest ancestor (the last breadcrumb): the sidebar links to it without
    /// JavaScript.
    pub parent: Option<Crumb>,
    /// Extra HTML for `<head>` (structured data).
    pub head_extra: String,
    /// Source path.
    pub source_path: &'a str,
    /// What follows the title in `<title>` instead of the site title (DocFX's
    /// `titleSuffix`); "" for the site title.
    pub title_suffix: &'a str,
    /// The sections and cards of a Hub or Landing page (rendered by `cards.html`).
    pub cards: Option<CardsView<'a>>,
    /// The page before this one in reading order (the navigation tree).
    pub prev: Option<Crumb>,
    /// The page after this one in reading order.
    pub next: Option<Crumb>,
    /// "Edit this page" URL, from `edit_url` in `site.yaml`.
    pub edit_url: Option<String>,
}

/// Renders pages; built once per build and shared by every thread.
pub struct Renderer {
    tera: Tera,
    highlighter: Highlighter,
}

impl Renderer {
    /// Loads the built-in templates, then the `.html` files of `templates_dir` (if it exists)
    /// over them.
    pub fn new(templates_dir: Option<&Path>) -> Result<Renderer> {
        let mut templates: Vec<(String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        if let Some(dir) = templates_dir.filter(|d| d.is_dir()) {
            let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
                path: dir.to_path_buf(),
                source,
            })?;
            let mut own: Vec<_> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "html"))
                .collect();
            own.sort();
            for path in own {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                templates.retain(|(n, _)| *n != name);
                templates.push((name, text));
            }
        }
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_for_tera);
        tera.add_raw_templates(templates)
            .map_err(|e| Error::Template(tera_message(&e)))?;
        Ok(Renderer {
            tera,
            highlighter: Highlighter::new(),
        })
    }

    /// Renders page `index` to a full HTML document.
    pub fn render_page(
        &self,
        site: &Site,
        nav: &Nav,
        index: usize,
        head_extra: String,
    ) -> Result<String> {
        let nodes = &site.pages[index].doc.nodes;
        self.render_page_from(site, nav, index, nodes, head_extra)
    }

    /// [`Renderer::render_page`] with the page's document nodes given apart from the site:
    /// a one-shot build takes them out of the site so that each page's can be dropped once
    /// the page is rendered and indexed.
    pub fn render_page_from(
        &self,
        site: &Site,
        nav: &Nav,
        index: usize,
        nodes: &[crate::model::doc::Node],
        head_extra: String,
    ) -> Result<String> {
        let page = &site.pages[index];
        let links = page.links.read().map_err(|source| Error::Read {
            path: format!("{} (its links, kept in a temporary file)", page.path).into(),
            source,
        })?;
        let breadcrumbs: Vec<Crumb> = (nav.breadcrumbs(site, index).into_iter())
            .map(|(title, url)| Crumb { title, url })
            .collect();
        let parent = breadcrumbs.last().cloned();
        let crumb = |(title, url)| Crumb { title, url };
        let (prev, next) = nav.neighbours(index);
        let view = PageView {
            title: &page.title,
            description: page.description.as_deref().unwrap_or_default(),
            url: &page.url,
            updated: page.date.as_deref().unwrap_or_default(),
            content: render_body(site, page, &links, nodes, &self.highlighter),
            toc: (page.headings().iter())
                .filter(|h| (2..=3).contains(&h.level))
                .map(|h| TocEntry {
                    level: h.level,
                    text: h.text,
                    id: h.id,
                })
                .collect(),
            breadcrumbs,
            parent,
            head_extra,
            source_path: &page.path,
            title_suffix: title_suffix(site, page),
            cards: cards::cards_view(site, page, &links),
            prev: prev.map(crumb),
            next: next.map(crumb),
            edit_url: site.config.edit_link(&page.path),
        };
        let template = if view.cards.is_some() {
            "cards.html"
        } else {
            "page.html"
        };
        self.render(template, site, &view, nav)
    }

    /// Renders the home page of a site that has none (no index page at the top of the
    /// content folder): the site's title and description and the first two levels of its
    /// navigation, so the site's address is not a 404.
    pub fn render_generated_home(&self, site: &Site, nav: &Nav) -> Result<String> {
        let view = PageView {
            title: &site.config.title,
            description: &site.config.description,
            url: &site.config.base_path,
            updated: "",
            content: nav::home_listing(site, nav),
            toc: Vec::new(),
            breadcrumbs: Vec::new(),
            parent: None,
            head_extra: String::new(),
            source_path: "",
            title_suffix: "",
            cards: None,
            prev: None,
            next: None,
            edit_url: None,
        };
        self.render("page.html", site, &view, nav)
    }

    /// Renders the 404 page.
    pub fn render_not_found(&self, site: &Site, nav: &Nav) -> Result<String> {
        let view = PageView {
            title: "Page not found",
            description: "",
            url: &site.config.base_path,
            updated: "",
            content: String::new(),
            toc: Vec::new(),
            breadcrumbs: Vec::new(),
            parent: None,
            head_extra: String::new(),
            source_path: "",
            title_suffix: "",
            cards: None,
            prev: None,
            next: None,
            edit_url: None,
        };
        self.render("404.html", site, &view, nav)
    }

    fn render(
        &self,
        template: &str,
        site: &Site,
        page: &PageView<'_>,
        nav: &Nav,
    ) -> Result<String> {
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &SiteView {
                title: &site.config.title,
                description: &site.config.description,
                lang: &site.config.language,
                base_path: &site.config.base_path,
                search: site.config.search,
                nav_script: nav.script_url(),
            },
        );
        ctx.insert("page", page);
        self.tera.render(template, &ctx).map_err(|e| {
            Error::Template(format!(
                "{template} for {}: {}",
                if page.source_path.is_empty() {
                    "404"
                } else {
                    page.source_path
                },
                tera_message(&e)
            ))
        })
    }
}

/// The `titleSuffix` of a page: its own front matter's, else the docset's `docfx.json`
/// (`fileMetadata`, then `globalMetadata`); "" when none says one.
fn title_suffix<'a>(site: &'a Site, page: &'a crate::model::Page) -> &'a str {
    let own = page
        .front_matter
        .get("titleSuffix")
        .and_then(serde_json::Value::as_str);
    own.or_else(|| (site.config.docfx.as_ref())?.title_suffix(&page.path))
        .map(str::trim)
        .unwrap_or_default()
}

/// Tera's default escaper also escapes `/`, which makes every URL unreadable; escape
/// exactly what HTML needs.
fn escape_for_tera(s: &str) -> String {
    crate::urls::escape_html(s)
}

fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
