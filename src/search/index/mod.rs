//! Documents → inverted index with precomputed impact scores, kept in memory so that
//! re-indexing one page costs work proportional to that page.
//!
//! Ranking is BM25F computed here, at build time, and shipped as one byte per posting (an
//! "impact") plus one scale per term: the browser only adds `impact × scale` over the
//! query's terms. This keeps per-document statistics (field lengths) out of the download,
//! which is what lets the first query stay small on a large site.
//!
//! Every number that goes into a term's scores is chosen so that an edit to one page
//! changes only the terms that page contains:
//! * a document is addressed as `(page, section)`, so adding a section to one page does not
//!   renumber the documents of the others;
//! * document frequency counts pages, and the collection size is the number of pages, so
//!   neither changes when a page gains or loses sections;
//! * the average field lengths used for length normalisation are rounded to whole tokens
//!   (an edit moves them by a tiny fraction on a large site; when the rounded value does
//!   move, every term is scored again);
//! * a term's scale is its best score in fixed units ([`SCALE_UNIT`]), not relative to the
//!   best score of the whole index.
//!
//! Very common terms keep only their `max_postings` highest-impact postings (their true
//! document frequency is still shipped): a query made only of such terms ranks the best
//! sections exactly, and a query with one rare term is decided by that term anyway.

mod scoring;
mod spill;

use super::tokenize::Tokenizer;
use rayon::prelude::*;
pub use scoring::{build_terms, rank};
use scoring::{quantise, saturate, score_term, weighted_tf};
use spill::PostingRuns;
use std::collections::{BTreeMap, HashMap};

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
/// Units of a term's scale: its best score × 2¹⁶, so scales of different terms compare
/// without knowing the best score of the whole index.
pub const SCALE_UNIT: f32 = 65536.0;

/// A document's address: (unit, position among the unit's documents). Units are pages.
pub type DocId = (u32, u32);

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
    /// Lower-cased words that were stemmed to this term (the first [`MAX_SURFACES`] in code
    /// point order).
    pub surfaces: Vec<String>,
    /// Number of units (pages) that contain the term.
    pub df: u32,
    /// Multiplies the impacts: the term's best score in [`SCALE_UNIT`]s.
    pub scale: u32,
    /// `(document, impact)` sorted by document; the highest-impact `max_postings` only.
    pub postings: Vec<(DocId, u8)>,
}

/// Most surfaces kept per term.
pub const MAX_SURFACES: usize = 8;

/// What scoring needs to know about one document.
#[derive(Debug, Clone)]
struct DocStats {
    lens: [u32; FIELDS],
    boost: f32,
}

/// What one unit contributed, so that it can be taken out again.
#[derive(Debug, Clone)]
struct Unit<M> {
    docs: Vec<DocStats>,
    metas: Vec<M>,
    /// Global ids of the terms it contains, sorted, without repeats.
    terms: Vec<u32>,
    /// `(surface, global term id)` pairs it contributed.
    surfaces: Vec<(String, u32)>,
}

impl<M> Default for Unit<M> {
    fn default() -> Self {
        Unit {
            docs: Vec::new(),
            metas: Vec::new(),
            terms: Vec::new(),
            surfaces: Vec::new(),
        }
    }
}

/// One term's postings before scoring, and its scored entry. Every term's state is held
/// while the index is merged, and a site's unique words (ids, URLs, version numbers) make
/// most of its terms: what only some terms need (postings held in memory, surfaces, the
/// weights of an updatable index) is boxed apart, so that a term whose postings wait on
/// disk takes 32 bytes (136 with everything inline).
#[derive(Debug, Clone, Default)]
struct TermState {
    term: Box<str>,
    /// `None` while the term has no postings in memory and no surfaces.
    body: Option<Box<TermBody>>,
    /// `None` while the term has no postings.
    entry: Option<Box<TermEntry>>,
}

/// What a term holds besides its text and entry.
#[derive(Debug, Clone, Default)]
struct TermBody {
    /// `(unit, doc, counts per field)` sorted by `(unit, doc)`. Counts saturate at 255, far
    /// past where BM25's term-frequency curve is flat.
    postings: Vec<(u32, u32, [u8; FIELDS])>,
    /// The weights an updatable index keeps between updates, one per posting; `None` in
    /// an index built once, which makes them when it scores the term.
    kept: Option<Box<Weights>>,
    /// Surface → number of units that contributed it.
    surfaces: BTreeMap<String, u32>,
}

impl TermState {
    /// The term's body, made if it has none yet.
    fn body(&mut self) -> &mut TermBody {
        self.body.get_or_insert_with(Box::default)
    }

    /// The term's postings held in memory.
    fn postings(&self) -> &[(u32, u32, [u8; FIELDS])] {
        self.body.as_ref().map_or(&[], |b| &b.postings)
    }

    /// The term's surfaces, in code point order.
    fn surfaces(&self) -> impl Iterator<Item = &String> {
        self.body.iter().flat_map(|b| b.surfaces.keys())
    }
}

/// A term's weights in the documents of its postings, and their impacts.
#[derive(Debug, Clone, Default)]
struct Weights {
    /// Per posting: its score without the term's idf (saturated BM25F term frequency ×
    /// boost), NaN until computed. The idf is the same for every posting of a term, so
    /// these stay valid while the posting's document and the average lengths do.
    weights: Vec<f32>,
    /// Per posting: its weight quantised against `best` (1–255), 0 until computed.
    impacts: Vec<u8>,
    /// The highest weight when `impacts` were computed.
    best: f32,
}

impl Weights {
    /// Nothing computed yet for `postings` postings.
    fn unscored(postings: usize) -> Weights {
        Weights {
            weights: vec![f32::NAN; postings],
            impacts: vec![0; postings],
            best: 0.0,
        }
    }
}

/// The in-memory index: every unit's documents, every term's postings and scored entry.
#[derive(Debug, Clone)]
pub struct Index<M> {
    max_postings: usize,
    /// False for an index built once and never updated ([`Index::build_taking`] with a
    /// `take`): it keeps no per-posting weights and impacts, no record of what each unit
    /// contributed, and no postings once a term is scored, which only an update needs.
    updatable: bool,
    units: Vec<Unit<M>>,
    /// The id of each term, found by its text: a table of ids hashed by [`term_hash`], so
    /// that a term's text is held once, in its state (a site's unique words make most of
    /// its terms).
    ids: hashbrown::HashTable<u32>,
    terms: Vec<TermState>,
    /// Per field: total length and number of documents with the field.
    sums: [u64; FIELDS],
    counts: [u64; FIELDS],
    avg: [f32; FIELDS],
    /// Ids of the terms with postings, sorted by term (code point order).
    order: Vec<u32>,
}

/// One unit tokenised: its documents and `(batch-local term id, doc, counts)`.
struct UnitTokens<M> {
    unit: usize,
    docs: Vec<DocStats>,
    metas: Vec<M>,
    tf: Vec<(u32, u32, [u8; FIELDS])>,
    surfaces: Vec<(String, u32)>,
}

/// Units tokenised with one tokenizer (one word cache: stemming is the costly part).
struct Batch<M> {
    units: Vec<UnitTokens<M>>,
    /// Batch-local term id → term.
    terms: Vec<String>,
}

impl<M: Send + Sync> Index<M> {
    /// Indexes `units` units: `make(unit)` returns the unit's documents, each with the
    /// metadata `M` to keep for it.
    pub fn build(
        units: usize,
        max_postings: usize,
        make: impl Fn(usize) -> Vec<(DocInput, M)> + Sync,
    ) -> Self {
        match Self::build_taking(units, max_postings, make, None, None) {
            Ok(index) => index,
            Err(e) => unreachable!("only postings kept on disk fail to be read: {e}"),
        }
    }

    /// [`Index::build`], handing each unit's metadata to `take` as soon as the unit is
    /// merged, in unit order, instead of keeping it ([`Index::metas`] is then empty): for an
    /// index whose metadata is written out as it comes and never updated. With a `take`, the
    /// index keeps only what its entries need, so it cannot be updated ([`Index::replace`]).
    ///
    /// With a `take` and a `scratch` file, the postings wait in that file until they are
    /// scored (see [`spill`]), and the build fails only if it cannot be read back; otherwise
    /// they wait in memory.
    pub fn build_taking(
        units: usize,
        max_postings: usize,
        make: impl Fn(usize) -> Vec<(DocInput, M)> + Sync,
        take: Option<&mut (dyn FnMut(usize, Vec<M>) + Send)>,
        scratch: Option<std::fs::File>,
    ) -> std::io::Result<Self> {
        let mut spill = match (&take, scratch) {
            (Some(_), Some(file)) => Some(PostingRuns::new(file, spill::RUN_POSTINGS)),
            _ => None,
        };
        let mut index = Index {
            max_postings,
            updatable: take.is_none(),
            units: (0..units).map(|_| Unit::default()).collect(),
            ids: hashbrown::HashTable::new(),
            terms: Vec::new(),
            sums: [0; FIELDS],
            counts: [0; FIELDS],
            avg: [1.0; FIELDS],
            order: Vec::new(),
        };
        let all: Vec<usize> = (0..units).collect();
        index.replace_taking(&all, make, take, &mut spill)?;
        Ok(index)
    }

    /// Number of units.
    pub fn units(&self) -> usize {
        self.units.len()
    }

    /// The number of unit `u`'s documents.
    pub fn docs(&self, u: usize) -> usize {
        self.units[u].docs.len()
    }

    /// The metadata of unit `u`'s documents, in document order.
    pub fn metas(&self, u: usize) -> &[M] {
        &self.units[u].metas
    }

    /// Every term with postings, sorted by term.
    pub fn entries(&self) -> Vec<&TermEntry> {
        self.order
            .iter()
            .filter_map(|&id| self.terms[id as usize].entry.as_deref())
            .collect()
    }

    /// Indexes units `which` again (indices below [`Index::units`]; order and repeats do
    /// not matter) from what `make` returns for them now. Only the terms those units
    /// contained before or contain now are scored again, unless the rounded average field
    /// lengths moved.
    ///
    /// Not for an index built with a `take` ([`Index::build_taking`]), which keeps too
    /// little to be updated.
    pub fn replace(&mut self, which: &[usize], make: impl Fn(usize) -> Vec<(DocInput, M)> + Sync) {
        debug_assert!(
            self.updatable,
            "an index built with a `take` is not updated"
        );
        if let Err(e) = self.replace_taking(which, make, None, &mut None) {
            unreachable!("only postings kept on disk fail to be read: {e}")
        }
    }

    /// [`Index::replace`], handing the metadata of each unit to `take` once it is merged
    /// (see [`Index::build_taking`]).
    fn replace_taking(
        &mut self,
        which: &[usize],
        make: impl Fn(usize) -> Vec<(DocInput, M)> + Sync,
        mut take: Option<&mut (dyn FnMut(usize, Vec<M>) + Send)>,
        spill: &mut Option<PostingRuns>,
    ) -> std::io::Result<()> {
        let mut which: Vec<usize> = which
            .iter()
            .copied()
            .filter(|&u| u < self.units.len())
            .collect();
        which.sort_unstable();
        which.dedup();
        let mut dirty = vec![false; self.terms.len()];
        let old: Vec<(usize, Vec<u32>)> = which
            .iter()
            .map(|&u| (u, self.remove_unit(u, &mut dirty)))
            .collect();
        let live_before = self.terms.iter().map(|t| t.entry.is_some()).collect();
        // Indexing from nothing (a build), the postings vectors are sized exactly; an
        // update's few additions use their amortised growth (an exact size each time would
        // copy the long lists of common terms on every edit).
        let fresh = old.iter().all(|(_, terms)| terms.is_empty());
        // Tokenised a window of batches at a time and merged in order: the same batches in
        // the same order as tokenising everything first (so the same index), without holding
        // every unit's term counts at once.
        // Each window is merged (on one thread) while the next one is tokenised (on the
        // others), so the merge is not a serial stretch between parallel ones; two windows
        // are held at a time.
        let size = batch_size(which.len());
        let window_batches = WINDOW_BATCHES_PER_THREAD * rayon::current_num_threads();
        let windows: Vec<&[usize]> = which.chunks(size * window_batches).collect();
        let mut pending = windows.first().map(|w| tokenize(w, size, &make));
        for i in 0..windows.len() {
            let batches = pending.take().unwrap_or_default();
            let next = windows.get(i + 1);
            let (merged, tokenized) = rayon::join(
                || -> std::io::Result<()> {
                    let batches: Vec<(Vec<u32>, Vec<UnitTokens<M>>)> = batches
                        .into_iter()
                        .map(|batch| (self.global_ids(batch.terms, &mut dirty), batch.units))
                        .collect();
                    if fresh && spill.is_none() {
                        self.reserve(&batches);
                    }
                    for (global, units) in batches {
                        let merged: Vec<usize> = units.iter().map(|u| u.unit).collect();
                        self.merge(&global, units, &mut dirty, spill)?;
                        if let Some(take) = take.as_mut() {
                            for u in merged {
                                take(u, std::mem::take(&mut self.units[u].metas));
                            }
                        }
                    }
                    Ok(())
                },
                || next.map(|w| tokenize(w, size, &make)),
            );
            merged?;
            pending = tokenized;
        }
        // Postings of terms a unit no longer contains (the others were replaced in place).
        for (u, terms) in old {
            let mut now = self.units[u].terms.clone();
            now.sort_unstable();
            let key = u as u32;
            for id in terms
                .into_iter()
                .filter(|id| now.binary_search(id).is_err())
            {
                let Some(t) = self.terms[id as usize].body.as_deref_mut() else {
                    continue;
                };
                let start = t.postings.partition_point(|p| p.0 < key);
                let end = t.postings.partition_point(|p| p.0 <= key);
                t.postings.drain(start..end);
                if let Some(kept) = &mut t.kept {
                    kept.weights.drain(start..end);
                    kept.impacts.drain(start..end);
                }
            }
        }
        let avg = self.average_lengths();
        let moved = avg != self.avg;
        if moved {
            self.avg = avg;
            dirty.iter_mut().for_each(|d| *d = true);
        }
        match spill.take() {
            Some(runs) => self.score_spilled(runs, moved)?,
            None => self.score(&dirty, moved),
        }
        self.reorder(live_before);
        Ok(())
    }

    /// Takes unit `u`'s documents out of the statistics and surfaces and returns the terms
    /// it contained; its postings stay until [`Index::merge`] replaces them (or
    /// [`Index::replace`] drops those of terms it no longer contains).
    fn remove_unit(&mut self, u: usize, dirty: &mut [bool]) -> Vec<u32> {
        let unit = std::mem::take(&mut self.units[u]);
        for d in &unit.docs {
            self.add_lengths(&d.lens, false);
        }
        for &id in &unit.terms {
            dirty[id as usize] = true;
        }
        for (surface, id) in unit.surfaces {
            let surfaces = &mut self.terms[id as usize].body().surfaces;
            if let Some(n) = surfaces.get_mut(&surface) {
                *n -= 1;
                if *n == 0 {
                    surfaces.remove(&surface);
                }
            }
        }
        unit.terms
    }

    /// The global ids of a batch's terms (by batch-local id), adding the terms new to the
    /// index.
    fn global_ids(&mut self, terms: Vec<String>, dirty: &mut Vec<bool>) -> Vec<u32> {
        terms
            .into_iter()
            .map(|t| {
                let hash = term_hash(&t);
                let terms = &self.terms;
                if let Some(&id) = self.ids.find(hash, |&id| *terms[id as usize].term == *t) {
                    return id;
                }
                let id = self.terms.len() as u32;
                self.terms.push(TermState {
                    term: t.into_boxed_str(),
                    body: None,
                    entry: None,
                });
                let terms = &self.terms;
                self.ids
                    .insert_unique(hash, id, |&id| term_hash(&terms[id as usize].term));
                dirty.push(false);
                id
            })
            .collect()
    }

    /// Makes room, at once, for the postings a window of batches adds to each term: grown
    /// one unit at a time, the vectors would end up to twice as large as what they hold (the
    /// postings are most of the index's memory).
    fn reserve(&mut self, batches: &[(Vec<u32>, Vec<UnitTokens<M>>)]) {
        let mut adds = vec![0usize; self.terms.len()];
        for (global, units) in batches {
            for t in units.iter().flat_map(|u| &u.tf) {
                adds[global[t.0 as usize] as usize] += 1;
            }
        }
        for (term, add) in self.terms.iter_mut().zip(adds).filter(|(_, a)| *a > 0) {
            let term = term.body();
            term.postings.reserve_exact(add);
            if self.updatable {
                let kept = term.kept.get_or_insert_with(Box::default);
                kept.weights.reserve_exact(add);
                kept.impacts.reserve_exact(add);
            }
        }
    }

    /// Puts a batch's units (tokenised, with the global ids of its terms) into the index;
    /// their postings go to `spill` when there is one.
    fn merge(
        &mut self,
        global: &[u32],
        units: Vec<UnitTokens<M>>,
        dirty: &mut [bool],
        spill: &mut Option<PostingRuns>,
    ) -> std::io::Result<()> {
        for tokens in units {
            let key = tokens.unit as u32;
            // `tf` is grouped by term (documents in order within a term; sorted by
            // `tokenize`), so that each term's postings from this unit go in with one splice.
            let mut terms = Vec::with_capacity(tokens.tf.len());
            for run in tokens.tf.chunk_by(|a, b| a.0 == b.0) {
                let id = global[run[0].0 as usize];
                let block = run.iter().map(|&(_, doc, counts)| (key, doc, counts));
                if let Some(runs) = spill.as_mut() {
                    for (unit, doc, counts) in block {
                        runs.push((id, unit, doc, counts))?;
                    }
                    dirty[id as usize] = true;
                    terms.push(id);
                    continue;
                }
                let term = self.terms[id as usize].body();
                if term.postings.last().is_none_or(|p| p.0 < key) {
                    term.postings.extend(block);
                    // An index built once gets its weights and impacts when it is scored.
                    if self.updatable {
                        let kept = term.kept.get_or_insert_with(Box::default);
                        kept.weights.resize(term.postings.len(), f32::NAN);
                        kept.impacts.resize(term.postings.len(), 0);
                    }
                } else {
                    // One splice replaces the unit's old postings of the term, if any.
                    let start = term.postings.partition_point(|p| p.0 < key);
                    let end = term.postings.partition_point(|p| p.0 <= key);
                    term.postings.splice(start..end, block);
                    let kept = term.kept.get_or_insert_with(Box::default);
                    kept.weights
                        .splice(start..end, run.iter().map(|_| f32::NAN));
                    kept.impacts.splice(start..end, run.iter().map(|_| 0));
                }
                dirty[id as usize] = true;
                terms.push(id);
            }
            let surfaces: Vec<(String, u32)> = tokens
                .surfaces
                .into_iter()
                .map(|(s, local)| (s, global[local as usize]))
                .collect();
            for (s, id) in &surfaces {
                *self.terms[*id as usize]
                    .body()
                    .surfaces
                    .entry(s.clone())
                    .or_insert(0) += 1;
            }
            for d in &tokens.docs {
                self.add_lengths(&d.lens, true);
            }
            let (terms, surfaces) = match self.updatable {
                true => (terms, surfaces),
                false => (Vec::new(), Vec::new()),
            };
            self.units[tokens.unit] = Unit {
                docs: tokens.docs,
                metas: tokens.metas,
                terms,
                surfaces,
            };
        }
        Ok(())
    }

    fn add_lengths(&mut self, lens: &[u32; FIELDS], add: bool) {
        let stats = self.sums.iter_mut().zip(self.counts.iter_mut());
        for (&len, (sum, count)) in lens.iter().zip(stats).filter(|(l, _)| **l > 0) {
            if add {
                *sum += u64::from(len);
                *count += 1;
            } else {
                *sum -= u64::from(len);
                *count -= 1;
            }
        }
    }

    /// Average length per field over the documents that have the field, rounded to whole
    /// tokens (at least 1).
    fn average_lengths(&self) -> [f32; FIELDS] {
        std::array::from_fn(|f| match self.counts[f] {
            0 => 1.0,
            n => ((self.sums[f] + n / 2) / n).max(1) as f32,
        })
    }

    /// Scores the terms marked in `dirty`: computes the weights that are missing (all of
    /// them when the average lengths `moved`), then each term's entry.
    fn score(&mut self, dirty: &[bool], moved: bool) {
        let units = &self.units;
        let (avg, max_postings, updatable) = (self.avg, self.max_postings, self.updatable);
        self.terms
            .par_iter_mut()
            .zip(dirty.par_iter())
            .filter(|(_, d)| **d)
            .for_each(|(t, _)| score_one(t, units, &avg, max_postings, updatable, moved));
    }

    /// [`Index::score`] for an index whose postings are in `runs`: every term that has
    /// some, read back a group of terms at a time and scored in parallel.
    fn score_spilled(&mut self, runs: PostingRuns, moved: bool) -> std::io::Result<()> {
        /// Postings scored together: enough for every core, few enough to stay small.
        const GROUP_POSTINGS: usize = 1 << 18;
        let mut group: Vec<(u32, TermState)> = Vec::new();
        let mut held = 0;
        let score_group = |this: &mut Self, group: &mut Vec<(u32, TermState)>| {
            let units = &this.units;
            let (avg, max_postings, updatable) = (this.avg, this.max_postings, this.updatable);
            group.par_iter_mut().for_each(|(_, t)| {
                score_one(t, units, &avg, max_postings, updatable, moved);
            });
            for (id, t) in group.drain(..) {
                this.terms[id as usize] = t;
            }
        };
        runs.merge(|id, postings| {
            held += postings.len();
            let mut t = std::mem::take(&mut self.terms[id as usize]);
            t.body().postings = postings;
            group.push((id, t));
            if held >= GROUP_POSTINGS {
                score_group(self, &mut group);
                held = 0;
            }
        })?;
        score_group(self, &mut group);
        Ok(())
    }

    /// Brings the sorted list of live terms up to date.
    fn reorder(&mut self, live_before: Vec<bool>) {
        let terms = &self.terms;
        let live = |id: u32| terms[id as usize].entry.is_some();
        let born: Vec<u32> = (0..terms.len() as u32)
            .filter(|&id| live(id) && !live_before.get(id as usize).copied().unwrap_or(false))
            .collect();
        let died = live_before
            .iter()
            .enumerate()
            .any(|(id, &was)| was && !live(id as u32));
        if died {
            self.order.retain(|&id| live(id));
        }
        if born.len() > self.order.len() / 8 {
            self.order.extend(born);
            self.order
                .par_sort_unstable_by(|&a, &b| terms[a as usize].term.cmp(&terms[b as usize].term));
        } else {
            for id in born {
                let term = &terms[id as usize].term;
                let at = self
                    .order
                    .partition_point(|&o| terms[o as usize].term < *term);
                self.order.insert(at, id);
            }
        }
    }
}

/// Scores one term: computes the weights that are missing (all of them when the average
/// lengths `moved`), then its entry. A term of an index built once (not `updatable`) keeps
/// only its entry.
fn score_one<M>(
    t: &mut TermState,
    units: &[Unit<M>],
    avg: &[f32; FIELDS],
    max_postings: usize,
    updatable: bool,
    moved: bool,
) {
    // Scored once, the weights and impacts are made for the entry here and dropped with
    // the postings below, as nothing reads them again.
    let mut kept = match (updatable, t.body.as_mut().and_then(|b| b.kept.take())) {
        (true, Some(kept)) => kept,
        _ => Box::new(Weights::unscored(t.postings().len())),
    };
    let mut best = f32::MIN_POSITIVE;
    for (p, w) in t.postings().iter().zip(kept.weights.iter_mut()) {
        if moved || w.is_nan() {
            let doc = &units[p.0 as usize].docs[p.1 as usize];
            *w = saturate(weighted_tf(&p.2, &doc.lens, avg)) * doc.boost;
        }
        best = best.max(*w);
    }
    let all = moved || best != kept.best;
    kept.best = best;
    let Weights {
        weights, impacts, ..
    } = &mut *kept;
    for (i, w) in impacts.iter_mut().zip(weights.iter()) {
        if all || *i == 0 {
            *i = quantise(*w, best);
        }
    }
    t.entry = score_term(t, &kept, units.len(), max_postings).map(Box::new);
    if updatable {
        t.body().kept = Some(kept);
    } else {
        t.body = None;
    }
}

/// The hash [`Index::ids`] finds a term by.
fn term_hash(term: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(term)
}

/// Batches tokenised together before they are merged, per thread: enough to keep every core
/// busy, and no more, as a window's term counts are held until it is merged. Two windows are
/// held at once (one merged while the next is tokenised).
const WINDOW_BATCHES_PER_THREAD: usize = 2;

/// Units per batch (one tokenizer, so one word cache, per batch) when indexing `units`.
fn batch_size(units: usize) -> usize {
    (units / (rayon::current_num_threads() * 8)).clamp(1, 256)
}

/// Tokenises units `which` in parallel batches (each batch shares one tokenizer), returned
/// in unit order.
fn tokenize<M: Send>(
    which: &[usize],
    size: usize,
    make: &(impl Fn(usize) -> Vec<(DocInput, M)> + Sync),
) -> Vec<Batch<M>> {
    which
        .par_chunks(size)
        .map(|units| {
            let mut tokenizer = Tokenizer::default();
            let mut slot: Vec<(u32, u32)> = Vec::new();
            let mut stamp = 0;
            let mut out = Vec::with_capacity(units.len());
            for &unit in units {
                tokenizer.begin_unit();
                let mut tokens = UnitTokens {
                    unit,
                    docs: Vec::new(),
                    metas: Vec::new(),
                    tf: Vec::new(),
                    surfaces: Vec::new(),
                };
                // Each unit's text is dropped as soon as it is counted: the whole site's text
                // is never held at once.
                for (doc, meta) in make(unit) {
                    stamp += 1;
                    let n = tokens.docs.len() as u32;
                    let (stats, tf) = count_terms(&mut tokenizer, &mut slot, stamp, &doc);
                    tokens.tf.extend(tf.into_iter().map(|(id, c)| (id, n, c)));
                    tokens.docs.push(stats);
                    tokens.metas.push(meta);
                }
                // Sorted here, in parallel, rather than in the serial merge.
                tokens.tf.sort_unstable_by_key(|t| (t.0, t.1));
                tokens.surfaces = tokenizer
                    .unit_surfaces()
                    .map(|(w, id)| (w.to_string(), id))
                    .collect();
                out.push(tokens);
            }
            Batch {
                units: out,
                terms: tokenizer.take_terms(),
            }
        })
        .collect()
}

/// Counts the terms of one document: its field lengths and `(term id, counts per field)`.
/// `slot[id]` = (stamp, position in the list): a scratch map shared by the batch that needs
/// no clearing between documents.
fn count_terms(
    tokenizer: &mut Tokenizer,
    slot: &mut Vec<(u32, u32)>,
    stamp: u32,
    doc: &DocInput,
) -> (DocStats, Vec<(u32, [u8; FIELDS])>) {
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
    let stats = DocStats {
        lens,
        boost: doc.boost,
    };
    (stats, tf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_docs(u: usize) -> Vec<(DocInput, usize)> {
        (0..1 + u % 3)
            .map(|d| {
                let body = format!(
                    "payout report {} partner{} {}",
                    u,
                    d,
                    "centre ".repeat(u % 5)
                );
                let input = DocInput {
                    fields: vec![
                        (Field::Heading, format!("Payouts {d}")),
                        (Field::Body, body),
                    ],
                    boost: 1.0 + d as f32,
                };
                (input, u * 10 + d)
            })
            .collect()
    }

    /// The surfaces of the term `term` in `index`.
    fn surfaces_of(index: &Index<()>, term: &str) -> Vec<String> {
        (index.entries().into_iter())
            .find(|e| e.term == term)
            .map(|e| e.surfaces.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_term_keeps_its_surfaces_sorted_and_counted_through_updates() {
        let texts = std::sync::Mutex::new(
            [
                "connecting payouts",
                "connected payouts",
                "connects and connected",
            ]
            .map(String::from)
            .to_vec(),
        );
        let make = |u: usize| {
            let body = texts.lock().expect("texts")[u].clone();
            let input = DocInput {
                fields: vec![(Field::Body, body)],
                boost: 1.0,
            };
            vec![(input, ())]
        };
        let mut index = Index::build(3, 100, make);
        // The term itself is not one of its surfaces.
        assert_eq!(
            surfaces_of(&index, "connect"),
            ["connected", "connecting", "connects"]
        );
        // "connected" is still on unit 2 when unit 1 loses it.
        texts.lock().expect("texts")[1] = "payouts".into();
        index.replace(&[1], make);
        assert_eq!(
            surfaces_of(&index, "connect"),
            ["connected", "connecting", "connects"]
        );
        texts.lock().expect("texts")[2] = "connections".into();
        index.replace(&[2], make);
        assert_eq!(
            surfaces_of(&index, "connect"),
            ["connecting", "connections"]
        );
        // More surfaces than a term ships: the first in code point order.
        let words = [
            "connects",
            "connected",
            "connecting",
            "connection",
            "connections",
            "connective",
            "connectivity",
            "connectively",
            "connectives",
        ];
        *texts.lock().expect("texts") = vec![
            words[..3].join(" "),
            words[3..6].join(" "),
            words[6..].join(" "),
        ];
        index.replace(&[0, 1, 2], make);
        let mut first: Vec<&str> = words.to_vec();
        first.sort_unstable();
        first.truncate(MAX_SURFACES);
        assert_eq!(surfaces_of(&index, "connect"), first);
    }

    #[test]
    fn an_index_built_once_scores_as_an_updatable_one_and_keeps_no_postings() {
        index_built_once_scores_as_an_updatable_one(None);
    }

    #[test]
    fn an_index_built_once_with_its_postings_on_disk_scores_as_an_updatable_one() {
        index_built_once_scores_as_an_updatable_one(Some(tempfile::tempfile().expect("scratch")));
    }

    #[test]
    fn postings_that_cannot_be_written_fail_the_build() {
        let named = tempfile::NamedTempFile::new().expect("file");
        let read_only = std::fs::File::open(named.path()).expect("opened for reading");
        let mut take = |_: usize, _: Vec<usize>| {};
        let built = Index::build_taking(40, 7, unit_docs, Some(&mut take), Some(read_only));
        assert!(built.is_err());
    }

    fn index_built_once_scores_as_an_updatable_one(scratch: Option<std::fs::File>) {
        let kept = Index::build(40, 7, unit_docs);
        let mut taken = Vec::new();
        let mut take = |u: usize, metas: Vec<usize>| taken.push((u, metas));
        let once = Index::build_taking(40, 7, unit_docs, Some(&mut take), scratch).expect("built");
        let entries = |index: &Index<usize>| -> Vec<TermEntry> {
            index.entries().into_iter().cloned().collect()
        };
        assert!(entries(&kept).len() > 40);
        assert_eq!(entries(&once), entries(&kept));
        // The metadata went to `take`, unit by unit in order.
        let expected: Vec<(usize, Vec<usize>)> = (0..40)
            .map(|u| (u, unit_docs(u).into_iter().map(|(_, m)| m).collect()))
            .collect();
        assert_eq!(taken, expected);
        // Only the entries are left of what the build collected.
        assert!(once.terms.iter().all(|t| t.body.is_none()));
        assert!(once
            .units
            .iter()
            .all(|u| u.terms.is_empty() && u.surfaces.is_empty()));
        assert!(kept.terms.iter().any(|t| !t.postings().is_empty()));
    }
}
