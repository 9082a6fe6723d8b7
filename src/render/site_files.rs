//! The files a site serves besides its pages: the built-in stylesheets and scripts (a
//! site's own `static/` folder overrides them by name and adds to them), the syntax
//! stylesheet, and the content folder's assets. Copies: their bytes are read when the site
//! is written.

use super::{highlight, DEFAULT_STATIC};
use crate::diag::{Code, Diagnostic};
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use std::path::Path;

/// The static files and assets of `site`, and a finding for every entry of `static_dir`
/// that could not be listed (a folder without read permission, a broken symbolic link).
pub fn site_files(
    static_dir: &Path,
    content: &Path,
    site: &Site,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = vec![OutputFile::text(
        "static/syntax.css",
        highlight::stylesheet(),
    )];
    let mut findings = Vec::new();
    for (name, text) in DEFAULT_STATIC {
        if !static_dir.join(name).is_file() {
            files.push(OutputFile::text(format!("static/{name}"), text));
        }
    }
    if static_dir.is_dir() {
        // Links are followed: a linked file is copied like any other, a broken link is
        // reported.
        let walk = walkdir::WalkDir::new(static_dir)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    findings.push(unlisted(static_dir, &e));
                    continue;
                }
            };
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(static_dir) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    files.push(OutputFile {
                        path: format!("static/{rel}"),
                        contents: Contents::Copy(entry.path().to_path_buf()),
                    });
                }
            }
        }
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.path.clone(),
            contents: Contents::Copy(content.join(&asset.path)),
        });
    }
    (files, findings)
}

/// `unreadable-file` for an entry of the static folder that cannot be listed.
fn unlisted(static_dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let rel = e
        .path()
        .and_then(|p| p.strip_prefix(static_dir).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let file = if rel.is_empty() {
        "static".to_string()
    } else {
        format!("static/{rel}")
    };
    let mut d = Diagnostic::new(
        Code::UnreadableFile,
        &file,
        1,
        1,
        format!(
            "cannot list `{file}` in the site's static folder: {}; it is not copied",
            e.io_error()
                .map_or_else(|| e.to_string(), ToString::to_string)
        ),
    );
    d.suggestion = Some("make it readable, or remove it from `static/`".to_string());
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_broken_link_in_static_is_reported_and_a_good_one_copied() {
        let tmp = tempfile::tempdir().unwrap();
        let static_dir = tmp.path().join("static");
        std::fs::create_dir_all(&static_dir).unwrap();
        std::fs::write(tmp.path().join("real.css"), "a{}").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("real.css"), static_dir.join("linked.css"))
            .unwrap();
        std::os::unix::fs::symlink(tmp.path().join("gone.css"), static_dir.join("broken.css"))
            .unwrap();
        let site = Site::new(Default::default(), Vec::new(), Vec::new(), Vec::new());
        let (files, findings) = site_files(&static_dir, tmp.path(), &site);
        assert!(files.iter().any(|f| f.path == "static/linked.css"));
        assert!(!files.iter().any(|f| f.path == "static/broken.css"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, Code::UnreadableFile);
        assert_eq!(findings[0].file, "static/broken.css");
    }
}
