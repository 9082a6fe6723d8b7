//! Text → index terms. The browser tokenises queries with the same rules
//! (`static/search.js`, `tokenize`), so a rule changed here must change there too.
//!
//! Rules, in order:
//! 1. Runs of Han, Hiragana, Katakana and Hangul characters are not split into words (they
//!    have no spaces): every character is a term, and so is every pair of neighbouring
//!    characters (unigrams + bigrams). A query of two or more such characters looks up its
//!    bigrams, so `移行` finds `移行ガイド` but not `行移`.
//! 2. Everything else is split at white space into pieces. Inside a piece, code-like
//!    compounds (word characters joined by single `-`, `_` or `.`: `api-version`,
//!    `notification-email`, `offer_id`, `System.IO`) are kept whole, lower-cased and not
//!    stemmed, so an exact identifier is a term of its own.
//! 3. Each piece is also split into words with Unicode word segmentation (UAX #29), then at
//!    `_` and `.`, so every part of a compound is a term too (`api`, `version`). A word with a
//!    lower→upper case change (`offerId`) also yields its camel-case parts.
//! 4. Words are lower-cased; typographic apostrophes become `'`; a possessive `'s` is
//!    dropped (`partner's` → `partner`) and other apostrophes removed (`don't` → `dont`).
//! 5. Alphabetic words are stemmed with the Snowball English stemmer (`payouts` →
//!    `payout`). The unstemmed form is kept as the term's *surface*: the browser matches
//!    typed words against surfaces, so it needs no stemmer of its own.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

/// Longest word that becomes a term (longer runs are noise: hashes, base64).
pub const MAX_WORD_CHARS: usize = 40;
/// Longest compound that becomes a term.
pub const MAX_COMPOUND_CHARS: usize = 64;

/// Marks a word that is its own term (no surface to record).
const NOT_A_SURFACE: u32 = u32::MAX;

/// What kind of term a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A (possibly stemmed) word.
    Word,
    /// A code-like compound kept whole (`api-version`).
    Compound,
    /// A CJK character or character pair.
    Cjk,
}

/// One term occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The index term (stemmed for words).
    pub term: String,
    /// The lower-cased word as written (equal to `term` unless stemming changed it).
    pub surface: String,
    /// What kind of term it is.
    pub kind: TokenKind,
}

/// Splits text into terms and numbers them. Holds the stemmer, the terms seen so far and a
/// cache from every word seen to its term, so keep one per thread (or batch) and reuse it.
pub struct Tokenizer {
    stemmer: Stemmer,
    /// Normalised word → (term id, index into `surfaces` or `NOT_A_SURFACE`).
    words: FxHashMap<String, (u32, u32)>,
    /// Words that differ from their term, with the term id, in order of first sighting.
    surfaces: Vec<(String, u32)>,
    /// Per surface: the unit in which it was last seen (see [`Tokenizer::begin_unit`]).
    surface_unit: Vec<u32>,
    /// The current unit's number and the surfaces seen in it.
    unit: u32,
    unit_surfaces: Vec<u32>,
    /// Term → term id.
    ids: FxHashMap<String, u32>,
    /// Term id → term.
    terms: Vec<String>,
    word: String,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
            words: FxHashMap::default(),
            surfaces: Vec::new(),
            surface_unit: Vec::new(),
            unit: 0,
            unit_surfaces: Vec::new(),
            ids: FxHashMap::default(),
            terms: Vec::new(),
            word: String::new(),
        }
    }
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokenizer")
    }
}

/// True for characters of scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x309F      // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2FFFF  // CJK extensions B–F, compatibility supplement
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks (general category M), approximated by the main combining blocks: they
/// belong to the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '_' | '.')
}

/// Lower-cases a word into `out` and applies the apostrophe rules (empty when nothing is
/// left).
fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.push_str(
            &word
                .to_lowercase()
                .replace(['\u{2019}', '\u{2018}', '\u{02BC}'], "'"),
        );
    }
    if out.contains('\'') {
        let trimmed = out.trim_matches('\'');
        let base = trimmed.strip_suffix("'s").unwrap_or(trimmed);
        let clean = base.replace('\'', "");
        *out = clean;
    }
}

impl Tokenizer {
    /// Tokenises index text, calling `emit(term id, surface, kind)` for every term
    /// occurrence in order ([`Tokenizer::take_terms`] names the ids). Allocates only for words it
    /// has not seen before.
    pub fn tokenize(&mut self, text: &str, mut emit: impl FnMut(u32, &str, TokenKind)) {
        let mut rest = text;
        while !rest.is_empty() {
            let cjk_at = if rest.is_ascii() {
                rest.len()
            } else {
                rest.find(is_cjk).unwrap_or(rest.len())
            };
            self.tokenize_plain(&rest[..cjk_at], &mut emit);
            rest = &rest[cjk_at..];
            let end = rest.find(|c: char| !is_cjk(c)).unwrap_or(rest.len());
            cjk_ngrams(&mut self.ids, &mut self.terms, &rest[..end], &mut emit);
            rest = &rest[end..];
        }
    }

    /// Every token of `text`, in order (queries, tests).
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokenize(text, |id, surface, kind| {
            out.push((id, surface.to_string(), kind))
        });
        out.into_iter()
            .map(|(id, surface, kind)| Token {
                term: self.terms[id as usize].clone(),
                surface,
                kind,
            })
            .collect()
    }

    /// Takes the terms (indexed by id) out of the tokenizer.
    pub fn take_terms(&mut self) -> Vec<String> {
        self.ids.clear();
        std::mem::take(&mut self.terms)
    }

    fn intern(ids: &mut FxHashMap<String, u32>, terms: &mut Vec<String>, term: &str) -> u32 {
        if let Some(&id) = ids.get(term) {
            return id;
        }
        let id = terms.len() as u32;
        terms.push(term.to_string());
        ids.insert(term.to_string(), id);
        id
    }

    /// Every term of `text`, in order.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        self.tokens(text).into_iter().map(|t| t.term).collect()
    }

    /// Every `(surface, term id)` pair seen where the word differs from its term.
    pub fn surfaces(&self) -> impl Iterator<Item = (&str, u32)> {
        self.surfaces.iter().map(|(w, id)| (w.as_str(), *id))
    }

    /// Starts a new unit (a page): [`Tokenizer::unit_surfaces`] then lists the surfaces
    /// seen since, so a caller that indexes many units with one tokenizer (sharing its word
    /// cache) still knows which unit contributed which surface.
    pub fn begin_unit(&mut self) {
        self.unit += 1;
        self.unit_surfaces.clear();
    }

    /// The `(surface, term id)` pairs seen since the last [`Tokenizer::begin_unit`], in
    /// order of first sighting in the tokenizer.
    pub fn unit_surfaces(&self) -> impl Iterator<Item = (&str, u32)> {
        let mut order = self.unit_surfaces.clone();
        order.sort_unstable();
        order.into_iter().map(|i| {
            let (w, id) = &self.surfaces[i as usize];
            (w.as_str(), *id)
        })
    }

    fn tokenize_plain(&mut self, text: &str, emit: &mut impl FnMut(u32, &str, TokenKind)) {
        for piece in text.split_whitespace() {
            if piece.contains(is_joiner) {
                for compound in compounds(piece) {
                    normalize_into(compound, &mut self.word);
                    if !self.word.is_empty() && self.word.chars().count() <= MAX_COMPOUND_CHARS {
                        let id = Self::intern(&mut self.ids, &mut self.terms, &self.word);
                        emit(id, &self.word, TokenKind::Compound);
                    }
                }
            }
            // Fast path: ASCII letters and digits with punctuation only around them are one
            // word under UAX #29 too.
            let core = piece.trim_matches(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric());
            if !core.is_empty() && core.bytes().all(|b| b.is_ascii_alphanumeric()) {
                self.word_parts(core, emit);
                continue;
            }
            for word in piece.unicode_words() {
                for part in word.split(['_', '.']).filter(|p| !p.is_empty()) {
                    self.word_parts(part, emit);
                }
            }
        }
    }

    fn word_parts(&mut self, part: &str, emit: &mut impl FnMut(u32, &str, TokenKind)) {
        self.emit_word(part, emit);
        if part.bytes().any(|b| b.is_ascii_uppercase()) || !part.is_ascii() {
            let camel = camel_parts(part);
            if camel.len() > 1 {
                for sub in camel {
                    self.emit_word(sub, emit);
                }
            }
        }
    }

    fn emit_word(&mut self, word: &str, emit: &mut impl FnMut(u32, &str, TokenKind)) {
        // Most words are already lower-case ASCII: look them up without copying.
        let plain = word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let word = if plain {
            word
        } else {
            normalize_into(word, &mut self.word);
            self.word.as_str()
        };
        if word.is_empty() || word.len() > MAX_WORD_CHARS && word.chars().count() > MAX_WORD_CHARS {
            return;
        }
        let (id, surface) = match self.words.get(word) {
            Some(&known) => known,
            None => {
                let stem = stem_with(&self.stemmer, word);
                let id = Self::intern(&mut self.ids, &mut self.terms, &stem);
                let surface = if stem == word {
                    NOT_A_SURFACE
                } else {
                    self.surfaces.push((word.to_string(), id));
                    self.surface_unit.push(u32::MAX);
                    (self.surfaces.len() - 1) as u32
                };
                self.words.insert(word.to_string(), (id, surface));
                (id, surface)
            }
        };
        if surface != NOT_A_SURFACE && self.surface_unit[surface as usize] != self.unit {
            self.surface_unit[surface as usize] = self.unit;
            self.unit_surfaces.push(surface);
        }
        emit(id, word, TokenKind::Word);
    }
}

/// The stem of a normalised word; words that are not purely alphabetic stay as they are.
fn stem_with(stemmer: &Stemmer, word: &str) -> String {
    if word.chars().all(char::is_alphabetic) {
        stemmer.stem(word).into_owned()
    } else {
        word.to_string()
    }
}

/// Unigrams and bigrams of a run of CJK characters (these scripts have no case).
fn cjk_ngrams(
    ids: &mut FxHashMap<String, u32>,
    terms: &mut Vec<String>,
    run: &str,
    emit: &mut impl FnMut(u32, &str, TokenKind),
) {
    let mut chars = run.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let one = &run[i..i + c.len_utf8()];
        emit(Tokenizer::intern(ids, terms, one), one, TokenKind::Cjk);
        if let Some(&(j, next)) = chars.peek() {
            let two = &run[i..j + next.len_utf8()];
            emit(Tokenizer::intern(ids, terms, two), two, TokenKind::Cjk);
        }
    }
}

/// Maximal runs of word characters joined by single joiners that contain at least one
/// joiner (`api-version`); a joiner not followed by a word character ends the compound
/// (`end.`, `a--b`).
pub fn compounds(piece: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut joined = false;
    let mut prev_word = false;
    for (i, c) in piece.char_indices() {
        let next = i + c.len_utf8();
        if is_word_char(c) {
            start.get_or_insert(i);
            end = next;
            prev_word = true;
            continue;
        }
        if is_joiner(c) && prev_word && piece[next..].starts_with(is_word_char) {
            joined = true;
        } else {
            if let (Some(s), true) = (start, joined) {
                out.push(&piece[s..end]);
            }
            start = None;
            joined = false;
        }
        prev_word = false;
    }
    if let (Some(s), true) = (start, joined) {
        out.push(&piece[s..end]);
    }
    out
}

/// Splits `offerId` into `offer`, `Id`; `HTTPServer` into `HTTP`, `Server`. A word without
/// a case change is returned whole.
fn camel_parts(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut cuts = vec![0];
    for w in 1..chars.len() {
        let (i, c) = chars[w];
        let prev = chars[w - 1].1;
        let next_lower = chars.get(w + 1).is_some_and(|(_, n)| n.is_lowercase());
        let lower_to_upper = prev.is_lowercase() && c.is_uppercase();
        let acronym_end = prev.is_uppercase() && c.is_uppercase() && next_lower;
        if lower_to_upper || acronym_end {
            cuts.push(i);
        }
    }
    if cuts.len() == 1 {
        return vec![word];
    }
    cuts.push(word.len());
    cuts.windows(2).map(|w| &word[w[0]..w[1]]).collect()
}

#[cfg(test)]
#[path = "tokenize_tests.rs"]
mod tests;
