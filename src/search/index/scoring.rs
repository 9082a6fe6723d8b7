//! Scoring: a term's weight in each document (BM25F-style, per-field weights, saturated
//! term frequency), quantised impacts, the top postings a term keeps, and the reference
//! ranking used by the tests and the query script.

use super::*;

/// Scores one term from its postings, weights and impacts (`None` when it has none left).
pub(super) fn score_term(
    t: &TermState,
    w: &Weights,
    units: usize,
    max_postings: usize,
) -> Option<TermEntry> {
    if t.postings().is_empty() {
        return None;
    }
    let df = 1 + t.postings().windows(2).filter(|w| w[0].0 != w[1].0).count();
    let n = units as f32;
    let df_f = df as f32;
    let idf = (1.0 + (n - df_f + 0.5) / (df_f + 0.5)).ln();
    let docs = t.postings().iter().map(|p| (p.0, p.1));
    Some(TermEntry {
        term: t.term.to_string(),
        surfaces: t.surfaces().take(MAX_SURFACES).cloned().collect(),
        df: df as u32,
        scale: (f64::from(idf * w.best) * f64::from(SCALE_UNIT))
            .round()
            .clamp(1.0, f64::from(u32::MAX)) as u32,
        postings: top_postings(docs.zip(w.impacts.iter().copied()), max_postings),
    })
}

/// A weight as an impact: 1–255 relative to the term's best weight.
pub(super) fn quantise(weight: f32, best: f32) -> u8 {
    ((weight / best * 255.0 + 0.5) as u32).clamp(1, 255) as u8
}

/// Indexes `docs`, one unit each (tests and small inputs).
pub fn build_terms(docs: &[DocInput], max_postings: usize) -> Vec<TermEntry> {
    Index::build(docs.len(), max_postings, |i| vec![(docs[i].clone(), ())])
        .entries()
        .into_iter()
        .cloned()
        .collect()
}

/// BM25F pseudo term frequency: each field's count, weighted and length-normalised.
pub(super) fn weighted_tf(tf: &[u8; FIELDS], lens: &[u32; FIELDS], avg: &[f32; FIELDS]) -> f32 {
    (0..FIELDS)
        .filter(|&f| tf[f] > 0)
        .map(|f| {
            let norm = 1.0 - B[f] + B[f] * lens[f] as f32 / avg[f];
            WEIGHT[f] * f32::from(tf[f]) / norm
        })
        .sum()
}

pub(super) fn saturate(tf: f32) -> f32 {
    tf * (K1 + 1.0) / (K1 + tf)
}

/// Keeps the `limit` postings with the highest impact (ties: lower document first), in
/// document order; `postings` come in document order. Linear: the impact of the
/// `limit`-th best posting is found from a histogram of the 255 possible impacts.
pub(super) fn top_postings(
    postings: impl Iterator<Item = (DocId, u8)> + Clone,
    limit: usize,
) -> Vec<(DocId, u8)> {
    let mut histogram = [0usize; 256];
    for (_, q) in postings.clone() {
        histogram[usize::from(q)] += 1;
    }
    // Keep every posting above `cut`, and the first `room` at `cut` in document order.
    let mut above = 0;
    let mut cut = 0u8;
    let mut room = 0;
    for impact in (1..=255u8).rev() {
        let n = histogram[usize::from(impact)];
        if above + n >= limit {
            cut = impact;
            room = limit - above;
            break;
        }
        above += n;
    }
    let mut out = Vec::with_capacity(limit.min(above + room));
    for (d, q) in postings {
        if q > cut {
            out.push((d, q));
        } else if q == cut && room > 0 {
            out.push((d, q));
            room -= 1;
        }
    }
    out
}

/// Ranks documents for already-tokenised query terms by the summed impacts of exact
/// matches, documents matching more terms first. Mirrors the browser's core ranking; used
/// by tests and benchmarks.
pub fn rank(terms: &[TermEntry], query: &[&str]) -> Vec<(DocId, u64)> {
    let mut scores: HashMap<DocId, (usize, u64)> = HashMap::new();
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
    let mut out: Vec<(DocId, (usize, u64))> = scores.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(d, (_, s))| (d, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sort-based definition the histogram selection must match.
    fn reference(scores: &[(DocId, u8)], limit: usize) -> Vec<(DocId, u8)> {
        let mut q = scores.to_vec();
        q.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        q.truncate(limit);
        q.sort_by_key(|p| p.0);
        q
    }

    #[test]
    fn top_postings_keep_the_best_and_break_ties_by_document() {
        // Few distinct impacts, so the cut falls inside a run of ties.
        let scores: Vec<(DocId, u8)> = (0..500u32)
            .map(|i| ((i / 7, i % 7), quantise(((i * 37) % 11) as f32 + 0.5, 11.0)))
            .collect();
        for limit in [0, 1, 5, 45, 46, 100, 499, 500, 1000] {
            assert_eq!(
                top_postings(scores.iter().copied(), limit),
                reference(&scores, limit),
                "limit {limit}"
            );
        }
    }
}
