//! A page's headings and anchors, kept packed between the parse and the stages that read
//! them.
//!
//! Every page keeps both for the whole build: the check looks up other pages' ids, the
//! render writes each page's table of contents, the manifest lists the ids. As [`Heading`]
//! and [`Anchor`] values they were the second-largest part of the model (72 and 56 bytes
//! each, plus a string for each text and id): at 10,000 pages, about 19 MiB. An automatic
//! heading id was held twice, as the heading's id and as the anchor it defines. Here the
//! page's texts and ids are one string, each distinct id written once, and each heading
//! and anchor is a small fixed-size record that names its strings by place.

use super::{Anchor, AnchorKind, Heading};
use rustc_hash::FxHashMap;
use serde::ser::SerializeMap;
use serde::Serialize;
use std::sync::Arc;

/// A string's place in [`PageOutline::strings`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    at: u32,
    len: u32,
}

/// A heading, its strings by place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeadingRecord {
    text: Span,
    id: Span,
    line: u32,
    file: u32,
    level: u8,
}

/// An anchor, its id by place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AnchorRecord {
    id: Span,
    line: u32,
    column: u32,
    file: u32,
    kind: AnchorKind,
}

/// The headings (document order, includes expanded) and anchors (every id the page
/// defines, duplicates included) of one page; [`PageOutline::headings`] and
/// [`PageOutline::anchors`] read them as [`HeadingRef`] and [`AnchorRef`] views.
#[derive(Clone, Default, PartialEq)]
pub struct PageOutline {
    /// Every heading text and distinct id, one after another.
    strings: Box<str>,
    headings: Box<[HeadingRecord]>,
    anchors: Box<[AnchorRecord]>,
    /// The files the headings and anchors are written in (the page and its includes),
    /// once each; a record names its file by index.
    files: Box<[Arc<str>]>,
}

/// Builds a [`PageOutline`]: strings written once, files named once.
#[derive(Default)]
struct Packer<'a> {
    strings: String,
    ids: FxHashMap<&'a str, Span>,
    files: Vec<Arc<str>>,
    numbers: FxHashMap<Arc<str>, u32>,
    previous: u32,
}

impl<'a> Packer<'a> {
    /// The place of `s` in the strings, appended. A page whose texts and ids come to more
    /// than 4 GiB would have been read whole into memory, many times that, before it got
    /// here; past that bound a string is kept empty rather than misplaced.
    fn text(&mut self, s: &str) -> Span {
        let (Ok(at), Ok(len)) = (u32::try_from(self.strings.len()), u32::try_from(s.len())) else {
            return Span::default();
        };
        if at.checked_add(len).is_none() {
            return Span::default();
        }
        self.strings.push_str(s);
        Span { at, len }
    }

    /// The place of the id `s`, written once whatever how many headings and anchors name
    /// it (an automatic heading id is both).
    fn id(&mut self, s: &'a str) -> Span {
        if let Some(&span) = self.ids.get(s) {
            return span;
        }
        let span = self.text(s);
        self.ids.insert(s, span);
        span
    }

    /// The index of `file`. Runs of headings and anchors share a file, so the previous
    /// record's is tried first; a page of many includes finds the others by name, not by
    /// a scan of every file.
    fn file(&mut self, file: &Arc<str>) -> u32 {
        let same = (self.files.get(self.previous as usize))
            .is_some_and(|f| Arc::ptr_eq(f, file) || f == file);
        if !same {
            let files = &mut self.files;
            self.previous = *self.numbers.entry(Arc::clone(file)).or_insert_with(|| {
                files.push(Arc::clone(file));
                (files.len() - 1) as u32
            });
        }
        self.previous
    }
}

impl PageOutline {
    /// The outline of `headings` and `anchors`, each in its order.
    pub fn new(headings: &[Heading], anchors: &[Anchor]) -> PageOutline {
        let mut packer = Packer::default();
        let headings: Box<[HeadingRecord]> = headings
            .iter()
            .map(|h| HeadingRecord {
                text: packer.text(&h.text),
                id: packer.id(&h.id),
                line: h.line,
                file: packer.file(&h.file),
                level: h.level,
            })
            .collect();
        let anchors: Box<[AnchorRecord]> = anchors
            .iter()
            .map(|a| AnchorRecord {
                id: packer.id(&a.id),
                line: a.line,
                column: a.column,
                file: packer.file(&a.file),
                kind: a.kind,
            })
            .collect();
        PageOutline {
            strings: packer.strings.into_boxed_str(),
            headings,
            anchors,
            files: packer.files.into_boxed_slice(),
        }
    }

    /// The page's headings, in document order.
    pub fn headings(&self) -> Headings<'_> {
        Headings { outline: self }
    }

    /// Every id the page defines, duplicates included, in document order.
    pub fn anchors(&self) -> Anchors<'_> {
        Anchors { outline: self }
    }

    /// The bytes the outline holds (its strings and records, not its few file names, which
    /// the page's other facts share), for a measurement of the model.
    pub fn heap_bytes(&self) -> usize {
        self.strings.len()
            + std::mem::size_of_val(&*self.headings)
            + std::mem::size_of_val(&*self.anchors)
    }

    fn str(&self, span: Span) -> &str {
        let (at, len) = (span.at as usize, span.len as usize);
        self.strings.get(at..at + len).unwrap_or_default()
    }

    fn heading(&self, r: &HeadingRecord) -> HeadingRef<'_> {
        HeadingRef {
            level: r.level,
            text: self.str(r.text),
            id: self.str(r.id),
            file: &self.files[r.file as usize][..],
            line: r.line,
        }
    }

    fn anchor(&self, r: &AnchorRecord) -> AnchorRef<'_> {
        AnchorRef {
            id: self.str(r.id),
            kind: r.kind,
            file: &self.files[r.file as usize][..],
            line: r.line,
            column: r.column,
        }
    }
}

impl std::fmt::Debug for PageOutline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageOutline")
            .field("headings", &self.headings())
            .field("anchors", &self.anchors())
            .finish()
    }
}

/// Serialises as the two lists a page had as fields, `headings` then `anchors`: flattened
/// into the page, its JSON is what it was.
impl Serialize for PageOutline {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("headings", &self.headings())?;
        map.serialize_entry("anchors", &self.anchors())?;
        map.end()
    }
}

/// A heading of a page, read from its [`PageOutline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeadingRef<'a> {
    /// 1–6.
    pub level: u8,
    /// Plain text (markup stripped).
    pub text: &'a str,
    /// The unique id the renderer writes.
    pub id: &'a str,
    /// File the heading is written in (the page, or an included file).
    pub file: &'a str,
    /// 1-based line.
    pub line: u32,
}

impl HeadingRef<'_> {
    /// The heading as an owned value.
    pub fn to_heading(&self) -> Heading {
        Heading {
            level: self.level,
            text: self.text.to_string(),
            id: self.id.to_string(),
            file: Arc::from(self.file),
            line: self.line,
        }
    }
}

/// An id a page defines, read from its [`PageOutline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnchorRef<'a> {
    /// The id.
    pub id: &'a str,
    /// Where it came from.
    pub kind: AnchorKind,
    /// File the anchor is written in.
    pub file: &'a str,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl AnchorRef<'_> {
    /// The anchor as an owned value.
    pub fn to_anchor(&self) -> Anchor {
        Anchor {
            id: self.id.to_string(),
            kind: self.kind,
            file: Arc::from(self.file),
            line: self.line,
            column: self.column,
        }
    }
}

/// The headings of a [`PageOutline`], a list to read by index or in order.
#[derive(Clone, Copy)]
pub struct Headings<'a> {
    outline: &'a PageOutline,
}

impl<'a> Headings<'a> {
    /// How many headings.
    pub fn len(&self) -> usize {
        self.outline.headings.len()
    }

    /// True when the page has no headings.
    pub fn is_empty(&self) -> bool {
        self.outline.headings.is_empty()
    }

    /// The heading at `index` (document order).
    pub fn get(&self, index: usize) -> Option<HeadingRef<'a>> {
        let outline = self.outline;
        outline.headings.get(index).map(|r| outline.heading(r))
    }

    /// Every heading, in document order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = HeadingRef<'a>> + 'a {
        let outline = self.outline;
        outline.headings.iter().map(move |r| outline.heading(r))
    }

    /// Every heading as an owned value.
    pub fn to_vec(&self) -> Vec<Heading> {
        self.iter().map(|h| h.to_heading()).collect()
    }
}

/// The anchors of a [`PageOutline`], a list to read by index or in order.
#[derive(Clone, Copy)]
pub struct Anchors<'a> {
    outline: &'a PageOutline,
}

impl<'a> Anchors<'a> {
    /// How many anchors.
    pub fn len(&self) -> usize {
        self.outline.anchors.len()
    }

    /// True when the page defines no ids.
    pub fn is_empty(&self) -> bool {
        self.outline.anchors.is_empty()
    }

    /// The anchor at `index` (document order).
    pub fn get(&self, index: usize) -> Option<AnchorRef<'a>> {
        let outline = self.outline;
        outline.anchors.get(index).map(|r| outline.anchor(r))
    }

    /// Every anchor, in document order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = AnchorRef<'a>> + 'a {
        let outline = self.outline;
        outline.anchors.iter().map(move |r| outline.anchor(r))
    }

    /// Every anchor as an owned value.
    pub fn to_vec(&self) -> Vec<Anchor> {
        self.iter().map(|a| a.to_anchor()).collect()
    }
}

impl std::fmt::Debug for Headings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl std::fmt::Debug for Anchors<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Headings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl Serialize for Anchors<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str, id: &str, file: &Arc<str>, line: u32) -> Heading {
        Heading {
            level,
            text: text.to_string(),
            id: id.to_string(),
            file: Arc::clone(file),
            line,
        }
    }

    fn anchor(id: &str, kind: AnchorKind, file: &Arc<str>, line: u32, column: u32) -> Anchor {
        Anchor {
            id: id.to_string(),
            kind,
            file: Arc::clone(file),
            line,
            column,
        }
    }

    /// A page's headings and anchors over two files, an id both a heading's and an
    /// anchor's, a duplicate anchor, an empty id and multi-byte text.
    fn sample() -> (Vec<Heading>, Vec<Anchor>) {
        let page: Arc<str> = Arc::from("guide/a.md");
        let include: Arc<str> = Arc::from("includes/b.md");
        let headings = vec![
            heading(1, "Überblick", "überblick", &page, 1),
            heading(2, "Setup", "setup", &page, 5),
            heading(2, "Shared", "shared", &include, 1),
            heading(2, "???", "", &page, 9),
            heading(3, "Setup", "setup-1", &page, 12),
        ];
        let anchors = vec![
            anchor("überblick", AnchorKind::Heading, &page, 1, 1),
            anchor("setup", AnchorKind::Heading, &page, 5, 1),
            anchor("legacy", AnchorKind::HtmlName, &include, 3, 4),
            anchor("shared", AnchorKind::Heading, &include, 1, 1),
            anchor("legacy", AnchorKind::HtmlId, &page, 7, 10),
            anchor("setup-1", AnchorKind::Heading, &page, 12, 1),
        ];
        (headings, anchors)
    }

    #[test]
    fn reads_back_every_heading_and_anchor_as_given() {
        let (headings, anchors) = sample();
        let outline = PageOutline::new(&headings, &anchors);
        assert_eq!(outline.headings().to_vec(), headings);
        assert_eq!(outline.headings().len(), headings.len());
        assert_eq!(outline.anchors().to_vec(), anchors);
        assert_eq!(
            outline.headings().get(2).map(|h| h.file),
            Some("includes/b.md")
        );
        assert_eq!(outline.anchors().get(4).map(|a| a.id), Some("legacy"));
        assert!(outline.headings().get(5).is_none());
        assert!(outline.anchors().get(6).is_none());
    }

    #[test]
    fn writes_each_id_once() {
        let (headings, anchors) = sample();
        let outline = PageOutline::new(&headings, &anchors);
        let texts: usize = headings.iter().map(|h| h.text.len()).sum();
        let ids = ["überblick", "setup", "shared", "", "setup-1", "legacy"];
        let id_bytes: usize = ids.iter().map(|id| id.len()).sum();
        assert_eq!(outline.strings.len(), texts + id_bytes);
        assert_eq!(outline.files.len(), 2);
    }

    #[test]
    fn serialises_as_the_lists_it_was_made_from() {
        #[derive(Serialize)]
        struct Lists {
            headings: Vec<Heading>,
            anchors: Vec<Anchor>,
        }
        let (headings, anchors) = sample();
        let outline = PageOutline::new(&headings, &anchors);
        assert_eq!(
            serde_json::to_string(&outline).unwrap(),
            serde_json::to_string(&Lists { headings, anchors }).unwrap()
        );
    }

    #[test]
    fn an_empty_outline_has_nothing() {
        let outline = PageOutline::new(&[], &[]);
        assert!(outline.headings().is_empty());
        assert!(outline.anchors().is_empty());
        assert_eq!(outline, PageOutline::default());
        assert_eq!(
            serde_json::to_string(&outline).unwrap(),
            r#"{"headings":[],"anchors":[]}"#
        );
    }

    #[test]
    fn holds_far_less_than_the_values_it_makes_back() {
        let file: Arc<str> = Arc::from("guide/a.md");
        let headings: Vec<Heading> = (0..50)
            .map(|i| {
                heading(
                    2,
                    &format!("Section {i} of the guide"),
                    &format!("section-{i}-of-the-guide"),
                    &file,
                    i,
                )
            })
            .collect();
        let anchors: Vec<Anchor> = (headings.iter())
            .map(|h| anchor(&h.id, AnchorKind::Heading, &file, h.line, 1))
            .collect();
        let outline = PageOutline::new(&headings, &anchors);
        let strings: usize = headings
            .iter()
            .map(|h| h.text.len() + h.id.len())
            .sum::<usize>()
            + anchors.iter().map(|a| a.id.len()).sum::<usize>();
        let as_values =
            std::mem::size_of_val(&*headings) + std::mem::size_of_val(&*anchors) + strings;
        assert!(
            outline.heap_bytes() * 2 < as_values,
            "{} bytes packed, {as_values} as values",
            outline.heap_bytes()
        );
    }
}
