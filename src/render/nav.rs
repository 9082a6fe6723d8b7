//! The site's navigation: from its tables of contents when it has them (see
//! [`crate::model::toc`]), else from its folders (folders become sections, their index page
//! gives title and link, ordered by `weight`, then title).
//!
//! The tree is not written into every page: that would make each page as large as the
//! site. It is one shared script per site (`static/nav-<hash>.js`, named by its contents so
//! it is never stale and can be cached for good) that the page's script turns into the
//! sidebar. A page itself carries what it needs without JavaScript: its breadcrumb, its own
//! "On this page" and a link to its parent.

use crate::model::toc::NavEntry;
use crate::model::{Page, Site};
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

/// One entry of the navigation tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    /// Label.
    pub title: String,
    /// Link target; empty for an entry that only groups others.
    pub url: String,
    /// The page the entry links to.
    pub page: Option<usize>,
    /// Shown open whatever the current page.
    pub expanded: bool,
    /// Child entries.
    pub children: Vec<NavItem>,
}

/// The label of a page in navigation and breadcrumbs: `nav_title`, else the first H1, else `title`.
pub fn page_label(page: &Page) -> String {
    page.front_matter
        .text("nav_title")
        .or_else(|| {
            (page.headings().iter())
                .find(|h| h.level == 1)
                .map(|h| h.text.to_string())
        })
        .unwrap_or_else(|| page.title.clone())
}

/// A link of a breadcrumb trail: label and URL.
pub type Crumb = (String, String);

/// The site's navigation, built once per build.
#[derive(Debug, Clone)]
pub struct Nav {
    items: Vec<NavItem>,
    /// Output path of the shared script (`static/nav-<hash>.js`).
    script_path: String,
    /// Its URL, with the base path.
    script_url: String,
    /// Its contents.
    script: String,
    /// For a site with tables of contents, each listed page's trail: the entries above its
    /// first place in the tree (pages not listed have none).
    trails: Option<HashMap<usize, Vec<Crumb>>>,
    /// The pages in reading order (the tree depth first, each page at its first place) with
    /// their labels and URLs: what "Previous" and "Next" follow.
    sequence: Vec<(usize, Crumb)>,
    /// Position of each page in `sequence`.
    positions: HashMap<usize, usize>,
}

impl Nav {
    /// Builds the navigation of `site`. The shared script is named by a hash of its
    /// contents, or `static/nav.js` when `fixed_name` (for a server that never lets
    /// browsers cache it).
    pub fn new(site: &Site, fixed_name: bool) -> Nav {
        let (items, trails) = match &site.navigation {
            Some(navigation) => {
                let items = from_toc(site, &navigation.entries);
                let trails = toc_trails(&items);
                (items, Some(trails))
            }
            None => (from_folders(site), None),
        };
        let script = script(&items);
        let hash = crate::output::fnv(crate::output::FNV_OFFSET, script.as_bytes());
        let script_path = if fixed_name {
            "static/nav.js".to_string()
        } else {
            format!("static/nav-{hash:016x}.js")
        };
        let script_url = format!("{}{script_path}", site.config.base_path);
        let mut sequence = Vec::new();
        let mut positions = HashMap::new();
        let mut stack: Vec<&NavItem> = items.iter().rev().collect();
        while let Some(item) = stack.pop() {
            if let Some(page) = item.page.filter(|_| !item.url.is_empty()) {
                if let std::collections::hash_map::Entry::Vacant(slot) = positions.entry(page) {
                    slot.insert(sequence.len());
                    sequence.push((page, (item.title.clone(), item.url.clone())));
                }
            }
            stack.extend(item.children.iter().rev());
        }
        Nav {
            items,
            script_path,
            script_url,
            script,
            trails,
            sequence,
            positions,
        }
    }

    /// The pages before and after page `index` in reading order (the navigation tree, depth
    /// first): label and URL of each, `None` at either end or for a page not in the tree.
    pub fn neighbours(&self, index: usize) -> (Option<Crumb>, Option<Crumb>) {
        let Some(&at) = self.positions.get(&index) else {
            return (None, None);
        };
        let crumb = |i: usize| self.sequence.get(i).map(|(_, c)| c.clone());
        (at.checked_sub(1).and_then(crumb), crumb(at + 1))
    }

    /// The tree.
    pub fn items(&self) -> &[NavItem] {
        &self.items
    }

    /// The shared script: its output path and contents.
    pub fn script_file(&self) -> (&str, &str) {
        (&self.script_path, &self.script)
    }

    /// The URL pages load the shared script from.
    pub fn script_url(&self) -> &str {
        &self.script_url
    }

    /// The breadcrumb trail of page `index`, home first: the entries above it in the table
    /// of contents, else the index pages of its folders.
    pub fn breadcrumbs(&self, site: &Site, index: usize) -> Vec<Crumb> {
        let page = &site.pages[index];
        let Some(trails) = &self.trails else {
            return folder_breadcrumbs(site, page);
        };
        let mut crumbs = trails.get(&index).cloned().unwrap_or_default();
        // The docset's home page heads every trail, as on Learn.
        if let Some(home) = home_page(site).filter(|&home| home != index) {
            let url = &site.pages[home].url;
            if crumbs.first().is_none_or(|(_, first)| first != url) {
                crumbs.insert(0, (page_label(&site.pages[home]), url.clone()));
            }
        }
        crumbs
    }

    /// A fingerprint of what the navigation puts into page `current` (`None`: the 404
    /// page): equal fingerprints mean equal HTML around the page's own content, so the
    /// incremental build re-renders a page only when it changed.
    pub fn key_for(&self, site: &Site, current: Option<usize>) -> u64 {
        let mut h = DefaultHasher::new();
        self.script_url.hash(&mut h);
        if let Some(i) = current {
            self.breadcrumbs(site, i).hash(&mut h);
            self.neighbours(i).hash(&mut h);
        }
        h.finish()
    }
}

/// The site's home page: the index page of the content root.
pub fn home_page(site: &Site) -> Option<usize> {
    match site.lookup("") {
        Some((_, crate::model::site::FileRef::Page(i))) => Some(i),
        _ => None,
    }
}

/// The navigation tree from the tables of contents.
fn from_toc(site: &Site, entries: &[NavEntry]) -> Vec<NavItem> {
    entries
        .iter()
        .map(|entry| {
            let url = match (&entry.link, entry.page) {
                (Some(link), _) if crate::urls::script_scheme(&link.dest).is_some() => {
                    String::new()
                }
                (Some(link), _) => site.href(link),
                (None, Some(page)) => site.pages[page].url.clone(),
                (None, None) => String::new(),
            };
            let title = if !entry.name.is_empty() {
                entry.name.clone()
            } else if let Some(page) = entry.page {
                page_label(&site.pages[page])
            } else {
                entry
                    .link
                    .as_ref()
                    .map_or_else(String::new, |l| l.dest.clone())
            };
            NavItem {
                title,
                url,
                page: entry.page,
                expanded: entry.expanded,
                children: from_toc(site, &entry.children),
            }
        })
        .collect()
}

/// Each page's trail in a TOC tree: the linked entries above its first place.
fn toc_trails(items: &[NavItem]) -> HashMap<usize, Vec<Crumb>> {
    fn walk(items: &[NavItem], above: &mut Vec<Crumb>, out: &mut HashMap<usize, Vec<Crumb>>) {
        for item in items {
            if let Some(page) = item.page {
                out.entry(page).or_insert_with(|| above.clone());
            }
            if !item.children.is_empty() {
                let linked = !item.url.is_empty();
                if linked {
                    above.push((item.title.clone(), item.url.clone()));
                }
                walk(&item.children, above, out);
                if linked {
                    above.pop();
                }
            }
        }
    }
    let mut out = HashMap::new();
    walk(items, &mut Vec::new(), &mut out);
    out
}

/// The shared script: `window.docshiftNav = [...]`, each entry `[title, url]`, with its
/// children as a third element and a fourth `1` when it is shown expanded.
fn script(items: &[NavItem]) -> String {
    fn push_items(items: &[NavItem], out: &mut String) {
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            push_str(&item.title, out);
            out.push(',');
            push_str(&item.url, out);
            if !item.children.is_empty() || item.expanded {
                out.push(',');
                push_items(&item.children, out);
            }
            if item.expanded {
                out.push_str(",1");
            }
            out.push(']');
        }
        out.push(']');
    }
    fn push_str(s: &str, out: &mut String) {
        out.push_str(&serde_json::to_string(s).expect("a string always serialises"));
    }
    let mut out = String::from("window.docshiftNav=");
    push_items(items, &mut out);
    out.push_str(";\n");
    out
}

#[derive(Default)]
struct Folder {
    index: Option<usize>,
    pages: Vec<usize>,
    folders: BTreeMap<String, Folder>,
}

fn sort_key(site: &Site, item: &NavItem) -> (i64, String, String) {
    let weight = item
        .page
        .and_then(|p| site.pages[p].weight)
        .unwrap_or(i64::MAX / 2);
    (weight, item.title.to_lowercase(), item.url.clone())
}

fn page_item(site: &Site, page: usize, children: Vec<NavItem>) -> NavItem {
    NavItem {
        title: page_label(&site.pages[page]),
        url: site.pages[page].url.clone(),
        page: Some(page),
        expanded: false,
        children,
    }
}

fn folder_items(site: &Site, folder: &Folder) -> Vec<NavItem> {
    let mut items: Vec<NavItem> = (folder.pages.iter())
        .map(|&p| page_item(site, p, Vec::new()))
        .collect();
    for (name, sub) in &folder.folders {
        let children = folder_items(site, sub);
        if children.is_empty() && sub.index.is_none() {
            continue;
        }
        items.push(match sub.index {
            Some(i) => page_item(site, i, children),
            None => NavItem {
                title: name.replace(['-', '_'], " "),
                url: children.first().map(|c| c.url.clone()).unwrap_or_default(),
                page: None,
                expanded: false,
                children,
            },
        });
    }
    items.sort_by_cached_key(|i| sort_key(site, i));
    items
}

/// The navigation tree of every page from the folders: the home page first.
fn from_folders(site: &Site) -> Vec<NavItem> {
    let mut root = Folder::default();
    for (i, page) in site.pages.iter().enumerate() {
        let mut parts: Vec<&str> = page.path.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        let mut folder = &mut root;
        for part in parts {
            folder = folder.folders.entry(part.to_string()).or_default();
        }
        if crate::urls::is_index_name(name) && folder.index.is_none() {
            folder.index = Some(i);
        } else {
            folder.pages.push(i);
        }
    }
    let mut items = folder_items(site, &root);
    if let Some(home) = root.index {
        items.insert(0, page_item(site, home, Vec::new()));
    }
    items
}

/// Breadcrumbs of a page in a site without tables of contents: the index pages of its
/// ancestor folders, home first.
fn folder_breadcrumbs(site: &Site, page: &Page) -> Vec<Crumb> {
    let parts: Vec<&str> = page.path.split('/').collect();
    let folders = parts.len() - 1;
    let is_index = parts.last().is_some_and(|n| crate::urls::is_index_name(n));
    // An index page's own folder is the page itself, not an ancestor.
    let ancestors = if is_index { folders } else { folders + 1 };
    (0..ancestors)
        .filter_map(|depth| {
            let folder: String = parts[..depth].iter().map(|p| format!("{p}/")).collect();
            match site.lookup(&folder) {
                Some((_, crate::model::site::FileRef::Page(i))) => {
                    Some((page_label(&site.pages[i]), site.pages[i].url.clone()))
                }
                _ => None,
            }
        })
        .collect()
}

/// The body of a generated home page: the site's title, and each top-level entry of the
/// navigation with the entries under it, as linked lists.
pub fn home_listing(site: &Site, nav: &Nav) -> String {
    use crate::urls::escape_html;
    fn link(item: &NavItem) -> String {
        if item.url.is_empty() {
            escape_html(&item.title)
        } else {
            format!(
                "<a href=\"{}\">{}</a>",
                escape_html(&item.url),
                escape_html(&item.title)
            )
        }
    }
    let mut html = format!("<h1 id=\"top\">{}</h1>\n", escape_html(&site.config.title));
    html.push_str("<ul class=\"home-sections\">\n");
    for item in nav.items() {
        html.push_str("<li>");
        html.push_str(&link(item));
        if !item.children.is_empty() {
            html.push_str("\n<ul>\n");
            for child in &item.children {
                html.push_str(&format!("<li>{}</li>\n", link(child)));
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
    html
}
