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
    /// Files that become pages: Markdown files, and in a docset the `YamlMime:Hub` and
    /// `YamlMime:Landing` YAML files.
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
    /// Content YAML files of a docset that are not pages: their schema is unknown, or they
    /// name none (an `unknown-yaml-mime` warning each). Links to them are not broken.
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
        classify_yaml_page(rel, path, inv);
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

/// Sorts a content YAML file of a docset that is neither an FAQ nor a table of contents by
/// the schema its first line names: Hub and Landing files are pages; a file naming another
/// schema, or none, is not one (a warning says so), but links to it are not broken.
fn classify_yaml_page(rel: &str, path: &Path, inv: &mut Inventory) {
    let head = yaml_head(path);
    let mime = crate::yaml::yaml_mime(&head);
    if mime
        .and_then(crate::model::cards::CardPageKind::from_mime)
        .is_some()
    {
        inv.pages.push(rel.to_string());
        return;
    }
    let what = match mime {
        Some(mime) => format!("`YamlMime:{mime}` is a schema docshift does not render"),
        None => "its first line names no `### YamlMime:` schema".to_string(),
    };
    inv.diagnostics.push(
        Diagnostic::new(
            Code::UnknownYamlMime,
            rel,
            1,
            1,
            format!("{rel} is not built as a page: {what}"),
        )
        .with_suggestion(
            "start the file with `### YamlMime:Hub`, `### YamlMime:Landing` or \
             `### YamlMime:FAQ`, or leave it out of build.content",
        ),
    );
    inv.unrendered.push(rel.to_string());
}

/// The first bytes of a file, enough for its `### YamlMime:` line ("" when unreadable: its
/// loading reports that).
fn yaml_head(path: &Path) -> String {
    use std::io::Read;
    let mut head = [0u8; 128];
    let Ok(mut file) = std::fs::File::open(path) else {
        return String::new();
    };
    let n = file.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).into_owned()
}

/// True for a `.yml`/`.yaml` file whose first line is `### YamlMime:FAQ`.
fn is_faq_yaml(path: &Path) -> bool {
    let is_yaml = path.extension().is_some_and(|x| x == "yml" || x == "yaml");
    is_yaml && crate::yaml::yaml_mime(&yaml_head(path)) == Some("FAQ")
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
            .with_suggestion(
                "save the file as UTF-8 (Windows-1252 and Latin-1 files usually need only that)",
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

    #[test]
    fn a_docset_sorts_its_yaml_files_by_the_schema_they_name() {
        let tmp = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
        write(
            "docfx.json",
            r#"{"build": {"content": [{"files": ["**/*.md", "**/*.yml"]}]}}"#,
        );
        write("index.yml", "### YamlMime:Hub\ntitle: x\n");
        write("landing.yml", "\u{feff}### YamlMime:Landing\r\ntitle: x\n");
        write("faq.yml", "### YamlMime:FAQ\ntitle: x\n");
        write("foo.yml", "### YamlMime:Foo\ntitle: x\n");
        write("plain.yml", "title: x\n");
        write("TOC.yml", "- name: x\n");
        let mut config = Config::default();
        config.docfx = crate::settings::docfx::read(tmp.path()).unwrap();
        let inv = discover(tmp.path(), &config);
        assert_eq!(inv.pages, ["index.yml", "landing.yml"]);
        assert_eq!(inv.data, ["faq.yml"]);
        assert_eq!(inv.unrendered, ["foo.yml", "plain.yml"]);
        let found: Vec<(Code, &str, u32)> = (inv.diagnostics.iter())
            .map(|d| (d.code, d.file.as_str(), d.line))
            .collect();
        assert_eq!(
            found,
            [
                (Code::UnknownYamlMime, "foo.yml", 1),
                (Code::UnknownYamlMime, "plain.yml", 1)
            ]
        );
        assert!(inv.diagnostics[0].message.contains("`YamlMime:Foo`"));
    }
}
