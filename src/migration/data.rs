//! YAML data files: mapping sets (`*.mapping.yaml`) and Microsoft Learn `YamlMime:FAQ`
//! files. Each is validated (file:line diagnostics) and turned into generated Markdown whose
//! lines map back to the YAML lines, so the parse stage renders it like any page and every
//! finding points into the YAML file.

use super::cells::check_absolute_url;
use super::SetKey;
use crate::diag::{Code, Diagnostic};
use crate::settings::is_set_id;
use crate::slug::Slugger;
use crate::source::SourceFile;
use crate::yaml::{Spanned, SpannedValue};
use serde::Deserialize;

/// A mapping set authored in YAML.
#[derive(Debug, Clone)]
pub struct MappingFile {
    /// Content-relative path of the YAML file.
    pub path: String,
    /// Set id and system names.
    pub key: SetKey,
    /// Valid entries in file order.
    pub entries: Vec<FileEntry>,
}

/// One entry of a YAML mapping set.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Label (`label:`), if written.
    pub label: Option<String>,
    /// Old URL.
    pub source: String,
    /// New URL, or a path to a content file (relative like a Markdown link).
    pub target: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// 1-based line of the entry.
    pub line: u32,
}

/// A loaded data file.
#[derive(Debug, Clone, Default)]
pub struct DataFile {
    /// Content-relative path.
    pub path: String,
    /// The mapping set, for mapping files that parse.
    pub mapping: Option<MappingFile>,
    /// True for a `YamlMime:FAQ` file.
    pub is_faq: bool,
    /// Generated page source: FAQ files, and mapping files with a `title`.
    pub page: Option<SourceFile>,
    /// Generated table-only source that `[!INCLUDE]` of a mapping file expands to.
    pub include: Option<SourceFile>,
    /// The page moves of a redirection file (`.openpublishing.redirection.json`): always
    /// present for such a file, empty when it does not parse.
    pub redirections: Option<super::redirections::RedirectionFile>,
    /// Findings (an `invalid-data-file` error means the file could not be used at all).
    pub diagnostics: Vec<Diagnostic>,
}

impl DataFile {
    /// True when the file could not be used at all.
    pub fn failed(&self) -> bool {
        // A redirection file never makes a page: its bad entries are findings of their own,
        // and the build goes on with the rest.
        self.page.is_none() && self.include.is_none() && self.redirections.is_none()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMappingFile {
    id: String,
    source: String,
    target: String,
    title: Option<String>,
    description: Option<String>,
    label_header: Option<String>,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    label: Option<String>,
    source: String,
    target: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawFaq {
    #[allow(dead_code, reason = "part of the Learn schema; accepted and unused")]
    uid: Option<String>,
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    title: String,
    summary: Option<String>,
    sections: Vec<RawSection>,
    additional_content: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    name: Option<String>,
    summary: Option<String>,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    question: String,
    answer: String,
}

fn invalid(path: &str, line: u32, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::InvalidDataFile, path, line, 1, message)
}

/// Validates a data file and generates its Markdown (a redirection file has none: it is
/// read into its page moves).
pub fn parse_data_file(src: &SourceFile) -> DataFile {
    if crate::urls::is_redirection_path(&src.path) {
        let (file, diagnostics) = super::redirections::parse_redirection_file(src);
        return DataFile {
            path: src.path.clone(),
            redirections: Some(file),
            diagnostics,
            ..DataFile::default()
        };
    }
    let mut out = DataFile {
        path: src.path.clone(),
        is_faq: !crate::urls::is_mapping_path(&src.path),
        ..DataFile::default()
    };
    if out.is_faq {
        match crate::yaml::from_str::<RawFaq>(&src.text) {
            Ok(raw) => out.page = Some(faq_markdown(src, &raw)),
            Err(e) => out.diagnostics.push(invalid(
                &src.path,
                e.line.unwrap_or(1),
                format!("not a valid YamlMime:FAQ file: {}", e.message),
            )),
        }
        return out;
    }
    match crate::yaml::from_str::<RawMappingFile>(&src.text) {
        Ok(raw) => mapping(src, raw, &mut out),
        Err(e) => out.diagnostics.push(invalid(
            &src.path,
            e.line.unwrap_or(1),
            format!("not a valid mapping file: {}", e.message),
        )),
    }
    out
}

fn mapping(src: &SourceFile, raw: RawMappingFile, out: &mut DataFile) {
    let path = &src.path;
    if !is_set_id(&raw.id) {
        let line = key_lines(&src.text, "id").first().copied().unwrap_or(1);
        out.diagnostics.push(invalid(
            path,
            line,
            format!(
                "set id `{}` must be lower-case letters, digits and `-`",
                raw.id
            ),
        ));
        return;
    }
    let entries_line = key_lines(&src.text, "entries")
        .first()
        .copied()
        .unwrap_or(1);
    let mut lines = item_lines(&src.text, entries_line);
    if lines.len() != raw.entries.len() {
        lines = vec![entries_line; raw.entries.len()];
    }
    let mut entries = Vec::new();
    for (e, line) in raw.entries.into_iter().zip(lines) {
        match file_entry(path, e, line) {
            Ok(entry) => entries.push(entry),
            Err(d) => out.diagnostics.push(d),
        }
    }
    let key = SetKey {
        id: raw.id,
        source: raw.source,
        target: raw.target,
    };
    let file = MappingFile {
        path: path.clone(),
        key,
        entries,
    };
    let label_header = raw.label_header.unwrap_or_else(|| "Page".to_string());
    let table = table_markdown(&file, &label_header, entries_line);
    out.include = Some(SourceFile::generated(
        path,
        table.text.clone(),
        table.map.clone(),
    ));
    if let Some(title) = raw.title {
        let title_line = key_lines(&src.text, "title").first().copied().unwrap_or(1);
        let mut g = Gen::default();
        let mut fm = serde_json::Map::new();
        fm.insert("title".into(), title.clone().into());
        if let Some(d) = raw.description {
            fm.insert("description".into(), d.into());
        }
        g.front_matter(&fm, title_line);
        g.push(&format!("# {}", md_text(&title)), title_line);
        g.push("", title_line);
        g.text.push_str(&table.text);
        g.map.extend(&table.map);
        out.page = Some(SourceFile::generated(path, g.text, g.map));
    }
    out.mapping = Some(file);
}

/// Validates one YAML entry: an absolute source URL, and a target that is an absolute URL
/// or a path without spaces.
fn file_entry(path: &str, e: RawEntry, line: u32) -> Result<FileEntry, Diagnostic> {
    let bad_url = |what: &str, url: &str, reason: String| {
        Diagnostic::new(
            Code::MappingInvalidUrl,
            path,
            line,
            1,
            format!("{what} `{url}` is not a valid URL: {reason}"),
        )
        .with_target(url.to_string())
    };
    check_absolute_url(&e.source).map_err(|r| bad_url("source", &e.source, r))?;
    let target = e
        .target
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if let Some(t) = &target {
        if crate::urls::scheme_of(t).is_some() {
            check_absolute_url(t).map_err(|r| bad_url("target", t, r))?;
        } else if t.contains(char::is_whitespace) {
            let reason = "it contains spaces (write an absolute URL or a path to a page)";
            return Err(bad_url("target", t, reason.to_string()));
        }
    }
    let squashed = |s: Option<String>| {
        s.map(|s| super::cells::squash(&s))
            .filter(|s| !s.is_empty())
    };
    Ok(FileEntry {
        label: squashed(e.label),
        source: e.source.trim().to_string(),
        target,
        note: squashed(e.note),
        line,
    })
}

/// Generated Markdown with the original line of every generated line.
#[derive(Default)]
struct Gen {
    text: String,
    map: Vec<u32>,
}

impl Gen {
    /// Appends `text` (one or more lines), every line mapped to `line`.
    fn push(&mut self, text: &str, line: u32) {
        for l in text.split('\n') {
            self.text.push_str(l);
            self.text.push('\n');
            self.map.push(line);
        }
    }

    /// Appends a block scalar: line `i` of `text` maps to `first + i` (or all to `first`).
    fn push_block(&mut self, text: &str, first: u32, block: bool) {
        for (i, l) in text.trim_end().split('\n').enumerate() {
            self.push(l, if block { first + i as u32 } else { first });
        }
    }

    fn front_matter(&mut self, fm: &serde_json::Map<String, serde_json::Value>, line: u32) {
        // JSON is YAML, and serde_json escapes everything that could break the block.
        let json = serde_json::to_string(fm).unwrap_or_else(|_| "{}".to_string());
        self.push("---", line);
        self.push(&json, line);
        self.push("---", line);
    }
}

/// Escapes text for a Markdown table cell or heading.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::cells::squash(text).chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '&' | '~' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn table_markdown(file: &MappingFile, label_header: &str, header_line: u32) -> Gen {
    let mut g = Gen::default();
    g.push(
        &format!(
            "| {} | {} link | {} link |",
            md_text(label_header),
            md_text(&file.key.source),
            md_text(&file.key.target)
        ),
        header_line,
    );
    g.push("| --- | --- | --- |", header_line);
    for e in &file.entries {
        let label = md_text(e.label.as_deref().unwrap_or(&e.source));
        let source = format!("<{}>", e.source.replace('|', "\\|"));
        let target = match (&e.target, &e.note) {
            (Some(t), _) if crate::urls::scheme_of(t).is_some() => {
                format!("<{}>", t.replace('|', "\\|"))
            }
            (Some(t), _) => format!("[{label}]({})", t.replace('|', "\\|")),
            (None, Some(note)) => md_text(note),
            (None, None) => "Not supported".to_string(),
        };
        g.push(&format!("| {label} | {source} | {target} |"), e.line);
    }
    g
}

/// Where the values of a `YamlMime:FAQ` file start, read from the YAML tree (so that a
/// `question:` line inside an answer's code sample is text, not a key).
struct FaqLines<'t> {
    tree: Option<crate::yaml::Spanned>,
    lines: Vec<&'t str>,
}

impl<'t> FaqLines<'t> {
    fn new(text: &'t str) -> Self {
        FaqLines {
            tree: crate::yaml::to_spanned(text).ok(),
            lines: text.lines().collect(),
        }
    }

    /// The key and value of `key` in `node` (the root when `None`).
    fn entry<'a>(
        &'a self,
        node: Option<&'a Spanned>,
        key: &str,
    ) -> Option<(&'a Spanned, &'a Spanned)> {
        match &node.or(self.tree.as_ref())?.value {
            SpannedValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Item `i` of the sequence `key` of `node`.
    fn item<'a>(&'a self, node: Option<&'a Spanned>, key: &str, i: usize) -> Option<&'a Spanned> {
        match &self.entry(node, key)?.1.value {
            SpannedValue::Seq(items) => items.get(i),
            _ => None,
        }
    }

    /// Where the value of `key` in `node` starts, and whether it is a block scalar (`key: |`
    /// or `key: >`: its text starts on the line after the key, one YAML line per text
    /// line); `(fallback, false)` when the key is not found. The parser places a block
    /// scalar at its first non-blank line, which is not its first line when it starts
    /// with blank lines, so the key line is used instead.
    fn scalar(&self, node: Option<&Spanned>, key: &str, fallback: u32) -> (u32, bool) {
        let Some((k, v)) = self.entry(node, key) else {
            return (fallback, false);
        };
        let from_key: String = (self.lines.get(k.line as usize - 1))
            .map(|l| l.chars().skip(k.column as usize - 1).collect())
            .unwrap_or_default();
        // The key may be quoted (`"answer": |`); its value follows the first `:`.
        let value = from_key.split_once(':').map_or("", |(_, v)| v).trim_start();
        if value.starts_with('|') || value.starts_with('>') {
            (k.line, true)
        } else {
            (v.line, false)
        }
    }
}

fn faq_markdown(src: &SourceFile, raw: &RawFaq) -> SourceFile {
    let yaml = FaqLines::new(&src.text);
    let title_line = yaml.scalar(None, "title", 1).0;
    let mut g = Gen::default();
    let mut fm = raw.metadata.clone().unwrap_or_default();
    fm.insert("title".into(), raw.title.clone().into());
    g.front_matter(&fm, 1);
    g.push(&format!("# {}", md_text(&raw.title)), title_line);
    // GitHub-style ids of the page's headings, for the question aliases.
    let mut github_ids = Slugger::new();
    github_ids.slug(&super::cells::squash(&raw.title));
    if let Some(summary) = &raw.summary {
        let (line, block) = yaml.scalar(None, "summary", title_line);
        g.push("", line);
        g.push_block(summary, line + u32::from(block), block);
    }
    for (i, section) in raw.sections.iter().enumerate() {
        let node = yaml.item(None, "sections", i);
        let line = node.map_or(title_line, |n| n.line);
        // Learn's convention: a section named `Ignored` shows its questions with no
        // section heading.
        if let Some(name) = section.name.as_ref().filter(|n| !is_ignored_section(n)) {
            // The id is written out, so it is the one the aliases were counted against (a
            // section named like an earlier question's alias becomes `…-1`, as on GitHub).
            let id = github_ids.slug(&super::cells::squash(name));
            g.push("", line);
            let heading = if id.is_empty() {
                format!("## {}", md_text(name))
            } else {
                format!("## {} {{#{id}}}", md_text(name))
            };
            g.push(&heading, line);
        }
        if let Some(summary) = &section.summary {
            let (sline, block) = yaml.scalar(node, "summary", line);
            g.push("", sline);
            g.push_block(summary, sline + u32::from(block), block);
        }
        for (j, q) in section.questions.iter().enumerate() {
            let qnode = yaml.item(node, "questions", j);
            let (qline, _) = yaml.scalar(qnode, "question", line);
            let (aline, block) = yaml.scalar(qnode, "answer", qline);
            g.push("", qline);
            g.push(&question_heading(&q.question, &mut github_ids), qline);
            g.push("", aline);
            g.push_block(&q.answer, aline + u32::from(block), block);
        }
    }
    if let Some(extra) = &raw.additional_content {
        let (line, block) = yaml.scalar(None, "additionalContent", 1);
        g.push("", line);
        g.push_block(extra, line + u32::from(block), block);
    }
    SourceFile::generated(&src.path, g.text, g.map)
}

/// True for the section name Learn shows without a heading.
fn is_ignored_section(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case("ignored")
}

/// The id Learn gives a question: the text lower-cased, every character that is not a
/// letter or a digit turned into `-` (`Why are my earnings missing?` →
/// `why-are-my-earnings-missing-`).
pub(crate) fn learn_question_id(question: &str) -> String {
    super::cells::squash(question)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

/// The H3 of a question: Learn's id as the heading's id, and the GitHub-style id (what a
/// Markdown copy of the page would have) as an alias anchor when it differs, so links in
/// either form resolve.
fn question_heading(question: &str, github_ids: &mut Slugger) -> String {
    let learn = learn_question_id(question);
    let github = github_ids.slug(&super::cells::squash(question));
    let alias = if github != learn && !github.is_empty() {
        format!("<a id=\"{}\"></a>", crate::urls::escape_html(&github))
    } else {
        String::new()
    };
    format!("### {alias}{} {{#{learn}}}", md_text(question))
}

/// 1-based lines where `key:` starts a mapping entry (after indentation and `- `).
fn key_lines(text: &str, key: &str) -> Vec<u32> {
    block_keys(text, key).into_iter().map(|(l, _)| l).collect()
}

/// Like [`key_lines`], with whether the value is a block scalar (`key: |` or `key: >`).
fn block_keys(text: &str, key: &str) -> Vec<(u32, bool)> {
    let prefix = format!("{key}:");
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("- ").map_or(t, str::trim_start);
            let value = t.strip_prefix(&prefix)?;
            let value = value.trim();
            Some((
                i as u32 + 1,
                value.starts_with('|') || value.starts_with('>'),
            ))
        })
        .collect()
}

/// Lines of the items of the block sequence that follows line `after` (`entries:`).
fn item_lines(text: &str, after: u32) -> Vec<u32> {
    let mut indent = None;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate().skip(after as usize) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = l.len() - t.len();
        let is_item = t == "-" || t.starts_with("- ");
        match indent {
            None if is_item => indent = Some(ind),
            None => break,
            Some(n) if ind < n || (ind == n && !is_item) => break,
            _ => {}
        }
        if is_item && Some(ind) == indent {
            out.push(i as u32 + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests;
