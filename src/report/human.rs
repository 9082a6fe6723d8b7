//! The human report: each finding drawn rustc-style by `annotate-snippets` (the renderer of
//! rustc's own tooling), then counts by code and the files with the most findings, then the
//! summary line. Formatting only; whether to colour is the caller's decision (terminal,
//! `NO_COLOR`, `CLICOLOR_FORCE`), so the same input always gives the same text.

use super::Summary;
use crate::diag::{Diagnostic, Severity};
use annotate_snippets::renderer::{DEFAULT_ERROR_STYLE, DEFAULT_WARNING_STYLE};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// How the human report is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// Write ANSI colours. Off unless the caller found a colour terminal or `CLICOLOR_FORCE`.
    pub color: bool,
}

/// Source excerpts shown for one line; later findings on the same line show none (a long
/// generated line can carry thousands of findings).
const EXCERPTS_PER_LINE: usize = 10;
/// Characters of the source line kept after the underlined span: more than the renderer
/// shows (it trims to its 140-column width itself); this only bounds the work on a huge line.
const TAIL_CHARS: usize = 200;
/// Files listed under "files with the most findings".
const TOP_FILES: usize = 5;

/// Renders diagnostics, their totals and the summary line. `source_line(file, line)`
/// supplies the excerpts. Output stays proportional to the findings: an excerpt shows at
/// most a terminal width of its line, and one line gets at most 10 excerpts.
pub fn human(
    diags: &[Diagnostic],
    summary: &Summary,
    source_line: &dyn Fn(&str, u32) -> Option<String>,
    options: HumanOptions,
) -> String {
    let mut out = human_diagnostics(diags, source_line, options);
    out.push_str(&totals(diags, options));
    out.push_str(&paint(summary_style(summary), &summary.line(), options));
    out.push('\n');
    out
}

/// [`human`] without the totals and the summary line, for commands that end with a summary
/// of their own.
pub fn human_diagnostics(
    diags: &[Diagnostic],
    source_line: &dyn Fn(&str, u32) -> Option<String>,
    options: HumanOptions,
) -> String {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let mut excerpts: HashMap<(&str, u32), usize> = HashMap::new();
    for d in diags {
        let shown = excerpts.entry((d.file.as_str(), d.line)).or_default();
        *shown += 1;
        let excerpt = (*shown <= EXCERPTS_PER_LINE)
            .then(|| source_line(&d.file, d.line))
            .flatten()
            .map(|text| Excerpt::new(&text, d.column, d.target.as_deref()));
        let notes = notes(d, *shown == EXCERPTS_PER_LINE + 1);
        out.push_str(&renderer.render(&[finding(d, excerpt.as_ref(), &notes)]));
        out.push_str("\n\n");
    }
    out
}

/// One finding as an annotate-snippets group: title, location (with the excerpt when there
/// is one), notes, help.
fn finding<'a>(d: &'a Diagnostic, excerpt: Option<&'a Excerpt>, notes: &'a Notes) -> Group<'a> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(visible(&d.message)).id(d.code.as_str());
    let mut group = match excerpt {
        Some(e) => title.element(
            Snippet::source(e.text.as_str())
                .line_start(d.line as usize)
                .path(visible(&d.file))
                .annotation(AnnotationKind::Primary.span(e.span.clone())),
        ),
        None => title.element(
            Origin::path(visible(&d.file))
                .line(d.line as usize)
                .char_column(d.column as usize),
        ),
    };
    for note in &notes.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &notes.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    group
}

/// The `= note:` and `= help:` texts of a finding, made safe for a terminal.
struct Notes {
    notes: Vec<String>,
    help: Option<String>,
}

fn notes(d: &Diagnostic, excerpts_stop_here: bool) -> Notes {
    let mut notes = Vec::new();
    if excerpts_stop_here {
        notes.push("further findings on this line are shown without the source".to_string());
    }
    for r in &d.related {
        notes.push(format!(
            "{} at {}:{}",
            visible(&r.message),
            visible(&r.file),
            r.line
        ));
    }
    Notes {
        notes,
        help: d.suggestion.as_deref().map(|s| visible(s).into_owned()),
    }
}

/// A source line prepared for the renderer, with the byte range to underline.
struct Excerpt {
    text: String,
    span: Range<usize>,
}

impl Excerpt {
    /// The line up to [`TAIL_CHARS`] past the finding (then `...`) (the renderer trims the start itself),
    /// underlined from the reported column to the end of the target when the target is
    /// written there. Characters unsafe on a terminal become U+FFFD, one for one, so the
    /// column the renderer prints is still the column of the finding.
    fn new(line: &str, column: u32, target: Option<&str>) -> Excerpt {
        let (start, end) = underline(line, column, target);
        let keep = end + TAIL_CHARS;
        let mut text = String::with_capacity(line.len().min(keep * 4));
        let (mut from, mut to) = (None, None);
        for (i, c) in line.chars().enumerate() {
            if i == start {
                from = Some(text.len());
            }
            if i == end {
                to = Some(text.len());
            }
            if i == keep {
                text.push_str("...");
                break;
            }
            text.push(match c {
                '\t' => ' ',
                c if needs_escape(c) => '\u{fffd}',
                c => c,
            });
        }
        let from = from.unwrap_or(text.len());
        let to = to.unwrap_or(text.len()).max(from);
        Excerpt {
            text,
            span: from..to,
        }
    }
}

/// The characters to underline, `start..end`: from the reported column to the end of the
/// target when the target is written at or shortly after it (with or without its leading
/// `#`), else the one character at the column.
fn underline(line: &str, column: u32, target: Option<&str>) -> (usize, usize) {
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
            (skip < 80).then(|| col + skip + t.chars().count())
        });
    (col, found.unwrap_or(col + 1))
}

/// The table after the findings: counts by code, then the files with the most findings.
/// Empty when there are no findings.
pub fn totals(diags: &[Diagnostic], options: HumanOptions) -> String {
    if diags.is_empty() {
        return String::new();
    }
    let mut by_code: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diags {
        *by_code.entry((d.severity, d.code.as_str())).or_default() += 1;
        *by_file.entry(d.file.as_str()).or_default() += 1;
    }
    let heading = Style::new().bold();
    let mut out = paint(heading, "findings by code:", options);
    out.push('\n');
    for ((severity, code), n) in &by_code {
        let style = severity_style(*severity);
        out.push_str(&format!(
            "{n:>7}  {}\n",
            paint(style, &format!("{severity}[{code}]"), options)
        ));
    }
    let mut files: Vec<(&str, usize)> = by_file.into_iter().collect();
    // Most findings first; equal counts in path order, so the table is deterministic.
    files.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out.push_str(&paint(heading, "files with the most findings:", options));
    out.push('\n');
    for (file, n) in files.iter().take(TOP_FILES) {
        out.push_str(&format!("{n:>7}  {}\n", visible(file)));
    }
    if files.len() > TOP_FILES {
        let more = files.len() - TOP_FILES;
        out.push_str(&format!(
            "         and {more} more file{}\n",
            if more == 1 { "" } else { "s" }
        ));
    }
    out.push('\n');
    out
}

/// The renderer's own colours, so the totals match the findings above them.
fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => DEFAULT_ERROR_STYLE,
        Severity::Warning => DEFAULT_WARNING_STYLE,
    }
}

/// Red when anything failed, yellow for warnings only, green when clean.
fn summary_style(summary: &Summary) -> Style {
    if summary.errors > 0 {
        DEFAULT_ERROR_STYLE
    } else if summary.warnings > 0 {
        DEFAULT_WARNING_STYLE
    } else {
        AnsiColor::BrightGreen.on_default().bold()
    }
}

/// `text` in `style` when colouring, else as it is.
fn paint(style: Style, text: &str, options: HumanOptions) -> String {
    if options.color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
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
    text.chars()
        .map(|c| {
            if needs_escape(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests;
