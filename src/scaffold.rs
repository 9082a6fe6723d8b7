//! `docshift init`: the files of a new site (embedded in the binary) and writing them
//! without ever overwriting an existing file.

use crate::error::{Error, Result};
use std::path::Path;

/// The files of a new site: path relative to the site folder, and contents.
pub const FILES: [(&str, &str); 6] = [
    ("site.yaml", include_str!("scaffold/site.yaml")),
    (
        "content/index.md",
        include_str!("scaffold/content/index.md"),
    ),
    (
        "content/migration-guide.md",
        include_str!("scaffold/content/migration-guide.md"),
    ),
    (
        "content/page-mapping.md",
        include_str!("scaffold/content/page-mapping.md"),
    ),
    (
        "content/includes/support.md",
        include_str!("scaffold/content/includes/support.md"),
    ),
    (
        "content/media/portal-map.svg",
        include_str!("scaffold/content/media/portal-map.svg"),
    ),
];

/// Writes the new site into `dir` (created when missing). Refuses, writing nothing, when
/// any of the files already exists.
pub fn write_scaffold(dir: &Path) -> Result<Vec<&'static str>> {
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(rel, _)| dir.join(rel).exists())
        .map(|(rel, _)| rel.to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::WouldOverwrite {
            dir: dir.to_path_buf(),
            files: existing,
        });
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let write_err = |source| Error::Write {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write_err)?;
        }
        std::fs::write(&path, text).map_err(write_err)?;
    }
    Ok(FILES.iter().map(|(rel, _)| *rel).collect())
}
