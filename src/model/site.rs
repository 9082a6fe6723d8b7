//! The assembled site and the lookups every stage shares: which file a path names
//! (with folder and extension-less fallbacks) and how a link resolves.

use super::link::{Link, LinkTarget};
use super::Page;
use crate::settings::Config;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// A non-Markdown file copied verbatim.
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    /// Content-relative path.
    pub path: String,
    /// URL including the base path.
    pub url: String,
}

/// What a content-relative path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRef {
    /// Index into `Site::pages`.
    Page(usize),
    /// Index into `Site::assets`.
    Asset(usize),
    /// A Markdown fragment (in `includes/` or excluded): exists, but is not a page.
    Fragment,
    /// A Markdown page that exists but could not be built (invalid front matter or UTF-8);
    /// its own diagnostic says why.
    Unbuilt,
}

/// How a link resolves against the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Resolution {
    /// A URL with a scheme; not checked offline.
    External,
    /// Matched an `ignore` pattern of the link policy.
    Ignored,
    /// An anchor in the linking page.
    SamePage {
        /// Fragment.
        fragment: String,
    },
    /// A page of the site.
    Page {
        /// Index into `Site::pages`.
        page: usize,
        /// Fragment, if any.
        fragment: Option<String>,
    },
    /// An asset of the site.
    Asset {
        /// Index into `Site::assets`.
        asset: usize,
    },
    /// A Markdown fragment that is not published as a page.
    Fragment {
        /// Its path.
        path: String,
    },
    /// A page that exists but could not be built: the link is not at fault, and its
    /// fragment cannot be checked.
    Unbuilt {
        /// Its path.
        path: String,
    },
    /// Not in the content folder, but the link policy maps it to another doc set.
    Mapped {
        /// The external URL the link is rewritten to.
        url: String,
    },
    /// A root-relative path outside the base path: another doc set on this host.
    OffSite,
    /// `..` escaped the content folder.
    OutsideRoot {
        /// The escaping path.
        path: String,
    },
    /// Nothing at that path.
    Missing {
        /// The path looked up.
        path: String,
        /// An existing file whose path differs only in letter case.
        case_mismatch: Option<String>,
    },
}

impl Resolution {
    /// The `status` name it is serialised with (`page`, `same-page`, `missing` …).
    pub fn status(&self) -> &'static str {
        match self {
            Resolution::External => "external",
            Resolution::Ignored => "ignored",
            Resolution::SamePage { .. } => "same-page",
            Resolution::Page { .. } => "page",
            Resolution::Asset { .. } => "asset",
            Resolution::Fragment { .. } => "fragment",
            Resolution::Unbuilt { .. } => "unbuilt",
            Resolution::Mapped { .. } => "mapped",
            Resolution::OffSite => "off-site",
            Resolution::OutsideRoot { .. } => "outside-root",
            Resolution::Missing { .. } => "missing",
        }
    }
}

/// A path that climbs out of the content folder with `.` segments and `dir/..` pairs
/// removed, so only its leading `..` segments remain: `guide/../../a/./b.md` → `../a/b.md`.
pub fn climbed(joined: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." if out.last().is_some_and(|s| *s != "..") => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// The decoded fragment of a link as written, if it has one.
fn link_fragment(dest: &str) -> Option<String> {
    dest.split_once('#')
        .map(|(_, f)| super::link::decode(f))
        .filter(|f| !f.is_empty())
}

/// The whole site: configuration, pages and assets, with path indices.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// Validated configuration.
    pub config: Config,
    /// Pages sorted by path.
    pub pages: Vec<Page>,
    /// Assets sorted by path.
    pub assets: Vec<Asset>,
    /// Markdown files that are not pages (include fragments, excluded files).
    pub fragments: Vec<String>,
    /// Markdown pages that exist but could not be built (see their diagnostics).
    pub unbuilt: Vec<String>,
    /// Mapping sets, API changes and FAQ pages (filled by the migration stage after parse).
    pub migration: super::Migration,
    /// Tables of contents as written, sorted by path.
    #[serde(skip)]
    pub tocs: Vec<super::toc::TocFile>,
    /// The navigation the tables of contents make (`None`: the site has none, and the
    /// navigation follows its folders).
    #[serde(skip)]
    pub navigation: Option<super::toc::Navigation>,
    #[serde(skip)]
    files: HashMap<String, FileRef>,
    #[serde(skip)]
    lower: HashMap<String, String>,
}

/// The files a folder link names, in order: a docset's home page is its `index.yml` Hub.
const INDEX_NAMES: [&str; 4] = ["index.md", "_index.md", "README.md", "index.yml"];

impl Site {
    /// Assembles a site and builds its path indices. `pages` and `assets` are sorted by path.
    pub fn new(
        config: Config,
        mut pages: Vec<Page>,
        mut assets: Vec<Asset>,
        mut fragments: Vec<String>,
    ) -> Site {
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        assets.sort_by(|a, b| a.path.cmp(&b.path));
        fragments.sort();
        let mut files = HashMap::default();
        for (i, p) in pages.iter().enumerate() {
            files.insert(p.path.clone(), FileRef::Page(i));
        }
        for (i, a) in assets.iter().enumerate() {
            files.insert(a.path.clone(), FileRef::Asset(i));
        }
        for f in &fragments {
            files.insert(f.clone(), FileRef::Fragment);
        }
        let lower = files
            .keys()
            .map(|k| (k.to_lowercase(), k.clone()))
            .collect();
        Site {
            config,
            pages,
            assets,
            fragments,
            unbuilt: Vec::new(),
            migration: super::Migration::default(),
            tocs: Vec::new(),
            navigation: None,
            files,
            lower,
        }
    }

    /// Records Markdown pages that exist but could not be built, so links to them are not
    /// reported as broken (the page's own diagnostic already explains the problem).
    pub fn add_unbuilt(&mut self, paths: impl IntoIterator<Item = String>) {
        for path in paths {
            if self.files.contains_key(&path) {
                continue;
            }
            self.files.insert(path.clone(), FileRef::Unbuilt);
            self.lower.insert(path.to_lowercase(), path.clone());
            self.unbuilt.push(path);
        }
        self.unbuilt.sort();
    }

    /// Sets the tables of contents (sorted by path here) and builds the navigation from them.
    pub fn set_tocs(&mut self, mut tocs: Vec<super::toc::TocFile>) {
        tocs.sort_by(|a, b| a.path.cmp(&b.path));
        self.navigation = super::toc::Navigation::build(&tocs, self);
        self.tocs = tocs;
    }

    /// The page with this source path.
    pub fn page_by_path(&self, path: &str) -> Option<usize> {
        match self.files.get(path) {
            Some(FileRef::Page(i)) => Some(*i),
            _ => None,
        }
    }

    /// Looks a content-relative path up, trying in order: the exact file, the folder's
    /// `index.md`/`_index.md`/`README.md`/`index.yml`, then `path.md`. Returns the matched path too.
    pub fn lookup(&self, path: &str) -> Option<(String, FileRef)> {
        self.find(path).map(|(p, f)| (p.to_string(), f))
    }

    /// [`Site::lookup`] without allocating for the common case, an exact match: the matched
    /// path is borrowed from the site's index.
    fn find(&self, path: &str) -> Option<(&str, FileRef)> {
        if let Some((p, f)) = self
            .files
            .get_key_value(path)
            .filter(|_| !path.ends_with('/'))
        {
            return Some((p.as_str(), *f));
        }
        // A folder's page wins over a file of the same folder that is not one (a docset's
        // excluded `README.md` beside its `index.yml`).
        let mut other = None;
        for candidate in candidates(path) {
            if let Some((p, f)) = self.files.get_key_value(&candidate) {
                if matches!(f, FileRef::Page(_)) {
                    return Some((p.as_str(), *f));
                }
                other = other.or(Some((p.as_str(), *f)));
            }
        }
        other
    }

    /// Like [`Site::lookup`], ignoring letter case: the existing path that differs only in case.
    pub fn lookup_ignoring_case(&self, path: &str) -> Option<String> {
        candidates(path).find_map(|c| self.lower.get(&c.to_lowercase()).cloned())
    }

    /// Resolves a link written in page `from` against the site.
    pub fn resolve(&self, link: &Link) -> Resolution {
        if self.config.links.is_ignored(&link.dest) {
            return Resolution::Ignored;
        }
        match &link.target {
            LinkTarget::External { .. } => Resolution::External,
            LinkTarget::SamePage { fragment } => Resolution::SamePage {
                fragment: fragment.clone(),
            },
            LinkTarget::OffSite { .. } => Resolution::OffSite,
            LinkTarget::OutsideRoot { path } => {
                // Only a rule whose pattern climbs out too (`../**`) claims such a link: a
                // pattern like `*.md` never matches a `..` segment.
                match self.config.links.map_external(&climbed(path)) {
                    Some(url) => Resolution::Mapped {
                        url: with_fragment(url, link_fragment(&link.dest).as_deref()),
                    },
                    None => Resolution::OutsideRoot { path: path.clone() },
                }
            }
            LinkTarget::Local { path, fragment, .. } => match self.find(path) {
                Some((_, FileRef::Page(page))) => Resolution::Page {
                    page,
                    fragment: fragment.clone(),
                },
                Some((_, FileRef::Asset(asset))) => Resolution::Asset { asset },
                Some((found, FileRef::Fragment)) => Resolution::Fragment {
                    path: found.to_string(),
                },
                Some((found, FileRef::Unbuilt)) => Resolution::Unbuilt {
                    path: found.to_string(),
                },
                None => match self.config.links.map_external(path) {
                    Some(url) => Resolution::Mapped {
                        url: with_fragment(url, fragment.as_deref()),
                    },
                    None => Resolution::Missing {
                        path: path.clone(),
                        case_mismatch: self.lookup_ignoring_case(path),
                    },
                },
            },
        }
    }

    /// The URL a link is rendered with: site URLs for pages (query and fragment kept) and
    /// assets, the mapped URL for policy matches, the link as written otherwise.
    pub fn href(&self, link: &Link) -> String {
        match self.resolve(link) {
            Resolution::Page { page, fragment } => {
                // The query stays, as in DocFX: `?tabs=` selects a tab on the target page.
                let mut url = self.pages[page].url.clone();
                if let Some(q) = super::link::query(&link.dest).filter(|q| !q.is_empty()) {
                    url.push('?');
                    url.push_str(q);
                }
                with_fragment(url, fragment.as_deref())
            }
            Resolution::Asset { asset } => self.assets[asset].url.clone(),
            Resolution::Mapped { url } => url,
            Resolution::SamePage { fragment } if fragment.is_empty() => {
                match super::link::query(&link.dest).filter(|q| !q.is_empty()) {
                    Some(q) => format!("?{q}"),
                    None => "#".to_string(),
                }
            }
            _ => link.dest.clone(),
        }
    }
}

impl Site {
    /// The page whose URL is `url` (a site URL path with the base path, `/guide/setup/`).
    pub fn page_by_url(&self, url: &str) -> Option<usize> {
        self.pages.iter().position(|p| p.url == url)
    }
}

fn with_fragment(mut url: String, fragment: Option<&str>) -> String {
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        url.push('#');
        url.push_str(&crate::urls::encode_fragment(f));
    }
    url
}

fn candidates(path: &str) -> impl Iterator<Item = String> + '_ {
    let folder = if path.is_empty() || path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let exact = (!path.is_empty() && !path.ends_with('/')).then(|| path.to_string());
    let with_md = (!path.is_empty() && !path.ends_with('/') && !path.ends_with(".md"))
        .then(|| format!("{path}.md"));
    exact
        .into_iter()
        .chain(INDEX_NAMES.iter().map(move |n| format!("{folder}{n}")))
        .chain(with_md)
}

#[cfg(test)]
mod status_tests {
    use super::Resolution;

    /// `status()` names each resolution as its serialised `status` field does (the
    /// `site.json` summary counts links by that name).
    #[test]
    fn status_matches_the_serialised_tag() {
        let all = [
            Resolution::External,
            Resolution::Ignored,
            Resolution::SamePage {
                fragment: "a".into(),
            },
            Resolution::Page {
                page: 0,
                fragment: None,
            },
            Resolution::Asset { asset: 0 },
            Resolution::Fragment { path: "a".into() },
            Resolution::Unbuilt { path: "a".into() },
            Resolution::Mapped { url: "a".into() },
            Resolution::OffSite,
            Resolution::OutsideRoot { path: "a".into() },
            Resolution::Missing {
                path: "a".into(),
                case_mismatch: None,
            },
        ];
        for r in all {
            let json = serde_json::to_value(&r).expect("serialises");
            assert_eq!(json["status"], r.status(), "{r:?}");
        }
    }
}
