//! Shared test harness: run the `docshift` binary, copy fixture sites into temporary
//! folders, load and build sites through the library.
#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the harness"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of the compiled binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_docshift")
}

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a fixture folder into a fresh temporary folder and returns it (kept alive by the
/// returned guard).
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dest = tmp.path().join(name.replace('/', "_"));
    copy_dir(&fixture(name), &dest);
    (tmp, dest)
}

/// Recursively copies a folder.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Runs the binary with `args` in `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run docshift")
}

/// Exit code of an output (panics on signals).
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

/// Stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Settings for a site root with the default folder layout (`content/`, `public/`).
pub fn settings(root: &Path) -> docshift::Settings {
    docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(root.to_path_buf()),
        ..Default::default()
    })
    .expect("settings")
}

/// Settings for a bare content folder (no root layout), output into `output`.
pub fn settings_for_content(content: &Path, output: &Path) -> docshift::Settings {
    docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(content.parent().unwrap_or(content).to_path_buf()),
        content: Some(content.to_path_buf()),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })
    .expect("settings")
}

/// Reads a built file as text.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
