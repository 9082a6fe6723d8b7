//! Finds the DocFX constructs that pulldown-cmark reads as plain text inside an inline run:
//! `[!INCLUDE [title](path)]` and `:::directive:::`, by their source ranges.

use super::directive::{scan_in_line, validate, Directive, Scan};
use std::ops::Range;

/// A construct to replace, with its byte range in the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Special {
    /// What to emit instead of the text.
    pub kind: SpecialKind,
    /// Range in the parsed text.
    pub range: Range<usize>,
}

/// The kinds of [`Special`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SpecialKind {
    /// `[!INCLUDE [title](path)]`.
    Include {
        /// The path as written.
        path: String,
    },
    /// A valid directive; for a complex image, the range of its long description.
    Directive {
        /// The directive.
        directive: Directive,
        /// Body of a complex image (between the directive and `:::image-end:::`).
        body: Option<Range<usize>>,
    },
    /// A broken directive: reported, then shown as text.
    Malformed {
        /// Why it is broken.
        message: String,
    },
}

/// Scans `text[span]` for specials, skipping `protected` ranges (inline code, in text order
/// and disjoint). Linear in the span: the candidates, the protected ranges and the line ends
/// are each passed over once however many specials share a line.
pub(crate) fn find_specials(
    text: &str,
    span: Range<usize>,
    protected: &[Range<usize>],
) -> Vec<Special> {
    debug_assert!(protected.windows(2).all(|w| w[0].end <= w[1].start));
    let mut out = Vec::new();
    let mut i = span.start;
    let end = span.end.min(text.len());
    let mut next_protected = 0;
    // The first `\n` after the last directive, `)` after the last include's path and
    // `:::image-end:::` after the last complex image.
    let mut newline = FirstFrom::default();
    let mut close = FirstFrom::default();
    let mut image_end = FirstFrom::default();
    while i < end {
        let Some(at) = next_special_start(text, i, end) else {
            break;
        };
        while protected.get(next_protected).is_some_and(|p| p.end <= at) {
            next_protected += 1;
        }
        if let Some(p) = protected.get(next_protected).filter(|p| p.contains(&at)) {
            i = p.end.max(at + 1);
            continue;
        }
        if text[at..].starts_with("[!") {
            match scan_include(text, at, end, &mut close) {
                Some((path, stop)) => {
                    out.push(Special {
                        kind: SpecialKind::Include { path },
                        range: at..stop,
                    });
                    i = stop;
                }
                None => i = at + 2,
            }
            continue;
        }
        let line_end = newline
            .first(at, |from| {
                memchr::memchr(b'\n', &text.as_bytes()[from..]).map(|n| from + n)
            })
            .unwrap_or(text.len());
        match scan_in_line(text, at, line_end) {
            Scan::NotDirective => i = at + 3,
            Scan::Malformed { span, message } => {
                i = span.end;
                out.push(Special {
                    kind: SpecialKind::Malformed { message },
                    range: span,
                });
            }
            Scan::Found(directive) => {
                let mut range = directive.span.clone();
                if let Err(message) = validate(&directive) {
                    i = range.end;
                    out.push(Special {
                        kind: SpecialKind::Malformed { message },
                        range,
                    });
                    continue;
                }
                let mut body = None;
                if directive.name == "image" && directive.attr("type") == Some("complex") {
                    match image_end.first(range.end, |from| find_image_end(text, from)) {
                        Some(body_end) => {
                            body = Some(range.end..body_end);
                            range.end = body_end + IMAGE_END.len();
                        }
                        None => {
                            i = range.end;
                            out.push(Special {
                                kind: SpecialKind::Malformed {
                                    message: "`:::image type=\"complex\"` is not closed: expected a `:::image-end:::` line".to_string(),
                                },
                                range,
                            });
                            continue;
                        }
                    }
                }
                i = range.end;
                out.push(Special {
                    kind: SpecialKind::Directive { directive, body },
                    range,
                });
            }
        }
    }
    out
}

/// Where the first `[!` or `:::` in `text[from..end]` starts. One pass over the bytes: a
/// search per marker from every candidate would read the rest of a long paragraph again at
/// each `[` of a non-include.
fn next_special_start(text: &str, from: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes().get(..end)?;
    let mut i = from;
    while let Some(off) = memchr::memchr2(b'[', b':', bytes.get(i..)?) {
        let at = i + off;
        let rest = &bytes[at..];
        if rest.starts_with(b"[!") || rest.starts_with(b":::") {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The marker that ends a complex image's long description (any case).
const IMAGE_END: &[u8] = b":::image-end:::";

/// Where the first [`IMAGE_END`] at or after `from` starts (the end of the image's body).
fn find_image_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(off) = memchr::memchr(b':', bytes.get(i..)?) {
        let at = i + off;
        if bytes
            .get(at..at + IMAGE_END.len())
            .is_some_and(|m| m.eq_ignore_ascii_case(IMAGE_END))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The answer of the last search for the first occurrence of something at or after an
/// offset, kept so that searches from offsets that never decrease (many directives on one
/// line, many `[!include[...](` with no `)` after them, many complex images with no end
/// marker) do not each read the rest of the text.
#[derive(Default)]
struct FirstFrom {
    /// Where the last search started, and the offset of what it found.
    last: Option<(usize, Option<usize>)>,
}

impl FirstFrom {
    /// What `search(from)` finds: an earlier search from at most `from` that found nothing,
    /// or something at or after `from`, answers for it.
    fn first(&mut self, from: usize, search: impl FnOnce(usize) -> Option<usize>) -> Option<usize> {
        match self.last {
            Some((start, found)) if start <= from && found.is_none_or(|at| at >= from) => found,
            _ => {
                let found = search(from);
                self.last = Some((from, found));
                found
            }
        }
    }
}

/// Parses `[!INCLUDE [title](path)]` (any case, optional `+`, optional spaces) at `at`.
fn scan_include(
    text: &str,
    at: usize,
    limit: usize,
    close: &mut FirstFrom,
) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let mut i = at + 2;
    let kw = "include";
    if !text.get(i..i + kw.len())?.eq_ignore_ascii_case(kw) {
        return None;
    }
    i += kw.len();
    if bytes.get(i) == Some(&b'+') {
        i += 1;
    }
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    // Title: up to the matching `]`, honouring backslash escapes.
    i += 1;
    let mut depth = 1;
    while i < limit {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\n' => return None,
            _ => {}
        }
        i += 1;
    }
    if bytes.get(i) != Some(&b']') || bytes.get(i + 1) != Some(&b'(') {
        return None;
    }
    i += 2;
    let close = close.first(i, |from| {
        memchr::memchr(b')', bytes.get(from..limit)?).map(|n| from + n)
    })?;
    let inner = text[i..close].trim();
    let path = inner
        .strip_prefix('<')
        .and_then(|p| p.split_once('>').map(|(p, _)| p))
        .unwrap_or_else(|| inner.split_whitespace().next().unwrap_or(""));
    let mut j = close + 1;
    while bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    if bytes.get(j) != Some(&b']') {
        return None;
    }
    Some((path.to_string(), j + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_includes_in_any_case() {
        for t in [
            "[!INCLUDE [t](a/b.md)]",
            "[!include[t](a/b.md)]",
            "[!INCLUDE+ [t](<a/b.md>)]",
        ] {
            let s = find_specials(t, 0..t.len(), &[]);
            assert_eq!(s.len(), 1, "{t}");
            assert_eq!(
                s[0].kind,
                SpecialKind::Include {
                    path: "a/b.md".into()
                }
            );
            assert_eq!(s[0].range, 0..t.len());
        }
        assert!(find_specials("[!NOTE] x", 0..9, &[]).is_empty());
    }

    #[test]
    fn finds_directives_and_skips_protected() {
        let t = "a :::image type=\"icon\" source=\"i.svg\"::: b `:::x:::`";
        let code = t.find('`').unwrap()..t.len();
        let s = find_specials(t, 0..t.len(), &[code]);
        assert_eq!(s.len(), 1);
        assert!(matches!(s[0].kind, SpecialKind::Directive { .. }));
    }

    #[test]
    fn the_next_special_is_the_first_marker_of_either_kind_inside_the_span() {
        let t = "a [b] c: d :: [!x :::e:::";
        assert_eq!(next_special_start(t, 0, t.len()), t.find("[!"));
        let after = t.find("[!").unwrap() + 2;
        assert_eq!(next_special_start(t, after, t.len()), t.find(":::"));
        // A marker that runs past the span's end is not in it.
        assert_eq!(
            next_special_start(t, after, t.find(":::").unwrap() + 2),
            None
        );
        assert_eq!(next_special_start("no markers: [here]", 0, 18), None);
    }

    #[test]
    fn a_paragraph_of_non_includes_finds_the_directive_after_them() {
        let t = format!(
            "{}:::image type=\"icon\" source=\"i.svg\":::",
            "[!x] ".repeat(500)
        );
        let s = find_specials(&t, 0..t.len(), &[]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].range.start, t.find(":::").unwrap());
    }

    #[test]
    fn many_unclosed_complex_images_are_each_reported_in_linear_work() {
        // 20,000 of them and no end marker: each one searched the rest of the text for it.
        let one = ":::image type=\"complex\" source=\"a.png\" alt-text=\"A\":::\n";
        let t = one.repeat(20_000);
        let s = find_specials(&t, 0..t.len(), &[]);
        assert_eq!(s.len(), 20_000);
        assert!(s
            .iter()
            .all(|s| matches!(s.kind, SpecialKind::Malformed { .. })));
        // An end marker after them all closes the first: the others are its long description.
        let closed = format!("{t}Long text.\n:::image-end:::");
        let s = find_specials(&closed, 0..closed.len(), &[]);
        assert_eq!(s.len(), 1);
        assert!(matches!(
            s[0].kind,
            SpecialKind::Directive { body: Some(_), .. }
        ));
        assert_eq!(s[0].range, 0..closed.len());
    }

    #[test]
    fn complex_image_spans_to_its_end_marker_in_any_case() {
        let open = ":::image type=\"complex\" source=\"a.png\" alt-text=\"A\":::";
        for (rest, body_text, after) in [
            (
                "\nLong text.\n:::image-end:::\nafter",
                "Long text.",
                "\nafter",
            ),
            ("\nLong: text.\n:::Image-End:::", "Long: text.", ""),
        ] {
            let t = format!("{open}{rest}");
            let s = find_specials(&t, 0..20, &[]);
            let SpecialKind::Directive {
                body: Some(body), ..
            } = &s[0].kind
            else {
                panic!("{s:?}")
            };
            assert_eq!(t[body.clone()].trim(), body_text);
            assert_eq!(&t[s[0].range.end..], after);
        }
    }
}
