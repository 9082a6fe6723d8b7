//! DocFX specials: `[!INCLUDE]`, `:::image:::`, layout markers, `:::mapping-explorer:::`,
//! `:::no-loc:::`, and malformed directives shown as written.

use super::*;

impl Collector<'_> {
    pub(super) fn emit_special(&mut self, frame: &Frame<'_>, special: &Special, block: bool) {
        match &special.kind {
            SpecialKind::Include { path } => self.include(frame, path, special.range.start, block),
            SpecialKind::Malformed { message } => {
                self.diag(
                    frame,
                    Code::MalformedDirective,
                    special.range.start,
                    message.clone(),
                )
                .target = Some(frame.text[special.range.clone()].to_string());
                let raw = frame.text[special.range.clone()].to_string();
                self.add_plain(&raw);
                self.push(Event::Text(CowStr::from(raw)));
            }
            SpecialKind::Directive { directive, body } => {
                let layout = |mark| Node::Layout { mark, block };
                match directive.name.as_str() {
                    "image" => self.emit_image(frame, directive, body.clone(), special.range.start),
                    "no-loc" => {
                        let text = directive.attr("text").unwrap_or_default().to_string();
                        self.add_plain(&text);
                        self.push(Event::Text(CowStr::from(text)));
                    }
                    "row" => self.done.nodes.push(layout(LayoutMark::Row)),
                    "mapping-explorer" => {
                        self.done.shows_mapping_explorer |= block;
                        self.done.nodes.push(Node::MappingExplorer {
                            set: directive.attr("set").map(Box::from),
                            block,
                        })
                    }
                    "column" => self.done.nodes.push(layout(LayoutMark::Column)),
                    "column-end" => self.done.nodes.push(layout(LayoutMark::ColumnEnd)),
                    "row-end" => self.done.nodes.push(layout(LayoutMark::RowEnd)),
                    "image-end" => {
                        self.diag(
                            frame,
                            Code::MalformedDirective,
                            special.range.start,
                            "`:::image-end:::` without an opening `:::image type=\"complex\"`"
                                .to_string(),
                        )
                        .suggestion = Some(
                            "open it with `:::image type=\"complex\" source=\"…\" alt-text=\"…\":::` above the description, or remove this line"
                                .to_string(),
                        );
                    }
                    // zone and moniker: every variant is shown; the markers themselves vanish.
                    _ => {}
                }
            }
        }
    }

    pub(super) fn emit_image(
        &mut self,
        frame: &Frame<'_>,
        d: &crate::parse::directive::Directive,
        body: Option<Range<usize>>,
        offset: usize,
    ) {
        let kind = d.attr("type").unwrap_or("content");
        let bordered = d
            .attr("border")
            .map_or(kind != "icon", |b| !b.eq_ignore_ascii_case("false"));
        let source = d.attr("source").unwrap_or_default();
        let alt = d.attr("alt-text").unwrap_or_default();
        let src_at = frame.text[offset..]
            .find(source)
            .map_or(offset, |i| offset + i);
        let link = d
            .attr("link")
            .map(|l| (l, LinkKind::Inline))
            .or_else(|| d.attr("lightbox").map(|l| (l, LinkKind::DirectiveLightbox)));
        let target = link.map(|(target, kind)| {
            let target_at = frame.text[offset..]
                .find(target)
                .map_or(offset, |i| offset + i);
            self.record_link(frame, kind, target, target_at)
        });
        let source = self.record_link(frame, LinkKind::DirectiveSource, source, src_at);
        let description = body.map(|body| {
            Parser::new_ext(frame.text[body].trim(), crate::parse::markdown_options())
                .map(Event::into_static)
                .collect()
        });
        self.done.nodes.push(Node::Image(Box::new(ImageDirective {
            kind: kind.to_string(),
            bordered,
            source,
            alt: alt.to_string(),
            target,
            position: frame.pos(offset),
            description,
        })));
    }
}
