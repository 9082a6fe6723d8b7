//! Front matter: split the `---` block off the body and parse it as YAML.

use crate::diag::{Code, Diagnostic};
use crate::source::SourceFile;
use serde_json::{Map, Value};

/// The result of splitting a page.
#[derive(Debug, Clone, Default)]
pub struct Split {
    /// Front matter keys (empty when there is none).
    pub front_matter: Map<String, Value>,
    /// Byte offset of the body in the source text.
    pub body_offset: usize,
}

/// Splits off and parses front matter. A YAML error is an `invalid-front-matter`
/// diagnostic located at the offending line of the file; the page still has a body, as in
/// DocFX: what follows the closing `---` (no front matter keys), or, when the block is never
/// closed, the whole file (then the `---` is no front matter at all).
pub fn split_front_matter(src: &SourceFile) -> (Split, Option<Diagnostic>) {
    match parse_front_matter(src) {
        Ok(split) => (split, None),
        Err((body_offset, d)) => (
            Split {
                front_matter: Map::new(),
                body_offset,
            },
            Some(d),
        ),
    }
}

/// The front matter of `src`, or where its body starts and why the front matter is invalid.
fn parse_front_matter(src: &SourceFile) -> Result<Split, (usize, Diagnostic)> {
    let text = &src.text;
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Ok(Split::default());
    };
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_offset)) = close else {
        let d = Diagnostic::new(
            Code::InvalidFrontMatter,
            &src.path,
            1,
            1,
            "front matter starts with `---` but has no closing `---` line",
        );
        return Err((0, d));
    };
    let yaml = &text[yaml_start..yaml_end];
    if let Some(d) = conflict_marker(src, yaml, yaml_start) {
        return Err((body_offset, d));
    }
    let value = crate::yaml::to_json_value(yaml).map_err(|e| {
        let line = e.line.unwrap_or(1) + 1;
        let column = e.column.unwrap_or(1);
        let d = Diagnostic::new(
            Code::InvalidFrontMatter,
            &src.path,
            line,
            column,
            format!("front matter is not valid YAML: {}", e.message),
        );
        (body_offset, d)
    })?;
    let front_matter = match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            let d = Diagnostic::new(
                Code::InvalidFrontMatter,
                &src.path,
                2,
                1,
                format!(
                    "front matter must be a mapping of keys to values, found {}",
                    kind_of(&other)
                ),
            );
            return Err((body_offset, d));
        }
    };
    Ok(Split {
        front_matter,
        body_offset,
    })
}

/// The first git merge-conflict marker line (`<<<<<<<`, `=======`, `>>>>>>>`) of the front
/// matter `yaml`, which starts at byte `at` of `src`: YAML's own message for it ("could not
/// find expected ':'", a line later) would not say what is wrong.
fn conflict_marker(src: &SourceFile, yaml: &str, at: usize) -> Option<Diagnostic> {
    let mut offset = at;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let marker = ["<<<<<<<", "=======", ">>>>>>>"]
            .iter()
            .any(|m| trimmed == *m || trimmed.starts_with(&format!("{m} ")));
        if marker {
            let (line_no, _) = src.position(offset);
            let mut d = Diagnostic::new(
                Code::InvalidFrontMatter,
                &src.path,
                line_no,
                1,
                format!("front matter holds a git merge-conflict marker `{trimmed}`"),
            );
            d.suggestion = Some(
                "resolve the conflict: keep one side, delete the `<<<<<<<`, `=======` and `>>>>>>>` lines"
                    .to_string(),
            );
            return Some(d);
        }
        offset += line.len();
    }
    None
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "something else",
    }
}

/// Normalises `MM/DD/YYYY` (Microsoft Learn's `ms.date`) and `YYYY-MM-DD[...]` to
/// `YYYY-MM-DD`; other text is returned trimmed.
pub fn normalize_date(raw: &str) -> String {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.split('/').collect();
    if let [m, d, y] = parts[..] {
        if let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<u32>()) {
            if (1..=12).contains(&m) && (1..=31).contains(&d) && y >= 1000 {
                return format!("{y:04}-{m:02}-{d:02}");
            }
        }
    }
    if raw.len() >= 10
        && raw.as_bytes()[4] == b'-'
        && raw.as_bytes()[7] == b'-'
        && raw.is_char_boundary(10)
    {
        return raw[..10].to_string();
    }
    raw.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_locates_errors() {
        let src =
            SourceFile::from_text("a.md", "---\ntitle: A\nms.date: 04/10/2020\n---\n# Body\n");
        let split = split_front_matter(&src).0;
        assert_eq!(split.front_matter["title"], "A");
        assert_eq!(&src.text[split.body_offset..], "# Body\n");

        let bad = SourceFile::from_text("b.md", "---\ntitle: A\ntags: [x\n---\nBody\n");
        let (split, d) = split_front_matter(&bad);
        let d = d.unwrap();
        assert_eq!(d.code, Code::InvalidFrontMatter);
        assert_eq!(
            &bad.text[split.body_offset..],
            "Body\n",
            "the body still counts"
        );
        assert!(d.line >= 3, "line {}", d.line);

        let unclosed = SourceFile::from_text("c.md", "---\ntitle: A\n");
        let (split, d) = split_front_matter(&unclosed);
        assert!(d.is_some());
        assert_eq!(split.body_offset, 0, "an unclosed block is body text");
        let none = SourceFile::from_text("d.md", "# Title\n");
        assert_eq!(split_front_matter(&none).0.body_offset, 0);
    }

    #[test]
    fn a_merge_conflict_is_named_at_its_marker() {
        let src = SourceFile::from_text(
            "c.md",
            "---\ntitle: A\n<<<<<<< HEAD\nms.date: 04/10/2020\n=======\nms.date: 05/01/2021\n>>>>>>> b\n---\n# A\n",
        );
        let (split, d) = split_front_matter(&src);
        let d = d.unwrap();
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(
            d.message,
            "front matter holds a git merge-conflict marker `<<<<<<< HEAD`"
        );
        assert_eq!(&src.text[split.body_offset..], "# A\n");
    }

    #[test]
    fn normalizes_dates() {
        assert_eq!(normalize_date("04/10/2020"), "2020-04-10");
        assert_eq!(normalize_date("2022-09-21"), "2022-09-21");
        assert_eq!(normalize_date("2022-09-21T10:00:00Z"), "2022-09-21");
        assert_eq!(normalize_date("soon"), "soon");
    }
}
