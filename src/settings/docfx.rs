//! `docfx.json`, as a Microsoft Learn docset holds it: which files are pages (`build.content`),
//! which are copied (`build.resource`), the URL segment the docset is published under
//! (`build.dest`) and its public origin (`build.sitemap.baseUrl`). The file belongs to
//! DocFX: only these keys are read, and no other key is ever an error.

use super::glob_set;
use crate::diag::{Code, Diagnostic};
use globset::GlobSet;
use serde_json::Value;
use std::path::Path;

/// File name of the DocFX build configuration.
pub const DOCFX_JSON: &str = "docfx.json";

/// One `files` / `exclude` group of `build.content` or `build.resource`; its patterns are
/// relative to the group's `src` folder.
#[derive(Debug, Clone)]
pub struct FileGroup {
    /// `src`, content-relative, without `/` at either end ("" for the docset folder).
    src: String,
    files: GlobSet,
    exclude: GlobSet,
}

impl FileGroup {
    /// True when the group takes the content-relative `path`.
    pub fn takes(&self, path: &str) -> bool {
        let path = if self.src.is_empty() {
            path
        } else {
            match path
                .strip_prefix(self.src.as_str())
                .and_then(|p| p.strip_prefix('/'))
            {
                Some(inner) => inner,
                None => return false,
            }
        };
        self.files.is_match(path) && !self.exclude.is_match(path)
    }
}

/// A `fileMetadata` value and the glob of the files it applies to.
#[derive(Debug, Clone)]
struct GlobValue {
    pattern: String,
    matcher: GlobSet,
    value: String,
}

impl GlobValue {
    /// How specific the glob is: its characters that are not wildcards, then its length.
    fn specificity(&self) -> (usize, usize) {
        let literal = (self.pattern.chars())
            .filter(|c| !matches!(c, '*' | '?' | '[' | ']' | '{' | '}'))
            .count();
        (literal, self.pattern.len())
    }
}

/// What docshift reads from a `docfx.json`.
#[derive(Debug, Clone, Default)]
pub struct Docfx {
    /// `build.dest`: the docset's URL segment.
    pub dest: Option<String>,
    /// `build.sitemap.baseUrl`: the public origin.
    pub base_url: Option<String>,
    /// `build.content`: the files that are pages.
    pub content: Vec<FileGroup>,
    /// `build.resource`: the files copied as they are.
    pub resource: Vec<FileGroup>,
    /// `build.globalMetadata.titleSuffix`.
    global_title_suffix: Option<String>,
    /// `build.fileMetadata.titleSuffix`, by glob.
    title_suffixes: Vec<GlobValue>,
}

impl Docfx {
    /// True when a content-relative path is a page by `build.content` (`None`: the file
    /// has no `build.content`).
    pub fn is_content(&self, path: &str) -> Option<bool> {
        (!self.content.is_empty()).then(|| self.content.iter().any(|g| g.takes(path)))
    }

    /// True when a content-relative path is copied by `build.resource` (`None`: the file
    /// has no `build.resource`).
    pub fn is_resource(&self, path: &str) -> Option<bool> {
        (!self.resource.is_empty()).then(|| self.resource.iter().any(|g| g.takes(path)))
    }

    /// The `titleSuffix` of the page at a content-relative path: the value of the most
    /// specific `fileMetadata` glob that matches it (most characters that are not wildcards:
    /// `marketplace/*.md` wins over `**/*.md`), else the `globalMetadata` one.
    pub fn title_suffix(&self, path: &str) -> Option<&str> {
        (self.title_suffixes.iter())
            .filter(|g| g.matcher.is_match(path))
            .max_by_key(|g| g.specificity())
            .map(|g| g.value.as_str())
            .or(self.global_title_suffix.as_deref())
    }

    /// One line saying what came from the file, for `build` and `check`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(dest) = &self.dest {
            parts.push(format!("base path /{dest}/ (build.dest)"));
        }
        if let Some(url) = &self.base_url {
            parts.push(format!("url {url} (build.sitemap.baseUrl)"));
        }
        if !self.content.is_empty() {
            parts.push("pages from build.content".to_string());
        }
        if !self.resource.is_empty() {
            parts.push("assets from build.resource".to_string());
        }
        if parts.is_empty() {
            parts.push("nothing docshift uses".to_string());
        }
        format!("{DOCFX_JSON}: {}", parts.join(", "))
    }
}

/// Reads `docfx.json` in `dir`: `Ok(None)` when there is none; `Err` (a finding at the
/// file's line and column) when it cannot be used, and then none of it is.
pub fn read(dir: &Path) -> Result<Option<Docfx>, Diagnostic> {
    let path = dir.join(DOCFX_JSON);
    if !path.is_file() {
        return Ok(None);
    }
    let invalid = |line: usize, column: usize, why: String| {
        Diagnostic::new(
            Code::InvalidDataFile,
            DOCFX_JSON,
            line.max(1) as u32,
            column.max(1) as u32,
            format!("{DOCFX_JSON} cannot be used: {why}; its settings are ignored"),
        )
    };
    let text = std::fs::read_to_string(&path).map_err(|e| invalid(1, 1, e.to_string()))?;
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| invalid(e.line(), e.column(), e.to_string()))?;
    let build = value.get("build").unwrap_or(&Value::Null);
    let text_of = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let groups = |key: &str| -> Result<Vec<FileGroup>, Diagnostic> {
        let Some(list) = build.get(key).and_then(Value::as_array) else {
            return Ok(Vec::new());
        };
        list.iter()
            .map(|group| {
                let set = |name: &str| {
                    let patterns = patterns(group.get(name));
                    glob_set(&patterns)
                        .map_err(|why| invalid(1, 1, format!("build.{key}[].{name}: {why}")))
                };
                let src = (group.get("src").and_then(Value::as_str))
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("./")
                    .trim_matches('/');
                Ok(FileGroup {
                    src: if src == "." {
                        String::new()
                    } else {
                        src.to_string()
                    },
                    files: set("files")?,
                    exclude: set("exclude")?,
                })
            })
            .collect()
    };
    let dest = text_of(build.get("dest"))
        .map(|d| d.trim_matches('/').to_string())
        .filter(|d| !d.is_empty());
    // `baseUrl` names where the docset is published (`https://host/<dest>`); the site's
    // `url` is the origin its page URLs (which start with the base path) are appended to.
    let base_url = text_of(build.get("sitemap").and_then(|s| s.get("baseUrl"))).map(|u| {
        let u = u.trim_end_matches('/');
        match &dest {
            Some(dest) => u.strip_suffix(&format!("/{dest}")).unwrap_or(u).to_string(),
            None => u.to_string(),
        }
    });
    let global_title_suffix = text_of(
        build
            .get("globalMetadata")
            .and_then(|m| m.get("titleSuffix")),
    );
    Ok(Some(Docfx {
        dest,
        base_url,
        content: groups("content")?,
        resource: groups("resource")?,
        global_title_suffix,
        title_suffixes: file_metadata(build, "titleSuffix"),
    }))
}

/// The `build.fileMetadata.<key>` values that are text, with their globs. A glob that does
/// not compile is skipped: the key belongs to DocFX, which reports it.
fn file_metadata(build: &Value, key: &str) -> Vec<GlobValue> {
    let Some(by_glob) = (build.get("fileMetadata"))
        .and_then(|m| m.get(key))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    by_glob
        .iter()
        .filter_map(|(pattern, value)| {
            let pattern = pattern.trim().trim_start_matches("./").to_string();
            let value = value.as_str()?.trim().to_string();
            let matcher = glob_set(std::slice::from_ref(&pattern)).ok()?;
            (!value.is_empty()).then_some(GlobValue {
                pattern,
                matcher,
                value,
            })
        })
        .collect()
}

/// A `files` or `exclude` value: one pattern or a list of them (a leading `./` dropped).
fn patterns(value: Option<&Value>) -> Vec<String> {
    let items: Vec<&str> = match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|p| p.trim_start_matches("./").to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Option<Docfx>, Diagnostic> {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(DOCFX_JSON), text).unwrap();
        read(tmp.path())
    }

    #[test]
    fn reads_the_keys_docshift_uses_and_ignores_the_rest() {
        let d = read_text(
            r#"{ "build": {
                "content": [ { "files": ["**/*.md", "**/*.yml"], "exclude": ["**/includes/**", "README.md"] } ],
                "resource": [ { "files": "**/*.png" } ],
                "dest": "/partner-center/",
                "sitemap": { "baseUrl": "https://learn.microsoft.com/partner-center/" },
                "globalMetadata": { "ms.service": "x" },
                "xrefService": ["https://xref.example/query?uid={uid}"],
                "template": []
            }, "somethingNew": 1 }"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(d.dest.as_deref(), Some("partner-center"));
        assert_eq!(d.base_url.as_deref(), Some("https://learn.microsoft.com"));
        assert_eq!(d.is_content("marketplace/payouts.md"), Some(true));
        assert_eq!(d.is_content("index.yml"), Some(true));
        assert_eq!(d.is_content("README.md"), Some(false));
        assert_eq!(
            d.is_content("docs/README.md"),
            Some(true),
            "only the root one is excluded"
        );
        assert_eq!(d.is_content("includes/note.md"), Some(false));
        assert_eq!(d.is_content("a/includes/note.md"), Some(false));
        assert_eq!(d.is_resource("media/a.png"), Some(true));
        assert_eq!(d.is_resource("media/a.pdf"), Some(false));
    }

    #[test]
    fn patterns_are_relative_to_the_groups_src() {
        let d = read_text(
            r#"{ "build": { "content": [
                { "files": ["*.md"], "exclude": ["README.md"], "src": "articles" },
                { "files": ["index.md"] }
            ] } }"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(d.is_content("articles/payouts.md"), Some(true));
        assert_eq!(d.is_content("articles/README.md"), Some(false));
        assert_eq!(
            d.is_content("articles/deep/a.md"),
            Some(false),
            "`*` stays in its folder"
        );
        assert_eq!(d.is_content("README.md"), Some(false));
        assert_eq!(d.is_content("index.md"), Some(true));
        assert_eq!(d.is_content("articlesx/a.md"), Some(false));
    }

    #[test]
    fn title_suffixes_come_from_the_most_specific_glob_then_the_global_one() {
        let d = read_text(
            r#"{ "build": {
                "globalMetadata": { "titleSuffix": "Partner Center" },
                "fileMetadata": { "titleSuffix": {
                    "**/*.md": "Any page", "marketplace/*.md": " Marketplace publisher ",
                    "[bad": "skipped", "empty/*.md": ""
                } }
            } }"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            d.title_suffix("marketplace/payouts.md"),
            Some("Marketplace publisher")
        );
        assert_eq!(d.title_suffix("a/b.md"), Some("Any page"));
        assert_eq!(d.title_suffix("index.yml"), Some("Partner Center"));
        let none = read_text("{}").unwrap().unwrap();
        assert_eq!(none.title_suffix("index.yml"), None);
    }

    #[test]
    fn an_empty_build_section_says_nothing() {
        let d = read_text("{}").unwrap().unwrap();
        assert_eq!((d.is_content("a.md"), d.is_resource("a.png")), (None, None));
        assert_eq!(d.summary(), "docfx.json: nothing docshift uses");
    }

    #[test]
    fn malformed_json_is_located() {
        let d = read_text("{\n  \"build\": [\n}").unwrap_err();
        assert_eq!((d.code, d.line), (Code::InvalidDataFile, 3));
        let d =
            read_text(r#"{ "build": { "content": [ { "files": ["a/[.md"] } ] } }"#).unwrap_err();
        assert!(d.message.contains("build.content[].files"), "{}", d.message);
    }
}
