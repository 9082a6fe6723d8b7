//! Index → bytes under `search/`. Layout (read by `static/search.js`; bump
//! [`FORMAT_VERSION`] on any change):
//!
//! * `manifest.json` — `{"version","id","pages","docs","span","chunk","seps"}`. Terms are
//!   sorted by code point and cut into shards of about `shard_bytes`; `seps[k]` is the
//!   shortest prefix of shard `k`'s first term that sorts after shard `k-1`'s last term
//!   (`seps[0]` is `""`), so a term lives in the last shard whose separator sorts at or
//!   before it, and a prefix query needs only the contiguous run of shards its range covers.
//!   `id` is a hash of every file, appended to shard and chunk URLs to defeat stale caches.
//!   `span` is one more than the most documents any page has (a browser can number
//!   documents `page × span + doc`); `chunk` is `[pages, docs]` (see the chunks below).
//! * `t/<k>.bin` — shard `k`: `varint count`, then per term (front-coded against the
//!   previous term): `varint shared, varint len, bytes`, `varint surfaces` and per surface
//!   `varint shared-with-term, varint len, bytes`, `varint df`, `varint scale`,
//!   `varint postings`, then per posting `varint page-delta, varint doc, u8 impact`, where a
//!   document is numbered within its page. A posting's score is `impact × scale`. Varints
//!   are unsigned LEB128; strings are UTF-8. A surface whose own position falls in another
//!   shard is repeated there as an alias term, so routing by what was typed always finds it.
//! * `d/<g>-<p>.json.gz` — metadata of the documents of pages `g*pages .. (g+1)*pages`
//!   whose number within their page is in `p*docs .. (p+1)*docs`, gzip-compressed JSON (the
//!   browser inflates it with `DecompressionStream`; a host that serves `.gz` files with
//!   `Content-Encoding: gzip` hands over the JSON already inflated, which the reader detects
//!   by the missing gzip magic bytes):
//!   `{"pages":[{"title","url","docs":[{"h","a","t","k","s","n"}]}]}` (one entry per page
//!   of the group; heading, encoded anchor, excerpt text, kind `map`/`api`, old URL, new
//!   URL). A page's documents are found without knowing any other page's, so an edited
//!   page rewrites only its own group's chunks. Only the chunks of the hits being shown are
//!   fetched. Compressed because the file count and the first query's transfer pull in
//!   opposite directions: a query fetches one chunk per hit shown, so bigger chunks mean
//!   fewer files but more bytes per query; compressing (as Pagefind does with its
//!   fragments) lets a chunk hold four times as many pages for the same transfer.

use super::index::TermEntry;
use super::DocMeta;
use rayon::prelude::*;
use serde::Serialize;

/// Version of the file layout above.
pub const FORMAT_VERSION: u32 = 3;

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    id: String,
    pages: usize,
    docs: usize,
    span: usize,
    chunk: [usize; 2],
    seps: &'a [String],
}

#[derive(Serialize)]
struct Chunk<'a> {
    pages: Vec<ChunkPage<'a>>,
}

#[derive(Serialize)]
struct ChunkPage<'a> {
    title: &'a str,
    url: &'a str,
    docs: Vec<ChunkDoc<'a>>,
}

#[derive(Serialize)]
struct ChunkDoc<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    h: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    a: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    t: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<&'static str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    s: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    n: &'a str,
}

/// One page as the chunks show it: title, URL and the metadata of its documents.
pub struct ChunkSource<'a> {
    /// Page title.
    pub title: &'a str,
    /// Page URL.
    pub url: &'a str,
    /// Its documents, in order.
    pub docs: &'a [DocMeta],
}

/// How documents are grouped into chunk files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkLayout {
    /// Pages per group.
    pub pages: usize,
    /// Documents of each page per chunk.
    pub docs: usize,
}

/// The term shards (`t/<k>.bin`, by `k`) and their separators.
pub fn encode_shards(terms: &[&TermEntry], shard_bytes: usize) -> (Vec<Vec<u8>>, Vec<String>) {
    let bounds = shard_bounds(terms, shard_bytes.max(1));
    let seps = separators(terms, &bounds);
    let mut aliases: Vec<Vec<TermEntry>> = vec![Vec::new(); bounds.len()];
    for (k, range) in bounds.iter().enumerate() {
        for t in &terms[range.clone()] {
            for s in &t.surfaces {
                let target = shard_of(&seps, s);
                if target != k {
                    aliases[target].push(TermEntry {
                        term: s.clone(),
                        surfaces: Vec::new(),
                        df: t.df,
                        scale: t.scale,
                        postings: t.postings.clone(),
                    });
                }
            }
        }
    }
    let bytes = bounds
        .par_iter()
        .zip(aliases)
        .map(|(range, extra)| {
            let mut entries: Vec<&TermEntry> = terms[range.clone()].to_vec();
            entries.extend(extra.iter());
            entries.sort_by(|a, b| {
                a.term
                    .cmp(&b.term)
                    .then(b.surfaces.len().cmp(&a.surfaces.len()))
            });
            encode_shard(&entries)
        })
        .collect();
    (bytes, seps)
}

/// Path of chunk `part` of page group `group`.
pub fn chunk_path(group: usize, part: usize) -> String {
    format!("search/d/{group}-{part}.json.gz")
}

/// The page group of a chunk path (the inverse of [`chunk_path`]).
pub fn chunk_group(path: &str) -> Option<usize> {
    let name = path.strip_prefix("search/d/")?;
    name.split('-').next()?.parse().ok()
}

/// The chunk files of one page group, as `(part, bytes)`.
pub fn encode_group(pages: &[ChunkSource<'_>], layout: ChunkLayout) -> Vec<(usize, Vec<u8>)> {
    let per = layout.docs.max(1);
    let parts = pages
        .iter()
        .map(|p| p.docs.len().div_ceil(per))
        .max()
        .unwrap_or(0);
    (0..parts)
        .map(|part| {
            let chunk = Chunk {
                pages: pages
                    .iter()
                    .map(|p| ChunkPage {
                        title: p.title,
                        url: p.url,
                        docs: p
                            .docs
                            .iter()
                            .skip(part * per)
                            .take(per)
                            .map(chunk_doc)
                            .collect(),
                    })
                    .collect(),
            };
            let json = serde_json::to_vec(&chunk).expect("plain data always serialises");
            (part, gzip(&json))
        })
        .collect()
}

/// `bytes` gzip-compressed. Deterministic: the header carries no file name and a zero
/// modification time.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::default(),
    );
    // Writing into a `Vec` cannot fail.
    let written = encoder.write_all(bytes).and_then(|()| encoder.finish());
    let mut out = written.unwrap_or_else(|e| unreachable!("in-memory gzip failed: {e}"));
    // The guess above is for text that compresses threefold; the index's JSON compresses
    // further, and a full build holds its files until it writes them.
    out.shrink_to_fit();
    out
}

fn chunk_doc(d: &DocMeta) -> ChunkDoc<'_> {
    ChunkDoc {
        h: &d.heading,
        a: &d.anchor,
        t: &d.text,
        k: d.kind.map(|k| k.code()),
        s: &d.source,
        n: &d.target,
    }
}

/// What the manifest records besides the separators.
pub struct ManifestInfo<'a> {
    /// Hash of every other file ([`index_id`]).
    pub id: u64,
    /// Number of pages.
    pub pages: usize,
    /// Number of documents.
    pub docs: usize,
    /// One more than the most documents of any page.
    pub span: usize,
    /// The chunk layout.
    pub layout: ChunkLayout,
    /// Shard separators.
    pub seps: &'a [String],
}

/// `manifest.json`.
pub fn encode_manifest(info: &ManifestInfo<'_>) -> Vec<u8> {
    let manifest = Manifest {
        version: FORMAT_VERSION,
        id: format!("{:016x}", info.id),
        pages: info.pages,
        docs: info.docs,
        span: info.span,
        chunk: [info.layout.pages, info.layout.docs],
        seps: info.seps,
    };
    serde_json::to_vec(&manifest).expect("plain data always serialises")
}

/// Hash of one file's contents.
pub fn file_hash(bytes: &[u8]) -> u64 {
    fnv(FNV_OFFSET, bytes)
}

/// The index id: a hash of every file's path and contents hash, in the order given.
pub fn index_id<'a>(files: impl Iterator<Item = (&'a str, u64)>) -> u64 {
    files.fold(FNV_OFFSET, |h, (path, hash)| {
        fnv(fnv(h, path.as_bytes()), &hash.to_le_bytes())
    })
}

/// Cuts the sorted terms into consecutive runs of about `target` encoded bytes.
fn shard_bounds(terms: &[&TermEntry], target: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, t) in terms.iter().enumerate() {
        let s = entry_size(t);
        if size > 0 && size + s > target {
            out.push(start..i);
            start = i;
            size = 0;
        }
        size += s;
    }
    out.push(start..terms.len());
    out
}

fn entry_size(t: &TermEntry) -> usize {
    8 + t.term.len() + t.surfaces.iter().map(|s| 2 + s.len()).sum::<usize>() + t.postings.len() * 4
}

fn separators(terms: &[&TermEntry], bounds: &[std::ops::Range<usize>]) -> Vec<String> {
    let mut seps = vec![String::new()];
    for pair in bounds.windows(2) {
        let last = &terms[pair[0].end - 1].term;
        let first = &terms[pair[1].start].term;
        let sep = first
            .char_indices()
            .map(|(i, c)| &first[..i + c.len_utf8()])
            .find(|p| *p > last.as_str())
            .unwrap_or(first);
        seps.push(sep.to_string());
    }
    seps
}

/// Index of the shard a term (or typed word) routes to.
pub fn shard_of(seps: &[String], term: &str) -> usize {
    seps.partition_point(|s| s.as_str() <= term)
        .saturating_sub(1)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn shared_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn front_coded(out: &mut Vec<u8>, base: &str, s: &str) {
    let shared = shared_len(base, s);
    varint(out, shared as u64);
    varint(out, (s.len() - shared) as u64);
    out.extend_from_slice(&s.as_bytes()[shared..]);
}

fn encode_shard(entries: &[&TermEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| entry_size(e)).sum());
    varint(&mut out, entries.len() as u64);
    let mut prev = "";
    for e in entries {
        front_coded(&mut out, prev, &e.term);
        varint(&mut out, e.surfaces.len() as u64);
        for s in &e.surfaces {
            front_coded(&mut out, &e.term, s);
        }
        varint(&mut out, u64::from(e.df));
        varint(&mut out, u64::from(e.scale));
        varint(&mut out, e.postings.len() as u64);
        let mut last = 0;
        for ((page, doc), impact) in &e.postings {
            varint(&mut out, u64::from(page - last));
            varint(&mut out, u64::from(*doc));
            out.push(*impact);
            last = *page;
        }
        prev = &e.term;
    }
    out
}

use crate::output::{fnv, FNV_OFFSET};

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str) -> TermEntry {
        TermEntry {
            term: term.to_string(),
            surfaces: vec![],
            df: 1,
            scale: 1,
            postings: vec![((0, 0), 1)],
        }
    }

    #[test]
    fn separators_route_every_term_to_its_shard() {
        let owned: Vec<TermEntry> = ["ab", "abc", "abd", "b", "ba", "bb", "c"]
            .iter()
            .map(|t| entry(t))
            .collect();
        let terms: Vec<&TermEntry> = owned.iter().collect();
        let bounds = shard_bounds(&terms, 30);
        assert!(bounds.len() > 1);
        let seps = separators(&terms, &bounds);
        for (k, r) in bounds.iter().enumerate() {
            for t in &terms[r.clone()] {
                assert_eq!(shard_of(&seps, &t.term), k, "{}", t.term);
            }
        }
    }

    #[test]
    fn varints() {
        let mut v = Vec::new();
        varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
    }
}
