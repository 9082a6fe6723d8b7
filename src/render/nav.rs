//! The navigation tree, built from the folder structure: folders become sections (their
//! index page gives title and link), ordered by `weight`, then title.

use crate::model::{Page, Site};
use serde::Serialize;
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Above this many pages, each page's navigation lists only the sections on the path to it
/// (with their siblings), so page size does not grow with the site.
const FULL_TREE_LIMIT: usize = 400;

/// One entry of the navigation tree, as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Label.
    pub title: String,
    /// Link target (a section without an index page links to its first page).
    pub url: String,
    /// This is the current page.
    pub active: bool,
    /// This section is on the path to the current page.
    pub open: bool,
    /// Child entries.
    pub children: Vec<NavItem>,
    #[serde(skip)]
    page: Option<usize>,
    #[serde(skip)]
    folder: String,
    /// Hash of what the item shows when collapsed (title, link, folder).
    #[serde(skip)]
    shallow: u64,
    /// Hash of the item with its whole subtree expanded.
    #[serde(skip)]
    deep: u64,
}

/// The label of a page in navigation and breadcrumbs: `nav_title`, else the first H1, else `title`.
pub fn page_label(page: &Page) -> String {
    crate::model::front_matter_text(&page.front_matter, "nav_title")
        .or_else(|| {
            page.headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone())
        })
        .unwrap_or_else(|| page.title.clone())
}

#[derive(Default)]
struct Folder {
    index: Option<usize>,
    pages: Vec<usize>,
    folders: BTreeMap<String, Folder>,
}

/// The site's navigation, built once per build.
#[derive(Debug, Clone)]
pub struct Nav {
    root: Vec<NavItem>,
    full: bool,
}

fn sort_key(site: &Site, item: &NavItem) -> (i64, String, String) {
    let weight = item
        .page
        .and_then(|p| site.pages[p].weight)
        .unwrap_or(i64::MAX / 2);
    (weight, item.title.to_lowercase(), item.url.clone())
}

fn build_items(site: &Site, folder: &Folder, path: &str) -> Vec<NavItem> {
    let mut items: Vec<NavItem> = folder
        .pages
        .iter()
        .map(|&p| NavItem {
            title: page_label(&site.pages[p]),
            url: site.pages[p].url.clone(),
            active: false,
            open: false,
            children: Vec::new(),
            page: Some(p),
            folder: String::new(),
            shallow: 0,
            deep: 0,
        })
        .collect();
    for (name, sub) in &folder.folders {
        let sub_path = format!("{path}{name}/");
        let children = build_items(site, sub, &sub_path);
        if children.is_empty() && sub.index.is_none() {
            continue;
        }
        let (title, url) = match sub.index {
            Some(i) => (page_label(&site.pages[i]), site.pages[i].url.clone()),
            None => (
                name.replace(['-', '_'], " "),
                children.first().map(|c| c.url.clone()).unwrap_or_default(),
            ),
        };
        items.push(NavItem {
            title,
            url,
            active: false,
            open: false,
            children,
            page: sub.index,
            folder: sub_path,
            shallow: 0,
            deep: 0,
        });
    }
    items.sort_by_cached_key(|i| sort_key(site, i));
    items
}

impl Nav {
    /// Builds the tree of every page.
    pub fn new(site: &Site) -> Nav {
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
        let mut items = build_items(site, &root, "");
        if let Some(home) = root.index {
            items.insert(
                0,
                NavItem {
                    title: page_label(&site.pages[home]),
                    url: site.pages[home].url.clone(),
                    active: false,
                    open: false,
                    children: Vec::new(),
                    page: Some(home),
                    folder: String::new(),
                    shallow: 0,
                    deep: 0,
                },
            );
        }
        hash_items(&mut items);
        Nav {
            root: items,
            full: site.pages.len() <= FULL_TREE_LIMIT,
        }
    }

    /// The tree as seen from page `current` (or from no page, for 404): the current page is
    /// active and its ancestors open.
    pub fn for_page(&self, current: Option<usize>, current_path: &str) -> Vec<NavItem> {
        fn mark(items: &[NavItem], current: Option<usize>, path: &str, full: bool) -> Vec<NavItem> {
            items
                .iter()
                .map(|item| {
                    let active = current.is_some() && item.page == current;
                    let open = !item.folder.is_empty() && path.starts_with(&item.folder);
                    let children = if full || open || active {
                        mark(&item.children, current, path, full)
                    } else {
                        Vec::new()
                    };
                    NavItem {
                        active,
                        open,
                        children,
                        ..item.clone_shallow()
                    }
                })
                .collect()
        }
        mark(&self.root, current, current_path, self.full)
    }
}

impl NavItem {
    fn clone_shallow(&self) -> NavItem {
        NavItem {
            title: self.title.clone(),
            url: self.url.clone(),
            active: self.active,
            open: self.open,
            children: Vec::new(),
            page: self.page,
            folder: self.folder.clone(),
            shallow: self.shallow,
            deep: self.deep,
        }
    }
}

/// Fills in the `shallow` and `deep` hashes of every item, children first.
fn hash_items(items: &mut [NavItem]) {
    for item in items {
        hash_items(&mut item.children);
        let mut h = DefaultHasher::new();
        (&item.title, &item.url, &item.folder, item.page.is_some()).hash(&mut h);
        item.shallow = h.finish();
        item.children.len().hash(&mut h);
        for child in &item.children {
            child.deep.hash(&mut h);
        }
        item.deep = h.finish();
    }
}

impl Nav {
    /// A fingerprint of what [`Nav::for_page`] returns for this page: equal fingerprints mean
    /// equal navigation HTML, so the incremental build re-renders a page only when the part
    /// of the navigation it shows changed. Costs a scan of the sibling lists on the path to
    /// the page, without building the tree.
    pub fn key_for(&self, current: Option<usize>, current_path: &str) -> u64 {
        fn key(
            items: &[NavItem],
            current: Option<usize>,
            path: &str,
            full: bool,
            h: &mut DefaultHasher,
        ) {
            items.len().hash(h);
            for item in items {
                if full { item.deep } else { item.shallow }.hash(h);
            }
            for (i, item) in items.iter().enumerate() {
                let active = current.is_some() && item.page == current;
                let open = !item.folder.is_empty() && path.starts_with(&item.folder);
                if active || open {
                    (i, active, open).hash(h);
                    key(&item.children, current, path, full, h);
                }
            }
        }
        let mut h = DefaultHasher::new();
        self.full.hash(&mut h);
        key(&self.root, current, current_path, self.full, &mut h);
        h.finish()
    }
}

/// Breadcrumbs of a page: the index pages of its ancestor folders, home first.
pub fn breadcrumbs(site: &Site, page: &Page) -> Vec<(String, String)> {
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
