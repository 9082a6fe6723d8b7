//! Pages' document nodes kept on disk between their parse and their render, for a one-shot
//! build: the nodes are most of a parsed page, and holding every page's from the end of the
//! parse to the render made the build's memory grow with the whole site's. Each page's
//! nodes are encoded ([`crate::model::doc_codec`]) and appended to the build's unnamed
//! scratch file ([`Stow`], which the pages' stowed links and tables share) as soon as the
//! page is parsed, and read back by the worker that renders the page.

use crate::error::{Error, Result};
use crate::model::doc::Node;
use crate::model::doc_codec::{decode_nodes, encode_nodes};
use crate::model::stow::Stow;
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A one-shot build keeps its pages' nodes on disk when their Markdown comes to at least
/// this many bytes (32 MiB: about 3,500 pages of 9 KB). A smaller site's nodes (about twice
/// its Markdown) are a small share of the memory a machine that builds it has, and writing
/// and reading them back costs about 7 % of a 1,000-page build.
pub const SPILL_FROM_BYTES: u64 = 32 << 20;

/// Where one page's nodes are in the file.
#[derive(Debug, Clone, Copy)]
struct Place {
    offset: u64,
    len: usize,
}

/// The scratch file and the place of each page's nodes in it; see the module
/// documentation.
#[derive(Debug)]
pub(super) struct NodeSpill {
    /// The file, shared with the pages' stowed links and tables.
    stow: Arc<Stow>,
    /// Each spilled page's place, by page path.
    places: Mutex<HashMap<String, Place>>,
}

impl NodeSpill {
    /// Spills into `stow`.
    pub(super) fn new(stow: Arc<Stow>) -> NodeSpill {
        NodeSpill {
            stow,
            places: Mutex::new(HashMap::default()),
        }
    }

    /// The scratch file, for the page facts a one-shot build stows beside the nodes.
    pub(super) fn stow(&self) -> &Arc<Stow> {
        &self.stow
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Place>> {
        self.places.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the nodes of page `path` to the file; false when they could not be written
    /// (a full disk), and the caller keeps them. Called from many threads at once.
    pub(super) fn put(&self, path: &str, nodes: &[Node]) -> bool {
        let mut bytes = Vec::with_capacity(nodes.len() * 16);
        encode_nodes(nodes, &mut bytes);
        let Ok(offset) = self.stow.put(&bytes) else {
            return false;
        };
        let place = Place {
            offset,
            len: bytes.len(),
        };
        self.lock().insert(path.to_string(), place);
        true
    }

    /// True when the nodes of page `path` are in the file.
    pub(super) fn holds(&self, path: &str) -> bool {
        self.lock().contains_key(path)
    }

    /// Reads the nodes of page `path` back (`None`: not spilled). A page's nodes are read
    /// once: its place is forgotten.
    pub(super) fn take(&self, path: &str) -> Option<Result<Vec<Node>>> {
        let place = self.lock().remove(path)?;
        let read = self.stow.get(place.offset, place.len).and_then(|bytes| {
            decode_nodes(&bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        });
        Some(read.map_err(|source| Error::Read {
            path: PathBuf::from(format!(
                "{path} (its parsed nodes, kept in a temporary file)"
            )),
            source,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

    fn page_nodes(words: &str) -> Vec<Node> {
        vec![
            Node::from_event(Event::Start(Tag::Paragraph)),
            Node::from_event(Event::Text(CowStr::from(words.to_string()))),
            Node::from_event(Event::End(TagEnd::Paragraph)),
        ]
    }

    #[test]
    fn pages_spilled_from_many_threads_read_back_once_each() {
        let spill = NodeSpill::new(Arc::new(Stow::new(
            tempfile::tempfile().expect("scratch file"),
        )));
        let pages: Vec<(String, Vec<Node>)> = (0..200)
            .map(|i| (format!("guide/p{i}.md"), page_nodes(&"word ".repeat(i))))
            .collect();
        std::thread::scope(|scope| {
            for chunk in pages.chunks(50) {
                let spill = &spill;
                scope.spawn(move || {
                    for (path, nodes) in chunk {
                        assert!(spill.put(path, nodes));
                    }
                });
            }
        });
        for (path, nodes) in pages.iter().rev() {
            assert!(spill.holds(path));
            assert_eq!(spill.take(path).expect("spilled").expect("read"), *nodes);
            assert!(!spill.holds(path));
            assert!(spill.take(path).is_none());
        }
        assert!(spill.take("guide/never.md").is_none());
    }

    #[test]
    fn a_damaged_spill_is_a_read_error_naming_the_page() {
        let file = tempfile::tempfile().expect("scratch file");
        let spill = NodeSpill::new(Arc::new(Stow::new(
            file.try_clone().expect("second handle"),
        )));
        assert!(spill.put("guide/a.md", &page_nodes("some text")));
        file.set_len(2).expect("truncate");
        let err = spill
            .take("guide/a.md")
            .expect("spilled")
            .expect_err("damaged");
        assert!(err.to_string().contains("guide/a.md"), "{err}");
    }
}
