//! A page's links, kept as bytes between the parse and the stages that read them.
//!
//! Links are most of a parsed page that stays in memory for the whole build (the check
//! reads every page's, the render resolves them again): at 10,000 pages, 388,808 of them
//! held 69 MiB as [`Link`] values (120 bytes each, plus two or three strings of their own
//! and a shared file name). Written one after another as bytes they took about 85 bytes
//! each with its start (the live heap at the end of the check fell by 38 MiB), and each
//! stage makes a page's [`Link`] values back when it reads that page. A target's strings
//! (fragment, path, scheme) are most often its destination's text as written, and are
//! then kept as their place in it (peak RSS at 20,000 pages about 9 MiB lower).

use super::link::{Link, LinkKind, LinkTarget};
use super::packed::{write_number, write_str, Reader};
use super::stow::{Stow, StowedBytes};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::Arc;

/// The links of one page, in document order, as bytes, held in memory or stowed in a
/// scratch file ([`super::stow`]); [`PageLinks::read`] gives them back as a [`LinkList`].
#[derive(Clone, Default, PartialEq)]
pub struct PageLinks {
    /// Each link's fields, one link after another: see `write_link`.
    bytes: StowedBytes,
    /// Where each link starts in `bytes`.
    starts: Starts,
    /// The files the links are written in (the page and its includes), once each; a link
    /// names its file by index.
    files: Box<[Arc<str>]>,
}

impl PageLinks {
    /// The list of `links`, in their order.
    pub fn new(links: &[Link]) -> PageLinks {
        let mut bytes = Vec::with_capacity(links.len() * 64);
        let mut starts = Vec::with_capacity(links.len());
        let mut files: Vec<Arc<str>> = Vec::new();
        // Runs of links share a file, so the previous link's is tried first; a page of
        // many includes finds the others by name, not by a scan of every file.
        let mut numbers: FxHashMap<Arc<str>, usize> = FxHashMap::default();
        let mut previous = 0;
        for link in links {
            starts.push(bytes.len());
            let same = files
                .get(previous)
                .is_some_and(|f| Arc::ptr_eq(f, &link.file) || *f == link.file);
            if !same {
                previous = *numbers.entry(Arc::clone(&link.file)).or_insert_with(|| {
                    files.push(Arc::clone(&link.file));
                    files.len() - 1
                });
            }
            write_link(&mut bytes, link, previous);
        }
        PageLinks {
            bytes: StowedBytes::Held(bytes.into_boxed_slice()),
            starts: Starts::new(starts),
            files: files.into_boxed_slice(),
        }
    }

    /// How many links the page has.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when the page has no links.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The links: borrowed when held, read back from the scratch file when stowed (one
    /// read; the error is the file's).
    pub fn read(&self) -> std::io::Result<LinkList<'_>> {
        Ok(LinkList {
            bytes: self.bytes.read()?,
            starts: &self.starts,
            files: &self.files,
        })
    }

    /// Moves the links' bytes into `stow`, to be read back by [`PageLinks::read`]; false
    /// when they could not be written (they stay in memory).
    pub fn stow(&mut self, stow: &std::sync::Arc<Stow>) -> bool {
        self.bytes.stow(stow)
    }

    /// True when the links' bytes are in a scratch file.
    pub fn is_stowed(&self) -> bool {
        self.bytes.is_stowed()
    }

    /// The bytes the list holds in memory for its links and where each starts (not its few
    /// file names, which the page's other facts share), for a measurement of the model.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.held_len() + self.starts.heap_bytes()
    }
}

/// A page's links read: [`LinkList::iter`] and [`LinkList::get`] make each [`Link`] back
/// as it was given.
pub struct LinkList<'p> {
    bytes: Cow<'p, [u8]>,
    starts: &'p Starts,
    files: &'p [Arc<str>],
}

impl LinkList<'_> {
    /// How many links the page has.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when the page has no links.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The link at `index` (document order), made back from its bytes.
    pub fn get(&self, index: usize) -> Option<Link> {
        let start = self.starts.get(index)?;
        Some(read_link(
            &mut Reader::new(&self.bytes[start..]),
            self.files,
        ))
    }

    /// Every link, in document order, each made back from its bytes.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Link> + '_ {
        let mut reader = Reader::new(&self.bytes);
        (0..self.len()).map(move |_| read_link(&mut reader, self.files))
    }

    /// Every link, made back, in a vector: for a stage that reads a page's links by index
    /// many times.
    pub fn to_vec(&self) -> Vec<Link> {
        self.iter().collect()
    }
}

/// Where each link of a [`PageLinks`] starts: four bytes each, as a page's link bytes
/// stay far below 4 GiB (a page has tens of links; the list is kept for every page of the
/// site for the whole build), eight past that.
#[derive(Clone, PartialEq)]
enum Starts {
    Narrow(Box<[u32]>),
    Wide(Box<[usize]>),
}

impl Default for Starts {
    fn default() -> Self {
        Starts::Narrow(Box::default())
    }
}

impl Starts {
    /// `starts`, ascending, in the narrowest form that holds the last.
    fn new(starts: Vec<usize>) -> Starts {
        let narrow = starts
            .last()
            .is_none_or(|&last| u32::try_from(last).is_ok());
        match narrow {
            true => Starts::Narrow(starts.into_iter().map(|s| s as u32).collect()),
            false => Starts::Wide(starts.into_boxed_slice()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Starts::Narrow(s) => s.len(),
            Starts::Wide(s) => s.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, index: usize) -> Option<usize> {
        match self {
            Starts::Narrow(s) => s.get(index).map(|&s| s as usize),
            Starts::Wide(s) => s.get(index).copied(),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Starts::Narrow(s) => std::mem::size_of_val(&**s),
            Starts::Wide(s) => std::mem::size_of_val(&**s),
        }
    }
}

impl std::fmt::Debug for PageLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.read() {
            Ok(links) => f.debug_list().entries(links.iter()).finish(),
            Err(e) => write!(f, "<{} links, unreadable: {e}>", self.len()),
        }
    }
}

/// Written as the list of its links, like the vector it replaces.
impl serde::Serialize for PageLinks {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let links = self.read().map_err(serde::ser::Error::custom)?;
        serializer.collect_seq(links.iter())
    }
}

/// The byte of a link kind.
fn kind_byte(kind: LinkKind) -> u8 {
    match kind {
        LinkKind::Inline => 0,
        LinkKind::Reference => 1,
        LinkKind::Definition => 2,
        LinkKind::Autolink => 3,
        LinkKind::Image => 4,
        LinkKind::HtmlHref => 5,
        LinkKind::HtmlSrc => 6,
        LinkKind::DirectiveSource => 7,
        LinkKind::DirectiveLightbox => 8,
        LinkKind::TocHref => 9,
        LinkKind::YamlUrl => 10,
    }
}

/// The link kind of a byte [`kind_byte`] wrote.
fn kind_of(byte: u8) -> LinkKind {
    match byte {
        0 => LinkKind::Inline,
        1 => LinkKind::Reference,
        2 => LinkKind::Definition,
        3 => LinkKind::Autolink,
        4 => LinkKind::Image,
        5 => LinkKind::HtmlHref,
        6 => LinkKind::HtmlSrc,
        7 => LinkKind::DirectiveSource,
        8 => LinkKind::DirectiveLightbox,
        9 => LinkKind::TocHref,
        _ => LinkKind::YamlUrl,
    }
}

// The target's variant, and for a local target whether it is rooted and has a fragment.
const EXTERNAL: u8 = 0;
const SAME_PAGE: u8 = 1;
const LOCAL: u8 = 2;
const OFF_SITE: u8 = 3;
const OUTSIDE_ROOT: u8 = 4;
const ROOTED: u8 = 1 << 4;
const HAS_FRAGMENT: u8 = 1 << 5;

/// Appends `link`, written in `files[file]`: its kind, file, line, column, definition line
/// (0 for none, else the line plus one), destination, then its target's variant and
/// strings (each where it is in the destination, if it is there: see `write_part`). Numbers
/// are LEB128 varints, strings their length then their bytes.
fn write_link(out: &mut Vec<u8>, link: &Link, file: usize) {
    out.push(kind_byte(link.kind));
    write_number(out, file as u64);
    write_number(out, u64::from(link.line));
    write_number(out, u64::from(link.column));
    write_number(out, link.definition_line.map_or(0, |l| u64::from(l) + 1));
    write_str(out, &link.dest);
    match &link.target {
        LinkTarget::External { scheme } => {
            out.push(EXTERNAL);
            write_part(out, &link.dest, scheme);
        }
        LinkTarget::SamePage { fragment } => {
            out.push(SAME_PAGE);
            write_part(out, &link.dest, fragment);
        }
        LinkTarget::Local {
            path,
            fragment,
            rooted,
        } => {
            let rooted = if *rooted { ROOTED } else { 0 };
            let has_fragment = if fragment.is_some() { HAS_FRAGMENT } else { 0 };
            out.push(LOCAL | rooted | has_fragment);
            write_part(out, &link.dest, path);
            if let Some(fragment) = fragment {
                write_part(out, &link.dest, fragment);
            }
        }
        LinkTarget::OffSite { path } => {
            out.push(OFF_SITE);
            write_part(out, &link.dest, path);
        }
        LinkTarget::OutsideRoot { path } => {
            out.push(OUTSIDE_ROOT);
            write_part(out, &link.dest, path);
        }
    }
}

/// Appends `part`, a string of a link's target, as where it is in the link's destination
/// `dest` when it is there (its start plus one, then its length: a target's fragment, path
/// and scheme are most often the destination's text, as written), else as 0 and the
/// string. Reads back with [`read_part`].
fn write_part(out: &mut Vec<u8>, dest: &str, part: &str) {
    match dest.find(part) {
        Some(start) => {
            write_number(out, start as u64 + 1);
            write_number(out, part.len() as u64);
        }
        None => {
            write_number(out, 0);
            write_str(out, part);
        }
    }
}

/// Reads a string [`write_part`] wrote for a link whose destination is `dest`.
fn read_part(r: &mut Reader<'_>, dest: &str) -> String {
    match r.number() {
        0 => r.string(),
        start => {
            let start = (start - 1) as usize;
            let len = r.number() as usize;
            // Where `write_part` found it: in range and on character boundaries.
            let part = start.checked_add(len).and_then(|end| dest.get(start..end));
            part.unwrap_or_default().to_string()
        }
    }
}

/// Reads a link [`write_link`] wrote.
fn read_link(r: &mut Reader<'_>, files: &[Arc<str>]) -> Link {
    let kind = kind_of(r.byte());
    let file = Arc::clone(&files[r.number() as usize]);
    let line = r.number() as u32;
    let column = r.number() as u32;
    let definition_line = match r.number() {
        0 => None,
        l => Some((l - 1) as u32),
    };
    let dest = r.string();
    let tag = r.byte();
    let target = match tag & 0x0f {
        EXTERNAL => LinkTarget::External {
            scheme: read_part(r, &dest),
        },
        SAME_PAGE => LinkTarget::SamePage {
            fragment: read_part(r, &dest),
        },
        LOCAL => LinkTarget::Local {
            path: read_part(r, &dest),
            fragment: (tag & HAS_FRAGMENT != 0).then(|| read_part(r, &dest)),
            rooted: tag & ROOTED != 0,
        },
        OFF_SITE => LinkTarget::OffSite {
            path: read_part(r, &dest),
        },
        _ => LinkTarget::OutsideRoot {
            path: read_part(r, &dest),
        },
    };
    Link {
        kind,
        dest,
        target,
        file,
        line,
        column,
        definition_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(kind: LinkKind, dest: &str, target: LinkTarget, file: &Arc<str>) -> Link {
        Link {
            kind,
            dest: dest.to_string(),
            target,
            file: Arc::clone(file),
            line: 300,
            column: 7,
            definition_line: None,
        }
    }

    /// One link of each kind and each target variant, in two files, with numbers of one
    /// byte and of several.
    fn every_link() -> Vec<Link> {
        let page: Arc<str> = "guide/setup.md".into();
        let include: Arc<str> = "includes/prereq.md".into();
        let kinds = [
            LinkKind::Inline,
            LinkKind::Reference,
            LinkKind::Definition,
            LinkKind::Autolink,
            LinkKind::Image,
            LinkKind::HtmlHref,
            LinkKind::HtmlSrc,
            LinkKind::DirectiveSource,
            LinkKind::DirectiveLightbox,
            LinkKind::TocHref,
            LinkKind::YamlUrl,
        ];
        let targets = [
            LinkTarget::External {
                scheme: "https".into(),
            },
            LinkTarget::External {
                scheme: String::new(),
            },
            LinkTarget::SamePage {
                fragment: "étape-2".into(),
            },
            LinkTarget::Local {
                path: "guide/next.md".into(),
                fragment: Some("x".into()),
                rooted: false,
            },
            LinkTarget::Local {
                path: "media/".into(),
                fragment: None,
                rooted: true,
            },
            LinkTarget::Local {
                path: "a.md".into(),
                fragment: Some(String::new()),
                rooted: true,
            },
            LinkTarget::OffSite {
                path: "/azure/x".into(),
            },
            LinkTarget::OutsideRoot {
                path: "../../x.md".into(),
            },
        ];
        let mut links = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            for (j, target) in targets.iter().enumerate() {
                let file = if (i + j) % 3 == 0 { &include } else { &page };
                let mut l = link(*kind, &format!("dest-{i}-{j}"), target.clone(), file);
                l.line = (i * 1000 + j) as u32;
                l.column = u32::MAX - j as u32;
                l.definition_line = (j % 2 == 0).then_some(j as u32 * 200);
                links.push(l);
            }
        }
        links
    }

    /// Target strings found in the destination (as written, or not: percent-decoded,
    /// lower-cased, normalised) read back the same, and the found ones take no bytes of
    /// their own.
    #[test]
    fn target_strings_taken_from_the_destination_read_back_as_written() {
        let page: Arc<str> = "f054/p065.md".into();
        let local = |path: &str, fragment: Option<&str>| LinkTarget::Local {
            path: path.into(),
            fragment: fragment.map(str::to_string),
            rooted: false,
        };
        let links = vec![
            link(
                LinkKind::Inline,
                "#section-0-pricing",
                LinkTarget::SamePage {
                    fragment: "section-0-pricing".into(),
                },
                &page,
            ),
            link(
                LinkKind::Inline,
                "#%C3%A9tape",
                LinkTarget::SamePage {
                    fragment: "étape".into(),
                },
                &page,
            ),
            link(
                LinkKind::Inline,
                "#étape-2",
                LinkTarget::SamePage {
                    fragment: "étape-2".into(),
                },
                &page,
            ),
            link(
                LinkKind::Inline,
                "../f094/p057.md#intro",
                local("f094/p057.md", Some("intro")),
                &page,
            ),
            link(
                LinkKind::Inline,
                "./a%20b.md",
                local("f054/a b.md", None),
                &page,
            ),
            link(
                LinkKind::Inline,
                "HTTPS://X.example",
                LinkTarget::External {
                    scheme: "https".into(),
                },
                &page,
            ),
            link(
                LinkKind::Autolink,
                "mailto:a@b.example",
                LinkTarget::External {
                    scheme: "mailto".into(),
                },
                &page,
            ),
            link(
                LinkKind::Inline,
                "/azure/x?y#z",
                LinkTarget::OffSite {
                    path: "/azure/x".into(),
                },
                &page,
            ),
            link(
                LinkKind::Inline,
                "#",
                LinkTarget::SamePage {
                    fragment: String::new(),
                },
                &page,
            ),
        ];
        let list = PageLinks::new(&links);
        assert_eq!(list.read().expect("links").to_vec(), links);
        // `#section-0-pricing`: its fragment is 2 bytes (start, length) after the 19 of the
        // destination and the 7 of the kind, file, line (two), column, definition line and
        // tag.
        assert_eq!(
            list.starts.get(1).unwrap() - list.starts.get(0).unwrap(),
            1 + 1 + 2 + 1 + 1 + 19 + 1 + 2
        );
    }

    #[test]
    fn starts_are_four_bytes_each_unless_one_is_past_four_gib() {
        let narrow = Starts::new(vec![0, 17, u32::MAX as usize]);
        assert!(matches!(narrow, Starts::Narrow(_)));
        assert_eq!(
            (narrow.get(2), narrow.heap_bytes()),
            (Some(u32::MAX as usize), 12)
        );
        let far = u32::MAX as usize + 1;
        let wide = Starts::new(vec![0, far]);
        assert!(matches!(wide, Starts::Wide(_)));
        assert_eq!((wide.len(), wide.get(1), wide.get(2)), (2, Some(far), None));
        assert!(Starts::new(Vec::new()).is_empty());
    }

    #[test]
    fn every_link_reads_back_as_written() {
        let links = every_link();
        let list = PageLinks::new(&links);
        assert_eq!(list.len(), links.len());
        assert_eq!(list.read().expect("links").to_vec(), links);
        for (i, l) in links.iter().enumerate() {
            assert_eq!(list.read().expect("links").get(i).as_ref(), Some(l));
        }
        assert_eq!(list.read().expect("links").get(links.len()), None);
        assert_eq!(list.files.len(), 2, "each file is named once");
    }

    #[test]
    fn a_page_of_many_includes_names_each_file_once() {
        // The page's own links between those of 2,000 included files, as a page that
        // includes a file per section has them.
        let page: Arc<str> = "guide/long.md".into();
        let target = LinkTarget::SamePage {
            fragment: "top".into(),
        };
        let links: Vec<Link> = (0..2_000)
            .flat_map(|i| {
                let include: Arc<str> = format!("includes/part-{i}.md").into();
                [
                    link(LinkKind::Inline, "#top", target.clone(), &page),
                    link(LinkKind::Inline, "#top", target.clone(), &include),
                    link(LinkKind::Inline, "#top", target.clone(), &include),
                ]
            })
            .collect();
        let list = PageLinks::new(&links);
        assert_eq!(list.files.len(), 2_001);
        assert_eq!(list.read().expect("links").to_vec(), links);
    }

    #[test]
    fn stowed_links_read_back_as_written_and_equal_the_held_list() {
        let links = every_link();
        let held = PageLinks::new(&links);
        let mut stowed = held.clone();
        let stow = Arc::new(Stow::new(tempfile::tempfile().expect("scratch file")));
        assert!(stowed.stow(&stow));
        assert!(stowed.is_stowed() && !held.is_stowed());
        assert!(!stowed.stow(&stow), "stowed once");
        assert_eq!(stowed.len(), links.len());
        assert_eq!(stowed.heap_bytes(), held.starts.heap_bytes());
        let read = stowed.read().expect("read back");
        assert_eq!(read.to_vec(), links);
        assert_eq!(read.get(1), links.get(1).cloned());
        assert_eq!(stowed, held);
        assert_eq!(format!("{stowed:?}"), format!("{held:?}"));
        assert_eq!(
            serde_json::to_value(&stowed).expect("json"),
            serde_json::to_value(&held).expect("json")
        );
    }

    #[test]
    fn stowed_links_that_cannot_be_read_say_so() {
        let file = tempfile::tempfile().expect("scratch file");
        let stow = Arc::new(Stow::new(file.try_clone().expect("second handle")));
        let mut links = PageLinks::new(&every_link());
        assert!(links.stow(&stow));
        file.set_len(1).expect("truncate");
        assert!(links.read().is_err());
        assert!(format!("{links:?}").contains("unreadable"), "{links:?}");
        assert!(serde_json::to_value(&links).is_err());
    }

    #[test]
    fn an_empty_list_has_no_links() {
        let list = PageLinks::new(&[]);
        assert!(list.is_empty());
        assert_eq!(list.read().expect("links").iter().count(), 0);
        assert_eq!(list.read().expect("links").get(0), None);
        assert_eq!(list, PageLinks::default());
    }

    #[test]
    fn serialises_as_the_list_of_its_links() {
        let links = every_link();
        assert_eq!(
            serde_json::to_value(PageLinks::new(&links)).expect("json"),
            serde_json::to_value(&links).expect("json")
        );
    }

    #[test]
    fn holds_far_less_than_the_links_it_makes_back() {
        let file: Arc<str> = "guide/setup.md".into();
        let links: Vec<Link> = (0..40)
            .map(|i| {
                link(
                    LinkKind::Inline,
                    &format!("../reference/page-{i}.md#section-{i}"),
                    LinkTarget::Local {
                        path: format!("reference/page-{i}.md"),
                        fragment: Some(format!("section-{i}")),
                        rooted: false,
                    },
                    &file,
                )
            })
            .collect();
        let list = PageLinks::new(&links);
        let as_values = links.len() * std::mem::size_of::<Link>();
        assert!(
            list.heap_bytes() < as_values,
            "{} bytes against {as_values} for the values alone",
            list.heap_bytes()
        );
    }
}
