//! Links and their classification by pure string rules (no file-system access).

use serde::Serialize;

/// Where a link was written and in what syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `[text](target)`.
    Inline,
    /// `[text][ref]`, `[text][]`, `[ref]`.
    Reference,
    /// A reference definition `[ref]: target` that no link uses.
    Definition,
    /// `<https://...>` or a bare URL in text.
    Autolink,
    /// `![alt](src)`.
    Image,
    /// Raw HTML `<a href>`.
    HtmlHref,
    /// Raw HTML `<img src>`.
    HtmlSrc,
    /// `:::image source=`.
    DirectiveSource,
    /// `:::image lightbox=`.
    DirectiveLightbox,
    /// `href` or `topicHref` of a table-of-contents entry.
    TocHref,
    /// A `url` of a Learn Hub or Landing YAML page.
    YamlUrl,
}

impl LinkKind {
    /// True when the target is expected to be an image or other asset, not a page.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            LinkKind::Image
                | LinkKind::HtmlSrc
                | LinkKind::DirectiveSource
                | LinkKind::DirectiveLightbox
        )
    }
}

/// A link target classified from its text alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum LinkTarget {
    /// Has a URL scheme (`https:`, `mailto:`, ...) or is protocol-relative (`//host/x`):
    /// not checked offline.
    External {
        /// The scheme, lower-case; empty for a protocol-relative URL.
        scheme: String,
    },
    /// `#fragment` (or an empty fragment) in the same page.
    SamePage {
        /// Percent-decoded fragment.
        fragment: String,
    },
    /// A file in the content folder.
    Local {
        /// Content-relative, normalised, percent-decoded path; a trailing `/` marks a folder.
        path: String,
        /// Percent-decoded fragment.
        fragment: Option<String>,
        /// True when the link was root-relative (`/x` or `~/x`).
        rooted: bool,
    },
    /// A root-relative path outside the configured base path: another doc set on the same host.
    OffSite {
        /// The path as written (query and fragment removed).
        path: String,
    },
    /// `..` escaped the content folder.
    OutsideRoot {
        /// The normalised path that escaped.
        path: String,
    },
}

/// A link or image reference found in a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Syntax.
    pub kind: LinkKind,
    /// The target exactly as written.
    pub dest: String,
    /// Classification.
    pub target: LinkTarget,
    /// File the link is written in (the page, or an included file), shared by the links,
    /// anchors, headings and tables the parse of that file found.
    pub file: std::sync::Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// For reference links: the line of the definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition_line: Option<u32>,
}

/// How many links a check counted, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LinkCounts {
    /// Links checked against the content folder.
    pub internal: usize,
    /// Links with a scheme, not fetched.
    pub external: usize,
    /// Site-absolute links outside the base path: pages of other docsets on the same host.
    pub cross_docset: usize,
}

impl std::ops::AddAssign for LinkCounts {
    fn add_assign(&mut self, other: LinkCounts) {
        self.internal += other.internal;
        self.external += other.external;
        self.cross_docset += other.cross_docset;
    }
}

/// Classifies a raw link target written in `file` (content-relative).
/// `base_path` is the URL prefix the site is published under (`/` or `/docs/`).
pub fn classify(dest: &str, file: &str, base_path: &str) -> LinkTarget {
    let dest = dest.trim();
    if let Some(scheme) = crate::urls::scheme_of(dest) {
        return LinkTarget::External { scheme };
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(decode(f))),
        None => (dest, None),
    };
    let path = before_fragment.split('?').next().unwrap_or_default();
    let path = decode(path).replace('\\', "/");
    if path.starts_with("//") {
        // A network-path reference (`//cdn.example.com/x`): another host, like `https:`.
        return LinkTarget::External {
            scheme: String::new(),
        };
    }
    if path.is_empty() {
        return LinkTarget::SamePage {
            fragment: fragment.unwrap_or_default(),
        };
    }
    let (joined, rooted) = if let Some(rest) = path.strip_prefix("~/") {
        (rest.to_string(), true)
    } else if path.starts_with('/') {
        let base = base_path.trim_end_matches('/');
        let under_base = if base.is_empty() {
            Some(path.as_str())
        } else if path == base {
            Some("/")
        } else {
            path.strip_prefix(base).filter(|r| r.starts_with('/'))
        };
        match under_base {
            Some(rest) => (rest.trim_start_matches('/').to_string(), true),
            None => return LinkTarget::OffSite { path },
        }
    } else {
        let dir = file.rfind('/').map_or("", |i| &file[..=i]);
        (format!("{dir}{path}"), false)
    };
    match normalize(&joined) {
        Some(path) => LinkTarget::Local {
            path,
            fragment,
            rooted,
        },
        None => LinkTarget::OutsideRoot { path: joined },
    }
}

/// The query of a link target as written, without its `?` (`a.md?tabs=x#f` → `tabs=x`).
pub fn query(dest: &str) -> Option<&str> {
    let before_fragment = dest.trim().split('#').next().unwrap_or_default();
    before_fragment.split_once('?').map(|(_, q)| q)
}

/// The tab ids a link target's `?tabs=` selects, percent-decoded, in order. DocFX writes
/// several as a comma-joined list (`?tabs=linux%2Cdotnet`) and a `+` in a query is a space,
/// so commas, `+` and spaces all separate ids.
pub fn tabs_query(dest: &str) -> Vec<String> {
    let Some(q) = query(dest) else {
        return Vec::new();
    };
    q.split('&')
        .filter_map(|pair| pair.strip_prefix("tabs="))
        .flat_map(|value| {
            decode(value)
                .split([',', '+', ' '])
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Percent-decodes a path or fragment (invalid sequences are kept as written).
pub fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |c| c.into_owned())
}

/// Resolves `.` and `..` segments; `None` when `..` climbs above the root.
/// Keeps a trailing `/` (folder link).
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    let folder =
        path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") || path == ".";
    if folder && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_queries_name_each_id() {
        assert_eq!(query("a.md?tabs=x#f?g"), Some("tabs=x"));
        assert_eq!(query("a.md#f?tabs=x"), None);
        assert_eq!(tabs_query("?tabs=linux"), ["linux"]);
        assert_eq!(
            tabs_query("a.md?view=v&tabs=a+b,c%2Cd%20e&tabs=f#x"),
            ["a", "b", "c", "d", "e", "f"]
        );
        assert!(tabs_query("a.md?tabs=").is_empty());
        assert!(tabs_query("a.md?mytabs=x&view=tabs").is_empty());
    }

    fn local(path: &str, fragment: Option<&str>, rooted: bool) -> LinkTarget {
        LinkTarget::Local {
            path: path.into(),
            fragment: fragment.map(Into::into),
            rooted,
        }
    }

    #[test]
    fn classifies_targets() {
        assert_eq!(
            classify("https://a.example/x", "a.md", "/"),
            LinkTarget::External {
                scheme: "https".into()
            }
        );
        assert_eq!(
            classify("mailto:x@y.z", "a.md", "/"),
            LinkTarget::External {
                scheme: "mailto".into()
            }
        );
        assert_eq!(
            classify("#faq", "a.md", "/"),
            LinkTarget::SamePage {
                fragment: "faq".into()
            }
        );
        assert_eq!(
            classify("b.md#x", "g/a.md", "/"),
            local("g/b.md", Some("x"), false)
        );
        assert_eq!(
            classify("../b.md", "g/a.md", "/"),
            local("b.md", None, false)
        );
        assert_eq!(
            classify("./media/a%20b.png", "g/a.md", "/"),
            local("g/media/a b.png", None, false)
        );
        assert_eq!(
            classify("guide/", "a.md", "/"),
            local("guide/", None, false)
        );
        assert_eq!(
            classify("/x/y.md?view=1#f%C3%A9", "g/a.md", "/"),
            local("x/y.md", Some("fé"), true)
        );
        assert_eq!(
            classify("../../x.md", "g/a.md", "/"),
            LinkTarget::OutsideRoot {
                path: "g/../../x.md".into()
            }
        );
        assert_eq!(
            classify("/docs/x.md", "a.md", "/docs/"),
            local("x.md", None, true)
        );
        assert_eq!(
            classify("/other/x", "a.md", "/docs/"),
            LinkTarget::OffSite {
                path: "/other/x".into()
            }
        );
        assert_eq!(
            classify("//cdn.example.com/x.js", "a.md", "/"),
            LinkTarget::External {
                scheme: String::new()
            }
        );
        assert_eq!(
            classify("c:\\x.md", "a.md", "/"),
            local("c:/x.md", None, false)
        );
    }
}
