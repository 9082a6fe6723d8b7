//! DocFX triple-colon directives (`:::image ...:::`, `::: zone ...`): recognition and
//! attribute validation. Pure string scanning on Markdown source, no rendering.

use std::ops::Range;

/// A recognised directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name (`image`, `image-end`, `zone`, ...).
    pub name: String,
    /// Attributes in order, names lower-cased.
    pub attrs: Vec<(String, String)>,
    /// Byte range in the scanned text, closing `:::` included.
    pub span: Range<usize>,
}

impl Directive {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Result of scanning at a `:::`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// A well-formed directive (its attributes are not validated yet).
    Found(Directive),
    /// Looks like a directive but is broken; the message says how.
    Malformed {
        /// What was recognised, for skipping it.
        span: Range<usize>,
        /// Why it is malformed.
        message: String,
    },
    /// Not a directive (`:::` inside text, for example).
    NotDirective,
}

/// Directives written on a line of their own without a closing `:::`.
fn is_open_line_directive(name: &str) -> bool {
    matches!(name, "zone" | "zone-end" | "moniker" | "moniker-end")
}

/// Scans the directive starting at `at` (where `text[at..]` starts with `:::`).
pub fn scan_at(text: &str, at: usize) -> Scan {
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
    scan_in_line(text, at, line_end)
}

/// [`scan_at`] with the end of `at`'s line already known (the offset of its `\n`, or the
/// text's length), so that a scan of many directives on one long line reads it once.
pub(crate) fn scan_in_line(text: &str, at: usize, line_end: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut i = at + 3;
    while i < line_end && bytes[i] == b' ' {
        i += 1;
    }
    let name_start = i;
    while i < line_end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return Scan::NotDirective;
    }
    let name = text[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    // The names given so far, to find one given twice without a scan of `attrs` each time.
    let mut names = rustc_hash::FxHashSet::default();
    loop {
        while i < line_end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if text[i..line_end].starts_with(":::") {
            return Scan::Found(Directive {
                name,
                attrs,
                span: at..i + 3,
            });
        }
        if i >= line_end {
            if is_open_line_directive(&name) {
                return Scan::Found(Directive {
                    name,
                    attrs,
                    span: at..line_end,
                });
            }
            return Scan::Malformed {
                span: at..line_end,
                message: format!(
                    "`:::{name}` is not closed: expected `:::` at the end of the directive"
                ),
            };
        }
        // DocFX's grammar: a name (a letter, then letters, digits or `-`; any case), then
        // optionally spaces, `=`, spaces and a value in double quotes.
        let an_start = i;
        while i < line_end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        if i == an_start || !bytes[an_start].is_ascii_alphabetic() {
            let found: String = text[an_start..line_end]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=')
                .collect();
            let found = if found.is_empty() {
                text[an_start..line_end]
                    .chars()
                    .next()
                    .unwrap_or(' ')
                    .to_string()
            } else {
                found
            };
            return Scan::Malformed {
                span: at..line_end,
                message: format!(
                    "`:::{name}`: unexpected `{found}` where an attribute was expected (attribute names start with a letter)"
                ),
            };
        }
        let attr = text[an_start..i].to_ascii_lowercase();
        if !names.insert(attr.clone()) {
            return Scan::Malformed {
                span: at..line_end,
                message: format!("`:::{name}`: the attribute `{attr}` is given twice"),
            };
        }
        let mut j = i;
        while j < line_end && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            attrs.push((attr, String::new()));
            continue;
        }
        i = j + 1;
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if bytes.get(i) != Some(&b'"') {
            return Scan::Malformed {
                span: at..line_end,
                message: format!("`:::{name}`: the value of `{attr}` must be in double quotes"),
            };
        }
        let Some(close) = text[i + 1..line_end].find('"') else {
            return Scan::Malformed {
                span: at..line_end,
                message: format!("`:::{name}`: the value of `{attr}` has no closing quote"),
            };
        };
        attrs.push((attr, text[i + 1..i + 1 + close].to_string()));
        i = i + 1 + close + 1;
    }
}

/// Checks a directive's name and attributes; `Err` explains what is wrong.
pub fn validate(d: &Directive) -> Result<(), String> {
    let allowed: &[&str] = match d.name.as_str() {
        "image" => &[
            "type",
            "source",
            "alt-text",
            "lightbox",
            "border",
            "link",
            "loc-scope",
        ],
        "image-end" | "zone-end" | "moniker-end" | "row" | "row-end" | "column-end" => &[],
        "no-loc" => &["text"],
        "zone" => &["pivot", "target"],
        "moniker" => &["range"],
        "column" => &["span"],
        "mapping-explorer" => &["set"],
        "code" | "video" | "form" => {
            return Err(format!(
                "`:::{}` is a DocFX directive docshift does not render yet",
                d.name
            ))
        }
        other => return Err(format!("unknown directive `:::{other}`")),
    };
    if let Some((bad, _)) = d.attrs.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
        return Err(format!(
            "`:::{}` does not take the attribute `{bad}`",
            d.name
        ));
    }
    match d.name.as_str() {
        "image" => {
            let kind = d.attr("type").unwrap_or("content");
            if !matches!(kind, "content" | "icon" | "complex") {
                return Err(format!(
                    "`:::image` type must be content, icon or complex, not `{kind}`"
                ));
            }
            if d.attr("source").is_none_or(str::is_empty) {
                return Err("`:::image` needs a `source` attribute".to_string());
            }
            if kind != "icon" && d.attr("alt-text").is_none_or(|a| a.trim().is_empty()) {
                return Err(format!(
                    "`:::image type=\"{kind}\"` needs an `alt-text` attribute"
                ));
            }
            Ok(())
        }
        "no-loc" if d.attr("text").is_none() => {
            Err("`:::no-loc` needs a `text` attribute".to_string())
        }
        "mapping-explorer"
            if d.attr("set")
                .is_some_and(|s| !crate::settings::is_set_id(s)) =>
        {
            Err(
                "`:::mapping-explorer` set must be a set id (lower-case letters, digits and `-`)"
                    .to_string(),
            )
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Directive {
        match scan_at(text, 0) {
            Scan::Found(d) => d,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scans_images() {
        let t = r#":::image type="content" source="media/a.png" alt-text="A b.":::"#;
        let d = found(t);
        assert_eq!(d.name, "image");
        assert_eq!(d.attr("alt-text"), Some("A b."));
        assert_eq!(d.span, 0..t.len());
        assert!(validate(&d).is_ok());
        assert_eq!(found(":::image-end:::").name, "image-end");
        assert_eq!(found("::: zone pivot=\"python\"").name, "zone");
    }

    #[test]
    fn reports_malformed() {
        assert!(matches!(
            scan_at(r#":::image source="a.png""#, 0),
            Scan::Malformed { .. }
        ));
        assert!(matches!(
            scan_at(r#":::image source='a.png':::"#, 0),
            Scan::Malformed { .. }
        ));
        assert!(validate(&found(r#":::image type="content" source="a.png":::"#)).is_err());
        assert!(validate(&found(r#":::image type="icon" source="a.png":::"#)).is_ok());
        assert!(validate(&found(
            r#":::image source="a.png" alt-text="x" colour="red":::"#
        ))
        .is_err());
        assert!(validate(&found(":::sparkle:::")).is_err());
        assert!(validate(&found(":::mapping-explorer:::")).is_ok());
        assert!(validate(&found(r#":::mapping-explorer set="cpp-to-pc":::"#)).is_ok());
        assert!(validate(&found(r#":::mapping-explorer set="Not An Id":::"#)).is_err());
        assert!(validate(&found(r#":::mapping-explorer sets="x":::"#)).is_err());
        assert_eq!(scan_at("::: ", 0), Scan::NotDirective);
    }

    /// DocFX's `TripleColonBlockParser`: spaces on either side of `=`, names in any case,
    /// bare attributes; errors only where DocFX errors.
    #[test]
    fn follows_the_docfx_attribute_grammar() {
        let d = found(
            r#":::image type= "content" Source="media/a.png" alt-text = "A" lightbox ="media/b.png" border:::"#,
        );
        assert_eq!(
            d.attrs,
            [
                ("type".to_string(), "content".to_string()),
                ("source".to_string(), "media/a.png".to_string()),
                ("alt-text".to_string(), "A".to_string()),
                ("lightbox".to_string(), "media/b.png".to_string()),
                ("border".to_string(), String::new()),
            ]
        );
        assert!(validate(&d).is_ok());
        let message = |t: &str| match scan_at(t, 0) {
            Scan::Malformed { message, .. } => message,
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(
            message(r#":::image source="a.png" source="b.png":::"#),
            "`:::image`: the attribute `source` is given twice"
        );
        assert_eq!(
            message(r#":::image 2x="a":::"#),
            "`:::image`: unexpected `2x` where an attribute was expected (attribute names start with a letter)"
        );
        assert_eq!(
            message(r#":::image alt_text="a":::"#),
            "`:::image`: unexpected `_text` where an attribute was expected (attribute names start with a letter)"
        );
        assert_eq!(
            message(r#":::image source= 'a.png':::"#),
            "`:::image`: the value of `source` must be in double quotes"
        );
        assert_eq!(
            message(r#":::image source = "a.png:::"#),
            "`:::image`: the value of `source` has no closing quote"
        );
    }
}
