//! `mappings/index.json`, `mappings/<id>.json` and `mappings/<id>.csv`.

use super::{to_compact_json, to_json, ExportSink, GENERATOR, SCHEMA_VERSION};
use crate::model::migration::{MappingEntry, MappingSet, Origin, System};
use crate::model::Site;
use crate::output::OutputFile;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

/// The page that shows a set.
#[derive(Serialize)]
struct PageRef<'a> {
    path: &'a str,
    url: String,
}

#[derive(Serialize)]
struct EntryView<'a> {
    label: &'a str,
    source_url: &'a str,
    target_url: Option<&'a str>,
    status: &'a str,
    note: Option<&'a str>,
    origin: &'a Origin,
}

#[derive(Serialize)]
struct SetView<'a> {
    schema_version: u32,
    generator: &'a str,
    id: &'a str,
    source: &'a System,
    target: &'a System,
    page: Option<PageRef<'a>>,
    entries: Vec<EntryView<'a>>,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    id: &'a str,
    source: &'a System,
    target: &'a System,
    entries: usize,
    mapped: usize,
    unsupported: usize,
    page: Option<PageRef<'a>>,
    json: String,
    csv: String,
    redirect: String,
}

#[derive(Serialize)]
struct IndexView<'a> {
    schema_version: u32,
    generator: &'a str,
    sets: Vec<IndexEntry<'a>>,
}

fn page_ref<'a>(site: &Site, set: &'a MappingSet) -> Option<PageRef<'a>> {
    Some(PageRef {
        path: set.page.as_deref()?,
        url: format!("{}{}", site.config.url, set.page_url.as_deref()?),
    })
}

fn entry_view(e: &MappingEntry) -> EntryView<'_> {
    EntryView {
        label: &e.label,
        source_url: &e.source_url,
        target_url: e.target_url.as_deref(),
        status: e.status.as_str(),
        note: e.note.as_deref(),
        origin: &e.origin,
    }
}

/// `mappings/<id>.json`: compact, one entry per line, written to `w`. A set can hold tens of
/// thousands of entries (30,300 in the 10,000-page benchmark, 8.6 MB pretty-printed, 6 MB
/// like this), and a line per entry keeps a line diff of two builds readable.
pub(super) fn write_set_json(site: &Site, set: &MappingSet, w: &mut dyn Write) -> io::Result<()> {
    let head = to_compact_json(&SetView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        id: &set.id,
        source: &set.source,
        target: &set.target,
        page: page_ref(site, set),
        entries: Vec::new(),
    });
    // `…,"entries":[]}` and a line break: the entries go between the brackets.
    let open = head.trim_end().len() - 2;
    w.write_all(&head.as_bytes()[..open])?;
    for (i, e) in set.entries.iter().enumerate() {
        w.write_all(if i == 0 { &b"\n"[..] } else { &b",\n"[..] })?;
        serde_json::to_writer(&mut *w, &entry_view(e))?;
    }
    w.write_all(b"\n]}\n")
}

/// One RFC 4180 field. A cell a spreadsheet would read as a formula (it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'` and quoted, as OWASP
/// advises against CSV injection: a mapping table's text is the docset's, not the reader's.
fn csv_field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", text.replace('"', "\"\""))
    } else if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `mappings/<id>.csv`: RFC 4180, a header row, CRLF line ends, written to `w`.
pub(super) fn write_set_csv(set: &MappingSet, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(b"label,source_url,target_url,status,note,origin_file,origin_line\r\n")?;
    for e in &set.entries {
        let fields = [
            csv_field(&e.label),
            csv_field(&e.source_url),
            csv_field(e.target_url.as_deref().unwrap_or_default()),
            e.status.as_str().to_string(),
            csv_field(e.note.as_deref().unwrap_or_default()),
            csv_field(&e.origin.file),
            e.origin.line.to_string(),
        ];
        w.write_all(fields.join(",").as_bytes())?;
        w.write_all(b"\r\n")?;
    }
    Ok(())
}

/// Every mapping file, handed to `sink`: the index, then JSON and CSV per set (written
/// piece by piece, see [`ExportSink::put_stream`]).
pub(super) fn mapping_files(site: &Site, sink: &dyn ExportSink) {
    let base = &site.config.base_path;
    let sets = &site.migration.sets;
    let index = IndexView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        sets: sets
            .iter()
            .map(|s| {
                let mapped = s.entries.iter().filter(|e| e.target_url.is_some()).count();
                IndexEntry {
                    id: &s.id,
                    source: &s.source,
                    target: &s.target,
                    entries: s.entries.len(),
                    mapped,
                    unsupported: s.entries.len() - mapped,
                    page: page_ref(site, s),
                    json: format!("{base}mappings/{}.json", s.id),
                    csv: format!("{base}mappings/{}.csv", s.id),
                    redirect: format!("{base}redirects/{}/", s.id),
                }
            })
            .collect(),
    };
    sink.put(OutputFile::text("mappings/index.json", to_json(&index)));
    // One set's files are independent of the others': written in parallel.
    sets.par_iter().for_each(|set| {
        sink.put_stream(format!("mappings/{}.json", set.id), &mut |w| {
            write_set_json(site, set, w)
        });
        sink.put_stream(format!("mappings/{}.csv", set.id), &mut |w| {
            write_set_csv(set, w)
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_defused() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://evil.example\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""
        );
        assert_eq!(csv_field("+1"), "\"'+1\"");
        assert_eq!(csv_field("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_field("\tcmd"), "\"'\tcmd\"");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(
            csv_field("a-b = c"),
            "a-b = c",
            "only the first character counts"
        );
    }
}
