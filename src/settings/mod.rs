//! Site configuration: the optional `site.yaml` ([`RawConfig`], as written) validated into
//! [`Config`] (what the stages read), plus the command-line [`Settings`] (folders, flags).

use crate::diag::{Code, Diagnostic, Severity};
use crate::error::Error;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod docfx;

pub use docfx::Docfx;

/// `site.yaml` as written. Every key is optional; unknown keys are an error (typos must not
/// silently do nothing).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Site title.
    pub title: Option<String>,
    /// Site description.
    pub description: Option<String>,
    /// `lang` attribute of pages.
    pub language: Option<String>,
    /// URL path the site is published under (`/` or `/partner-center/`).
    pub base_path: Option<String>,
    /// Public origin of the site (`https://docs.example.com`), for absolute URLs in the sitemap.
    pub url: Option<String>,
    /// Glob patterns (content-relative) of files that are neither pages nor assets.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Link policy.
    #[serde(default)]
    pub links: RawLinkPolicy,
    /// Per-code severity overrides: `error`, `warning` or `off`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Build the search index and show the search box (default `true`).
    pub search: Option<bool>,
    /// How much of the model `site.json` shows: `summary` (default), `full` or `off`.
    pub site_json: Option<SiteJsonDetail>,
    /// "Edit this page" link: a URL with `{path}` (the page's content-relative source path),
    /// or a URL the path is appended to.
    pub edit_url: Option<String>,
    /// Link of each `serve` error-overlay entry to the writer's editor, with `{path}`
    /// (absolute source path), `{line}` and `{column}`: `vscode://file/{path}:{line}:{column}`.
    pub editor: Option<String>,
    /// Mapping sets, table declarations and API-change headers.
    #[serde(default)]
    pub migration: RawMigration,
}

impl RawConfig {
    /// Parses `site.yaml` text (not validated yet).
    pub fn parse(text: &str) -> Result<RawConfig, String> {
        if text.trim().is_empty() {
            return Ok(RawConfig::default());
        }
        crate::yaml::from_str(text).map_err(|e| {
            let message = with_did_you_mean(e.message);
            match e.line {
                Some(line) => format!("line {line}: {message}"),
                None => message,
            }
        })
    }
}

/// Adds "did you mean" to a parser message about an unknown key or value
/// ("unknown field `titel`, expected one of `title`, ...") when one expected name is close.
fn with_did_you_mean(message: String) -> String {
    let Some(rest) = (message.split_once("unknown field `"))
        .or_else(|| message.split_once("unknown variant `"))
        .map(|(_, rest)| rest)
    else {
        return message;
    };
    let Some((wanted, expected)) = rest.split_once('`') else {
        return message;
    };
    // The expected names are every other piece between backquotes.
    let names = expected.split('`').skip(1).step_by(2);
    match crate::suggest::closest(wanted, names) {
        Some(best) => format!("{message}; did you mean `{best}`?"),
        None => message,
    }
}

/// The `site_json:` setting: how much of the model `site.json` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteJsonDetail {
    /// What integrators need per page (URL, title, headings, anchors, a summary of the
    /// links), without every event: small next to the site, so written by default.
    #[default]
    Summary,
    /// Every heading, anchor, link and table cell with its position, and the migration
    /// model: about as large as the pages themselves.
    Full,
    /// No `site.json`.
    Off,
}

/// The `migration:` section of `site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMigration {
    /// Names of mapping sets by their system names.
    #[serde(default)]
    pub sets: Vec<SetNaming>,
    /// Tables declared as mapping tables explicitly.
    #[serde(default)]
    pub tables: Vec<TableRule>,
    /// Header names of API-change tables.
    #[serde(default)]
    pub api_changes: Option<ApiColumns>,
    /// Detect mapping tables by their headers (default `true`).
    pub detect: Option<bool>,
}

/// Gives the set of a source system and a target system its id.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SetNaming {
    /// Set id: lower-case letters, digits and `-`.
    pub id: String,
    /// Name of the old system (`Cloud Partner Portal`).
    pub source: String,
    /// Name of the new system (`Partner Center`).
    pub target: String,
}

/// Declares the tables of some files as mapping tables of a set.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableRule {
    /// Glob over the content-relative file the table is written in.
    pub file: String,
    /// Only the tables under this heading id.
    #[serde(default)]
    pub section: Option<String>,
    /// Id of the set the rows belong to.
    pub set: String,
    /// Header of the label column (default: the first other column).
    #[serde(default)]
    pub label: Option<String>,
    /// Header of the old-URL column.
    pub source: String,
    /// Header of the new-URL column.
    pub target: String,
    /// Name of the old system (default: from `sets`, else the source header).
    #[serde(default)]
    pub source_name: Option<String>,
    /// Name of the new system (default: from `sets`, else the target header).
    #[serde(default)]
    pub target_name: Option<String>,
}

/// Header names that make a table an API-change table (compared ignoring case).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiColumns {
    /// The API column (`API`).
    pub api: String,
    /// The change column (`Change description`).
    pub change: String,
    /// The impact column (`Impact`).
    pub impact: String,
}

impl Default for ApiColumns {
    fn default() -> Self {
        ApiColumns {
            api: "API".to_string(),
            change: "Change description".to_string(),
            impact: "Impact".to_string(),
        }
    }
}

/// Validated `migration:` section.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MigrationConfig {
    /// Set names.
    pub sets: Vec<SetNaming>,
    /// Table declarations, in order.
    pub tables: Vec<TableRule>,
    /// API-change header names.
    pub api_changes: ApiColumns,
    /// Detect mapping tables by their headers.
    pub detect: bool,
    #[serde(skip)]
    table_globs: Vec<globset::GlobMatcher>,
}

impl MigrationConfig {
    fn from_raw(raw: RawMigration) -> Result<MigrationConfig, String> {
        let ids = raw
            .sets
            .iter()
            .map(|s| s.id.as_str())
            .chain(raw.tables.iter().map(|t| t.set.as_str()));
        for id in ids {
            if !is_set_id(id) {
                return Err(format!(
                    "migration: set id `{id}` must be lower-case letters, digits and `-`"
                ));
            }
        }
        let table_globs = raw
            .tables
            .iter()
            .map(|t| glob(&t.file).map(|g| g.compile_matcher()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MigrationConfig {
            sets: raw.sets,
            tables: raw.tables,
            api_changes: raw.api_changes.unwrap_or_default(),
            detect: raw.detect.unwrap_or(true),
            table_globs,
        })
    }

    /// The declarations that apply to a table in `file` under heading `section`.
    pub fn rules_for<'a>(
        &'a self,
        file: &'a str,
        section: Option<&'a str>,
    ) -> impl Iterator<Item = &'a TableRule> + 'a {
        self.tables
            .iter()
            .zip(&self.table_globs)
            .filter(move |(rule, glob)| {
                glob.is_match(file) && rule.section.as_deref().is_none_or(|s| Some(s) == section)
            })
            .map(|(rule, _)| rule)
    }

    /// The configured set for a pair of system names, compared by [`system_key`] (case,
    /// spacing and punctuation ignored).
    pub fn set_named(&self, source: &str, target: &str) -> Option<&SetNaming> {
        let (source, target) = (system_key(source), system_key(target));
        self.sets
            .iter()
            .find(|s| system_key(&s.source) == source && system_key(&s.target) == target)
    }

    /// The configured naming of set `id`.
    pub fn set_by_id(&self, id: &str) -> Option<&SetNaming> {
        self.sets.iter().find(|s| s.id == id)
    }
}

/// The normalised form of a system name, from which set ids are made: lower-case ASCII
/// letters and digits, every other run of characters one `-` (`Cloud  Partner Portal` →
/// `cloud-partner-portal`), so that the same system written with other spacing, case or
/// markup is the same system.
pub fn system_key(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// True for a valid set id: non-empty, lower-case ASCII letters, digits and `-`.
pub fn is_set_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The `links:` section of `site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLinkPolicy {
    /// Targets that belong to another doc set.
    #[serde(default)]
    pub external: Vec<ExternalRule>,
    /// Glob patterns over link targets as written that are never checked.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Manifests of other docsets: links under their base path are checked against them.
    #[serde(default)]
    pub manifests: Vec<ManifestImport>,
}

/// Another docset's `manifest.json` to check links into it against: `links.manifests` in
/// `site.yaml` (`file` relative to the site root) or `check --manifest BASE=FILE`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestImport {
    /// The other docset's base path (`/azure/`).
    pub base: String,
    /// Its `manifest.json`.
    pub file: PathBuf,
}

/// An imported manifest, read.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedManifest {
    /// Base path, with leading and trailing `/`.
    pub base: String,
    /// The file, as given (for messages).
    pub file: String,
    /// Its content.
    #[serde(skip)]
    pub manifest: std::sync::Arc<crate::model::manifest::Manifest>,
}

/// Maps missing local targets under a path pattern to another doc set's base URL.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalRule {
    /// Glob over the content-relative target path (`partner-center/**`, `*.md`).
    pub path: String,
    /// Base URL; the target path, without its `.md` extension, is appended.
    pub url: String,
}

/// Validated link policy.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LinkPolicy {
    /// External-doc-set rules, in order.
    pub external: Vec<ExternalRule>,
    /// Ignore patterns as written.
    pub ignore: Vec<String>,
    /// Other docsets' manifests, longest base path first.
    pub manifests: Vec<ImportedManifest>,
    #[serde(skip)]
    external_globs: Vec<globset::GlobMatcher>,
    #[serde(skip)]
    ignore_set: GlobSet,
}

impl LinkPolicy {
    /// True when the raw target matches an ignore pattern.
    pub fn is_ignored(&self, dest: &str) -> bool {
        !self.ignore.is_empty() && self.ignore_set.is_match(dest)
    }

    /// The external URL for a missing content-relative path, when a rule claims it.
    pub fn map_external(&self, path: &str) -> Option<String> {
        let i = self.external_globs.iter().position(|g| g.is_match(path))?;
        let rule = &self.external[i];
        // A path above the content folder (`../../extensions/a.md`) goes under the base URL
        // without its `..` segments.
        let path = path.trim_start_matches("../");
        let stem = path.strip_suffix(".md").unwrap_or(path);
        let base = rule.url.trim_end_matches('/');
        Some(format!("{base}/{stem}"))
    }

    /// The imported manifest whose base path holds `path`, when one does.
    pub fn manifest_for(&self, path: &str) -> Option<&ImportedManifest> {
        self.manifests.iter().find(|m| path.starts_with(&m.base))
    }
}

/// Validated configuration that the pipeline stages read.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Page language.
    pub language: String,
    /// Base path, starting and ending with `/`.
    pub base_path: String,
    /// Public origin without a trailing `/` (may be empty).
    pub url: String,
    /// Exclude patterns as written.
    pub exclude: Vec<String>,
    /// Link policy.
    pub links: LinkPolicy,
    /// Severity overrides: `None` turns a code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    /// Build the search index and show the search box.
    pub search: bool,
    /// How much of the model `site.json` shows.
    pub site_json: SiteJsonDetail,
    /// "Edit this page" URL pattern (empty: no link); see [`Config::edit_link`].
    pub edit_url: String,
    /// Editor link pattern for the `serve` error overlay (empty: no links); see
    /// [`Config::editor_link`].
    pub editor: String,
    /// The `migration:` section.
    pub migration: MigrationConfig,
    /// What the docset's `docfx.json` says (which files are pages and which are copied).
    #[serde(skip)]
    pub docfx: Option<Docfx>,
    /// The output folder, content-relative, when it lies inside the content folder (a
    /// docset built in place): discovery skips it.
    #[serde(skip)]
    pub output_inside: Option<String>,
    /// `build --previous-manifest`: the manifest of the last published build, to write the
    /// mapping changes since then (`mappings/<set>.changes.json`).
    #[serde(skip)]
    pub previous_manifest: Option<std::sync::Arc<crate::model::manifest::Manifest>>,
    #[serde(skip)]
    exclude_set: GlobSet,
}

impl Default for Config {
    fn default() -> Self {
        Config::from_raw(RawConfig::default())
            .unwrap_or_else(|_| unreachable!("the empty configuration is valid"))
    }
}

fn glob(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid pattern `{pattern}`: {e}"))
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        builder.add(glob(p)?);
    }
    builder.build().map_err(|e| e.to_string())
}

impl Config {
    /// Validates a raw configuration. The error is a message for the user.
    pub fn from_raw(raw: RawConfig) -> Result<Config, String> {
        let mut severity = BTreeMap::new();
        for (name, level) in &raw.severity {
            let code = Code::from_name(name)
                .ok_or_else(|| format!("severity: unknown diagnostic code `{name}`"))?;
            let level = match level.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "off" => None,
                other => {
                    return Err(format!(
                        "severity.{name}: expected error, warning or off, found `{other}`"
                    ))
                }
            };
            severity.insert(code, level);
        }
        let external_globs = raw
            .links
            .external
            .iter()
            .map(|r| glob(&r.path).map(|g| g.compile_matcher()))
            .collect::<Result<Vec<_>, _>>()?;
        for rule in &raw.links.external {
            if crate::urls::scheme_of(&rule.url).is_none() {
                return Err(format!(
                    "links.external: `{}` is not an absolute URL",
                    rule.url
                ));
            }
        }
        let edit_url = raw.edit_url.unwrap_or_default().trim().to_string();
        if !edit_url.is_empty() && crate::urls::scheme_of(&edit_url).is_none() {
            return Err(format!("edit_url: `{edit_url}` is not an absolute URL"));
        }
        let editor = raw.editor.unwrap_or_default().trim().to_string();
        if !editor.is_empty() && !editor.contains("{path}") {
            return Err(format!(
                "editor: `{editor}` has no `{{path}}` (for example `vscode://file/{{path}}:{{line}}:{{column}}`)"
            ));
        }
        let ignore_set = glob_set(&raw.links.ignore)?;
        let exclude_set = glob_set(&raw.exclude)?;
        let migration = MigrationConfig::from_raw(raw.migration)?;
        Ok(Config {
            title: raw.title.unwrap_or_else(|| "Documentation".to_string()),
            description: raw.description.unwrap_or_default(),
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            base_path: crate::urls::normalize_base_path(raw.base_path.as_deref().unwrap_or("/")),
            url: raw
                .url
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
            exclude: raw.exclude,
            links: LinkPolicy {
                external: raw.links.external,
                ignore: raw.links.ignore,
                manifests: Vec::new(),
                external_globs,
                ignore_set,
            },
            severity,
            search: raw.search.unwrap_or(true),
            site_json: raw.site_json.unwrap_or_default(),
            edit_url,
            editor,
            migration,
            docfx: None,
            output_inside: None,
            previous_manifest: None,
            exclude_set,
        })
    }

    /// The "Edit this page" URL of the page at content-relative `path`: `edit_url` with
    /// `{path}` replaced, or with the path appended (after a `/`); `None` when unset.
    pub fn edit_link(&self, path: &str) -> Option<String> {
        if self.edit_url.is_empty() || path.is_empty() {
            return None;
        }
        let encoded = crate::urls::encode_path(path);
        Some(if self.edit_url.contains("{path}") {
            self.edit_url.replace("{path}", &encoded)
        } else {
            format!("{}/{encoded}", self.edit_url.trim_end_matches('/'))
        })
    }

    /// The editor link of a finding at `line`:`column` of the file at absolute `path`
    /// (percent-encoded); `None` when `editor` is unset.
    pub fn editor_link(&self, path: &str, line: u32, column: u32) -> Option<String> {
        if self.editor.is_empty() {
            return None;
        }
        let path = crate::urls::encode_path(path);
        // `vscode://file/{path}` wants one slash before an absolute Unix path, and
        // `idea://open?file={path}` the path as it is.
        Some(
            self.editor
                .replace("/{path}", &format!("/{}", path.trim_start_matches('/')))
                .replace("{path}", &path)
                .replace("{line}", &line.to_string())
                .replace("{column}", &column.to_string()),
        )
    }

    /// Parses `site.yaml` text.
    pub fn parse(text: &str) -> Result<Config, String> {
        Config::from_raw(RawConfig::parse(text)?)
    }

    /// True when a content-relative path is excluded from the site.
    pub fn is_excluded(&self, path: &str) -> bool {
        !self.exclude.is_empty() && self.exclude_set.is_match(path)
    }

    /// The effective severity of a code (`None`: turned off).
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        self.severity
            .get(&code)
            .copied()
            .unwrap_or(Some(code.default_severity()))
    }
}

/// Folders and files a command works on, from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Site root.
    pub root: PathBuf,
    /// The configuration file, when one exists.
    pub config_file: Option<PathBuf>,
    /// Content folder.
    pub content: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// The validated configuration.
    pub config: Config,
    /// What the command line said, to load the settings again (`serve` after a config change).
    pub location: SiteLocation,
    /// Findings about the configuration files that do not stop the build (a `docfx.json`
    /// that cannot be used: the defaults apply).
    pub findings: Vec<Diagnostic>,
}

/// Command-line view of the site folders (all optional).
#[derive(Debug, Clone, Default)]
pub struct SiteLocation {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--content`.
    pub content: Option<PathBuf>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `check --manifest BASE=FILE` (files relative to the working folder).
    pub manifests: Vec<ManifestImport>,
    /// `build --previous-manifest FILE` (relative to the working folder).
    pub previous_manifest: Option<PathBuf>,
}

impl Settings {
    /// Resolves folders against the root and reads the configuration file.
    /// An explicitly named config file must exist; `site.yaml` in the root is optional.
    pub fn load(loc: &SiteLocation) -> Result<Settings, Error> {
        let root = loc.root.clone().unwrap_or_else(|| PathBuf::from("."));
        let under_root = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                root.join(p)
            }
        };
        let config_file = match &loc.config {
            Some(p) => {
                let p = under_root(p);
                if !p.is_file() {
                    return Err(Error::Config {
                        path: p,
                        message: "no such file".to_string(),
                    });
                }
                Some(p)
            }
            None => Some(root.join("site.yaml")).filter(|p| p.is_file()),
        };
        // A Learn docset folder (a `docfx.json`, no `site.yaml`, no `content/`) is its own
        // content folder, built into `_site` inside it as DocFX does.
        let docset = loc.content.is_none()
            && config_file.is_none()
            && !root.join("content").exists()
            && root.join(docfx::DOCFX_JSON).is_file();
        let mut raw = match &config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                RawConfig::parse(&text).map_err(|message| Error::Config {
                    path: path.clone(),
                    message,
                })?
            }
            None => RawConfig::default(),
        };
        let content = if docset {
            root.clone()
        } else {
            under_root(loc.content.as_deref().unwrap_or(Path::new("content")))
        };
        let default_output = if docset { "_site" } else { "public" };
        let output = under_root(loc.output.as_deref().unwrap_or(Path::new(default_output)));
        let (docfx, findings) = match docfx::read(&content) {
            Ok(docfx) => (docfx, Vec::new()),
            Err(finding) => (None, vec![finding]),
        };
        // `site.yaml` keys win over what `docfx.json` says.
        if let Some(d) = &docfx {
            raw.base_path = raw.base_path.or_else(|| d.dest.clone());
            raw.url = raw.url.or_else(|| d.base_url.clone());
        }
        let raw_manifests = std::mem::take(&mut raw.links.manifests);
        let mut config = Config::from_raw(raw).map_err(|message| Error::Config {
            path: config_file
                .clone()
                .unwrap_or_else(|| content.join(docfx::DOCFX_JSON)),
            message,
        })?;
        config.docfx = docfx;
        let imports = (raw_manifests.iter())
            .map(|m| (m, under_root(&m.file)))
            .chain(loc.manifests.iter().map(|m| (m, m.file.clone())));
        for (import, path) in imports {
            config.links.manifests.push(import_manifest(import, &path)?);
        }
        if let Some(path) = &loc.previous_manifest {
            let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
                path: path.clone(),
                message: format!("previous manifest: {e}"),
            })?;
            let manifest = crate::model::manifest::Manifest::from_json(&text).map_err(|why| {
                Error::Config {
                    path: path.clone(),
                    message: format!("previous manifest: {why}"),
                }
            })?;
            config.previous_manifest = Some(std::sync::Arc::new(manifest));
        }
        config
            .links
            .manifests
            .sort_by(|a, b| b.base.len().cmp(&a.base.len()).then(a.base.cmp(&b.base)));
        // Compared as the output check compares them (links and `..` resolved), so the folder
        // skipped is the folder written.
        config.output_inside = docset
            .then(|| {
                let (out, src) = (
                    crate::output::absolute(&output),
                    crate::output::absolute(&content),
                );
                out.strip_prefix(&src)
                    .ok()
                    .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            })
            .flatten()
            .filter(|rel| !rel.is_empty());
        Ok(Settings {
            root,
            config_file,
            content,
            output,
            config,
            location: loc.clone(),
            findings,
        })
    }

    /// Loads the settings again from the same command-line view (the configuration file may
    /// have changed, appeared or disappeared).
    pub fn reload(&self) -> Result<Settings, Error> {
        Settings::load(&self.location)
    }

    /// The configuration file `serve` watches: the one in use, else `site.yaml` in the root.
    pub fn config_path(&self) -> PathBuf {
        self.config_file
            .clone()
            .unwrap_or_else(|| self.root.join("site.yaml"))
    }
}

/// Reads another docset's manifest; a file that cannot be used is a configuration error
/// naming it.
fn import_manifest(import: &ManifestImport, path: &Path) -> Result<ImportedManifest, Error> {
    let fail = |message: String| Error::Config {
        path: path.to_path_buf(),
        message: format!("manifest for {}: {message}", import.base),
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let manifest = crate::model::manifest::Manifest::from_json(&text).map_err(fail)?;
    Ok(ImportedManifest {
        base: crate::urls::normalize_base_path(&import.base),
        file: path.to_string_lossy().into_owned(),
        manifest: std::sync::Arc::new(manifest),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_did_you_mean() {
        let err = RawConfig::parse("titel: X\n").unwrap_err();
        assert!(err.ends_with("; did you mean `title`?"), "{err}");
        let err = RawConfig::parse("links:\n  ignroe: []\n").unwrap_err();
        assert!(err.ends_with("; did you mean `ignore`?"), "{err}");
        let err = RawConfig::parse("zzzzzzzz: 1\n").unwrap_err();
        assert!(!err.contains("did you mean"), "{err}");
        let err = RawConfig::parse("edit_ulr: https://x.example/\n").unwrap_err();
        assert!(err.ends_with("; did you mean `edit_url`?"), "{err}");
        let err = RawConfig::parse("editr: code\n").unwrap_err();
        assert!(err.ends_with("; did you mean `editor`?"), "{err}");
    }

    #[test]
    fn edit_and_editor_links() {
        let c =
            Config::parse("edit_url: https://git.example/edit/main/docs/{path}?plain=1\n").unwrap();
        assert_eq!(
            c.edit_link("a b/c.md").as_deref(),
            Some("https://git.example/edit/main/docs/a%20b/c.md?plain=1")
        );
        assert_eq!(Config::default().edit_link("c.md"), None);
        assert!(Config::parse("edit_url: docs/{path}\n")
            .unwrap_err()
            .contains("not an absolute URL"));
        let c = Config::parse("editor: \"vscode://file/{path}:{line}:{column}\"\n").unwrap();
        assert_eq!(
            c.editor_link("/home/w/docs/a b.md", 3, 7).as_deref(),
            Some("vscode://file/home/w/docs/a%20b.md:3:7")
        );
        assert_eq!(Config::default().editor_link("/a.md", 1, 1), None);
        assert!(Config::parse("editor: code\n")
            .unwrap_err()
            .contains("no `{path}`"));
    }

    #[test]
    fn parses_policy_and_severity() {
        let c = Config::parse(
            "base_path: partner-center\nlinks:\n  external:\n    - path: \"*.md\"\n      url: https://learn.microsoft.com/azure/marketplace/\nseverity:\n  duplicate-anchor: off\n",
        )
        .unwrap();
        assert_eq!(c.base_path, "/partner-center/");
        assert_eq!(
            c.links.map_external("cloud-partner-portal-api-prerequisites.md").as_deref(),
            Some("https://learn.microsoft.com/azure/marketplace/cloud-partner-portal-api-prerequisites")
        );
        assert_eq!(c.links.map_external("media/x.png"), None);
        assert_eq!(c.severity_of(Code::DuplicateAnchor), None);
        assert_eq!(c.severity_of(Code::BrokenLink), Some(Severity::Error));
    }

    #[test]
    fn rejects_typos_and_bad_values() {
        assert!(Config::parse("titel: x\n").is_err());
        assert!(Config::parse("severity:\n  broken-link: fatal\n").is_err());
        assert!(Config::parse("severity:\n  no-such-code: off\n").is_err());
        assert!(Config::parse(
            "migration:\n  sets:\n    - id: Bad Id\n      source: A\n      target: B\n"
        )
        .is_err());
        assert!(Config::parse("migration:\n  setz: []\n").is_err());
    }

    #[test]
    fn parses_migration_section() {
        let c = Config::parse(
            "migration:\n  sets:\n    - id: cpp-to-pc\n      source: Cloud Partner Portal\n      target: Partner Center\n  tables:\n    - file: \"guide/*.md\"\n      section: pages\n      set: cpp-to-pc\n      source: Old\n      target: New\n  api_changes:\n    api: Endpoint\n    change: What changed\n    impact: Action\n",
        )
        .unwrap();
        let m = &c.migration;
        assert_eq!(
            m.set_named("cloud partner portal", "partner center")
                .unwrap()
                .id,
            "cpp-to-pc"
        );
        assert_eq!(
            m.set_named("Cloud  Partner-Portal", "**Partner Center**")
                .unwrap()
                .id,
            "cpp-to-pc"
        );
        assert_eq!(m.rules_for("guide/a.md", Some("pages")).count(), 1);
        assert_eq!(m.rules_for("guide/a.md", Some("other")).count(), 0);
        assert_eq!(m.rules_for("other/a.md", Some("pages")).count(), 0);
        assert_eq!(m.api_changes.api, "Endpoint");
        assert!(m.detect);
    }
}
