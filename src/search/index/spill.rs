//! The postings of an index built once, kept on disk until they are scored: they are the
//! index's largest part (16 bytes each, about 480 a page), and a build held every term's
//! until the last page was indexed. Postings arrive in unit order; they are collected into
//! runs of [`RUN_POSTINGS`], each sorted by term and written to a scratch file, and read
//! back merged, one term at a time, each term's postings in unit and document order: what
//! the in-memory index holds, so the same entries come out.

use super::FIELDS;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;

/// Postings per run: 10 MiB of them in memory while a run fills (tests: a few, so that
/// every index they build is merged from several runs).
pub(super) const RUN_POSTINGS: usize = if cfg!(test) { 64 } else { 1 << 19 };
/// Postings read from a run at a time while merging (tests: a few, so that a term's
/// postings often span several reads).
const READ_POSTINGS: usize = if cfg!(test) { 5 } else { 4096 };
/// A posting in the file: term, unit, document (each `u32`), counts per field.
const POSTING_BYTES: usize = 12 + FIELDS;

/// One posting: `(term, unit, document, counts per field)`.
pub(super) type Posting = (u32, u32, u32, [u8; FIELDS]);

/// A term's postings as the index holds them: `(unit, document, counts per field)`.
pub(super) type TermPostings = Vec<(u32, u32, [u8; FIELDS])>;

/// Runs of postings in a scratch file; see the module documentation.
pub(super) struct PostingRuns {
    file: File,
    run_postings: usize,
    /// The run being filled.
    filling: Vec<Posting>,
    /// Written runs: offset and number of postings.
    runs: Vec<(u64, usize)>,
    end: u64,
}

impl PostingRuns {
    /// Runs of `run_postings` postings each in `file` (an empty scratch file).
    pub(super) fn new(file: File, run_postings: usize) -> PostingRuns {
        PostingRuns {
            file,
            run_postings: run_postings.max(1),
            filling: Vec::new(),
            runs: Vec::new(),
            end: 0,
        }
    }

    /// Adds a posting; postings come in unit order, and in document order within a unit.
    pub(super) fn push(&mut self, posting: Posting) -> std::io::Result<()> {
        self.filling.push(posting);
        if self.filling.len() >= self.run_postings {
            self.write_run()?;
        }
        Ok(())
    }

    /// Sorts the filling run by term, keeping each term's postings in the order they came
    /// in (unit and document order), then writes it. The sort counts the postings of each
    /// term id up to the run's largest, linear in the run while the ids are not far more
    /// than its postings; past that (a run of rare terms with high ids), a stable sort.
    fn write_run(&mut self) -> std::io::Result<()> {
        if self.filling.is_empty() {
            return Ok(());
        }
        let terms = self.filling.iter().map(|p| p.0).max().unwrap_or(0) as usize + 1;
        let mut bytes = vec![0u8; self.filling.len() * POSTING_BYTES];
        let put = |bytes: &mut [u8], at: usize, (term, unit, doc, counts): Posting| {
            let out = &mut bytes[at * POSTING_BYTES..(at + 1) * POSTING_BYTES];
            out[0..4].copy_from_slice(&term.to_le_bytes());
            out[4..8].copy_from_slice(&unit.to_le_bytes());
            out[8..12].copy_from_slice(&doc.to_le_bytes());
            out[12..].copy_from_slice(&counts);
        };
        if terms <= 4 * self.filling.len() {
            // `starts[t]`: where term `t`'s next posting goes in the sorted run.
            let mut starts = vec![0usize; terms + 1];
            for p in &self.filling {
                starts[p.0 as usize + 1] += 1;
            }
            for t in 0..terms {
                starts[t + 1] += starts[t];
            }
            for &p in &self.filling {
                put(&mut bytes, starts[p.0 as usize], p);
                starts[p.0 as usize] += 1;
            }
        } else {
            self.filling.sort_by_key(|p| p.0);
            for (at, &p) in self.filling.iter().enumerate() {
                put(&mut bytes, at, p);
            }
        }
        self.filling.clear();
        crate::output::write_all_at(&self.file, &bytes, self.end)?;
        self.runs.push((self.end, bytes.len() / POSTING_BYTES));
        self.end += bytes.len() as u64;
        Ok(())
    }

    /// Every posting, merged from the runs: calls `term` with each term's postings in unit
    /// and document order, terms in increasing order. A run holds each of its terms'
    /// postings together, and the runs follow one another in the order the postings came
    /// in, so a term's postings are its blocks from each run, in run order.
    pub(super) fn merge(mut self, mut term: impl FnMut(u32, TermPostings)) -> std::io::Result<()> {
        self.write_run()?;
        self.filling = Vec::new();
        let mut readers: Vec<RunReader> = (self.runs.iter())
            .map(|&(offset, len)| RunReader {
                offset,
                left: len,
                buffer: Vec::new(),
                at: 0,
            })
            .collect();
        // The next term of each run, smallest first; between runs at one term, the earlier
        // run first.
        let mut heap = BinaryHeap::with_capacity(readers.len());
        for (i, reader) in readers.iter_mut().enumerate() {
            if let Some(t) = reader.next_term(&self.file)? {
                heap.push(Reverse((t, i)));
            }
        }
        while let Some(Reverse((t, i))) = heap.pop() {
            let mut postings = Vec::new();
            let mut from = Some(i);
            while let Some(i) = from {
                if let Some(next) = readers[i].read_term(&self.file, t, &mut postings)? {
                    heap.push(Reverse((next, i)));
                }
                from = match heap.peek() {
                    Some(Reverse((next, j))) if *next == t => {
                        let j = *j;
                        heap.pop();
                        Some(j)
                    }
                    _ => None,
                };
            }
            term(t, postings);
        }
        Ok(())
    }
}

/// Reads one run back, [`READ_POSTINGS`] at a time.
struct RunReader {
    offset: u64,
    left: usize,
    buffer: Vec<Posting>,
    at: usize,
}

impl RunReader {
    /// The term of the next posting (`None` at the run's end).
    fn next_term(&mut self, file: &File) -> std::io::Result<Option<u32>> {
        if self.at == self.buffer.len() && !self.fill(file)? {
            return Ok(None);
        }
        Ok(Some(self.buffer[self.at].0))
    }

    /// Moves the postings of term `t` (the next term) into `out`; returns the term after it.
    fn read_term(
        &mut self,
        file: &File,
        t: u32,
        out: &mut TermPostings,
    ) -> std::io::Result<Option<u32>> {
        loop {
            let rest = &self.buffer[self.at..];
            let n = rest.iter().take_while(|p| p.0 == t).count();
            out.extend(
                rest[..n]
                    .iter()
                    .map(|&(_, unit, doc, counts)| (unit, doc, counts)),
            );
            self.at += n;
            if self.at < self.buffer.len() {
                return Ok(Some(self.buffer[self.at].0));
            }
            if !self.fill(file)? {
                return Ok(None);
            }
        }
    }

    /// Reads the next postings of the run into the buffer; false at the run's end.
    fn fill(&mut self, file: &File) -> std::io::Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        let n = self.left.min(READ_POSTINGS);
        let mut bytes = vec![0; n * POSTING_BYTES];
        crate::output::read_exact_at(file, &mut bytes, self.offset)?;
        self.offset += bytes.len() as u64;
        self.left -= n;
        self.buffer.clear();
        self.at = 0;
        for b in bytes.chunks_exact(POSTING_BYTES) {
            let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
            let mut counts = [0; FIELDS];
            counts.copy_from_slice(&b[12..]);
            self.buffer.push((word(0), word(4), word(8), counts));
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_come_back_by_term_in_the_order_they_came_in() {
        // Runs of 7 postings hold term ids far past 4 × 7 (sorted by a stable sort); runs
        // of 64, fewer (sorted by counting).
        for run_postings in [7, 64] {
            postings_come_back_in_order(run_postings);
        }
    }

    fn postings_come_back_in_order(run_postings: usize) {
        let mut runs = PostingRuns::new(tempfile::tempfile().expect("scratch"), run_postings);
        let mut expected: std::collections::BTreeMap<u32, TermPostings> = Default::default();
        for unit in 0..50u32 {
            for doc in 0..3u32 {
                for term in [unit % 11, 3, (unit * 7 + doc) % 13 + 20] {
                    let counts = [(unit % 256) as u8, doc as u8, 0, 1, 2, term as u8];
                    let list = expected.entry(term).or_default();
                    if list.last().is_some_and(|l| (l.0, l.1) == (unit, doc)) {
                        continue;
                    }
                    list.push((unit, doc, counts));
                    runs.push((term, unit, doc, counts)).expect("push");
                }
            }
        }
        let mut got = Vec::new();
        runs.merge(|term, postings| got.push((term, postings)))
            .expect("merge");
        assert_eq!(got, expected.into_iter().collect::<Vec<_>>());
    }
}
