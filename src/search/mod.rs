//! Search stage: the model → a sharded, static search index under `search/`, read by the
//! default theme's `static/search.js`. Reads the model only (the stored event stream of each
//! page, its headings and tables); never parses Markdown again and never looks at HTML.
//!
//! One search document per page section (H1, H2, H3: every hit deep-links to its heading
//! anchor) plus one per migration result ([`SearchExtra`]: mapping rows and API-change
//! rows). Ranking is BM25F with precomputed impacts ([`index`]); the file layout is in
//! [`files`]; tokenisation rules are in [`tokenize`].
//!
//! [`SearchIndex`] keeps the index in memory between rebuilds: `docshift serve` hands it the
//! pages a change touched and it re-indexes those pages only, rewriting the files that
//! changed. A full build is the same code with every page changed, so both give the same
//! bytes.

pub mod extra;
pub mod extract;
pub mod files;
pub mod index;
pub mod tokenize;

pub use extra::{extras_from_migration, ExtraKind, SearchExtra};

use crate::model::doc::Node;
use crate::model::Site;
use files::{ChunkLayout, ChunkSource};
use index::{DocInput, Field, Index};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Lends page `i`'s document nodes to a reader: `lend(i, read)` calls `read` with them
/// (see [`SearchIndex::files_lending`]).
pub type LendNodes<'a> = dyn Fn(usize, &mut dyn FnMut(&[Node])) + Sync + 'a;

/// Where an index built for its files alone writes each result chunk as soon as it is
/// encoded (see [`SearchIndex::files_lending`]).
pub type WriteFile<'a> = dyn Fn(IndexFile) + Sync + 'a;

/// What an index built once hands each page's document metadata to (see
/// [`index::Index::build_taking`]).
type Take<'a> = dyn FnMut(usize, Vec<DocMeta>) + Send + 'a;

/// Knobs of the index layout. The defaults meet the budgets recorded in docs/benchmarks.md.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Most postings kept per term (the highest-impact ones).
    pub max_postings: usize,
    /// Target size of one term shard, in bytes.
    pub shard_bytes: usize,
    /// Pages per group of metadata chunks.
    pub pages_per_chunk: usize,
    /// Documents of each page per metadata chunk.
    pub docs_per_chunk: usize,
    /// Longest excerpt source stored per document, in characters.
    pub excerpt_chars: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            max_postings: 1000,
            shard_bytes: 12 * 1024,
            pages_per_chunk: 8,
            docs_per_chunk: 16,
            excerpt_chars: 200,
        }
    }
}

/// One file of the index, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// `/`-separated path (`search/manifest.json`).
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// What the results list shows for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DocMeta {
    /// Index into `Site::pages`.
    pub page: usize,
    /// `None` for page sections.
    pub kind: Option<ExtraKind>,
    /// Section heading or migration label ("" for a page's first section).
    pub heading: String,
    /// Percent-encoded heading id ("" links to the page itself).
    pub anchor: String,
    /// Start of the section text, for the excerpt.
    pub text: String,
    /// Old URL of a mapping.
    pub source: String,
    /// New URL (or replacement text) of a mapping; the browser links to it only when it
    /// is an http(s) or root-relative URL.
    pub target: String,
}

/// Files of the index that changed in an update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexDelta {
    /// Files added or with new contents.
    pub changed: Vec<IndexFile>,
    /// Paths of files that no longer exist (empty when `complete`: then every file not in
    /// `changed` is gone).
    pub removed: Vec<String>,
    /// True when `changed` and `written` hold every file of the index (it was built from
    /// scratch).
    pub complete: bool,
    /// Paths of the files the index handed to the caller's writer as it made them, not in
    /// `changed` ([`SearchIndex::files_lending`]).
    pub written: Vec<String>,
    /// Number of pages whose documents were indexed again.
    pub pages: usize,
}

/// One encoded file and the hash of its contents.
#[derive(Debug, Clone)]
struct Encoded {
    bytes: Vec<u8>,
    hash: u64,
}

impl Encoded {
    fn new(bytes: Vec<u8>) -> Self {
        let hash = files::file_hash(&bytes);
        Encoded { bytes, hash }
    }
}

/// The search index of a site, kept so that a later change re-indexes only the pages it
/// touched.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    options: SearchOptions,
    index: Index<DocMeta>,
    /// Title and URL of every page, by page index.
    pages: Vec<(String, String)>,
    /// The migration results shown on each page, by page index.
    extras: Vec<Vec<SearchExtra>>,
    /// A hash of each page's documents: a page rendered again for another reason (its
    /// navigation changed) is not indexed again.
    keys: Vec<u64>,
    /// Every file but the manifest, by path.
    files: BTreeMap<String, Encoded>,
    /// Files an index built for its files alone wrote as it made them: path and hash.
    written: Vec<(String, u64)>,
    manifest: Vec<u8>,
}

impl SearchIndex {
    /// Indexes the whole site with the default options.
    pub fn build(site: &Site) -> Self {
        let extras = extras_by_page(site, extras_from_migration(site));
        Self::build_by_page(site, extras, SearchOptions::default())
    }

    /// Every file of the index of the whole site with the default options, for an index
    /// that is not kept (a one-shot build): each page's document nodes are read through
    /// `lend` instead of from the site (`lend(i, read)` must call `read` with page `i`'s
    /// nodes; it is called once per page, in parallel, a window of pages at a time in page
    /// order), and each group of pages' result chunks is encoded as soon as its pages are
    /// indexed, so neither the site's nodes nor every section's excerpt are held at once. A
    /// one-shot build renders each page in `lend` and drops its nodes right after. The same
    /// files as [`SearchIndex::build`]'s for the same nodes.
    ///
    /// With a `scratch` file (a large site's build), the index's postings wait in it until
    /// they are scored instead of in memory; `Err` when they cannot be written or read back.
    /// With a `write`, each result chunk is handed to it as soon as it is encoded, from any
    /// thread, and the delta lists its path in `written` rather than the file in `changed`.
    pub fn files_lending(
        site: &Site,
        lend: &LendNodes<'_>,
        scratch: Option<std::fs::File>,
        write: Option<&WriteFile<'_>>,
    ) -> std::io::Result<IndexDelta> {
        // Each page's results are made when the page is indexed: a large migration docset
        // has tens of thousands, which would otherwise wait from the start of the render.
        let extras = PageExtras::Sources(extra::extra_sources_by_page(site));
        let options = SearchOptions::default();
        let index = Self::build_lent(site, extras, options, lend, Spent::Yes(write), scratch)?;
        Ok(index.into_complete())
    }

    /// Indexes the whole site: every page section plus `extras`.
    pub fn build_with(site: &Site, extras: &[SearchExtra], options: SearchOptions) -> Self {
        Self::build_by_page(site, extras_by_page(site, extras.to_vec()), options)
    }

    /// [`SearchIndex::build_with`], the extras already in their pages' lists
    /// ([`extras_by_page`]) and moved in rather than copied.
    fn build_by_page(site: &Site, extras: Vec<Vec<SearchExtra>>, options: SearchOptions) -> Self {
        let lend = |i: usize, read: &mut dyn FnMut(&[Node])| read(&site.pages[i].doc.nodes);
        let extras = PageExtras::Kept(extras);
        match Self::build_lent(site, extras, options, &lend, Spent::No, None) {
            Ok(index) => index,
            Err(e) => unreachable!("only postings kept on disk fail to be read: {e}"),
        }
    }

    /// [`SearchIndex::build_with`], the nodes lent by `lend` (see
    /// [`SearchIndex::files_lending`]); when `spent`, the result chunks are encoded as their
    /// pages are indexed (and handed to its writer, if any) and the index keeps no document
    /// metadata: it is good for its files only, and its postings wait in `scratch`, if given
    /// (a kept index ignores it). `extras` are the migration results by page.
    fn build_lent(
        site: &Site,
        extras: PageExtras,
        options: SearchOptions,
        lend: &LendNodes<'_>,
        spent: Spent<'_>,
        scratch: Option<std::fs::File>,
    ) -> std::io::Result<Self> {
        let (spent, write) = match spent {
            Spent::Yes(write) => (true, write),
            Spent::No => (false, None),
        };
        let keys: Vec<AtomicU64> = site.pages.iter().map(|_| AtomicU64::new(0)).collect();
        let pages = page_refs(site);
        let make = |i: usize| {
            let made: Vec<SearchExtra>;
            let page_extras: &[SearchExtra] = match &extras {
                PageExtras::Kept(kept) => &kept[i],
                PageExtras::Sources(sources) => {
                    made = sources[i].iter().filter_map(|x| x.make(site)).collect();
                    &made
                }
            };
            let mut docs = Vec::new();
            lend(i, &mut |nodes| {
                docs = page_documents_from(site, i, nodes, page_extras, &options);
            });
            keys[i].store(documents_key(&docs), Ordering::Relaxed);
            docs
        };
        let layout = ChunkLayout {
            pages: options.pages_per_chunk.max(1),
            docs: options.docs_per_chunk.max(1),
        };
        let mut chunks = ChunkWriter {
            pages: &pages,
            layout,
            docs: Vec::new(),
            first: 0,
            files: Vec::new(),
            write,
            written: Vec::new(),
        };
        let mut take = |u: usize, metas: Vec<DocMeta>| chunks.add(u, metas);
        let take: Option<&mut Take<'_>> = spent.then_some(&mut take);
        let index =
            Index::build_taking(site.pages.len(), options.max_postings, make, take, scratch)?;
        let (encoded, written) = (chunks.files, chunks.written);
        let mut this = SearchIndex {
            options,
            index,
            pages,
            // A spent index is never updated: its pages' results are not needed again.
            extras: match extras {
                PageExtras::Kept(kept) => kept,
                PageExtras::Sources(_) => Vec::new(),
            },
            keys: keys.into_iter().map(AtomicU64::into_inner).collect(),
            files: BTreeMap::new(),
            written,
            manifest: Vec::new(),
        };
        if spent {
            this.files.extend(encoded);
            this.encode(&[]);
        } else {
            let groups: Vec<usize> = (0..this.groups()).collect();
            this.encode(&groups);
        }
        Ok(this)
    }

    /// Every file of the index as a delta from nothing.
    pub fn complete(&self) -> IndexDelta {
        IndexDelta {
            changed: self.files(),
            removed: Vec::new(),
            complete: true,
            written: (self.written.iter())
                .map(|(path, _)| path.clone())
                .collect(),
            pages: self.index.units(),
        }
    }

    /// [`SearchIndex::complete`] for an index not kept: its files are moved out, not copied.
    pub fn into_complete(self) -> IndexDelta {
        let mut changed = vec![IndexFile {
            path: "search/manifest.json".to_string(),
            bytes: self.manifest,
        }];
        changed.extend((self.files.into_iter()).map(|(path, f)| IndexFile {
            path,
            bytes: f.bytes,
        }));
        IndexDelta {
            changed,
            removed: Vec::new(),
            complete: true,
            written: self.written.into_iter().map(|(path, _)| path).collect(),
            pages: self.index.units(),
        }
    }

    /// Every file of the index, the manifest first.
    pub fn files(&self) -> Vec<IndexFile> {
        let mut out = vec![IndexFile {
            path: "search/manifest.json".to_string(),
            bytes: self.manifest.clone(),
        }];
        out.extend(self.files.iter().map(|(path, f)| IndexFile {
            path: path.clone(),
            bytes: f.bytes.clone(),
        }));
        out
    }

    /// Brings the index up to date with `site`, in which the pages `touched` (indices into
    /// `site.pages`) may have changed since the last build or update. When
    /// `migration_changed`, the migration results are compared page by page, so a page whose
    /// mapping rows changed through another file is re-indexed too. When the list of pages
    /// itself changed, the index is built again.
    pub fn update(
        &mut self,
        site: &Site,
        touched: &[usize],
        migration_changed: bool,
    ) -> IndexDelta {
        let refs = page_refs(site);
        let same_pages =
            refs.len() == self.pages.len() && refs.iter().zip(&self.pages).all(|(a, b)| a.1 == b.1);
        let extras = if migration_changed || !same_pages {
            extras_by_page(site, extras_from_migration(site))
        } else {
            std::mem::take(&mut self.extras)
        };
        if !same_pages {
            *self = Self::build_by_page(site, extras, self.options.clone());
            return self.complete();
        }
        let mut candidates: BTreeSet<usize> = touched
            .iter()
            .copied()
            .filter(|&i| i < refs.len())
            .collect();
        if migration_changed {
            candidates.extend((0..refs.len()).filter(|&i| extras[i] != self.extras[i]));
        }
        let options = &self.options;
        let keyed: Vec<(usize, u64)> = candidates
            .into_par_iter()
            .map(|i| {
                (
                    i,
                    documents_key(&page_documents(site, i, &extras[i], options)),
                )
            })
            .collect();
        let changed: Vec<usize> = keyed
            .into_iter()
            .filter(|&(i, key)| {
                let differs = self.keys[i] != key;
                self.keys[i] = key;
                differs
            })
            .map(|(i, _)| i)
            .collect();
        self.pages = refs;
        self.extras = extras;
        if changed.is_empty() {
            return IndexDelta::default();
        }
        let (extras, options) = (&self.extras, &self.options);
        self.index
            .replace(&changed, |i| page_documents(site, i, &extras[i], options));
        let per = self.layout().pages;
        let mut groups: Vec<usize> = changed.iter().map(|&i| i / per).collect();
        groups.dedup();
        // Take out the files about to be encoded again (the shards and the chunks of the
        // changed groups); the other chunks stay as they are.
        let redone = |path: &str| {
            path.starts_with("search/t/")
                || files::chunk_group(path).is_some_and(|g| groups.binary_search(&g).is_ok())
        };
        let paths: Vec<String> = self.files.keys().filter(|p| redone(p)).cloned().collect();
        let before: BTreeMap<String, Encoded> = paths
            .into_iter()
            .filter_map(|p| self.files.remove(&p).map(|f| (p, f)))
            .collect();
        let manifest = std::mem::take(&mut self.manifest);
        self.encode(&groups);
        let mut delta = IndexDelta {
            pages: changed.len(),
            ..IndexDelta::default()
        };
        if manifest != self.manifest {
            delta.changed.push(IndexFile {
                path: "search/manifest.json".to_string(),
                bytes: self.manifest.clone(),
            });
        }
        for (path, f) in self.files.iter().filter(|(p, _)| redone(p)) {
            let same = before
                .get(path)
                .is_some_and(|old| old.hash == f.hash && old.bytes == f.bytes);
            if !same {
                delta.changed.push(IndexFile {
                    path: path.clone(),
                    bytes: f.bytes.clone(),
                });
            }
        }
        delta.removed = before
            .into_keys()
            .filter(|p| !self.files.contains_key(p))
            .collect();
        delta
    }

    fn layout(&self) -> ChunkLayout {
        ChunkLayout {
            pages: self.options.pages_per_chunk.max(1),
            docs: self.options.docs_per_chunk.max(1),
        }
    }

    fn groups(&self) -> usize {
        self.index.units().div_ceil(self.layout().pages)
    }

    /// Encodes the chunks of page groups `groups` and every shard, then the manifest (the
    /// caller has taken the old versions of those files out). The shards are small next to
    /// the chunks (term postings are a few bytes each), so they are encoded whole: an edit
    /// that moves a shard boundary moves the terms after it.
    fn encode(&mut self, groups: &[usize]) {
        let layout = self.layout();
        let units = self.index.units();
        let chunks: Vec<(String, Encoded)> = groups
            .par_iter()
            .flat_map_iter(|&g| {
                let sources: Vec<ChunkSource<'_>> = (g * layout.pages
                    ..((g + 1) * layout.pages).min(units))
                    .map(|i| ChunkSource {
                        title: &self.pages[i].0,
                        url: &self.pages[i].1,
                        docs: self.index.metas(i),
                    })
                    .collect();
                files::encode_group(&sources, layout)
                    .into_iter()
                    .map(move |(part, bytes)| (files::chunk_path(g, part), Encoded::new(bytes)))
            })
            .collect();
        self.files.extend(chunks);
        let (shards, seps) = files::encode_shards(&self.index.entries(), self.options.shard_bytes);
        self.files.extend(
            shards
                .into_par_iter()
                .enumerate()
                .map(|(k, bytes)| (format!("search/t/{k}.bin"), Encoded::new(bytes)))
                .collect::<Vec<_>>(),
        );
        let docs: Vec<usize> = (0..units).map(|i| self.index.docs(i)).collect();
        // Every file's hash in path order, whether kept or written.
        let mut hashes: Vec<(&str, u64)> = (self.files.iter())
            .map(|(p, f)| (p.as_str(), f.hash))
            .chain(self.written.iter().map(|(p, h)| (p.as_str(), *h)))
            .collect();
        hashes.sort_unstable();
        let id = files::index_id(hashes.into_iter());
        self.manifest = files::encode_manifest(&files::ManifestInfo {
            id,
            pages: units,
            docs: docs.iter().sum(),
            span: docs.iter().max().map_or(1, |m| m + 1),
            layout,
            seps: &seps,
        });
    }
}

/// Encodes the result chunks of each group of pages once its last page is indexed (pages
/// come in order), for an index that keeps no metadata: complete groups are encoded in
/// parallel, [`ChunkWriter::BATCH`] at a time.
struct ChunkWriter<'a> {
    /// Title and URL of every page.
    pages: &'a [(String, String)],
    layout: ChunkLayout,
    /// The documents of the pages indexed and not yet encoded, from page `first` on.
    docs: Vec<Vec<DocMeta>>,
    first: usize,
    /// The encoded chunks, unless there is a `write`.
    files: Vec<(String, Encoded)>,
    /// Where each chunk goes as soon as it is encoded; `written` keeps its path and hash.
    write: Option<&'a WriteFile<'a>>,
    written: Vec<(String, u64)>,
}

impl ChunkWriter<'_> {
    /// Complete groups encoded together: enough to keep every core busy, few pages' excerpts.
    const BATCH: usize = 32;

    /// Takes page `u`'s documents; encodes the complete groups held when there are
    /// [`ChunkWriter::BATCH`] of them, or when `u` is the last page.
    fn add(&mut self, u: usize, metas: Vec<DocMeta>) {
        self.docs.push(metas);
        let per = self.layout.pages;
        if self.docs.len() >= Self::BATCH * per || u + 1 == self.pages.len() {
            self.encode();
        }
    }

    /// Encodes every complete group held.
    fn encode(&mut self) {
        let per = self.layout.pages;
        let end = self.first + self.docs.len();
        let complete = if end == self.pages.len() {
            self.docs.len()
        } else {
            self.docs.len() / per * per
        };
        let (pages, layout, first) = (self.pages, self.layout, self.first);
        let docs = &self.docs[..complete];
        let encoded: Vec<(String, Encoded)> = (docs.par_chunks(per).enumerate())
            .flat_map_iter(|(k, group)| {
                let start = first + k * per;
                let sources: Vec<ChunkSource<'_>> = (group.iter().enumerate())
                    .map(|(j, docs)| ChunkSource {
                        title: &pages[start + j].0,
                        url: &pages[start + j].1,
                        docs,
                    })
                    .collect();
                let g = start / per;
                files::encode_group(&sources, layout)
                    .into_iter()
                    .map(move |(part, bytes)| (files::chunk_path(g, part), Encoded::new(bytes)))
            })
            .collect();
        match self.write {
            Some(write) => {
                let written = encoded.iter().map(|(path, f)| (path.clone(), f.hash));
                self.written.extend(written);
                encoded.into_par_iter().for_each(|(path, f)| {
                    write(IndexFile {
                        path,
                        bytes: f.bytes,
                    });
                });
            }
            None => self.files.extend(encoded),
        }
        self.docs.drain(..complete);
        self.first += complete;
    }
}

/// Whether [`SearchIndex::build_lent`] builds an index for its files alone, and where such an
/// index writes its result chunks as it encodes them (`None`: it keeps them).
enum Spent<'a> {
    Yes(Option<&'a WriteFile<'a>>),
    No,
}

/// A hash of a page's documents: their texts, fields, boosts and metadata.
fn documents_key(docs: &[(DocInput, DocMeta)]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for (input, meta) in docs {
        for (field, text) in &input.fields {
            (*field as u8).hash(&mut h);
            text.hash(&mut h);
        }
        input.boost.to_bits().hash(&mut h);
        meta.hash(&mut h);
    }
    docs.len().hash(&mut h);
    h.finish()
}

fn page_refs(site: &Site) -> Vec<(String, String)> {
    site.pages
        .iter()
        .map(|p| (p.title.clone(), p.url.clone()))
        .collect()
}

/// The migration results of each page, indexed like `site.pages`: made, for an index that
/// keeps them for its updates, or as their sources, for an index built for its files alone.
enum PageExtras {
    /// Made, and kept by the index.
    Kept(Vec<Vec<SearchExtra>>),
    /// Where they come from, each made when its page is indexed.
    Sources(Vec<Vec<extra::ExtraSource>>),
}

/// `extras` in a list per page, indexed like `site.pages` (an extra of no page is dropped).
fn extras_by_page(site: &Site, extras: Vec<SearchExtra>) -> Vec<Vec<SearchExtra>> {
    let mut by_page: Vec<Vec<SearchExtra>> = vec![Vec::new(); site.pages.len()];
    for e in extras.into_iter().filter(|e| e.page < site.pages.len()) {
        let page = e.page;
        by_page[page].push(e);
    }
    by_page
}

/// The documents of one page: its sections, then the migration results it documents.
fn page_documents(
    site: &Site,
    index: usize,
    extras: &[SearchExtra],
    options: &SearchOptions,
) -> Vec<(DocInput, DocMeta)> {
    page_documents_from(site, index, &site.pages[index].doc.nodes, extras, options)
}

/// [`page_documents`] with the page's document nodes given apart from the site.
fn page_documents_from(
    site: &Site,
    index: usize,
    nodes: &[Node],
    extras: &[SearchExtra],
    options: &SearchOptions,
) -> Vec<(DocInput, DocMeta)> {
    let page = &site.pages[index];
    let mut out = Vec::new();
    for (j, s) in extract::sections_from(page, nodes).into_iter().enumerate() {
        let mut fields = Vec::with_capacity(5);
        let first = j == 0;
        if first {
            fields.push((Field::Title, page.title.clone()));
            if let Some(d) = &page.description {
                fields.push((Field::Lead, d.clone()));
            }
        } else {
            fields.push((Field::Context, page.title.clone()));
        }
        if !(first && s.heading == page.title) {
            fields.push((Field::Heading, s.heading.clone()));
        }
        let text = if s.body.is_empty() && first {
            page.description.clone().unwrap_or_default()
        } else {
            excerpt(&s.body, options.excerpt_chars)
        };
        let meta = DocMeta {
            page: index,
            heading: if first && s.heading == page.title {
                String::new()
            } else {
                s.heading
            },
            anchor: if s.anchor.is_empty() || first {
                String::new()
            } else {
                crate::urls::encode_fragment(&s.anchor)
            },
            text,
            ..DocMeta::default()
        };
        fields.push((Field::Body, s.body));
        fields.push((Field::Code, s.code));
        out.push((DocInput { fields, boost: 1.0 }, meta));
    }
    for e in extras {
        out.push(extra_document(page, e, options));
    }
    out
}

/// Migration results rank slightly above prose that mentions the same words: a partner who
/// types an old page's name wants the row that says where it went.
const EXTRA_BOOST: f32 = 1.3;

fn extra_document(
    page: &crate::model::Page,
    e: &SearchExtra,
    options: &SearchOptions,
) -> (DocInput, DocMeta) {
    let body = [
        e.source_url.as_str(),
        e.target_url.as_str(),
        e.body.as_str(),
    ]
    .join(" ");
    let input = DocInput {
        fields: vec![
            (Field::Heading, e.title.clone()),
            (Field::Context, page.title.clone()),
            (Field::Body, body),
        ],
        boost: EXTRA_BOOST,
    };
    let meta = DocMeta {
        page: e.page,
        kind: Some(e.kind),
        heading: e.title.clone(),
        anchor: crate::urls::encode_fragment(&e.anchor),
        text: excerpt(&e.body, options.excerpt_chars),
        source: e.source_url.clone(),
        target: e.target_url.clone(),
    };
    (input, meta)
}

/// The first `max` characters of `text`, cut at a word boundary.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let end = head.rfind(' ').filter(|&i| i > cut / 2).unwrap_or(cut);
            format!("{}…", &head[..end])
        }
    }
}

#[cfg(test)]
mod tests;
