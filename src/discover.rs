//! Discovery and loading: walk the content folder into an [`Inventory`] and read files
//! into [`SourceFile`]s. The only stage that reads content from disk.

use crate::diag::{Code, Diagnostic};
use crate::settings::Config;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// What the content folder holds, content-relative, `/`-separated, sorted.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Markdown files that become pages.
    pub pages: Vec<String>,
    /// Markdown files that are fragments (in an `includes/` folder, or excluded).
    pub fragments: Vec<String>,
    /// Data files that become pages and migration data: `*.mapping.yaml` /
    /// `*.mapping.yml` mapping sets, `.yml`/`.yaml` files starting with `### YamlMime:FAQ`,
    /// and redirection files (`.openpublishing.redirection.json`, page moves; no page).
    pub data: Vec<String>,
    /// Every other file, copied verbatim.
    pub assets: Vec<String>,
    /// Tables of contents (`TOC.yml`, `TOC.md`): navigation, not pages.
    pub tocs: Vec<String>,
    /// Pages of a docset that docshift does not render yet (YAML pages other than FAQ
    /// pages: `index.yml` Hub and Landing pages): links to them are not broken.
    pub unrendered: Vec<String>,
    /// Problems met while walking (unreadable folders).
    pub diagnostics: Vec<Diagnostic>,
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// True for Markdown fragments: files under a folder named `includes`.
pub fn is_include_path(path: &str) -> bool {
    path.split('/').rev().skip(1).any(|seg| seg == "includes")
}

/// Walks `content`: dot-files and dot-folders are skipped, symlinks are followed only when
/// they stay inside the content folder.
pub fn discover(content: &Path, config: &Config) -> Inventory {
    let mut inv = Inventory::default();
    let root = content
        .canonicalize()
        .unwrap_or_else(|_| content.to_path_buf());
    let walker = WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            // Redirection files are dot-files that are sources.
            let hidden = e.file_name().to_str().is_none_or(|name| {
                is_hidden(name)
                    && !(e.file_type().is_file() && crate::urls::is_redirection_path(name))
            });
            // The output folder of a docset built in place is not content.
            let output = config.output_inside.as_deref().is_some_and(|out| {
                e.depth() == out.split('/').count()
                    && e.path()
                        .strip_prefix(content)
                        .is_ok_and(|rel| to_slash(rel) == out)
            });
            if output {
                return false;
            }
            let escapes = e.path_is_symlink()
                && e.path()
                    .canonicalize()
                    .map_or(true, |p| !p.starts_with(&root));
            !hidden && !escapes
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .and_then(|p| p.strip_prefix(content).ok())
                    .map(to_slash)
                    .unwrap_or_default();
                inv.diagnostics.push(Diagnostic::new(
                    Code::UnreadableFile,
                    path,
                    1,
                    1,
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = to_slash(rel);
        let is_md = rel.ends_with(".md");
        if crate::urls::is_redirection_path(&rel) {
            inv.data.push(rel);
            continue;
        }
        if crate::model::toc::is_toc_path(&rel) && !is_include_path(&rel) {
            if !config.is_excluded(&rel) {
                inv.tocs.push(rel);
            }
            continue;
        }
        if let Some(docfx) = &config.docfx {
            if classify_docset_file(docfx, &rel, entry.path(), &mut inv) {
                continue;
            }
        }
        if config.is_excluded(&rel) {
            if is_md {
                inv.fragments.push(rel);
            }
        } else if is_md && is_include_path(&rel) {
            inv.fragments.push(rel);
        } else if is_md {
            inv.pages.push(rel);
        } else if crate::urls::is_mapping_path(&rel) || is_faq_yaml(entry.path()) {
            inv.data.push(rel);
        } else {
            inv.assets.push(rel);
        }
    }
    inv
}

/// Sorts a file of a docset by its `docfx.json`: a Markdown or FAQ file that
/// `build.content` takes is a page (a Markdown file it leaves out is a fragment, so it can
/// still be included); a file `build.resource` takes is copied; anything else (the
/// `docfx.json` and `TOC.yml` files, a `README.md` the docset excludes) is not output.
/// Returns false when the `docfx.json` says nothing about such files (no `build.content`,
/// or no `build.resource`): the usual rules apply.
fn classify_docset_file(
    docfx: &crate::settings::Docfx,
    rel: &str,
    path: &Path,
    inv: &mut Inventory,
) -> bool {
    let is_md = rel.ends_with(".md");
    let is_data = crate::urls::is_mapping_path(rel) || is_faq_yaml(path);
    if is_md || is_data {
        let Some(page) = docfx.is_content(rel) else {
            return false;
        };
        match (is_md, page && !is_include_path(rel)) {
            (true, true) => inv.pages.push(rel.to_string()),
            (true, false) => inv.fragments.push(rel.to_string()),
            (false, true) => inv.data.push(rel.to_string()),
            (false, false) => {}
        }
        return true;
    }
    let is_yaml = rel.ends_with(".yml") || rel.ends_with(".yaml");
    if is_yaml && docfx.is_content(rel) == Some(true) && !is_include_path(rel) {
        inv.unrendered.push(rel.to_string());
        return true;
    }
    let Some(copied) = docfx.is_resource(rel) else {
        return false;
    };
    if copied {
        inv.assets.push(rel.to_string());
    }
    true
}

/// True for a `.yml`/`.yaml` file whose first line is `### YamlMime:FAQ` (reads at most
/// the first 64 bytes).
fn is_faq_yaml(path: &Path) -> bool {
    use std::io::Read;
    let is_yaml = path.extension().is_some_and(|x| x == "yml" || x == "yaml");
    if !is_yaml {
        return false;
    }
    let mut head = [0u8; 64];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    let head = head.strip_prefix('\u{feff}').unwrap_or(&head);
    head.lines()
        .next()
        .is_some_and(|l| l.trim_end() == crate::urls::FAQ_YAML_MIME)
}

fn to_slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A loaded Markdown file, or the reason it could not be loaded.
pub type Loaded = Result<Arc<SourceFile>, Diagnostic>;

/// Reads and decodes one content file.
pub fn load_source(content: &Path, rel: &str) -> Loaded {
    read_source(content, rel).and_then(|bytes| decode_source(rel, bytes))
}

/// Reads the raw bytes of one content file (`unreadable-file` when that fails).
pub fn read_source(content: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    let full: PathBuf = content.join(rel);
    std::fs::read(&full).map_err(|e| {
        Diagnostic::new(
            Code::UnreadableFile,
            rel,
            1,
            1,
            format!("cannot read {rel}: {e}"),
        )
    })
}

/// Decodes the bytes of a content file (`invalid-utf8` when they are not UTF-8).
pub fn decode_source(rel: &str, bytes: Vec<u8>) -> Loaded {
    SourceFile::from_bytes(rel, bytes)
        .map(Arc::new)
        .map_err(|e| {
            Diagnostic::new(
                Code::InvalidUtf8,
                rel,
                e.line,
                e.column,
                format!(
                    "{rel} is not valid UTF-8 (first invalid byte at line {}, column {})",
                    e.line, e.column
                ),
            )
        })
}

/// The `invalid-character` finding of a loaded file that held NUL characters.
pub fn nul_finding(src: &SourceFile) -> Option<Diagnostic> {
    let nul = src.nul?;
    let others = match nul.count {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    Some(
        Diagnostic::new(
            Code::InvalidCharacter,
            src.path.as_str(),
            nul.line,
            nul.column,
            format!(
                "{} holds a NUL character{others}; it is read as U+FFFD",
                src.path
            ),
        )
        .with_suggestion("remove the NUL characters; the file may be damaged or binary"),
    )
}

/// Every Markdown and data file of the inventory (pages, fragments, data), loaded in parallel.
pub fn load_all(content: &Path, inv: &Inventory) -> HashMap<String, Loaded> {
    inv.pages
        .par_iter()
        .chain(inv.fragments.par_iter())
        .chain(inv.data.par_iter())
        .map(|rel| (rel.clone(), load_source(content, rel)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_folders_hold_fragments() {
        assert!(is_include_path("includes/a.md"));
        assert!(is_include_path("guide/includes/a.md"));
        assert!(!is_include_path("includes.md"));
        assert!(!is_include_path("guide/a.md"));
    }

    #[test]
    fn finds_data_files() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("faq.yml"), "### YamlMime:FAQ\ntitle: x\n").unwrap();
        std::fs::write(tmp.path().join("toc.yml"), "- name: x\n").unwrap();
        std::fs::write(tmp.path().join("a.mapping.yaml"), "id: a\n").unwrap();
        std::fs::write(tmp.path().join(".openpublishing.redirection.json"), "{}").unwrap();
        std::fs::write(tmp.path().join(".hidden.json"), "{}").unwrap();
        let inv = discover(tmp.path(), &Config::default());
        assert_eq!(
            inv.data,
            [
                ".openpublishing.redirection.json",
                "a.mapping.yaml",
                "faq.yml"
            ]
        );
        assert!(inv.assets.is_empty(), "{:?}", inv.assets);
        assert_eq!(inv.tocs, ["toc.yml"]);
    }
}
