//! Raw HTML: the anchors and links its tags define, and the DocFX heading-id rewrite.

use super::*;

impl Collector<'_> {
    pub(super) fn raw_html(
        &mut self,
        frame: &Frame<'_>,
        text: CowStr<'_>,
        range: Range<usize>,
        html: &mut HtmlScanner,
        block: bool,
    ) {
        let tags = html.scan(&text);
        let exact = text.len() == range.len();
        let at = |span_start: usize| {
            if exact {
                range.start + span_start
            } else {
                range.start
            }
        };
        // DocFX heading-id rewrite: `## <a name="x"></a>Text` gives the heading the id `x`.
        if let Some(h) = &mut self.heading {
            if h.drop_closing_a && tags.len() == 1 && tags[0].closing && tags[0].name == "a" {
                h.drop_closing_a = false;
                return;
            }
            let first_in_heading = h.out_index + 1 == self.done.nodes.len()
                && h.named.is_none()
                && h.explicit.is_none();
            if first_in_heading {
                if let Some(tag) = tags
                    .first()
                    .filter(|t| t.name == "a" && !t.closing && !text.trim_end().ends_with("/>"))
                {
                    let named = tag
                        .attr("name")
                        .or_else(|| tag.attr("id"))
                        .map(|a| a.value.clone());
                    let valid = named.as_deref().is_some_and(|n| {
                        !n.is_empty()
                            && n.chars()
                                .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.'))
                    });
                    if let (Some(name), true) = (named, valid) {
                        h.named = Some(name.clone());
                        h.drop_closing_a = !tags.iter().any(|t| t.closing && t.name == "a");
                        self.record_anchor(frame, &name, AnchorKind::HeadingName, range.start);
                        return;
                    }
                }
            }
        }
        let mut links = Vec::new();
        for tag in tags.iter().filter(|t| !t.closing) {
            if let Some(id) = tag.attr("id") {
                self.record_anchor(frame, &id.value, AnchorKind::HtmlId, at(id.span.start));
            }
            if tag.name == "a" {
                if let Some(name) = tag.attr("name") {
                    self.record_anchor(
                        frame,
                        &name.value,
                        AnchorKind::HtmlName,
                        at(name.span.start),
                    );
                }
            }
            let link = match tag.name.as_str() {
                "a" => tag.attr("href").map(|a| (LinkKind::HtmlHref, a)),
                "img" => tag.attr("src").map(|a| (LinkKind::HtmlSrc, a)),
                _ => None,
            };
            if let Some((kind, attr)) = link {
                let index = self.record_link(frame, kind, &attr.value, at(attr.span.start));
                links.push(HtmlLink {
                    span: attr.span.clone(),
                    link: index,
                });
            }
            if tag.name == "br" {
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    c.text.push('\n');
                }
            }
        }
        self.push_html(text.to_string(), block, links);
    }
}
