//! Source files: bytes → text with the BOM stripped and CRLF normalised, plus a
//! [`LineIndex`] that maps byte offsets back to 1-based line/column in the original file.
//!
//! Leaf module: no knowledge of Markdown.

/// A decoded source file. Offsets into `text` map to original lines through `lines`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content folder, `/`-separated.
    pub path: String,
    /// The text with BOM removed and `\r\n` turned into `\n`.
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// For text generated from another file (a YAML mapping or FAQ file turned into
    /// Markdown): the original 1-based line of each generated line. Positions then report
    /// that line and column 1.
    pub line_map: Option<Vec<u32>>,
    /// The NUL characters the file held, each read as U+FFFD.
    pub nul: Option<NulCharacters>,
}

/// Where a file held NUL characters: the first one, and how many there were. A NUL would
/// cut strings short in other tools and reach the HTML, so it is replaced on reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NulCharacters {
    /// 1-based line of the first NUL.
    pub line: u32,
    /// 1-based column (in characters) of the first NUL.
    pub column: u32,
    /// How many NULs the file held.
    pub count: usize,
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based line of the first invalid byte.
    pub line: u32,
    /// 1-based column (in characters) of the first invalid byte.
    pub column: u32,
}

impl SourceFile {
    /// Decodes raw bytes: strips a UTF-8 BOM, normalises CRLF (and lone CR) to LF.
    /// Line numbers stay those of the original file because each line break stays one break.
    pub fn decode(path: impl Into<String>, bytes: &[u8]) -> Result<SourceFile, DecodeError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = &bytes[..e.valid_up_to()];
                // The prefix is valid UTF-8 by construction.
                let prefix = std::str::from_utf8(valid).unwrap_or_default();
                let (line, column) = end_position(prefix);
                return Err(DecodeError { line, column });
            }
        };
        Ok(SourceFile::from_text(path, text))
    }

    /// Like [`SourceFile::decode`], taking ownership of the bytes: valid UTF-8 without a BOM
    /// or `\r` (the common case) becomes the text as it is, without a copy.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Result<SourceFile, DecodeError> {
        match String::from_utf8(bytes) {
            // memchr's vectorised scan: `str::contains` with a char set goes one char at a
            // time, and this runs over every byte of every source file.
            Ok(text)
                if !text.starts_with('\u{feff}')
                    && memchr::memchr2(b'\r', b'\0', text.as_bytes()).is_none() =>
            {
                let lines = LineIndex::new(&text);
                Ok(SourceFile {
                    path: path.into(),
                    text,
                    lines,
                    line_map: None,
                    nul: None,
                })
            }
            Ok(text) => SourceFile::decode(path, text.as_bytes()),
            Err(e) => SourceFile::decode(path, e.as_bytes()),
        }
    }

    /// Builds a source file from text that is already decoded.
    pub fn from_text(path: impl Into<String>, text: &str) -> SourceFile {
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.to_string()
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        let first_nul = text.find('\0');
        let (text, count) = match first_nul {
            Some(_) => (text.replace('\0', "\u{fffd}"), text.matches('\0').count()),
            None => (text, 0),
        };
        let lines = LineIndex::new(&text);
        // The replacement is one character for one, so the first NUL's column is unchanged;
        // its byte offset is too, as every character before it is unchanged.
        let nul = first_nul.map(|at| {
            let (line, column) = lines.position(&text, at);
            NulCharacters {
                line,
                column,
                count,
            }
        });
        SourceFile {
            path: path.into(),
            text,
            lines,
            line_map: None,
            nul,
        }
    }

    /// A source whose text was generated from the file at `path`; `line_map[i]` is the
    /// original line of generated line `i + 1`.
    pub fn generated(path: impl Into<String>, text: String, line_map: Vec<u32>) -> SourceFile {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
            line_map: Some(line_map),
            nul: None,
        }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let (line, column) = self.lines.position(&self.text, offset);
        self.original(line, column)
    }

    /// [`SourceFile::position`], counting on from `hint` (the position asked for before, which
    /// this updates) when `offset` is a little further on its line.
    pub fn position_near(&self, offset: usize, hint: &mut PositionHint) -> (u32, u32) {
        let (line, column) = self.lines.position_near(&self.text, offset, hint);
        self.original(line, column)
    }

    /// The position in the original file of a position in `text`.
    fn original(&self, line: u32, column: u32) -> (u32, u32) {
        match &self.line_map {
            Some(map) => {
                let original = map
                    .get(line as usize - 1)
                    .or(map.last())
                    .copied()
                    .unwrap_or(1);
                (original, 1)
            }
            None => (line, column),
        }
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines.line_text(&self.text, line)
    }
}

/// 1-based (line, column) just past the end of `text`, counting line breaks as
/// [`SourceFile::from_text`] does: CRLF, LF and a lone CR are one break each (a leading BOM is
/// not a character).
fn end_position(text: &str) -> (u32, u32) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut line, mut column) = (1u32, 1u32);
    let mut after_cr = false;
    for c in text.chars() {
        match c {
            '\n' if after_cr => after_cr = false,
            '\n' | '\r' => {
                line += 1;
                column = 1;
                after_cr = c == '\r';
            }
            _ => {
                column += 1;
                after_cr = false;
            }
        }
    }
    (line, column)
}

/// Bytes between two column checkpoints of a long line.
const BLOCK: usize = 1024;

/// Byte offsets of line starts, and column checkpoints for long lines, so that a position
/// costs at most 1 KiB of counting however long its line is (a 50 MB one-line
/// page with a finding every few bytes stays linear).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// For each line longer than [`BLOCK`] bytes (by index, ascending): the characters in
    /// its first `(k + 1) * BLOCK` bytes, for every whole block `k`.
    long_lines: Vec<(usize, Vec<u32>)>,
}

/// The last position [`LineIndex::position_near`] gave. A parse asks for the positions of
/// its links, anchors and findings in text order, mostly a few words apart on one line:
/// counting on from the last one costs less than searching the line starts and counting
/// from the line's start every time.
#[derive(Debug, Clone, Copy, Default)]
pub struct PositionHint {
    /// Byte offset (a character boundary) of the position.
    offset: usize,
    /// Byte offset where the next line starts (0 while no position was given).
    line_end: usize,
    line: u32,
    column: u32,
}

/// Characters in `bytes` (which may start or end inside a character): the bytes that are
/// not UTF-8 continuation bytes.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let bytes = text.as_bytes();
        let mut long_lines = Vec::new();
        for (line, &start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).map_or(bytes.len(), |&next| next - 1);
            if end - start <= BLOCK {
                continue;
            }
            let mut total = 0u32;
            let counts = bytes[start..end]
                .chunks_exact(BLOCK)
                .map(|block| {
                    total += chars_in(block) as u32;
                    total
                })
                .collect();
            long_lines.push((line, counts));
        }
        LineIndex { starts, long_lines }
    }

    /// Number of lines (a text without line breaks has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based (line, column in characters) of `offset` in `text`.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let blocks = (end - start) / BLOCK;
        let (counted, from) = match self.long_lines.binary_search_by_key(&(line - 1), |l| l.0) {
            Ok(at) if blocks > 0 => (
                self.long_lines[at].1[blocks - 1] as usize,
                start + blocks * BLOCK,
            ),
            _ => (0, start),
        };
        let column = counted + chars_in(&text.as_bytes()[from..end]) + 1;
        (line as u32, column as u32)
    }

    /// [`LineIndex::position`], counting on from `hint` when `offset` is on its line, after it
    /// and at most one block further (so a position still costs at most 1 KiB of counting);
    /// `hint` becomes the position of `offset`.
    pub fn position_near(&self, text: &str, offset: usize, hint: &mut PositionHint) -> (u32, u32) {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if hint.offset <= end && end < hint.line_end && end - hint.offset <= BLOCK {
            hint.column += chars_in(&text.as_bytes()[hint.offset..end]) as u32;
            hint.offset = end;
            return (hint.line, hint.column);
        }
        let (line, column) = self.position(text, end);
        *hint = PositionHint {
            offset: end,
            line_end: self
                .starts
                .get(line as usize)
                .copied()
                .unwrap_or(usize::MAX),
            line,
            column,
        };
        (line, column)
    }

    /// The text of the 1-based line `line`, without its line break ("" when out of range).
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let Some(&start) = self.starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .starts
            .get(line as usize)
            .map_or(text.len(), |&next| next - 1);
        &text[start..end.max(start)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_read_as_replacement_character_and_recorded() {
        let src = SourceFile::from_bytes("a.md", b"one\r\nt\0w\0o\n".to_vec()).unwrap();
        assert_eq!(src.text, "one\nt\u{fffd}w\u{fffd}o\n");
        assert_eq!(
            src.nul,
            Some(NulCharacters {
                line: 2,
                column: 2,
                count: 2
            })
        );
        assert_eq!(SourceFile::from_text("b.md", "clean").nul, None);
    }

    #[test]
    fn bom_and_crlf_keep_line_numbers() {
        let src = SourceFile::decode("a.md", b"\xEF\xBB\xBFone\r\ntwo\r\nthree").unwrap();
        assert_eq!(src.text, "one\ntwo\nthree");
        let off = src.text.find("three").unwrap();
        assert_eq!(src.position(off), (3, 1));
        assert_eq!(src.line_text(2), "two");
        assert_eq!(src.line_text(3), "three");
        assert_eq!(src.line_text(9), "");
    }

    #[test]
    fn generated_text_reports_original_lines() {
        let src = SourceFile::generated("a.mapping.yaml", "one\ntwo\n".into(), vec![4, 9]);
        assert_eq!(src.position(src.text.find("two").unwrap() + 1), (9, 1));
        assert_eq!(src.position(0), (4, 1));
    }

    #[test]
    fn from_bytes_decodes_like_decode() {
        for bytes in [
            b"plain\ntext".as_slice(),
            b"\xEF\xBB\xBFbom\r\ncrlf\rcr",
            b"\xEF\xBB\xBF\xEF\xBB\xBFtwo boms",
            b"bad\r\n\xFF",
            b"",
        ] {
            let owned = SourceFile::from_bytes("a.md", bytes.to_vec());
            let borrowed = SourceFile::decode("a.md", bytes);
            match (owned, borrowed) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.text, b.text);
                    assert_eq!(a.lines.starts, b.lines.starts);
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                (a, b) => panic!("{bytes:?}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn columns_on_long_lines_match_counting_from_the_line_start() {
        let line: String = (0..3000)
            .map(|i| match i % 7 {
                0 => "é",
                1 => "日本",
                2 => "🦀",
                _ => "ab",
            })
            .collect();
        let text = format!("short\n{line}\n{line}x\nend");
        let index = LineIndex::new(&text);
        assert_eq!(index.long_lines.len(), 2);
        for offset in (0..text.len()).step_by(97).chain([text.len()]) {
            let mut end = offset;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let line_no = text[..end].matches('\n').count() + 1;
            let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
            let column = text[start..end].chars().count() + 1;
            assert_eq!(
                index.position(&text, offset),
                (line_no as u32, column as u32),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_position_counted_on_from_a_hint_is_the_position() {
        let long: String = "é🦀ab ".repeat(700);
        let text = format!("short\n{long}\n\nx\r{long}x\nend");
        let index = LineIndex::new(&text);
        let mut hint = PositionHint::default();
        // Forward in small and large steps, inside characters, back again, to the end and past.
        let offsets = (0..text.len())
            .step_by(13)
            .chain((0..text.len()).step_by(1500))
            .chain((0..text.len()).rev().step_by(211))
            .chain([text.len(), text.len() + 5, 0, 6, 7, 6]);
        for offset in offsets {
            assert_eq!(
                index.position_near(&text, offset, &mut hint),
                index.position(&text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn positions_on_a_huge_line_are_cheap() {
        // 8 MB on one line, a position every 64 bytes: quadratic counting would take minutes.
        let text = "[a](b.md) ".repeat(800_000);
        let index = LineIndex::new(&text);
        let last = (0..text.len())
            .step_by(64)
            .map(|offset| index.position(&text, offset).1)
            .max();
        assert_eq!(last, Some(((text.len() - 1) / 64 * 64 + 1) as u32));
    }

    #[test]
    fn columns_count_characters() {
        let src = SourceFile::from_text("a.md", "é [x](y)");
        assert_eq!(src.position(src.text.find('[').unwrap()), (1, 3));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = SourceFile::decode("a.md", b"ok\nab\xFFc").unwrap_err();
        assert_eq!(err, DecodeError { line: 2, column: 3 });
    }

    #[test]
    fn invalid_utf8_position_counts_crlf_and_lone_cr_like_the_loader() {
        let err =
            SourceFile::decode("a.md", b"\xEF\xBB\xBFone\r\ntwo\rthree\r\nab\xFF").unwrap_err();
        assert_eq!(err, DecodeError { line: 4, column: 3 });
        let err = SourceFile::decode("a.md", b"a\r\r\n\n\xC3").unwrap_err();
        assert_eq!(err, DecodeError { line: 4, column: 1 });
    }
}
