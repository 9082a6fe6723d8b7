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

use super::tokenize::{Token, Tokenizer};
use rayon::prelude::*;
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
    /// `(document, impact)` sorted by document; the highest-impact `max_postings` only.
    pub postings: Vec<(u32, u8)>,
}

/// Most surfaces kept per term.
pub const MAX_SURFACES: usize = 8;

/// Per-document term counts.
#[derive(Default)]
struct DocTerms {
    lens: [u32; FIELDS],
    tf: HashMap<String, [u16; FIELDS]>,
    surfaces: Vec<(String, String)>,
}

fn tokenize_doc(tokenizer: &Tokenizer, doc: &DocInput) -> DocTerms {
    let mut out = DocTerms::default();
    for (field, text) in &doc.fields {
        let f = *field as usize;
        tokenizer.tokenize(text, |Token { term, surface, .. }| {
            out.lens[f] += 1;
            if surface != term {
                out.surfaces.push((term.clone(), surface));
            }
            let counts = out.tf.entry(term).or_insert([0; FIELDS]);
            counts[f] = counts[f].saturating_add(1);
        });
    }
    out.surfaces.sort_unstable();
    out.surfaces.dedup();
    out
}

#[derive(Default)]
struct TermAcc {
    postings: Vec<(u32, [u16; FIELDS])>,
    surfaces: BTreeSet<String>,
}

/// A term with its unquantised scores.
struct Scored {
    term: String,
    surfaces: BTreeSet<String>,
    df: u32,
    scores: Vec<(u32, f32)>,
}

/// Builds the index: every term of `docs`, sorted by term (code point order).
pub fn build_terms(docs: &[DocInput], max_postings: usize) -> Vec<TermEntry> {
    let per_doc: Vec<DocTerms> = docs
        .par_iter()
        .map_init(Tokenizer::default, |t, d| tokenize_doc(t, d))
        .collect();
    let avg = average_lengths(&per_doc);
    let lens: Vec<[u32; FIELDS]> = per_doc.iter().map(|d| d.lens).collect();
    let mut acc: HashMap<String, TermAcc> = HashMap::new();
    for (doc, terms) in per_doc.into_iter().enumerate() {
        for (term, surface) in terms.surfaces {
            acc.entry(term).or_default().surfaces.insert(surface);
        }
        for (term, tf) in terms.tf {
            acc.entry(term).or_default().postings.push((doc as u32, tf));
        }
    }
    let n = docs.len() as f32;
    let mut scored: Vec<Scored> = acc
        .into_par_iter()
        .map(|(term, a)| {
            let df = a.postings.len() as u32;
            let idf = (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
            let scores = a
                .postings
                .iter()
                .map(|(d, tf)| {
                    (
                        *d,
                        idf * saturate(weighted_tf(tf, &lens[*d as usize], &avg))
                            * docs[*d as usize].boost,
                    )
                })
                .collect();
            Scored {
                term,
                surfaces: a.surfaces,
                df,
                scores,
            }
        })
        .collect();
    scored.sort_unstable_by(|a, b| a.term.cmp(&b.term));
    let max = scored
        .iter()
        .flat_map(|t| t.scores.iter().map(|p| p.1))
        .fold(f32::MIN_POSITIVE, f32::max);
    scored
        .into_par_iter()
        .map(
            |Scored {
                 term,
                 surfaces,
                 df,
                 scores,
             }| TermEntry {
                term,
                surfaces: surfaces.into_iter().take(MAX_SURFACES).collect(),
                df,
                postings: top_postings(scores, max, max_postings),
            },
        )
        .collect()
}

fn average_lengths(docs: &[DocTerms]) -> [f32; FIELDS] {
    let mut sum = [0u64; FIELDS];
    let mut count = [0u64; FIELDS];
    for d in docs {
        for f in 0..FIELDS {
            if d.lens[f] > 0 {
                sum[f] += u64::from(d.lens[f]);
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
fn weighted_tf(tf: &[u16; FIELDS], lens: &[u32; FIELDS], avg: &[f32; FIELDS]) -> f32 {
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

/// Quantises scores to 1–255 and keeps the `limit` best (ties: lower document first),
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
pub fn rank(terms: &[TermEntry], query: &[&str]) -> Vec<(u32, u32)> {
    let mut scores: HashMap<u32, (usize, u32)> = HashMap::new();
    for q in query {
        let Ok(i) = terms.binary_search_by(|t| t.term.as_str().cmp(q)) else {
            continue;
        };
        for (d, impact) in &terms[i].postings {
            let e = scores.entry(*d).or_default();
            e.0 += 1;
            e.1 += u32::from(*impact);
        }
    }
    let mut out: Vec<(u32, (usize, u32))> = scores.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(d, (_, s))| (d, s)).collect()
}
