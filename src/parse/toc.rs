//! Tables of contents: `TOC.yml` (a list of entries, or a mapping with `items`) and `TOC.md`
//! (each heading is an entry, its level the depth, its link the `href`), read into a
//! [`TocFile`] whose links carry the line and column they are written at.

use crate::diag::{Code, Diagnostic};
use crate::model::link::{classify, Link, LinkKind};
use crate::model::toc::{TocEntry, TocFile};
use crate::source::SourceFile;
use crate::yaml::{Spanned, SpannedValue};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Parses a TOC file (`.md` as Markdown, anything else as YAML). A file that does not parse
/// gives no entries and an `invalid-data-file` finding; an entry of the wrong shape is left
/// out with one.
pub fn parse_toc(src: &SourceFile, base_path: &str) -> (TocFile, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let entries = if src.path.to_ascii_lowercase().ends_with(".md") {
        markdown_entries(src, base_path)
    } else {
        match crate::yaml::to_spanned(&src.text) {
            Ok(root) => yaml_entries(src, &root, base_path, &mut diags),
            Err(e) => {
                diags.push(invalid(
                    src,
                    e.line.unwrap_or(1),
                    e.column.unwrap_or(1),
                    format!("not a valid table of contents: {}", e.message),
                ));
                Vec::new()
            }
        }
    };
    let toc = TocFile {
        path: src.path.clone(),
        entries,
    };
    (toc, diags)
}

fn invalid(src: &SourceFile, line: u32, column: u32, message: String) -> Diagnostic {
    Diagnostic::new(Code::InvalidDataFile, &src.path, line, column, message)
}

fn toc_link(src: &SourceFile, value: &Spanned, base_path: &str) -> Option<Link> {
    href_link(src, value.as_str()?, (value.line, value.column), base_path)
}

/// The link a TOC entry's `href` or `topicHref` makes, written at `at` (line, column);
/// `None` when it is empty.
fn href_link(src: &SourceFile, dest: &str, at: (u32, u32), base_path: &str) -> Option<Link> {
    let dest = dest.trim();
    (!dest.is_empty()).then(|| Link {
        kind: LinkKind::TocHref,
        dest: dest.to_string(),
        target: classify(dest, &src.path, base_path),
        file: src.path.as_str().into(),
        line: at.0,
        column: at.1,
        definition_line: None,
    })
}

/// The entries of a YAML TOC: the root is a list, or a mapping whose `items` is the list.
fn yaml_entries(
    src: &SourceFile,
    root: &Spanned,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<TocEntry> {
    let list = match &root.value {
        SpannedValue::Null => return Vec::new(),
        SpannedValue::Map(_) => match root.get("items") {
            Some(items) => items,
            None => {
                diags.push(invalid(
                    src,
                    root.line,
                    root.column,
                    "a table of contents is a list of entries, or a mapping with `items`"
                        .to_string(),
                ));
                return Vec::new();
            }
        },
        _ => root,
    };
    items(src, list, base_path, diags)
}

fn items(
    src: &SourceFile,
    list: &Spanned,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<TocEntry> {
    match &list.value {
        SpannedValue::Seq(items) => items
            .iter()
            .filter_map(|item| entry(src, item, base_path, diags))
            .collect(),
        SpannedValue::Null => Vec::new(),
        _ => {
            diags.push(invalid(
                src,
                list.line,
                list.column,
                "`items` must be a list of entries".to_string(),
            ));
            Vec::new()
        }
    }
}

/// One YAML entry; `None` (with a finding) when it is not a mapping.
fn entry(
    src: &SourceFile,
    item: &Spanned,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<TocEntry> {
    if !matches!(item.value, SpannedValue::Map(_)) {
        diags.push(invalid(
            src,
            item.line,
            item.column,
            "a table-of-contents entry must be a mapping with `name` and `href` or `items`"
                .to_string(),
        ));
        return None;
    }
    let text = |key: &str| item.get(key).and_then(Spanned::as_str).map(str::trim);
    let name = text("name")
        .filter(|n| !n.is_empty())
        .or_else(|| text("displayName"))
        .unwrap_or_default()
        .to_string();
    let href = item.get("href").and_then(|v| toc_link(src, v, base_path));
    let topic_href = item
        .get("topicHref")
        .and_then(|v| toc_link(src, v, base_path));
    let nested = item.get("items");
    if name.is_empty() && (href.is_some() || nested.is_some()) {
        diags.push(invalid(
            src,
            item.line,
            item.column,
            "a table-of-contents entry has no `name`".to_string(),
        ));
    }
    Some(TocEntry {
        name,
        line: item.line,
        href,
        topic_href,
        expanded: text("expanded").is_some_and(|e| e.eq_ignore_ascii_case("true")),
        items: nested.map_or_else(Vec::new, |n| items(src, n, base_path, diags)),
    })
}

/// A heading of a `TOC.md` while it is being read.
struct Heading {
    depth: usize,
    name: String,
    href: Option<Link>,
    line: u32,
}

/// The entries of a Markdown TOC: heading levels give the nesting (a level deeper than
/// the one above nests under it).
fn markdown_entries(src: &SourceFile, base_path: &str) -> Vec<TocEntry> {
    let mut headings = Vec::new();
    let mut current: Option<Heading> = None;
    for (event, range) in Parser::new(&src.text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let (line, _) = src.position(range.start);
                current = Some(Heading {
                    depth: heading_depth(level),
                    name: String::new(),
                    href: None,
                    line,
                });
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(h) = current.as_mut().filter(|h| h.href.is_none()) {
                    let dest = dest_url.trim();
                    // The column of the destination inside `[text](dest)`.
                    let written = &src.text[range.clone()];
                    let at = written.rfind(dest).map_or(range.start, |i| range.start + i);
                    h.href = href_link(src, dest, src.position(at), base_path);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.name.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            _ => {}
        }
    }
    nest(headings)
}

fn heading_depth(level: HeadingLevel) -> usize {
    level as usize
}

/// Turns a flat list of headings into a tree, without recursion: each heading goes under
/// the nearest heading above it with a smaller depth.
fn nest(headings: Vec<Heading>) -> Vec<TocEntry> {
    // Open entries, outermost first, with their depth.
    let mut open: Vec<(usize, TocEntry)> = Vec::new();
    let mut roots = Vec::new();
    let close = |open: &mut Vec<(usize, TocEntry)>, roots: &mut Vec<TocEntry>| {
        if let Some((_, done)) = open.pop() {
            match open.last_mut() {
                Some((_, parent)) => parent.items.push(done),
                None => roots.push(done),
            }
        }
    };
    for h in headings {
        while open.last().is_some_and(|(d, _)| *d >= h.depth) {
            close(&mut open, &mut roots);
        }
        open.push((
            h.depth,
            TocEntry {
                name: h.name.trim().to_string(),
                line: h.line,
                href: h.href,
                topic_href: None,
                expanded: false,
                items: Vec::new(),
            },
        ));
    }
    while !open.is_empty() {
        close(&mut open, &mut roots);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str, text: &str) -> (TocFile, Vec<Diagnostic>) {
        parse_toc(&SourceFile::from_text(path, text), "/")
    }

    #[test]
    fn reads_yaml_entries_with_positions() {
        let (toc, diags) = parse(
            "TOC.yml",
            "- name: Home\n  href: index.md\n- name: Enroll\n  expanded: true\n  items:\n  - displayName: Create\n    href: enroll/create.md\n- name: Market\n  href: marketplace/TOC.yml\n  topicHref: marketplace/index.md\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(toc.entries.len(), 3);
        let home = toc.entries[0].href.as_ref().unwrap();
        assert_eq!(
            (home.dest.as_str(), home.line, home.column),
            ("index.md", 2, 9)
        );
        assert!(toc.entries[1].expanded);
        let create = &toc.entries[1].items[0];
        assert_eq!(create.name, "Create");
        assert_eq!(create.href.as_ref().unwrap().line, 7);
        assert_eq!(
            toc.entries[2].topic_href.as_ref().unwrap().dest,
            "marketplace/index.md"
        );
    }

    #[test]
    fn accepts_a_mapping_with_items() {
        let (toc, diags) = parse("a/toc.yml", "items:\n- name: A\n  href: a.md\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            toc.entries[0].href.as_ref().unwrap().file.as_ref(),
            "a/toc.yml"
        );
    }

    #[test]
    fn malformed_files_and_entries_are_findings_not_panics() {
        let (toc, diags) = parse("TOC.yml", "- name: A\n  href: [unclosed\n");
        assert!(toc.entries.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::InvalidDataFile);
        assert_eq!((diags[0].line, diags[0].column), (3, 1), "{diags:?}");
        let (toc, diags) = parse("TOC.yml", "- just text\n- name: B\n  href: b.md\n");
        assert_eq!(toc.entries.len(), 1);
        assert_eq!((diags.len(), diags[0].line), (1, 1), "{diags:?}");
        let (_, diags) = parse("TOC.yml", "- href: b.md\n");
        assert!(diags[0].message.contains("no `name`"), "{diags:?}");
        let (toc, diags) = parse("TOC.yml", "");
        assert!(toc.entries.is_empty() && diags.is_empty());
        let (_, diags) = parse("TOC.yml", "title: x\n");
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn markdown_headings_nest_by_level() {
        let (toc, diags) = parse(
            "news/TOC.md",
            "# [October](2023-october.md)\n## [Item](item.md)\n## Plain\n### [Deep](deep.md)\n# [Other](https://example.com/x)\n",
        );
        assert!(diags.is_empty());
        assert_eq!(toc.entries.len(), 2);
        let october = &toc.entries[0];
        assert_eq!(october.name, "October");
        let href = october.href.as_ref().unwrap();
        assert_eq!((href.line, href.column), (1, 13));
        assert_eq!(october.items.len(), 2);
        assert_eq!(october.items[1].name, "Plain");
        assert_eq!(october.items[1].items[0].name, "Deep");
        assert_eq!(october.items[1].items[0].href.as_ref().unwrap().line, 4);
    }
}
