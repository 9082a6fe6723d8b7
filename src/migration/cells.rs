//! Reading URLs and text out of table cells: which cells hold one absolute URL, a link to
//! a page of the site, plain text, or something that is neither.

use crate::model::{Cell, Link, LinkList, LinkTarget};

/// What a URL column's cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CellUrl {
    /// Nothing (an empty cell, or one the Markdown parser added to a short row).
    Empty,
    /// One absolute `http(s)` URL (bare, `<…>` or a Markdown/HTML link).
    Absolute(String),
    /// One link to a file of the site (`[x](guide/setup.md#step)`).
    Local(Box<Link>),
    /// Text that does not look like a URL (a note such as "not supported yet").
    Text(String),
    /// A URL without a scheme (`/guide/`, `cloudpartner.azure.com/#x`).
    Relative(String),
    /// A URL that does not parse.
    Invalid {
        /// The URL as written.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// More than one URL in one cell.
    Several(Vec<String>),
}

pub(crate) use crate::model::doc_text::squash;

/// Reads the URL of a cell of a page whose links are `page_links`.
pub(crate) fn cell_url(cell: Option<&Cell>, page_links: &LinkList<'_>) -> CellUrl {
    let Some(cell) = cell else {
        return CellUrl::Empty;
    };
    let mut links: Vec<Link> = Vec::new();
    for &i in &cell.links {
        let Some(link) = page_links.get(i) else {
            continue;
        };
        if link.kind.is_image() || links.iter().any(|l| l.dest == link.dest) {
            continue;
        }
        links.push(link);
    }
    if links.len() > 1 {
        return CellUrl::Several(links.into_iter().map(|l| l.dest).collect());
    }
    let Some(link) = links.pop() else {
        return text_url(&cell.text);
    };
    match &link.target {
        LinkTarget::External { .. } => match check_absolute_url(&link.dest) {
            Ok(()) => CellUrl::Absolute(link.dest.trim().to_string()),
            Err(reason) => CellUrl::Invalid {
                url: link.dest,
                reason,
            },
        },
        LinkTarget::Local { .. } => CellUrl::Local(Box::new(link)),
        _ => CellUrl::Relative(link.dest),
    }
}

/// The text a URL cell holds besides its one URL (`https://x (preview only)`,
/// `[https://x](https://x) until June`): kept as the entry's note, so nothing written in a
/// mapping cell is dropped. A link's own text (`[Offers](https://x)`) is not a note.
pub(crate) fn cell_note(cell: Option<&Cell>) -> Option<String> {
    let cell = cell?;
    let note = if cell.links.is_empty() {
        let text = squash(&cell.text);
        let mut words = text.splitn(2, ' ');
        let first = words.next().unwrap_or_default();
        let first = first.trim_start_matches('<').trim_end_matches('>');
        crate::urls::scheme_of(first)?;
        words.next().unwrap_or_default().to_string()
    } else {
        squash(cell.outside_links.as_deref().unwrap_or_default())
    };
    (!note.is_empty()).then_some(note)
}

/// A cell without links: empty, a URL-looking word, or text.
fn text_url(text: &str) -> CellUrl {
    let text = squash(text);
    let word = text.trim_start_matches('<').trim_end_matches('>');
    if text.is_empty() {
        return CellUrl::Empty;
    }
    if word.contains(char::is_whitespace) {
        // `https://x (preview only)`: the URL, and the rest is the entry's note
        // ([`cell_note`]).
        let first = text.split_whitespace().next().unwrap_or_default();
        let first = first.trim_start_matches('<').trim_end_matches('>');
        if crate::urls::scheme_of(first).is_some() && check_absolute_url(first).is_ok() {
            return CellUrl::Absolute(first.to_string());
        }
        return CellUrl::Text(text);
    }
    if crate::urls::scheme_of(word).is_some() {
        return match check_absolute_url(word) {
            Ok(()) => CellUrl::Absolute(word.to_string()),
            Err(reason) => CellUrl::Invalid {
                url: word.to_string(),
                reason,
            },
        };
    }
    let path_like = ["/", "#", "./", "../", "~/"]
        .iter()
        .any(|p| word.starts_with(p))
        || word.contains(".md")
        || word.contains(".htm");
    if path_like || looks_like_host(word) {
        CellUrl::Relative(word.to_string())
    } else {
        CellUrl::Text(text)
    }
}

fn looks_like_host(word: &str) -> bool {
    let host = word.split(['/', '#', '?']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Checks that `url` is an absolute `http`/`https` URL with a host and no spaces.
pub(crate) fn check_absolute_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    let Some(scheme) = crate::urls::scheme_of(url) else {
        return Err("it has no scheme (write `https://…`)".to_string());
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "only http and https URLs can be mapped, not `{scheme}:`"
        ));
    }
    let Some(rest) = url[scheme.len() + 1..].strip_prefix("//") else {
        return Err(format!("`{scheme}:` must be followed by `//` and a host"));
    };
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains the character {c:?}"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, _)) if !h.ends_with(']') && h.contains('[') => (host_port, None),
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    if host.is_empty() {
        return Err("it has no host".to_string());
    }
    let host_ok = host.starts_with('[')
        || host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '%'));
    if !host_ok {
        return Err(format!("`{host}` is not a valid host name"));
    }
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Err(format!("`{authority}` has an invalid port"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_absolute_urls() {
        assert!(check_absolute_url("https://cloudpartner.azure.com/#insights/payout").is_ok());
        assert!(check_absolute_url("http://localhost:8080/a?b=c").is_ok());
        assert!(check_absolute_url("https://").is_err());
        assert!(check_absolute_url("https:/x.example").is_err());
        assert!(check_absolute_url("ftp://x.example/").is_err());
        assert!(check_absolute_url("https://exa mple.com/").is_err());
        assert!(check_absolute_url("https://x.example:80a/").is_err());
        assert!(check_absolute_url("https://x!y/").is_err());
    }

    #[test]
    fn classifies_plain_cells() {
        assert_eq!(text_url("  "), CellUrl::Empty);
        assert_eq!(
            text_url("The History feature is not yet supported."),
            CellUrl::Text("The History feature is not yet supported.".into())
        );
        assert_eq!(
            text_url("cloudpartner.azure.com/#x"),
            CellUrl::Relative("cloudpartner.azure.com/#x".into())
        );
        assert_eq!(text_url("/guide/"), CellUrl::Relative("/guide/".into()));
        assert_eq!(text_url("n/a"), CellUrl::Text("n/a".into()));
        assert_eq!(
            text_url("guide/a.md#x"),
            CellUrl::Relative("guide/a.md#x".into())
        );
        assert_eq!(text_url("TBD"), CellUrl::Text("TBD".into()));
        assert!(matches!(text_url("https://"), CellUrl::Invalid { .. }));
        // A URL followed by words: the URL (the words become the entry's note).
        assert_eq!(
            text_url("https://x.example/a (preview only)"),
            CellUrl::Absolute("https://x.example/a".into())
        );
        assert_eq!(
            text_url("<https://x.example/a> until June"),
            CellUrl::Absolute("https://x.example/a".into())
        );
        assert_eq!(
            text_url("See https://x.example/a"),
            CellUrl::Text("See https://x.example/a".into())
        );
    }
}
