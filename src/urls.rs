//! URL rules shared by every stage: pretty page URLs, asset URLs and percent-encoding.
//! Leaf module, pure functions.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in a URL path segment.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Characters escaped in a fragment.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'%');

/// Percent-encodes a `/`-separated path for use in a URL.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Percent-encodes a fragment (non-ASCII letters stay readable in browsers, but `%`, spaces
/// and quotes must be escaped).
pub fn encode_fragment(fragment: &str) -> String {
    utf8_percent_encode(fragment, FRAGMENT).to_string()
}

/// Decodes the five entities [`escape_html`] writes (what attribute values and escaped text
/// hold).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Escapes text for an HTML attribute or element (`& < > " '`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` escaped for HTML with a line-break opportunity (`<wbr>`) after each `/`, `?`, `#`,
/// `&` and `=` (not between two slashes, not at the end), so a long address or path wraps
/// between its parts on a narrow screen instead of at whatever letter reaches the edge.
pub fn escape_html_breakable(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    let mut buf = [0u8; 4];
    while let Some(c) = chars.next() {
        out.push_str(&escape_html(c.encode_utf8(&mut buf)));
        let next = chars.peek();
        if matches!(c, '/' | '?' | '#' | '&' | '=') && next.is_some() && next != Some(&'/') {
            out.push_str("<wbr>");
        }
    }
    out
}

/// True for the file names that make a folder's index page.
pub fn is_index_name(name: &str) -> bool {
    matches!(name, "index.md" | "_index.md" | "README.md" | "index.yml")
}

/// The pretty URL (with `base_path`) and output file of a page source path:
/// `guide/setup.md` → (`/guide/setup/`, `guide/setup/index.html`);
/// `guide/index.md` → (`/guide/`, `guide/index.html`).
pub fn page_url(path: &str, base_path: &str) -> (String, String) {
    let (dir, name) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    let rel = if is_index_name(name) {
        dir.to_string()
    } else {
        format!("{dir}{}/", page_stem(name))
    };
    (
        format!("{base_path}{}", encode_path(&rel)),
        format!("{rel}index.html"),
    )
}

/// File extensions of page sources, longest first: Markdown, YAML mapping files and
/// `YamlMime:FAQ` files.
pub const PAGE_EXTENSIONS: [&str; 5] = [".mapping.yaml", ".mapping.yml", ".md", ".yaml", ".yml"];

/// True for YAML mapping files: `*.mapping.yaml` or `*.mapping.yml`.
pub fn is_mapping_path(path: &str) -> bool {
    path.ends_with(".mapping.yaml") || path.ends_with(".mapping.yml")
}

/// True for Microsoft Learn redirection files: `.openpublishing.redirection.json` and
/// `*.openpublishing.redirection.*.json` (DocFX v3 reads every such file of the repository).
/// They are dot-files, so discovery and the watcher let them through by this name.
pub fn is_redirection_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".openpublishing.redirection.json"
        || (name.ends_with(".json") && name.contains(".openpublishing.redirection."))
}

/// A page source's file name without its page extension (`faq.yml` → `faq`).
pub fn page_stem(name: &str) -> &str {
    PAGE_EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name)
}

/// The URL of an asset.
pub fn asset_url(path: &str, base_path: &str) -> String {
    format!("{base_path}{}", encode_path(path))
}

/// Normalises a configured base path to start and end with `/`.
pub fn normalize_base_path(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// The lower-cased scheme of an absolute URL (`https`, `mailto`), if any.
/// A single letter followed by `:` is a Windows drive, not a scheme.
pub fn scheme_of(dest: &str) -> Option<String> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// What a link target that runs script when followed is (`a javascript: URL`), if it is one.
/// Browsers drop ASCII tabs and line breaks anywhere in a URL and leading blanks and control
/// characters, and compare schemes without case, so `JaVa\tScript:` counts.
pub fn script_scheme(dest: &str) -> Option<&'static str> {
    // Every such URL has a scheme, so a colon. Most links have none, or a plain ASCII
    // scheme that is none of the three, and need no normalized copy.
    let trimmed = dest.trim_start_matches(|c: char| c <= ' ');
    let (scheme, _) = trimmed.split_once(':')?;
    let plain = scheme.is_ascii() && !scheme.contains(['\t', '\n', '\r']);
    if plain
        && !["javascript", "vbscript", "data"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s))
    {
        return None;
    }
    let normalized: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(64)
        .flat_map(char::to_lowercase)
        .collect();
    if normalized.starts_with("javascript:") {
        return Some("a javascript: URL");
    }
    if normalized.starts_with("vbscript:") {
        return Some("a vbscript: URL");
    }
    let media = normalized.strip_prefix("data:")?;
    let media = media.trim_start();
    ["text/html", "application/xhtml+xml", "image/svg+xml"]
        .into_iter()
        .any(|m| media.starts_with(m))
        .then_some("a data: URL of a document")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_known_in_any_case_and_through_tabs_and_line_breaks() {
        for (dest, what) in [
            ("javascript:alert(1)", Some("a javascript: URL")),
            ("  JaVa\tScript:alert(1)", Some("a javascript: URL")),
            ("java\nscript:x", Some("a javascript: URL")),
            ("VBScript:x", Some("a vbscript: URL")),
            ("data: text/html,<b>", Some("a data: URL of a document")),
            (
                "DATA:image/svg+xml;base64,x",
                Some("a data: URL of a document"),
            ),
            ("data:image/png;base64,x", None),
            ("https://example.com/javascript:x", None),
            ("mailto:a@example.com", None),
            ("java script:x", None),
            ("../a.md#javascript", None),
            ("", None),
        ] {
            assert_eq!(script_scheme(dest), what, "{dest:?}");
        }
    }

    #[test]
    fn breakable_html_breaks_after_separators_only() {
        assert_eq!(
            escape_html_breakable("https://a.example/b?c=1&d"),
            "https://<wbr>a.example/<wbr>b?<wbr>c=<wbr>1&amp;<wbr>d"
        );
        assert_eq!(escape_html_breakable("/a/"), "/<wbr>a/");
        assert_eq!(escape_html_breakable("<x>"), "&lt;x&gt;");
    }

    #[test]
    fn base_paths_never_name_another_host() {
        // A base path starting with `//` would make the dev server's redirects
        // protocol-relative (`Location: //evil.example/`).
        for raw in ["//evil.example/", "///x//", " / ", "", "docs", "/docs"] {
            let base = normalize_base_path(raw);
            assert!(
                base.starts_with('/') && base.ends_with('/'),
                "{raw:?} → {base:?}"
            );
            assert!(!base.starts_with("//") || base == "/", "{raw:?} → {base:?}");
        }
        assert_eq!(normalize_base_path("//evil.example/"), "/evil.example/");
    }

    #[test]
    fn pretty_urls() {
        assert_eq!(
            page_url("guide/setup.md", "/"),
            ("/guide/setup/".into(), "guide/setup/index.html".into())
        );
        assert_eq!(
            page_url("guide/index.md", "/"),
            ("/guide/".into(), "guide/index.html".into())
        );
        assert_eq!(
            page_url("index.md", "/docs/"),
            ("/docs/".into(), "index.html".into())
        );
        assert_eq!(
            page_url("a b.md", "/"),
            ("/a%20b/".into(), "a b/index.html".into())
        );
        assert_eq!(
            page_url("cpp/pages.mapping.yaml", "/"),
            ("/cpp/pages/".into(), "cpp/pages/index.html".into())
        );
        assert_eq!(page_url("faq.yml", "/").0, "/faq/");
        assert_eq!(normalize_base_path("docs"), "/docs/");
        assert_eq!(normalize_base_path("/"), "/");
    }
}
