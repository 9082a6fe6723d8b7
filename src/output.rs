//! Output stage: writes a built site into a fresh folder next to the output folder and
//! swaps it in at the end, so a failed build never leaves a half-written site, and never
//! deletes a folder docshift did not write.

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Name of the marker file that identifies a docshift output folder.
pub const MARKER: &str = ".docshift-output";

/// What to write at one output path.
#[derive(Debug, Clone)]
pub enum Contents {
    /// These bytes.
    Bytes(Vec<u8>),
    /// A copy of this file.
    Copy(PathBuf),
    /// These pieces one after another: a large file assembled from parts that are kept
    /// between rebuilds, so a change re-encodes only its own part.
    Parts(Vec<Arc<[u8]>>),
}

impl Contents {
    /// The contents: the bytes in memory, or the copied file as it is on disk now.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Contents::Bytes(b) => Ok(b.clone()),
            Contents::Parts(parts) => Ok(parts.concat()),
            Contents::Copy(from) => std::fs::read(from),
        }
    }
}

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Its contents.
    pub contents: Contents,
}

impl OutputFile {
    /// A file with text contents.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.into().into_bytes()),
        }
    }
}

fn write_parts(path: &Path, parts: &[Arc<[u8]>]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    for part in parts {
        out.write_all(part)?;
    }
    out.flush()
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// True when `dir` may be replaced: it does not exist, is empty, or carries the marker.
pub fn is_replaceable(dir: &Path) -> bool {
    if !dir.exists() {
        return true;
    }
    if dir.join(MARKER).is_file() {
        return true;
    }
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Writes `files` as the new contents of `output`, atomically replacing the previous build.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<()> {
    if !is_replaceable(output) {
        return Err(Error::ForeignOutput {
            path: output.to_path_buf(),
        });
    }
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".to_string());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(write_err(parent))?;
    let staging = parent.join(format!(".{name}.docshift-new"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(write_err(&staging))?;
    }
    std::fs::create_dir_all(&staging).map_err(write_err(&staging))?;
    let result = files.par_iter().try_for_each(|f| write_one(&staging, f));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    std::fs::write(
        staging.join(MARKER),
        b"This folder is written by docshift build and replaced on every build.\n",
    )
    .map_err(write_err(&staging))?;
    if output.exists() {
        let old = parent.join(format!(".{name}.docshift-old"));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(write_err(&old))?;
        }
        std::fs::rename(output, &old).map_err(write_err(output))?;
        if let Err(source) = std::fs::rename(&staging, output) {
            let _ = std::fs::rename(&old, output);
            return Err(Error::Write {
                path: output.to_path_buf(),
                source,
            });
        }
        std::fs::remove_dir_all(&old).map_err(write_err(&old))?;
    } else {
        std::fs::rename(&staging, output).map_err(write_err(output))?;
    }
    Ok(())
}

fn write_one(root: &Path, file: &OutputFile) -> Result<()> {
    let path = root.join(&file.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(write_err(dir))?;
    }
    match &file.contents {
        Contents::Bytes(b) => std::fs::write(&path, b).map_err(write_err(&path)),
        Contents::Parts(parts) => write_parts(&path, parts).map_err(write_err(&path)),
        Contents::Copy(from) => std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(write_err(&path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_its_own_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[OutputFile::text("a/index.html", "one")]).unwrap();
        write_site(&out, &[OutputFile::text("b.html", "two")]).unwrap();
        assert!(
            !out.join("a/index.html").exists(),
            "stale files are removed"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "two");

        let foreign = tmp.path().join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "precious").unwrap();
        assert!(matches!(
            write_site(&foreign, &[]),
            Err(Error::ForeignOutput { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "precious"
        );
    }
}
