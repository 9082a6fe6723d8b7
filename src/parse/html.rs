//! A tiny tokenizer for raw HTML fragments in Markdown: finds tags, their attributes and
//! value offsets, and skips comments (also across fragments). Never used on rendered output.

use std::ops::Range;

/// An attribute of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lower-cased name.
    pub name: String,
    /// Value with `&amp;`-style entities decoded.
    pub value: String,
    /// Byte range of the raw value in the scanned text.
    pub span: Range<usize>,
}

/// An opening or closing tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower-cased tag name.
    pub name: String,
    /// `</x>`.
    pub closing: bool,
    /// Attributes in order.
    pub attrs: Vec<Attr>,
    /// Byte range of the whole tag.
    pub span: Range<usize>,
}

impl Tag {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// Scans successive raw HTML fragments of one file; remembers an open comment.
#[derive(Debug, Default, Clone)]
pub struct HtmlScanner {
    in_comment: bool,
}

impl HtmlScanner {
    /// True while a `<!--` is open.
    pub fn in_comment(&self) -> bool {
        self.in_comment
    }

    /// Returns the tags of `text` outside comments.
    pub fn scan(&mut self, text: &str) -> Vec<Tag> {
        let bytes = text.as_bytes();
        let mut tags = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if self.in_comment {
                match text[i..].find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        i += end + 3;
                    }
                    None => return tags,
                }
                continue;
            }
            let Some(lt) = text[i..].find('<') else { break };
            i += lt;
            if text[i..].starts_with("<!--") {
                self.in_comment = true;
                i += 4;
                continue;
            }
            match parse_tag(text, i) {
                Some(tag) => {
                    i = tag.span.end;
                    tags.push(tag);
                }
                None => i += 1,
            }
        }
        tags
    }
}

fn parse_tag(text: &str, start: usize) -> Option<Tag> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = text[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                i += 2;
                break;
            }
            Some(b'/') => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let an_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        if i == an_start {
            return None;
        }
        let attr_name = text[an_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attrs.push(Attr {
                name: attr_name,
                value: String::new(),
                span: i..i,
            });
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (span, next) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = text[i + 1..].find(q as char)? + i + 1;
                (i + 1..end, end + 1)
            }
            Some(_) => {
                let mut j = i;
                while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                    j += 1;
                }
                (i..j, j)
            }
            None => return None,
        };
        attrs.push(Attr {
            name: attr_name,
            value: crate::urls::decode_entities(&text[span.clone()]),
            span,
        });
        i = next;
    }
    Some(Tag {
        name,
        closing,
        attrs,
        span: start..i,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_and_attribute_spans() {
        let text =
            r#"<figure><img src="../a.png" alt=""><figcaption><p>x</p></figcaption></figure>"#;
        let tags = HtmlScanner::default().scan(text);
        let img = tags.iter().find(|t| t.name == "img").unwrap();
        let src = img.attr("src").unwrap();
        assert_eq!(src.value, "../a.png");
        assert_eq!(&text[src.span.clone()], "../a.png");
        assert_eq!(tags.iter().filter(|t| t.closing).count(), 3);
    }

    #[test]
    fn skips_comments_across_fragments() {
        let mut s = HtmlScanner::default();
        assert!(s.scan("<!-- <a href=\"x.md\">").is_empty());
        assert!(s.in_comment());
        let tags = s.scan("still --> <a name='k'></a>");
        assert_eq!(tags[0].attr("name").unwrap().value, "k");
        assert_eq!(
            s.scan("<a id=unquoted>")[0].attr("id").unwrap().value,
            "unquoted"
        );
        assert!(s.scan("a < b and 1<2").is_empty());
    }
}
