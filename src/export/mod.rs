//! Export stage: the migration model and the site model as versioned, deterministic files
//! for tools (JSON, CSV, JSON Schemas) and for servers (redirect pages and rules).
//!
//! Pure: returns [`OutputFile`]s, or hands them to an [`ExportSink`] as they are made (the
//! large ones written piece by piece), and the output stage writes them. Reads only the
//! model; never renders pages and never checks. No timestamps: two builds of the same input give
//! byte-identical files.

mod documents;
mod manifest;
mod mappings;
mod redirects;
mod site_json;
mod sitemap;

use crate::model::doc::FragmentHtml;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::Mutex;

pub use documents::faq_json_ld;
pub use manifest::{manifest, write_manifest_json, ManifestJson};
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

/// Where [`write_export_files`] hands each export file as soon as it is made, from several
/// threads at once.
pub trait ExportSink: Sync {
    /// Takes a file made whole.
    fn put(&self, file: OutputFile);
    /// Takes the file at `path`, which `fill` writes piece by piece when called (once): a
    /// mapping set of tens of thousands of entries makes files of megabytes (its JSON, CSV
    /// and redirect page), and a sink that writes to disk need never hold them whole.
    fn put_stream(&self, path: String, fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>);
}

/// An [`ExportSink`] that keeps every file in memory.
#[derive(Default)]
struct Collect(Mutex<Vec<OutputFile>>);

impl ExportSink for Collect {
    fn put(&self, file: OutputFile) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
    }

    fn put_stream(&self, path: String, fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) {
        let mut bytes = Vec::new();
        if let Err(e) = fill(&mut bytes) {
            unreachable!("writing to memory does not fail: {e}");
        }
        self.put(OutputFile {
            path,
            contents: Contents::Bytes(bytes),
        });
    }
}

/// The export files derived from the migration model and the configuration: `mappings/`,
/// `api-changes.json`, `faq.json`, `schemas/`, `redirects/` and the server redirect rules.
/// `site.json`, which shows every page, is [`SiteJson`]; `manifest.json`, which lists every
/// page's anchors, is [`write_manifest_json`] (both change with any page, not only with the
/// migration model). In path order. `html` gives the HTML of the API-change impacts and FAQ
/// answers.
pub fn export_files(site: &Site, html: &dyn FragmentHtml) -> Vec<OutputFile> {
    let files = Collect::default();
    write_export_files(site, html, &files);
    let mut files = files.0.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The files of [`export_files`], each handed to `sink` as soon as it is made.
pub fn write_export_files(site: &Site, html: &dyn FragmentHtml, sink: &dyn ExportSink) {
    mappings::mapping_files(site, sink);
    sink.put(OutputFile::text(
        "api-changes.json",
        documents::api_changes_json(site, html),
    ));
    sink.put(OutputFile::text(
        "faq.json",
        documents::faq_json(site, html),
    ));
    for (name, text) in SCHEMAS {
        sink.put(OutputFile::text(format!("schemas/{name}"), text));
    }
    redirects::redirect_files(site, sink);
    if let Some(previous) = &site.config.previous_manifest {
        for file in manifest::changes_files(site, previous) {
            sink.put(file);
        }
    }
}

/// A writer of JSON for inside a `<script>` element, as [`to_script_json`] escapes it: the
/// bytes `<`, `>` and `&` (never part of a longer UTF-8 sequence) become `\u003c`, `\u003e`
/// and `\u0026`, which JSON reads back as the same characters.
struct ScriptJson<'w>(&'w mut dyn Write);

impl Write for ScriptJson<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(escaped)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// [`to_script_json`] written to `w`.
fn write_script_json<T: Serialize>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(ScriptJson(w), value).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON written for a script element piece by piece reads the same as made whole, for
    /// text with the escaped characters next to multi-byte ones.
    #[test]
    fn script_json_written_to_a_stream_is_the_script_json_made_whole() {
        let value = serde_json::json!({
            "note": "</script><!-- a & b > c -->",
            "label": "Übersicht <neu> ☃ & 日本語",
            "list": ["<", ">", "&", "&amp;"],
        });
        let mut streamed = Vec::new();
        write_script_json(&mut streamed, &value).expect("written");
        let streamed = String::from_utf8(streamed).expect("UTF-8");
        assert_eq!(streamed, to_script_json(&value));
        assert!(!streamed.contains(['<', '>', '&']));
        let back: serde_json::Value = serde_json::from_str(&streamed).expect("JSON");
        assert_eq!(back, value);
    }
}
