//! Export stage: the migration model and the site model as versioned, deterministic files
//! for tools (JSON, CSV, JSON Schemas) and for servers (redirect pages and rules).
//!
//! Pure: returns [`OutputFile`]s, the output stage writes them. Reads only the model;
//! never renders pages and never checks. No timestamps: two builds of the same input give
//! byte-identical files.

mod documents;
mod manifest;
mod mappings;
mod redirects;
mod site_json;
mod sitemap;

use crate::model::doc::FragmentHtml;
use crate::model::Site;
use crate::output::OutputFile;
use serde::Serialize;

pub use documents::faq_json_ld;
pub use manifest::{manifest, manifest_json, ManifestJson};
pub use site_json::SiteJson;
pub use sitemap::sitemap_xml;

/// Version of every export format; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The `generator` field of every export.
pub const GENERATOR: &str = concat!("docshift ", env!("CARGO_PKG_VERSION"));

/// The JSON Schemas shipped in `schemas/`, written to `public/schemas/`.
pub const SCHEMAS: [(&str, &str); 11] = [
    (
        "mapping-changes.schema.json",
        include_str!("../../schemas/mapping-changes.schema.json"),
    ),
    (
        "manifest.schema.json",
        include_str!("../../schemas/manifest.schema.json"),
    ),
    (
        "diff.schema.json",
        include_str!("../../schemas/diff.schema.json"),
    ),
    (
        "mapping-index.schema.json",
        include_str!("../../schemas/mapping-index.schema.json"),
    ),
    (
        "mapping-set.schema.json",
        include_str!("../../schemas/mapping-set.schema.json"),
    ),
    (
        "mapping-file.schema.json",
        include_str!("../../schemas/mapping-file.schema.json"),
    ),
    (
        "api-changes.schema.json",
        include_str!("../../schemas/api-changes.schema.json"),
    ),
    (
        "faq.schema.json",
        include_str!("../../schemas/faq.schema.json"),
    ),
    (
        "site.schema.json",
        include_str!("../../schemas/site.schema.json"),
    ),
    (
        "resolve.schema.json",
        include_str!("../../schemas/resolve.schema.json"),
    ),
    (
        "redirections.schema.json",
        include_str!("../../schemas/redirections.schema.json"),
    ),
];

/// Pretty JSON with a final newline (the format of every export).
pub fn to_json_text<T: Serialize>(value: &T) -> String {
    to_json(value)
}

/// Pretty JSON with a final newline.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| unreachable!("export types always serialise: {e}"));
    text.push('\n');
    text
}

/// Compact JSON with a final newline (for the large whole-model export).
pub(crate) fn to_compact_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string(value)
        .unwrap_or_else(|e| unreachable!("export types always serialise: {e}"));
    text.push('\n');
    text
}

/// JSON for inside a `<script>` element: `<`, `>` and `&` escaped so no text can close
/// the element or open a comment.
pub(crate) fn to_script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|e| unreachable!("export types always serialise: {e}"))
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The export files derived from the migration model and the configuration: `mappings/`,
/// `api-changes.json`, `faq.json`, `schemas/`, `redirects/` and the server redirect rules.
/// `site.json`, which shows every page, is [`SiteJson`]; `manifest.json`, which lists every
/// page's anchors, is [`manifest_json`] (both change with any page, not only with the
/// migration model).
/// `html` gives the HTML of the API-change impacts and FAQ answers.
pub fn export_files(site: &Site, html: &dyn FragmentHtml) -> Vec<OutputFile> {
    let mut files = mappings::mapping_files(site);
    files.push(OutputFile::text(
        "api-changes.json",
        documents::api_changes_json(site, html),
    ));
    files.push(OutputFile::text(
        "faq.json",
        documents::faq_json(site, html),
    ));
    for (name, text) in SCHEMAS {
        files.push(OutputFile::text(format!("schemas/{name}"), text));
    }
    files.extend(redirects::redirect_files(site));
    if let Some(previous) = &site.config.previous_manifest {
        files.extend(manifest::changes_files(site, previous));
    }
    files
}
