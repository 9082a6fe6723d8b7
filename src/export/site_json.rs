//! `site.json`: the whole model (configuration, pages with their headings, anchors, links
//! and how each resolves, tables, assets, and the migration model) for tools that want
//! everything. The Markdown bodies are left out: they are the sources.

use super::{to_compact_json, GENERATOR, SCHEMA_VERSION};
use crate::model::{Anchor, Asset, Heading, Link, Migration, Resolution, Site, Table};
use serde::Serialize;

#[derive(Serialize)]
struct ConfigView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_path: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct LinkView<'a> {
    #[serde(flatten)]
    link: &'a Link,
    resolution: Resolution,
    href: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    path: &'a str,
    url: &'a str,
    output: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    date: Option<&'a str>,
    weight: Option<i64>,
    front_matter: &'a serde_json::Map<String, serde_json::Value>,
    headings: &'a [Heading],
    anchors: &'a [Anchor],
    links: Vec<LinkView<'a>>,
    tables: &'a [Table],
    includes: &'a [String],
}

#[derive(Serialize)]
struct SiteView<'a> {
    schema_version: u32,
    generator: &'a str,
    config: ConfigView<'a>,
    pages: Vec<PageView<'a>>,
    assets: &'a [Asset],
    fragments: &'a [String],
    migration: &'a Migration,
}

/// `site.json`.
pub(super) fn site_json(site: &Site) -> String {
    let c = &site.config;
    let pages = site
        .pages
        .iter()
        .map(|p| PageView {
            path: &p.path,
            url: &p.url,
            output: &p.output,
            title: &p.title,
            description: p.description.as_deref(),
            date: p.date.as_deref(),
            weight: p.weight,
            front_matter: &p.front_matter,
            headings: &p.headings,
            anchors: &p.anchors,
            links: p
                .links
                .iter()
                .map(|l| LinkView {
                    link: l,
                    resolution: site.resolve(l),
                    href: site.href(l),
                })
                .collect(),
            tables: &p.tables,
            includes: &p.includes,
        })
        .collect();
    // Compact: this export holds every link and table of the site (hundreds of MB pretty-
    // printed on a 10,000-page site) and is read by tools, not people.
    to_compact_json(&SiteView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        config: ConfigView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_path: &c.base_path,
            url: &c.url,
        },
        pages,
        assets: &site.assets,
        fragments: &site.fragments,
        migration: &site.migration,
    })
}
