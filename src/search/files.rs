//! Index → bytes under `search/`. Layout (read by `static/search.js`; bump
//! [`FORMAT_VERSION`] on any change):
//!
//! * `manifest.json` — `{"version","id","docs","chunk","seps"}`. Terms are sorted by code
//!   point and cut into shards of about `shard_bytes`; `seps[k]` is the shortest prefix of
//!   shard `k`'s first term that sorts after shard `k-1`'s last term (`seps[0]` is `""`), so
//!   a term lives in the last shard whose separator sorts at or before it, and a prefix
//!   query needs only the contiguous run of shards its range covers. `id` is a hash of
//!   every file, appended to shard and chunk URLs to defeat stale caches.
//! * `t/<k>.bin` — shard `k`: `varint count`, then per term (front-coded against the
//!   previous term): `varint shared, varint len, bytes`, `varint surfaces` and per surface
//!   `varint shared-with-term, varint len, bytes`, `varint df`, `varint scale`,
//!   `varint postings`, then per posting `varint doc-delta, u8 impact`. A posting's score is
//!   `impact × scale`. Varints are unsigned LEB128; strings are UTF-8.
//!   A surface whose own position falls in another shard is repeated there as an alias
//!   term, so routing by what was typed always finds it.
//! * `d/<c>.json` — documents `c*chunk .. (c+1)*chunk`: `{"pages":[{"title","url"}],
//!   "docs":[{"p","h","a","t","k","s","n"}]}` (page index into `pages`, heading, encoded
//!   anchor, excerpt text, kind `map`/`api`, old URL, new URL). Only the chunks of the hits
//!   being shown are fetched.

use super::index::TermEntry;
use super::{DocMeta, IndexFile, SearchOptions};
use serde::Serialize;

/// Version of the file layout above.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    id: String,
    docs: usize,
    chunk: usize,
    seps: &'a [String],
}

#[derive(Serialize)]
struct Chunk<'a> {
    pages: Vec<ChunkPage<'a>>,
    docs: Vec<ChunkDoc<'a>>,
}

#[derive(Serialize)]
struct ChunkPage<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct ChunkDoc<'a> {
    p: usize,
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

/// Page title and URL, by page index.
pub type PageRef<'a> = (&'a str, &'a str);

/// Encodes the whole index.
pub fn encode(
    terms: &[TermEntry],
    docs: &[DocMeta],
    pages: &[PageRef<'_>],
    options: &SearchOptions,
) -> Vec<IndexFile> {
    let bounds = shard_bounds(terms, options.shard_bytes.max(1));
    let seps = separators(terms, &bounds);
    let mut shards: Vec<Vec<TermEntry>> =
        bounds.iter().map(|r| terms[r.clone()].to_vec()).collect();
    add_aliases(terms, &bounds, &seps, &mut shards);
    let mut files: Vec<IndexFile> = shards
        .iter()
        .enumerate()
        .map(|(k, entries)| IndexFile {
            path: format!("search/t/{k}.bin"),
            bytes: encode_shard(entries),
        })
        .collect();
    let chunk = options.docs_per_chunk.max(1);
    for (c, group) in docs.chunks(chunk).enumerate() {
        files.push(IndexFile {
            path: format!("search/d/{c}.json"),
            bytes: encode_chunk(group, pages),
        });
    }
    let id = format!(
        "{:016x}",
        files
            .iter()
            .fold(FNV_OFFSET, |h, f| fnv(fnv(h, f.path.as_bytes()), &f.bytes))
    );
    let manifest = Manifest {
        version: FORMAT_VERSION,
        id,
        docs: docs.len(),
        chunk,
        seps: &seps,
    };
    let json = serde_json::to_vec(&manifest).expect("plain data always serialises");
    files.insert(
        0,
        IndexFile {
            path: "search/manifest.json".to_string(),
            bytes: json,
        },
    );
    files
}

/// Cuts the sorted terms into consecutive runs of about `target` encoded bytes.
fn shard_bounds(terms: &[TermEntry], target: usize) -> Vec<std::ops::Range<usize>> {
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
    8 + t.term.len() + t.surfaces.iter().map(|s| 2 + s.len()).sum::<usize>() + t.postings.len() * 3
}

fn separators(terms: &[TermEntry], bounds: &[std::ops::Range<usize>]) -> Vec<String> {
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

fn add_aliases(
    terms: &[TermEntry],
    bounds: &[std::ops::Range<usize>],
    seps: &[String],
    shards: &mut [Vec<TermEntry>],
) {
    for (k, range) in bounds.iter().enumerate() {
        for t in &terms[range.clone()] {
            for s in &t.surfaces {
                let target = shard_of(seps, s);
                if target != k {
                    shards[target].push(TermEntry {
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
    for shard in shards.iter_mut() {
        shard.sort_by(|a, b| {
            a.term
                .cmp(&b.term)
                .then(b.surfaces.len().cmp(&a.surfaces.len()))
        });
    }
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

fn encode_shard(entries: &[TermEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(entry_size).sum());
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
        for (doc, impact) in &e.postings {
            varint(&mut out, u64::from(doc - last));
            out.push(*impact);
            last = *doc;
        }
        prev = &e.term;
    }
    out
}

fn encode_chunk(group: &[DocMeta], pages: &[PageRef<'_>]) -> Vec<u8> {
    let mut local: Vec<usize> = Vec::new();
    let docs = group
        .iter()
        .map(|d| {
            let p = local.iter().position(|&p| p == d.page).unwrap_or_else(|| {
                local.push(d.page);
                local.len() - 1
            });
            ChunkDoc {
                p,
                h: &d.heading,
                a: &d.anchor,
                t: &d.text,
                k: d.kind.map(|k| k.code()),
                s: &d.source,
                n: &d.target,
            }
        })
        .collect();
    let chunk = Chunk {
        pages: local
            .iter()
            .map(|&p| ChunkPage {
                title: pages[p].0,
                url: pages[p].1,
            })
            .collect(),
        docs,
    };
    serde_json::to_vec(&chunk).expect("plain data always serialises")
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str) -> TermEntry {
        TermEntry {
            term: term.to_string(),
            surfaces: vec![],
            df: 1,
            scale: 1,
            postings: vec![(0, 1)],
        }
    }

    #[test]
    fn separators_route_every_term_to_its_shard() {
        let terms: Vec<TermEntry> = ["ab", "abc", "abd", "b", "ba", "bb", "c"]
            .iter()
            .map(|t| entry(t))
            .collect();
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
