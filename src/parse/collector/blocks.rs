//! Block events: headings (ids, the DocFX `<a name>` rewrite), paragraphs, code blocks and
//! tables (cells with their text, code spans and links).

use super::*;
use crate::model::doc_text::{nodes_text, outside_links};

impl Collector<'_> {
    pub(super) fn block(
        &mut self,
        frame: &Frame<'_>,
        ev: Event<'_>,
        range: Range<usize>,
        html: &mut HtmlScanner,
    ) {
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let (line, _) = frame.pos(range.start);
                self.heading = Some(HeadingState {
                    level: level as u8,
                    explicit: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    out_index: self.done.nodes.len(),
                    text: String::new(),
                    named: None,
                    drop_closing_a: false,
                    file: self.file_name(frame),
                    line,
                });
                self.push(Event::Start(Tag::Paragraph));
                if let Some(h) = &self.heading {
                    if let Some(id) = h.explicit.clone() {
                        self.record_anchor(frame, &id, AnchorKind::HeadingAttribute, range.start);
                    }
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                self.finish_heading(frame, range.start);
                self.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_dropped.push(false);
                self.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if self.paragraph_dropped.pop() != Some(true) {
                    // A paragraph whose text was all consumed (the rest of a complex image's
                    // long description) leaves nothing to show: drop it instead of `<p></p>`.
                    if self.at_paragraph_start() {
                        self.done.nodes.pop();
                    } else {
                        self.push(Event::End(TagEnd::Paragraph));
                    }
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                // The renderer writes the definition as `<div ... id="label">`: a valid target.
                self.record_anchor(frame, &label, AnchorKind::Footnote, range.start);
                self.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                self.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Html(text) => self.raw_html(frame, text, range, html, true),
            Event::Start(Tag::Table(aligns)) => {
                let (line, _) = frame.pos(range.start);
                self.table = Some(TableState {
                    table: Table {
                        file: self.file_name(frame),
                        line,
                        section: self.section.clone(),
                        header: Vec::new(),
                        rows: Vec::new(),
                    },
                    in_head: false,
                    cell: None,
                });
                self.push(Event::Start(Tag::Table(aligns)));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
                self.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
                self.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                let (line, _) = frame.pos(range.start);
                if let Some(t) = &mut self.table {
                    t.table.rows.push(Row {
                        line,
                        cells: Vec::new(),
                    });
                }
                self.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let nodes_start = self.done.nodes.len() + 1;
                let links_start = self.done.links.len();
                if let Some(t) = &mut self.table {
                    t.cell = Some(CellState {
                        nodes_start,
                        markdown: frame.text[range].trim().to_string(),
                        text: String::new(),
                        code: Vec::new(),
                        links_start,
                    });
                }
                self.push(Event::Start(Tag::TableCell));
            }
            Event::End(TagEnd::TableCell) => {
                self.finish_cell();
                self.push(Event::End(TagEnd::TableCell));
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.done.tables.push(t.table);
                }
                self.push(Event::End(TagEnd::Table));
            }
            other => self.push(other),
        }
    }

    pub(super) fn finish_cell(&mut self) {
        let links_end = self.done.links.len();
        let Some(t) = &mut self.table else { return };
        let Some(cell) = t.cell.take() else { return };
        let nodes = cell.nodes_start..self.done.nodes.len();
        let outside_links = (links_end > cell.links_start).then(|| {
            let cell_nodes = self.done.nodes.get(nodes.clone()).unwrap_or_default();
            nodes_text(outside_links(cell_nodes))
        });
        let cell = Cell {
            markdown: cell.markdown,
            text: cell.text.trim().to_string(),
            nodes,
            code: cell.code,
            links: (cell.links_start..links_end).collect(),
            outside_links,
        };
        if t.in_head {
            t.table.header.push(cell);
        } else if let Some(row) = t.table.rows.last_mut() {
            row.cells.push(cell);
        }
    }

    pub(super) fn finish_heading(&mut self, frame: &Frame<'_>, offset: usize) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let id = if let Some(id) = h.explicit.clone() {
            self.slugger.reserve(&id);
            id
        } else if let Some(id) = h.named.clone() {
            id
        } else {
            let id = self.slugger.slug(&text);
            self.record_anchor(frame, &id, AnchorKind::Heading, offset);
            id
        };
        let classes: Vec<CowStr<'static>> = h.classes.into_iter().map(CowStr::from).collect();
        let attrs: Vec<(CowStr<'static>, Option<CowStr<'static>>)> = h
            .attrs
            .into_iter()
            .map(|(k, v)| (CowStr::from(k), v.map(CowStr::from)))
            .collect();
        let level = pulldown_cmark::HeadingLevel::try_from(h.level as usize)
            .unwrap_or(pulldown_cmark::HeadingLevel::H6);
        self.done.nodes[h.out_index] = Node::from_event(Event::Start(Tag::Heading {
            level,
            // A heading that slugs to nothing (`## ???`) has the id "" in the model, as on
            // GitHub, but `id=""` is not valid HTML: it gets no id attribute.
            id: (!id.is_empty()).then(|| CowStr::from(id.clone())),
            classes,
            attrs,
        }));
        self.section = Some(id.clone());
        self.done.headings.push(Heading {
            level: h.level,
            text,
            id,
            file: h.file,
            line: h.line,
        });
    }
}
