use super::*;
use crate::diag::{Code, Related};

fn finding(file: &str, column: u32, message: &str, target: Option<&str>) -> Diagnostic {
    let mut d = Diagnostic::new(Code::BrokenLink, file, 1, column, message);
    d.target = target.map(str::to_string);
    d
}

const PLAIN: HumanOptions = HumanOptions { color: false };
const COLOR: HumanOptions = HumanOptions { color: true };

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
    let out = human(
        &[d],
        &Summary::default(),
        &|_, _| Some(line.to_string()),
        PLAIN,
    );
    assert!(
        !out.chars().any(|c| c != '\n' && needs_escape(c)),
        "raw control characters in {out:?}"
    );
    assert!(out.contains("evil\\u{1b}[31m.md:1:22"), "{out}");
    assert!(out.contains("try \\u{9b}1m"), "{out}");
    // Unsafe characters in the excerpt are replaced one for one, so the underline still
    // starts at the reported column and ends with the target.
    let lines: Vec<&str> = out.lines().collect();
    let source = lines.iter().position(|l| l.starts_with("1 | ")).unwrap();
    let chars = |s: &str, byte: usize| s[..byte].chars().count();
    let underline = lines[source + 1];
    let target = lines[source].find("(missing.md)").unwrap();
    assert_eq!(chars(lines[source], target) - "1 | ".len(), 21, "{out}");
    assert_eq!(
        underline.find('^'),
        Some(chars(lines[source], target)),
        "{out}"
    );
    assert_eq!(underline.matches('^').count(), "(missing.md".len(), "{out}");
}

#[test]
fn long_lines_are_clipped_around_the_finding() {
    let line = format!(
        "{} [link](missing.md) {}",
        "a".repeat(5000),
        "z".repeat(5000)
    );
    let d = finding(
        "long.md",
        5002,
        "`missing.md` does not exist",
        Some("missing.md"),
    );
    let out = human_diagnostics(&[d], &|_, _| Some(line.clone()), PLAIN);
    assert!(out.contains("--> long.md:1:5002"), "{out}");
    let source = out.lines().find(|l| l.starts_with("1 | ")).unwrap();
    assert!(source.contains("[link](missing.md)"), "{out}");
    assert!(source.chars().count() < 200, "{source}");
}

#[test]
fn related_locations_and_help_follow_the_excerpt() {
    let d = Diagnostic::new(Code::DuplicateAnchor, "a.md", 3, 1, "duplicate anchor `x`")
        .with_related(Related {
            file: "a.md".into(),
            line: 1,
            message: "first defined here".into(),
        })
        .with_suggestion("rename one");
    let out = human_diagnostics(&[d], &|_, _| None, PLAIN);
    assert_eq!(
        out,
        "warning[duplicate-anchor]: duplicate anchor `x`\n\
         --> a.md:3:1\n \
         = note: first defined here at a.md:1\n \
         = help: rename one\n\n"
    );
}

#[test]
fn colour_only_when_asked() {
    let d = finding("a.md", 1, "`b.md` does not exist", Some("b.md"));
    let source = |_: &str, _: u32| Some("[b](b.md)".to_string());
    let plain = human(
        std::slice::from_ref(&d),
        &Summary::default(),
        &source,
        PLAIN,
    );
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let coloured = human(&[d], &Summary::default(), &source, COLOR);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let stripped = anstream::adapter::strip_str(&coloured).to_string();
    assert_eq!(stripped, plain, "colour changes nothing but the escapes");
}

#[test]
fn totals_count_by_code_and_rank_files() {
    let mut diags = Vec::new();
    for (file, n) in [
        ("b.md", 2),
        ("a.md", 2),
        ("c.md", 3),
        ("d.md", 1),
        ("e.md", 1),
        ("f.md", 1),
        ("g.md", 1),
    ] {
        for _ in 0..n {
            diags.push(finding(file, 1, "m", None));
        }
    }
    diags.push(Diagnostic::new(Code::DuplicateAnchor, "a.md", 2, 1, "d"));
    assert_eq!(
        totals(&diags, PLAIN),
        "findings by code:\n     \
         11  error[broken-link]\n      \
         1  warning[duplicate-anchor]\n\
         files with the most findings:\n      \
         3  a.md\n      \
         3  c.md\n      \
         2  b.md\n      \
         1  d.md\n      \
         1  e.md\n         \
         and 2 more files\n\n"
    );
    assert_eq!(totals(&[], PLAIN), "");
}
