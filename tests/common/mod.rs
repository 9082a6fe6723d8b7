//! Shared test harness: run the `docshift` binary, copy fixture sites into temporary
//! folders, load and build sites through the library.
#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the harness"
)]
pub mod browser;
pub mod oracle;
pub mod static_server;

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
    run_with_env(cwd, args, &[])
}

/// [`run`] with extra environment variables. The colour variables of the test's own
/// environment are removed first, so output is plain unless a test asks for colour.
pub fn run_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(bin());
    command
        .current_dir(cwd)
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run docshift")
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

// ----- Build fixtures (tests/build_*.rs, tests/cli.rs) -----

/// `tests/fixtures/build/<name>`: the root of a fixture site (it holds `content/`, and maybe
/// `site.yaml`, `templates/`, `static/`).
pub fn build_fixture_root(name: &str) -> PathBuf {
    fixture("build").join(name)
}

/// Loads and checks a build fixture in place (nothing is written): the model and every finding.
pub fn check_build_fixture(name: &str) -> docshift::pipeline::Checked {
    docshift::pipeline::check(&settings(&build_fixture_root(name))).expect("check fixture")
}

/// A fixture site built through the library into a temporary output folder.
pub struct BuiltFixture {
    /// Keeps the output folder alive.
    pub tmp: tempfile::TempDir,
    /// The output folder.
    pub out: PathBuf,
    /// What the build did (model, findings, files written).
    pub built: docshift::pipeline::Built,
}

impl BuiltFixture {
    /// The built file at `output` (relative to the output folder) as text.
    pub fn file(&self, output: &str) -> String {
        read(self.out.join(output))
    }

    /// The source paths of the built pages, in the site's order.
    pub fn page_paths(&self) -> Vec<&str> {
        let pages = &self.built.checked.site.pages;
        pages.iter().map(|p| p.path.as_str()).collect()
    }

    /// The full HTML document built for the page with source path `path`.
    pub fn page_document(&self, path: &str) -> String {
        let page = site_page(&self.built.checked.site, path);
        self.file(&page.output)
    }

    /// The article body (`<div class="content">` up to `</article>`) of a page's HTML, without
    /// the navigation and the table of contents.
    pub fn page_content(&self, path: &str) -> String {
        content_html(&self.page_document(path)).to_string()
    }
}

/// Builds `tests/fixtures/build/<name>` into a fresh temporary folder (the fixture itself is
/// only read).
pub fn build_fixture(name: &str) -> BuiltFixture {
    build_site_root(&build_fixture_root(name))
}

/// Settings for the site at `root` (default `content/` layout) that build into `output`.
pub fn settings_with_output(root: &Path, output: &Path) -> docshift::Settings {
    docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(root.to_path_buf()),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })
    .expect("settings")
}

/// Builds the site at `root` (with the default `content/` layout) into a fresh temporary folder.
pub fn build_site_root(root: &Path) -> BuiltFixture {
    build_into_temp(|out| settings_with_output(root, out))
}

/// Builds a bare content folder (no site root around it) into a fresh temporary folder.
pub fn build_content_folder(content: &Path) -> BuiltFixture {
    build_into_temp(|out| settings_for_content(content, out))
}

fn build_into_temp(settings: impl FnOnce(&Path) -> docshift::Settings) -> BuiltFixture {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let built =
        docshift::pipeline::build(&settings(&out), docshift::pipeline::BuildOptions::default())
            .expect("build");
    BuiltFixture { tmp, out, built }
}

/// The page with source path `path` (panics with the list of pages when there is none).
pub fn site_page<'s>(site: &'s docshift::Site, path: &str) -> &'s docshift::model::Page {
    site.pages
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| {
            let paths: Vec<_> = site.pages.iter().map(|p| p.path.as_str()).collect();
            panic!("no page {path}; pages: {paths:?}")
        })
}

/// The article body of a rendered page: from `<div class="content">` to `</article>`.
pub fn content_html(document: &str) -> &str {
    let start = document
        .find("<div class=\"content\">")
        .unwrap_or_else(|| panic!("no content div in {document}"));
    let end = document[start..]
        .find("</article>")
        .map_or(document.len(), |i| start + i);
    &document[start..end]
}

/// Findings as `code file:line:column`, in report order.
pub fn finding_lines(diagnostics: &[docshift::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| format!("{} {}:{}:{}", d.code.as_str(), d.file, d.line, d.column))
        .collect()
}

/// Writes `contents` to `path`, creating parent folders.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create parent folder");
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Every file under `dir` (relative `/`-separated path → bytes), for byte-for-byte comparisons.
pub fn snapshot_dir(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read output folder") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside the folder")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    files
}

// ----- Check fixtures (tests/check_*.rs) -----

/// `tests/fixtures/check/<name>`: the root of a check fixture site (`content/`, maybe `site.yaml`).
pub fn check_fixture_root(name: &str) -> PathBuf {
    fixture("check").join(name)
}

/// Loads and checks the site at `root` through the library (nothing is written).
pub fn check_root(root: &Path) -> docshift::pipeline::Checked {
    docshift::pipeline::check(&settings(root)).expect("check site")
}

/// Findings as `code file:line:column target`, in report order (the target is `-` when absent).
pub fn finding_targets(diagnostics: &[docshift::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{} {}",
                d.code.as_str(),
                d.file,
                d.line,
                d.column,
                d.target.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// Runs `docshift check --root <root> --format json <extra...>`; returns the exit code and
/// the parsed report.
pub fn check_json(root: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let root_arg = root.to_string_lossy().into_owned();
    let mut args = vec!["check", "--root", root_arg.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&repo(), &args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json printed invalid JSON ({e}):\n{}\nstderr: {}",
            stdout(&out),
            stderr(&out)
        )
    });
    (code(&out), report)
}

/// A change of the given content files (content-relative paths).
pub fn content_change(paths: &[&str]) -> docshift::pipeline::Change {
    docshift::pipeline::Change::Files(docshift::pipeline::ChangedFiles {
        content: paths.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    })
}
