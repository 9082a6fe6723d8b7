//! Inline events: the DocFX specials inside a paragraph's text, links and images (with
//! their reference definitions), bare URLs, entity references.

use super::*;

impl Collector<'_> {
    /// Handles the inline events gathered since the last block event. Returns a range of
    /// the text to skip afterwards (the rest of a complex image's description).
    pub(super) fn flush_inline(
        &mut self,
        frame: &Frame<'_>,
        run: &mut Vec<(Event<'_>, Range<usize>)>,
        html: &mut HtmlScanner,
        defs: &mut HashMap<String, (String, Range<usize>, bool)>,
    ) -> Option<Range<usize>> {
        if run.is_empty() {
            return None;
        }
        let start = run.iter().map(|(_, r)| r.start).min().unwrap_or(0);
        let end = run.iter().map(|(_, r)| r.end).max().unwrap_or(0);
        let protected: Vec<Range<usize>> = run
            .iter()
            .filter(|(e, _)| matches!(e, Event::Code(_)))
            .map(|(_, r)| r.clone())
            .collect();
        let specials = find_specials(frame.text, start..end, &protected);
        let mut skip_after = None;
        // A paragraph of nothing but specials is replaced by them; a malformed directive is
        // shown as written, so its paragraph stays.
        // A heading's text is never a block: its opening event stands in `events` as a
        // placeholder that `finish_heading` replaces, so it must not be dropped.
        let block = !specials.is_empty()
            && self.heading.is_none()
            && self.only_specials(frame.text, start..end, &specials)
            && !specials
                .iter()
                .any(|s| matches!(s.kind, SpecialKind::Malformed { .. }));
        if block && self.at_paragraph_start() {
            self.done.nodes.pop();
            if let Some(top) = self.paragraph_dropped.last_mut() {
                *top = true;
            }
        }
        let mut next = 0;
        for (ev, range) in run.drain(..) {
            // Emit every special that starts before this event.
            while next < specials.len() && specials[next].range.start <= range.start {
                self.emit_special(frame, &specials[next], block);
                next += 1;
            }
            // The specials are in text order and disjoint, so those that overlap the event
            // are one run of them, found by two binary searches (a scan of all of them for
            // every event is quadratic in a paragraph of many directives).
            let first = specials.partition_point(|s| s.range.end <= range.start);
            let past = specials.partition_point(|s| s.range.start < range.end);
            let overlapping = &specials[first..past.max(first)];
            if overlapping.is_empty() {
                self.inline_event(frame, ev, range, html, defs);
                continue;
            }
            if let Event::Text(t) = &ev {
                if t.len() == range.len() {
                    // Keep the pieces of the text outside the specials.
                    let mut cursor = range.start;
                    for s in overlapping {
                        if s.range.start > cursor {
                            let piece = &t[cursor - range.start..s.range.start - range.start];
                            self.inline_event(
                                frame,
                                Event::Text(CowStr::from(piece.to_string())),
                                cursor..s.range.start,
                                html,
                                defs,
                            );
                        }
                        while next < specials.len() && specials[next].range.start <= s.range.start {
                            self.emit_special(frame, &specials[next], block);
                            next += 1;
                        }
                        cursor = cursor.max(s.range.end);
                    }
                    if cursor < range.end {
                        let piece = &t[cursor - range.start..];
                        self.inline_event(
                            frame,
                            Event::Text(CowStr::from(piece.to_string())),
                            cursor..range.end,
                            html,
                            defs,
                        );
                    }
                }
            }
        }
        while next < specials.len() {
            self.emit_special(frame, &specials[next], block);
            next += 1;
        }
        for s in &specials {
            if s.range.end > end {
                skip_after = Some(end..s.range.end);
            }
        }
        skip_after
    }

    pub(super) fn only_specials(
        &self,
        text: &str,
        span: Range<usize>,
        specials: &[Special],
    ) -> bool {
        let mut cursor = span.start;
        for s in specials {
            if !text[cursor..s.range.start.max(cursor)].trim().is_empty() {
                return false;
            }
            cursor = cursor.max(s.range.end);
        }
        cursor >= span.end || text[cursor..span.end].trim().is_empty()
    }

    pub(super) fn inline_event(
        &mut self,
        frame: &Frame<'_>,
        ev: Event<'_>,
        range: Range<usize>,
        html: &mut HtmlScanner,
        defs: &mut HashMap<String, (String, Range<usize>, bool)>,
    ) {
        match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kind = match link_type {
                    LinkType::Inline => LinkKind::Inline,
                    LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                    _ => LinkKind::Reference,
                };
                let index = self.record_link(frame, kind, &dest_url, range.start);
                if link_type == LinkType::Email {
                    // `<team@example.com>`: the renderer writes `mailto:`; never a local file.
                    self.done.links[index].target = LinkTarget::External {
                        scheme: "mailto".to_string(),
                    };
                }
                if kind == LinkKind::Reference {
                    self.mark_definition(frame, defs, &id, index);
                }
                self.link_depth += 1;
                let tag = Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                self.push_link(tag, index);
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let index = self.record_link(frame, LinkKind::Image, &dest_url, range.start);
                if !matches!(link_type, LinkType::Inline) {
                    self.mark_definition(frame, defs, &id, index);
                }
                let tag = Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                self.push_link(tag, index);
            }
            Event::InlineHtml(t) => self.raw_html(frame, t, range, html, false),
            Event::Text(t) if is_entity_reference(&t, &frame.text[range.clone()]) => {
                // `&#x20;`, `&nbsp;`: the text model gets the character, the page keeps the
                // reference exactly as written.
                self.add_plain(&t);
                self.push_html(frame.text[range].to_string(), false, Vec::new());
            }
            Event::Text(t) => {
                self.add_plain(&t);
                if self.link_depth == 0
                    && self.heading.is_none()
                    && (t.contains("https://") || t.contains("http://"))
                {
                    self.autolink_text(frame, &t, range);
                } else {
                    self.push(Event::Text(t));
                }
            }
            Event::Code(t) => {
                self.add_plain(&t);
                if let Some(c) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
                    c.code.push(t.to_string());
                }
                self.push(Event::Code(t));
            }
            Event::SoftBreak => {
                self.add_plain(" ");
                self.push(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.add_plain("\n");
                self.push(Event::HardBreak);
            }
            other => self.push(other),
        }
    }

    /// Marks the definition that a reference to `label` (any case) uses, and records its
    /// line on the page's link `index`.
    pub(super) fn mark_definition(
        &mut self,
        frame: &Frame<'_>,
        defs: &mut HashMap<String, (String, Range<usize>, bool)>,
        label: &str,
        index: usize,
    ) {
        if let Some(def) = defs.get_mut(&label.to_lowercase()) {
            def.2 = true;
            let (line, _) = frame.pos(def.1.start);
            self.done.links[index].definition_line = Some(line);
        }
    }

    /// Turns bare `http(s)://` URLs in text into links (GitHub and Learn do the same).
    pub(super) fn autolink_text(&mut self, frame: &Frame<'_>, text: &str, range: Range<usize>) {
        let exact = text.len() == range.len();
        let mut rest = 0;
        while let Some(found) = [text[rest..].find("https://"), text[rest..].find("http://")]
            .into_iter()
            .flatten()
            .min()
        {
            let at = rest + found;
            let end = url_end(text, at);
            if end <= at + "https://".len() {
                self.push(Event::Text(CowStr::from(
                    text[rest..end.max(at + 1)].to_string(),
                )));
                rest = end.max(at + 1);
                continue;
            }
            if at > rest {
                self.push(Event::Text(CowStr::from(text[rest..at].to_string())));
            }
            let url = &text[at..end];
            let offset = if exact { range.start + at } else { range.start };
            let index = self.record_link(frame, LinkKind::Autolink, url, offset);
            let tag = Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(url.to_string()),
                title: CowStr::from(""),
                id: CowStr::from(""),
            };
            self.push_link(tag, index);
            self.push(Event::Text(CowStr::from(url.to_string())));
            self.push(Event::End(TagEnd::Link));
            rest = end;
        }
        if rest < text.len() {
            self.push(Event::Text(CowStr::from(text[rest..].to_string())));
        }
    }
}

/// True when a text event is one decoded entity reference (`&#x20;`, `&amp;`): pulldown-cmark
/// emits each as its own event whose source range is the reference.
fn is_entity_reference(text: &str, source: &str) -> bool {
    source.len() > 2
        && source.starts_with('&')
        && source.ends_with(';')
        && text != source
        && !source[1..].contains('&')
}

/// End of a bare URL starting at `at`: stops at whitespace or `<`, drops trailing
/// punctuation and an unbalanced closing parenthesis (GitHub's rules).
fn url_end(text: &str, at: usize) -> usize {
    let mut end = text[at..]
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .map_or(text.len(), |i| at + i);
    loop {
        let url = &text[at..end];
        let Some(last) = url.chars().last() else {
            break;
        };
        if matches!(
            last,
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~'
        ) {
            end -= last.len_utf8();
        } else if last == ')' && url.matches('(').count() < url.matches(')').count() {
            end -= 1;
        } else {
            break;
        }
    }
    end
}
