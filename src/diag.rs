//! Diagnostics: every content finding is a [`Diagnostic`] value with a stable [`Code`].
//!
//! Leaf module: it knows nothing about parsing or rendering. Fatal conditions are
//! [`crate::error::Error`], never diagnostics.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable identifier of a kind of finding. CI configurations match on these strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The target page or file does not exist.
    BrokenLink,
    /// The target exists but does not define the fragment.
    BrokenAnchor,
    /// The target resolves outside the content folder.
    LinkOutsideRoot,
    /// An image or other asset does not exist.
    MissingAsset,
    /// Two explicit anchors (or an explicit anchor and a heading id) share an id.
    DuplicateAnchor,
    /// Front matter is not valid YAML.
    InvalidFrontMatter,
    /// The file is not UTF-8.
    InvalidUtf8,
    /// The file holds a NUL character (replaced by U+FFFD).
    InvalidCharacter,
    /// A `:::` directive is unknown, unterminated or missing required attributes.
    MalformedDirective,
    /// An `[!INCLUDE]` names a missing file or forms a cycle.
    IncludeNotFound,
    /// Includes nest deeper than [`MAX_INCLUDE_DEPTH`] levels.
    IncludeTooDeep,
    /// Includes expand one page past [`MAX_INCLUDED_BYTES`].
    IncludeTooLarge,
    /// A file could not be read at all.
    UnreadableFile,
    /// One source URL of a mapping set is mapped to two different targets.
    MappingConflict,
    /// The same mapping row appears twice in a set.
    MappingDuplicate,
    /// A URL cell of a mapping table does not hold one absolute URL.
    MappingInvalidUrl,
    /// Two tables that are copies of one fact (same header, same first-column keys, at least
    /// three quarters of the other cells identical) differ in a cell.
    TableDrift,
    /// A YAML mapping file, `YamlMime:FAQ`, `Hub` or `Landing` file, `docfx.json` or table of
    /// contents does not parse or does not follow its schema.
    InvalidDataFile,
    /// A link in a page runs script when followed (`javascript:`, `vbscript:`, `data:text/html`).
    DangerousLink,
    /// A content YAML file of a docset names no `YamlMime` schema, or one docshift does not
    /// render: it is not a page.
    UnknownYamlMime,
    /// A docset has no root page (`index.md` or `index.yml`): its base path shows only a generated list of pages.
    MissingHomePage,
    /// `diff`: an anchor the old version had and the new one lacks is still linked.
    RemovedAnchorLinked,
    /// `diff`: a page the old version had and the new one neither has nor redirects is
    /// still linked.
    RemovedPageLinked,
    /// `diff`: a page the old version had is gone from the new one, with no redirect.
    MissingRedirect,
    /// A redirection file is not JSON, or an entry lacks a key or has a value of the wrong kind.
    RedirectionInvalid,
    /// One source path is redirected to two different URLs.
    RedirectionConflict,
    /// A redirected file still exists.
    RedirectedFileNotRemoved,
    /// A redirect leads to a page that is itself redirected.
    RedirectChain,
    /// Redirects lead back to where they started.
    RedirectCycle,
    /// A link names a page that was moved: it resolves through the redirect.
    LinkToRedirectedPage,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 30] = [
        Code::BrokenLink,
        Code::BrokenAnchor,
        Code::LinkOutsideRoot,
        Code::MissingAsset,
        Code::DuplicateAnchor,
        Code::InvalidFrontMatter,
        Code::InvalidUtf8,
        Code::InvalidCharacter,
        Code::MalformedDirective,
        Code::IncludeNotFound,
        Code::IncludeTooDeep,
        Code::IncludeTooLarge,
        Code::UnreadableFile,
        Code::MappingConflict,
        Code::MappingDuplicate,
        Code::MappingInvalidUrl,
        Code::TableDrift,
        Code::InvalidDataFile,
        Code::DangerousLink,
        Code::UnknownYamlMime,
        Code::MissingHomePage,
        Code::RemovedAnchorLinked,
        Code::RemovedPageLinked,
        Code::MissingRedirect,
        Code::RedirectionInvalid,
        Code::RedirectionConflict,
        Code::RedirectedFileNotRemoved,
        Code::RedirectChain,
        Code::RedirectCycle,
        Code::LinkToRedirectedPage,
    ];

    /// The kebab-case name used in every output format.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::LinkOutsideRoot => "link-outside-root",
            Code::MissingAsset => "missing-asset",
            Code::DuplicateAnchor => "duplicate-anchor",
            Code::InvalidFrontMatter => "invalid-front-matter",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::InvalidCharacter => "invalid-character",
            Code::MalformedDirective => "malformed-directive",
            Code::IncludeNotFound => "include-not-found",
            Code::IncludeTooDeep => "include-too-deep",
            Code::IncludeTooLarge => "include-too-large",
            Code::UnreadableFile => "unreadable-file",
            Code::MappingConflict => "mapping-conflict",
            Code::MappingDuplicate => "mapping-duplicate",
            Code::MappingInvalidUrl => "mapping-invalid-url",
            Code::TableDrift => "table-drift",
            Code::InvalidDataFile => "invalid-data-file",
            Code::DangerousLink => "dangerous-link",
            Code::UnknownYamlMime => "unknown-yaml-mime",
            Code::MissingHomePage => "missing-home-page",
            Code::RemovedAnchorLinked => "removed-anchor-linked",
            Code::RemovedPageLinked => "removed-page-linked",
            Code::MissingRedirect => "missing-redirect",
            Code::RedirectionInvalid => "redirection-invalid",
            Code::RedirectionConflict => "redirection-conflict",
            Code::RedirectedFileNotRemoved => "redirected-file-not-removed",
            Code::RedirectChain => "redirect-chain",
            Code::RedirectCycle => "redirect-cycle",
            Code::LinkToRedirectedPage => "link-to-redirected-page",
        }
    }

    /// Parses a kebab-case code name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The severity a finding of this code has unless the site configuration overrides it.
    pub const fn default_severity(self) -> Severity {
        match self {
            Code::DuplicateAnchor
            | Code::MalformedDirective
            | Code::MappingDuplicate
            | Code::TableDrift
            | Code::DangerousLink
            | Code::UnknownYamlMime
            | Code::MissingHomePage
            | Code::MissingRedirect
            | Code::RedirectedFileNotRemoved
            | Code::RedirectChain
            | Code::LinkToRedirectedPage => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// One-line description, used for SARIF rules and `--help` texts.
    pub const fn description(self) -> &'static str {
        match self {
            Code::BrokenLink => "The link target page or file does not exist.",
            Code::BrokenAnchor => "The target page exists but does not define the fragment.",
            Code::LinkOutsideRoot => "The link target resolves outside the content folder.",
            Code::MissingAsset => "An image or other asset does not exist.",
            Code::DuplicateAnchor => "Two anchors in one page share an id.",
            Code::InvalidFrontMatter => "The front matter is not valid YAML.",
            Code::InvalidUtf8 => "The file is not valid UTF-8.",
            Code::InvalidCharacter => "The file holds a NUL character; it is read as U+FFFD.",
            Code::MalformedDirective => {
                "A ::: directive is unknown, unterminated or missing required attributes."
            }
            Code::IncludeNotFound => "An [!INCLUDE] names a missing file or forms a cycle.",
            Code::IncludeTooDeep => "[!INCLUDE]s nest deeper than 64 levels.",
            Code::IncludeTooLarge => "[!INCLUDE]s expand one page past 16 MiB of included text.",
            Code::UnreadableFile => "The file could not be read.",
            Code::MappingConflict => {
                "One source URL of a mapping set is mapped to two different targets."
            }
            Code::MappingDuplicate => "The same mapping row appears twice in a set.",
            Code::MappingInvalidUrl => {
                "A URL cell of a mapping table is empty, relative, not a URL or holds several URLs."
            }
            Code::TableDrift => {
                "Two copies of one table (same header and first-column keys, at least three quarters of the other cells identical) differ in a cell."
            }
            Code::InvalidDataFile => {
                "A mapping file, YamlMime:FAQ, Hub or Landing file, docfx.json or table of contents does not parse or does not follow its schema."
            }
            Code::DangerousLink => {
                "A link runs script when followed (javascript:, vbscript:, data:text/html)."
            }
            Code::UnknownYamlMime => {
                "A content YAML file names no YamlMime schema, or one that is not rendered; it is not a page."
            }
            Code::MissingHomePage => {
                "A docset has no root page (index.md or index.yml): its base path shows only a generated list of pages."
            }
            Code::RemovedAnchorLinked => {
                "diff: an anchor of the old version that the new one lacks is still linked."
            }
            Code::RemovedPageLinked => {
                "diff: a page of the old version that the new one neither has nor redirects is still linked."
            }
            Code::MissingRedirect => {
                "diff: a page of the old version is gone from the new one, and nothing redirects it."
            }
            Code::RedirectionInvalid => {
                "A redirection file is not JSON, or an entry lacks a key or has a value of the wrong kind."
            }
            Code::RedirectionConflict => "One source path is redirected to two different URLs.",
            Code::RedirectedFileNotRemoved => "A redirected file still exists.",
            Code::RedirectChain => "A redirect leads to a page that is itself redirected.",
            Code::RedirectCycle => "Redirects lead back to where they started.",
            Code::LinkToRedirectedPage => {
                "A link names a page that was moved; it resolves through the redirect."
            }
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Deepest nesting of `[!INCLUDE]`s expanded (DocFX has no limit; real docsets nest two or
/// three levels, and the parser's recursion must stay bounded).
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// Most included text expanded into one page. A chain of files that each include the next
/// twice doubles the page at every level; past this the rest of the includes are left out.
/// Each include counts at least [`MIN_INCLUDE_COST`], so a fan-out of tiny files stops
/// after 4,096 expansions.
pub const MAX_INCLUDED_BYTES: usize = 16 * 1024 * 1024;

/// What one include counts against [`MAX_INCLUDED_BYTES`] at least.
pub const MIN_INCLUDE_COST: usize = 4096;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` and `build --strict`.
    Error,
    /// Reported; fails only with `--deny-warnings` / `--strict`.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A second location that belongs to a finding (the other half of a duplicate, an include chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// File relative to the content folder, `/`-separated.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// What this location is.
    pub message: String,
}

/// One finding about the content, with its location in the original file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable identifier.
    pub code: Code,
    /// Severity after configuration overrides.
    pub severity: Severity,
    /// File relative to the content folder, `/`-separated.
    pub file: String,
    /// 1-based line in the original file (front matter, BOM and CRLF accounted for).
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// Human-readable message.
    pub message: String,
    /// The raw link target or directive this finding is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// A suggested fix ("did you mean `faq`?").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Other locations that belong to this finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A finding with the code's default severity.
    pub fn new(
        code: Code,
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            file: file.into(),
            line,
            column,
            message: message.into(),
            target: None,
            suggestion: None,
            related: Vec::new(),
        }
    }

    /// Sets the raw target.
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Sets the suggestion.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }
}

/// Sorts diagnostics into their canonical order: file, line, column, code, message.
pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.line,
            a.column,
            a.code,
            a.message.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                b.line,
                b.column,
                b.code,
                b.message.as_str(),
            ))
    });
}

/// Counts of errors and warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Error-severity findings.
    pub errors: usize,
    /// Warning-severity findings.
    pub warnings: usize,
}

/// Counts the findings by severity.
pub fn count(diags: &[Diagnostic]) -> Counts {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Counts {
        errors,
        warnings: diags.len() - errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_round_trip() {
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn default_severities_follow_the_table() {
        assert_eq!(Code::BrokenLink.default_severity(), Severity::Error);
        assert_eq!(Code::DuplicateAnchor.default_severity(), Severity::Warning);
        assert_eq!(
            Code::MalformedDirective.default_severity(),
            Severity::Warning
        );
        assert_eq!(Code::MappingConflict.default_severity(), Severity::Error);
        assert_eq!(Code::MappingDuplicate.default_severity(), Severity::Warning);
        assert_eq!(Code::MappingInvalidUrl.default_severity(), Severity::Error);
        assert_eq!(Code::TableDrift.default_severity(), Severity::Warning);
    }
}
