//! Microsoft Learn redirection files (`.openpublishing.redirection.json`,
//! `*.openpublishing.redirection.*.json`): page moves, read with the position of every
//! value so each finding points at the JSON file's line and column.
//!
//! Pure: the file arrives loaded. DocFX v3 semantics: `source_path` is relative to the
//! redirection file's folder, `source_path_from_root` starts with `/` and is relative to
//! the content folder (the docset root); `redirect_url` is site-absolute, relative (to the
//! moved file, like a link written in it) or external; `redirect_document_id` is optional.

use crate::diag::{Code, Diagnostic};
use crate::source::SourceFile;

/// One valid entry of a redirection file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirection {
    /// Content-relative path of the moved (removed) file.
    pub source: String,
    /// The redirect URL as written.
    pub redirect_url: String,
    /// `redirect_document_id` (false when absent).
    pub redirect_document_id: bool,
    /// 1-based line and column of the source path value.
    pub source_at: (u32, u32),
    /// 1-based line and column of the `redirect_url` value.
    pub url_at: (u32, u32),
}

/// A redirection file: its valid entries in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectionFile {
    /// Content-relative path of the JSON file.
    pub path: String,
    /// Valid entries in file order (invalid ones are reported and left out).
    pub entries: Vec<Redirection>,
}

/// A JSON value with the byte offset where it starts.
#[derive(Debug)]
enum Json {
    Scalar,
    Bool(bool),
    Str(String),
    Array(Vec<(usize, Json)>),
    Object(Vec<(String, usize, Json)>),
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Scalar => "a number or null",
            Json::Bool(_) => "a boolean",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// Deepest nesting the reader follows (serde_json's own limit); deeper files are refused.
const MAX_DEPTH: usize = 128;

/// A reader of JSON text that serde_json has already accepted; it only records where each
/// value starts. Every step moves forward, so the work is linear; nesting past
/// [`MAX_DEPTH`] or malformed input gives `None`, never a panic.
struct Reader<'t> {
    text: &'t str,
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.text.as_bytes().get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<(usize, Json)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let value = self.value_inner();
        self.depth -= 1;
        value
    }

    fn value_inner(&mut self) -> Option<(usize, Json)> {
        self.skip_ws();
        let start = self.at;
        let value = match *self.text.as_bytes().get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_ws();
                        let (_, Json::Str(key)) = self.value()? else {
                            return None;
                        };
                        if !self.eat(b':') {
                            return None;
                        }
                        let (at, v) = self.value()?;
                        members.push((key, at, v));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Json::Object(members)
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Json::Array(items)
            }
            b'"' => {
                let bytes = self.text.as_bytes();
                let mut i = self.at + 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(bytes.len());
                let token = self.text.get(self.at..end)?;
                self.at = end;
                Json::Str(serde_json::from_str(token).ok()?)
            }
            _ => {
                let rest = &self.text[self.at..];
                let len = rest
                    .find([',', '}', ']', ' ', '\t', '\n', '\r'])
                    .unwrap_or(rest.len());
                if len == 0 {
                    return None;
                }
                self.at += len;
                match &rest[..len] {
                    "true" => Json::Bool(true),
                    "false" => Json::Bool(false),
                    _ => Json::Scalar,
                }
            }
        };
        Some((start, value))
    }
}

fn invalid(src: &SourceFile, at: usize, message: String) -> Diagnostic {
    let (line, column) = src.position(at);
    Diagnostic::new(Code::RedirectionInvalid, &src.path, line, column, message)
}

/// Joins a content-relative folder and a relative path, resolving `.` and `..`; `None`
/// when the path leaves the content folder.
fn join(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Reads a redirection file: the valid entries, and a finding for everything else (not
/// JSON, no `redirections` array, an entry without a source or `redirect_url`, a
/// `redirect_url` that runs script). Invalid entries are left out; the rest are kept.
pub fn parse_redirection_file(src: &SourceFile) -> (RedirectionFile, Vec<Diagnostic>) {
    let mut out = RedirectionFile {
        path: src.path.clone(),
        entries: Vec::new(),
    };
    let mut diags = Vec::new();
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&src.text) {
        let (line, column) = (e.line().max(1) as u32, e.column().max(1) as u32);
        diags.push(Diagnostic::new(
            Code::RedirectionInvalid,
            &src.path,
            line,
            column,
            format!("not a valid redirection file: {e}"),
        ));
        return (out, diags);
    }
    let mut reader = Reader {
        text: &src.text,
        at: 0,
        depth: 0,
    };
    let Some(root) = reader.value() else {
        diags.push(invalid(
            src,
            reader.at,
            format!("not a valid redirection file: it nests deeper than {MAX_DEPTH} levels"),
        ));
        return (out, diags);
    };
    let root = Some(root);
    let list = match &root {
        Some((_, Json::Object(members))) => members
            .iter()
            .find(|(k, ..)| k == "redirections")
            .map(|(_, at, v)| (*at, v)),
        _ => None,
    };
    let items = match list {
        Some((_, Json::Array(items))) => items,
        Some((at, other)) => {
            diags.push(invalid(
                src,
                at,
                format!("`redirections` is {}, not an array", other.kind()),
            ));
            return (out, diags);
        }
        None => {
            let at = root.as_ref().map_or(0, |(at, _)| *at);
            diags.push(invalid(
                src,
                at,
                "not a redirection file: the top level needs a `redirections` array".into(),
            ));
            return (out, diags);
        }
    };
    let folder = src.path.rfind('/').map_or("", |i| &src.path[..i]);
    for (at, item) in items {
        match entry(src, folder, *at, item) {
            Ok(r) => out.entries.push(r),
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

/// One entry, or the finding that leaves it out (`redirection-invalid`, or
/// `dangerous-link` for a `redirect_url` that runs script).
fn entry(
    src: &SourceFile,
    folder: &str,
    at: usize,
    item: &Json,
) -> Result<Redirection, Diagnostic> {
    let Json::Object(members) = item else {
        return Err(invalid(
            src,
            at,
            format!("a redirection entry is {}, not an object", item.kind()),
        ));
    };
    let get = |key: &str| {
        members
            .iter()
            .find(|(k, ..)| k == key)
            .map(|(_, a, v)| (*a, v))
    };
    let string = |key: &str| -> Result<Option<(usize, &str)>, Diagnostic> {
        match get(key) {
            None => Ok(None),
            Some((a, Json::Str(s))) => Ok(Some((a, s.as_str()))),
            Some((a, v)) => Err(invalid(
                src,
                a,
                format!("`{key}` is {}, not a string", v.kind()),
            )),
        }
    };
    let source = match (string("source_path")?, string("source_path_from_root")?) {
        (Some(_), Some((a, _))) => {
            return Err(invalid(
                src,
                a,
                "an entry has both `source_path` and `source_path_from_root`; keep one".into(),
            ))
        }
        (None, None) => {
            return Err(invalid(
                src,
                at,
                "a redirection entry needs `source_path` or `source_path_from_root`".into(),
            ))
        }
        (Some((a, p)), None) => (a, join(folder, p), p),
        (None, Some((a, p))) => {
            let Some(rooted) = p.strip_prefix('/') else {
                return Err(invalid(
                    src,
                    a,
                    format!("`source_path_from_root` `{p}` must start with `/`"),
                ));
            };
            (a, join("", rooted), p)
        }
    };
    let (source_at, source_path) = match source {
        (a, Some(path), _) if !path.is_empty() => (a, path),
        (a, _, written) => {
            return Err(invalid(
                src,
                a,
                format!("source path `{written}` is outside the content folder"),
            ))
        }
    };
    let Some((url_at, url)) = string("redirect_url")?.filter(|(_, u)| !u.trim().is_empty()) else {
        return Err(invalid(
            src,
            at,
            format!("the entry for `{source_path}` has no `redirect_url`"),
        ));
    };
    if let Some(what) = crate::urls::script_scheme(url) {
        let (line, column) = src.position(url_at);
        return Err(Diagnostic::new(
            Code::DangerousLink,
            &src.path,
            line,
            column,
            format!("the redirect of `{source_path}` is {what}: it runs script when followed; the entry is left out"),
        )
        .with_target(url.to_string())
        .with_suggestion("redirect to a page or an https: URL instead"));
    }
    let redirect_document_id = match get("redirect_document_id") {
        None => false,
        Some((_, Json::Bool(b))) => *b,
        Some((a, v)) => {
            return Err(invalid(
                src,
                a,
                format!("`redirect_document_id` is {}, not a boolean", v.kind()),
            ))
        }
    };
    Ok(Redirection {
        source: source_path,
        redirect_url: url.trim().to_string(),
        redirect_document_id,
        source_at: src.position(source_at),
        url_at: src.position(url_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str, text: &str) -> (RedirectionFile, Vec<(Code, u32, u32)>) {
        let (file, diags) = parse_redirection_file(&SourceFile::from_text(path, text));
        let found = diags.iter().map(|d| (d.code, d.line, d.column)).collect();
        (file, found)
    }

    #[test]
    fn reads_both_source_forms_with_positions() {
        let text = "{\n  \"redirections\": [\n    {\"source_path\": \"../a.md\", \"redirect_url\": \"/b\"},\n    {\"source_path_from_root\": \"/c/d.md\", \"redirect_url\": \"e\", \"redirect_document_id\": true}\n  ]\n}\n";
        let (file, found) = parse("x/.openpublishing.redirection.json", text);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(file.entries.len(), 2);
        assert_eq!(file.entries[0].source, "a.md");
        assert_eq!(file.entries[0].source_at, (3, 21));
        assert_eq!(file.entries[0].url_at, (3, 48));
        assert_eq!(file.entries[1].source, "c/d.md");
        assert!(file.entries[1].redirect_document_id);
    }

    #[test]
    fn bad_input_is_reported_and_the_rest_read() {
        let (file, found) = parse(".openpublishing.redirection.json", "{\"redirections\": [\n");
        assert!(file.entries.is_empty());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Code::RedirectionInvalid);
        let text = "{\"redirections\": [\n{\"redirect_url\": \"/a\"},\n{\"source_path\": \"b.md\"},\n{\"source_path\": \"c.md\", \"redirect_url\": \"javascript:alert(1)\"},\n{\"source_path_from_root\": \"d.md\", \"redirect_url\": \"/d\"},\n{\"source_path\": \"../../e.md\", \"redirect_url\": \"/e\"},\n7,\n{\"source_path\": \"f.md\", \"redirect_url\": \"/f\"}\n]}";
        let (file, found) = parse(".openpublishing.redirection.json", text);
        assert_eq!(
            found,
            [
                (Code::RedirectionInvalid, 2, 1),
                (Code::RedirectionInvalid, 3, 1),
                (Code::DangerousLink, 4, 41),
                (Code::RedirectionInvalid, 5, 27),
                (Code::RedirectionInvalid, 6, 17),
                (Code::RedirectionInvalid, 7, 1),
            ]
        );
        assert_eq!(file.entries.len(), 1);
        assert_eq!(file.entries[0].source, "f.md");
        let (_, found) = parse(".openpublishing.redirection.json", "[1, 2]");
        assert_eq!(found, [(Code::RedirectionInvalid, 1, 1)]);
    }

    #[test]
    fn every_prefix_of_a_file_is_read_or_reported() {
        let text = "{\"redirections\": [{\"source_path\": \"é/a.md\", \"redirect_url\": \"/b#c\", \"redirect_document_id\": false}, {\"source_path_from_root\": \"/d.md\", \"redirect_url\": \"https://e.example/\"}]}";
        for (end, _) in text.char_indices() {
            let (file, found) = parse(".openpublishing.redirection.json", &text[..end]);
            assert!(file.entries.is_empty() && found.len() == 1, "{end}");
        }
        let (file, found) = parse(".openpublishing.redirection.json", text);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(file.entries.len(), 2);
    }

    #[test]
    fn escaped_strings_and_deep_nesting_never_panic() {
        let text = "{\"other\": [[[{\"x\": \"\\\"\\u00e9\"}]]], \"redirections\": [{\"source_path\": \"caf\\u00e9.md\", \"redirect_url\": \"/\\\"q\"}]}";
        let (file, found) = parse(".openpublishing.redirection.json", text);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(file.entries[0].source, "café.md");
        assert_eq!(file.entries[0].redirect_url, "/\"q");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (_, found) = parse(".openpublishing.redirection.json", &deep);
        assert_eq!(found.len(), 1);
    }
}
