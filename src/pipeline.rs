//! Wires the stages together: load → parse → assemble → check → render → output.
//! `build`, `check` and `serve` all go through these functions, so they cannot disagree.

use crate::check::{check_extra_links, check_site, LinkCounts};
use crate::diag::{sort_diagnostics, Diagnostic};
use crate::discover::{discover, load_all, Inventory, Loaded};
use crate::error::{Error, Result};
use crate::migration::{parse_data_file, DataFile};
use crate::model::{Asset, Doc, Page, Site};
use crate::output::{write_site, Contents, OutputFile};
use crate::parse::{parse_page, ParseContext, Unloadable};
use crate::render::{highlight, nav::Nav, Renderer, DEFAULT_STATIC};
use crate::settings::Settings;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A loaded and validated site.
#[derive(Debug)]
pub struct Checked {
    /// The model.
    pub site: Site,
    /// Every finding (load, parse and check), severity overrides applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Link counts.
    pub counts: LinkCounts,
    /// Markdown files that could not be built at all.
    pub failed_pages: usize,
}

/// Loads, parses and assembles the site; returns load and parse diagnostics too.
pub fn load_site(settings: &Settings) -> Result<(Site, Vec<Diagnostic>, usize)> {
    load(settings, Keep::Everything)
}

/// What of each parsed page the caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// The whole page, ready to render.
    Everything,
    /// What the checks read: render-only data (the event stream, the body text) is dropped
    /// as soon as the page is parsed.
    Model,
}

fn load(settings: &Settings, keep: Keep) -> Result<(Site, Vec<Diagnostic>, usize)> {
    if !settings.content.is_dir() {
        return Err(Error::MissingFolder {
            what: "content",
            path: settings.content.clone(),
        });
    }
    let config = &settings.config;
    let inventory = discover(&settings.content, config);
    let sources: HashMap<String, Loaded> = load_all(&settings.content, &inventory);
    let data = load_data(&inventory, &sources);
    let results = parse_all(&inventory, &sources, &data, &config.base_path, keep);
    let mut diagnostics = inventory.diagnostics.clone();
    for path in &inventory.fragments {
        if let Some(Err(d)) = sources.get(path) {
            diagnostics.push(d.clone());
        }
    }
    let mut pages = Vec::with_capacity(results.len());
    let mut unbuilt = Vec::new();
    // Results come in the order of `parse_all`: Markdown pages, then data files' pages.
    let paths = inventory
        .pages
        .iter()
        .chain(data.iter().filter(|d| d.page.is_some()).map(|d| &d.path));
    for (path, r) in paths.zip(results) {
        match r {
            Ok((page, diags)) => {
                pages.push(page);
                diagnostics.extend(diags);
            }
            Err(d) => {
                unbuilt.push(path.clone());
                diagnostics.push(d);
            }
        }
    }
    let failed = unbuilt.len() + data.iter().filter(|d| d.failed()).count();
    diagnostics.extend(data.iter().flat_map(|d| d.diagnostics.iter().cloned()));
    let assets = inventory
        .assets
        .iter()
        .map(|p| Asset {
            path: p.clone(),
            url: crate::urls::asset_url(p, &config.base_path),
        })
        .collect();
    let mut site = Site::new(config.clone(), pages, assets, inventory.fragments.clone());
    site.add_unbuilt(unbuilt);
    let (migration, found) = crate::migration::extract(&site, &data);
    site.migration = migration;
    diagnostics.extend(found);
    Ok((site, diagnostics, failed))
}

/// Parses every Markdown page and every data file's generated page, in parallel (Markdown
/// pages first, in inventory order). Includes are served from `sources`, or from a data
/// file's generated Markdown.
fn parse_all(
    inventory: &Inventory,
    sources: &HashMap<String, Loaded>,
    data: &[DataFile],
    base_path: &str,
    keep: Keep,
) -> Vec<Result<(Page, Vec<Diagnostic>), Diagnostic>> {
    let generated: HashMap<&str, Arc<SourceFile>> = data
        .iter()
        .filter_map(|d| {
            let src = d.include.as_ref().or(d.page.as_ref())?;
            Some((d.path.as_str(), Arc::new(src.clone())))
        })
        .collect();
    let lookup = |path: &str| match generated.get(path) {
        Some(src) => Some(Ok(Arc::clone(src))),
        None => sources
            .get(path)
            .map(|r| r.as_ref().map(Arc::clone).map_err(|_| Unloadable)),
    };
    let ctx = ParseContext {
        base_path,
        sources: &lookup,
    };
    let data_pages: Vec<Arc<SourceFile>> = data
        .iter()
        .filter_map(|d| d.page.clone().map(Arc::new))
        .collect();
    inventory
        .pages
        .par_iter()
        .map(|path| match sources.get(path) {
            Some(Ok(src)) => Ok(src.clone()),
            Some(Err(d)) => Err(d.clone()),
            None => Err(Diagnostic::new(
                crate::diag::Code::UnreadableFile,
                path,
                1,
                1,
                format!("cannot read {path}"),
            )),
        })
        .chain(data_pages.into_par_iter().map(Ok))
        .map(|src: Result<Arc<SourceFile>, Diagnostic>| {
            let src = src?;
            let (mut page, diags) = parse_page(&src, &ctx)?;
            if keep == Keep::Model {
                page.doc = Doc::default();
                page.body = String::new();
            }
            Ok((page, diags))
        })
        .collect()
}
/// Validates the YAML data files (mapping sets, FAQ files) and generates their Markdown.
fn load_data(inventory: &Inventory, sources: &HashMap<String, Loaded>) -> Vec<DataFile> {
    inventory
        .data
        .iter()
        .map(|path| match sources.get(path) {
            Some(Ok(src)) => parse_data_file(src),
            Some(Err(d)) => DataFile {
                path: path.clone(),
                diagnostics: vec![d.clone()],
                ..DataFile::default()
            },
            None => DataFile {
                path: path.clone(),
                ..DataFile::default()
            },
        })
        .collect()
}

/// Loads the site and runs every check.
pub fn check(settings: &Settings) -> Result<Checked> {
    check_with(settings, Keep::Everything)
}

/// [`check`] for callers that never render (the `check` command): the same findings, but each
/// page's render-only data (`Page::doc`, `Page::body`) is dropped right after the page is
/// parsed, which keeps memory, and so time, down on large sites.
pub fn check_only(settings: &Settings) -> Result<Checked> {
    check_with(settings, Keep::Model)
}

fn check_with(settings: &Settings, keep: Keep) -> Result<Checked> {
    let (site, mut diagnostics, failed_pages) = load(settings, keep)?;
    let (found, counts) = check_site(&site);
    diagnostics.extend(found);
    diagnostics.extend(check_extra_links(&site, &site.migration.target_links()));
    let mut diagnostics = apply_severity(&site, diagnostics);
    // A mapping target written in a table is both a page link and a mapping target.
    diagnostics.dedup();
    Ok(Checked {
        site,
        diagnostics,
        counts,
        failed_pages,
    })
}

/// Applies the configured severity overrides (dropping codes turned off) and sorts.
pub fn apply_severity(site: &Site, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.severity = site.config.severity_of(d.code)?;
            Some(d)
        })
        .collect();
    sort_diagnostics(&mut out);
    out
}

/// Options of `build`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Any finding fails the build.
    pub strict: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The checked site.
    pub checked: Checked,
    /// Files written (0 when the build failed).
    pub files_written: usize,
    /// True when the build failed (output untouched).
    pub failed: bool,
}

/// Builds the site: check, render every page in parallel, write atomically.
pub fn build(settings: &Settings, options: BuildOptions) -> Result<Built> {
    let checked = check(settings)?;
    let fails = checked.failed_pages > 0 || (options.strict && !checked.diagnostics.is_empty());
    if fails {
        return Ok(Built {
            checked,
            files_written: 0,
            failed: true,
        });
    }
    let files = render_site(settings, &checked.site)?;
    write_site(&settings.output, &files)?;
    Ok(Built {
        files_written: files.len(),
        checked,
        failed: false,
    })
}

/// Renders every output file of the site (pages, 404, sitemap, static files, assets).
pub fn render_site(settings: &Settings, site: &Site) -> Result<Vec<OutputFile>> {
    let renderer = Renderer::new(Some(&settings.root.join("templates")))?;
    let nav = Nav::new(site);
    let mut files: Vec<OutputFile> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let head_extra = crate::export::faq_json_ld(site, &site.pages[i].path);
            renderer
                .render_page(site, &nav, i, head_extra)
                .map(|html| OutputFile::text(site.pages[i].output.clone(), html))
        })
        .collect::<Result<_>>()?;
    files.push(OutputFile::text(
        "404.html",
        renderer.render_not_found(site, &nav)?,
    ));
    files.push(OutputFile::text("sitemap.xml", sitemap(site)));
    files.extend(crate::export::export_files(site));
    files.push(OutputFile::text(
        "static/syntax.css",
        highlight::stylesheet(),
    ));
    let own_static = settings.root.join("static");
    for (name, text) in DEFAULT_STATIC {
        if !own_static.join(name).is_file() {
            files.push(OutputFile::text(format!("static/{name}"), text));
        }
    }
    if own_static.is_dir() {
        for entry in walkdir::WalkDir::new(&own_static)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(&own_static) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    files.push(OutputFile {
                        path: format!("static/{rel}"),
                        contents: Contents::Copy(entry.path().to_path_buf()),
                    });
                }
            }
        }
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.path.clone(),
            contents: Contents::Copy(settings.content.join(&asset.path)),
        });
    }
    Ok(files)
}

/// `sitemap.xml` with every page, in path order.
pub fn sitemap(site: &Site) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in &site.pages {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::parse::escape_html(&format!(
            "{}{}",
            site.config.url, page.url
        )));
        xml.push_str("</loc>");
        if let Some(date) = page
            .date
            .as_deref()
            .filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-')
        {
            xml.push_str("<lastmod>");
            xml.push_str(date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
