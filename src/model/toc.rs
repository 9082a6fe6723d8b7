//! Tables of contents (`TOC.yml`, `TOC.md`): each file as written ([`TocFile`], from the
//! parse stage), and the one navigation tree they make together ([`Navigation`], built when
//! the site is assembled). DocFX's rules: an `href` to another TOC file, or to a folder that
//! holds one, puts that file's entries under the entry; `topicHref` is then the page the
//! entry opens.

use super::link::{Link, LinkTarget};
use super::Site;
use std::collections::HashMap;

/// A table-of-contents file as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TocFile {
    /// Content-relative path.
    pub path: String,
    /// Top-level entries.
    pub entries: Vec<TocEntry>,
}

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    /// `name` (or `displayName`); empty when the entry has neither.
    pub name: String,
    /// 1-based line of the entry.
    pub line: u32,
    /// `href`: a page, a folder, another TOC file, or an external URL.
    pub href: Option<Link>,
    /// `topicHref`: the page the entry opens when `href` is a TOC file or folder.
    pub topic_href: Option<Link>,
    /// `expanded: true`: shown open.
    pub expanded: bool,
    /// Nested entries.
    pub items: Vec<TocEntry>,
}

/// True for a file name DocFX reads as a table of contents (`TOC.yml`, `toc.yaml`,
/// `TOC.md`, any letter case).
pub fn is_toc_name(name: &str) -> bool {
    ["toc.yml", "toc.yaml", "toc.md"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// True for a content path whose file name is a table of contents.
pub fn is_toc_path(path: &str) -> bool {
    is_toc_name(path.rsplit('/').next().unwrap_or(path))
}

/// The site's navigation from its tables of contents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    /// Top-level entries: the root TOC's, then one per TOC file no other TOC reaches.
    pub entries: Vec<NavEntry>,
    /// TOC references that would include a file into itself.
    pub cycles: Vec<TocCycle>,
}

/// One entry of the navigation tree.
#[derive(Debug, Clone, PartialEq)]
pub struct NavEntry {
    /// The label as written (empty: use the page's own label).
    pub name: String,
    /// The link the entry opens, if any.
    pub link: Option<Link>,
    /// The page the link resolves to.
    pub page: Option<usize>,
    /// Shown open.
    pub expanded: bool,
    /// Nested entries.
    pub children: Vec<NavEntry>,
}

/// A TOC reference that closes a cycle (`a/TOC.yml` → `b/TOC.yml` → `a/TOC.yml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocCycle {
    /// The file the reference is written in.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The chain of TOC files, ending with the one included again (or, when
    /// `too_deep`, the one that would nest past [`MAX_TOC_NESTING`]).
    pub chain: Vec<String>,
    /// Not a cycle: the chain is longer than [`MAX_TOC_NESTING`].
    pub too_deep: bool,
}

/// How many TOC files may nest inside one another (a real docset nests two or three).
pub const MAX_TOC_NESTING: usize = 32;

/// How an entry's `href` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocHref {
    /// Another TOC file (by content path), named directly or as its folder.
    Toc(String),
    /// A TOC file that does not exist (the path as resolved).
    MissingToc(String),
    /// Anything else: a page, an asset, an external URL.
    Link,
}

impl Navigation {
    /// Builds the navigation of `site` from its TOC files (sorted by path); `None` when the
    /// site has none, so the folder navigation applies.
    pub fn build(tocs: &[TocFile], site: &Site) -> Option<Navigation> {
        if tocs.is_empty() {
            return None;
        }
        let by_path: HashMap<&str, usize> = (tocs.iter().enumerate())
            .map(|(i, t)| (t.path.as_str(), i))
            .collect();
        let mut builder = Builder {
            tocs,
            by_path: &by_path,
            site,
            reached: vec![false; tocs.len()],
            stack: Vec::new(),
            cycles: Vec::new(),
        };
        let mut entries = Vec::new();
        if let Some(root) = root_toc(tocs) {
            entries = builder.expand(root);
        }
        for (i, toc) in tocs.iter().enumerate() {
            if !builder.reached[i] {
                let children = builder.expand(i);
                let folder = toc.path.rsplit_once('/').map_or("", |(f, _)| f);
                let index = match site.lookup(&format!("{folder}/")) {
                    Some((_, super::site::FileRef::Page(i))) => Some(i),
                    _ => None,
                };
                entries.push(NavEntry {
                    name: folder
                        .rsplit('/')
                        .next()
                        .unwrap_or(folder)
                        .replace(['-', '_'], " "),
                    link: None,
                    page: index,
                    expanded: false,
                    children,
                });
            }
        }
        Some(Navigation {
            entries,
            cycles: builder.cycles,
        })
    }

    /// Visits every entry, parents before children, without recursion.
    pub fn walk(&self, mut visit: impl FnMut(&NavEntry)) {
        let mut todo: Vec<&NavEntry> = self.entries.iter().rev().collect();
        while let Some(entry) = todo.pop() {
            visit(entry);
            todo.extend(entry.children.iter().rev());
        }
    }
}

/// The root TOC file: `TOC.yml` at the top of the content folder, else `TOC.md`.
fn root_toc(tocs: &[TocFile]) -> Option<usize> {
    let at_root = |ext: &[&str]| {
        tocs.iter().position(|t| {
            !t.path.contains('/')
                && ext
                    .iter()
                    .any(|e| t.path.eq_ignore_ascii_case(&format!("toc.{e}")))
        })
    };
    at_root(&["yml", "yaml"]).or_else(|| at_root(&["md"]))
}

/// Reads an entry's `href`: a TOC file, a folder holding one, or a plain link.
pub fn toc_href(link: &Link, tocs: &HashMap<&str, usize>, files: &[TocFile]) -> TocHref {
    let LinkTarget::Local { path, .. } = &link.target else {
        return TocHref::Link;
    };
    if is_toc_path(path) {
        return match tocs.get(path.as_str()) {
            Some(&i) => TocHref::Toc(files[i].path.clone()),
            None => TocHref::MissingToc(path.clone()),
        };
    }
    if path.ends_with('/') || path.is_empty() {
        let in_folder = |ext: &str| {
            files
                .iter()
                .find(|t| {
                    t.path.len() == path.len() + 7
                        && t.path.starts_with(path.as_str())
                        && t.path[path.len()..].eq_ignore_ascii_case(&format!("toc.{ext}"))
                })
                .map(|t| t.path.clone())
        };
        if let Some(found) = in_folder("yml").or_else(|| in_folder("md")) {
            return TocHref::Toc(found);
        }
    }
    TocHref::Link
}

struct Builder<'a> {
    tocs: &'a [TocFile],
    by_path: &'a HashMap<&'a str, usize>,
    site: &'a Site,
    reached: Vec<bool>,
    /// TOC files being expanded, outermost first.
    stack: Vec<usize>,
    cycles: Vec<TocCycle>,
}

impl Builder<'_> {
    /// The entries of TOC file `toc`, with the TOC files it references expanded.
    fn expand(&mut self, toc: usize) -> Vec<NavEntry> {
        self.reached[toc] = true;
        self.stack.push(toc);
        let tocs = self.tocs;
        let entries = self.entries(&tocs[toc].entries);
        self.stack.pop();
        entries
    }

    fn entries(&mut self, written: &[TocEntry]) -> Vec<NavEntry> {
        written.iter().map(|e| self.entry(e)).collect()
    }

    fn entry(&mut self, written: &TocEntry) -> NavEntry {
        let mut link = written.topic_href.clone();
        let mut children = Vec::new();
        if let Some(href) = &written.href {
            match toc_href(href, self.by_path, self.tocs) {
                TocHref::Toc(path) => {
                    let target = self.by_path[path.as_str()];
                    let again = self.stack.iter().position(|&t| t == target);
                    let too_deep = self.stack.len() >= MAX_TOC_NESTING;
                    if again.is_some() || too_deep {
                        let mut chain: Vec<String> = (self.stack[again.unwrap_or(0)..].iter())
                            .map(|&t| self.tocs[t].path.clone())
                            .collect();
                        chain.push(path);
                        self.cycles.push(TocCycle {
                            file: href.file.to_string(),
                            line: href.line,
                            column: href.column,
                            chain,
                            too_deep: again.is_none(),
                        });
                    } else {
                        children = self.expand(target);
                    }
                }
                TocHref::MissingToc(_) => {}
                TocHref::Link => link = Some(href.clone()),
            }
        }
        children.extend(self.entries(&written.items));
        let page = link.as_ref().and_then(|l| match self.site.resolve(l) {
            super::Resolution::Page { page, .. } => Some(page),
            _ => None,
        });
        NavEntry {
            name: written.name.clone(),
            link,
            page,
            expanded: written.expanded,
            children,
        }
    }
}
