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
use unicode_segmentation::UnicodeSegmentation;

/// Longest word that becomes a term (longer runs are noise: hashes, base64).
pub const MAX_WORD_CHARS: usize = 40;
/// Longest compound that becomes a term.
pub const MAX_COMPOUND_CHARS: usize = 64;

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

/// Splits text into terms. Reusable: holds the stemmer.
pub struct Tokenizer {
    stemmer: Stemmer,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
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

/// Lower-cases a word and applies the apostrophe rules. Empty when nothing is left.
pub fn normalize_word(word: &str) -> String {
    let lower = word
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\u{02BC}'], "'");
    let trimmed = lower.trim_matches('\'');
    let base = trimmed.strip_suffix("'s").unwrap_or(trimmed);
    base.replace('\'', "")
}

impl Tokenizer {
    /// Tokenises index text, calling `emit` for every term occurrence in order.
    pub fn tokenize(&self, text: &str, mut emit: impl FnMut(Token)) {
        let mut rest = text;
        while !rest.is_empty() {
            let cjk_at = rest.find(is_cjk).unwrap_or(rest.len());
            self.tokenize_plain(&rest[..cjk_at], &mut emit);
            rest = &rest[cjk_at..];
            let end = rest.find(|c: char| !is_cjk(c)).unwrap_or(rest.len());
            cjk_ngrams(&rest[..end], &mut emit);
            rest = &rest[end..];
        }
    }

    /// Convenience for tests and small inputs: every term, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.tokenize(text, |t| out.push(t.term));
        out
    }

    fn tokenize_plain(&self, text: &str, emit: &mut impl FnMut(Token)) {
        for piece in text.split_whitespace() {
            for compound in compounds(piece) {
                let surface = normalize_word(compound);
                if !surface.is_empty() && surface.chars().count() <= MAX_COMPOUND_CHARS {
                    emit(Token {
                        term: surface.clone(),
                        surface,
                        kind: TokenKind::Compound,
                    });
                }
            }
            for word in piece.unicode_words() {
                for part in word.split(['_', '.']).filter(|p| !p.is_empty()) {
                    self.emit_word(part, emit);
                    let camel = camel_parts(part);
                    if camel.len() > 1 {
                        for sub in camel {
                            self.emit_word(sub, emit);
                        }
                    }
                }
            }
        }
    }

    fn emit_word(&self, word: &str, emit: &mut impl FnMut(Token)) {
        let surface = normalize_word(word);
        if surface.is_empty() || surface.chars().count() > MAX_WORD_CHARS {
            return;
        }
        emit(Token {
            term: self.stem(&surface),
            surface,
            kind: TokenKind::Word,
        });
    }

    /// The stem of a normalised word; words that are not purely alphabetic stay as they are.
    pub fn stem(&self, word: &str) -> String {
        if word.chars().all(char::is_alphabetic) {
            self.stemmer.stem(word).into_owned()
        } else {
            word.to_string()
        }
    }
}

/// Unigrams and bigrams of a run of CJK characters.
fn cjk_ngrams(run: &str, emit: &mut impl FnMut(Token)) {
    let chars: Vec<char> = run.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let one = c.to_lowercase().collect::<String>();
        emit(Token {
            term: one.clone(),
            surface: one,
            kind: TokenKind::Cjk,
        });
        if let Some(next) = chars.get(i + 1) {
            let two: String = [*c, *next].iter().collect();
            emit(Token {
                term: two.clone(),
                surface: two,
                kind: TokenKind::Cjk,
            });
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
