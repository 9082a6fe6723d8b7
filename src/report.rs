//! Report formats for diagnostics: human (rustc-style), JSON, GitHub workflow commands and
//! SARIF 2.1.0. Formatting only: the findings are computed elsewhere.

use crate::diag::{count, Code, Diagnostic, Severity};
use crate::model::LinkCounts;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

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

/// Source excerpts shown for one line; later findings on the same line show none (a long
/// generated line can carry thousands of findings).
const EXCERPTS_PER_LINE: usize = 10;
/// Characters of a long source line shown around the finding.
const EXCERPT_WIDTH: usize = 120;

/// Renders diagnostics as rustc-style text. `source_line(file, line)` supplies the excerpt.
/// Output stays proportional to the findings: an excerpt is at most 120
/// characters of its line, and one line gets at most 10 excerpts.
pub fn human(
    diags: &[Diagnostic],
    summary: &Summary,
    source_line: &dyn Fn(&str, u32) -> Option<String>,
) -> String {
    let mut out = human_diagnostics(diags, source_line);
    out.push_str(&summary.line());
    out.push('\n');
    out
}

/// [`human`] without the summary line, for commands that end with a summary of their own.
pub fn human_diagnostics(
    diags: &[Diagnostic],
    source_line: &dyn Fn(&str, u32) -> Option<String>,
) -> String {
    let mut out = String::new();
    let mut excerpts: HashMap<(&str, u32), usize> = HashMap::new();
    for d in diags {
        out.push_str(&format!(
            "{}[{}]: {}\n",
            d.severity,
            d.code,
            visible(&d.message)
        ));
        let gutter = d.line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!(
            "{pad}--> {}:{}:{}\n",
            visible(&d.file),
            d.line,
            d.column
        ));
        let shown = excerpts.entry((d.file.as_str(), d.line)).or_default();
        *shown += 1;
        if *shown == EXCERPTS_PER_LINE + 1 {
            out.push_str(&format!(
                "{pad} = note: further findings on this line are shown without the source\n"
            ));
        }
        let text = (*shown <= EXCERPTS_PER_LINE)
            .then(|| source_line(&d.file, d.line))
            .flatten();
        if let Some(text) = text {
            let text = text.replace('\t', " ");
            let (start, width) = caret(&text, d.column, d.target.as_deref());
            let (excerpt, start, width) = clip(&text, start, width);
            let (excerpt, start, width) = visible_excerpt(&excerpt, start, width);
            out.push_str(&format!(
                "{pad} |\n{} | {}\n{pad} | {}{}\n",
                d.line,
                excerpt,
                " ".repeat(start),
                "^".repeat(width)
            ));
        }
        for r in &d.related {
            out.push_str(&format!(
                "{pad} = note: {} at {}:{}\n",
                visible(&r.message),
                visible(&r.file),
                r.line
            ));
        }
        if let Some(s) = &d.suggestion {
            out.push_str(&format!("{pad} = help: {}\n", visible(s)));
        }
        out.push('\n');
    }
    out
}

/// Whether a character must not reach a terminal as it is: control characters (an escape
/// sequence can recolour, retitle or clear the terminal) and the bidirectional overrides
/// that make text display in another order than it is read.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character that [`needs_escape`] written as `\u{..}`.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    out.into()
}

/// Appends `c`, escaped when it [`needs_escape`]; returns the characters written.
fn push_visible(out: &mut String, c: char) -> usize {
    if needs_escape(c) {
        let escaped = c.escape_unicode().to_string();
        out.push_str(&escaped);
        escaped.len()
    } else {
        out.push(c);
        1
    }
}

/// [`visible`] for an excerpt, moving the caret (`start`, `width` in characters) so it
/// stays under the same characters.
fn visible_excerpt(excerpt: &str, start: usize, width: usize) -> (String, usize, usize) {
    let mut out = String::with_capacity(excerpt.len());
    let (mut new_start, mut new_width) = (0, 0);
    for (i, c) in excerpt.chars().enumerate() {
        let written = push_visible(&mut out, c);
        if i < start {
            new_start += written;
        } else if i < start + width {
            new_width += written;
        }
    }
    (out, new_start, new_width.max(1))
}

/// At most [`EXCERPT_WIDTH`] characters of `line` around the caret (`start`, `width` in
/// characters), with `…` where it was cut; returns the excerpt and the caret within it.
fn clip(line: &str, start: usize, width: usize) -> (String, usize, usize) {
    let chars = line.chars().count();
    if chars <= EXCERPT_WIDTH {
        return (line.to_string(), start, width);
    }
    let width = width.clamp(1, EXCERPT_WIDTH / 2);
    let from = start
        .saturating_sub((EXCERPT_WIDTH - width) / 2)
        .min(chars - EXCERPT_WIDTH);
    let to = from + EXCERPT_WIDTH;
    let mut excerpt = String::new();
    if from > 0 {
        excerpt.push('…');
    }
    excerpt.extend(line.chars().skip(from).take(to - from));
    if to < chars {
        excerpt.push('…');
    }
    (excerpt, start - from + usize::from(from > 0), width)
}

/// Where the caret goes under a source line, in characters: under the target when it is
/// written at or shortly after the reported column (with or without its leading `#`),
/// else one caret at the column.
fn caret(line: &str, column: u32, target: Option<&str>) -> (usize, usize) {
    let at = line
        .char_indices()
        .nth((column as usize).saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let col = line[..at].chars().count();
    let rest = &line[at..];
    let found = target
        .into_iter()
        .flat_map(|t| [t, t.trim_start_matches('#')])
        .find_map(|t| {
            // Only the next 80 characters are searched.
            let window = rest
                .char_indices()
                .nth(80 + t.chars().count())
                .map_or(rest, |(i, _)| &rest[..i]);
            let at = window.find(t).filter(|_| !t.is_empty())?;
            let skip = window[..at].chars().count();
            (skip < 80).then(|| (col + skip, t.chars().count()))
        });
    found.unwrap_or((col, 1))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, column: u32, message: &str, target: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::new(Code::BrokenLink, file, 1, column, message);
        d.target = target.map(str::to_string);
        d
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal_raw() {
        let line = "see \u{1b}[2J\u{1b}]0;pwned\u{7}[x](missing.md) \u{202e}txt.exe";
        let d = finding(
            "evil\u{1b}[31m.md",
            22,
            "`missing.md`\u{1b}[0m does not exist",
            Some("missing.md"),
        )
        .with_suggestion("try \u{9b}1m");
        let out = human(&[d], &Summary::default(), &|_, _| Some(line.to_string()));
        assert!(
            !out.chars().any(needs_escape_except_newline),
            "raw control characters in {out:?}"
        );
        assert!(out.contains("evil\\u{1b}[31m.md:1:22"), "{out}");
        assert!(out.contains("\\u{202e}txt.exe"), "{out}");
        assert!(out.contains("try \\u{9b}1m"), "{out}");
        // The caret still sits under the link target after the escapes widened the line.
        let lines: Vec<&str> = out.lines().collect();
        let source = lines.iter().position(|l| l.starts_with("1 | ")).unwrap();
        let at = lines[source].find("missing.md").unwrap();
        let caret = lines[source + 1];
        assert_eq!(caret.find('^'), Some(at), "{out}");
        assert_eq!(caret.matches('^').count(), "missing.md".len(), "{out}");
    }

    fn needs_escape_except_newline(c: char) -> bool {
        c != '\n' && needs_escape(c)
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            visible("docs/a b.md"),
            std::borrow::Cow::Borrowed("docs/a b.md")
        ));
    }
}
