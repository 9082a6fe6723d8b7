//! Documents → inverted index with precomputed impact scores.
//!
//! Ranking is BM25F computed here, at build time, and shipped as one byte per posting (an
//! "impact"): the browser only adds the impacts of the query's terms. This keeps per-document
//! statistics (field lengths) out of the download, which is what lets the first query stay
//! small on a large site. Scores are quantised linearly to 1–255 against the highest score.
//!
//! Very common terms keep only their `max_postings` highest-impact postings (their true
//! document frequency is still shipped): a query made only of such terms ranks the best
//! sections exactly, and a query with one rare term is decided by that term anyway.

use super::tokenize::Tokenizer;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap};

/// The fields a document's text is indexed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Page title, on the page's first section.
    Title = 0,
    /// Page title as context, on every other section and migration result.
    Context = 1,
    /// The section's heading, or a migration result's label.
    Heading = 2,
    /// Page description, on the page's first section.
    Lead = 3,
    /// Prose, table cells, URLs of migration results.
    Body = 4,
    /// Code-block contents.
    Code = 5,
}

const FIELDS: usize = 6;
/// Field weights (BM25F). A title or heading hit outweighs several body mentions; code
/// samples count, but below prose.
const WEIGHT: [f32; FIELDS] = [3.0, 0.4, 2.5, 1.2, 1.0, 0.3];
/// Length normalisation per field: short fields are barely normalised.
const B: [f32; FIELDS] = [0.3, 0.3, 0.3, 0.5, 0.75, 0.75];
const K1: f32 = 1.2;

/// One document to index.
#[derive(Debug, Clone, Default)]
pub struct DocInput {
    /// Texts and the field each belongs to.
    pub fields: Vec<(Field, String)>,
    /// Multiplies every score of the document (migration results get a small lift).
    pub boost: f32,
}

/// One term of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct TermEntry {
    /// The term (stemmed word, compound or CJK n-gram).
    pub term: String,
    /// Lower-cased words that were stemmed to this term (at most [`MAX_SURFACES`]).
    pub surfaces: Vec<String>,
    /// Number of documents that contain the term.
    pub df: u32,
    /// Multiplies the impacts: the term's best score relative to the index's best.
    pub scale: u16,
    /// `(document, impact)` sorted by document; the highest-impact `max_postings` only.
    pub postings: Vec<(u32, u8)>,
}

/// Most surfaces kept per term.
pub const MAX_SURFACES: usize = 8;

/// Per-document term counts: `(batch-local term id, counts per field)`. Counts saturate at
/// 255, far past where BM25's term-frequency curve is flat.
struct DocTerms {
    lens: [u32; FIELDS],
    tf: Vec<(u32, [u8; FIELDS])>,
    boost: f32,
}

/// One batch of documents tokenised with one tokenizer.
struct Batch<M> {
    docs: Vec<DocTerms>,
    metas: Vec<M>,
    /// Batch-local term id → term.
    terms: Vec<String>,
    /// `(surface, batch-local term id)`.
    surfaces: Vec<(String, u32)>,
}

/// Counts the terms of one document. `slot[id]` = (stamp, position in `tf`): a scratch map
/// shared by the batch that needs no clearing between documents.
fn count_terms(
    tokenizer: &mut Tokenizer,
    slot: &mut Vec<(u32, u32)>,
    stamp: u32,
    doc: &DocInput,
) -> DocTerms {
    let mut lens = [0; FIELDS];
    let mut tf: Vec<(u32, [u8; FIELDS])> = Vec::with_capacity(128);
    for (field, text) in &doc.fields {
        let f = *field as usize;
        tokenizer.tokenize(text, |id, _, _| {
            lens[f] += 1;
            let i = id as usize;
            if i >= slot.len() {
                slot.resize(i + 1, (0, 0));
            }
            if slot[i].0 != stamp {
                slot[i] = (stamp, tf.len() as u32);
                tf.push((id, [0; FIELDS]));
            }
            let counts = &mut tf[slot[i].1 as usize].1;
            counts[f] = counts[f].saturating_add(1);
        });
    }
    DocTerms {
        lens,
        tf,
        boost: doc.boost,
    }
}

fn tokenize_batch<M>(
    units: std::ops::Range<usize>,
    make: &(impl Fn(usize) -> Vec<(DocInput, M)> + Sync),
) -> Batch<M> {
    let mut tokenizer = Tokenizer::default();
    let mut slot: Vec<(u32, u32)> = Vec::new();
    let mut docs = Vec::new();
    let mut metas = Vec::new();
    for unit in units {
        // Each unit's text is dropped as soon as it is counted: the whole site's text is
        // never held at once.
        for (doc, meta) in make(unit) {
            let stamp = docs.len() as u32 + 1;
            docs.push(count_terms(&mut tokenizer, &mut slot, stamp, &doc));
            metas.push(meta);
        }
    }
    let surfaces = tokenizer
        .surfaces()
        .map(|(w, id)| (w.to_string(), id))
        .collect();
    Batch {
        docs,
        metas,
        terms: tokenizer.take_terms(),
        surfaces,
    }
}

/// The inverted index before scoring: terms by global id, postings in document order.
struct Postings {
    terms: Vec<String>,
    postings: Vec<Vec<(u32, [u8; FIELDS])>>,
    surfaces: Vec<BTreeSet<String>>,
    lens: Vec<[u32; FIELDS]>,
    boosts: Vec<f32>,
}

/// Tokenises the documents of every unit (a page) in parallel batches, then renumbers the
/// batches' terms into one vocabulary (batches are merged in order, so postings stay in
/// document order).
fn invert<M: Send>(
    units: usize,
    make: &(impl Fn(usize) -> Vec<(DocInput, M)> + Sync),
) -> (Postings, Vec<M>) {
    let size = (units / (rayon::current_num_threads() * 8)).clamp(1, 256);
    let starts: Vec<usize> = (0..units).step_by(size).collect();
    let batches: Vec<Batch<M>> = starts
        .into_par_iter()
        .map(|s| tokenize_batch(s..(s + size).min(units), make))
        .collect();
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut all = Postings {
        terms: Vec::new(),
        postings: Vec::new(),
        surfaces: Vec::new(),
        lens: Vec::new(),
        boosts: Vec::new(),
    };
    let mut metas = Vec::new();
    for batch in batches {
        let global: Vec<u32> = batch
            .terms
            .into_iter()
            .map(|t| {
                *ids.entry(t).or_insert_with_key(|t| {
                    all.terms.push(t.clone());
                    all.postings.push(Vec::new());
                    all.surfaces.push(BTreeSet::new());
                    (all.terms.len() - 1) as u32
                })
            })
            .collect();
        for (surface, id) in batch.surfaces {
            all.surfaces[global[id as usize] as usize].insert(surface);
        }
        for d in batch.docs {
            let doc = all.lens.len() as u32;
            for (id, counts) in d.tf {
                all.postings[global[id as usize] as usize].push((doc, counts));
            }
            all.lens.push(d.lens);
            all.boosts.push(d.boost);
        }
        metas.extend(batch.metas);
    }
    (all, metas)
}

/// Indexes `docs` (tests and small inputs).
pub fn build_terms(docs: &[DocInput], max_postings: usize) -> Vec<TermEntry> {
    build_terms_with(docs.len(), max_postings, |i| vec![(docs[i].clone(), ())]).0
}

/// A term with its unquantised scores.
struct Scored {
    term: String,
    scores: Vec<(u32, f32)>,
    surfaces: BTreeSet<String>,
}

/// Builds the index from `units` (pages): `make(unit)` returns the unit's documents, each
/// with the metadata `M` to keep for it. Returns every term, sorted by term (code point
/// order), and the metadata of every document in document order.
pub fn build_terms_with<M: Send>(
    units: usize,
    max_postings: usize,
    make: impl Fn(usize) -> Vec<(DocInput, M)> + Sync,
) -> (Vec<TermEntry>, Vec<M>) {
    let (
        Postings {
            terms,
            postings,
            surfaces,
            lens,
            boosts,
        },
        metas,
    ) = invert(units, &make);
    let avg = average_lengths(&lens);
    let n = lens.len() as f32;
    let scores: Vec<Vec<(u32, f32)>> = postings
        .into_par_iter()
        .map(|list| {
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            list.into_iter()
                .map(|(d, tf)| {
                    let w = weighted_tf(&tf, &lens[d as usize], &avg);
                    (d, idf * saturate(w) * boosts[d as usize])
                })
                .collect()
        })
        .collect();
    let max = scores
        .par_iter()
        .map(|list| list.iter().map(|p| p.1).fold(f32::MIN_POSITIVE, f32::max))
        .reduce(|| f32::MIN_POSITIVE, f32::max);
    let mut sorted: Vec<Scored> = terms
        .into_iter()
        .zip(scores)
        .zip(surfaces)
        .map(|((term, scores), surfaces)| Scored {
            term,
            scores,
            surfaces,
        })
        .collect();
    sorted.par_sort_unstable_by(|a, b| a.term.cmp(&b.term));
    let entries = sorted
        .into_par_iter()
        .map(
            |Scored {
                 term,
                 scores,
                 surfaces,
             }| {
                let best = scores.iter().map(|p| p.1).fold(f32::MIN_POSITIVE, f32::max);
                TermEntry {
                    term,
                    surfaces: surfaces.into_iter().take(MAX_SURFACES).collect(),
                    df: scores.len() as u32,
                    scale: (best / max * 65535.0).round().clamp(1.0, 65535.0) as u16,
                    postings: top_postings(scores, best, max_postings),
                }
            },
        )
        .collect();
    (entries, metas)
}

fn average_lengths(lens: &[[u32; FIELDS]]) -> [f32; FIELDS] {
    let mut sum = [0u64; FIELDS];
    let mut count = [0u64; FIELDS];
    for d in lens {
        for f in 0..FIELDS {
            if d[f] > 0 {
                sum[f] += u64::from(d[f]);
                count[f] += 1;
            }
        }
    }
    std::array::from_fn(|f| {
        if count[f] == 0 {
            1.0
        } else {
            sum[f] as f32 / count[f] as f32
        }
    })
}

/// BM25F pseudo term frequency: each field's count, weighted and length-normalised.
fn weighted_tf(tf: &[u8; FIELDS], lens: &[u32; FIELDS], avg: &[f32; FIELDS]) -> f32 {
    (0..FIELDS)
        .filter(|&f| tf[f] > 0)
        .map(|f| {
            let norm = 1.0 - B[f] + B[f] * lens[f] as f32 / avg[f];
            WEIGHT[f] * f32::from(tf[f]) / norm
        })
        .sum()
}

fn saturate(tf: f32) -> f32 {
    tf * (K1 + 1.0) / (K1 + tf)
}

/// Quantises scores to 1–255 against `max` and keeps the `limit` best (ties: lower document first),
/// returned in document order.
fn top_postings(scores: Vec<(u32, f32)>, max: f32, limit: usize) -> Vec<(u32, u8)> {
    let mut q: Vec<(u32, u8)> = scores
        .into_iter()
        .map(|(d, s)| (d, (s / max * 255.0).round().clamp(1.0, 255.0) as u8))
        .collect();
    if q.len() > limit {
        q.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        q.truncate(limit);
    }
    q.sort_unstable_by_key(|p| p.0);
    q
}

/// Ranks documents for already-tokenised query terms by the summed impacts of exact
/// matches, documents matching more terms first. Mirrors the browser's core ranking; used
/// by tests and benchmarks.
pub fn rank(terms: &[TermEntry], query: &[&str]) -> Vec<(u32, u64)> {
    let mut scores: HashMap<u32, (usize, u64)> = HashMap::new();
    for q in query {
        let Ok(i) = terms.binary_search_by(|t| t.term.as_str().cmp(q)) else {
            continue;
        };
        for (d, impact) in &terms[i].postings {
            let e = scores.entry(*d).or_default();
            e.0 += 1;
            e.1 += u64::from(*impact) * u64::from(terms[i].scale);
        }
    }
    let mut out: Vec<(u32, (usize, u64))> = scores.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(d, (_, s))| (d, s)).collect()
}
