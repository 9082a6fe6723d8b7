//! Includes: the include chain, its limits, and an included file's events replayed in the
//! page.

use super::*;

impl Collector<'_> {
    pub(super) fn include(&mut self, frame: &Frame<'_>, dest: &str, offset: usize, block: bool) {
        let target = classify(dest, &frame.src.path, self.ctx.base_path);
        let LinkTarget::Local { path, .. } = target else {
            let d = self.diag(
                frame,
                Code::IncludeNotFound,
                offset,
                format!("include `{dest}` must be a relative path inside the content folder"),
            );
            d.target = Some(dest.to_string());
            d.suggestion = Some(
                "write the path relative to this file, to a file under the content folder (includes/…)"
                    .to_string(),
            );
            return;
        };
        if self.chain.contains(&path) {
            let chain = self
                .chain
                .iter()
                .chain(std::iter::once(&path))
                .cloned()
                .collect::<Vec<_>>()
                .join(" → ");
            let d = self.diag(
                frame,
                Code::IncludeNotFound,
                offset,
                format!("include cycle: {chain}"),
            );
            d.target = Some(dest.to_string());
            d.suggestion = Some(format!(
                "remove this include of `{path}`: it is already being included"
            ));
            return;
        }
        if self.chain.len() > crate::diag::MAX_INCLUDE_DEPTH {
            if !std::mem::replace(&mut self.include_limit_reported, true) {
                let message = format!(
                    "includes nest deeper than {} levels; `{path}` and what it includes are left out (include chain: {})",
                    crate::diag::MAX_INCLUDE_DEPTH,
                    short_chain(&self.chain, &path)
                );
                self.diag(frame, Code::IncludeTooDeep, offset, message)
                    .target = Some(dest.to_string());
            }
            return;
        }
        let src = match (self.ctx.sources)(&path) {
            Some(Ok(src)) => src,
            found => {
                let chain = self.chain.join(" → ");
                let why = if found.is_some() {
                    "could not be loaded, see its own finding"
                } else {
                    "does not exist"
                };
                self.diag(
                    frame,
                    Code::IncludeNotFound,
                    offset,
                    format!("included file `{path}` {why} (include chain: {chain} → {path})"),
                )
                .target = Some(dest.to_string());
                return;
            }
        };
        self.done.includes.insert(path.clone());
        let cost = src.text.len().max(crate::diag::MIN_INCLUDE_COST);
        self.included_bytes = self.included_bytes.saturating_add(cost);
        if self.included_bytes > crate::diag::MAX_INCLUDED_BYTES {
            if !std::mem::replace(&mut self.include_limit_reported, true) {
                let message = format!(
                    "includes expand this page past {} MiB of included text (each include counts at least 4 KiB); `{path}` and the includes after it are left out (include chain: {})",
                    crate::diag::MAX_INCLUDED_BYTES >> 20,
                    short_chain(&self.chain, &path)
                );
                self.diag(frame, Code::IncludeTooLarge, offset, message)
                    .target = Some(dest.to_string());
            }
            return;
        }
        self.chain.push(path);
        let parsed = self.ctx.includes.parsed(&src);
        let inner = Frame::new(&src, parsed.body_offset, &src.text[parsed.body_offset..]);
        let start = self.done.nodes.len();
        self.replay(
            &inner,
            parsed.events.iter().cloned(),
            parsed.definitions.clone(),
        );
        if !block {
            self.unwrap_single_paragraph(start);
        }
        self.chain.pop();
    }

    /// An inline include of a one-paragraph file contributes the paragraph's content only.
    pub(super) fn unwrap_single_paragraph(&mut self, start: usize) {
        let nodes = &self.done.nodes[start..];
        let opens = |n: &Node| matches!(n, Node::Event(Ev::Start(TagEnd::Paragraph)));
        let single = nodes.first().is_some_and(opens)
            && matches!(nodes.last(), Some(Node::Event(Ev::End(TagEnd::Paragraph))))
            && nodes.iter().filter(|n| opens(n)).count() == 1;
        if single {
            self.done.nodes.pop();
            self.done.nodes.remove(start);
        }
    }
}

/// An include chain for a message: every file when it is short, else the first and last
/// few around a count of those left out.
fn short_chain(chain: &[String], next: &str) -> String {
    const ENDS: usize = 3;
    let all: Vec<&str> = chain
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(next))
        .collect();
    if all.len() <= 2 * ENDS + 1 {
        return all.join(" → ");
    }
    format!(
        "{} → … {} more … → {}",
        all[..ENDS].join(" → "),
        all.len() - 2 * ENDS,
        all[all.len() - ENDS..].join(" → ")
    )
}

/// An included file as pulldown-cmark parses it, kept so that a file included by many
/// pages, or many times by one page, is parsed once (see [`crate::parse::IncludeCache`]).
pub(crate) struct ParsedText {
    /// Where the body starts, after the file's own front matter.
    pub(crate) body_offset: usize,
    /// The events of the body with their ranges in it.
    pub(crate) events: Vec<(Event<'static>, Range<usize>)>,
    /// The body's reference definitions: label, destination, span.
    pub(crate) definitions: Vec<(String, String, Range<usize>)>,
}

impl ParsedText {
    /// Parses the body of an included file.
    pub(crate) fn new(src: &SourceFile) -> ParsedText {
        // An included file whose front matter is invalid is included whole, as written.
        let body_offset = match crate::parse::front_matter::split_front_matter(src) {
            (split, None) => split.body_offset,
            (_, Some(_)) => 0,
        };
        let parser = Parser::new_ext(&src.text[body_offset..], crate::parse::markdown_options());
        let definitions = definitions(&parser);
        let events = parser
            .into_offset_iter()
            .map(|(ev, range)| (ev.into_static(), range))
            .collect();
        ParsedText {
            body_offset,
            events,
            definitions,
        }
    }
}
