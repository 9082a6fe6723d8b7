//! Report formats for diagnostics: human (rustc-style), JSON, GitHub workflow commands and
//! SARIF 2.1.0. Formatting only: the findings are computed elsewhere.

use crate::diag::{count, Code, Diagnostic, Severity};
use crate::model::LinkCounts;
use serde::Serialize;
use serde_json::json;

mod human;

pub use human::{human, human_diagnostics, totals, HumanOptions};

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style text with source excerpts.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

/// The numbers of the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Error-severity findings.
    pub errors: usize,
    /// Warning-severity findings.
    pub warnings: usize,
    /// Pages checked.
    pub pages: usize,
    /// Internal links checked.
    pub internal_links: usize,
    /// External links counted but not fetched.
    pub external_links: usize,
    /// Links to other docsets on the same host (site-absolute, outside the base path).
    pub cross_docset_links: usize,
}

impl Summary {
    /// Summarises a run.
    pub fn new(diags: &[Diagnostic], pages: usize, links: LinkCounts) -> Summary {
        let c = count(diags);
        Summary {
            errors: c.errors,
            warnings: c.warnings,
            pages,
            internal_links: links.internal,
            external_links: links.external,
            cross_docset_links: links.cross_docset,
        }
    }

    /// `N errors, M warnings in P pages; L internal links, X external links not checked`,
    /// then `, Y links to other docsets` when there are any.
    pub fn line(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut line = format!(
            "{}, {} in {}; {}, {} not checked",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.pages, "page"),
            plural(self.internal_links, "internal link"),
            plural(self.external_links, "external link"),
        );
        if self.cross_docset_links > 0 {
            line.push_str(&format!(
                ", {} to other docsets",
                plural(self.cross_docset_links, "link")
            ));
        }
        line
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: Code,
    severity: Severity,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    target: Option<&'a str>,
    suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: &'a Vec<crate::diag::Related>,
}

/// One JSON document: `{"diagnostics": [...], "summary": {...}}`.
pub fn json(diags: &[Diagnostic], summary: &Summary) -> String {
    let list: Vec<JsonDiagnostic<'_>> = diags
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.code,
            severity: d.severity,
            file: &d.file,
            line: d.line,
            column: d.column,
            message: &d.message,
            target: d.target.as_deref(),
            suggestion: d.suggestion.as_deref(),
            related: &d.related,
        })
        .collect();
    let doc = json!({ "diagnostics": list, "summary": summary });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_property(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands; `path_prefix` turns content-relative paths into
/// repository paths (`content/`).
pub fn github(diags: &[Diagnostic], summary: &Summary, path_prefix: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(s) = &d.suggestion {
            message.push_str(&format!(" ({s})"));
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            gh_escape_property(&format!("{path_prefix}{}", d.file)),
            d.line,
            d.column,
            gh_escape_property(d.code.as_str()),
            gh_escape_data(&message)
        ));
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}

/// SARIF 2.1.0 with one rule per diagnostic code.
pub fn sarif(diags: &[Diagnostic], path_prefix: &str) -> String {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str(),
                "shortDescription": { "text": c.description() },
                "fullDescription": { "text": c.description() },
                "defaultConfiguration": { "level": level(c.default_severity()) },
            })
        })
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(s) = &d.suggestion {
                text.push_str(&format!(" ({s})"));
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": sarif_uri(path_prefix, &d.file), "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": d.line, "startColumn": d.column }
                    }
                }]
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, r)| {
                        json!({
                            "id": id,
                            "message": { "text": r.message },
                            "physicalLocation": {
                                "artifactLocation": { "uri": sarif_uri(path_prefix, &r.file), "uriBaseId": "%SRCROOT%" },
                                "region": { "startLine": r.line }
                            }
                        })
                    })
                    .collect();
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "docshift",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// Characters a SARIF `uri` (an RFC 3986 URI reference) cannot hold unescaped in a path.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A repository-relative file path as a SARIF artifact URI (percent-encoded).
fn sarif_uri(path_prefix: &str, file: &str) -> String {
    let path = format!("{path_prefix}{file}");
    percent_encoding::utf8_percent_encode(&path, URI_PATH).to_string()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
